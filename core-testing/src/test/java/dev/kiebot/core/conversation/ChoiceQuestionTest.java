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
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.math.BigDecimal;
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
     * A yes/no reads «Да» / «Нет» on its buttons and in lower case where a summary line goes on after its label: the
     * confirmation said «• Звук: Да».
     */
    @Test
    void aYesOrNoIsCapitalOnItsButtonAndLowerCaseInTheConfirmation() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()).speaking("ru");
        h.command(U, "start");
        h.press(U, "*|g|kling/video");
        List<Reply> duration = h.send(U, new Event.Text("кот", Optional.of(100L)));
        List<Reply> sound = h.press(U, button(duration, "5"));
        assertThat(buttonTexts(sound)).anyMatch(b -> b.startsWith("Да ·")).anyMatch(b -> b.startsWith("✓ Нет ·"));
        List<Reply> cfg = h.press(U, button(sound, "Да"));
        String confirm = lastText(h.press(U, button(cfg, "По умолчанию")));
        assertThat(confirm).startsWith("Проверьте и подтвердите").contains("\n• Звук: да\n");
    }
}
