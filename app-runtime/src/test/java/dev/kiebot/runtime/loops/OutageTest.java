package dev.kiebot.runtime.loops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An outage is logged when it starts and when it ends, whatever the number of attempts and threads in between. */
class OutageTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("outage-test");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    private long at(Level level) {
        return appender.list.stream().filter(e -> e.getLevel() == level).count();
    }

    @Test
    void aHundredFailedAttemptsAreOneWarningAndTheRecoveryOneLine() {
        Outage outage = new Outage(logger, "taking updates");
        outage.over();
        assertThat(appender.list).as("no outage, nothing to say").isEmpty();
        for (int i = 0; i < 100; i++) {
            outage.failed(new IllegalStateException("connection refused"), 100);
        }
        assertThat(outage.ongoing()).isTrue();
        outage.over();
        outage.over();
        assertThat(at(Level.WARN)).isEqualTo(1);
        assertThat(at(Level.DEBUG)).isEqualTo(99);
        assertThat(at(Level.INFO)).isEqualTo(1);
        assertThat(appender.list.get(appender.list.size() - 1).getFormattedMessage())
                .contains("taking updates works again", "100 attempts failed");
        assertThat(outage.ongoing()).isFalse();
        outage.failed("getUpdates failed: 502 Bad Gateway", 1000);
        assertThat(at(Level.WARN)).as("the next outage is reported again").isEqualTo(2);
    }

    /**
     * The common outage, one failed attempt (a database restart, a dropped connection), ends in a line in English:
     * it read «1 attempts failed», as did every such line in the end-to-end suites' log.
     */
    @Test
    void anOutageOfOneAttemptEndsInALineThatSaysOneAttempt() {
        Outage outage = new Outage(logger, "delivering replies");
        outage.failed(new IllegalStateException("connection refused"), 100);
        outage.over();
        assertThat(appender.list.get(appender.list.size() - 1).getFormattedMessage())
                .matches("delivering replies works again, \\d+ ms after its first failed attempt; 1 attempt failed");
    }
}
