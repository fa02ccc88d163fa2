package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.button;
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
import dev.kiebot.core.payments.ManualPayments;
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
 * A message with a file edited after it was sent ({@link Event.EditedMedia}): a photo swapped in the message that gave
 * the order's photo replaces it (the one paid for is the new one); a caption edited alone edits as before; an edit of a
 * message the order took nothing from says how to change the order's photo. And the edits of captions and
 * descriptions around it: a caption still held for the description, a description emptied at the confirmation; the
 * same photo sent twice.
 */
class EditedMediaTest {
    private static final long U = 42;

    private static Model model(String id, InputField... fields) {
        return new Model(id, id, Family.JOBS, Category.IMAGE, Map.of("ru", "Модель " + id, "en", id),
                Map.of("ru", "правит фото", "en", "edits"), List.of(fields),
                List.of(new Sku(Map.of(), new BigDecimal("0.02"), TestCatalog.SRC)), 1);
    }

    private static InputField photoField() {
        return new InputField("image_url", FieldType.IMAGE, true, List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), true)
                .withLabels(FieldLabels.of("Фото", "Photo", "фото", "a photo"));
    }

    private static Event.Media photo(String id) {
        return new Event.Media(MediaType.PHOTO, id, 1000, Optional.of("image/jpeg"), Optional.empty())
                .withUniqueId("u-" + id);
    }

    /** The photo first, then the description: a photo with its caption is the whole order. No free tier: paid. */
    private static ShopHarness shop() {
        return new ShopHarness(Catalog.of(List.of(
                model("retouch", photoField(), TestCatalog.labelled(InputField.prompt(500))),
                TestCatalog.imageEdit())), ShopSettings.defaults(), ManualPayments.off(),
                b -> b.freeDailyLimit(0)).speaking("ru");
    }

    /** {@link #shop()} where {@link #U} has started, has 10 000 on his balance and has chosen {@code model}. */
    private static ShopHarness choosing(String model) {
        ShopHarness s = shop();
        s.command(U, "start");
        s.topUp(U, 10_000);
        s.press(U, "*|g|" + model);
        return s;
    }

    private static ShopHarness atConfirmation(String photo) {
        ShopHarness s = choosing("retouch");
        List<Reply> confirm = s.send(U, photo(photo).withCaption("убери фон").inMessage(300));
        assertThat(button(confirm, "Сгенерировать")).isNotNull();
        return s;
    }

    /** The order at its confirmation, as {@link #U}'s session holds it. */
    private static ChatState.Confirming confirming(ShopHarness s) {
        return (ChatState.Confirming) s.session(U).state();
    }

    private static String plain(List<Reply> r) {
        return lastText(r).replace('\u00A0', ' ');
    }

    @Test
    void aPhotoSwappedInItsMessageIsTheOnePaidFor() {
        ShopHarness s = atConfirmation("OLD");

        List<Reply> again = s.send(U, new Event.EditedMedia(300, photo("NEW").withCaption("убери фон")));

        assertThat(plain(again)).startsWith("Фото заменено.").contains("убери фон");
        s.press(U, button(again, "Сгенерировать"));
        s.work(10);
        assertThat(s.lastJob(U).files()).isEqualTo(Map.of("image_url", List.of("NEW")));
    }

    /** The files' messages are kept in the stored state, so a swap after a restart (or on another instance) is one. */
    @Test
    void theFilesMessagesSurviveTheStoredState() {
        ShopHarness s = atConfirmation("OLD");
        ChatSession stored = ChatStateCodec.decode(ChatStateCodec.encode(s.session(U))).orElseThrow();
        s.sessions().save(U, stored);

        List<Reply> again = s.send(U, new Event.EditedMedia(300, photo("NEW").withCaption("убери фон")));

        assertThat(plain(again)).startsWith("Фото заменено.");
        assertThat(confirming(s).files()).isEqualTo(Map.of("image_url", List.of("NEW")));
    }

    @Test
    void aPhotoSwappedWithItsCaptionChangesBoth() {
        ShopHarness s = atConfirmation("OLD");

        List<Reply> again = s.send(U, new Event.EditedMedia(300, photo("NEW").withCaption("сделай рыжим")));

        assertThat(plain(again)).startsWith("Фото заменено. Исправленное описание принято.").contains("сделай рыжим");
        ChatState.Confirming c = confirming(s);
        assertThat(c.files()).isEqualTo(Map.of("image_url", List.of("NEW")));
        assertThat(c.values()).containsEntry(InputField.PROMPT, "сделай рыжим");
    }

    @Test
    void aCaptionEditedAloneEditsTheDescriptionAsBefore() {
        ShopHarness s = atConfirmation("OLD");

        List<Reply> again = s.send(U, new Event.EditedMedia(300, photo("OLD").withCaption("сделай рыжим")));

        assertThat(plain(again)).doesNotContain("Фото заменено").contains("сделай рыжим");
        ChatState.Confirming c = confirming(s);
        assertThat(c.files()).isEqualTo(Map.of("image_url", List.of("OLD")));
        assertThat(c.values()).containsEntry(InputField.PROMPT, "сделай рыжим");
    }

    @Test
    void aSwapTheOrderCannotTakeIsRefusedAndTheOldPhotoStays() {
        ShopHarness s = atConfirmation("OLD");
        Event.Media sticker = new Event.Media(MediaType.STICKER, "st", 100, Optional.of("image/webp"),
                Optional.empty()).withUniqueId("u-st");

        List<Reply> r = s.send(U, new Event.EditedMedia(300, sticker));

        assertThat(plain(r)).startsWith("Новое фото не принято — осталось прежнее.");
        assertThat(confirming(s).files()).isEqualTo(Map.of("image_url", List.of("OLD")));
    }

    @Test
    void aSwapInAMessageTheOrderTookNothingFromSaysHowToChangeThePhoto() {
        ShopHarness s = atConfirmation("OLD");

        // the same caption, as an order kept before the files' messages were: not taken for a description edit
        List<Reply> r = s.send(U, new Event.EditedMedia(299, photo("NEW").withCaption("убери фон")));

        assertThat(plain(r)).isEqualTo("Правки уже отправленных сообщений я не учитываю. Чтобы заменить фото, "
                + "нажмите «✏️ Изменить» под сообщением с ценой.");
        assertThat(ShopHarness.buttonTexts(r)).isEmpty();
        assertThat(confirming(s).files()).isEqualTo(Map.of("image_url", List.of("OLD")));
    }

    @Test
    void anOrderKeptWithoutTheFilesMessagesIsNotShownAgainOnASwap() {
        ShopHarness s = atConfirmation("OLD");
        ChatState.Confirming c = confirming(s);
        java.util.Map<String, String> before = new java.util.HashMap<>(c.values());
        before.remove(SentFiles.KEY); // as a build before this one kept it
        s.sessions().save(U, s.session(U).withState(new ChatState.Confirming(c.modelId(), before, c.files())));

        List<Reply> r = s.send(U, new Event.EditedMedia(300, photo("NEW").withCaption("убери фон")));

        assertThat(plain(r)).contains("Чтобы заменить фото, нажмите «✏️ Изменить»");
        assertThat(ShopHarness.buttonTexts(r)).isEmpty();
    }

    @Test
    void aPhotoSwappedWhileThePhotosAreCollectedReplacesIt() {
        ShopHarness s = choosing("edit/pro");
        s.send(U, photo("a").inMessage(400));
        s.send(U, photo("b").inMessage(401));

        List<Reply> r = s.send(U, new Event.EditedMedia(400, photo("c")));

        assertThat(plain(r)).startsWith("Фото заменено.");
        assertThat(((ChatState.Collecting) s.session(U).state()).files())
                .isEqualTo(Map.of("image_urls", List.of("c", "b")));
    }

    @Test
    void theCaptionEditedWhileThePhotosAreCollectedIsTheDescription() {
        ShopHarness s = choosing("edit/pro");
        s.send(U, photo("a").withCaption("лиса").inMessage(400));

        List<Reply> edited = s.send(U, new Event.EditedText(400, "сделай синим"));
        assertThat(plain(edited)).startsWith("Исправленная подпись принята.");
        s.press(U, button(s.send(U, photo("b")), "Готово"));

        assertThat(s.session(U).state()).isInstanceOfSatisfying(ChatState.Collecting.class,
                c -> assertThat(c.values()).containsEntry(InputField.PROMPT, "сделай синим"));
    }

    @Test
    void theSamePhotoTwiceIsOnePhoto() {
        ShopHarness s = choosing("edit/pro");
        s.send(U, new Event.Media(MediaType.PHOTO, "fa", 1000, Optional.of("image/jpeg"), Optional.empty())
                .withUniqueId("U1"));

        List<Reply> r = s.send(U, new Event.Media(MediaType.PHOTO, "fb", 1000, Optional.of("image/jpeg"),
                Optional.empty()).withUniqueId("U1"));

        assertThat(plain(r)).startsWith("Это фото уже добавлено.");
        assertThat(((ChatState.Collecting) s.session(U).state()).files())
                .isEqualTo(Map.of("image_urls", List.of("fa")));
    }

    @Test
    void theDescriptionEmptiedAtTheConfirmationSaysWhereToChangeIt() {
        ShopHarness s = atConfirmation("OLD");

        List<Reply> r = s.send(U, new Event.EditedText(300, ""));

        assertThat(plain(r)).isEqualTo("Пустое описание не принято — осталось прежнее. Изменить описание можно "
                + "кнопкой «✏️ Изменить» под сообщением с ценой.");
        assertThat(confirming(s).values()).containsEntry(InputField.PROMPT, "убери фон");
    }
}
