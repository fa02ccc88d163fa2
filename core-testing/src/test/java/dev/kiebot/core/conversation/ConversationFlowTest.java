package dev.kiebot.core.conversation;

import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Reply;
import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The conversation paths of ARCHITECTURE §3.4, through the whole storefront. */
class ConversationFlowTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
    }

    private static Optional<Button> find(List<Reply> replies, String label) {
        return replies.stream().flatMap(r -> r instanceof Reply.SendText t ? t.keyboard().buttons().stream()
                        : r instanceof Reply.EditText e ? e.keyboard().buttons().stream() : java.util.stream.Stream.empty())
                .filter(b -> b.text().contains(label)).findFirst();
    }

    @Test
    void startShowsWelcomeBalanceAndMenu() {
        List<Reply> r = h.command(U, "start");
        assertThat(lastText(r)).contains("User42", "0\u00A0₽", "5 of 5");
        assertThat(find(r, "Images")).isPresent();
        assertThat(find(r, "Top up")).isPresent();
    }

    /**
     * /start from a user who has made something (a week later) greets him back by his last result, his balance and his
     * free generations left, «🔁 Ещё раз» and «📤 Получить» of it first over the menu, within the welcome's 11
     * buttons (the free list makes room, «🔥 Популярное» stays as in the menu): the newcomer's welcome told him what
     * the bot makes, and his result was in /history. A user whose only
     * job failed has nothing to come back to: the newcomer's welcome.
     */
    @Test
    void startGreetsAReturningUserByHisLastResult() {
        h.command(U, "start");
        String newcomer = lastText(h.command(U, "start"));
        foxImageDone();
        h.clock.advance(Duration.ofDays(7));
        List<Reply> back = h.command(U, "start");
        assertThat(lastText(back)).isEqualTo("Welcome back, User42! Balance: 97.03\u00A0₽.\n"
                + "🆓 Free generations left today: 5 of 5.\n"
                + "Your last generation: gen_1 · Image img/m9 · “fox”");
        List<String> buttons = ShopHarness.buttonTexts(back);
        assertThat(buttons).startsWith("🔁 Again", "📤 Send gen_1 again").contains("📜 History")
                .contains("🔥 Popular").doesNotContain("🆓 Free models").hasSizeLessThanOrEqualTo(11);
        assertThat(lastText(h.press(U, button(back, "Again")))).contains("Check and confirm", "fox");
        assertThat(h.press(U, button(back, "Send gen_1"))).anyMatch(r -> r instanceof Reply.SendMedia);

        long other = 43;
        h.command(other, "start");
        h.topUp(other, 10_000);
        h.orderAFoxImage(other);
        h.work(5);
        h.provider.set(h.lastJob(other).taskId().orElseThrow(), new TaskStatus.Failed(
                dev.kiebot.core.jobs.ErrorKind.GENERATION_FAILED, "internal"));
        h.clock.advance(Duration.ofSeconds(10));
        h.work(5);
        assertThat(h.lastJob(other).state()).isEqualTo(JobState.FAILED);
        assertThat(lastText(h.command(other, "start"))).isEqualTo(newcomer.replace("User42", "User43")
                .replace("0\u00A0₽", "100\u00A0₽"));
    }

    @Test
    void menuToCategoryToPagedModelsToCardToInputsToConfirmToJob() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        List<Reply> cat = h.press(U, button(h.command(U, "menu"), "Images"));
        assertThat(lastText(cat)).contains("Page 1 of 2");
        assertThat(cat.get(cat.size() - 1)).isInstanceOf(Reply.EditText.class);
        List<Reply> page2 = h.press(U, button(cat, "➡"));
        assertThat(lastText(page2)).contains("Page 2 of 2");
        List<Reply> card = h.press(U, button(page2, "Image img/m9"));
        assertThat(lastText(card)).contains("Image img/m9", "Price: 2.97\u00A0₽");
        List<Reply> ask = h.press(U, button(card, "▶️ Start"));
        assertThat(lastText(ask)).contains("Description", "1000");
        List<Reply> aspect = h.text(U, "a red fox in the snow");
        assertThat(lastText(aspect)).contains("Frame shape");
        List<Reply> confirm = h.press(U, button(aspect, "16:9"));
        assertThat(lastText(confirm)).contains("a red fox in the snow", "Price: 2.97\u00A0₽",
                "Your balance: 100\u00A0₽, 97.03\u00A0₽ left after this generation");
        List<Reply> started = h.press(U, button(confirm, "Generate for 2.97\u00A0₽"));
        assertThat(started).anyMatch(x -> x instanceof Reply.AnswerCallback a && a.text().orElse("").contains("Starting"));
        Job job = h.lastJob(U);
        assertThat(job.state()).isEqualTo(JobState.HELD);
        assertThat(job.values()).containsEntry("prompt", "a red fox in the snow").containsEntry("aspect_ratio", "16:9");
        assertThat(h.balance(U)).isEqualTo(10_000 - 297);
        assertThat(String.join("\n", h.text(U, "gen_" + job.id().value()).stream()
                .map(x -> x instanceof Reply.SendText t ? t.text() : "").toList())).contains("queued");
    }

    /**
     * The help, where a job's number is asked for, says the number alone will do (gen_12 needs the Latin keyboard on
     * a Russian phone, and nothing said «12» was taken), and it is.
     */
    @Test
    void theHelpSaysTheNumberAloneWillDo() {
        h.speaking("ru");
        h.command(U, "start");
        h.topUp(U, 10_000);
        assertThat(lastText(h.command(U, "help"))).contains("Пришлите номер (gen_12 или просто 12) — скажу, что с генерацией.");
        h.speaking("en");
        h.stores.users().setLanguage(U, "en");
        Job own = h.runningFoxImage(U);
        assertThat(lastText(h.text(U, Long.toString(own.id().value())))).contains(own.id().display());
    }

    /**
     * A job's number typed on a Russian keyboard, without switching to Latin, shows the job as {@code gen_1} does:
     * «ген 1», «ген_1», «/ген_1» (it got «no such command»), «№1»; «ген 99» of no job says so. The help promises the
     * number alone will do; «ген 1» got «use the menu».
     */
    @Test
    void aJobNumberTypedOnARussianKeyboardShowsTheJob() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.runningFoxImage(U);
        h.speaking("ru");
        h.stores.users().setLanguage(U, "ru");
        for (String typed : List.of("ген 1", "ген_1", "Ген1", "/ген_1", "№ 1", "#1", "GEN_1", " 1 ")) {
            assertThat(lastText(h.text(U, typed))).as(typed).contains("gen_1 · Картинка img/m9");
        }
        assertThat(lastText(h.text(U, "ген 99"))).isEqualTo(new Texts().get("ru", Msg.JOB_NOT_FOUND, "gen_99"));
        assertThat(lastText(h.text(U, "/гена"))).startsWith("Такой команды я не знаю");
    }

    /**
     * A number typed at the confirmation, which waits for its buttons, is a job's number only when it is one of the
     * user's jobs: its status comes below, the order still waiting. Any other (no job, another user's) gets «choose
     * with the buttons»; it was «generation gen_N not found», and the chat went to the menu, the order's buttons
     * stale. A job named as such ({@code gen_N}) not found is said so, the order kept too.
     */
    @Test
    void aNumberTypedAtTheConfirmationIsNoJobNumberUnlessItIsOneOfHisJobs() {
        long other = 43;
        h.command(other, "start");
        h.topUp(other, 10_000);
        Job theirs = h.runningFoxImage(other);
        h.command(U, "start");
        h.topUp(U, 10_000);
        Job own = h.runningFoxImage(U);
        List<Reply> confirm = h.foxImageToConfirm(U);
        String hint = new Texts().get("en", Msg.CONFIRM_TYPED, new Texts().get("en", Msg.BUTTON_EDIT));
        long none = own.id().value() + 100;
        assertThat(lastText(h.text(U, Long.toString(none)))).isEqualTo(hint);
        assertThat(lastText(h.text(U, Long.toString(theirs.id().value())))).isEqualTo(hint);
        assertThat(lastText(h.text(U, " " + own.id().value() + " "))).contains(own.id().display(), "queued");
        assertThat(lastText(h.text(U, "gen_" + none)))
                .isEqualTo(new Texts().get("en", Msg.JOB_NOT_FOUND, "gen_" + none));
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Confirming.class);
        h.press(U, button(confirm, "Generate"));
        assertThat(h.stores.jobs().recent(U, 5)).hasSize(2);
    }

    @Test
    void theStatusMessageShowsTheJobIdAndCancelsWhileQueued() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        List<Reply> started = h.orderAFoxImage(U);
        assertThat(lastText(started)).contains("gen_1", "Queued", "2.97\u00A0₽");
        assertThat(h.lastJob(U).statusMessageId()).isPresent();
        List<Reply> cancelled = h.press(U, button(started, "Cancel generation"));
        assertThat(lastText(cancelled)).contains("gen_1 cancelled", "2.97\u00A0₽");
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(h.lastJob(U).state()).isEqualTo(JobState.FAILED);
    }

    /**
     * /cancel typed after «Generate» cancels no job: it said «Cancelled.» over the menu, and the user took the job and
     * its charge for gone while both stayed. It says the order went, lists the running job and names the button that
     * cancels a queued one; with no order and nothing running it is the plain «Cancelled.» of before.
     */
    @Test
    void cancelAfterTheOrderWentSaysItCancelledNothingAndHowAQueuedJobIs() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.orderAFoxImage(U);
        List<Reply> r = h.command(U, "cancel");
        assertThat(lastText(r)).startsWith("Generation gen_1 is still queued: cancel it with “✖ Cancel generation” "
                + "under its message.");
        assertThat(h.lastJob(U).state()).isEqualTo(JobState.HELD);
        assertThat(h.balance(U)).isEqualTo(10_000 - 297);
        h.press(U, "*|q|gen_1");
        // nothing left to cancel: said so, where «Cancelled.» read as something gone (a review's finding)
        List<Reply> nothing = h.command(U, "cancel");
        assertThat(lastText(nothing)).isEqualTo("There is nothing to cancel — here is the menu.");
        assertThat(ShopHarness.buttonTexts(nothing)).contains("➕ Top up");
        h.press(U, "*|c|IMAGE");
        assertThat(lastText(h.command(U, "cancel"))).as("a list is nothing to cancel either")
                .isEqualTo("There is nothing to cancel — here is the menu.");
    }

    /**
     * /cancel while the provider works on the job: which job, and that its money comes back if it fails (it said
     * «nothing to cancel: the generation has started» under a job visibly running); the queued one beside it is named
     * with its button. In /history the user's own cancel reads «cancelled», not «failed».
     */
    @Test
    void cancelOnceTheProviderStartedNamesTheJobAndSaysTheMoneyComesBack() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.runningFoxImage(U);
        h.orderAFoxImage(U);
        String said = lastText(h.command(U, "cancel"));
        assertThat(said).startsWith("Generation gen_1 can no longer be cancelled: the AI has started on it. If it "
                + "fails, your money comes back.\nGeneration gen_2 is still queued: cancel it with “✖ Cancel "
                + "generation”");
        h.press(U, "*|q|gen_2");
        assertThat(lastText(h.command(U, "history"))).contains("gen_2 · Image img/m9 · cancelled · 2.97\u00A0₽ refunded")
                .doesNotContain("failed");
    }

    /**
     * /cancel with two jobs started and two queued names them as the job notices do, «Генерация gen_1 …», in the
     * number they are: its sentences began with the bare number («gen_1, gen_2 уже нельзя отменить…»).
     */
    @Test
    void cancelNamesSeveralJobsAsGenerationsInTheirNumber() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.runningFoxImage(U);
        h.runningFoxImage(U);
        h.orderAFoxImage(U);
        h.orderAFoxImage(U);
        h.speaking("ru");
        h.stores.users().setLanguage(U, "ru");
        assertThat(lastText(h.command(U, "cancel"))).startsWith("Генерации gen_2, gen_1 уже нельзя отменить: нейросеть "
                + "начала работу. Если какая-то не получится — деньги за неё вернутся.\nГенерации gen_4, gen_3 ещё в "
                + "очереди — отменить каждую можно кнопкой «✖ Отменить генерацию» под её сообщением.");
        h.speaking("en");
        h.stores.users().setLanguage(U, "en");
        assertThat(lastText(h.command(U, "cancel"))).startsWith("Generations gen_2, gen_1 can no longer be cancelled: "
                + "the AI has started on them. If one fails, its money comes back.\nGenerations gen_4, gen_3 are still "
                + "queued: cancel each with “✖ Cancel generation” under its message.");
    }

    @Test
    void defaultsAreOfferedAsButtonsAndPricesFollowOptions() {
        h.command(U, "start");
        h.topUp(U, 100_000);
        h.press(U, "*|g|kling/video");
        List<Reply> duration = h.text(U, "a cat surfing");
        assertThat(find(duration, "✓ 5")).isPresent();
        assertThat(find(duration, "10\u00A0s · 85.80\u00A0₽")).isPresent();
        List<Reply> sound = h.press(U, button(duration, "10"));
        // a yes/no choice reads as words: the default's tick is the only mark on it
        assertThat(find(sound, "✓ No · 85.80\u00A0₽").map(Button::text)).hasValue("✓ No · 85.80\u00A0₽");
        assertThat(find(sound, "Yes · 171.60\u00A0₽").map(Button::text)).hasValue("Yes · 171.60\u00A0₽");
        List<Reply> cfg = h.press(U, button(sound, "Yes"));
        assertThat(lastText(cfg)).contains("Closeness to the description", "Send a number from 0 to 1.");
        List<Reply> outOfRange = h.text(U, "7");
        assertThat(lastText(outOfRange)).contains("between 0 and 1");
        List<Reply> confirm = h.press(U, button(outOfRange, "Default"));
        // 1.10 USD × 78 × 2 = 171.60
        assertThat(lastText(confirm)).contains("Price: 171.60\u00A0₽");
    }

    /** An optional choice with a default: its tick is the way on with it, no «Skip» beside it doing the same. */
    @Test
    void anOptionalChoiceWithADefaultOffersItTickedAndNoSkip() {
        h.command(U, "start");
        h.press(U, "*|g|img/m9");
        List<Reply> aspect = h.text(U, "a fox");
        assertThat(lastText(aspect)).contains("(optional)");
        assertThat(find(aspect, "✓ 1:1")).isPresent();
        assertThat(find(aspect, "Skip")).isEmpty();
    }

    /**
     * Only a number as people type it is taken: {@code 1e-300000000} is within 0..1 for {@code BigDecimal}, and written
     * out it is 300 million digits (the heap of a small box, then the chat state and the provider's request).
     */
    @Test
    void aNumberFieldTakesDigitsOnlyNotExponentsOrWords() {
        toTheClosenessField();
        for (String notPlain : List.of("1e-300000000", "5E-1", "0.5e0", "NaN", "Infinity", "0x1", "½", "0.1234567891",
                "1".repeat(16), ".", "1..2")) {
            assertThat(lastText(h.text(U, notPlain))).as(notPlain).contains("That is not a number");
            assertThat(h.session(U).state()).isInstanceOf(ChatState.Collecting.class);
        }
        List<Reply> confirm = h.text(U, ",25");
        assertThat(lastText(confirm)).contains("Price: 171.60\u00A0₽");
        assertThat(h.session(U).state()).isNotInstanceOf(ChatState.Collecting.class);
    }

    /** A video order filled up to its «Closeness» field, a number from 0 to 1. */
    private void toTheClosenessField() {
        h.command(U, "start");
        h.topUp(U, 100_000);
        h.press(U, "*|g|kling/video");
        h.press(U, button(h.press(U, button(h.text(U, "a cat surfing"), "10")), "Yes"));
    }

    /**
     * Numbers as a Russian keyboard, a phone of another script or a calculator give them: a decimal comma is a point,
     * digits of another script and exponents are «not a number», and a number out of the range says the range.
     */
    @Test
    void aNumberWithACommaIsTakenAndOtherDigitsOrExponentsAreAskedAgain() {
        toTheClosenessField();
        for (String notPlain : List.of("١٢", "٠٫٥", "1e3", "7 ,5")) {
            assertThat(lastText(h.text(U, notPlain))).as(notPlain).contains("That is not a number");
        }
        assertThat(lastText(h.text(U, "7,5"))).contains("between 0 and 1");
        h.text(U, "0,75");
        assertThat(h.session(U).state()).isInstanceOfSatisfying(ChatState.Confirming.class,
                c -> assertThat(c.values()).containsEntry("cfg_scale", "0.75"));
    }

    /**
     * The wallet emptied between the confirmation and «Generate» (another order, an admin's debit): the press makes no
     * job and holds nothing, and the confirmation comes again with what is missing and «Top up».
     */
    @Test
    void aBalanceSpentBeforeGenerateIsPressedMakesNoJobAndShowsWhatIsMissing() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        List<Reply> confirm = h.foxImageToConfirm(U);
        h.stores.ledger().transfer("spent-elsewhere", dev.kiebot.core.ledger.AccountId.wallet(U),
                dev.kiebot.core.ledger.AccountId.MANUAL_CLEARING, 9_900, dev.kiebot.core.ledger.TransferKind.DEBIT_MANUAL);
        List<Reply> pressed = h.press(U, button(confirm, "Generate for"));
        assertThat(lastText(pressed)).contains("Not enough money: 1.97\u00A0₽ short");
        assertThat(find(pressed, "Top up")).isPresent();
        assertThat(h.stores.jobs().recent(U, 5)).isEmpty();
        assertThat(h.balance(U)).isEqualTo(100);
    }

    /** A number with one bound says that bound, not «between 1 and ∞». */
    @Test
    void aNumberWithOneBoundAsksAndRefusesByThatBound() {
        dev.kiebot.core.catalog.InputField steps = new dev.kiebot.core.catalog.InputField("steps",
                dev.kiebot.core.catalog.FieldType.INTEGER, true, List.of(), Optional.empty(),
                Optional.of(java.math.BigDecimal.ONE), Optional.empty(), java.util.OptionalInt.empty(),
                java.util.OptionalInt.empty(), true, dev.kiebot.core.catalog.FieldLabels.of("Шаги", "Steps", "сколько",
                "how many"));
        dev.kiebot.core.catalog.Model model = new dev.kiebot.core.catalog.Model("one/number", "one/number",
                dev.kiebot.core.catalog.Family.JOBS, dev.kiebot.core.catalog.Category.IMAGE,
                java.util.Map.of("ru", "Шаги", "en", "Steps"), java.util.Map.of("ru", "о", "en", "d"),
                List.of(steps, TestCatalog.labelled(dev.kiebot.core.catalog.InputField.prompt(100))),
                List.of(new dev.kiebot.core.catalog.Sku(java.util.Map.of(), new java.math.BigDecimal("0.06"), "t")), 1);
        ShopHarness shop = new ShopHarness(dev.kiebot.core.catalog.Catalog.of(List.of(model)), ShopSettings.defaults());
        shop.command(U, "start");
        assertThat(lastText(shop.press(U, "*|g|one/number"))).contains("Send a number of at least 1.");
        assertThat(lastText(shop.text(U, "0"))).contains("The value must be at least 1.").doesNotContain("∞");
        shop.press(U, "*|l|ru");
        assertThat(lastText(shop.press(U, "*|g|one/number"))).contains("Отправьте число не меньше 1.");
        assertThat(lastText(shop.text(U, "-3"))).contains("Нужно число не меньше 1.");
        assertThat(lastText(shop.text(U, "3"))).contains("Описание");
    }

    @Test
    void promptLimitsAreEnforced() {
        h.command(U, "start");
        h.press(U, "*|g|img/m9");
        List<Reply> tooLong = h.text(U, "y".repeat(5000));
        assertThat(lastText(tooLong)).contains("The text is too long: 5000\u00A0characters, and the limit is 1000");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Collecting.class);
        assertThat(lastText(h.text(U, "   "))).contains("empty");
    }

    /**
     * The limit is the model's, in characters as the user sees them where that is one code point: exactly 1000 is
     * taken, 1001 is not, and an emoji outside the 16-bit range is one character, not the two chars Java stores.
     */
    @Test
    void aPromptOfExactlyTheLimitIsTakenAndOneMoreIsNotWithAnEmojiCountedOnce() {
        h.command(U, "start");
        h.press(U, "*|g|img/m9");
        assertThat(lastText(h.text(U, "y".repeat(1001)))).contains("The text is too long: 1001\u00A0characters, and the limit is 1000");
        assertThat(lastText(h.text(U, "👍".repeat(1001)))).contains("The text is too long: 1001\u00A0characters");
        assertThat(lastText(h.text(U, "y".repeat(999) + "👍"))).contains("Frame shape");
        assertThat(((ChatState.Collecting) h.session(U).state()).values().get("prompt")).endsWith("y👍");
    }

    /**
     * A shop selling one model that takes one photo (a list field of at most one, as ideogram/character) and a prompt
     * of up to 20,000 characters (as nano-banana-2), more than a Telegram message holds.
     */
    private static ShopHarness onePhotoAndALongPromptShop() {
        dev.kiebot.core.catalog.Model model = new dev.kiebot.core.catalog.Model("one/photo", "one/photo",
                dev.kiebot.core.catalog.Family.JOBS, dev.kiebot.core.catalog.Category.IMAGE,
                java.util.Map.of("ru", "Персонаж", "en", "Character"), java.util.Map.of("ru", "о", "en", "d"),
                List.of(TestCatalog.labelled(dev.kiebot.core.catalog.InputField.images("image_urls", true, 1)),
                        TestCatalog.labelled(dev.kiebot.core.catalog.InputField.prompt(20_000))),
                List.of(new dev.kiebot.core.catalog.Sku(java.util.Map.of(), new java.math.BigDecimal("0.06"), "t")), 1);
        return new ShopHarness(dev.kiebot.core.catalog.Catalog.of(List.of(model)), ShopSettings.defaults());
    }

    /**
     * A field that takes more than one message holds (20,000) is offered and held to its own limit: a longer text
     * arrives as several messages, and they are taken as one (SplitTextTest). It used to be capped at 4096, the
     * model's own limit out of reach.
     */
    @Test
    void aPromptIsAskedForUpToTheModelsOwnLimitPastWhatAMessageHolds() {
        ShopHarness shop = onePhotoAndALongPromptShop();
        shop.command(U, "start");
        shop.press(U, "*|g|one/photo");
        List<Reply> prompt = shop.send(U, new Event.Media(MediaType.PHOTO, "f1", 1000, Optional.empty(),
                Optional.empty()));
        assertThat(lastText(prompt)).contains("Send the text, up to 20,000\u00A0characters.")
                .doesNotContain("4096", "one message");
        assertThat(lastText(shop.text(U, "y".repeat(20_001))))
                .contains("The text is too long: 20,001\u00A0characters, and the limit is 20,000\u00A0characters");
        assertThat(lastText(shop.text(U, "y".repeat(20_000)))).contains("Check and confirm: Character");
    }

    /** A photo field of at most one moves on with the photo: it asked to send «up to 1 photo, then press Done». */
    @Test
    void aFieldOfOnePhotoAsksForAPhotoWithNoDoneToPress() {
        ShopHarness shop = onePhotoAndALongPromptShop();
        shop.command(U, "start");
        List<Reply> ask = shop.press(U, "*|g|one/photo");
        assertThat(lastText(ask)).endsWith("Send a photo.").doesNotContain("Done", "up to");
        assertThat(find(ask, "Done")).isEmpty();
        assertThat(lastText(shop.send(U, new Event.Media(MediaType.PHOTO, "f1", 1000, Optional.empty(),
                Optional.empty())))).contains("Description");
    }

    @Test
    void photoWhenTextIsExpectedAndTextWhenPhotoIsExpected() {
        h.command(U, "start");
        h.press(U, "*|g|img/m9");
        List<Reply> photo = h.send(U, new Event.Media(MediaType.PHOTO, "f1", 1000, Optional.empty(), Optional.empty()));
        assertThat(lastText(photo)).contains("needs a description in words");
        h.press(U, "*|g|edit/pro");
        // the description typed first is kept for the description, the photos asked again
        List<Reply> text = h.text(U, "make it blue");
        assertThat(lastText(text)).startsWith("Description taken — now send the photo.");
        List<Reply> got = h.send(U, new Event.Media(MediaType.PHOTO, "f1", 1000, Optional.empty(), Optional.empty()));
        assertThat(lastText(got)).isEqualTo("Got 1\u00A0photo (3 at most). Send more or press Done.");
        List<Reply> big = h.send(U, new Event.Media(MediaType.DOCUMENT, "f2", 25L * 1024 * 1024,
                Optional.of("image/png"), Optional.of("x.png")));
        assertThat(lastText(big)).contains("too large");
        List<Reply> next = h.press(U, button(big, "Done"));
        assertThat(lastText(next)).contains("Output resolution");
        ChatState.Collecting c = (ChatState.Collecting) h.session(U).state();
        assertThat(c.files()).containsEntry("image_urls", List.of("f1"));
        assertThat(c.values()).containsEntry("prompt", "make it blue");
    }

    /**
     * An album of five for a field of three: the field moves on at the third, and the fourth and fifth are said to be
     * left out of the order, not answered «a text is needed here» under the next question as a file sent by mistake.
     */
    @Test
    void filesOfAnAlbumPastWhatTheFieldTakesAreSaidToBeLeftOut() {
        h.command(U, "start");
        h.press(U, "*|g|edit/pro");
        h.send(U, new Event.Media(MediaType.PHOTO, "a1", 1000, Optional.empty(), Optional.empty())
                .withCaption("make it blue"));
        h.send(U, new Event.Media(MediaType.PHOTO, "a2", 1000, Optional.empty(), Optional.empty()));
        assertThat(lastText(h.send(U, new Event.Media(MediaType.PHOTO, "a3", 1000, Optional.empty(), Optional.empty()))))
                .contains("Output resolution");
        for (String extra : List.of("a4", "a5")) {
            List<Reply> r = h.send(U, new Event.Media(MediaType.PHOTO, extra, 1000, Optional.empty(), Optional.empty()));
            assertThat(lastText(r)).startsWith("This photo was not added: the model takes 3\u00A0photos at "
                    + "most.")
                    .contains("Output resolution");
        }
        ChatState.Collecting c = (ChatState.Collecting) h.session(U).state();
        assertThat(c.files()).containsEntry("image_urls", List.of("a1", "a2", "a3"));
        assertThat(c.values()).containsEntry("prompt", "make it blue");
        // a file where none was asked for is still a file sent by mistake
        h.press(U, "*|g|img/m9");
        assertThat(lastText(h.send(U, new Event.Media(MediaType.PHOTO, "b1", 1000, Optional.empty(), Optional.empty()))))
                .contains("needs a description in words");
    }

    @Test
    void aPhotoWithACaptionAnswersThePromptToo() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.press(U, "*|g|edit/pro");
        List<Reply> got = h.send(U, new Event.Media(MediaType.PHOTO, "f1", 1000, Optional.empty(), Optional.empty())
                .withCaption("make the sky purple"));
        List<Reply> resolution = h.press(U, button(got, "Done"));
        ChatState.Collecting c = (ChatState.Collecting) h.session(U).state();
        assertThat(c.values()).containsEntry("prompt", "make the sky purple").doesNotContainKey("~caption");
        assertThat(c.field()).isEqualTo(2);
        List<Reply> confirm = h.press(U, button(resolution, "✓ 1K"));
        assertThat(lastText(confirm)).contains("Description: make the sky purple").doesNotContain("caption")
                // the count with its word, the label that is that word not said twice («Фото: 1 фото» read as a
                // template, a bare «Фото: 1» as a field of a form)
                .contains("• 1\u00A0photo\n");
        h.press(U, button(confirm, "Generate for"));
        assertThat(h.lastJob(U).values()).containsOnlyKeys("prompt", "resolution");
    }

    /** A shop selling one model priced for a clip of at most 60 s (as elevenlabs/audio-isolation), its input asked. */
    private static ShopHarness isolationShop() {
        dev.kiebot.core.catalog.InputField audio = new dev.kiebot.core.catalog.InputField("audio_url",
                dev.kiebot.core.catalog.FieldType.AUDIO, true, List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), java.util.OptionalInt.of(60), java.util.OptionalInt.empty(), true)
                .withLabels(dev.kiebot.core.catalog.FieldLabels.of("Запись", "Recording", "с голосом", "with a voice"));
        dev.kiebot.core.catalog.Model isolation = new dev.kiebot.core.catalog.Model("iso", "iso",
                dev.kiebot.core.catalog.Family.JOBS, dev.kiebot.core.catalog.Category.AUDIO,
                java.util.Map.of("ru", "и", "en", "Isolation"), java.util.Map.of("ru", "о", "en", "d"), List.of(audio),
                List.of(new dev.kiebot.core.catalog.Sku(java.util.Map.of(), new java.math.BigDecimal("0.06"), "t")), 1);
        return new ShopHarness(dev.kiebot.core.catalog.Catalog.of(List.of(isolation)), ShopSettings.defaults());
    }

    @Test
    void clipsLongerThanTheFieldAllowsAreRefused() {
        ShopHarness iso = isolationShop();
        iso.command(U, "start");
        iso.press(U, "*|g|iso");
        assertThat(lastText(iso.send(U, new Event.Media(MediaType.VOICE, "v1", 1000, Optional.of("audio/ogg"),
                Optional.empty(), 61)))).contains("61\u00A0seconds long", "at most 60\u00A0seconds");
        assertThat(lastText(iso.send(U, new Event.Media(MediaType.DOCUMENT, "d1", 1000, Optional.of("audio/mpeg"),
                Optional.of("a.mp3"))))).contains("cannot tell how long");
        assertThat(lastText(iso.send(U, new Event.Media(MediaType.VOICE, "v2", 1000, Optional.of("audio/ogg"),
                Optional.empty(), 59)))).contains("Check and confirm: Isolation");
    }

    /**
     * The job worker measures a clip priced by its length from its bytes and refunds one it cannot read (an iPhone's
     * M4A, say): the user hears it when sending the file, not after paying and waiting.
     */
    @Test
    void aRecordingInAFormatWhoseLengthCannotBeMeasuredIsAskedForAgainWhenItComes() {
        ShopHarness iso = isolationShop();
        iso.command(U, "start");
        iso.press(U, "*|g|iso");
        String askAgain = "MP3, WAV or OGG, or a voice message";
        assertThat(lastText(iso.send(U, new Event.Media(MediaType.AUDIO, "m4a", 1000, Optional.of("audio/mp4"),
                Optional.of("memo.m4a"), 30)))).contains(askAgain);
        assertThat(lastText(iso.send(U, new Event.Media(MediaType.DOCUMENT, "flac", 1000,
                Optional.of("audio/flac; charset=binary"), Optional.empty(), 30)))).contains(askAgain);
        assertThat(lastText(iso.send(U, new Event.Media(MediaType.AUDIO, "named", 1000, Optional.empty(),
                Optional.of("Memo.M4A"), 30)))).as("no type: its name").contains(askAgain);
        assertThat(iso.session(U).state()).isInstanceOf(ChatState.Collecting.class);
        assertThat(lastText(iso.send(U, new Event.Media(MediaType.AUDIO, "mp3", 1000, Optional.empty(),
                Optional.of("Song.MP3"), 30)))).contains("Check and confirm: Isolation");
    }

    /**
     * Ogg Vorbis is measured, so it is taken whatever type its sender's client names it by: «audio/x-vorbis+ogg» is
     * what Linux's shared MIME database (Telegram Desktop there) calls it, «audio/vorbis» its registered name.
     */
    @Test
    void anOggVorbisFileIsTakenForALengthPricedClipByEachOfItsTypes() {
        for (String type : List.of("audio/x-vorbis+ogg", "audio/vorbis")) {
            ShopHarness iso = isolationShop();
            iso.command(U, "start");
            iso.press(U, "*|g|iso");
            assertThat(lastText(iso.send(U, new Event.Media(MediaType.AUDIO, "o", 1000, Optional.of(type),
                    Optional.of("take.ogg"), 30)))).as(type).contains("Check and confirm: Isolation");
        }
    }

    @Test
    void aVoiceMessageAndAWavFileAreTakenForALengthPricedClip() {
        ShopHarness iso = isolationShop();
        iso.command(U, "start");
        iso.press(U, "*|g|iso");
        assertThat(lastText(iso.send(U, new Event.Media(MediaType.VOICE, "v", 1000, Optional.empty(),
                Optional.empty(), 30)))).as("a voice message without a type").contains("Check and confirm: Isolation");
        ShopHarness wav = isolationShop();
        wav.command(U, "start");
        wav.press(U, "*|g|iso");
        assertThat(lastText(wav.send(U, new Event.Media(MediaType.DOCUMENT, "w", 1000, Optional.of("audio/x-wav"),
                Optional.of("take.wav"), 30)))).contains("Check and confirm: Isolation");
    }

    @Test
    void insufficientBalanceOffersATopUpAndCreatesNoJob() {
        h.command(U, "start");
        h.topUp(U, 100);
        h.press(U, "*|g|img/m9");
        List<Reply> aspect = h.text(U, "fox");
        List<Reply> confirm = h.press(U, button(aspect, "1:1"));
        // the user reads how much is missing, not only two amounts to subtract; the price and the balance once
        assertThat(lastText(confirm)).contains("Price: 2.97\u00A0₽\nYour balance: 1\u00A0₽\n\n"
                + "Not enough money: 1.97\u00A0₽ short. Top up to continue.");
        assertThat(find(confirm, "Top up")).isPresent();
        assertThat(find(confirm, "Generate for")).isEmpty();
        // even a forged confirm press creates nothing
        h.press(U, h.session(U).version() + "|k");
        assertThat(h.stores.jobs().recent(U, 5)).isEmpty();
        List<Reply> topUp = h.press(U, button(confirm, "Top up"));
        assertThat(lastText(topUp)).contains("accept the terms");
        List<Reply> packages = h.press(U, button(topUp, "I accept"));
        assertThat(lastText(packages)).contains("Telegram Stars");
        List<Reply> invoice = h.press(U, button(packages, "for 100\u00A0⭐"));
        assertThat(invoice).anyMatch(x -> x instanceof Reply.SendInvoice i && i.stars() == 100);
    }

    /**
     * The amounts reached from an order the balance cannot pay say what it is short of, above them: the confirmation
     * that said it was a tap or two (the terms) behind, and the user chose a sum with nothing in sight to cover. Said
     * once, in the amounts' own message; not over the amounts of a /topup with no order kept, nor once it is covered.
     */
    @Test
    void theAmountsReachedFromAnOrderShortOfMoneySayWhatItIsShortOf() {
        h.speaking("ru");
        h.command(U, "start");
        h.topUp(U, 100);
        h.press(U, "*|g|img/m9");
        List<Reply> confirm = h.press(U, button(h.text(U, "лиса"), "1:1"));
        assertThat(lastText(confirm)).contains("Не хватает 1,97\u00A0₽");
        List<Reply> terms = h.press(U, button(confirm, "Пополнить"));
        List<Reply> packages = h.press(U, button(terms, "✅ Принимаю"));
        assertThat(packages).filteredOn(Reply.SendText.class::isInstance).hasSize(1);
        assertThat(lastText(packages)).startsWith("Спасибо, условия приняты.\n"
                + "Не хватает 1,97\u00A0₽ на генерацию «Картинка img/m9».\nВыберите сумму пополнения");
        // the terms accepted before: the amounts straight from the order, with the line, and the way back to it
        List<Reply> again = h.press(U, button(h.press(U, "*|@"), "Пополнить"));
        assertThat(lastText(again)).startsWith("Не хватает 1,97\u00A0₽ на генерацию «Картинка img/m9».\n"
                + "Выберите сумму пополнения");
        assertThat(find(again, "Вернуться к генерации")).isPresent();
        h.topUp(U, 500);
        assertThat(lastText(h.command(U, "topup"))).startsWith("Выберите сумму пополнения");
        long other = 44;
        h.command(other, "start");
        h.command(other, "topup");
        assertThat(lastText(h.press(other, "*|y"))).isEqualTo(lastText(packages).replace(
                "Не хватает 1,97\u00A0₽ на генерацию «Картинка img/m9».\n", ""));
    }

    /**
     * A number typed at the Stars packages is the amount the user wants, not a job's: «choose with the buttons», the
     * packages still there, as for any text there. It was «generation gen_500 not found», and the chat went to the
     * menu (any other text: «use the menu», the packages gone).
     */
    @Test
    void aNumberTypedAtTheStarsPackagesAsksForAPackageButton() {
        h.command(U, "start");
        List<Reply> terms = h.press(U, button(h.command(U, "menu"), "Top up"));
        List<Reply> packages = h.press(U, button(terms, "I accept"));
        assertThat(lastText(packages)).contains("Telegram Stars");
        String choose = new Texts().get("en", Msg.EXPECTED_BUTTON) + "\n\n";
        // «choose with the buttons» came with none (a review's finding): the packages come again under it
        for (String typed : List.of("500", "500 stars", "0")) {
            List<Reply> again = h.text(U, typed);
            assertThat(lastText(again)).as(typed).startsWith(choose).contains("Telegram Stars");
            assertThat(ShopHarness.buttonTexts(again)).as(typed).isEqualTo(ShopHarness.buttonTexts(packages));
        }
        // a sticker or a location there is answered as a text is, the packages kept (it got the menu in their place)
        assertThat(lastText(h.send(U, new Event.Media(MediaType.STICKER, "st", 100, Optional.empty(),
                Optional.empty())))).startsWith(choose).contains("Telegram Stars");
        List<Reply> location = h.send(U, new Event.Unknown("location"));
        assertThat(lastText(location)).startsWith(choose);
        assertThat(ShopHarness.buttonTexts(location)).isEqualTo(ShopHarness.buttonTexts(packages));
        assertThat(h.session(U).state()).isInstanceOf(ChatState.TopUp.class);
        List<Reply> invoice = h.press(U, button(packages, "for 100\u00A0⭐"));
        assertThat(invoice).anyMatch(x -> x instanceof Reply.SendInvoice i && i.stars() == 100);
    }

    @Test
    void freeTierPathMovesNoMoneyAndCounts() {
        h.command(U, "start");
        List<Reply> free = h.press(U, button(h.command(U, "menu"), "Free"));
        assertThat(lastText(free)).contains("5 of 5");
        h.press(U, button(free, "img/m1"));
        h.press(U, "*|g|img/m1");
        List<Reply> confirm = h.press(U, button(h.text(U, "fox"), "1:1"));
        assertThat(lastText(confirm)).contains("free");
        h.press(U, button(confirm, "Generate for"));
        assertThat(h.stores.freeUsage().used(U, LocalDate.of(2026, 11, 21))).isEqualTo(1);
        assertThat(h.balance(U)).isZero();
        assertThat(h.lastJob(U).free()).isTrue();
    }

    /**
     * The screen said free; the day's last free use went elsewhere (another chat with the bot) before the press:
     * the fresh quote was paid and charged at once, a price the user was never shown (found by a review).
     */
    @Test
    void aFreeButtonPressedAfterTheFreeUseWentElsewhereChargesNothingAndShowsThePrice() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        LocalDate day = LocalDate.of(2026, 11, 21);
        for (int i = 0; i < 4; i++) {
            assertThat(h.stores.freeUsage().tryUse(U, day, 5, "earlier-" + i)).isTrue();
        }
        h.press(U, "*|g|img/m1");
        List<Reply> confirm = h.press(U, button(h.text(U, "fox"), "1:1"));
        assertThat(lastText(confirm)).contains("free", "1 of 5");
        assertThat(h.stores.freeUsage().tryUse(U, day, 5, "in-another-chat")).isTrue();

        List<Reply> pressed = h.press(U, button(confirm, "Generate for"));

        assertThat(h.balance(U)).as("nothing held or charged").isEqualTo(10_000);
        assertThat(h.stores.jobs().recent(U, 1)).isEmpty();
        assertThat(pressed).anySatisfy(r -> assertThat(r).isInstanceOfSatisfying(Reply.AnswerCallback.class,
                a -> assertThat(a.text()).hasValueSatisfying(t -> assertThat(t).contains("price has changed"))));
        assertThat(lastText(pressed)).contains("Price:", "used up");
        // the screen shown now carries its own terms: pressing it starts the job at the price shown
        h.press(U, button(pressed, "Generate for"));
        assertThat(h.stores.jobs().recent(U, 1)).hasSize(1);
        assertThat(h.balance(U)).isLessThan(10_000);
    }

    @Test
    void freeLimitIsEnforced() {
        h.command(U, "start");
        for (int i = 0; i < 6; i++) {
            h.press(U, "*|g|img/m1");
            List<Reply> confirm = h.press(U, button(h.text(U, "fox " + i), "1:1"));
            if (i < 5) {
                assertThat(lastText(confirm)).contains("free");
                h.press(U, button(confirm, "Generate for"));
            } else {
                assertThat(lastText(confirm)).contains("used up", "New ones arrive at midnight Moscow time",
                        "Not enough money");
            }
        }
        // «0 of 5» says when the next ones come; the free list and /balance alike
        assertThat(lastText(h.press(U, "*|f"))).contains("0 of 5", "New free generations arrive at midnight Moscow time");
        assertThat(lastText(h.command(U, "balance"))).contains("0 of 5", "arrive at midnight Moscow time");
        assertThat(h.stores.freeUsage().used(U, LocalDate.of(2026, 11, 21))).isEqualTo(5);
        assertThat(h.stores.jobs().recent(U, 10)).hasSize(5);
    }

    @Test
    void cancelAtEveryStepReturnsToTheMenu() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        // while typing the prompt
        h.press(U, "*|g|img/m9");
        assertThat(lastText(h.command(U, "cancel"))).contains("Cancelled");
        assertThat(h.session(U).state()).isInstanceOf(ChatState.Menu.class);
        // with the cancel button at a choice
        h.press(U, "*|g|img/m9");
        List<Reply> aspect = h.text(U, "fox");
        assertThat(lastText(h.press(U, button(aspect, "Cancel")))).contains("Cancelled");
        // at the confirm screen
        h.press(U, "*|g|img/m9");
        List<Reply> confirm = h.press(U, button(h.text(U, "fox"), "1:1"));
        assertThat(lastText(h.press(U, button(confirm, "Cancel")))).contains("Cancelled");
        assertThat(h.stores.jobs().recent(U, 5)).isEmpty();
        assertThat(h.balance(U)).isEqualTo(10_000);
    }

    /**
     * With no order being made, a stale or forged button gets a fresh menu; «Generate» pressed again after its order
     * went gets a pop-up naming the job it started, and nothing more: no second job, no menu over the job's message.
     */
    @Test
    void staleAndForgedButtonsGetAFreshMenu() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.press(U, "*|g|img/m9");
        List<Reply> confirm = h.press(U, button(h.text(U, "fox"), "1:1"));
        String go = button(confirm, "Generate for");
        h.press(U, go);
        List<Reply> again = h.press(U, go);
        assertThat(again).singleElement().satisfies(r -> assertThat(((Reply.AnswerCallback) r).text())
                .hasValue("Generation " + h.lastJob(U).id().display() + " has already started — I will not start it a second time."));
        assertThat(h.stores.jobs().recent(U, 5)).hasSize(1);
        // said once, by the message that stays in the chat: the answer only stops the spinner
        List<Reply> stale = h.press(U, "garbage");
        assertThat(stale).filteredOn(r -> r instanceof Reply.AnswerCallback).singleElement()
                .satisfies(r -> assertThat(((Reply.AnswerCallback) r).text()).isEmpty());
        assertThat(lastText(stale)).startsWith("This button is outdated. Here is the main menu.\n");
        for (String forged : new String[] {"", "garbage", "1|zz", "*|v|no/such/model", "*|t|77", "*|a|gen_999",
                "*|p|IMAGE:x", "*|c|FOOD", "*|l|de", "|||", "x".repeat(64)}) {
            List<Reply> r = h.press(U, forged);
            assertThat(r).as(forged).anyMatch(x -> x instanceof Reply.AnswerCallback a && a.text().isEmpty());
            assertThat(r).as(forged).anyMatch(x -> x instanceof Reply.SendText || x instanceof Reply.EditText);
        }
        // a «Generate» of no screen, on terms no job runs on: the order it names went, whatever became of it
        assertThat(h.press(U, "99999999999|k|1")).singleElement().satisfies(r -> assertThat(
                ((Reply.AnswerCallback) r).text()).hasValue("This button is outdated: the generation has already been started or cancelled."));
        assertThat(h.stores.jobs().recent(U, 5)).hasSize(1);
        assertThat(h.balance(U)).isEqualTo(10_000 - 297);
    }

    @Test
    void anotherUsersJobCannotBeRepeatedOrResent() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.orderAFoxImage(U);
        Job job = h.lastJob(U);
        h.command(7, "start");
        List<Reply> r = h.press(7, "*|a|" + job.id().display());
        assertThat(lastText(r)).contains("outdated");
        assertThat(lastText(h.text(7, job.id().display()))).contains("do not know");
    }

    @Test
    void unknownUpdatesAndHugeTextsAreAnsweredAndChangeNothing() {
        h.command(U, "start");
        assertThat(lastText(h.send(U, new Event.Unknown("location")))).contains("cannot use");
        assertThat(lastText(h.text(U, "z".repeat(5000)))).contains("first pick a category and a model below");
        assertThat(lastText(h.command(U, "nope"))).contains("do not know that command");
        assertThat(h.stores.jobs().recent(U, 5)).isEmpty();
    }

    /**
     * A text at the menu while a job runs is mostly «ну что там?»: it was answered «choose a section and a model», as
     * if nothing were at work (a review's finding). It names the job still in progress, where the result comes and
     * /status, the menu under it; with none running any more, the menu's hint again.
     */
    @Test
    void aTextWhileAJobRunsSaysTheJobIsStillInProgressAndWhereItsResultComes() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        Job job = h.runningFoxImage(U);
        h.messenger.drain();

        List<Reply> r = h.text(U, "so, is it ready?");

        assertThat(lastText(r)).startsWith("⏳ Generation " + job.id().display() + " is still in progress")
                .contains("/status").doesNotContain("first pick a category");
        assertThat(ShopHarness.buttonTexts(r)).as("the menu under it").contains("➕ Top up");
        Job second = h.runningFoxImage(U);
        assertThat(lastText(h.text(U, "and now?"))).startsWith("⏳ Generations " + job.id().display() + ", "
                + second.id().display() + " are still in progress").isNotEqualTo(lastText(r));
        for (Job j : List.of(job, second)) {
            h.provider.succeed(j.taskId().orElseThrow(), "https://files.example/" + j.id().display() + ".png");
        }
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.messenger.drain();
        assertThat(lastText(h.text(U, "thanks"))).contains("first pick a category and a model below");
    }

    @Test
    void adminCommandsRefuseNonAdmins() throws Exception {
        h.command(U, "start");
        for (String cmd : Conversation.ADMIN_COMMANDS) {
            assertThat(lastText(h.send(U, new Event.Command(cmd, "42 100")))).as(cmd).contains("admins only");
        }
        assertThat(h.balance(U)).isZero();
        h.shop.upkeep().readCredits(); // as the upkeep reads it, every 10 minutes: /admin never waits for it
        List<Reply> dash = h.command(ShopHarness.ADMIN, "admin");
        assertThat(lastText(dash)).contains("Users:", "Kie credits: 1,234.5 (just now)");
        assertThat(lastText(h.adminConfirmed("topup_user", U + " 150.50")))
                .contains("Done");
        assertThat(h.balance(U)).isEqualTo(15_050);
    }

    @Test
    void languageCanBeSwitched() {
        h.command(U, "start");
        List<Reply> r = h.press(U, "*|l|ru");
        assertThat(lastText(r)).contains("Язык: русский");
        assertThat(lastText(h.command(U, "menu"))).contains("Главное меню");
    }

    /**
     * The language changed in the middle of an order keeps the order: /language moved the chat to the menu, and the
     * fields given so far were lost with it. The question asked is asked again in the new language, and so is the
     * confirmation.
     */
    @Test
    void theLanguageChangedMidOrderKeepsTheOrder() {
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.press(U, "*|g|kling/video");
        h.text(U, "a cat");
        h.command(U, "language");
        List<Reply> asked = h.press(U, "*|l|ru");
        assertThat(lastText(asked)).startsWith("Язык: русский.").contains("Длительность");
        ChatState.Collecting c = (ChatState.Collecting) h.session(U).state();
        assertThat(c.values()).containsEntry("prompt", "a cat");
        List<Reply> sound = h.press(U, button(asked, "5"));
        List<Reply> cfg = h.press(U, button(sound, "Нет"));
        List<Reply> confirm = h.text(U, "0,5");
        assertThat(lastText(confirm)).contains("a cat");
        h.command(U, "language");
        List<Reply> again = h.press(U, "*|l|en");
        assertThat(again).anyMatch(r -> r instanceof Reply.SendText t && t.text().equals("Language: English."));
        assertThat(lastText(again)).contains("a cat", "Price");
        assertThat(h.press(U, button(again, "Generate"))).isNotEmpty();
        assertThat(h.lastJob(U).values()).containsEntry("prompt", "a cat").containsEntry("cfg_scale", "0.5");
    }

    @Test
    void historyListsJobsAndResendsByFileId() {
        h.command(U, "start");
        assertThat(lastText(h.command(U, "history"))).contains("no generations");
        foxImageDone();
        List<Reply> history = h.command(U, "history");
        // what he wrote, quoted as English quotes: «fox» in English read as the Russian side leaking through
        assertThat(lastText(history)).contains("gen_1 · Image img/m9 · done · 2.97\u00A0₽", "\n   “fox”")
                .doesNotContain("«", "»");
        List<Reply> resent = h.press(U, button(history, "gen_1"));
        assertThat(resent).anyMatch(r -> r instanceof Reply.SendMedia m && m.source().startsWith("file-"));
        assertThat(resent).filteredOn(Reply.SendMedia.class::isInstance).map(r -> ((Reply.SendMedia) r).caption())
                .as("the result's caption quotes the description in English quotes")
                .containsOnly("gen_1 · Image img/m9\n“fox”");
    }

    /**
     * A history re-send whose kept file id Telegram refuses ("wrong file identifier", an id it no longer takes) goes
     * by the provider's URL of the same file, its caption kept, while the provider keeps it. Before, the refusal was
     * only logged, and his press got no answer at all.
     */
    @Test
    void aHistoryResendTelegramRefusesByItsFileIdGoesByTheResultsUrl() {
        List<Reply> resent = foxResentFromHistoryRefusedByItsFileId(Duration.ofHours(23));
        assertThat(resent).as("the same file by the provider's URL, as the result it is")
                .singleElement().isInstanceOfSatisfying(Reply.SendMedia.class, m -> {
                    assertThat(m.source()).isEqualTo("https://r/fox.png");
                    assertThat(m.caption()).isEqualTo("gen_1 · Image img/m9\n“fox”");
                });
    }

    /**
     * The same refusal a day after the result, when the provider no longer surely keeps the file: he is told it is
     * gone (what a re-send by a URL gone at the provider tells), not sent a link that may lead nowhere, nor silence.
     */
    @Test
    void aHistoryResendTelegramRefusesADayOnIsToldTheFileIsGone() {
        List<Reply> resent = foxResentFromHistoryRefusedByItsFileId(Duration.ofHours(25));
        assertThat(resent).noneMatch(Reply.SendMedia.class::isInstance);
        assertThat(lastText(resent)).isEqualTo(new Texts().get("en", Msg.FILE_GONE));
    }

    /**
     * Of a job of two files, Telegram takes the first file id and refuses the second: the second file goes by its own
     * URL, not the first's, and the first does not come twice.
     */
    @Test
    void aHistoryResendOfTwoFilesSendsTheRefusedOneByItsOwnUrl() {
        h.command(U, "start");
        foxImageDone(List.of("https://r/fox-1.png", "https://r/fox-2.png"));
        List<Reply> history = h.command(U, "history");
        List<Reply> resent = refusedByItsFileId(button(history, "gen_1"), new Delivery.Sent(Optional.empty(),
                List.of()));
        assertThat(resent).filteredOn(Reply.SendMedia.class::isInstance).map(r -> ((Reply.SendMedia) r).source())
                .containsExactly("https://r/fox-2.png");
    }

    /** The fox image delivered, its re-send pressed in /history {@code after} later, Telegram refusing its file id. */
    private List<Reply> foxResentFromHistoryRefusedByItsFileId(Duration after) {
        h.command(U, "start");
        foxImageDone();
        List<Reply> history = h.command(U, "history");
        h.clock.advance(after);
        return refusedByItsFileId(button(history, "gen_1"));
    }

    /**
     * Presses the re-send {@code data}, Telegram taking the press's answer, answering {@code before} to the files
     * sent before the last, and refusing the last file id it sends.
     */
    private List<Reply> refusedByItsFileId(String data, Delivery... before) {
        h.messenger.thenAnswer(new Delivery.Sent(Optional.empty(), List.of()));
        h.messenger.thenAnswer(before);
        h.messenger.thenAnswer(new Delivery.Failed("Bad Request: wrong file identifier/HTTP URL specified"));
        List<Reply> resent = h.press(U, data);
        assertThat(resent).as("the press is answered").isNotEmpty();
        assertThat(resent).noneMatch(r -> r instanceof Reply.SendMedia m && m.source().startsWith("file-"));
        return resent;
    }

    /** The Russian side keeps its «ёлочки»: the same history in Russian. */
    @Test
    void historyQuotesTheDescriptionInRussianQuotesInRussian() {
        h.command(U, "start");
        foxImageDone();
        h.stores.users().setLanguage(U, "ru");
        assertThat(lastText(h.command(U, "history"))).contains("\n   «fox»").doesNotContain("“");
    }

    /** The user, started, tops up and orders a fox image, whose result comes and is sent: gen_1, delivered. */
    private void foxImageDone() {
        foxImageDone(List.of("https://r/fox.png"));
    }

    /** {@link #foxImageDone()}, the provider's result being the files at {@code urls}. */
    private void foxImageDone(List<String> urls) {
        h.topUp(U, 10_000);
        h.orderAFoxImage(U);
        h.work(5);
        h.provider.set("task-1", new TaskStatus.Succeeded(new JobResult(urls, MediaKind.PHOTO)));
        h.clock.advance(java.time.Duration.ofSeconds(10));
        h.work(5);
    }

    @Test
    void paymentsAreCreditedOnceAndPreCheckoutChecksTheInvoice() {
        h.command(U, "start");
        h.press(U, "*|y|");
        List<Reply> inv = h.press(U, "*|t|100");
        Reply.SendInvoice invoice = inv.stream().filter(Reply.SendInvoice.class::isInstance)
                .map(Reply.SendInvoice.class::cast).findFirst().orElseThrow();
        List<Reply> ok = h.send(U, new Event.PreCheckout("pc1", invoice.payload(), "XTR", 100));
        assertThat(ok).anyMatch(r -> r instanceof Reply.AnswerPreCheckout a && a.ok());
        List<Reply> bad = h.send(U, new Event.PreCheckout("pc2", invoice.payload(), "XTR", 1));
        assertThat(bad).anyMatch(r -> r instanceof Reply.AnswerPreCheckout a && !a.ok() && a.error().isPresent());
        h.send(U, new Event.SuccessfulPayment("charge-1", invoice.payload(), "XTR", 100));
        h.send(U, new Event.SuccessfulPayment("charge-1", invoice.payload(), "XTR", 100));
        assertThat(h.balance(U)).isEqualTo(100 * 150);
    }
}
