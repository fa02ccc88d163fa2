package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProbeFailuresTest {
    private static final String WARN = "the readiness probe cannot reach the database";
    private static final String INFO = "the readiness probe reaches the database again";

    private final AtomicLong nanos = new AtomicLong();
    private final ProbeFailures failures = new ProbeFailures("kiebot", nanos::get);
    private final SQLTransientConnectionException refused = new SQLTransientConnectionException(
            "FATAL: too many connections for role \"kiebot\"", "53300");

    /**
     * A probe that flaps (a pool at the server's connection limit: one probe gets a pooled connection, the next needs a
     * new one and is refused) was a WARN and an INFO a probe, every few seconds, each spell of one failed probe told
     * as a spell: one pair a minute at most.
     */
    @Test
    void aFlappingProbeIsOnePairAMinuteNotOneAProbe() {
        try (LoggedLines lines = LoggedLines.of(ProbeFailures.class)) {
            for (int probe = 0; probe < 6; probe++) {
                failures.failed(refused);
                step(Duration.ofSeconds(5));
                failures.worked();
                step(Duration.ofSeconds(5));
            }

            assertThat(lines.levelsOf(WARN)).containsExactly(Level.WARN);
            assertThat(lines.levelsOf(INFO)).containsExactly(Level.INFO);

            failures.failed(refused); // a minute after the last told: told again
            failures.worked();
            assertThat(lines.levelsOf(WARN)).hasSize(2);
            assertThat(lines.levelsOf(INFO)).hasSize(2);
        }
    }

    /** A spell that starts right after a flap and lasts is told, at its first failed probe a minute after the last. */
    @Test
    void aSpellStartingRightAfterAFlapIsToldOnceItIsAMinuteFromTheLast() {
        try (LoggedLines lines = LoggedLines.of(ProbeFailures.class)) {
            failures.failed(refused);
            failures.worked();
            step(Duration.ofSeconds(5));
            failures.failed(refused);
            assertThat(lines.levelsOf(WARN)).as("a flap: not told yet").hasSize(1);
            for (int probe = 0; probe < 12; probe++) {
                step(Duration.ofSeconds(5));
                failures.failed(refused);
            }
            failures.worked();

            assertThat(lines.levelsOf(WARN)).hasSize(2);
            assertThat(lines.messages()).anyMatch(m -> m.startsWith(INFO + ", after 13 failed probe(s) over 60 s"))
                    .noneMatch(m -> m.contains("\"kiebot\""));
        }
    }

    private void step(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
