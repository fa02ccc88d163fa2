package dev.kiebot.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class PatienceTest {
    private static final Duration BOUND = Duration.ofMillis(200);

    /** Stalls that grow with the wait (a JVM kept from running nearly all the time) stretch it up to its cap only. */
    @Test
    void aWaitOfAJvmStalledAllTheTimeEndsAtThreeTimesItsBound() {
        long start = System.nanoTime();
        Patience patience = new Patience(BOUND, () -> Duration.ofNanos(System.nanoTime() - start));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (patience.lasts()) {
                Thread.sleep(10);
            }
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the stalls counted up to the cap")
                .isGreaterThanOrEqualTo(BOUND.multipliedBy(Patience.CLOCK_TIMES));
    }

    /** A bound that is part of the behaviour is the wait's own: exceeding it fails the test. */
    @Test
    void anAwaitPastItsBoundFails() {
        assertThatThrownBy(() -> Patience.await("what never comes", BOUND, () -> false))
                .isInstanceOf(AssertionError.class).hasMessageStartingWith("timed out waiting for what never comes (a "
                        + "wait of 200 ms less the JVM's stalls");
    }

    /** A latch or a future waited on with patience: done in time, or reported as not (never a wait for ever). */
    @Test
    void aLatchOrAFutureNotDoneWithinTheBoundIsReportedSo() throws Exception {
        assertThat(Patience.await(new CountDownLatch(0), BOUND)).isTrue();
        assertThat(Patience.await(new CountDownLatch(1), BOUND)).isFalse();
        assertThat(Patience.get(CompletableFuture.completedFuture("done"), BOUND)).isEqualTo("done");
        assertThatThrownBy(() -> Patience.get(new CompletableFuture<>(), BOUND)).isInstanceOf(TimeoutException.class)
                .hasMessageStartingWith("not done (a wait of 200 ms less the JVM's stalls");
    }
}
