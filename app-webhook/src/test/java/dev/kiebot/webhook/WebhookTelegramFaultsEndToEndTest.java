package dev.kiebot.webhook;

import static dev.kiebot.runtime.testing.E2eWorld.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.testing.CleanLogs;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.telegram.fake.FakeTelegramServer.Call;
import dev.kiebot.telegram.fake.FakeTelegramServer.Failure;
import dev.kiebot.telegram.fake.FakeTelegramServer.FakeMessage;
import dev.kiebot.telegram.fake.FakeUpdates;
import dev.kiebot.telegram.fake.ReplyFaults.Fault;
import dev.kiebot.telegram.fake.ReplyFaults.ReplyKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14's Telegram fault matrix through the webhook runner: one fault of each kind (500, nginx's HTML 502, the
 * connection dropped before Telegram read the request, dropped after Telegram carried it out, 429 with
 * retry_after) on each kind of reply the user waits for — a plain answer ({@code sendMessage}), a generation's
 * result ({@code sendPhoto}) and the refund notice that edits a job's status message ({@code editMessageText}).
 * Whatever the fault, the chat ends up showing that reply exactly once (twice for a send dropped after Telegram took
 * it: the bot, seeing Telegram in doubt, sends it once more when a getMe answers, a duplicate being better than a
 * lost answer): no lost answer, no photo followed by its link, no refund without its notice. One runner serves the whole matrix, each case in a chat of its own, prepared
 * together up front so the matrix costs little more than its faults.
 */
@ExtendWith(CleanLogs.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookTelegramFaultsEndToEndTest {
    private static final long FIRST_USER = 5_551_000;

    /** A 429's wait, waited out for real. */
    private static final int RETRY_AFTER_SECONDS = 1;

    private final HttpClient http = HttpClient.newHttpClient();
    private E2eWorld world;
    private FakeUpdates updates;
    private WebhookServer server;

    @BeforeAll
    void startOneRunnerAndPrepareEveryChat() {
        world = new E2eWorld();
        updates = world.telegram.updates();
        server = FreePortWebhook.startRegistered(world.env(E2eWorld.with("WELCOME_BALANCE_RUB", "10")),
                Clock.systemUTC());
        prepare();
    }

    @AfterAll
    void stop() {
        server.close();
        world.close();
    }

    @AfterEach
    void noFaultLeftArmed() {
        world.telegram.clearFailures();
    }

    private static long user(ReplyKind kind, Fault fault) {
        return FIRST_USER + 10L * kind.ordinal() + fault.ordinal();
    }

    private static List<Long> users(ReplyKind kind) {
        return Stream.of(Fault.values()).map(f -> user(kind, f)).toList();
    }

    /** {@code count} chats of their own from {@code first} on. */
    private static List<Long> chats(long first, int count) {
        return java.util.stream.LongStream.range(first, first + count).boxed().toList();
    }

    private static List<Long> plus(List<Long> chats, long one) {
        List<Long> all = new ArrayList<>(chats);
        all.add(one);
        return all;
    }

    /** The chat of the extra case: an edit Telegram refuses for good. */
    private static final long REFUSED_EDIT_USER = FIRST_USER + 99;

    // ---- preparation: every chat up to the moment of its fault, all chats in step ---------------------------

    private void deliver(String update) {
        assertThat(world.telegram.deliverToWebhook(update)).isEqualTo(200);
    }

    private void press(long user, String label) {
        E2eWorld.Pressable b = world.button(user, label);
        deliver(updates.callback(user, b.messageId(), b.data()));
    }

    /** One step for each chat; the bot works on all of them at once, the waits overlap. */
    private static void inStep(List<Long> chats, LongConsumer step) {
        chats.forEach(step::accept);
    }

    /** Every chat's /start, in step, answered with the welcome balance. */
    private void started(List<Long> chats) {
        inStep(chats, u -> deliver(updates.command(u, "start", "")));
        inStep(chats, u -> world.awaitText(u, "Balance: 10\u00A0₽"));
    }

    private void prepare() {
        List<Long> photo = users(ReplyKind.SEND_PHOTO);
        List<Long> edit = plus(users(ReplyKind.EDIT_MESSAGE_TEXT), REFUSED_EDIT_USER);
        List<Long> all = new ArrayList<>(users(ReplyKind.SEND_MESSAGE));
        all.addAll(photo);
        all.addAll(edit);
        started(all);
        List<Long> ordering = new ArrayList<>(photo);
        ordering.addAll(edit);
        inStep(ordering, u -> deliver(updates.command(u, "menu", "")));
        inStep(photo, u -> press(u, "Free models"));
        inStep(photo, u -> press(u, "Z-Image"));
        inStep(edit, u -> press(u, "Images"));
        inStep(edit, u -> press(u, "Nano Banana ·"));
        inStep(ordering, u -> press(u, "▶️ Start"));
        inStep(ordering, u -> world.awaitText(u, "Send the text"));
        inStep(ordering, u -> deliver(updates.text(u, "a red fox in the snow")));
        inStep(ordering, u -> press(u, "✓ 1:1"));
        inStep(photo, u -> world.awaitText(u, "Price: free"));
        inStep(edit, u -> world.awaitText(u, "Check and confirm: Nano Banana"));
        // each refund case needs a job waiting at Kie with its status message shown, before its fault is armed
        int tasks = world.kie.count(FakeKieServer.Endpoint.CREATE_TASK);
        inStep(edit, u -> press(u, "Generate for 3.12\u00A0₽"));
        await("every paid task at Kie", () -> world.kie.count(FakeKieServer.Endpoint.CREATE_TASK) == tasks + edit.size());
        // Kie has the call before the bot has its answer: a case failing the task needs the task id stored
        await("every paid job knows its task", () -> edit.stream().allMatch(u -> job(u).taskId().isPresent()));
        inStep(edit, u -> world.awaitMessage(u, t -> t.contains("Nano Banana") && t.contains("gen_")));
        awaitSettled("every chat");
    }

    /** Nothing waits to be handled or sent, so the next call of a method is the one the case is about. */
    private static void awaitSettled(String what) {
        E2eWorld.awaitSettled(what, TestDatabase.jdbi());
    }

    // ---- the matrix --------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("dev.kiebot.telegram.fake.ReplyFaults#everyReplyUnderEveryFault")
    void theUserSeesEveryReplyExactlyOnce(ReplyKind kind, Fault fault) {
        long user = user(kind, fault);
        awaitSettled("nothing in flight");
        long since = world.telegram.lastSeq();
        // other chats' jobs edit their status every 15 s meanwhile, and this chat's job too: a fault armed for the
        // method's next call could be taken by one of those, and the case would pass without meeting it
        Predicate<Call> meant = theCallMeant(kind, user);
        boolean chatHeldBack = heldBackUntilContinue(kind, fault);
        if (chatHeldBack) {
            world.telegram.failNext(kind.method, 1, fault.failure(RETRY_AFTER_SECONDS));
        } else {
            world.telegram.failNext(kind.method, 1, meant, fault.failure(RETRY_AFTER_SECONDS));
        }
        // a send dropped after its request left may have arrived, and Telegram looked down: it goes once more when a
        // getMe answers (a duplicate beats no answer; a result once more at most, never refunded)
        int copies = fault == Fault.DROP_AFTER ? 2 : 1;
        switch (kind) {
            case SEND_MESSAGE -> plainAnswerArrives(user, copies);
            case SEND_PHOTO -> resultArrivesAsAPhoto(user, copies);
            case EDIT_MESSAGE_TEXT -> refundIsAnnouncedOnce(user, true);
        }
        List<Call> calls = world.telegram.callsTo(kind.method).stream().filter(c -> c.seq() > since).toList();
        if (chatHeldBack) {
            // the dropped call shows no chat, and nothing was done: the client sends it again. With every call of the
            // method since from this chat, the one dropped was this chat's
            assertThat(calls).as("the fault was met").anySatisfy(c -> assertThat(c.dropped()).isTrue());
            assertThat(calls).as("no other chat's call could have taken it")
                    .allSatisfy(c -> assertThat(c.dropped() || meant.test(c)).as(c.toString()).isTrue());
        } else {
            assertThat(calls).as("the fault was met by the call the case is about")
                    .anySatisfy(c -> assertThat(!c.ok() && meant.test(c)).as(c.toString()).isTrue());
        }
    }

    /** The call that carries the reply the case is about: the user's answer, result or refund notice. */
    private static Predicate<Call> theCallMeant(ReplyKind kind, long user) {
        return switch (kind) {
            case SEND_MESSAGE, SEND_PHOTO -> c -> c.chatId() == user;
            // the job's progress edits the same status message: the failure's is the edit that ends it (the refund
            // itself comes as a new message after it)
            case EDIT_MESSAGE_TEXT -> c -> c.chatId() == user && c.text() != null
                    && c.text().contains("the details are in the message below");
        };
    }

    /**
     * A one-shot send asks for "100 Continue" and holds its body, chat and all, until it comes: a drop before the
     * body cannot be aimed at its chat (see {@code FakeTelegramServer}). No other chat sends such a call unasked
     * here (progress edits its status message), so the method's next call is this chat's; the case checks it.
     */
    private static boolean heldBackUntilContinue(ReplyKind kind, Fault fault) {
        return fault == Fault.DROP_BEFORE && kind != ReplyKind.EDIT_MESSAGE_TEXT;
    }

    @Test
    void aStatusEditTelegramRefusesForGoodBecomesOneNewMessage() {
        world.telegram.failWhen("editMessageText", c -> c.chatId() == REFUSED_EDIT_USER,
                Failure.badRequest("message can't be edited"));
        awaitSettled("nothing in flight"); // from here on no edit of this chat can succeed
        // the job's own status message, by its id: its text may already read a progress line ("generating"), not
        // "Queued", when the matrix's other cases took a while
        long statusId = job(REFUSED_EDIT_USER).statusMessageId().orElseThrow();
        FakeMessage status = messages(REFUSED_EDIT_USER).stream().filter(m -> m.messageId() == statusId)
                .reduce((a, b) -> b).orElseThrow();
        refundIsAnnouncedOnce(REFUSED_EDIT_USER, false);
        // a progress line falling due meanwhile (every 15 s) may also have become a new message: the test looks
        // at the status it could not edit, not at how many messages say "queued"
        assertThat(messages(REFUSED_EDIT_USER)).filteredOn(m -> m.messageId() == status.messageId())
                .as("the status it could not edit stays as it was").singleElement()
                .satisfies(m -> assertThat(m.text()).isEqualTo(status.text()));
    }

    // ---- Telegram itself in trouble ----------------------------------------------------------------------------

    /**
     * Telegram hangs for a while (every call read, then its connection closed: a read timeout or a reset after the
     * request left) while six users ask for their balance and a free job's result falls due. The senders stop at the
     * first call in doubt and wait for a getMe to be answered: every user gets his answer after the recovery (twice at
     * most: the calls in flight as it went down go once more), the result arrives as a photo, nothing is refunded.
     * Before, every reply tried during the outage was settled "may have arrived" and never sent: 0 of 6 answered.
     */
    @Test
    void aHangingTelegramHoldsTheRepliesAndEveryUserIsAnsweredWhenItIsBack() {
        List<Long> users = chats(FIRST_USER + 200, 6);
        long photoUser = FIRST_USER + 210;
        started(plus(users, photoUser));
        deliver(updates.command(photoUser, "menu", ""));
        press(photoUser, "Free models");
        press(photoUser, "Z-Image");
        press(photoUser, "▶️ Start");
        world.awaitText(photoUser, "Send the text");
        deliver(updates.text(photoUser, "a red fox in the snow"));
        press(photoUser, "✓ 1:1");
        world.awaitText(photoUser, "Price: free");
        int tasks = world.kie.taskIds().size();
        press(photoUser, "Generate for free");
        await("task at Kie", () -> world.kie.taskIds().size() == tasks + 1);
        String task = world.kie.taskIds().get(tasks);
        awaitSettled("before the outage");
        long since = world.telegram.lastSeq();

        world.telegram.failWhen("*", c -> true, Failure.disconnect());
        users.forEach(u -> deliver(updates.command(u, "balance", "")));
        world.kie.succeed(task);
        kieCallback(task);
        await("the result due", () -> job(photoUser).state() == JobState.DELIVERED);
        E2eWorld.sleep(5_000); // the outage goes on: what would have taken the replies into it has had its time
        long triedInTheOutage = world.telegram.calls().stream()
                .filter(c -> c.seq() > since && c.method().startsWith("send")).count();
        world.telegram.clearFailures();

        for (long u : users) {
            await("the balance in " + u, java.time.Duration.ofSeconds(60), () -> shown(u, "💰 Balance") > 0);
        }
        await("the photo", java.time.Duration.ofSeconds(60),
                () -> messages(photoUser).stream().anyMatch(m -> m.kind().equals("photo")));
        awaitSettled("after the recovery");
        assertThat(triedInTheOutage).as("the senders stopped calling Telegram: a call each at most")
                .isLessThanOrEqualTo(4);
        for (long u : users) {
            assertThat(shown(u, "💰 Balance")).as(world.telegram.transcript(u)).isBetween(1L, 2L);
        }
        assertThat(messages(photoUser)).filteredOn(m -> m.kind().equals("photo")).hasSizeBetween(1, 2);
        assertThat(messages(photoUser)).noneSatisfy(m -> assertThat(m.text()).contains("http"));
        assertThat(job(photoUser).state()).isEqualTo(JobState.DELIVERED);
        assertThat(Reconciliation.check(server.bot().shop().stores().ledger())).isEmpty();
    }

    /**
     * Four chats under a chat's 429 (retry_after 5 s; Telegram's are 30-60) hold no sender: a fifth chat's answer
     * goes before any of theirs is tried again, and theirs follow once Telegram lets them. Before, each sender slept
     * out its chat's pause, and with four of them the whole bot waited.
     */
    @Test
    void fourChatsUnderTheirRateLimitHoldNoSender() {
        List<Long> limited = chats(FIRST_USER + 300, 4);
        long other = FIRST_USER + 310;
        started(plus(limited, other));
        awaitSettled("every chat started");
        long since = world.telegram.lastSeq();
        world.telegram.failWhen("sendMessage", c -> limited.contains(c.chatId()), Failure.tooManyRequests(15));
        limited.forEach(u -> deliver(updates.command(u, "balance", "")));
        await("each limited chat met its 429", () -> world.telegram.callsTo("sendMessage").stream()
                .filter(c -> c.seq() > since && c.status() == 429).map(Call::chatId).distinct().count() == 4);

        deliver(updates.command(other, "balance", ""));
        world.awaitText(other, "💰 Balance");
        List<Call> calls = world.telegram.callsTo("sendMessage").stream().filter(c -> c.seq() > since).toList();
        long answered = calls.stream().filter(c -> c.chatId() == other).mapToLong(Call::seq).min().orElseThrow();
        world.telegram.clearFailures();
        assertThat(calls).as("no limited chat tried again before the other chat's answer")
                .filteredOn(c -> limited.contains(c.chatId()) && c.seq() < answered).hasSize(4);
        limited.forEach(u -> world.awaitText(u, "💰 Balance"));
        awaitSettled("the limited chats answered");
        limited.forEach(u -> assertThat(shown(u, "💰 Balance")).isEqualTo(1));
    }

    private List<FakeMessage> messages(long user) {
        return world.telegram.messages(user);
    }

    /** Messages whose text contains {@code fragment}, ignoring case (progress writes "queued" in a sentence). */
    private long shown(long user, String fragment) {
        String f = fragment.toLowerCase(java.util.Locale.ROOT);
        return messages(user).stream()
                .filter(m -> m.text() != null && m.text().toLowerCase(java.util.Locale.ROOT).contains(f)).count();
    }

    private void plainAnswerArrives(long user, int copies) {
        deliver(updates.command(user, "balance", ""));
        world.awaitText(user, "💰 Balance");
        awaitSettled("the /balance");
        assertThat(shown(user, "💰 Balance")).as(world.telegram.transcript(user)).isEqualTo(copies);
    }

    private void resultArrivesAsAPhoto(long user, int copies) {
        int tasks = world.kie.taskIds().size();
        press(user, "Generate for free");
        await("task at Kie", () -> world.kie.taskIds().size() == tasks + 1);
        String task = world.kie.taskIds().get(tasks);
        world.kie.succeed(task);
        kieCallback(task);
        await("job delivered", () -> job(user).state() == JobState.DELIVERED);
        awaitSettled("the delivered result");
        List<FakeMessage> chat = messages(user);
        assertThat(chat).as(world.telegram.transcript(user)).filteredOn(m -> m.kind().equals("photo"))
                .hasSize(copies);
        assertThat(chat).as("no link on top of the photo:%n%s", world.telegram.transcript(user))
                .noneSatisfy(m -> assertThat(m.text()).contains("http"));
        assertThat(Reconciliation.check(server.bot().shop().stores().ledger())).isEmpty();
    }

    /**
     * The user's paid job fails at Kie: the money comes back, told once in a new message, and the status message
     * ends, once.
     */
    private void refundIsAnnouncedOnce(long user, boolean edited) {
        Job job = job(user);
        world.kie.fail(job.taskId().orElseThrow(), "500", "internal error");
        kieCallback(job.taskId().orElseThrow());
        world.awaitText(user, "returned to your balance");
        awaitSettled("the refund");
        assertThat(shown(user, "returned to your balance")).as(world.telegram.transcript(user)).isEqualTo(1);
        if (edited) {
            assertThat(shown(user, "Queued")).as("the status reads its end:%n%s", world.telegram.transcript(user))
                    .isZero();
            assertThat(shown(user, "the details are in the message below")).as(world.telegram.transcript(user))
                    .isEqualTo(1);
        }
        assertThat(job(user).state()).isEqualTo(JobState.FAILED);
        assertThat(server.bot().shop().stores().ledger().holdState(job.holdId())).contains(HoldState.VOIDED);
        assertThat(server.bot().shop().stores().ledger().balance(AccountId.wallet(user)).available())
                .isEqualTo(1_000);
        assertThat(Reconciliation.check(server.bot().shop().stores().ledger())).isEmpty();
    }

    private Job job(long user) {
        return server.bot().shop().stores().jobs().recent(user, 1).get(0);
    }

    /** Kie's hint that a task is done: the runner reads the task again now instead of at its next poll. */
    private void kieCallback(String task) {
        String url = "http://127.0.0.1:" + server.port() + "/kie/callback/"
                + server.bot().settings().kie().callbackSecret();
        HttpRequest post = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"code\":200,\"msg\":\"ok\",\"data\":{\"taskId\":\""
                        + task + "\"}}")).build();
        try {
            assertThat(http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
