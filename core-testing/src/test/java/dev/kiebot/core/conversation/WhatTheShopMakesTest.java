package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The welcome, the help and the invitation a user shares name what the shop makes from its catalog: a partner's shop of image models alone said
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

    @Test
    void theInvitationSharedFromAShopOfImageModelsAloneSpeaksOfPicturesOnly() {
        ShopHarness h = new ShopHarness(Catalog.of(List.of(TestCatalog.textToImage("img/a", "0.02", 1))),
                ShopSettings.defaults().withReferralBonus(10, 500)).speaking("ru");
        h.command(U, "start");
        assertThat(sharedText(h.command(U, "invite"))).isEqualTo("С помощью нейросетей создаю картинки в этом боте — "
                + "попробуй и ты!");
        ShopHarness all = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withReferralBonus(10, 500))
                .speaking("en");
        all.command(U, "start");
        assertThat(sharedText(all.command(U, "invite"))).isEqualTo("I make images, videos and speech with AI in this "
                + "bot — give it a try!");
    }

    /** The text the «📨 Отправить другу» button puts into the message to a friend (t.me/share/url's text). */
    private static String sharedText(List<Reply> replies) {
        String url = replies.stream().filter(r -> r instanceof Reply.SendText).map(r -> (Reply.SendText) r)
                .flatMap(t -> t.keyboard().buttons().stream()).map(Button::url).flatMap(java.util.Optional::stream)
                .filter(u -> u.startsWith("https://t.me/share/url")).findFirst()
                .orElseThrow(() -> new AssertionError("no share button in " + replies));
        return URLDecoder.decode(url.substring(url.indexOf("&text=") + "&text=".length()), StandardCharsets.UTF_8);
    }
}
