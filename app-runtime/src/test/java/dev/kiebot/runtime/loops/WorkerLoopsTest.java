package dev.kiebot.runtime.loops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Idle threads of a loop do not each poll the database: one keeps the watch at the safety poll, the rest wait to
 * be woken — unless work is known to fall due sooner, which every idle thread waits for. The counts compare polls
 * per thread; the margins are wide (a factor of two either way), so a slow machine does not change the verdict.
 */
class WorkerLoopsTest {
    private static final int THREADS = 4;
    private static final Duration SAFETY_POLL = Duration.ofMillis(100);
    private static final Duration WATCHED = Duration.ofMillis(1_500);

    @Test
    void oneIdleThreadKeepsTheWatchTheOthersSleepUntilWoken() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        WorkerLoops loops = loops(steps, SAFETY_POLL);
        loops.start();
        Thread.sleep(WATCHED.toMillis());
        loops.stop(Duration.ofSeconds(5));
        int oneWatcher = (int) (WATCHED.toMillis() / SAFETY_POLL.toMillis()) + THREADS; // ≈ 19
        assertThat(steps.get()).as("every thread polling would take about %d steps", oneWatcher * THREADS)
                .isLessThan(oneWatcher * 2);
    }

    @Test
    void workDueSoonerThanTheSafetyPollIsAwaitedByEveryIdleThread() throws Exception {
        AtomicInteger steps = new AtomicInteger();
        Duration dueIn = SAFETY_POLL.dividedBy(2);
        WorkerLoops loops = loops(steps, dueIn);
        loops.start();
        Thread.sleep(WATCHED.toMillis());
        loops.stop(Duration.ofSeconds(5));
        int oneThread = (int) (WATCHED.toMillis() / dueIn.toMillis()); // ≈ 30
        assertThat(steps.get()).as("all %d threads wake for due work", THREADS).isGreaterThan(oneThread * 2);
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
            assertThat(secondStep.await(10, TimeUnit.SECONDS))
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

    @Test
    void aWatchLeftForALongStepIsTakenUpWithinASafetyPollOrTwo() throws Exception {
        Duration safetyPoll = Duration.ofMillis(300);
        AtomicInteger steps = new AtomicInteger();
        AtomicBoolean blockNext = new AtomicBoolean();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WorkerLoops loops = new WorkerLoops("test-loop", 2, () -> {
            steps.incrementAndGet();
            if (blockNext.getAndSet(false)) {
                blocked.countDown();
                await(release); // the keeper of the watch, busy (a long upload)
            }
            return safetyPoll;
        }, new SafetyPoll(safetyPoll), new Outage(LoggerFactory.getLogger("test"), "x"));
        loops.start();
        try {
            awaitSteps(steps, 2); // both threads took a step: one keeps the watch, the other sleeps off it
            blockNext.set(true); // the next step is the keeper's (the other one takes none while the watch is kept)
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
            int atBlock = steps.get();
            long from = System.nanoTime();
            awaitSteps(steps, atBlock + 1);
            Duration gap = Duration.ofNanos(System.nanoTime() - from);
            // before, the thread off the watch slept 10 safety polls (3 s) whatever the keeper was doing
            assertThat(gap).as("nobody polled while the keeper was busy").isLessThan(safetyPoll.multipliedBy(6));
        } finally {
            release.countDown();
            loops.stop(Duration.ofSeconds(5));
        }
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

    private static void awaitSteps(AtomicInteger steps, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (steps.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(steps.get()).isGreaterThanOrEqualTo(atLeast);
    }
}
