package dev.kiebot.runtime.testing;

import static dev.kiebot.runtime.testing.E2eWorld.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.runtime.StartFailure;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeUpdates;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The end-to-end scenarios of issue 5, run against a whole runner through fake Telegram and Kie
 * servers and a real PostgreSQL. Each runner module extends this class with its transport.
 */
@ExtendWith(CleanLogs.class)
public abstract class RunnerScenarios {
    protected static final long ALICE = 5_550_001;
    private static final long BOB = 5_550_002;
    /** E2eWorld's ADMIN_IDS. */
    private static final long ADMIN = 900;
    private static LogCapture logs;
    private static final List<String> SEEN = new ArrayList<>();

    protected E2eWorld world;
    protected FakeUpdates updates;
    private final List<E2eRunner> running = new ArrayList<>();


    protected abstract E2eRunner start(Map<String, String> env, Clock clock);

    protected E2eRunner startRunner(Map<String, String> extra, Clock clock) {
        E2eRunner r = start(world.env(extra), clock);
        running.add(r);
        return r;
    }

    @BeforeAll
    static void captureLogs() {
        logs = LogCapture.attach();
    }

    @AfterAll
    static void noSecretInAnyLog() {
        try {
            assertThat(logs.lines()).isNotEmpty();
            for (String line : logs.lines()) {
                for (String secret : SEEN) {
                    assertThat(line).as("a log line leaks a secret").doesNotContain(secret);
                }
            }
        } finally {
            logs.detach();
        }
    }

    @BeforeEach
    void world() {
        world = new E2eWorld();
        updates = world.telegram.updates();
        synchronized (SEEN) {
            SEEN.add(world.telegram.token());
            SEEN.add(E2eWorld.KIE_KEY);
        }
    }

    @AfterEach
    void stopAll() {
        running.forEach(E2eRunner::close);
        world.close();
    }

    // ---- user moves ------------------------------------------------------------------------------

    protected void press(E2eRunner r, long user, String label) {
        E2eWorld.Pressable b = world.button(user, label);
        r.deliver(updates.callback(user, b.messageId(), b.data()));
    }

    protected long balance(E2eRunner r, long user) {
        return r.bot().shop().stores().ledger().balance(AccountId.wallet(user)).available();
    }

    /** /topup → accept terms → 50 Stars: @return the payload of the invoice the bot sent. */
    protected String invoiceFor50Stars(E2eRunner r, long user) {
        r.deliver(updates.command(user, "topup", ""));
        press(r, user, "I accept");
        press(r, user, "for 50\u00A0⭐");
        FakeTelegramServer.Call invoice = world.telegram.awaitCall("sendInvoice", c -> c.chatId() == user, E2eWorld.WAIT);
        return invoice.param("payload");
    }

    /** /topup → accept terms → 50 Stars → pre-checkout → successful payment: 75 ₽ credited. */
    protected void topUpWithStars(E2eRunner r, long user, String chargeId) {
        String payload = invoiceFor50Stars(r, user);
        r.deliver(updates.preCheckout(user, payload, 50));
        FakeTelegramServer.Call answer = world.telegram.awaitCall("answerPreCheckoutQuery", c -> true, E2eWorld.WAIT);
        assertThat(answer.param("ok")).isEqualTo("true");
        r.deliver(updates.successfulPayment(user, payload, 50, chargeId));
        world.awaitText(user, "Balance topped up");
    }

    /** Picks Nano Banana from the image menu, answers its inputs and stops at the confirm screen. */
    protected String orderNanoBanana(E2eRunner r, long user) {
        r.deliver(updates.command(user, "menu", ""));
        press(r, user, "Images");
        press(r, user, "Nano Banana ·");
        press(r, user, "▶️ Start");
        world.awaitText(user, "Send the text");
        r.deliver(updates.text(user, "a red fox in the snow"));
        press(r, user, "✓ 1:1");
        return world.awaitText(user, "Check and confirm: Nano Banana").text();
    }

    /** /start, a Stars top-up, an order of Nano Banana and its confirmation. @return the balance before it */
    protected long confirmPaidOrder(E2eRunner r, long user, String chargeId) {
        r.deliver(updates.command(user, "start", ""));
        topUpWithStars(r, user, chargeId);
        long before = balance(r, user);
        orderNanoBanana(r, user);
        press(r, user, "Generate for");
        return before;
    }

    /** The state of the user's newest job, empty while there is none. */
    protected java.util.Optional<JobState> jobState(E2eRunner r, long user) {
        return r.bot().shop().stores().jobs().recent(user, 1).stream().findFirst().map(Job::state);
    }

    protected Job lastJob(E2eRunner r, long user) {
        List<Job> jobs = r.bot().shop().stores().jobs().recent(user, 1);
        assertThat(jobs).isNotEmpty();
        return jobs.get(0);
    }

    // ---- 0. the start ---------------------------------------------------------------------------

    /** A token revoked in @BotFather: Telegram answers getMe 401, and nothing the bot would do could work. */
    @Test
    void aBotTokenTelegramRefusesStopsTheStartWithOneLineNamingTheVariable() {
        String token = world.telegram.token();
        String revoked = token.substring(0, token.indexOf(':') + 1) + "AARevokedInBotFather_abcdefghijklm";
        assertThatThrownBy(() -> startRunner(Map.of("TELEGRAM_BOT_TOKEN", revoked), Clock.systemUTC()))
                .isInstanceOf(StartFailure.class)
                .hasMessage("Telegram refused the bot token (401): check TELEGRAM_BOT_TOKEN, e.g. a token revoked "
                        + "in @BotFather");
        assertThat(world.telegram.callsTo("getUpdates")).as("nothing after the refusal").isEmpty();
    }

    // ---- 1. the happy path ----------------------------------------------------------------------

    @Test
    void startToDeliveredResultChargesExactlyTheShownPrice() {
        world.kie.autoSucceedAfter(1);
        E2eRunner r = startRunner(Map.of(), Clock.systemUTC());
        r.deliver(updates.command(ALICE, "start", ""));
        FakeTelegramServer.FakeMessage welcome = world.awaitText(ALICE, "Balance: 1\u00A0₽");
        assertThat(welcome.buttons().toString()).contains("Images", "Video", "Top up");
        topUpWithStars(r, ALICE, "charge-happy");
        long before = balance(r, ALICE);
        assertThat(before).isEqualTo(100 + 7_500);
        String confirm = orderNanoBanana(r, ALICE);
        assertThat(confirm).contains("Price: 3.12\u00A0₽");
        press(r, ALICE, "Generate for 3.12\u00A0₽");
        world.awaitText(ALICE, "gen_");
        FakeTelegramServer.Call photo = world.telegram.awaitCall("sendPhoto", c -> c.chatId() == ALICE, E2eWorld.WAIT);
        // the caption repeats the description, so that results read apart in the chat
        assertThat(photo.caption()).contains("gen_", "Nano Banana", "“a red fox in the snow”");
        await("job delivered", () -> jobState(r, ALICE).equals(java.util.Optional.of(JobState.DELIVERED)));
        world.awaitText(ALICE, "Done. Charged to your balance: 3.12\u00A0₽.");
        assertThat(balance(r, ALICE)).isEqualTo(before - 312);
        assertThat(Reconciliation.check(r.bot().shop().stores().ledger())).isEmpty();
        assertThat(world.kie.count(FakeKieServer.Endpoint.CREATE_TASK)).isEqualTo(1);
        assertThat(world.kie.requests(FakeKieServer.Endpoint.CREATE_TASK).get(0).bodyText())
                .contains("google/nano-banana", "a red fox in the snow");
    }

    /**
     * An album whose caption is on its second photo, for a model asking the description first (Nano Banana 2: the
     * description, then its reference photos): the first photo was answered «describe in words first» and dropped.
     * Held in the chat's state (the database) till the caption came, both photos are the order's.
     */
    @Test
    void anAlbumCaptionedOnItsSecondPhotoGivesTheOrderBothPhotos() {
        E2eRunner r = startRunner(Map.of(), Clock.systemUTC());
        String link = dev.kiebot.core.conversation.ModelLink.parameter(
                r.bot().shop().catalog().model("nano-banana-2").orElseThrow());
        r.deliver(updates.command(ALICE, "start", link));
        press(r, ALICE, "▶️ Start");
        world.awaitText(ALICE, "Send the text");
        r.deliver(updates.albumPhoto(ALICE, "album-1", "album-photo-1", 80_000, null));
        world.awaitText(ALICE, "The photos of the album are set aside");
        r.deliver(updates.albumPhoto(ALICE, "album-1", "album-photo-2", 80_000, "a red fox in the snow"));
        world.awaitText(ALICE, "Got 2");
        assertThat(world.telegram.transcript(ALICE)).doesNotContain("First describe in words");
        assertThat(java.net.URLDecoder.decode(r.bot().shop().stores().chatStates().load(ALICE).orElseThrow(),
                java.nio.charset.StandardCharsets.UTF_8))
                .contains("image_input=album-photo-1,album-photo-2", "prompt=a red fox in the snow");
    }

    // ---- 2. failure and timeout refund ------------------------------------------------------------

    @Test
    void aFailedTaskReturnsTheMoney() {
        E2eRunner r = startRunner(Map.of(), Clock.systemUTC());
        long before = confirmPaidOrder(r, ALICE, "charge-fail");
        // its id, not only its request: the fake records a request before it creates the task
        await("task created", () -> world.kie.taskIds().size() == 1);
        world.kie.fail(world.kie.taskIds().get(0), "422", "prohibited content");
        world.awaitText(ALICE, "returned to your balance");
        await("refund", () -> balance(r, ALICE) == before);
        assertThat(lastJob(r, ALICE).state()).isEqualTo(JobState.FAILED);
        // Kie's refusal by its content rules, decided by its adapter, kept with the job: told to change his words
        assertThat(lastJob(r, ALICE).failureKind()).contains(dev.kiebot.core.jobs.ErrorKind.CONTENT_POLICY);
        world.awaitText(ALICE, "breaks its rules. Change the description");
        assertThat(r.bot().shop().stores().ledger().holdState(lastJob(r, ALICE).holdId())).contains(HoldState.VOIDED);
        assertThat(Reconciliation.check(r.bot().shop().stores().ledger())).isEmpty();
    }

    /**
     * Kie reports success with a result whose file is gone (its URL answers 404, to Telegram and to the bot's own
     * download): the user is told and the money comes back, once, instead of being charged for a link that leads
     * nowhere.
     */
    @Test
    void aResultWhoseFileIsGoneAtKieReturnsTheMoneyInsteadOfADeadLink() {
        E2eRunner r = startRunner(Map.of(), Clock.systemUTC());
        long before = confirmPaidOrder(r, ALICE, "charge-gone");
        await("task created", () -> world.kie.taskIds().size() == 1);
        String gone = world.telegram.apiUrl() + "/media/gone.png"; // the fake serves no such file: 404
        world.kie.succeed(world.kie.taskIds().get(0), gone);
        world.awaitText(ALICE, "the AI service no longer has it");
        await("refund", () -> balance(r, ALICE) == before);
        assertThat(lastJob(r, ALICE).state()).isEqualTo(JobState.DELIVERED);
        assertThat(world.telegram.transcript(ALICE)).as("no dead link").doesNotContain(gone);
        assertThat(Reconciliation.check(r.bot().shop().stores().ledger())).isEmpty();
    }

    /**
     * The user blocks the bot while his job runs: its result is dropped with his queue (Telegram's 403). He comes back
     * by /start, with no unblock event, and is told of it; «Send again» after Kie dropped the file refunds it once.
     */
    @Test
    void aResultMissedWhileBlockedIsToldAtHisReturnAndRefundedWhenItsFileIsGone() {
        E2eRunner r = startRunner(Map.of(), Clock.systemUTC());
        long before = confirmPaidOrder(r, ALICE, "charge-away");
        await("task created", () -> world.kie.taskIds().size() == 1);
        await("status shown", () -> lastJob(r, ALICE).statusMessageId().isPresent());
        world.telegram.block(ALICE);
        String gone = world.telegram.apiUrl() + "/media/gone-by-his-return.png"; // the fake serves no such file: 404
        world.kie.succeed(world.kie.taskIds().get(0), gone);
        await("dropped and noted", () -> !r.bot().shop().stores().audit().byCorrelation("unsent:" + ALICE).isEmpty());
        String id = lastJob(r, ALICE).id().display();
        assertThat(balance(r, ALICE)).as("charged").isLessThan(before);

        world.telegram.unblock(ALICE);
        r.deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "While you were away, " + id);
        press(r, ALICE, "Send " + id + " again");

        world.awaitText(ALICE, "the AI service no longer has it");
        await("refund", () -> balance(r, ALICE) == before);
        assertThat(world.telegram.transcript(ALICE)).as("no dead link").doesNotContain(gone);
        assertThat(Reconciliation.check(r.bot().shop().stores().ledger())).isEmpty();
    }

    @Test
    void aTaskPastItsDeadlineIsRefunded() {
        MutableClock clock = new MutableClock(java.time.Instant.now());
        E2eRunner r = startRunner(Map.of(), clock);
        long before = confirmPaidOrder(r, ALICE, "charge-slow");
        awaitJobStatus(ALICE, "Nano Banana");
        // its id, not only its request: the fake records a request before it creates the task
        await("task created", () -> world.kie.taskIds().size() == 1);
        // let the confirm press finish its replies before time jumps past every lease
        await("update handled", () -> new dev.kiebot.core.conversation.ChatSessions(
                r.bot().shop().stores().chatStates()).load(ALICE)
                .map(s -> s.state() instanceof dev.kiebot.core.conversation.ChatState.Menu).orElse(false));
        E2eWorld.sleep(1500);
        clock.advance(Duration.ofMinutes(11));
        world.awaitText(ALICE, "took too long");
        await("refund", () -> balance(r, ALICE) == before);
        assertThat(Reconciliation.check(r.bot().shop().stores().ledger())).isEmpty();
    }

    // ---- 3. insufficient balance, free tier -----------------------------------------------------

    @Test
    void insufficientBalanceOffersATopUpAndCreatesNoJob() {
        E2eRunner r = startRunner(Map.of(), Clock.systemUTC());
        r.deliver(updates.command(ALICE, "start", ""));
        String confirm = orderNanoBanana(r, ALICE);
        assertThat(confirm).contains("Not enough money");
        world.button(ALICE, "Top up");
        assertThat(r.bot().shop().stores().jobs().recent(ALICE, 5)).isEmpty();
        assertThat(balance(r, ALICE)).isEqualTo(100);
    }

    /**
     * Short of money on the confirmation: the top-up made from it brings the order back after the payment's message,
     * and the image it makes comes again as a file, uncompressed, uploaded (Telegram fetches no PNG by URL).
     */
    @Test
    void aTopUpFromTheConfirmationLeadsBackToTheOrderAndItsImageComesAsAFile() {
        world.kie.autoSucceedAfter(1);
        E2eRunner r = startRunner(Map.of(), Clock.systemUTC());
        r.deliver(updates.command(ALICE, "start", ""));
        assertThat(orderNanoBanana(r, ALICE)).contains("Not enough money");
        press(r, ALICE, "Top up");
        // /topup from the same screen keeps the order as the button does
        r.deliver(updates.successfulPayment(ALICE, invoiceFor50Stars(r, ALICE), 50, "charge-back"));
        world.awaitText(ALICE, "Balance topped up");
        // the order comes by itself after the payment's message
        assertThat(world.awaitMessage(ALICE, t -> t.contains("Check and confirm: Nano Banana")
                && !t.contains("Not enough money")).text()).contains("a red fox in the snow");
        press(r, ALICE, "Generate for");
        world.telegram.awaitCall("sendPhoto", c -> c.chatId() == ALICE, E2eWorld.WAIT);
        // Telegram has the photo a moment before its send is marked done; a press in between is told the result is
        // still on its way (the guard against a copy of a result that may yet be refunded), so wait for the mark
        dev.kiebot.core.jobs.JobId job = r.bot().shop().stores().jobs().recent(ALICE, 1).get(0).id();
        await("the photo's send marked done",
                () -> !r.bot().shop().stores().pendingReplies().resultWaiting(ALICE, job));
        press(r, ALICE, "As a file, uncompressed");
        FakeTelegramServer.Call file = world.telegram.awaitCall("sendDocument",
                c -> c.chatId() == ALICE && c.upload("document").isPresent(), E2eWorld.WAIT);
        assertThat(file.caption()).contains("gen_", "Nano Banana");
        assertThat(Reconciliation.check(r.bot().shop().stores().ledger())).isEmpty();
    }

    /** An invitation link through the real stores: the friend's first Stars top-up earns the inviter his share. */
    @Test
    void aFriendWhoCameByAnInvitationLinkEarnsTheInviterAShareOfHisFirstTopUp() {
        E2eRunner r = startRunner(Map.of("REFERRAL_PERCENT", "10", "REFERRAL_BONUS_MAX_RUB", "50"), Clock.systemUTC());
        long friend = ALICE + 1;
        r.deliver(updates.command(ALICE, "start", ""));
        r.deliver(updates.command(ALICE, "invite", ""));
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("start[= ](r_[0-9a-z]+)")
                .matcher(world.awaitText(ALICE, "Your link").text());
        assertThat(link.find()).isTrue();
        r.deliver(updates.command(friend, "start", link.group(1)));
        long before = balance(r, ALICE);
        topUpWithStars(r, friend, "charge-friend");
        // 50 ⭐ are 75 ₽; a tenth of them
        assertThat(world.awaitText(ALICE, "A friend you invited topped up").text()).contains("7.50");
        assertThat(balance(r, ALICE) - before).isEqualTo(750);
        r.deliver(updates.command(ALICE, "invite", ""));
        world.awaitText(ALICE, "1\u00A0friend came");
        assertThat(Reconciliation.check(r.bot().shop().stores().ledger())).isEmpty();
    }

    /** FREE_DAILY_LIMIT=1 per user; FREE_DAILY_TOTAL=1 for everyone together, so the next user gets none. */
    @Test
    void freeTierMovesNoMoneyCountsAndStopsAtTheLimit() {
        world.kie.autoSucceedAfter(0);
        // the bot's day in a zone where it is noon now: in Moscow (the default) a run just before 21:00 UTC had its
        // second order of the day in the next one, free again
        ZoneOffset noon = E2eWorld.whereItIsNoonNow();
        E2eRunner r = startRunner(Map.of("FREE_DAILY_TOTAL", "1", "FREE_DAY_ZONE", noon.getId()), Clock.systemUTC());
        r.deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Free generations left today: 1 of 1");
        r.deliver(updates.text(ALICE, "/menu"));
        press(r, ALICE, "Free models");
        press(r, ALICE, "Z-Image");
        press(r, ALICE, "▶️ Start");
        world.awaitText(ALICE, "Send the text");
        r.deliver(updates.text(ALICE, "a lighthouse"));
        press(r, ALICE, "✓ 1:1");
        world.awaitText(ALICE, "Price: free");
        press(r, ALICE, "Generate for free");
        world.telegram.awaitCall("sendPhoto", c -> c.chatId() == ALICE, E2eWorld.WAIT);
        LocalDate today = r.bot().shop().stores().jobs().recent(ALICE, 1).get(0).createdAt()
                .atZone(noon).toLocalDate();
        assertThat(r.bot().shop().stores().freeUsage().used(ALICE, today)).isEqualTo(1);
        assertThat(balance(r, ALICE)).isEqualTo(100);
        assertThat(r.bot().shop().stores().ledger().transfers(AccountId.wallet(ALICE))).hasSize(1);
        // the second one today is not free
        press(r, ALICE, "Again");
        world.awaitText(ALICE, "free generations are used up");
        assertThat(r.bot().shop().stores().freeUsage().used(ALICE, today)).isEqualTo(1);
        // the whole bot's one of the day is given out: the admin heard, and the next user has none left
        world.awaitText(ADMIN, "бот раздал 1\u00A0генерацию");
        r.deliver(updates.command(BOB, "start", ""));
        world.awaitText(BOB, "free generations for today have run out");
    }

    // ---- 4. crash after submit -------------------------------------------------------------------

    @Test
    void aRestartAfterSubmitDeliversOnceAndChargesOnce() {
        E2eRunner first = startRunner(Map.of(), Clock.systemUTC());
        long before = confirmPaidOrder(first, ALICE, "charge-crash");
        await("submitted", () -> jobState(first, ALICE).filter(s -> s == JobState.SUBMITTED
                || s == JobState.RUNNING).isPresent());
        first.close();
        world.kie.succeed(world.kie.taskIds().get(0));
        E2eRunner second = startRunner(Map.of(), Clock.systemUTC());
        await("delivered after restart",
                () -> jobState(second, ALICE).equals(java.util.Optional.of(JobState.DELIVERED)));
        // DELIVERED is the result handed to the outbox: its photo leaves with the sender, awaited, not given a time
        world.telegram.awaitCall("sendPhoto", c -> c.chatId() == ALICE, E2eWorld.WAIT);
        E2eWorld.sleep(1500);
        assertThat(world.telegram.callsTo("sendPhoto")).hasSize(1);
        assertThat(world.kie.count(FakeKieServer.Endpoint.CREATE_TASK)).isEqualTo(1);
        assertThat(balance(second, ALICE)).isEqualTo(before - 312);
        assertThat(second.bot().shop().stores().ledger().balance(AccountId.REVENUE).creditsPosted()).isEqualTo(312);
        assertThat(Reconciliation.check(second.bot().shop().stores().ledger())).isEmpty();
    }

    /**
     * Stopping a runner while it handles a crowd logs no error or warning (intake stops, in-flight updates
     * commit, replies stop, the database goes last), and the next start handles what was left, each update once.
     */
    @Test
    void aRunnerStoppedUnderLoadStopsCleanlyAndTheNextStartAnswersEveryUpdateOnce() {
        // no credit alert even if a test gives the fake Kie few credits: the upkeep's first look, at a random instant
        // of the first beat, would log «provider credits low» within the stop now and then
        E2eRunner first = startRunner(Map.of("KIE_LOW_CREDITS", "0"), Clock.systemUTC());
        List<Long> chats = new ArrayList<>();
        for (long chat = 6_100_001; chat <= 6_100_040; chat++) {
            chats.add(chat);
            first.deliver(updates.command(chat, "start", ""));
        }
        await("some answered", () -> chats.stream().anyMatch(c -> welcomes(c) > 0));
        LogCapture stopping = LogCapture.attach();
        try {
            first.close();
        } finally {
            stopping.detach();
        }
        assertThat(stopping.warnings()).as("warnings and errors while stopping").isEmpty();
        E2eRunner second = startRunner(Map.of(), Clock.systemUTC());
        await("every chat welcomed", () -> chats.stream().allMatch(c -> welcomes(c) > 0));
        E2eWorld.sleep(1000);
        assertThat(chats).allSatisfy(c -> assertThat(welcomes(c)).as("welcomes in chat %d", c).isEqualTo(1));
        assertThat(Reconciliation.check(second.bot().shop().stores().ledger())).isEmpty();
    }

    private long welcomes(long chat) {
        return world.telegram.textsTo(chat).stream().filter(t -> t.startsWith("Hi, User")).count();
    }

    // ---- 5. duplicates, stale and forged input --------------------------------------------------

    @Test
    void theSameUpdateThreeTimesAtOnceHasOneEffect() throws Exception {
        E2eRunner r = startRunner(Map.of(), Clock.systemUTC());
        r.deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Balance: 1\u00A0₽");
        String payment = updates.successfulPayment(ALICE, invoiceFor50Stars(r, ALICE), 50, "charge-dup");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < 3; i++) {
            pool.submit(() -> {
                go.await();
                r.deliver(payment);
                return null;
            });
        }
        go.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        world.awaitText(ALICE, "Balance topped up");
        E2eWorld.sleep(1000);
        assertThat(balance(r, ALICE)).isEqualTo(100 + 50 * 150);
        assertThat(world.telegram.textsTo(ALICE).stream().filter(t -> t.contains("Balance topped up"))).hasSize(1);
    }

    @Test
    void staleButtonsForgedDataAndHugeTextsAreAnsweredAndChangeNothing() {
        E2eRunner r = startRunner(Map.of(), Clock.systemUTC());
        r.deliver(updates.command(ALICE, "start", ""));
        topUpWithStars(r, ALICE, "charge-stale");
        orderNanoBanana(r, ALICE);
        E2eWorld.Pressable go = world.button(ALICE, "Generate for");
        r.deliver(updates.callback(ALICE, go.messageId(), go.data()));
        // the status message comes after the hold: from then on the balance must not move
        awaitJobStatus(ALICE, "Nano Banana");
        long balance = balance(r, ALICE);
        int answersBefore = world.telegram.callsTo("answerCallbackQuery").size();
        // past the repeated-press window (CALLBACK_DEDUP_MS): a press this late is stale, not a double tap
        E2eWorld.sleep(2_100);
        r.deliver(updates.callback(ALICE, go.messageId(), go.data()));
        // its order went: a pop-up naming the job, no menu burying the job's message
        world.telegram.awaitCall("answerCallbackQuery",
                c -> String.valueOf(c.param("text")).contains("has already started"), E2eWorld.WAIT);
        r.deliver(updates.callback(ALICE, go.messageId(), "forged|data|x"));
        r.deliver(updates.text(ALICE, "x".repeat(5000)));
        // «still in progress» while the job runs, «first pick…» once it is done: each says to pick a model below
        world.awaitText(ALICE, "pick a category and a model below");
        await("both callbacks answered",
                () -> world.telegram.callsTo("answerCallbackQuery").size() >= answersBefore + 2);
        assertThat(r.bot().shop().stores().jobs().recent(ALICE, 5)).hasSize(1);
        assertThat(balance(r, ALICE)).isEqualTo(balance);
    }

    @Test
    void aGroupHearsWhereTheBotWorksAndNothingIsStored() {
        E2eRunner r = startRunner(Map.of(), Clock.systemUTC());
        long group = -1001234567890L;
        r.deliver(updates.groupText(group, ALICE, "/start"));
        FakeTelegramServer.FakeMessage answer = world.awaitText(group, "private messages");
        assertThat(answer.buttons()).flatMap(row -> row).singleElement().satisfies(b -> {
            assertThat(b.url()).contains("https://t.me/" + FakeTelegramServer.DEFAULT_BOT_USERNAME);
            assertThat(b.callbackData()).isEmpty();
        });
        // a text said to the bot (a reply to its message) is answered as a command is, within the group's three
        r.deliver(updates.groupReplyToBot(group, ALICE, "a red fox in the snow", answer.messageId()));
        r.deliver(updates.groupText(group, ALICE, "/menu@" + FakeTelegramServer.DEFAULT_BOT_USERNAME));
        await("the text and the second command answered", () -> world.telegram.textsTo(group).size() >= 3);
        assertThat(world.telegram.textsTo(group)).hasSize(3).allMatch(t -> t.contains("private messages"));
        // in a forum, the answer goes to the topic it was asked in, not to General
        long forum = group - 1;
        r.deliver(updates.topicText(forum, 37, ALICE, "/start"));
        world.awaitText(forum, "private messages");
        assertThat(world.telegram.callsTo("sendMessage")).filteredOn(c -> c.param("chat_id").equals("" + forum))
                .singleElement().satisfies(c -> assertThat(c.param("message_thread_id")).isEqualTo("37"));
        assertThat(world.telegram.callsTo("sendMessage")).filteredOn(c -> c.param("chat_id").equals("" + group))
                .allSatisfy(c -> assertThat(c.params()).doesNotContainKey("message_thread_id"));
        assertThat(r.bot().shop().stores().chatStates().load(group)).isEmpty();
        assertThat(r.bot().shop().stores().users().find(ALICE)).isEmpty();
    }

    // ---- 6. a NUL character and garbage ------------------------------------------------------------------

    @Test
    void aNulCharacterInATextOrANameIsAnsweredAndNothingIdentifiesTheUserInTheLogs() {
        E2eRunner r = startRunner(Map.of(), Clock.systemUTC());
        String withNul = updates.text(ALICE, "a\u0000b").replace("\"first_name\":\"User", "\"first_name\":\"Us\\u0000er");
        r.deliver(withNul);
        world.awaitText(ALICE, "first pick a category and a model below");
        r.deliver(updates.text(ALICE, "\u0000".repeat(50) + "z".repeat(5000)));
        await("both answered", () -> world.telegram.textsTo(ALICE).stream()
                .filter(t -> t.contains("first pick a category and a model below")).count() == 2);
        assertThat(r.bot().shop().stores().users().find(ALICE).orElseThrow().firstName()).doesNotContain("\u0000");
    }

    /** A job's status message, whichever state it shows by now (progress edits it within seconds). */
    private void awaitJobStatus(long chat, String title) {
        world.awaitMessage(chat, t -> t.contains(title) && t.contains("gen_"));
    }

    // ---- 7. the models people come for -----------------------------------------------------------

    /** The field names of a JSON object. */
    private static List<String> names(com.fasterxml.jackson.databind.JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private com.fasterxml.jackson.databind.JsonNode createdFor(String model) {
        return world.kie.requests(FakeKieServer.Endpoint.CREATE_TASK).stream().map(FakeKieServer.Recorded::json)
                .filter(b -> b.path("model").asText().equals(model)).findFirst()
                .orElseThrow(() -> new AssertionError("no createTask for " + model));
    }

    /**
     * Kling 3.0, a chosen voice and a song on the user's own lyrics reach Kie with exactly the documented fields;
     * then "🔥 Popular" lists these three models first, and the command menu was registered at start.
     */
    @Test
    void klingThreeAChosenVoiceAndOwnLyricsReachKieWithTheDocumentedFieldsAndArePopularAfter() {
        world.kie.autoSucceedAfter(1);
        E2eRunner r = startRunner(Map.of("WELCOME_BALANCE_RUB", "500"), Clock.systemUTC());
        r.deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Balance: 500\u00A0₽");
        r.deliver(updates.command(ALICE, "menu", ""));
        press(r, ALICE, "Video");
        press(r, ALICE, "Kling 3.0 from ");
        world.awaitText(ALICE, "The newest Kling");
        press(r, ALICE, "▶️ Start");
        r.deliver(updates.text(ALICE, "a fox running through the snow"));
        press(r, ALICE, "Skip");
        press(r, ALICE, "✓ 5");
        press(r, ALICE, "Standard");
        press(r, ALICE, "Yes");
        press(r, ALICE, "✓ 16:9");
        world.awaitText(ALICE, "Check and confirm: Kling 3.0");
        press(r, ALICE, "Generate for 78\u00A0₽");
        awaitJobStatus(ALICE, "Kling 3.0");

        r.deliver(updates.command(ALICE, "menu", ""));
        press(r, ALICE, "Speech & audio");
        press(r, ALICE, "ElevenLabs Turbo ·");
        world.awaitText(ALICE, "into speech, fast");
        press(r, ALICE, "▶️ Start");
        r.deliver(updates.text(ALICE, "Hello from the fox"));
        press(r, ALICE, "Bella ♀");
        world.awaitText(ALICE, "Check and confirm: ElevenLabs Turbo");
        press(r, ALICE, "Generate for 4.68\u00A0₽");
        awaitJobStatus(ALICE, "ElevenLabs Turbo");

        r.deliver(updates.command(ALICE, "menu", ""));
        press(r, ALICE, "Music");
        press(r, ALICE, "Suno V5: your lyrics ·");
        world.awaitText(ALICE, "A song on your own lyrics");
        press(r, ALICE, "▶️ Start");
        r.deliver(updates.text(ALICE, "Fox in the Snow"));
        r.deliver(updates.text(ALICE, "indie folk, acoustic guitar"));
        r.deliver(updates.text(ALICE, "[Verse]\nRunning through the snow"));
        world.awaitText(ALICE, "Check and confirm: Suno V5: your lyrics");
        press(r, ALICE, "Generate for 9.36\u00A0₽");

        await("three tasks created", () -> world.kie.count(FakeKieServer.Endpoint.CREATE_TASK) == 2
                && world.kie.count(FakeKieServer.Endpoint.SUNO_GENERATE) == 1);
        var kling = createdFor("kling-3.0/video").get("input");
        // the multi-shot arrays the schema requires also for a single shot, sent empty (kie-api.md §8)
        assertThat(names(kling)).containsExactlyInAnyOrder("prompt", "duration", "mode", "sound", "aspect_ratio",
                "multi_shots", "multi_prompt", "kling_elements");
        assertThat(kling.get("duration").asText()).isEqualTo("5");
        assertThat(kling.get("mode").asText()).isEqualTo("std");
        assertThat(kling.get("sound").booleanValue()).isTrue();
        assertThat(kling.get("multi_shots").booleanValue()).isFalse();
        var speech = createdFor("elevenlabs/text-to-speech-turbo-2-5").get("input");
        assertThat(names(speech)).containsExactlyInAnyOrder("text", "voice", "stability", "similarity_boost");
        assertThat(speech.get("voice").asText()).isEqualTo("hpp4J3VqNfWAUOO0d1Us");
        var song = world.kie.requests(FakeKieServer.Endpoint.SUNO_GENERATE).get(0).json();
        assertThat(names(song)).containsExactlyInAnyOrder("title", "style", "prompt", "customMode", "instrumental",
                "model", "callBackUrl");
        assertThat(song.get("customMode").booleanValue()).isTrue();
        assertThat(song.get("instrumental").booleanValue()).isFalse();
        assertThat(song.get("model").asText()).isEqualTo("V5");
        assertThat(song.get("title").asText()).isEqualTo("Fox in the Snow");
        assertThat(song.get("style").asText()).isEqualTo("indie folk, acoustic guitar");
        assertThat(song.get("prompt").asText()).isEqualTo("[Verse]\nRunning through the snow");
        await("all three delivered", () -> r.bot().shop().stores().jobs().recent(ALICE, 3).stream()
                .filter(j -> j.state() == JobState.DELIVERED).count() == 3);
        // "🔥 Popular" now lists the three models just used, first (equal counts: by model id)
        r.deliver(updates.command(ALICE, "menu", ""));
        press(r, ALICE, "Popular");
        FakeTelegramServer.FakeMessage popular = world.awaitText(ALICE, "what people used most this week");
        List<String> offered = popular.buttons().stream().flatMap(List::stream)
                .map(FakeTelegramServer.FakeButton::text).toList();
        assertThat(offered.subList(0, 3)).satisfiesExactly(
                b -> assertThat(b).startsWith("ElevenLabs Turbo ·"),
                b -> assertThat(b).startsWith("Kling 3.0 from "),
                b -> assertThat(b).startsWith("Suno V5: your lyrics ·"));
        assertThat(offered).hasSize(11);
        // the runner registered its command menu at start, in both languages
        await("command menus", () -> world.telegram.commands("ru").size() == world.telegram.commands("en").size()
                && !world.telegram.commands("ru").isEmpty());
        assertThat(world.telegram.commands("ru")).extracting(FakeTelegramServer.FakeCommand::command)
                .contains("menu", "status", "popular");
    }
}
