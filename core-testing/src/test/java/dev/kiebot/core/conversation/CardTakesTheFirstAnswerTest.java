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
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A text or a photo sent while a model's card is shown begins that model's order, as if «▶️ Start» had been pressed
 * and the first question answered with it: it was answered «use the menu» and lost.
 */
class CardTakesTheFirstAnswerTest {
    private static final long U = 42;
    private static final String BACK = "↩️ Back to my generation";
    private ShopHarness h;

    /**
     * The test catalog, and two models asking an option first: one asking a description after it, one asking none.
     */
    private static Catalog catalog() {
        List<Model> models = new ArrayList<>(TestCatalog.catalog().models());
        InputField shape = TestCatalog.labelled(InputField.choice("aspect_ratio", true, List.of("1:1", "16:9"), "1:1"));
        models.add(new Model("shape/first", "shape/first", Family.JOBS, Category.IMAGE,
                Map.of("ru", "Сначала формат", "en", "Shape first"), Map.of("ru", "рисует", "en", "draws"),
                List.of(shape, TestCatalog.labelled(InputField.prompt(1000))),
                List.of(new Sku(Map.of(), new BigDecimal("0.02"), TestCatalog.SRC)), 40));
        models.add(new Model("shape/only", "shape/only", Family.JOBS, Category.IMAGE,
                Map.of("ru", "Только формат", "en", "Shape only"), Map.of("ru", "рисует", "en", "draws"),
                List.of(shape), List.of(new Sku(Map.of(), new BigDecimal("0.02"), TestCatalog.SRC)), 41));
        return Catalog.of(models);
    }

    @BeforeEach
    void setUp() {
        h = new ShopHarness(catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN)))
                .startedByAdminAnd(U);
        h.topUp(U, 10_000);
    }

    private static Event.Media photo(String id, Optional<String> caption) {
        Event.Media m = new Event.Media(MediaType.PHOTO, id, 100, Optional.empty(), Optional.empty());
        return caption.map(m::withCaption).orElse(m);
    }

    private ChatState.Collecting collecting() {
        return (ChatState.Collecting) h.session(U).state();
    }

    @Test
    void aTextOnTheCardOfADescriptionFirstModelIsItsDescription() {
        h.press(U, "*|v|img/m9");
        List<Reply> shape = h.text(U, "a fox in the snow");
        assertThat(lastText(shape)).contains("Frame shape");
        List<Reply> confirm = h.press(U, button(shape, "16:9"));
        assertThat(lastText(confirm)).contains("a fox in the snow", "16:9");
        h.press(U, button(confirm, "Generate"));
        assertThat(h.lastJob(U).values()).containsEntry("prompt", "a fox in the snow");
    }

    /** A number alone on the card is no job asked about («gen_1984 not found»): the description it is. */
    @Test
    void aNumberOnTheCardIsTheDescriptionNotAJob() {
        h.press(U, "*|v|img/m9");
        assertThat(lastText(h.text(U, "1984"))).contains("Frame shape");
        assertThat(collecting().values()).containsEntry("prompt", "1984");
    }

    @Test
    void aPhotoOnTheCardOfAPhotoFirstModelIsItsPhoto() {
        h.press(U, "*|v|edit/pro");
        List<Reply> got = h.send(U, photo("cat-photo", Optional.empty()));
        assertThat(lastText(got)).contains("Got 1");
        assertThat(collecting().files()).containsEntry("image_urls", List.of("cat-photo"));
        assertThat(lastText(h.press(U, button(got, "Done")))).contains("Description");
    }

    /** A text where the photo comes first is its description given first, as at the photo's question. */
    @Test
    void aTextOnTheCardOfAPhotoFirstModelIsItsDescriptionAndThePhotoIsAsked() {
        h.press(U, "*|v|edit/pro");
        assertThat(lastText(h.text(U, "make it snowy"))).contains("Description taken — now send the photo");
        assertThat(collecting().field()).isZero();
        assertThat(collecting().values()).containsEntry("prompt", "make it snowy");
    }

    /** A photo with its caption where the description comes first: both taken, as at the description's question. */
    @Test
    void aCaptionedPhotoOnTheCardOfADescriptionFirstModelGivesTheDescription() {
        h.press(U, "*|v|img/m9");
        assertThat(lastText(h.send(U, photo("p", Optional.of("an owl"))))).contains("Frame shape");
        assertThat(collecting().values()).containsEntry("prompt", "an owl");
    }

    /** An option asked first: the text is kept as the description asked after it, and the option is asked. */
    @Test
    void aTextOnTheCardOfAnOptionFirstModelIsKeptAsTheDescription() {
        h.press(U, "*|v|shape/first");
        List<Reply> shape = h.text(U, "a castle");
        assertThat(lastText(shape)).contains("Description taken — now answer the question below", "Frame shape");
        List<Reply> confirm = h.press(U, button(shape, "16:9"));
        assertThat(lastText(confirm)).contains("a castle", "16:9");
    }

    /** The option's own name typed answers it. */
    @Test
    void anOptionTypedOnTheCardAnswersTheFirstQuestion() {
        h.press(U, "*|v|shape/first");
        assertThat(lastText(h.text(U, "16:9"))).contains("Description");
        assertThat(collecting().values()).containsEntry("aspect_ratio", "16:9");
    }

    /** No description to keep it as: the question says what to press. */
    @Test
    void aTextOnTheCardOfAModelWithNoDescriptionSaysWhatToPress() {
        h.press(U, "*|v|shape/only");
        List<Reply> shape = h.text(U, "a castle");
        assertThat(lastText(shape)).contains("is not one of the options", "Frame shape");
        assertThat(buttonTexts(shape)).contains("16:9");
    }

    /** On another model's card with an order kept, the text begins the new order and the kept one goes, said so. */
    @Test
    void aTextOnAnotherModelsCardReplacesTheOrderKept() {
        h.press(U, "*|g|img/m9");
        h.text(U, "fox");
        h.press(U, "*|v|img/m3");
        List<Reply> started = h.text(U, "owl");
        assertThat(started.stream().filter(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text()))
                .anyMatch(t -> t.contains("Your unfinished generation with “Image img/m9” is cancelled"));
        assertThat(lastText(started)).contains("Frame shape");
        assertThat(collecting().modelId()).isEqualTo("img/m3");
        assertThat(buttonTexts(h.command(U, "balance"))).startsWith(BACK);
        assertThat(h.session(U).waitingOrder().orElseThrow().modelId()).isEqualTo("img/m3");
    }

    /**
     * On the card of the model whose order is kept a text goes on with that order, as «↩️ Back to my generation» would, and
     * answers its question: it began a new order and the kept one went with its photo, though the card says only
     * «▶️ Start» starts anew.
     */
    @Test
    void aTextOnTheKeptOrdersCardGoesOnWithIt() {
        h.press(U, "*|g|edit/pro");
        List<Reply> got = h.send(U, photo("cat-photo", Optional.empty()));
        assertThat(lastText(h.press(U, button(got, "Done")))).contains("Description");
        h.command(U, "balance");
        assertThat(lastText(h.press(U, "*|v|edit/pro"))).contains("carries on where you left off");
        List<Reply> went = h.text(U, "make it snowy");
        assertThat(went.stream().filter(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text()))
                .noneMatch(t -> t.contains("is dropped"));
        ChatState.Confirming order = KeptOrder.of(h.session(U).state()).orElseThrow();
        assertThat(order.modelId()).isEqualTo("edit/pro");
        assertThat(order.files()).containsEntry("image_urls", List.of("cat-photo"));
        assertThat(order.values()).containsEntry("prompt", "make it snowy");
        assertThat(h.session(U).waitingOrder()).isEmpty();
    }

    /** A photo on the card of the kept order's model goes on with that order too: its description kept, the photo added. */
    @Test
    void aPhotoOnTheKeptOrdersCardGoesOnWithIt() {
        h.press(U, "*|g|edit/pro");
        h.send(U, photo("cat-photo", Optional.empty()));
        h.command(U, "balance");
        h.press(U, "*|v|edit/pro");
        List<Reply> went = h.send(U, photo("dog-photo", Optional.empty()));
        assertThat(went.stream().filter(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text()))
                .noneMatch(t -> t.contains("is dropped"));
        assertThat(h.session(U).state()).isInstanceOfSatisfying(ChatState.Collecting.class,
                c -> assertThat(c.files().get("image_urls")).containsExactly("cat-photo", "dog-photo"));
        assertThat(h.session(U).waitingOrder()).isEmpty();
    }

    /** An order kept at its confirmation comes back confirmed, with the hint a text gets there; nothing dropped. */
    @Test
    void aTextOnTheCardOfAnOrderKeptAtItsConfirmationBringsTheConfirmationBack() {
        h.press(U, "*|g|img/m9");
        h.press(U, button(h.text(U, "a fox in the snow"), "16:9"));
        h.command(U, "balance");
        h.press(U, "*|v|img/m9");
        List<Reply> back = h.text(U, "an owl");
        assertThat(back.stream().filter(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text()))
                .anyMatch(t -> t.contains("a fox in the snow")).noneMatch(t -> t.contains("is dropped"));
        assertThat(h.session(U).state()).isInstanceOfSatisfying(ChatState.Confirming.class,
                c -> assertThat(c.values()).containsEntry("prompt", "a fox in the snow"));
    }

    /** A paused model's card takes no order: the text is answered as before, nothing begun. */
    @Test
    void aPausedModelsCardTakesNoOrder() {
        h.admin("pause", "img/m9");
        h.press(U, "*|v|img/m9");
        assertThat(lastText(h.text(U, "fox"))).contains("first pick a category and a model below");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Menu.class);
    }
}
