package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.FieldLabels;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.OptionLabel;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * A choice's question says what the ✓ on a button means («✓ — по умолчанию») when one of its buttons has it, and says
 * nothing of it when none has: optional questions said «(необязательно)» and left the ✓ unexplained.
 */
class ChoiceQuestionTest {
    private static final long U = 42;

    @Test
    void aChoiceWithADefaultSaysWhatItsTickMeans() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()).speaking("ru");
        h.command(U, "start");
        h.press(U, "*|g|img/m9");
        assertThat(lastText(h.send(U, new Event.Text("лиса", Optional.of(100L)))))
                .endsWith("Выберите вариант (✓ — по умолчанию):");
    }

    @Test
    void aChoiceWithoutADefaultHasNoTickToExplain() {
        InputField style = new InputField("style", FieldType.ENUM, true, List.of("warm", "cold"), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), true)
                .withLabels(FieldLabels.of("Стиль", "Style", "какие цвета", "which colours"));
        Model m = new Model("img/style", "img/style", Family.JOBS, Category.IMAGE,
                Map.of("ru", "Стили", "en", "Styles"), Map.of("ru", "рисует", "en", "draws"),
                List.of(InputField.prompt(1000).withLabels(FieldLabels.of("Описание", "Prompt", "что нарисовать",
                        "what to draw")), style),
                List.of(new Sku(Map.of(), new BigDecimal("0.02"), TestCatalog.SRC)), 1);
        ShopHarness h = new ShopHarness(Catalog.of(List.of(m)), ShopSettings.defaults()).speaking("ru");
        h.command(U, "start");
        h.press(U, "*|g|img/style");
        String question = lastText(h.send(U, new Event.Text("лиса", Optional.of(100L))));
        assertThat(question).endsWith("Выберите вариант:").doesNotContain("✓");
    }

    /**
     * A choice of many options, each described (the shipped voice model's eight voices), lists them two a line, as
     * their buttons stand two a row: one a line, the voice's question was eleven lines to read before a press. Two
     * described options stay one a line.
     */
    @Test
    void manyDescribedOptionsAreListedTwoALineAsTheirButtonsStand() {
        String[][] voices = {{"Джеймс ♂", "с хрипотцой, уверенный"}, {"Брайан ♂", "низкий, спокойный"},
                {"Брэдфорд ♂", "выразительный"}, {"Марк ♂", "непринуждённый"}, {"Белла ♀", "тёплый, деловой"},
                {"Ева ♀", "живой, радостный"}, {"Аделина ♀", "мягкий"}, {"Арабелла ♀", "загадочный"}};
        FieldLabels labels = FieldLabels.of("Голос", "Voice", "Кто прочитает текст", "Who reads the text");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < voices.length; i++) {
            ids.add("v" + i);
            labels = labels.withValue("v" + i, new dev.kiebot.core.catalog.OptionLabel(
                    Map.of("ru", voices[i][0], "en", voices[i][0]), Map.of("ru", voices[i][1], "en", voices[i][1])));
        }
        InputField voice = InputField.choice("voice", true, ids, "v0").withLabels(labels);
        InputField speed = InputField.choice("speed", true, List.of("s", "f"), "s").withLabels(
                FieldLabels.of("Темп", "Pace", "как быстро", "how fast")
                        .withValue("s", new dev.kiebot.core.catalog.OptionLabel(Map.of("ru", "Спокойный", "en", "Calm"),
                                Map.of("ru", "для длинных текстов", "en", "for long texts")))
                        .withValue("f", new dev.kiebot.core.catalog.OptionLabel(Map.of("ru", "Быстрый", "en", "Fast"),
                                Map.of("ru", "для рекламы", "en", "for adverts"))));
        Model m = new Model("tts/voice", "tts/voice", Family.JOBS, Category.AUDIO,
                Map.of("ru", "Голос", "en", "Voice"), Map.of("ru", "озвучка", "en", "speech"),
                List.of(InputField.prompt(1000).withLabels(FieldLabels.of("Текст", "Text", "что прочитать",
                        "what to read")), voice, speed),
                List.of(new Sku(Map.of(), new BigDecimal("0.02"), TestCatalog.SRC)), 1);
        ShopHarness h = new ShopHarness(Catalog.of(List.of(m)), ShopSettings.defaults()).speaking("ru");
        h.command(U, "start");
        h.press(U, "*|g|tts/voice");
        List<Reply> question = h.send(U, new Event.Text("привет", Optional.of(100L)));
        assertThat(lastText(question)).isEqualTo("""
                🔘 Голос
                💡 Кто прочитает текст
                Выберите вариант (✓ — по умолчанию):
                • Джеймс ♂ — с хрипотцой, уверенный · Брайан ♂ — низкий, спокойный
                • Брэдфорд ♂ — выразительный · Марк ♂ — непринуждённый
                • Белла ♀ — тёплый, деловой · Ева ♀ — живой, радостный
                • Аделина ♀ — мягкий · Арабелла ♀ — загадочный""");
        assertThat(buttonTexts(question)).startsWith("✓ Джеймс ♂", "Брайан ♂", "Брэдфорд ♂", "Марк ♂");
        assertThat(lastText(h.press(U, button(question, "Ева ♀")))).endsWith("""
                Выберите вариант (✓ — по умолчанию):
                • Спокойный — для длинных текстов
                • Быстрый — для рекламы""");
    }

    /**
     * A yes/no reads «Да» / «Нет» on its buttons and in lower case where a summary line goes on after its label: the
     * confirmation said «• Звук: Да».
     */
    @Test
    void aYesOrNoIsCapitalOnItsButtonAndLowerCaseInTheConfirmation() {
        String confirm = confirmationWithSound("ru", "кот", sound -> assertThat(buttonTexts(sound))
                .anyMatch(b -> b.startsWith("Да ·")).anyMatch(b -> b.startsWith("✓ Нет ·")), "Да", "По умолчанию");
        assertThat(confirm).startsWith("Проверьте и подтвердите").contains("\n• Звук: да\n");
    }

    /**
     * An English summary line keeps a value as its button reads it, a yes/no too («• Sound effects: Yes» beside
     * «• Quality: Basic»): English does not lower a label after a colon (a Latin one may be a name), and the summary
     * said «• Sound effects: yes» under «• Quality: Basic».
     */
    @Test
    void anEnglishYesOrNoReadsInTheConfirmationAsOnItsButtonAsTheOtherValuesDo() {
        String confirm = confirmationWithSound("en", "cat", sound -> { }, "Yes", "Default");
        assertThat(confirm).startsWith("Check and confirm").contains("\n• Sound effects: Yes\n");
    }

    /**
     * Kling's video ordered in {@code lang} by {@code prompt}, 5 s, sound {@code yes} (its question's replies looked at
     * by {@code soundAsked}), the rest by {@code byDefault}: the confirmation's text.
     */
    private static String confirmationWithSound(String lang, String prompt,
                                                java.util.function.Consumer<List<Reply>> soundAsked, String yes,
                                                String byDefault) {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()).speaking(lang);
        h.command(U, "start");
        h.press(U, "*|g|kling/video");
        List<Reply> duration = h.send(U, new Event.Text(prompt, Optional.of(100L)));
        List<Reply> sound = h.press(U, button(duration, "5"));
        soundAsked.accept(sound);
        List<Reply> cfg = h.press(U, button(sound, yes));
        return lastText(h.press(U, button(cfg, byDefault)));
    }

    /**
     * A choice's label goes on in lower case after its colon in the confirmation, as «да» does («• Качество:
     * базовое»); a label in Latin («Full HD»), an acronym («ИИ») and a voice's name («Ева ♀») keep their capitals. The
     * summary said «• Качество: Базовое» under «• Звук: да».
     */
    @Test
    void aChoicesLabelGoesOnInLowerCaseInTheConfirmationButNamesKeepTheirCapitals() {
        InputField quality = choice("quality", "basic", "Качество", "Базовое", "Basic");
        InputField size = choice("size", "fhd", "Размер", "Full HD", "Full HD");
        InputField helper = choice("helper", "ai", "Помощник", "ИИ", "AI");
        InputField voice = choice("voice", "eva", "Голос", "Ева ♀", "Eva ♀");
        Model m = new Model("img/labels", "img/labels", Family.JOBS, Category.IMAGE,
                Map.of("ru", "Подписи", "en", "Labels"), Map.of("ru", "рисует", "en", "draws"),
                List.of(InputField.prompt(1000).withLabels(FieldLabels.of("Описание", "Prompt", "что нарисовать",
                        "what to draw")), quality, size, helper, voice),
                List.of(new Sku(Map.of(), new BigDecimal("0.02"), TestCatalog.SRC)), 1);
        ShopHarness h = new ShopHarness(Catalog.of(List.of(m)), ShopSettings.defaults()).speaking("ru");
        h.command(U, "start");
        h.press(U, "*|g|img/labels");
        List<Reply> next = h.send(U, new Event.Text("лиса", Optional.of(100L)));
        for (String label : List.of("Базовое", "Full HD", "ИИ", "Ева ♀")) {
            next = h.press(U, button(next, label));
        }
        String confirm = lastText(next);
        assertThat(confirm).startsWith("Проверьте и подтвердите").contains("\n• Качество: базовое\n",
                "\n• Размер: Full HD\n", "\n• Помощник: ИИ\n", "\n• Голос: Ева ♀\n");
        h.press(U, "*|g|img/labels");
        List<Reply> question = h.send(U, new Event.Text("лиса", Optional.of(100L)));
        assertThat(buttonTexts(question)).as("its button keeps the capital").contains("Базовое");
    }

    private static InputField choice(String name, String value, String label, String ru, String en) {
        return new InputField(name, FieldType.ENUM, true, List.of(value), Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), true)
                .withLabels(FieldLabels.of(label, label, "какой", "which").withValue(value, OptionLabel.of(ru, en)));
    }

    /**
     * A model with an optional resolution and no default among its options (a partner's catalog may have one; the
     * shipped one has none), priced by it: 1K costs less, so it is the one-model shop's free option.
     */
    private static ShopHarness resolutionWithoutADefault() {
        InputField resolution = TestCatalog.labelled(new InputField("resolution", FieldType.ENUM, false,
                List.of("1K", "4K"), Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(),
                OptionalInt.empty(), true));
        Model m = new Model("img/res", "img/res", Family.JOBS, Category.IMAGE,
                Map.of("ru", "Картинка", "en", "Image"), Map.of("ru", "рисует", "en", "draws"),
                List.of(TestCatalog.labelled(InputField.prompt(1000)), resolution),
                List.of(new Sku(Map.of("resolution", "1K"), new BigDecimal("0.02"), TestCatalog.SRC),
                        new Sku(Map.of("resolution", "4K"), new BigDecimal("0.05"), TestCatalog.SRC)), 1);
        ShopHarness h = new ShopHarness(Catalog.of(List.of(m)), ShopSettings.defaults()).speaking("ru");
        h.command(U, "start");
        h.press(U, "*|g|img/res");
        return h;
    }

    /** The «Пропустить» of the screen's version: the data an older screen's button carried. */
    private static String skipOf(List<Reply> question) {
        long version = CallbackData.parse(button(question, "1K")).orElseThrow().version().orElseThrow();
        return CallbackData.current(version, CallbackAction.DEFAULT);
    }

    /**
     * A ✓ is what the user gets by going on: on an optional choice without a default it sits on the option free now,
     * and no «Пропустить» stands beside it (skipping gave an order without a resolution, which has no price: the bot
     * started the order over with «Варианты у этой модели успели измениться»). Taking the ✓ gives the free generation
     * it promised.
     */
    @Test
    void anOptionalPricedChoiceWithoutADefaultTicksItsFreeOptionAndOffersNoSkip() {
        ShopHarness h = resolutionWithoutADefault();
        List<Reply> question = h.send(U, new Event.Text("лиса", Optional.of(100L)));
        assertThat(lastText(question)).endsWith("Выберите вариант (✓ — бесплатный):");
        assertThat(buttonTexts(question)).contains("✓ 1K · бесплатно").noneMatch(b -> b.contains("Пропустить"));
        List<Reply> confirm = h.press(U, button(question, "✓ 1K"));
        assertThat(lastText(confirm)).contains("• Разрешение: 1K", "Цена: бесплатно");
        assertThat(buttonTexts(confirm)).contains("✅ Сгенерировать · бесплатно");
    }

    /**
     * With the free uses spent nothing is ticked and still nothing skips: the order needs a resolution to have a price.
     * A «Пропустить» of an older screen is refused with the answers kept, not taken as an order without a price; the
     * price the confirmation shows is the one held.
     */
    @Test
    void anOptionalPricedChoiceWithoutADefaultIsAnsweredNotSkipped() {
        ShopHarness h = resolutionWithoutADefault();
        for (int i = 0; i < 5; i++) {
            assertThat(h.stores.freeUsage().tryUse(U, LocalDate.of(2026, 11, 21), 5, "earlier-" + i)).isTrue();
        }
        h.topUp(U, 10_000);
        List<Reply> question = h.send(U, new Event.Text("лиса", Optional.of(100L)));
        assertThat(lastText(question)).endsWith("Выберите вариант:");
        assertThat(buttonTexts(question)).noneMatch(b -> b.contains("✓") || b.contains("Пропустить"));

        List<Reply> skipped = h.press(U, skipOf(question));
        assertThat(lastText(skipped)).doesNotContain("Проверьте и подтвердите", "успели измениться");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Collecting.class);

        // refused as a stale button: the question comes again, a new version under it
        assertThat(lastText(skipped)).contains("Выберите вариант:");
        List<Reply> confirm = h.press(U, button(skipped, "4K"));
        String price = buttonTexts(skipped).stream().filter(b -> b.startsWith("4K · ")).findFirst().orElseThrow()
                .substring("4K · ".length());
        assertThat(lastText(confirm)).contains("Цена: " + price);
        h.press(U, button(confirm, "Сгенерировать"));
        assertThat(h.lastJob(U).values()).containsEntry("resolution", "4K");
        assertThat(10_000 - h.balance(U)).isEqualTo(h.lastJob(U).price()).isPositive();
    }
}
