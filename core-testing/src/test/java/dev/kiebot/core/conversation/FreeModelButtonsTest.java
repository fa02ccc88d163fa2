package dev.kiebot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.testing.ShopHarness;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A model the user would get for free says so on its button («бесплатно») while their free generations last, and its
 * price once they are spent: the buttons said «🆓 Картинка · 1,72 ₽» to a user who would pay nothing, and «🆓» to one
 * who would pay.
 */
class FreeModelButtonsTest {
    private static final long U = 42;
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);
    private final ShopHarness h = new ShopHarness().speaking("ru");

    private static List<String> buttons(List<Reply> replies) {
        Reply last = replies.get(replies.size() - 1);
        List<Button> kb = last instanceof Reply.SendText t ? t.keyboard().buttons()
                : ((Reply.EditText) last).keyboard().buttons();
        return kb.stream().map(Button::text).toList();
    }

    private void spendTheFreeGenerations() {
        for (int i = 0; i < 5; i++) {
            assertThat(h.stores.freeUsage().tryUse(U, TODAY, 5, "earlier-" + i)).isTrue();
        }
    }

    @Test
    void aFreeModelSaysFreeOnItsButtonWhileTheAllowanceLasts() {
        h.command(U, "start");
        List<String> images = buttons(h.press(U, "*|c|IMAGE"));
        assertThat(images).contains("🆓 Картинка img/m1", "Картинка img/m6 · 2,50\u00A0₽")
                .noneMatch(b -> b.startsWith("🆓") && b.contains("₽"));
        assertThat(buttons(h.press(U, "*|f"))).contains("🆓 Картинка img/m5");
        assertThat(buttons(h.press(U, "*|^"))).contains("🆓 Картинка img/m1");
        h.speaking("en");
        assertThat(buttons(h.press(U, "*|c|IMAGE"))).contains("🆓 Image img/m1");
    }

    @Test
    void aFreeModelShowsItsPriceOnceTheAllowanceIsSpent() {
        h.command(U, "start");
        spendTheFreeGenerations();
        assertThat(buttons(h.press(U, "*|c|IMAGE"))).contains("Картинка img/m1 · 1,72\u00A0₽")
                .noneMatch(b -> b.contains("🆓") || b.contains("бесплатно"));
        assertThat(buttons(h.press(U, "*|f"))).contains("Картинка img/m1 · 1,72\u00A0₽");
    }

    /** A free generation is «бесплатно» in words on its button, its status and the history, not a lone «🆓». */
    @Test
    void aFreeGenerationSaysFreeInWordsFromTheButtonToTheHistory() {
        h.command(U, "start");
        h.press(U, "*|g|img/m1");
        List<Reply> confirm = h.press(U, ShopHarness.button(h.text(U, "маяк"), "1:1"));
        assertThat(buttons(confirm)).contains("✅ Сгенерировать · бесплатно");
        assertThat(ShopHarness.lastText(confirm)).as("one answer to «what will I pay»")
                .contains("Цена: бесплатно (обычно 1,72\u00A0₽)\n🆓 Осталось бесплатных генераций на сегодня: 5 из 5.")
                .doesNotContain("Цена: 1,72");
        List<Reply> started = h.press(U, ShopHarness.button(confirm, "Сгенерировать"));
        assertThat(ShopHarness.lastText(started)).endsWith("В очереди. Цена: бесплатно");
        assertThat(ShopHarness.lastText(h.command(U, "history"))).contains("Картинка img/m1 · в очереди · бесплатно");
    }

    /** A free model of several prices: its free option reads «бесплатно», the others their price. */
    @Test
    void theFreeOptionOfAModelSaysFreeAndTheOthersTheirPrice() {
        Shop editorFree = h.anotherInstance(UnaryOperator.identity(), b -> b.freeTierOverride(
                Optional.of(List.of("edit/pro", "img/m1", "img/m2", "img/m3", "img/m4"))));
        serve(editorFree, new Event.Command("start", ""));
        assertThat(buttons(serve(editorFree, press("*|f")))).contains("🆓 Редактор");
        serve(editorFree, press("*|g|edit/pro"));
        List<Reply> got = serve(editorFree, new Event.Media(MediaType.PHOTO, "photo-1", 80_000, Optional.empty(),
                Optional.empty()).withCaption("небо"));
        List<Reply> options = serve(editorFree, press(ShopHarness.button(got, "Готово")));
        assertThat(buttons(options)).contains("✓ 1K · бесплатно", "2K · 5,46\u00A0₽");

        spendTheFreeGenerations();
        serve(editorFree, press("*|g|edit/pro"));
        got = serve(editorFree, new Event.Media(MediaType.PHOTO, "photo-2", 80_000, Optional.empty(),
                Optional.empty()).withCaption("небо"));
        options = serve(editorFree, press(ShopHarness.button(got, "Готово")));
        assertThat(buttons(options)).contains("✓ 1K · 3,90\u00A0₽", "2K · 5,46\u00A0₽");
    }

    private long update = 80_000;

    private static Event press(String data) {
        return new Event.Callback("q", data, Optional.of(1L));
    }

    private List<Reply> serve(Shop shop, Event event) {
        h.messenger.drain();
        shop.storefront().serve(new Incoming(++update, ShopHarness.actor(U, "ru"), event));
        shop.sender().drain(100);
        return h.messenger.drain();
    }
}
