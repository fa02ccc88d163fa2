package dev.kiebot.core.conversation;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Russian user doing odd things mid-order: what the bot answers, and that the order survives. */
class OddInputsTest {
    private static final long U = 42;
    private static final String FAMILY = "👨‍👩‍👧"; // one character to the eye, five code points
    private static final String FLAG = "🇷🇺"; // one to the eye, two code points
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().speaking("ru");
        h.command(U, "start");
    }

    private static String plain(List<Reply> r) {
        return lastText(r).replace('\u00A0', ' ');
    }

    private static Event.Media media(MediaType type, String mime) {
        return new Event.Media(type, "f-" + type, 10_000, Optional.of(mime), Optional.empty());
    }

    /**
     * What the menu (a category's list, the chat with a job running) does not take was answered «Такие сообщения я
     * здесь не принимаю» whatever it was (a review's finding): a photo or a file is told the way to the model that asks
     * for one, a voice message that it is not heard, a forwarded command or another bot's that it is not run here (the
     * screen left as it was), an edit as an edit. A sticker is still «не принимаю».
     */
    @Test
    void whatTheMenuDoesNotTakeIsAnsweredByItsKind() {
        String file = "Фото и файлы я принимаю только для модели, которой они нужны: выберите раздел и модель ниже";
        assertThat(plain(h.send(U, media(MediaType.PHOTO, "image/jpeg")))).startsWith(file);
        assertThat(plain(h.send(U, media(MediaType.DOCUMENT, "application/zip")))).startsWith(file);
        h.press(U, "*|c|IMAGE");
        List<Reply> video = h.send(U, media(MediaType.VIDEO, "video/mp4"));
        assertThat(plain(video)).startsWith(file);
        assertThat(ShopHarness.buttonTexts(video)).as("the menu").contains("🖼 Картинки");
        assertThat(plain(h.send(U, media(MediaType.VOICE, "audio/ogg"))))
                .startsWith("Голосовые сообщения я не расшифровываю: всё, что нужно модели, я спрошу текстом.\nЧтобы "
                        + "что-то");
        assertThat(plain(h.send(U, media(MediaType.STICKER, "image/webp"))))
                .startsWith("Такие сообщения я здесь не принимаю.");

        h.press(U, "*|g|img/m9");
        List<Reply> forwarded = h.send(U, new Event.Unknown("forwarded_command"));
        assertThat(plain(forwarded)).isEqualTo("Пересланные команды я не выполняю — наберите команду сами. "
                + "Все команды — в /help.");
        assertThat(ShopHarness.buttonTexts(forwarded)).isEmpty();
        assertThat(plain(h.send(U, new Event.Unknown("foreign_command"))))
                .isEqualTo("Эта команда для другого бота. Мои команды — в /help.");
        assertThat(plain(h.send(U, new Event.Unknown("edited_text")))).startsWith("Правки уже отправленных");
        assertThat(h.session(U).state()).as("the question still asked")
                .isInstanceOfSatisfying(ChatState.Collecting.class, c -> assertThat(c.field()).isZero());
    }

    /**
     * An album of four photos at the menu got four answers, each with the menu (a review's finding): its first file
     * is answered, as an album of receipts or of an order's photos is, and the rest let go; the next album is answered.
     */
    @Test
    void anAlbumAtTheMenuIsAnsweredOnce() {
        List<Reply> all = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.addAll(h.send(U, new Event.Media(MediaType.PHOTO, "q" + i, 1000, Optional.of("image/jpeg"),
                    Optional.empty()).inAlbum("B")));
        }
        assertThat(all).singleElement().satisfies(r -> assertThat(lastText(List.of(r)))
                .startsWith("Фото и файлы я принимаю только для модели"));
        assertThat(h.send(U, new Event.Media(MediaType.PHOTO, "c0", 1000, Optional.of("image/jpeg"),
                Optional.empty()).inAlbum("C"))).hasSize(1);
    }

    /**
     * «/старт» or «/start-now» is meant as a command, yet no adapter makes one of it: it became the text-to-speech
     * model's text, and its price was asked to be confirmed, or a ticket, or «use the menu» (a review's finding). It is
     * answered as an unknown command is, in every state; the order asked for stays for «↩️ Вернуться к генерации».
     */
    @Test
    void aTextThatLooksLikeACommandButIsNoneIsAnsweredAsAnUnknownCommandInEveryState() {
        String unknown = "Такой команды я не знаю. Что я умею — в /help.";
        assertThat(plain(h.text(U, "/старт"))).startsWith(unknown);
        h.topUp(U, 100_000);
        h.press(U, "*|g|tts/turbo");
        // where a text is asked (here the words a voice model speaks), the question stands: sent again without «/»
        assertThat(plain(h.text(U, "/старт"))).startsWith("Такой команды я не знаю. Если это не команда, а текст, "
                + "пришлите его ещё раз без «/» в начале.");
        assertThat(h.session(U).state()).as("the voice model's question stands")
                .isInstanceOf(ChatState.Collecting.class);
        h.text(U, "старт");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Confirming.class);
        List<Reply> r = h.text(U, "/старт");
        assertThat(plain(r)).startsWith(unknown);
        assertThat(ShopHarness.buttonTexts(r)).contains("↩️ Вернуться к генерации");
        assertThat(h.session(U).state()).isNotInstanceOf(ChatState.Confirming.class);
        assertThat(h.session(U).waitingOrder()).isPresent();
        h.command(U, "paysupport");
        assertThat(plain(h.text(U, "/Проблема: оплатил, а баланс тот же"))).startsWith("Такой команды я не знаю. Если "
                + "это не команда, а текст, пришлите его ещё раз без «/» в начале.");
        assertThat(h.stores.supportTickets().recent(U, 10)).as("no ticket of it").isEmpty();
        assertThat(h.session(U).state()).as("the ticket's question stands").isInstanceOf(ChatState.WritingTicket.class);
        h.text(U, "Проблема: оплатил, а баланс тот же");
        assertThat(h.stores.supportTickets().recent(U, 10)).as("sent again without the slash").hasSize(1);
        // a text with a slash further on, or a slash and no letter, is a text as before
        h.press(U, "*|g|tts/turbo");
        assertThat(plain(h.text(U, "привет / пока"))).doesNotContain(unknown);
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Confirming.class);
    }

    /**
     * A prompt's length is told as the user counts it: a family emoji or a flag is one character, not five or two. A
     * text short enough to the eye but over the model's limit in its own count is still refused, and says why.
     */
    @Test
    void aPromptIsMeasuredInCharactersAsSeenAndTheModelsLimitStillHolds() {
        h.press(U, "*|g|img/m9");
        assertThat(plain(h.text(U, "а".repeat(1000) + FLAG)))
                .startsWith("Текст слишком длинный: 1001 символ, а можно не больше 1000.");
        assertThat(plain(h.text(U, "а".repeat(999) + FAMILY)))
                .startsWith("Для этой модели текст слишком длинный: эмодзи, флаги и некоторые значки она считает за "
                        + "несколько символов. По её счёту в тексте 1004 символа (на глаз — 1000), а можно "
                        + "не больше 1000.");
        ChatState.Collecting c = (ChatState.Collecting) h.session(U).state();
        assertThat(c.field()).isZero();
        assertThat(plain(h.text(U, "а".repeat(995) + FAMILY))).contains("Формат кадра");
        assertThat(((ChatState.Collecting) h.session(U).state()).values()).containsEntry("prompt",
                "а".repeat(995) + FAMILY);
    }

    /**
     * A description of characters that show nothing (the Hangul filler «ㅤ», a zero-width space, the braille blank, a
     * soft hyphen, a byte order mark) passed {@code strip()} and became a paid job on an empty prompt. It is answered
     * as an empty message now, the description still asked; so is a photo's caption of them, which is no description.
     */
    @Test
    void aDescriptionOfInvisibleCharactersIsAnEmptyOne() {
        h.press(U, "*|g|img/m9");
        for (String blank : List.of("\u3164", "\u200B\u200B", " \u2800 ", "\u00AD", "\uFEFF", "\u3164\u200D\uFE0F",
                "\u115F\u1160\uFFA0", "\u2060\u202F")) {
            assertThat(plain(h.text(U, blank))).as(blank.codePoints().mapToObj(Integer::toHexString).toList().toString())
                    .startsWith("Сообщение пустое — отправьте текст.");
            assertThat(((ChatState.Collecting) h.session(U).state()).field()).isZero();
        }
        assertThat(((ChatState.Collecting) h.session(U).state()).values()).doesNotContainKey("prompt");
        assertThat(plain(h.text(U, "\u3164лиса"))).contains("Формат кадра");

        ShopHarness shop = describedShop();
        shop.command(U, "start");
        shop.press(U, "*|g|described");
        assertThat(plain(shop.send(U, photo("p1").withCaption("\u3164")))).startsWith("Сначала опишите словами");
        assertThat(((ChatState.Collecting) shop.session(U).state()).values()).doesNotContainKey("prompt");
    }

    private static InputField photo(String name, String ru) {
        return new InputField(name, FieldType.IMAGE, true, List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), true)
                .withLabels(FieldLabels.of(ru, name, "фото", "a photo"));
    }

    private static Model model(String id, InputField... fields) {
        return new Model(id, id, Family.JOBS, Category.IMAGE, Map.of("ru", "Модель " + id, "en", id),
                Map.of("ru", "правит фото", "en", "edits"), List.of(fields),
                List.of(new Sku(Map.of(), new BigDecimal("0.02"), TestCatalog.SRC)), 1);
    }

    /** As ideogram/character-remix: one photo to change, then up to three references, then the prompt; and one photo alone. */
    private static ShopHarness photoShop() {
        InputField references = InputField.images("reference_image_urls", true, 3)
                .withLabels(FieldLabels.of("Образцы", "References", "на кого похоже", "who it looks like"));
        return new ShopHarness(Catalog.of(List.of(
                model("remix", photo("image_url", "Фото для правки"), references, TestCatalog.labelled(InputField.prompt(500))),
                model("cutout", photo("image", "Фото")),
                model("retouch", photo("image_url", "Фото"), TestCatalog.labelled(InputField.prompt(500))),
                model("blend", InputField.images("image_urls", true, 3)
                        .withLabels(FieldLabels.of("Фото", "Photos", "фото", "photos")),
                        TestCatalog.labelled(InputField.prompt(500))))), ShopSettings.defaults()).speaking("ru");
    }

    private static Event.Media photo(String id) {
        return new Event.Media(MediaType.PHOTO, id, 1000, Optional.of("image/jpeg"), Optional.empty());
    }

    /**
     * An album of three photos where one is asked: the first is taken, and the other two are said to be left out, not
     * taken as the answers to the next question (the references) — which stays asked for photos sent after.
     */
    @Test
    void anAlbumIntoAFieldOfOnePhotoFillsNoQuestionAfterIt() {
        ShopHarness shop = photoShop();
        shop.command(U, "start");
        shop.press(U, "*|g|remix");
        assertThat(lastText(shop.send(U, photo("a1").inAlbum("g1").withCaption("сделай рыжим")))).contains("Образцы");
        assertThat(plain(shop.send(U, photo("a2").inAlbum("g1"))))
                .startsWith("Остальные фото из альбома не добавлены: модель принимает только одно фото.")
                .contains("Образцы");
        // one answer per album: the question again under each of its files was the same twice
        assertThat(shop.send(U, photo("a3").inAlbum("g1"))).isEmpty();
        ChatState.Collecting c = (ChatState.Collecting) shop.session(U).state();
        assertThat(c.files()).containsOnly(Map.entry("image_url", List.of("a1")));
        // the references asked next take the photos sent for them, an album of their own too
        shop.send(U, photo("r1").inAlbum("g2"));
        shop.send(U, photo("r2").inAlbum("g2"));
        c = (ChatState.Collecting) shop.session(U).state();
        assertThat(c.files()).containsEntry("reference_image_urls", List.of("r1", "r2"));
    }

    /**
     * An album whose caption is on its second photo (Telegram puts it on whichever the user captioned), for a model
     * taking one photo and then the description: the caption is the description, as on the first photo, the second
     * photo is said to be left out once, and the order is confirmed. Before, the second photo was refused with its
     * caption, and the description he had written was asked again. Where a question comes before the description
     * (the references), the caption is kept for it.
     */
    @Test
    void anAlbumsCaptionOnItsSecondPhotoIsTheDescription() {
        ShopHarness shop = photoShop();
        shop.command(U, "start");
        shop.topUp(U, 10_000);
        shop.press(U, "*|g|retouch");
        assertThat(plain(shop.send(U, photo("a1").inAlbum("g1").inMessage(501)))).contains("Описание");
        List<Reply> second = shop.send(U, photo("a2").inAlbum("g1").withCaption(" сделай рыжим ").inMessage(502));
        List<String> said = second.stream().filter(Reply.SendText.class::isInstance)
                .map(r -> ((Reply.SendText) r).text().replace('\u00A0', ' ')).toList();
        assertThat(said).hasSize(2);
        assertThat(said.get(0)).startsWith("Остальные фото из альбома не добавлены: модель принимает только одно фото.");
        assertThat(said.get(1)).startsWith("Проверьте и подтвердите").contains("сделай рыжим");
        assertThat(shop.send(U, photo("a3").inAlbum("g1"))).as("the album's third photo: told already").isEmpty();
        shop.press(U, ShopHarness.button(second, "Сгенерировать"));
        assertThat(shop.lastJob(U).values()).containsEntry("prompt", "сделай рыжим");
        assertThat(shop.lastJob(U).files()).containsOnly(Map.entry("image_url", List.of("a1")));

        shop.press(U, "*|g|remix");
        shop.send(U, photo("b1").inAlbum("g2"));
        assertThat(plain(shop.send(U, photo("b2").inAlbum("g2").withCaption("сделай рыжим"))))
                .startsWith("Подпись стала описанием — отдельно его спрашивать не буду.").contains("Образцы");
        assertThat(((ChatState.Collecting) shop.session(U).state()).values()).containsEntry("prompt", "сделай рыжим");
    }

    /**
     * A photo with its caption where a question comes between it and the description (ideogram's character remix: the
     * photo, the references, the description): the caption was let go without a word, and the description asked later
     * as if none was given. It is the description now, one short line saying so above the references' question; the
     * description's question is passed over, and an edit of the caption changes it. A caption too long for it is not
     * taken, the user told so, and the description is asked in its turn.
     */
    @Test
    void aCaptionOfThePhotoAskedBeforeAnotherQuestionIsTheDescription() {
        ShopHarness shop = photoShop();
        shop.command(U, "start");
        shop.topUp(U, 10_000);
        shop.press(U, "*|g|remix");
        assertThat(plain(shop.send(U, photo("a1").withCaption(" сделай рыжим ").inMessage(500))))
                .startsWith("Подпись стала описанием — отдельно его спрашивать не буду.\n\n📷 Образцы");
        assertThat(((ChatState.Collecting) shop.session(U).state()).values()).containsEntry("prompt", "сделай рыжим");
        List<Reply> got = shop.send(U, photo("r1"));
        List<Reply> confirm = shop.press(U, ShopHarness.button(got, "Готово"));
        assertThat(lastText(confirm)).startsWith("Проверьте и подтвердите").contains("сделай рыжим");
        List<Reply> again = shop.send(U, new Event.EditedText(500, "сделай синим"));
        shop.press(U, ShopHarness.button(again, "Сгенерировать"));
        assertThat(shop.lastJob(U).values()).containsEntry("prompt", "сделай синим");

        shop.press(U, "*|g|remix");
        assertThat(plain(shop.send(U, photo("b1").withCaption("а".repeat(501)))))
                .startsWith("Подпись слишком длинная для описания: можно не больше 500 символов. Описание спрошу "
                        + "отдельно.\n\n📷 Образцы");
        assertThat(((ChatState.Collecting) shop.session(U).state()).values()).doesNotContainKey("prompt");
        got = shop.send(U, photo("r2"));
        assertThat(lastText(shop.press(U, ShopHarness.button(got, "Готово")))).contains("Описание");
    }

    /**
     * A photo where the question asked already has all the photos it takes (an order kept from before the model took
     * fewer): «Файлов уже достаточно: можно не больше 3» said «файлов» of photos. It says the field's word, the count
     * in the Russian form, and «Готово» only where that button is.
     */
    @Test
    void aPhotoPastTheLimitIsToldOfInTheFieldsWords() {
        ShopHarness shop = photoShop();
        shop.command(U, "start");
        shop.sessions().save(U, new ChatSession(9, new ChatState.Collecting("remix", 1, Map.of(),
                Map.of("image_url", List.of("a1"), "reference_image_urls", List.of("r1", "r2", "r3")))));
        assertThat(plain(shop.send(U, photo("r4"))))
                .startsWith("Фото уже достаточно: модель принимает не больше 3 фото. Нажмите «Готово».");
        shop.sessions().save(U, new ChatSession(9, new ChatState.Collecting("remix", 0, Map.of(),
                Map.of("image_url", List.of("a1")))));
        assertThat(plain(shop.send(U, photo("a2"))))
                .startsWith("Фото уже достаточно: модель принимает только одно фото.\n\n");
    }

    /**
     * The description typed where the photo is asked first (as some 35 models ask): it was thrown away with «Здесь
     * нужен файл, а не текст.». It is the description now, checked as one typed at its own question, and the photo is
     * asked again under the news; the description's own question is passed over, and the edit of that message changes
     * it. A model with no description says what it wants, «фото», not «файл».
     */
    @Test
    void aDescriptionTypedWhereThePhotoIsAskedIsKeptForTheDescription() {
        ShopHarness shop = photoShop();
        shop.command(U, "start");
        shop.topUp(U, 10_000);
        shop.press(U, "*|g|remix");
        assertThat(plain(shop.send(U, new Event.Text("\u3164")))).startsWith("Сообщение пустое — отправьте текст.");
        assertThat(plain(shop.send(U, new Event.Text("а".repeat(501)))))
                .startsWith("Текст слишком длинный: 501 символ, а можно не больше 500.");
        assertThat(((ChatState.Collecting) shop.session(U).state()).values()).doesNotContainKey("prompt");
        assertThat(plain(shop.send(U, new Event.Text("  сделай рыжим ", Optional.of(100L)))))
                .startsWith("Описание принято — теперь пришлите фото.").contains("Фото для правки");
        ChatState.Collecting c = (ChatState.Collecting) shop.session(U).state();
        assertThat(c.field()).isZero();
        assertThat(c.values()).containsEntry("prompt", "сделай рыжим");
        // given once: more text where the photo is asked is no second description
        assertThat(plain(shop.send(U, new Event.Text("и в шляпе"))))
                .startsWith("Нужно фото: пришлите снимок или картинку.");
        assertThat(lastText(shop.send(U, photo("a1")))).contains("Образцы");
        shop.send(U, new Event.EditedText(100, "сделай синим"));
        shop.send(U, photo("r1"));
        List<Reply> confirm = shop.press(U, ShopHarness.button(shop.send(U, photo("r2")), "Готово"));
        assertThat(lastText(confirm)).startsWith("Проверьте и подтвердите").contains("сделай синим");
        shop.press(U, ShopHarness.button(confirm, "Сгенерировать"));
        assertThat(shop.lastJob(U).values()).containsOnly(Map.entry("prompt", "сделай синим"));

        shop.press(U, "*|g|cutout");
        assertThat(plain(shop.send(U, new Event.Text("сделай рыжим"))))
                .startsWith("Нужно фото: пришлите снимок или картинку.");
        assertThat(((ChatState.Collecting) shop.session(U).state()).values()).isEmpty();
    }

    /**
     * An album of three for a model taking one photo: the first makes the order, which waits for «Сгенерировать»; the
     * other two were answered «Такие сообщения я здесь не принимаю» over the menu, and the order was gone with its
     * buttons. They are said to be left out now, with how to change the photo, and the order stands.
     */
    @Test
    void theRestOfAnAlbumAtTheConfirmationLeavesTheOrderStanding() {
        ShopHarness shop = photoShop();
        shop.command(U, "start");
        shop.topUp(U, 10_000);
        shop.press(U, "*|g|cutout");
        List<Reply> confirm = shop.send(U, photo("a1").inAlbum("g1"));
        assertThat(lastText(confirm)).startsWith("Проверьте и подтвердите");
        assertThat(plain(shop.send(U, photo("a2").inAlbum("g1")))).isEqualTo(
                "Остальные фото из альбома не добавлены: модель принимает только одно фото. Чтобы заменить фото, "
                        + "нажмите «✏️ Изменить» под сообщением с ценой.");
        // one answer per album of ten, not nine: the chat's state knows it was given
        for (int i = 3; i <= 10; i++) {
            assertThat(shop.send(U, photo("a" + i).inAlbum("g1"))).as("a" + i).isEmpty();
        }
        // a photo of its own after it is answered as one
        assertThat(plain(shop.send(U, photo("b1")))).startsWith("Это фото не добавлено: модель принимает только одно "
                + "фото. Чтобы заменить фото");
        assertThat(shop.session(U).state()).isInstanceOf(ChatState.Confirming.class);
        shop.press(U, ShopHarness.button(confirm, "Сгенерировать"));
        assertThat(shop.lastJob(U).files()).containsOnly(Map.entry("image", List.of("a1")));
        assertThat(shop.lastJob(U).values()).isEmpty();
    }

    /**
     * A location (or a poll, a contact) sent while the order waits for «Сгенерировать» put the menu in its place: the
     * order was gone and its button stale. The order stands now, and the user is pointed to its buttons.
     */
    @Test
    void aLocationAtTheConfirmationLeavesTheOrderStanding() {
        h.topUp(U, 10_000);
        List<Reply> confirm = h.foxImageToConfirm(U);
        // the confirmation's buttons named: «Выберите вариант кнопкой.» came with none (a review's finding)
        assertThat(lastText(h.send(U, new Event.Unknown("location")))).isEqualTo("Всё готово: чтобы что-то "
                + "поменять, нажмите «✏️ Изменить» под сообщением с ценой, а чтобы запустить — «Сгенерировать».");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Confirming.class);
        h.press(U, ShopHarness.button(confirm, "Сгенерировать"));
        assertThat(h.lastJob(U).values()).containsEntry("prompt", "fox");
    }

    /** As nano-banana-2 with one photo: the description first, then the photo. */
    private static ShopHarness describedShop() {
        return new ShopHarness(Catalog.of(List.of(
                model("described", TestCatalog.labelled(InputField.prompt(500)), photo("image_url", "Фото")),
                model("album", TestCatalog.labelled(InputField.prompt(500)), InputField.images("image_urls", true, 3)
                        .withLabels(FieldLabels.of("Фото", "Photos", "фото", "photos"))))),
                ShopSettings.defaults()).speaking("ru");
    }

    /**
     * A photo with its caption where the description is asked: the caption was dropped with «Здесь нужен текст, а не
     * файл.», the photo too. The caption is the description now, and the photo the answer to the photo asked next.
     */
    @Test
    void aPhotoWithItsCaptionWhereThePromptIsAskedAnswersBoth() {
        ShopHarness shop = describedShop();
        shop.command(U, "start");
        shop.topUp(U, 10_000);
        shop.press(U, "*|g|described");
        assertThat(lastText(shop.send(U, photo("p1").withCaption("  сделай рыжим ")))).startsWith("Проверьте и подтвердите");
        ChatState.Confirming c = (ChatState.Confirming) shop.session(U).state();
        assertThat(c.values()).containsOnly(Map.entry("prompt", "сделай рыжим"));
        assertThat(c.files()).containsOnly(Map.entry("image_url", List.of("p1")));
    }

    /** The same for a model taking no photo: the caption is its description, and the user learns the photo is not used. */
    @Test
    void aPhotoWithItsCaptionForAModelTakingNoPhotoGivesTheDescriptionOnly() {
        h.press(U, "*|g|img/m9");
        List<Reply> r = h.send(U, photo("p1").withCaption("лиса в снегу"));
        assertThat(r.stream().filter(x -> x instanceof Reply.SendText).map(x -> ((Reply.SendText) x).text()))
                .anyMatch(t -> t.startsWith("Подпись стала описанием. Эта модель работает без фото и файлов"));
        assertThat(lastText(r)).contains("Формат кадра");
        assertThat(((ChatState.Collecting) h.session(U).state()).values()).containsEntry("prompt", "лиса в снегу");
    }

    /**
     * A photo with a caption after the description was typed (a description-first model): the caption was let go
     * without a word, and whoever wrote a new description there thought it taken. The confirmation says it is not, and
     * how to change the description; a caption saying what the description says, or none, adds nothing. A caption sent
     * with a photo changed from the confirmation is told of the same way.
     */
    @Test
    void aCaptionAfterTheDescriptionIsSaidToBeLeftOut() {
        ShopHarness shop = describedShop();
        shop.command(U, "start");
        shop.topUp(U, 10_000);
        shop.press(U, "*|g|described");
        shop.text(U, "лиса");
        List<Reply> confirm = shop.send(U, photo("p1").withCaption("кот в шляпе"));
        assertThat(plain(confirm)).startsWith("Подпись не учтена: описание уже есть. Изменить его можно кнопкой "
                + "«✏️ Изменить» под сообщением с ценой.\n\nПроверьте и подтвердите").contains("лиса");
        assertThat(ShopHarness.button(confirm, "✏️ Изменить")).isNotEmpty();
        assertThat(((ChatState.Confirming) shop.session(U).state()).values()).containsEntry("prompt", "лиса");

        List<Reply> photoAsked = shop.press(U, ShopHarness.button(shop.press(U, ShopHarness.button(confirm, "Изменить")),
                "Фото"));
        assertThat(plain(shop.send(U, photo("p2").withCaption("кот")))).startsWith("Подпись не учтена");
        assertThat(photoAsked).isNotEmpty();
        assertThat(plain(shop.send(U, new Event.Unknown("location")))).startsWith("Всё готово: чтобы что-то поменять");

        shop.command(U, "cancel");
        shop.press(U, "*|g|described");
        shop.text(U, "лиса");
        assertThat(plain(shop.send(U, photo("p3").withCaption(" лиса ")))).startsWith("Проверьте и подтвердите");
    }

    /**
     * An album of ten photos without a caption where the description is asked: «Сначала опишите словами…» came ten
     * times, then once with nothing of the album taken, the description typed then asked for the photo again. Its
     * photos are held now, said once; the description typed then takes the first (the model takes one), and under
     * the confirmation the rest are said to be left out, once.
     */
    @Test
    void anAlbumWhereTheDescriptionIsAskedIsAnsweredOnceAndTakenWithTheDescriptionTyped() {
        ShopHarness shop = describedShop();
        shop.command(U, "start");
        shop.press(U, "*|g|described");
        assertThat(plain(shop.send(U, photo("p1").inAlbum("g1")))).startsWith("📎 Фото из альбома отложены");
        for (int i = 2; i <= 10; i++) {
            assertThat(shop.send(U, photo("p" + i).inAlbum("g1"))).as("p" + i).isEmpty();
        }
        ChatState.Collecting c = (ChatState.Collecting) shop.session(U).state();
        assertThat(c.field()).isZero();
        assertThat(c.files()).isEmpty();
        List<String> said = texts(shop.text(U, "лиса"));
        assertThat(said).hasSize(2);
        assertThat(said.get(0)).startsWith("Проверьте и подтвердите").contains("лиса");
        assertThat(said.get(1)).startsWith("Остальные фото из альбома не добавлены: модель принимает только одно фото.");
        ChatState.Confirming order = (ChatState.Confirming) shop.session(U).state();
        assertThat(order.files()).containsOnly(Map.entry("image_url", List.of("p1")));
        assertThat(order.values()).containsEntry("prompt", "лиса").doesNotContainKey(HeldAlbum.KEY);
    }

    /**
     * An album of three photos whose caption is on its second, for a model asking the description first and then up
     * to three photos: the first photo was answered «Сначала опишите словами…» and dropped, the caption on the second
     * then made the order of two. The first is held till the caption comes (kept in the chat's state, a store's
     * round trip), and the order has all three, in the order sent.
     */
    @Test
    void anAlbumsCaptionOnItsSecondPhotoWhereTheDescriptionIsAskedFirstTakesTheWholeAlbum() {
        ShopHarness shop = describedShop();
        shop.command(U, "start");
        shop.topUp(U, 10_000);
        shop.press(U, "*|g|album");
        List<Reply> first = shop.send(U, photo("a1").inAlbum("g1").inMessage(501));
        assertThat(plain(first)).startsWith("📎 Фото из альбома отложены: добавлю их, как только придёт "
                + "описание").doesNotContain("Сначала опишите");
        List<Reply> second = shop.send(U, photo("a2").inAlbum("g1").withCaption(" лиса в снегу ").inMessage(502));
        assertThat(plain(second)).startsWith("Принято: 2 фото (можно до 3)");
        List<Reply> third = shop.send(U, photo("a3").inAlbum("g1").inMessage(503));
        assertThat(plain(third)).startsWith("Проверьте и подтвердите").contains("лиса в снегу");
        shop.press(U, ShopHarness.button(third, "Сгенерировать"));
        assertThat(shop.lastJob(U).values()).containsEntry("prompt", "лиса в снегу");
        assertThat(shop.lastJob(U).files()).containsOnly(Map.entry("image_urls", List.of("a1", "a2", "a3")));
    }

    /**
     * An album held, then its description typed: each photo held gave its own screen, «Принято: 1 фото», «Принято: 2
     * фото», then the confirmation under them. One screen for the album now: the count of the photos taken when the
     * field takes more, the confirmation when they fill it. The note on the album names the minutes it is held, as
     * {@link HeldAlbum#FOR} counts them.
     */
    @Test
    void anAlbumHeldTillItsDescriptionIsAnsweredByOneScreen() {
        ShopHarness shop = describedShop();
        shop.command(U, "start");
        shop.topUp(U, 10_000);
        shop.press(U, "*|g|album");
        assertThat(plain(shop.send(U, photo("a1").inAlbum("g1")))).contains("(в течение "
                + HeldAlbum.FOR.toMinutes() + " минут)");
        shop.send(U, photo("a2").inAlbum("g1"));
        List<String> two = texts(shop.text(U, "лиса"));
        assertThat(two).singleElement().satisfies(t -> assertThat(t).startsWith("Принято: 2 фото (можно до 3)"));

        shop = describedShop();
        shop.command(U, "start");
        shop.topUp(U, 10_000);
        shop.press(U, "*|g|album");
        for (int i = 1; i <= 3; i++) {
            shop.send(U, photo("b" + i).inAlbum("g2"));
        }
        List<String> three = texts(shop.text(U, "кот"));
        assertThat(three).singleElement().satisfies(t -> assertThat(t).startsWith("Проверьте и подтвердите"));
        assertThat(((ChatState.Confirming) shop.session(U).state()).files())
                .containsOnly(Map.entry("image_urls", List.of("b1", "b2", "b3")));
    }

    /**
     * The photos held wait {@link HeldAlbum#FOR} for the description: a description typed later is no album's, and
     * the photo is asked for as at any description.
     */
    @Test
    void anAlbumHeldPastItsTimeIsNotTakenWithALateDescription() {
        ShopHarness shop = describedShop();
        shop.command(U, "start");
        shop.press(U, "*|g|album");
        shop.send(U, photo("a1").inAlbum("g1"));
        shop.clock.advance(HeldAlbum.FOR.plusSeconds(1));
        assertThat(plain(shop.text(U, "лиса"))).contains("Фото");
        ChatState.Collecting c = (ChatState.Collecting) shop.session(U).state();
        assertThat(c.files()).isEmpty();
        assertThat(c.values()).containsEntry("prompt", "лиса");
    }

    private static List<String> texts(List<Reply> replies) {
        return replies.stream().filter(Reply.SendText.class::isInstance)
                .map(r -> ((Reply.SendText) r).text().replace('\u00A0', ' ')).toList();
    }

    /** A photo alone where the description is asked: the user learns the description comes first, in words. */
    @Test
    void aPhotoWithoutCaptionWhereThePromptIsAskedSaysTheDescriptionComesFirst() {
        ShopHarness shop = describedShop();
        shop.command(U, "start");
        shop.press(U, "*|g|described");
        assertThat(plain(shop.send(U, photo("p1")))).startsWith("Сначала опишите словами, что должно получиться, "
                + "а фото пришлите следующим сообщением.");
        assertThat(((ChatState.Collecting) shop.session(U).state()).field()).isZero();
        h.press(U, "*|g|img/m9");
        assertThat(plain(h.send(U, photo("p2")))).startsWith("Этой модели нужно описание словами");
    }

    /**
     * The description fixed in place after the next question came: the edit was taken for the answer to that
     * question («Варианта … нет» under the aspect). It changes the description now, and the question is asked again.
     */
    @Test
    void anEditOfTheDescriptionWhileTheNextQuestionIsAskedChangesTheDescription() {
        h.press(U, "*|g|img/m9");
        assertThat(lastText(h.send(U, new Event.Text("лиса", Optional.of(100L))))).contains("Формат кадра");
        assertThat(plain(h.send(U, new Event.EditedText(100, "рыжая лиса ")))).startsWith("Исправленное описание принято.").contains("Формат кадра");
        ChatState.Collecting c = (ChatState.Collecting) h.session(U).state();
        assertThat(c.field()).isEqualTo(1);
        assertThat(c.values()).containsEntry("prompt", "рыжая лиса").doesNotContainKey("aspect_ratio");
    }

    /**
     * The description fixed while the order waits for «Сгенерировать»: the confirmation comes again with it, and the
     * job is made with it (the message's mark is no input of the job).
     */
    @Test
    void anEditOfTheDescriptionAtTheConfirmationShowsTheOrderAgainWithIt() {
        h.topUp(U, 10_000);
        h.press(U, "*|g|img/m9");
        h.send(U, new Event.Text("лиса", Optional.of(100L)));
        h.send(U, new Event.Text("1:1", Optional.of(101L)));
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Confirming.class);
        List<Reply> again = h.send(U, new Event.EditedText(100, "рыжая лиса"));
        assertThat(lastText(again)).startsWith("Проверьте и подтвердите").contains("рыжая лиса");
        h.press(U, ShopHarness.button(again, "Сгенерировать"));
        assertThat(h.lastJob(U).values()).containsOnlyKeys("prompt", "aspect_ratio").containsEntry("prompt", "рыжая лиса");
    }

    /** An edit of any other message is no answer to the question asked now: one line says so, the order stays. */
    @Test
    void anEditOfAnotherMessageIsNoAnswer() {
        h.press(U, "*|g|img/m9");
        h.send(U, new Event.Text("лиса", Optional.of(100L)));
        assertThat(h.send(U, new Event.EditedText(55, "16:9"))).singleElement().satisfies(r -> assertThat(
                ((Reply.SendText) r).text()).isEqualTo("Правки уже отправленных сообщений я не учитываю: если нужно, "
                + "отправьте новое сообщение."));
        ChatState.Collecting c = (ChatState.Collecting) h.session(U).state();
        assertThat(c.field()).isEqualTo(1);
        assertThat(c.values()).containsEntry("prompt", "лиса").doesNotContainKey("aspect_ratio");
    }

    private static Event.Media sent(MediaType type) {
        return new Event.Media(type, "f-" + type, 1000, Optional.empty(), Optional.empty());
    }

    /**
     * A sticker or a voice message where the description is asked was answered «Здесь нужен текст, а не файл.»: a
     * sticker is no file to the user. He is told what is wanted, in his terms.
     */
    @Test
    void aStickerOrAVoiceWhereTheDescriptionIsAskedIsToldATextIsWanted() {
        h.press(U, "*|g|img/m9");
        assertThat(plain(h.send(U, sent(MediaType.STICKER)))).startsWith("Нужен текст: напишите описание словами.");
        assertThat(plain(h.send(U, sent(MediaType.VOICE))))
                .startsWith("Нужен текст: голосовые сообщения я не расшифровываю, напишите описание словами.");
        assertThat(((ChatState.Collecting) h.session(U).state()).field()).isZero();
    }

    /**
     * Where a voice model asks for the words it speaks, a sticker, a voice message or a photo was told «напишите
     * описание словами» (a review's finding): the text asked is no description, and is not called one.
     */
    @Test
    void aStickerOrAVoiceWhereAVoiceModelsTextIsAskedIsNotToldOfADescription() {
        h.topUp(U, 100_000);
        h.press(U, "*|g|tts/turbo");
        assertThat(plain(h.send(U, sent(MediaType.STICKER)))).startsWith("Нужен текст: наберите его на клавиатуре.");
        assertThat(plain(h.send(U, sent(MediaType.VOICE)))).startsWith("Нужен текст: голосовые сообщения я не "
                + "расшифровываю — наберите текст на клавиатуре.");
        assertThat(plain(h.send(U, new Event.Media(MediaType.PHOTO, "p", 1000, Optional.of("image/jpeg"),
                Optional.empty())))).startsWith("Нужен текст: наберите его на клавиатуре.");
        assertThat(plain(h.send(U, new Event.Unknown("location")))).startsWith("Нужен текст: наберите его");
        assertThat(h.session(U).state()).isInstanceOfSatisfying(ChatState.Collecting.class,
                c -> assertThat(c.field()).isZero());
    }

    /**
     * A location where the description is asked was «Такие сообщения я здесь не принимаю.», and a sticker on the
     * top-up amount or the support ticket screen «Здесь нужен текст, а не файл.» (a sticker is no file to the user):
     * each screen now says what it wants.
     */
    @Test
    void aLocationForTheDescriptionAndAStickerForAnAmountOrATicketAreToldWhatIsWanted() {
        h.press(U, "*|g|img/m9");
        assertThat(plain(h.send(U, new Event.Unknown("location")))).startsWith("Нужен текст: напишите описание словами.");
        assertThat(((ChatState.Collecting) h.session(U).state()).field()).isZero();

        h.sessions().save(U, h.session(U).next(new ChatState.ManualAmount()));
        assertThat(plain(h.send(U, sent(MediaType.STICKER)))).startsWith("Нужна сумма: напишите её цифрами.");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.ManualAmount.class);

        h.sessions().save(U, h.session(U).next(new ChatState.WritingTicket()));
        assertThat(plain(h.send(U, sent(MediaType.STICKER)))).startsWith("Нужен текст: опишите проблему словами.");
        assertThat(plain(h.send(U, new Event.Unknown("location")))).startsWith("Нужен текст: опишите проблему словами.");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.WritingTicket.class);
    }

    /** A video note or a sticker where a photo is asked was «Такие сообщения я здесь не принимаю.»: now what is wanted. */
    @Test
    void aVideoNoteOrAStickerWhereAPhotoIsAskedIsToldAPhotoIsWanted() {
        ShopHarness shop = photoShop();
        shop.command(U, "start");
        shop.press(U, "*|g|cutout");
        for (MediaType type : List.of(MediaType.VIDEO_NOTE, MediaType.STICKER)) {
            assertThat(plain(shop.send(U, sent(type)))).as(type.name())
                    .startsWith("Нужно фото: пришлите снимок или картинку.");
        }
        assertThat(((ChatState.Collecting) shop.session(U).state()).files()).isEmpty();
    }

    /**
     * The description typed, then given again as a photo's caption («Назад»): an edit of the typed message no longer
     * changes the description, which is the caption's.
     */
    @Test
    void anEditOfADescriptionReplacedByACaptionChangesNothing() {
        ShopHarness shop = describedShop();
        shop.command(U, "start");
        shop.press(U, "*|g|described");
        List<Reply> photoAsked = shop.send(U, new Event.Text("лиса", Optional.of(100L)));
        shop.press(U, ShopHarness.button(photoAsked, "Назад"));
        shop.send(U, photo("p1").withCaption("кот"));
        assertThat(lastText(shop.send(U, new Event.EditedText(100, "собака"))))
                .startsWith("Правки уже отправленных сообщений я не учитываю");
        assertThat(((ChatState.Confirming) shop.session(U).state()).values()).containsEntry("prompt", "кот");
    }

    /** As flux-kontext or qwen/image-edit: the photo to change first, then the description. */
    private static ShopHarness photoFirstShop() {
        return new ShopHarness(Catalog.of(List.of(
                model("retouch", photo("image_url", "Фото"), TestCatalog.labelled(InputField.prompt(500))))),
                ShopSettings.defaults()).speaking("ru");
    }

    /**
     * A photo sent with its caption as the description, the caption then fixed in Telegram before «Сгенерировать»: the
     * edit was answered «Правки уже отправленных сообщений я не учитываю» and the job made with the old text. The
     * confirmation comes again with the corrected description, and the job is made with it.
     */
    @Test
    void anEditedCaptionThatGaveTheDescriptionChangesItBeforeTheOrderIsConfirmed() {
        ShopHarness shop = describedShop();
        shop.command(U, "start");
        shop.topUp(U, 10_000);
        shop.press(U, "*|g|described");
        shop.send(U, photo("p1").withCaption("сделай рыжим").inMessage(200));
        List<Reply> again = shop.send(U, new Event.EditedText(200, "сделай рыжим котом "));
        assertThat(lastText(again)).startsWith("Проверьте и подтвердите").contains("сделай рыжим котом");
        shop.press(U, ShopHarness.button(again, "Сгенерировать"));
        assertThat(shop.lastJob(U).values()).containsOnly(Map.entry("prompt", "сделай рыжим котом"));
        assertThat(shop.lastJob(U).files()).containsOnly(Map.entry("image_url", List.of("p1")));
    }

    /** The same where the photo is asked first and its caption answers the description asked after it. */
    @Test
    void anEditedCaptionOfThePhotoAskedFirstChangesTheDescription() {
        ShopHarness shop = photoFirstShop();
        shop.command(U, "start");
        shop.topUp(U, 10_000);
        shop.press(U, "*|g|retouch");
        assertThat(lastText(shop.send(U, photo("p1").withCaption("убери фон").inMessage(300))))
                .startsWith("Проверьте и подтвердите");
        List<Reply> again = shop.send(U, new Event.EditedText(300, "убери фон и тень"));
        assertThat(lastText(again)).startsWith("Проверьте и подтвердите").contains("убери фон и тень");
        shop.press(U, ShopHarness.button(again, "Сгенерировать"));
        assertThat(shop.lastJob(U).values()).containsOnly(Map.entry("prompt", "убери фон и тень"));
    }

    /**
     * Once «Сгенерировать» is pressed the job is paid and sent with the description it was confirmed with: an edit of
     * the caption then changes nothing, and one short line says so.
     */
    @Test
    void anEditedCaptionAfterTheOrderIsConfirmedChangesNothing() {
        ShopHarness shop = describedShop();
        shop.command(U, "start");
        shop.topUp(U, 10_000);
        shop.press(U, "*|g|described");
        List<Reply> confirm = shop.send(U, photo("p1").withCaption("сделай рыжим").inMessage(200));
        shop.press(U, ShopHarness.button(confirm, "Сгенерировать"));
        assertThat(lastText(shop.send(U, new Event.EditedText(200, "сделай синим"))))
                .startsWith("Правки уже отправленных сообщений я не учитываю");
        assertThat(shop.lastJob(U).values()).containsOnly(Map.entry("prompt", "сделай рыжим"));
        assertThat(shop.stores.jobs().recent(U, 10)).hasSize(1);
    }

    private static Event.Media pictureFile(String id, String mime, String name) {
        return new Event.Media(MediaType.DOCUMENT, id, 1000, Optional.of(mime), Optional.of(name));
    }

    /**
     * An iPhone's HEIC sent as a file where a photo is asked was taken for the photo (any «image/» file was), and Kie,
     * which takes JPEG, PNG and WEBP, failed the paid generation. The user learns how to send it, and nothing is taken;
     * a PNG file is taken as before.
     */
    @Test
    void aPictureFileOfAFormatKieDoesNotTakeIsRefusedWithHowToSendIt() {
        ShopHarness shop = photoShop();
        shop.command(U, "start");
        shop.press(U, "*|g|cutout");
        for (String mime : List.of("image/heic", "image/heif", "image/tiff", "image/bmp")) {
            assertThat(plain(shop.send(U, pictureFile("h-" + mime, mime, "IMG_0001.HEIC")))).as(mime)
                    .startsWith("Картинку в таком формате модель не принимает. Пришлите её как фото (не файлом) или "
                            + "файлом JPEG, PNG или WEBP.");
            ChatState.Collecting c = (ChatState.Collecting) shop.session(U).state();
            assertThat(c.field()).isZero();
            assertThat(c.files()).isEmpty();
        }
        assertThat(lastText(shop.send(U, pictureFile("png", "image/png", "scan.png")))).startsWith("Проверьте и подтвердите");
        assertThat(((ChatState.Confirming) shop.session(U).state()).files()).containsOnly(Map.entry("image", List.of("png")));
    }

    /**
     * The same file with its caption where the description is asked: neither the caption nor the file is taken (the
     * caption was the description, and the model was said to take no file), so the two sent again as a photo answer
     * both.
     */
    @Test
    void aPictureFileOfAnotherFormatWithItsCaptionWhereTheDescriptionIsAskedTakesNothing() {
        ShopHarness shop = describedShop();
        shop.command(U, "start");
        shop.press(U, "*|g|described");
        Event.Media heic = pictureFile("h1", "image/heic", "IMG_0001.HEIC").withCaption("сделай рыжим");
        assertThat(plain(shop.send(U, heic))).startsWith("Картинку в таком формате модель не принимает.");
        ChatState.Collecting c = (ChatState.Collecting) shop.session(U).state();
        assertThat(c.field()).isZero();
        assertThat(c.values()).doesNotContainKey("prompt");
        assertThat(c.files()).isEmpty();
    }

    /** A picture file of another format while the order waits for «Сгенерировать»: said why, the order stands. */
    @Test
    void aPictureFileOfAnotherFormatAtTheConfirmationLeavesTheOrderStanding() {
        ShopHarness shop = photoShop();
        shop.command(U, "start");
        shop.press(U, "*|g|cutout");
        shop.send(U, photo("a1"));
        assertThat(plain(shop.send(U, pictureFile("h1", "image/heic", "IMG_0001.HEIC"))))
                .startsWith("Картинку в таком формате модель не принимает.")
                .endsWith("Чтобы заменить фото, нажмите «✏️ Изменить» под сообщением с ценой.");
        assertThat(((ChatState.Confirming) shop.session(U).state()).files()).containsOnly(Map.entry("image", List.of("a1")));
    }

    /**
     * A ticket's length is told as its writer counts it on the screen: 1,600 flags were «Текст слишком длинный: 3200
     * символов». The kept limit (3,000 code points, as the store counts) still holds, and the user learns why a text
     * short enough to the eye is not.
     */
    @Test
    void aTicketsLengthIsToldInCharactersAsSeenAndTheKeptLimitStillHolds() {
        h.command(U, "paysupport");
        assertThat(plain(h.text(U, FLAG.repeat(1600)))).startsWith("Текст слишком длинный: эмодзи, флаги и некоторые "
                + "значки считаются за несколько символов. С ними в тексте 3200 символов (на глаз — 1600), "
                + "а можно не больше 3000.");
        assertThat(plain(h.text(U, "а".repeat(2999) + FAMILY))).contains("3004 символа (на глаз — 3000)");
        assertThat(plain(h.text(U, "а".repeat(3000) + FLAG)))
                .startsWith("Текст слишком длинный: 3001 символ, а можно не больше 3000.");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.WritingTicket.class);
        assertThat(h.stores.supportTickets().recent(U, 1)).isEmpty();
        h.text(U, FLAG.repeat(1500));
        assertThat(h.stores.supportTickets().recent(U, 1)).singleElement()
                .satisfies(t -> assertThat(t.text()).isEqualTo(FLAG.repeat(1500)));
    }

    /**
     * An album held whose last file is refused (too big to fetch) when its description comes: the count of the files
     * taken stays above the refusal; dropped, the chat heard only of the refused file, the two taken unsaid.
     */
    @Test
    void anAlbumHeldWhoseLastFileIsRefusedStillSaysTheFilesTaken() {
        ShopHarness shop = describedShop();
        shop.command(U, "start");
        shop.topUp(U, 10_000);
        shop.press(U, "*|g|album");
        shop.send(U, photo("c1").inAlbum("g3"));
        shop.send(U, photo("c2").inAlbum("g3"));
        shop.send(U, new Event.Media(MediaType.PHOTO, "c3", 900_000_000L, Optional.of("image/jpeg"), Optional.empty())
                .inAlbum("g3"));

        List<String> out = texts(shop.text(U, "кот"));

        assertThat(out).hasSize(2);
        assertThat(out.get(0)).startsWith("Принято: 2 фото (можно до 3)");
        assertThat(((ChatState.Collecting) shop.session(U).state()).files())
                .containsOnly(Map.entry("image_urls", List.of("c1", "c2")));
    }
}
