package dev.kiebot.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * /readyz under a flood: concurrent probes share one database probe and all read its answer; an answer is reused
 * for {@link Health#DATABASE_ANSWER_REUSED} and no longer. Before, probes asked the database one at a time and every
 * one beyond the running and the queued probe read "database unreachable" of a bot that was fine.
 */
class HealthTest {
    private static final int PROBES = 8;
    /** Long enough never to end a probe in these tests: a waiter is released by the fake database, not by time. */
    private static final Duration PATIENT = Duration.ofMinutes(1);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicInteger asked = new AtomicInteger();
    private final ExecutorService readyz = Executors.newFixedThreadPool(PROBES);

    @AfterEach
    void stop() {
        readyz.shutdownNow();
    }

    private Health health(BooleanSupplier database) {
        Health h = new Health("test", "lock", () -> {
            asked.incrementAndGet();
            return database.getAsBoolean();
        }, new CallTimes(), nanos::get, PATIENT);
        h.migrated();
        h.telegramReady(true);
        return h;
    }

    /**
     * Found by an operator review: a webhook start's /readyz said "telegram":"ok" beside ready:false, webhook:false,
     * before any call to Telegram had succeeded. It says "unknown" until Telegram first answers.
     */
    @Test
    void telegramIsUnknownUntilItFirstAnswers() {
        CallTimes calls = new CallTimes();
        Health webhook = new Health("webhook", "webhook", () -> true, calls);
        webhook.migrated();
        assertThat(webhook.report()).containsEntry("telegram", "unknown").containsEntry("webhook", false)
                .containsEntry("ready", false);
        calls.telegramAnswered(java.time.Instant.parse("2026-12-05T12:00:00Z"));
        webhook.telegramReady(true);
        assertThat(webhook.report()).containsEntry("telegram", "ok").containsEntry("ready", true);

        Health polling = new Health("polling", "lock", () -> true);
        polling.migrated();
        polling.telegramReady(true); // the lock taken: no word from Telegram yet
        assertThat(polling.report()).containsEntry("telegram", "unknown");
        polling.telegramUnreachable("3 getUpdates calls failed in a row");
        assertThat(polling.report()).containsEntry("telegram", "unreachable: 3 getUpdates calls failed in a row");
        polling.telegramReachable();
        assertThat(polling.report()).containsEntry("telegram", "ok");
    }

    /**
     * An incident drill (review R2): during a 429 storm /readyz showed nothing of the reply senders held for Telegram's
     * flood wait. It shows them, never a condition of readiness (updates still come in; a restart ends no wait).
     */
    @Test
    void sendersHeldForTelegramAreShownAndTheInstanceStaysReady() {
        AtomicBoolean held = new AtomicBoolean();
        Health h = health(() -> true);
        h.sendersHeld(held::get);
        assertThat(h.report()).containsEntry("telegramSendersHeld", false).containsEntry("ready", true);
        held.set(true);
        assertThat(h.report()).containsEntry("telegramSendersHeld", true).containsEntry("ready", true);
    }

    /**
     * The machine's clock against the database's is shown, never a condition of readiness: a load balancer taking a
     * skewed instance out stops none of its workers (what a skewed clock spoils), and a database whose own clock is
     * off would take every instance out at once.
     */
    @Test
    void aSkewedClockIsReportedAndTheInstanceStaysReady() {
        AtomicReference<java.util.Optional<Duration>> lastLook = new AtomicReference<>(java.util.Optional.empty());
        Health h = health(() -> true);
        h.clockSkew(lastLook::get, java.util.Optional.of(Duration.ofMinutes(2)));
        assertThat(h.report()).containsEntry("clock", "unknown").containsEntry("clockSkewSeconds", null)
                .containsEntry("ready", true);

        lastLook.set(java.util.Optional.of(Duration.ofMillis(-1_240)));
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(h.report()).containsEntry("clock", "ok").containsEntry("clockSkewSeconds", -1.2);

        lastLook.set(java.util.Optional.of(Duration.ofSeconds(45)));
        assertThat(h.report()).containsEntry("clock", "off: 45 s ahead of the database's, more than the 30 s warned of")
                .containsEntry("ready", true);

        lastLook.set(java.util.Optional.of(Duration.ofSeconds(-150)));
        assertThat(h.report()).containsEntry("clock", "off: 150 s behind the database's, more than the 120 s a start "
                + "is refused above").containsEntry("clockSkewSeconds", -150.0).containsEntry("ready", true);
        assertThat(h.ready()).isTrue();
    }

    /** Kie refusing the shop's account pauses sales: /readyz says so and why, and the instance stays ready. */
    @Test
    void pausedSalesAreReportedAndTheInstanceStaysReady() {
        AtomicReference<java.util.Optional<String>> refusal = new AtomicReference<>(java.util.Optional.empty());
        Health h = health(() -> true);
        h.salesPaused(refusal::get);
        assertThat(h.report()).containsEntry("salesPaused", null);
        refusal.set(java.util.Optional.of("OUT_OF_CREDITS"));
        assertThat(h.report()).containsEntry("salesPaused", "OUT_OF_CREDITS").containsEntry("ready", true);
    }

    /**
     * Before going back to an older build the operator compares the database's schema version with that build's newest
     * migration (README, "Upgrading from an earlier build"): /readyz showed only {@code migrations: true}. It shows the
     * version as the probe last read it, a number as the README's SQL compares them; none before it is known.
     */
    @Test
    void theDatabasesSchemaVersionIsShown() {
        AtomicReference<java.util.Optional<String>> lastRead = new AtomicReference<>(java.util.Optional.empty());
        Health h = health(() -> true);
        assertThat(h.report()).containsEntry("schemaVersion", null);
        h.schemaVersion(lastRead::get);
        assertThat(h.report()).containsEntry("schemaVersion", null).containsEntry("ready", true);
        lastRead.set(java.util.Optional.of("46"));
        assertThat(h.report()).containsEntry("schemaVersion", 46).containsEntry("migrations", true);
    }

    @Test
    void concurrentProbesShareOneDatabaseProbeAndAllReadItsAnswer() throws Exception {
        CountDownLatch slowDatabase = new CountDownLatch(1);
        Health health = health(() -> {
            try {
                return slowDatabase.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        List<AtomicReference<Thread>> threads = new ArrayList<>();
        List<Future<Map<String, Object>>> reports = new ArrayList<>();
        for (int i = 0; i < PROBES; i++) {
            AtomicReference<Thread> thread = new AtomicReference<>();
            threads.add(thread);
            reports.add(readyz.submit(() -> {
                thread.set(Thread.currentThread());
                return health.report();
            }));
        }
        // every /readyz is parked on the database's answer (or, refused, has answered) before the database gives it
        for (int i = 0; i < PROBES; i++) {
            while (!reports.get(i).isDone() && (threads.get(i).get() == null
                    || threads.get(i).get().getState() != Thread.State.TIMED_WAITING)) {
                Thread.onSpinWait();
            }
        }
        slowDatabase.countDown();

        for (Future<Map<String, Object>> report : reports) {
            assertThat(report.get(1, TimeUnit.MINUTES)).containsEntry("db", true).containsEntry("ready", true);
        }
        assertThat(asked).as("one database round trip for the flood").hasValue(1);
    }

    @Test
    void anAnswerIsReusedForOneSecondAndNoLonger() {
        AtomicBoolean up = new AtomicBoolean(true);
        Health health = health(up::get);

        assertThat(health.report()).containsEntry("db", true);
        up.set(false);
        nanos.addAndGet(Health.DATABASE_ANSWER_REUSED.toNanos());
        assertThat(health.report()).as("a second old: reused").containsEntry("db", true);
        assertThat(asked).hasValue(1);

        nanos.addAndGet(1);
        assertThat(health.report()).as("older: asked again").containsEntry("db", false).containsEntry("ready", false);
        assertThat(asked).hasValue(2);
    }

    /** A probe that threw, even an Error, is an answer ("not reachable"): the next /readyz asks again. */
    @Test
    void aProbeThatThrowsReadsUnreachableAndTheNextOneAsksAgain() {
        AtomicBoolean throwing = new AtomicBoolean(true);
        Health health = health(() -> {
            if (throwing.get()) {
                throw new StackOverflowError("a probe that failed badly");
            }
            return true;
        });

        assertThat(health.report()).containsEntry("db", false);
        throwing.set(false);
        nanos.addAndGet(Health.DATABASE_ANSWER_REUSED.toNanos() + 1);
        assertThat(health.report()).containsEntry("db", true);
        assertThat(asked).hasValue(2);
    }

    /**
     * Once the database has answered, a slow probe holds only the /readyz that began it: the others read the last
     * answer at once (the HTTP threads are the webhook's too), and past the probe's deadline read "not reachable".
     */
    @Test
    void whileASlowProbeIsAskedTheOthersReadTheLastAnswerAtOnce() throws Exception {
        AtomicBoolean slow = new AtomicBoolean();
        CountDownLatch slowDatabase = new CountDownLatch(1);
        Health health = health(() -> {
            if (!slow.get()) {
                return true;
            }
            try {
                slowDatabase.await(1, TimeUnit.MINUTES);
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        assertThat(health.report()).containsEntry("db", true);
        slow.set(true);
        nanos.addAndGet(Health.DATABASE_ANSWER_REUSED.toNanos() + 1);
        AtomicReference<Thread> askerThread = new AtomicReference<>();
        Future<Map<String, Object>> asker = readyz.submit(() -> {
            askerThread.set(Thread.currentThread());
            return health.report();
        });
        while (asked.get() < 2 || askerThread.get() == null
                || askerThread.get().getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }

        for (int i = 0; i < PROBES; i++) {
            assertThat(health.report()).as("the last answer, at once").containsEntry("db", true);
        }
        assertThat(asker).as("the probe's asker still waits for it").isNotDone();
        nanos.addAndGet(PATIENT.toNanos());
        assertThat(health.report()).as("past the probe's deadline").containsEntry("db", false);
        slowDatabase.countDown();
        assertThat(asker.get(1, TimeUnit.MINUTES)).containsEntry("db", false);
        assertThat(asked).as("one probe for them all").hasValue(2);
    }

    @Test
    void aProbeStuckPastItsDeadlineReadsUnreachableAtOnceWithoutASecondProbe() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        Health health = health(() -> {
            try {
                return stuck.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        AtomicReference<Thread> firstThread = new AtomicReference<>();
        Future<Map<String, Object>> first = readyz.submit(() -> {
            firstThread.set(Thread.currentThread());
            return health.report();
        });
        // the first /readyz waits for the probe it began, which the database holds
        while (asked.get() == 0 || firstThread.get() == null
                || firstThread.get().getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        nanos.addAndGet(PATIENT.toNanos());

        assertThat(health.report()).as("past the probe's deadline").containsEntry("db", false);
        assertThat(asked).as("no second probe while one is in flight").hasValue(1);
        stuck.countDown();
        assertThat(first.get(1, TimeUnit.MINUTES)).containsEntry("db", true);
    }
}
