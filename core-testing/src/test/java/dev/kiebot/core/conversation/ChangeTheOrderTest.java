package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A typo in the prompt or a wrong option needs no new order: «Изменить» on the confirmation asks one field again and
 * keeps the rest; «Назад» under a question asks the one before it.
 */
class ChangeTheOrderTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 10_000);
    }

    /** img/m9 asks a description, then a frame shape. @return the confirmation of «fox», 16:9 */
    private List<Reply> foxConfirmed() {
        h.press(U, "*|g|img/m9");
        List<Reply> confirm = h.press(U, button(h.text(U, "fox"), "16:9"));
        assertThat(lastText(confirm)).contains("fox", "16:9");
        return confirm;
    }

    @Test
    void oneFieldIsChangedAndTheRestKept() {
        List<Reply> list = h.press(U, button(foxConfirmed(), "Change"));
        assertThat(list).last().isInstanceOf(Reply.EditText.class); // in place of the confirmation
        assertThat(lastText(list)).contains("What would you like to change?");
        assertThat(buttonTexts(list)).containsExactly("Description", "Frame shape", "↩️ Back to my generation");

        List<Reply> asked = h.press(U, button(list, "Description"));
        assertThat(lastText(asked)).contains("Description");
        List<Reply> confirm = h.text(U, "a cat");
        // the frame shape was answered: not asked again
        assertThat(lastText(confirm)).contains("a cat", "16:9").doesNotContain("fox");
        h.press(U, button(confirm, "Generate"));
        assertThat(h.lastJob(U).values()).containsEntry("prompt", "a cat").containsEntry("aspect_ratio", "16:9");
    }

    @Test
    void aPricedOptionChangedIsPricedAgainAndTheListLeadsBackUnchanged() {
        List<Reply> list = h.press(U, button(foxConfirmed(), "Change"));
        List<Reply> back = h.press(U, button(list, "Back to my generation"));
        assertThat(back).last().isInstanceOf(Reply.EditText.class);
        assertThat(lastText(back)).contains("fox", "16:9");

        List<Reply> shape = h.press(U, button(h.press(U, button(back, "Change")), "Frame shape"));
        List<Reply> confirm = h.press(U, button(shape, "1:1"));
        assertThat(lastText(confirm)).contains("fox", "1:1");
    }

    @Test
    void backAsksTheFieldBeforeAgain() {
        List<Reply> first = h.press(U, "*|g|img/m9");
        assertThat(buttonTexts(first)).doesNotContain("◀ Back"); // nothing before the first field
        List<Reply> shape = h.text(U, "fox");
        List<Reply> again = h.press(U, button(shape, "◀ Back"));
        assertThat(lastText(again)).contains("Description");
        List<Reply> shapeAgain = h.text(U, "a cat");
        assertThat(lastText(shapeAgain)).contains("Frame shape");
        assertThat(lastText(h.press(U, button(shapeAgain, "9:16")))).contains("a cat", "9:16");
    }

    /** A field asked again by mistake costs nothing: «Назад» or «Оставить» bring the order back as it was. */
    @Test
    void backOrKeepLeaveTheOrderAsItWas() {
        List<Reply> asked = h.press(U, button(h.press(U, button(foxConfirmed(), "Change")), "Description"));
        assertThat(buttonTexts(asked)).contains("↩️ Keep: fox", "◀ Back");
        List<Reply> back = h.press(U, button(asked, "◀ Back"));
        assertThat(lastText(back)).contains("fox", "16:9");

        List<Reply> again = h.press(U, button(h.press(U, button(back, "Change")), "Description"));
        List<Reply> kept = h.press(U, button(again, "Keep"));
        assertThat(lastText(kept)).contains("fox", "16:9");
        h.press(U, button(kept, "Generate"));
        assertThat(h.lastJob(U).values()).containsEntry("prompt", "fox").doesNotContainKeys("~editing", "~fresh");
    }

    /** Photos changed: the first new photo replaces the ones given, the description stays. */
    @Test
    void changedPhotosReplaceTheOldOnes() {
        h.press(U, "*|g|edit/pro");
        h.send(U, photo("p1"));
        List<Reply> second = h.send(U, photo("p2"));
        h.press(U, button(second, "Done"));
        List<Reply> confirm = h.press(U, button(h.text(U, "make it blue"), "1K"));
        assertThat(spaced(lastText(confirm))).contains("• 2 photos\n", "make it blue");

        List<Reply> photos = h.press(U, button(h.press(U, button(confirm, "Change")), "Photos"));
        assertThat(buttonTexts(photos).stream().map(ChangeTheOrderTest::spaced)).contains("↩️ Keep: 2 photos")
                .doesNotContain("✅ Done");
        List<Reply> one = h.send(U, photo("p3"));
        List<Reply> changed = h.press(U, button(one, "Done"));
        assertThat(spaced(lastText(changed))).contains("• 1 photo\n", "make it blue");
        h.press(U, button(changed, "Generate"));
        assertThat(h.lastJob(U).files()).containsEntry("image_urls", List.of("p3"));
    }

    /** «Назад» from a field of photos half given: they go, or the field would count as answered and be passed over. */
    @Test
    void backFromHalfGivenPhotosAsksThemAgainLater() {
        Model promptThenPhotos = new Model("edit/late", "edit/late", Family.JOBS, Category.IMAGE,
                Map.of("ru", "Поздний", "en", "Late"), Map.of("ru", "правит", "en", "edits"),
                List.of(TestCatalog.labelled(InputField.prompt(500)),
                        TestCatalog.labelled(InputField.images("image_urls", true, 3))),
                List.of(new Sku(Map.of(), new BigDecimal("0.02"), TestCatalog.SRC)), 1);
        ShopHarness late = new ShopHarness(Catalog.of(List.of(promptThenPhotos)), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()));
        late.command(U, "start");
        late.topUp(U, 10_000);
        late.press(U, "*|g|edit/late");
        late.text(U, "fox");
        List<Reply> half = late.send(U, photo("p1"));
        List<Reply> prompt = late.press(U, button(half, "◀ Back"));
        assertThat(buttonTexts(prompt)).contains("↩️ Keep: fox");
        List<Reply> photos = late.press(U, button(prompt, "Keep"));
        assertThat(lastText(photos)).contains("Photos");
        assertThat(buttonTexts(photos)).doesNotContain("✅ Done");
    }

    /** Numbers and their words are joined by no-break spaces: read as plain ones. */
    private static String spaced(String text) {
        return text.replace('\u00A0', ' ');
    }

    private static Event.Media photo(String fileId) {
        return new Event.Media(MediaType.PHOTO, fileId, 50_000, Optional.empty(), Optional.empty());
    }

    /**
     * «Назад» and «Оставить» forged under a new order's first question, which shows neither, change nothing: a pop-up
     * says the button is outdated and the question comes again, the order kept.
     */
    @Test
    void backAndKeepWhereThereIsNothingToGoBackToOrKeepAreStale() {
        h.press(U, "*|g|img/m9");
        long version = h.session(U).version();
        for (CallbackAction forged : List.of(CallbackAction.PREVIOUS_FIELD, CallbackAction.KEEP)) {
            List<Reply> r = h.press(U, CallbackData.current(version, forged));
            assertThat(r).anySatisfy(a -> assertThat(a).isInstanceOfSatisfying(Reply.AnswerCallback.class,
                    p -> assertThat(p.text()).hasValueSatisfying(t -> assertThat(t).contains("outdated"))));
            assertThat(lastText(r)).contains("Description").doesNotContain("outdated");
        }
        assertThat(h.session(U).state()).isEqualTo(new ChatState.Collecting("img/m9", 0, Map.of(), Map.of()));
    }

    /** The list's buttons belong to that confirmation: once the order is placed they are stale. */
    @Test
    void theListIsStaleOnceTheOrderIsPlaced() {
        List<Reply> confirm = foxConfirmed();
        List<Reply> list = h.press(U, button(confirm, "Change"));
        h.press(U, button(h.press(U, button(list, "Back to my generation")), "Generate"));
        assertThat(lastText(h.press(U, button(list, "Description")))).contains("outdated");
    }
}
