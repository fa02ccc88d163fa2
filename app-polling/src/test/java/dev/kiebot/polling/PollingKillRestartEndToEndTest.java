package dev.kiebot.polling;

import static dev.kiebot.runtime.testing.E2eWorld.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.shop.JobWorker;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.PgStores;
import dev.kiebot.postgres.testing.LedgerInvariants;
import dev.kiebot.runtime.testing.CleanLogs;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.runtime.testing.RunnerProcess;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeUpdates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The polling runner as an operator runs it — its own JVM, the embedded PostgreSQL in its DATA_DIR — killed with
 * SIGKILL while one chat's update is half-handled, two paid generations run at Kie and a third one's createTask is
 * on its way there (Kie has it and has not answered), then started again on the same DATA_DIR (issue 14, findings 1
 * and 2 through a runner). The restart finds the server the killed JVM left behind, stops it, and is ready; each
 * generation is delivered once or refunded once and the ledger keeps its invariants; the createTask cut off is not
 * sent again and its price stays held (refunded only after {@code JobWorker.SUBMIT_WINDOW}, which
 * {@code GenerationLifecycleTest} shows); the half-handled update takes effect once and its chat answers the next message; and a reply that was
 * on the wire at the kill (its chat leased to the dead run's sender) goes again at once, not when the lease ends.
 */
@ExtendWith(CleanLogs.class)
@ExtendWith(MigratedTemplate.class)
class PollingKillRestartEndToEndTest {
    private static final long ALICE = 5_550_001;
    private static final long BOB = 5_550_002;
    private static final long CAROL = 5_550_003;
    private static final long DAVE = 5_550_004;
    private static final long ERIN = 5_550_005;
    private static final long ADMIN = 900;

    @TempDir
    Path dataDir;
    private E2eWorld world;
    private FakeUpdates updates;
    private final List<RunnerProcess> runners = new ArrayList<>();

    @BeforeEach
    void fakes() {
        world = new E2eWorld();
        updates = world.telegram.updates();
    }

    /** Kills what is left and stops a server a failed test left running (a start on the directory clears it). */
    @AfterEach
    void cleanUp() throws Exception {
        RunnerProcess.stopAll(runners, dataDir);
        world.close();
    }

    /** {@link PollingMain} in a JVM of its own, ready; {@code runners.size()} numbers its log and instance. */
    private RunnerProcess readyChild() throws Exception {
        RunnerProcess r = RunnerProcess.ready(RunnerProcess.Kind.polling(PollingMain.class), world, dataDir,
                Map.of("ADMIN_IDS", Long.toString(ADMIN)), runners.size());
        runners.add(r);
        return r;
    }

    private void press(long user, String label) {
        E2eWorld.Pressable b = world.button(user, label);
        world.telegram.enqueue(updates.callback(user, b.messageId(), b.data()));
    }

    /** /start, Nano Banana with a prompt and 1:1, confirmed: the price is held and the task goes to Kie. */
    private void orderNanoBanana(long user) {
        world.telegram.enqueue(updates.command(user, "start", ""));
        world.awaitText(user, "Balance: 10\u00A0₽");
        world.telegram.enqueue(updates.command(user, "menu", ""));
        press(user, "Images");
        press(user, "Nano Banana ·");
        press(user, "▶️ Start");
        world.awaitText(user, "Send the text");
        world.telegram.enqueue(updates.text(user, "a red fox in the snow"));
        press(user, "✓ 1:1");
        world.awaitText(user, "Check and confirm: Nano Banana");
        press(user, "Generate for 3.12\u00A0₽");
        world.awaitMessage(user, t -> t.contains("Nano Banana") && t.contains("gen_"));
    }

    /** The next handling of Dave's chat stops inside its transaction, right before the update is marked done. */
    private static void stallDavesNextUpdate(Database db) {
        db.jdbi().useHandle(h -> {
            h.execute("CREATE SEQUENCE test_stalls");
            h.execute("CREATE FUNCTION test_stall() RETURNS trigger AS $$ BEGIN "
                    + "IF NEW.chat_id = " + DAVE + " AND nextval('test_stalls') = 1 THEN PERFORM pg_sleep(600); "
                    + "END IF; RETURN NEW; END $$ LANGUAGE plpgsql");
            h.execute("CREATE TRIGGER test_stall BEFORE UPDATE ON processed_updates FOR EACH ROW "
                    + "EXECUTE FUNCTION test_stall()");
        });
    }

    private static boolean handlingStalled(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_stat_activity "
                + "WHERE wait_event = 'PgSleep'").mapTo(Long.class).one()) == 1;
    }

    private static void awaitPastALease(String what, java.util.function.BooleanSupplier done) {
        await(what, JobWorker.LEASE.plus(E2eWorld.WAIT), done);
    }

    private long texts(long chat, String fragment) {
        return world.telegram.textsTo(chat).stream().filter(t -> t.contains(fragment)).count();
    }

    @Test
    void aKilledRunnerRestartsReadyAndEveryGenerationAndTheHalfHandledUpdateTakeEffectOnce() throws Exception {
        RunnerProcess first = readyChild();
        orderNanoBanana(ALICE);
        orderNanoBanana(BOB);
        await("both tasks at Kie", () -> world.kie.count(FakeKieServer.Endpoint.CREATE_TASK) == 2);
        // Kie takes Erin's createTask and sits on its answer: the kill comes before the bot learns of a task id
        world.kie.enqueue(FakeKieServer.Endpoint.CREATE_TASK,
                FakeKieServer.Reply.ok("{\"code\":200,\"data\":{\"taskId\":\"never-answered\"}}")
                        .after(Duration.ofMinutes(10)));
        orderNanoBanana(ERIN);
        await("Erin's createTask at Kie", () -> world.kie.count(FakeKieServer.Endpoint.CREATE_TASK) == 3);
        try (Database db = RunnerProcess.database(dataDir)) {
            stallDavesNextUpdate(db);
            world.telegram.enqueue(updates.command(DAVE, "start", ""));
            await("Dave's /start half-handled", () -> handlingStalled(db));
        }
        // Telegram takes Carol's answer and sits on it (the sender gives up after 15 s): her chat is leased at the kill
        world.telegram.failWhen("sendMessage", c -> c.chatId() == CAROL,
                FakeTelegramServer.Failure.delay(Duration.ofMinutes(10)));
        world.telegram.enqueue(updates.command(CAROL, "start", ""));
        await("Carol's answer on the wire", () -> world.telegram.callsTo("sendMessage").stream()
                .anyMatch(c -> c.chatId() == CAROL));
        int sentBeforeKill = world.telegram.calls().size();
        first.kill(); // SIGKILL: no shutdown hook, the server is left running
        List<String> tasks = world.kie.taskIds();
        world.kie.succeed(tasks.get(0)); // finished while the bot was down

        world.telegram.clearFailures();
        RunnerProcess second = readyChild();
        world.awaitText(CAROL, "Balance: 10\u00A0₽"); // within WAIT, far less than her chat's lease
        world.kie.fail(tasks.get(1), "500", "internal error");
        // a job whose status read was in flight at the kill stays leased to the dead instance until its lease ends
        awaitPastALease("Alice's result", () -> !world.telegram.callsTo("sendPhoto").isEmpty());
        awaitPastALease("Bob's refund", () -> texts(BOB, "returned to your balance") > 0);
        world.awaitText(DAVE, "Balance: 10\u00A0₽");
        world.telegram.enqueue(updates.command(DAVE, "help", ""));
        world.awaitText(DAVE, "Here you can make");
        System.out.printf("kill -9: first start ready in %d ms, the restart after the kill in %d ms%n",
                first.took().toMillis(), second.took().toMillis());

        try (Database db = RunnerProcess.database(dataDir)) {
            Stores stores = PgStores.create(db, Clock.systemUTC()).asCoreStores();
            await("both jobs finished",
                    () -> jobsIn(stores, JobState.DELIVERED) + jobsIn(stores, JobState.FAILED) == 2);
            // all it queued is sent: a second delivery or notice would be among it
            E2eWorld.awaitSettled("the restarted runner", db.jdbi());
            Job alice = stores.jobs().recent(ALICE, 5).get(0);
            Job bob = stores.jobs().recent(BOB, 5).get(0);
            assertThat(alice.state()).isEqualTo(JobState.DELIVERED);
            assertThat(stores.ledger().holdState(alice.holdId())).contains(HoldState.POSTED);
            assertThat(bob.state()).isEqualTo(JobState.FAILED);
            assertThat(stores.ledger().holdState(bob.holdId())).contains(HoldState.VOIDED);
            assertThat(world.telegram.callsTo("sendPhoto")).as("one result, to Alice").singleElement()
                    .satisfies(c -> assertThat(c.chatId()).isEqualTo(ALICE));
            assertThat(texts(BOB, "returned to your balance")).as("one refund notice").isEqualTo(1);
            assertThat(world.kie.count(FakeKieServer.Endpoint.CREATE_TASK)).as("no task sent twice").isEqualTo(3);
            Job erin = stores.jobs().recent(ERIN, 5).get(0);
            assertThat(erin.state()).as("cut off mid-send: neither sent again nor refunded while it may be on its way")
                    .isEqualTo(JobState.SUBMITTING);
            assertThat(stores.ledger().holdState(erin.holdId())).contains(HoldState.PENDING);
            assertThat(balance(stores, ERIN)).isEqualTo(1_000 - 312);
            assertThat(texts(ERIN, "returned to your balance")).isZero();
            assertThat(balance(stores, ALICE)).isEqualTo(1_000 - 312);
            assertThat(balance(stores, BOB)).isEqualTo(1_000);
            assertThat(balance(stores, DAVE)).as("the welcome bonus of the half-handled /start, once").isEqualTo(1_000);
            assertThat(texts(DAVE, "Balance: 10\u00A0₽")).as("the half-handled /start answered once").isEqualTo(1);
            assertThat(texts(CAROL, "Balance: 10\u00A0₽")).as("the answer cut off by the kill, sent once more")
                    .isEqualTo(1);
            assertThat(Reconciliation.check(stores.ledger())).isEmpty();
            assertThat(LedgerInvariants.violations(db.jdbi())).isEmpty();
        }
        assertThat(world.telegram.calls().size()).isGreaterThan(sentBeforeKill);
        second.process().destroy(); // SIGTERM: the runner stops its work, then its database
        assertThat(second.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.process().exitValue()).isZero();
        assertThat(dataDir.resolve("pg").resolve("postmaster.pid")).doesNotExist();
        for (Path log : RunnerProcess.logsIn(dataDir)) {
            CleanLogs.assertClean(Files.readAllLines(log, StandardCharsets.UTF_8));
        }
    }

    /**
     * A broadcast killed mid-way: the recipient whose message was on the wire at the kill may or may not have it,
     * and is not messaged again; everyone after him in the dead run's batch surely never got it, and gets it from the
     * restarted runner at once, not counted as abandoned five minutes later (before, the dead run had claimed its
     * whole batch of twenty before sending the first).
     */
    @Test
    void aBroadcastKilledMidWaySendsTheRestOnceAfterTheRestart() throws Exception {
        String text = "New models are in the bot";
        List<Long> users = List.of(5_570_001L, 5_570_002L, 5_570_003L, 5_570_004L, 5_570_005L);
        long onTheWire = users.get(1);
        RunnerProcess first = readyChild();
        for (long u : users) {
            world.telegram.enqueue(updates.command(u, "start", ""));
        }
        world.telegram.enqueue(updates.command(ADMIN, "start", ""));
        for (long u : users) {
            world.awaitText(u, "Balance: 10\u00A0₽");
        }
        world.awaitText(ADMIN, "Balance: 10\u00A0₽");
        // Telegram takes the second user's broadcast and sits on it: the kill comes while it is on the wire
        world.telegram.failWhen("sendMessage", c -> c.chatId() == onTheWire && text.equals(c.text()),
                FakeTelegramServer.Failure.delay(Duration.ofMinutes(10)));
        world.telegram.enqueue(updates.command(ADMIN, "broadcast", text));
        world.awaitText(ADMIN, "Send it?");
        press(ADMIN, "📣");
        await("the broadcast on the wire", () -> broadcastsTo(onTheWire, text) == 1);
        first.kill(); // SIGKILL mid-broadcast

        world.telegram.clearFailures();
        RunnerProcess second = readyChild();
        for (long u : users) {
            await("the broadcast to " + u, () -> broadcastsTo(u, text) >= 1);
        }
        try (Database db = RunnerProcess.database(dataDir)) {
            // a recipient is claimed right before he is messaged: with none left to claim and no claim open but the
            // dead run's, the broadcast sends nothing more (the dead run's claim is abandoned, not sent again)
            dev.kiebot.core.broadcast.Broadcasts broadcasts =
                    PgStores.create(db, Clock.systemUTC()).asCoreStores().broadcasts();
            await("every recipient but the one on the wire at the kill messaged", () -> broadcasts.queued().stream()
                    .map(b -> broadcasts.tally(b.id())).allMatch(t -> t.pending() == 0 && t.sending() <= 1));
        }
        for (long u : users) {
            assertThat(broadcastsTo(u, text)).as("the broadcast to %d", u).isEqualTo(1);
        }
        assertThat(broadcastsTo(ADMIN, text)).isEqualTo(1);
        second.process().destroy();
        assertThat(second.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        for (Path log : RunnerProcess.logsIn(dataDir)) {
            CleanLogs.assertClean(Files.readAllLines(log, StandardCharsets.UTF_8));
        }
    }

    private long broadcastsTo(long chat, String text) {
        return world.telegram.callsTo("sendMessage").stream()
                .filter(c -> c.chatId() == chat && text.equals(c.text())).count();
    }

    private static long jobsIn(Stores stores, JobState state) {
        return List.of(ALICE, BOB).stream().flatMap(u -> stores.jobs().recent(u, 5).stream())
                .filter(j -> j.state() == state).count();
    }

    private static long balance(Stores stores, long user) {
        return stores.ledger().balance(AccountId.wallet(user)).available();
    }
}
