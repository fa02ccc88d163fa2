package dev.kiebot.runtime.loops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.testing.Patience;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Idle threads of a loop do not each poll the database: one keeps the watch at the safety poll, the rest wait to
 * be woken — unless work is known to fall due sooner, which every idle thread waits for. The counts compare polls
 * per thread, against the time that really passed or against each other, with wide margins (a factor of two or
 * four), so a slow machine, which wakes threads late and so takes fewer steps, does not change the verdict.
 */
class WorkerLoopsTest {
    private static final int THREADS = 4;
    private static final Duration SAFETY_POLL = Duration.ofMillis(100);
    private static final Duration WATCHED = Duration.ofMillis(1_500);

    @Test
    void oneIdleThreadKeepsTheWatchTheOthersSleepUntilWoken() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        WorkerLoops loops = loops(steps, SAFETY_POLL);
        long from = System.nanoTime();
        loops.start();
        Thread.sleep(WATCHED.toMillis());
        loops.stop(Duration.ofSeconds(5));
        // the time that passed, not the time asked for: a sleep on a busy machine may last much longer
        long watched = Duration.ofNanos(System.nanoTime() - from).toMillis();
        int oneWatcher = (int) (watched / SAFETY_POLL.toMillis()) + THREADS; // ≈ 19 in 1.5 s
        assertThat(steps.get()).as("every thread polling would take about %d steps in %d ms", oneWatcher * THREADS,
                watched).isLessThan(oneWatcher * 2);
    }

    @Test
    void workDueSoonerThanTheSafetyPollIsAwaitedByEveryIdleThread() throws Exception {
        Map<String, AtomicInteger> stepsByThread = new ConcurrentHashMap<>();
        Duration dueIn = SAFETY_POLL.dividedBy(2);
        WorkerLoops loops = new WorkerLoops("test-loop", THREADS, () -> {
            stepsByThread.computeIfAbsent(Thread.currentThread().getName(), t -> new AtomicInteger()).incrementAndGet();
            return dueIn;
        }, new SafetyPoll(SAFETY_POLL), new Outage(LoggerFactory.getLogger("test"), "idle loop"));
        loops.start();
        // as many rests as in 1.5 s, however long they take: one thread waiting for the work alone would take one
        // step every safety poll or ten at most, the others none or few meanwhile
        int rests = (int) (WATCHED.toMillis() / dueIn.toMillis()); // 30
        try {
            Patience.await(rests + " rests of the busiest thread", Duration.ofSeconds(30),
                    () -> busiest(stepsByThread) >= rests);
        } finally {
            loops.stop(Duration.ofSeconds(5));
        }
        assertThat(busiest(stepsByThread)).isGreaterThanOrEqualTo(rests);
        assertThat(stepsByThread).as("all %d threads wake for due work, about as often", THREADS).hasSize(THREADS)
                .allSatisfy((thread, steps) -> assertThat(steps.get()).isGreaterThan(busiest(stepsByThread) / 4));
    }

    private static int busiest(Map<String, AtomicInteger> stepsByThread) {
        return stepsByThread.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
    }

    @Test
    void aLoopGoesOnAfterAnErrorInItsStep() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        CountDownLatch secondStep = new CountDownLatch(1);
        WorkerLoops loops = new WorkerLoops("test-loop", 1, () -> {
            if (steps.incrementAndGet() == 1) {
                throw new StackOverflowError("too deep");
            }
            secondStep.countDown();
            return Duration.ofSeconds(30);
        }, new SafetyPoll(Duration.ofSeconds(30)), new Outage(LoggerFactory.getLogger("test"), "x"));
        loops.start();
        try {
            assertThat(Patience.await(secondStep, Duration.ofSeconds(10)))
                    .as("before, the Error ended the loop's only thread without a word").isTrue();
        } finally {
            loops.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aWakeUpReachesAThreadThatIsNotKeepingTheWatch() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        // a day's safety poll: its beat (every idle rest ends at one) must not fall within the test
        WorkerLoops loops = new WorkerLoops("test-loop", THREADS, () -> {
            steps.incrementAndGet();
            return Duration.ofDays(1);
        }, new SafetyPoll(Duration.ofDays(1)), new Outage(LoggerFactory.getLogger("test"), "x"));
        loops.start();
        awaitSteps(steps, THREADS); // every thread took its first step and sleeps: one watching, three not
        Thread.sleep(100);
        for (int i = 0; i < THREADS; i++) {
            loops.wake();
        }
        awaitSteps(steps, 2 * THREADS);
        loops.stop(Duration.ofSeconds(5));
        assertThat(steps.get()).isEqualTo(2 * THREADS);
    }

    /**
     * Before, the thread off the watch slept {@link WorkerLoops#OFF_WATCH_POLLS} safety polls whatever the keeper was
     * doing: its next step after the keeper got stuck is checked against that, the soonest the old code could step.
     */
    @Test
    void aWatchLeftForALongStepIsTakenUpWithinASafetyPollOrTwo() throws Exception {
        Duration safetyPoll = Duration.ofSeconds(1);
        Map<String, List<Long>> stepsAt = new ConcurrentHashMap<>();
        AtomicBoolean blockNext = new AtomicBoolean();
        AtomicReference<String> blockedThread = new AtomicReference<>();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WorkerLoops loops = new WorkerLoops("test-loop", 2, () -> {
            String thread = Thread.currentThread().getName();
            stepsAt.computeIfAbsent(thread, t -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
            if (blockNext.getAndSet(false)) {
                blockedThread.set(thread);
                blocked.countDown();
                await(release); // the keeper of the watch, busy (a long upload)
            }
            return safetyPoll;
        }, new SafetyPoll(safetyPoll), new Outage(LoggerFactory.getLogger("test"), "x"));
        loops.start();
        try {
            awaitCondition("both threads took a step", () -> stepsAt.size() == 2);
            blockNext.set(true); // the next step is the keeper's (the other one takes none while the watch is kept)
            assertThat(Patience.await(blocked, Duration.ofSeconds(30))).isTrue();
            List<Long> other = stepsAt.entrySet().stream().filter(e -> !e.getKey().equals(blockedThread.get()))
                    .findFirst().orElseThrow().getValue();
            int before = other.size();
            awaitCondition("a step of the other thread", () -> other.size() > before);
            Duration sinceItsLast = Duration.ofNanos(other.get(before) - other.get(before - 1));
            assertThat(sinceItsLast).as("the thread off the watch took it up, sooner than it could before")
                    .isLessThan(safetyPoll.multipliedBy(WorkerLoops.OFF_WATCH_POLLS));
        } finally {
            release.countDown();
            loops.stop(Duration.ofSeconds(5));
        }
    }

    private static void awaitCondition(String what, java.util.function.BooleanSupplier condition) {
        Patience.await(what, Duration.ofSeconds(30), condition);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aStepThatSaysItsWorkIsDueAlreadyIsTakenAgainAtOnce() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        WorkerLoops loops = new WorkerLoops("test-loop", 1, () -> {
            // the first look finds work due since a moment ago; the second finds nothing for a long while
            return steps.incrementAndGet() == 1 ? Duration.ofMillis(-1) : Duration.ofDays(1);
        }, new SafetyPoll(Duration.ofDays(1)), new Outage(LoggerFactory.getLogger("test"), "x"));
        loops.start();
        awaitSteps(steps, 2);
        loops.stop(Duration.ofSeconds(5));
    }

    private static WorkerLoops loops(AtomicInteger steps, Duration idleWait) {
        return new WorkerLoops("test-loop", THREADS, () -> {
            steps.incrementAndGet();
            return idleWait;
        }, new SafetyPoll(SAFETY_POLL), new Outage(LoggerFactory.getLogger("test"), "idle loop"));
    }

    private static void awaitSteps(AtomicInteger steps, int atLeast) {
        Patience.await(atLeast + " steps", Duration.ofSeconds(10), () -> steps.get() >= atLeast);
        assertThat(steps.get()).isGreaterThanOrEqualTo(atLeast);
    }
}
