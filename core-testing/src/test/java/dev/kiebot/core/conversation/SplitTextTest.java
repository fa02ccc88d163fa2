package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A text longer than one Telegram message (4096 UTF-16 code units) arrives as several messages in a row: the parts are
 * one text to the user, and the bot takes them as one ({@link LongText}) in every state that asks for a long text,
 * or says what became of the rest, or, where the text answers nothing asked, answers the whole once; a part is never a
 * new answer, a second order or a second ticket.
 */
class SplitTextTest {
    private static final long U = 42;
    private static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");
    private ShopHarness h;
    private long nextMessage = 100;

    /**
     * A model taking 20,000 characters of prompt, then a frame shape; one taking 4000 and nothing else; one taking a
     * photo, a number and a prompt.
     */
    private static Catalog catalog() {
        Model longPrompt = new Model("long/prompt", "long/prompt", Family.JOBS, Category.IMAGE,
                Map.of("ru", "Длинная", "en", "Long"), Map.of("ru", "рисует", "en", "draws"),
                List.of(TestCatalog.labelled(InputField.prompt(20_000)), TestCatalog.labelled(
                        InputField.choice("aspect_ratio", false, List.of("1:1", "16:9"), "1:1"))),
                List.of(new Sku(Map.of(), new BigDecimal("0.06"), TestCatalog.SRC)), 1);
        Model midPrompt = new Model("mid/prompt", "mid/prompt", Family.JOBS, Category.IMAGE,
                Map.of("ru", "Средняя", "en", "Middle"), Map.of("ru", "рисует", "en", "draws"),
                List.of(TestCatalog.labelled(InputField.prompt(4000))),
                List.of(new Sku(Map.of(), new BigDecimal("0.06"), TestCatalog.SRC)), 2);
        InputField closeness = new InputField("cfg_scale", FieldType.NUMBER, true, List.of(), Optional.empty(),
                Optional.of(BigDecimal.ZERO), Optional.of(BigDecimal.ONE), OptionalInt.empty(), OptionalInt.empty(), true);
        Model photoEdit = new Model("photo/edit", "photo/edit", Family.JOBS, Category.IMAGE,
                Map.of("ru", "Правка", "en", "Edit"), Map.of("ru", "правит", "en", "edits"),
                List.of(TestCatalog.labelled(InputField.images("image_urls", true, 1)), TestCatalog.labelled(closeness),
                        TestCatalog.labelled(InputField.prompt(1000))),
                List.of(new Sku(Map.of(), new BigDecimal("0.06"), TestCatalog.SRC)), 3);
        return Catalog.of(List.of(longPrompt, midPrompt, photoEdit));
    }

    @BeforeEach
    void setUp() {
        h = new ShopHarness(catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))).speaking("ru");
        h.command(U, "start");
        h.topUp(U, 10_000);
    }

    /** Message {@code text} sent {@code seconds} after {@link #AT}, as the next message of the chat. */
    private List<Reply> part(String text, int seconds) {
        return h.send(U, new Event.Text(text, Optional.of(nextMessage++), Optional.of(AT.plusSeconds(seconds))));
    }

    private static String plain(List<Reply> r) {
        return lastText(r).replace('\u00A0', ' ');
    }

    /** Words of {@code n} characters in all: a text a client cuts at a break, not inside a word. */
    private static String words(int n, char letter) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < n - 1) {
            sb.append(sb.length() % 10 == 9 ? ' ' : letter);
        }
        return sb.append(letter).toString();
    }

    private String prompt() {
        return ((ChatState.Confirming) h.session(U).state()).values().get("prompt");
    }

    /**
     * A prompt cut at the limit (a mobile client, inside a word) and its end a second later: one prompt, joined as
     * it was, for the model that takes 20,000 characters; the question asked after the first part comes again under
     * the news, and the job gets the whole.
     */
    @Test
    void aPromptCutAtTheLimitIsJoinedWithItsEndAndTheJobGetsTheWhole() {
        h.press(U, "*|g|long/prompt");
        String first = "к".repeat(4096);
        assertThat(plain(part(first, 0))).contains("Формат кадра");
        List<Reply> joined = part("от", 1);
        assertThat(plain(joined)).startsWith("🧩 Telegram доставил ваш длинный текст несколькими сообщениями — я "
                + "соединил их в один.").contains("Формат кадра");
        List<Reply> confirm = h.press(U, button(joined, "16:9"));
        assertThat(prompt()).isEqualTo(first + "от");
        h.press(U, button(confirm, "Сгенерировать"));
        assertThat(h.lastJob(U).values()).containsEntry("prompt", first + "от");
    }

    /**
     * A part that begins with «/» (a line «/imagine …» of the prompt, a cut at «и/или») was read as a command: «Такой
     * команды нет» and the menu, the order gone, its end lost. It is the text's next part as written (its case, its
     * line breaks), joined as any part is; a command typed after the window is a command again.
     */
    @Test
    void aPartThatBeginsWithASlashIsTheTextsNotACommand() {
        h.press(U, "*|g|long/prompt");
        String first = "к".repeat(4096);
        part(first, 0);
        String tail = "/Imagine рыжий\nкот";
        List<Reply> joined = h.send(U, new Event.Command("imagine", "рыжий\nкот").written(tail)
                .sent(nextMessage++, AT.plusSeconds(1)));
        assertThat(plain(joined)).startsWith("🧩 Telegram доставил ваш длинный текст несколькими сообщениями")
                .contains("Формат кадра");
        List<Reply> confirm = h.press(U, button(joined, "16:9"));
        assertThat(prompt()).isEqualTo(first + tail);
        h.press(U, button(confirm, "Сгенерировать"));
        assertThat(h.lastJob(U).values()).containsEntry("prompt", first + tail);

        h.press(U, "*|g|long/prompt");
        part(first, 10);
        assertThat(plain(h.send(U, new Event.Command("balance", "").sent(nextMessage++, AT.plusSeconds(30)))))
                .as("typed later: a command").contains("Баланс");
    }

    /**
     * Cut at a break past half the limit (Telegram Desktop), which Telegram dropped: the end goes on a new line. The
     * confirmation shown after the first part is shown again, and its first «Сгенерировать» no longer starts a job:
     * the tail never starts an order of its own, nor a second one.
     */
    @Test
    void aPromptCutAtABreakIsJoinedOnANewLineAndTheConfirmationOfTheCutOneGoesStale() {
        h.press(U, "*|g|mid/prompt");
        String first = words(3000, 'а');
        List<Reply> cut = part(first, 0);
        assertThat(plain(cut)).contains("Проверьте и подтвердите");
        List<Reply> whole = part("и конец", 0);
        assertThat(plain(whole)).startsWith("🧩 Telegram доставил").contains("Проверьте и подтвердите");
        assertThat(prompt()).isEqualTo(first + "\nи конец");
        h.press(U, button(whole, "Сгенерировать"));
        assertThat(h.press(U, button(cut, "Сгенерировать"))).singleElement().satisfies(r -> assertThat(
                ((Reply.AnswerCallback) r).text()).hasValue("Генерация gen_1 уже запущена — второй раз не запускаю."));
        assertThat(h.stores.jobs().recent(U, 5)).singleElement()
                .satisfies(j -> assertThat(j.values()).containsEntry("prompt", first + "\nи конец"));
    }

    /** Three parts (a text of 9,000 characters) are one prompt: the second part may be followed by a third. */
    @Test
    void aTextOfThreePartsIsOnePrompt() {
        h.press(U, "*|g|long/prompt");
        part("а".repeat(4096), 0);
        part("б".repeat(4096), 0);
        part("в".repeat(808), 1);
        assertThat(((ChatState.Collecting) h.session(U).state()).values().get("prompt"))
                .isEqualTo("а".repeat(4096) + "б".repeat(4096) + "в".repeat(808));
    }

    /**
     * The first part taken, the whole over the model's limit: the order goes back to the description with the
     * reason, the cut text out of it; the end is not taken for anything else.
     */
    @Test
    void aWholeOverTheLimitSendsTheOrderBackToTheDescription() {
        h.press(U, "*|g|mid/prompt");
        part(words(3000, 'а'), 0);
        List<Reply> back = part(words(2000, 'б'), 1);
        assertThat(plain(back)).startsWith("🧩 Telegram доставил ваш длинный текст несколькими сообщениями — я "
                + "соединил их в один. Текст слишком длинный: 5001 символ, а можно не больше 4000.")
                .contains("Описание");
        ChatState.Collecting c = (ChatState.Collecting) h.session(U).state();
        assertThat(c.field()).isZero();
        assertThat(c.values()).doesNotContainKey("prompt");
    }

    /**
     * A first part the field refused (over 4000 already): its end is refused too, with the whole's length, and the
     * description is asked again. It used to become the description on its own, the beginning lost.
     */
    @Test
    void theEndOfARefusedPartIsRefusedTooNotTakenAsTheDescription() {
        h.press(U, "*|g|mid/prompt");
        assertThat(plain(part("а".repeat(4096), 0))).startsWith("Текст слишком длинный: 4096 символов");
        List<Reply> end = part("б".repeat(904), 1);
        assertThat(plain(end)).startsWith("🧩 Это продолжение того же длинного текста: Telegram доставил его "
                + "несколькими сообщениями. Вместе в нём 5000 символов, а можно не больше 4000. Сократите "
                + "текст и отправьте снова.");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Collecting.class);
        assertThat(((ChatState.Collecting) h.session(U).state()).values()).doesNotContainKey("prompt");
    }

    /**
     * Only a text right after a long one continues it: a message sent later than the window, or a short one before
     * it, is an answer of its own as before, and so is a text whose message the adapter did not say.
     */
    @Test
    void aTextLaterThanTheWindowOrAfterAShortOneIsAnAnswerOfItsOwn() {
        h.press(U, "*|g|mid/prompt");
        part(words(3000, 'а'), 0);
        assertThat(plain(part("ещё", 4))).isEqualTo(CONFIRM_TYPED);
        assertThat(prompt()).isEqualTo(words(3000, 'а'));
        long other = 43;
        h.command(other, "start");
        h.press(other, "*|g|mid/prompt");
        h.send(other, new Event.Text("лиса", Optional.of(10L), Optional.of(AT)));
        assertThat(plain(h.send(other, new Event.Text("ещё", Optional.of(11L), Optional.of(AT)))))
                .isEqualTo(CONFIRM_TYPED);
        long third = 44;
        h.command(third, "start");
        h.press(third, "*|g|mid/prompt");
        h.send(third, new Event.Text(words(3000, 'а')));
        assertThat(plain(h.send(third, new Event.Text("ещё")))).isEqualTo(CONFIRM_TYPED);
    }

    /**
     * The description joined from parts is no one message's: an edit of its first part does not put that part alone
     * in place of the whole, and the user is told edits are not taken.
     */
    @Test
    void anEditOfAJoinedPartDoesNotCutTheDescription() {
        h.press(U, "*|g|mid/prompt");
        part(words(3000, 'а'), 0);
        part("и конец", 0);
        assertThat(plain(h.send(U, new Event.EditedText(100, "другое")))).startsWith("Правки уже отправленных");
        assertThat(prompt()).isEqualTo(words(3000, 'а') + "\nи конец");
    }

    /**
     * A support ticket holds 3000 characters, less than any text Telegram splits: a first part refused for being
     * too long has its end refused too, with the whole's length, and no ticket is opened from the end alone (it was).
     */
    @Test
    void theEndOfATicketTooLongIsRefusedTooNotOpenedAsATicket() {
        h.command(U, "paysupport");
        assertThat(plain(part("а".repeat(4096), 0))).contains("Текст слишком длинный: 4096 символов");
        List<Reply> end = part("б".repeat(1000), 1);
        assertThat(plain(end)).startsWith("🧩 Это продолжение того же длинного текста").contains(
                "Вместе в нём 5096 символов, а можно не больше 3000.");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.WritingTicket.class);
        assertThat(h.stores.supportTickets().recent(U, 5)).isEmpty();
        part("Не пришли звёзды за пополнение", 30);
        assertThat(h.stores.supportTickets().recent(U, 5)).singleElement()
                .satisfies(t -> assertThat(t.text()).isEqualTo("Не пришли звёзды за пополнение"));
    }

    /**
     * A first part short enough for a ticket (cut at a break past half the limit) opens it; the end is not lost in
     * silence nor answered «use the menu»: the user learns that it is not in the ticket and how to add what matters.
     */
    @Test
    void theEndOfATicketOpenedWithItsFirstPartIsToldNotInIt() {
        h.command(U, "paysupport");
        part(words(2900, 'а'), 0);
        List<Reply> end = part("б".repeat(1500), 0);
        assertThat(plain(end)).isEqualTo("🧩 Это окончание вашего длинного сообщения: Telegram доставил его "
                + "несколькими сообщениями. В одном обращении помещается до 3000 символов, поэтому в него вошла "
                + "только первая часть. Ещё 1500 символов в него не вошли. Если в окончании есть что-то важное, нажмите "
                + "/paysupport и напишите это коротко.");
        assertThat(h.stores.supportTickets().recent(U, 5)).singleElement()
                .satisfies(t -> assertThat(t.text()).isEqualTo(words(2900, 'а')));
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Menu.class);
    }

    /** An admin's /broadcast whose text Telegram cut: the end is told for what it is, the draft not to be sent. */
    @Test
    void theEndOfAnAdminsLongBroadcastIsToldNotTakenForAnythingElse() {
        h.speaking("ru").command(ShopHarness.ADMIN, "start");
        String first = words(3000, 'р');
        List<Reply> draft = h.send(ShopHarness.ADMIN, new Event.Command("broadcast", first)
                .sent(500, AT));
        assertThat(plain(draft)).contains("Отправить?");
        List<Reply> end = h.send(ShopHarness.ADMIN, new Event.Text("конец", Optional.of(501L), Optional.of(AT)));
        assertThat(plain(end)).startsWith("🧩 Окончание сообщения с /broadcast пришло отдельно")
                .contains("не отправляйте его, нажмите «Отмена» под ним", "до 4000 символов");
        List<Reply> reply = h.send(ShopHarness.ADMIN, new Event.Command("reply", "7 " + words(3000, 'о'))
                .sent(502, AT.plusSeconds(60)));
        assertThat(reply).isNotEmpty();
        assertThat(plain(h.send(ShopHarness.ADMIN, new Event.Text("конец", Optional.of(503L),
                Optional.of(AT.plusSeconds(61)))))).startsWith("🧩 Окончание сообщения с /reply пришло отдельно")
                .contains("до 3500 символов");
    }

    /**
     * An end that can no longer be joined (here: the chat is at the menu, as after a catalog change sent the order
     * back) is said so, not taken for anything else nor answered «use the menu».
     */
    @Test
    void anEndThatCanNoLongerBeJoinedIsSaidSo() {
        h.sessions().save(U, h.session(U).withLongText(Optional.of(new LongText(99, AT, 4096,
                LongText.Use.FIELD, "prompt", 4096))));
        List<Reply> end = part("ц".repeat(4000), 0);
        assertThat(end).singleElement().satisfies(r -> assertThat(plain(List.of(r))).isEqualTo("🧩 Это окончание "
                + "длинного текста, который Telegram доставил несколькими сообщениями. Первая часть уже использована, "
                + "и добавить к ней окончание нельзя, поэтому окончание я не учёл."));
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Menu.class);
    }

    /**
     * Nothing asks for a text at the menu: a long one pasted there is answered once, the menu with «use the menu» under
     * its first part; the parts after it (here two more, 9000 characters in all) are not answered again. It used to be
     * the same menu and hint under each part. What the next part needs is kept in the chat's stored session, so
     * another instance, or the bot after a restart, takes the next part the same.
     */
    @Test
    void aLongTextPastedAtTheMenuIsAnsweredOnce() {
        String hint = new Texts().get("ru", Msg.HINT_USE_MENU);
        List<Reply> first = part("а".repeat(4096), 0);
        assertThat(lastText(first)).startsWith(hint);
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Menu.class);
        assertThat(h.session(U).longText()).hasValueSatisfying(t -> assertThat(t.use()).isEqualTo(LongText.Use.NOT_ASKED));
        assertThat(part("б".repeat(4096), 0)).isEmpty();
        assertThat(part("в".repeat(808), 1)).isEmpty();
        assertThat(h.session(U).longText()).as("a short part is the last").isEmpty();
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Menu.class);
        // a text of its own is answered as before: one sent after the window, and one after a short text
        assertThat(lastText(part("привет", 30))).startsWith(hint);
        assertThat(lastText(part("как дела", 30))).startsWith(hint);
    }

    /** Command {@code name} with {@code args}, sent {@code seconds} after {@link #AT} as the next message of the chat. */
    private List<Reply> command(String name, String args, int seconds) {
        return h.send(U, new Event.Command(name, args).sent(nextMessage++, AT.plusSeconds(seconds)));
    }

    /**
     * A long text sent with a command that does not take it (one the bot does not know; {@code /broadcast} or
     * {@code /reply} of a user who is no admin; {@code /help}, which takes nothing after it): the command's answer
     * once, under its message; the parts after it are the rest of that message, not texts of their own, and get no
     * «use the menu» each (they did). A text after the window is answered as before.
     */
    @Test
    void aLongTextSentWithACommandThatDoesNotTakeItIsAnsweredOnce() {
        assertThat(plain(command("promo", words(3000, 'а'), 0))).startsWith(text(Msg.UNKNOWN_COMMAND));
        assertThat(part("и конец", 1)).isEmpty();
        int at = 10;
        for (String admins : List.of("broadcast", "reply")) {
            assertThat(plain(command(admins, "7 " + words(4000, 'б'), at))).isEqualTo(text(Msg.ADMIN_ONLY, U));
            assertThat(part("в".repeat(4096), at)).isEmpty();
            assertThat(part("г".repeat(100), at + 1)).isEmpty();
            at += 10;
        }
        assertThat(plain(command("help", words(3000, 'д'), at))).doesNotContain(text(Msg.HINT_USE_MENU));
        assertThat(part("и конец", at)).isEmpty();
        assertThat(h.session(U).longText()).isEmpty();
        assertThat(lastText(part("привет", at + 30))).startsWith(text(Msg.HINT_USE_MENU));
    }

    /**
     * {@code /paysupport} with a long complaint after it: the command asks for the problem and takes nothing written
     * after it, so the next part is told that the whole was too long for a ticket, with its length, and the problem
     * asked again: not silence (a user disputing a payment would think he was heard), nor a ticket of the end alone.
     */
    @Test
    void aLongComplaintWrittenAfterPaySupportIsToldItWasTooLongNotLostInSilence() {
        command("paysupport", words(4000, 'а'), 0);
        assertThat(h.session(U).state()).isInstanceOf(ChatState.WritingTicket.class);
        List<Reply> end = part("и конец жалобы", 1);
        assertThat(plain(end)).startsWith("🧩 Это продолжение того же длинного текста")
                .contains("а можно не больше 3000.");
        assertThat(h.stores.supportTickets().recent(U, 5)).isEmpty();
        assertThat(h.session(U).state()).isInstanceOf(ChatState.WritingTicket.class);
    }

    /** A text pasted on a model's card begins its order as its description, and its next part is joined to it. */
    @Test
    void aLongTextPastedOnAModelsCardIsItsDescriptionWhole() {
        h.press(U, "*|v|mid/prompt");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Viewing.class);
        String first = words(3000, 'а');
        assertThat(plain(part(first, 0))).contains("Проверьте и подтвердите");
        assertThat(plain(part("и конец", 1))).startsWith("🧩 Telegram доставил ваш длинный текст")
                .contains("Проверьте и подтвердите");
        assertThat(prompt()).startsWith(first).endsWith("и конец");
    }

    /**
     * A text pasted at the confirmation is no answer to it: «choose with the buttons» once, under its first part, and
     * the parts after it (each got the same hint) no answer of their own; the order stays as it was, its
     * «Сгенерировать» good. A text of its own, after the window, gets the hint as before.
     */
    @Test
    void aLongTextPastedAtTheConfirmationIsAnsweredOnce() {
        h.press(U, "*|g|mid/prompt");
        List<Reply> confirm = part("лиса", 0);
        assertThat(plain(confirm)).contains("Проверьте и подтвердите");
        String hint = text(Msg.CONFIRM_TYPED, text(Msg.BUTTON_EDIT));
        assertThat(plain(part("а".repeat(4096), 10))).isEqualTo(hint);
        assertThat(part("б".repeat(4096), 10)).isEmpty();
        assertThat(part("в".repeat(808), 11)).isEmpty();
        assertThat(plain(part("ещё", 40))).isEqualTo(hint);
        assertThat(prompt()).isEqualTo("лиса");
        h.press(U, button(confirm, "Сгенерировать"));
        assertThat(h.lastJob(U).values()).containsEntry("prompt", "лиса");
    }

    /**
     * Where a photo is asked, then a number: a text pasted for either gets the question again with what is wanted,
     * once; its end is not taken for the number (here the paste ends in «0.5», which typed on its own answers it), nor
     * asked again for. A text of its own after the window answers as before.
     */
    @Test
    void aLongTextPastedWhereAPhotoOrANumberIsAskedIsAnsweredOnce() {
        h.press(U, "*|g|photo/edit");
        // the model's description, too long for it: refused as at its own question, and not taken
        assertThat(plain(part(words(3000, 'а'), 0))).startsWith("Текст слишком длинный: 3000 символов").contains("Фото");
        assertThat(part("и конец", 1)).isEmpty();
        assertThat(plain(h.send(U, new Event.Media(MediaType.PHOTO, "photo-1", 50_000, Optional.empty(),
                Optional.empty())))).contains("Точность следования описанию");
        assertThat(plain(part(words(3000, 'б'), 10))).startsWith(text(Msg.INPUT_NOT_A_NUMBER))
                .contains("Точность следования описанию");
        assertThat(part("0.5", 10)).as("the end of the paste, not a number typed").isEmpty();
        ChatState.Collecting c = (ChatState.Collecting) h.session(U).state();
        assertThat(c.field()).isEqualTo(1);
        assertThat(c.values()).doesNotContainKey("cfg_scale");
        assertThat(plain(part("0.5", 30))).contains("Описание");
        assertThat(((ChatState.Collecting) h.session(U).state()).values()).containsEntry("cfg_scale", "0.5");
    }

    /**
     * Where a choice is asked (the frame shape, after a short description): a pasted text is answered once, and its
     * end, here one of the choices, is not taken for the choice; typed on its own later, it is.
     */
    @Test
    void aLongTextPastedWhereAChoiceIsAskedIsAnsweredOnceAndItsEndIsNoChoice() {
        h.press(U, "*|g|long/prompt");
        assertThat(plain(part("лиса", 0))).contains("Формат кадра");
        assertThat(plain(part(words(3000, 'а'), 10))).contains("Выберите один из вариантов кнопкой.", "Формат кадра");
        assertThat(part("16:9", 10)).as("the end of the paste, not a choice typed").isEmpty();
        assertThat(((ChatState.Collecting) h.session(U).state()).values()).doesNotContainKey("aspect_ratio");
        assertThat(plain(part("16:9", 30))).contains("Проверьте и подтвердите");
        assertThat(((ChatState.Confirming) h.session(U).state()).values()).containsEntry("aspect_ratio", "16:9");
    }

    /**
     * The amount of a card / SBP top-up asked, a pasted text gets «not a number» and the amount asked again once; its
     * end, here «500», is no amount typed and makes no request. A text of its own does as before: after a short one,
     * and after the window.
     */
    @Test
    void aLongTextPastedForTheAmountOfACardTopUpIsAnsweredOnceAndItsEndIsNoAmount() {
        h.command(U, "topup");
        h.press(U, "*|y");
        h.press(U, "*|$");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.ManualAmount.class);
        String notANumber = text(Msg.INPUT_NOT_A_NUMBER);
        assertThat(plain(part(words(3000, 'а'), 0))).startsWith(notANumber).contains("Пополнение картой");
        assertThat(part("500", 1)).as("the end of the paste, not an amount typed").isEmpty();
        assertThat(h.stores.manualTopUps().recent(U, 5)).isEmpty();
        assertThat(h.session(U).state()).isInstanceOf(ChatState.ManualAmount.class);
        assertThat(plain(part("сто", 1))).as("after a short text").startsWith(notANumber);
        assertThat(plain(part(words(3000, 'б'), 20))).startsWith(notANumber);
        part("500", 30);
        assertThat(h.stores.manualTopUps().recent(U, 5)).singleElement()
                .satisfies(r -> assertThat(r.amount()).isEqualTo(50_000));
    }

    /** A text pasted after «Оплачено», where a receipt may come: the hint once, the receipt still taken after it. */
    @Test
    void aLongTextPastedForTheReceiptIsAnsweredOnce() {
        h.command(U, "topup");
        h.press(U, "*|y");
        h.press(U, "*|$");
        List<Reply> instructions = part("500", 0);
        h.press(U, button(instructions, "✅ Оплачено"));
        assertThat(h.session(U).state()).isInstanceOf(ChatState.ManualReceipt.class);
        assertThat(lastText(part(words(3000, 'ч'), 10))).isEqualTo(text(Msg.MANUAL_RECEIPT_HINT));
        assertThat(part("и конец", 10)).isEmpty();
        assertThat(h.session(U).state()).isInstanceOf(ChatState.ManualReceipt.class);
        h.send(U, new Event.Media(MediaType.PHOTO, "receipt-1", 50_000, Optional.empty(), Optional.empty()));
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Menu.class);
        assertThat(h.stores.manualTopUps().recent(U, 1).get(0).receipt()).contains("receipt-1");
    }

    private static String text(Msg msg, Object... args) {
        return new Texts().get("ru", msg, args);
    }

    /** The answer to a text at the confirmation: how to change the order or start it. */
    private static final String CONFIRM_TYPED = text(Msg.CONFIRM_TYPED, text(Msg.BUTTON_EDIT));

    /** The English texts say the same. */
    @Test
    void inEnglishTheJoinIsSaidToo() {
        h.speaking("en");
        h.press(U, "*|g|long/prompt");
        part("k".repeat(4096), 0);
        assertThat(plain(part("end", 1))).startsWith("📎 Telegram delivered your long text as several messages — I "
                + "joined them into one.");
        h.command(U, "paysupport");
        part("w ".repeat(1400), 10);
        assertThat(plain(part("x".repeat(1200), 10))).contains("Only the first part went into the request: one request "
                + "holds up to 3000 characters, and 1200 characters more did not fit.");
    }
}
