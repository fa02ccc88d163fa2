package dev.kiebot.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
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
                E2eWorld.sleep(10);
            }
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the stalls counted up to the cap")
                .isGreaterThanOrEqualTo(BOUND.multipliedBy(Patience.CLOCK_TIMES));
    }

    /** A bound that is part of the behaviour is the wait's own: exceeding it fails the test. */
    @Test
    void anAwaitPastItsBoundFails() {
        assertThatThrownBy(() -> E2eWorld.await("what never comes", BOUND, () -> false))
                .isInstanceOf(AssertionError.class).hasMessageStartingWith("timed out waiting for what never comes (a "
                        + "wait of 200 ms less the JVM's stalls");
    }
}
