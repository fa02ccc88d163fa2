package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PgClockTest {
    /** The embedded server runs on this machine's clock: what it reads is this machine's time, give or take a trip. */
    @Test
    void readsTheServersClock() {
        Instant before = Instant.now();
        Instant read = new PgClock(TestDatabase.jdbi()).now();
        assertThat(Duration.between(before, read).abs()).isLessThan(Duration.ofMinutes(1));
    }
}
