package dev.kiebot.webhook.chaos;

import dev.kiebot.core.shop.JobWorker;
import dev.kiebot.postgres.Database;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.runtime.testing.RunnerProcess;
import dev.kiebot.webhook.WebhookMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at any moment (chaos, not in {@code mvn verify}: minutes long; run with {@code -Pchaos}, see README
 * "Tests"). The webhook runner in its own JVM on its own DATA_DIR, under mixed traffic from many users (starts,
 * Nano Banana orders through the fake Kie, Stars top-ups with their pre-checkout, card top-ups an admin approves,
 * balance), Kie finishing tasks by callback or by being polled, one in five failed; killed with SIGKILL at seeded
 * random moments and started again on the same DATA_DIR. After each restart the money checks ({@link
 * CrashChecks#anyTime}); at the end, once quiet, everything taken answered once ({@link CrashChecks#settled}).
 *
 * <p>System properties: {@code chaos.seed} (printed; default random), {@code chaos.kills} (6), {@code chaos.users}
 * (50), {@code chaos.deadlineMin} (the image deadline {@code KIE_DEADLINE_IMAGE_MIN}, 10: a job a kill left waiting
 * for Kie is refunded at it, so the settling waits that long at most).
 */
@Tag("chaos")
class KillAtAnyMomentTest {
    private static final long SEED = Long.getLong("chaos.seed", new Random().nextLong());
    private static final int KILLS = Integer.getInteger("chaos.kills", 6);
    private static final int USERS = Integer.getInteger("chaos.users", 50);
    private static final int DEADLINE_MIN = Integer.getInteger("chaos.deadlineMin", 10);
    /** Everything a kill may leave is ended by then: the image deadline, then a dead run's job lease. */
    private static final Duration SETTLE = Duration.ofMinutes(DEADLINE_MIN).plus(JobWorker.LEASE).plusSeconds(90);

    @TempDir
    Path dataDir;
    private final E2eWorld world = new E2eWorld();
    private final List<RunnerProcess> runners = new ArrayList<>();
    private volatile RunnerProcess current;
    private final List<Instant> kills = new ArrayList<>();
    private final List<CrashChecks.Restart> restarts = new ArrayList<>();

    /** The runners' logs outlive the DATA_DIR, for reading what a finding's rows name. */
    @AfterEach
    void cleanUp() throws Exception {
        Path kept = Path.of("target", "chaos-" + SEED);
        Files.createDirectories(kept);
        RunnerProcess.stopAll(runners, dataDir);
        for (RunnerProcess r : runners) {
            Files.copy(r.log(), kept.resolve(r.log().getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        world.close();
    }

    /**
     * A restart listens on another port, but its public address for Kie stays the one behind the proxy, as an
     * operator's does: a cut-off job takes a callback's task only when the task was made with its own callback URL.
     * The per-user limit is off: the users press about 24 times a minute, above its 20, and a flow it refused would
     * look, to the figures, like one a kill cut off (the limit has its own tests; here a kill is what is measured).
     */
    private void startRunner() throws Exception {
        current = RunnerProcess.ready(RunnerProcess.Kind.webhook(WebhookMain.class), world, dataDir,
                Map.of("ADMIN_IDS", Long.toString(MixedTraffic.ADMIN), "CALLBACK_DEDUP_MS", "0",
                        "KIE_DEADLINE_IMAGE_MIN", Integer.toString(DEADLINE_MIN),
                        "KIE_CALLBACK_URL", "https://kiebot.example.test",
                        "KIE_WEBHOOK_HMAC_KEY", MixedTraffic.KIE_HMAC,
                        "PAYMENT_CARD", "2200 0000 0000 0042", "PAYMENT_BANK", "T-Bank",
                        "PAYMENT_CARD_HOLDER", "I. Ivanov", "RATE_LIMIT_PER_MINUTE", "0"),
                runners.size());
        runners.add(current);
    }

    @Test
    void killedAtRandomMomentsTheBotLosesAndDoublesNoMoneyAndNoAnswer() throws Exception {
        System.out.printf("chaos: seed %d (-Dchaos.seed=%d), %d kills, %d users, image deadline %d min%n", SEED, SEED,
                KILLS, USERS, DEADLINE_MIN);
        Random rnd = new Random(SEED);
        world.kie.autoSucceedAfter(2);
        startRunner();
        MixedTraffic traffic = new MixedTraffic(world, USERS, () -> current.base());
        traffic.adminStarts();
        ExecutorService pool = Executors.newFixedThreadPool(USERS + 2);
        for (int i = 0; i < USERS; i++) {
            long user = MixedTraffic.FIRST_USER + i;
            long seed = rnd.nextLong();
            pool.submit(() -> traffic.user(user, seed));
        }
        long kieSeed = rnd.nextLong();
        pool.submit(() -> traffic.kie(new Random(kieSeed)));
        pool.submit(traffic::admin);

        SoftAssertions softly = new SoftAssertions();
        for (int k = 1; k <= KILLS; k++) {
            Thread.sleep(2_000 + rnd.nextInt(18_000));
            kills.add(Instant.now());
            current.kill();
            Thread.sleep(rnd.nextInt(3_000));
            startRunner();
            restarts.add(new CrashChecks.Restart(kills.get(k - 1), Instant.now()));
            try (Database db = RunnerProcess.database(dataDir)) {
                for (CrashChecks.Check c : CrashChecks.anyTime(db)) {
                    softly.assertThat(c.rows()).as("seed %d, after kill %d: %s", SEED, k, c.name()).isEmpty();
                }
            }
            System.out.printf("chaos: kill %d at %s; %s%n", k, kills.get(k - 1), traffic.figures());
        }
        Thread.sleep(5_000);
        traffic.usersStop.set(true);
        pool.shutdown();
        boolean quiet = awaitQuiet();
        traffic.end();
        pool.awaitTermination(6, TimeUnit.MINUTES);
        try (Database db = RunnerProcess.database(dataDir)) {
            CrashChecks.Explained preCheckoutsLate = db.jdbi().withHandle(h -> CrashChecks.preCheckoutsUnanswered(h,
                    traffic, world, restarts));
            int cutOffMidSend = db.jdbi().withHandle(h -> CrashChecks.reconciled(h, world, kills).explained());
            System.out.printf("chaos: seed %d, %d kills; %s; %s; button answers lost at a kill (not kept, README) %d; "
                    + "top-up notices on the wire at a kill, sent again (at least once, README) %d; refund notices "
                    + "and results past one per failed or delivered job (sent again at a kill) %s; pre-checkouts a "
                    + "restart found past Telegram's window (not answered, unpaid) %d, their chat not told %s; "
                    + "pre-checkouts "
                    + "answered after Telegram's 10 s from their first post (refused by Telegram, taken by the fake) %s;"
                    + " jobs a kill cut "
                    + "off before Kie took them, refunded at their deadline with a RECONCILE line %d; restarts ready "
                    + "after their kill (s) %s%n",
                    SEED, KILLS, traffic.figures(), CrashFigures.of(db), CrashChecks.callbacksLostAtAKill(traffic,
                            world), CrashChecks.topUpNoticesSentAgain(traffic, world, kills),
                    CrashChecks.sentAgain(db, traffic, world), preCheckoutsLate.explained(), preCheckoutsLate.notes(),
                    CrashChecks.preCheckoutsAnsweredLate(traffic, world), cutOffMidSend,
                    restarts.stream().map(r -> String.format("%.1f", Duration.between(r.killed(), r.ready())
                            .toMillis() / 1000.0)).toList());
            softly.assertThat(quiet).as("seed %d: quiet (every job ended, outbox empty, every update done, every card "
                    + "claim decided) within %s", SEED, SETTLE).isTrue();
            for (CrashChecks.Check c : CrashChecks.settled(db, traffic, world, restarts)) {
                softly.assertThat(c.rows()).as("seed %d, at the end: %s", SEED, c.name()).isEmpty();
            }
        }
        softly.assertAll();
    }

    /** Every job ended, the outbox empty, every update done and every card claim decided, within {@link #SETTLE}. */
    private boolean awaitQuiet() throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            try (Database db = RunnerProcess.database(dataDir)) {
                if (CrashFigures.open(db) == 0) {
                    Thread.sleep(3_000); // what the last of it queued, sent
                    if (CrashFigures.open(db) == 0) {
                        return true;
                    }
                }
            }
            Thread.sleep(1_000);
        }
        return false;
    }
}
