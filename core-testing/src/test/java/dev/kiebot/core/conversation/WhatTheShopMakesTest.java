package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The welcome and the help name what the shop makes from its catalog: a partner's shop of image models alone said
 * «Я создаю картинки, видео, озвучку и музыку», promising what it does not sell.
 */
class WhatTheShopMakesTest {
    private static final long U = 42;

    private static ShopHarness shop(Catalog catalog, String language) {
        return new ShopHarness(catalog, ShopSettings.defaults()).speaking(language);
    }

    @Test
    void aShopOfImageModelsAloneSpeaksOfPicturesOnly() {
        ShopHarness h = shop(Catalog.of(List.of(TestCatalog.textToImage("img/a", "0.02", 1),
                TestCatalog.imageEdit())), "ru");
        assertThat(lastText(h.command(U, "start"))).contains("С помощью лучших нейросетей я создаю картинки.")
                .doesNotContain("видео", "озвучк", "музык");
        assertThat(lastText(h.command(U, "help"))).contains("Здесь с помощью нейросетей можно создавать картинки.")
                .doesNotContain("видео", "озвучк", "музык");
    }

    @Test
    void theCategoriesTheCatalogHasAreNamedInTheirOrder() {
        ShopHarness h = shop(Catalog.of(List.of(TestCatalog.speech(), TestCatalog.textToImage("img/a", "0.02", 1))),
                "ru");
        assertThat(lastText(h.command(U, "start"))).contains("я создаю картинки и озвучку.");
        ShopHarness all = shop(TestCatalog.catalog(), "en");
        assertThat(lastText(all.command(U, "start"))).contains("I make images, videos and speech with the best");
    }
}
