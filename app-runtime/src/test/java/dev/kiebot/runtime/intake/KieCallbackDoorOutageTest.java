package dev.kiebot.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kiebot.kie.KieCallbacks;
import dev.kiebot.runtime.http.RequestBody;
import dev.kiebot.testing.Patience;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Review M: during a database outage every Kie callback's re-check logged a WARN with a stack trace. The outage is
 * one line now, and its end one more; a re-check that fails otherwise (a bug) still has its trace.
 */
class KieCallbackDoorOutageTest {
    private static final String TOKEN = "kie-door-0123456789abcdef";
    private final Logger logger = (Logger) LoggerFactory.getLogger(KieCallbackDoor.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final AtomicBoolean databaseAway = new AtomicBoolean(true);
    private final AtomicBoolean bug = new AtomicBoolean();
    private final AtomicInteger done = new AtomicInteger();
    private final KieCallbackDoor door = new KieCallbackDoor(TOKEN, new KieCallbacks(Optional.empty(),
            Clock.systemUTC()), this::recheck, new SimpleMeterRegistry(), 64);

    private void recheck(String taskId, Optional<String> job) {
        try {
            if (databaseAway.get()) {
                throw new UnableToExecuteStatementException(new SQLException("terminating connection due to "
                        + "administrator command", "57P01"), null);
            }
            if (bug.get()) {
                throw new IllegalStateException("a bug");
            }
        } finally {
            done.incrementAndGet();
        }
    }

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
        // the outage's later failures are debug lines: counted, they tell when the door is done with each
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void release() {
        logger.setLevel(null);
        logger.detachAppender(appender);
        door.close();
    }

    private void knock(int times) {
        int before = done.get();
        for (int i = 0; i < times; i++) {
            door.knock(TOKEN, RequestBody.of(("{\"code\":200,\"msg\":\"ok\",\"data\":{\"taskId\":\"t" + i
                    + "\",\"state\":\"success\"}}").getBytes(StandardCharsets.UTF_8)), Map.of());
        }
        Patience.await("re-checks done", Duration.ofSeconds(30), () -> done.get() == before + times);
    }

    @Test
    void callbacksDuringADatabaseOutageAreOneWarningWithoutATraceAndItsEndOneLine() {
        knock(20);
        // each failed re-check counts itself done before the door logs it (on one of its two threads): the success
        // below must come after all twenty are logged, or a late one opens a second outage
        Patience.await("the outage's failures logged", Duration.ofSeconds(30),
                () -> logged(Level.WARN) + logged(Level.DEBUG) == 20);
        databaseAway.set(false);
        knock(1);
        // a re-check counts itself done before the door logs what it did: wait for the line the last one leaves
        Patience.await("the outage's end logged", Duration.ofSeconds(30), () -> logged(Level.INFO) == 1);

        assertThat(appender.list.stream().filter(e -> e.getLevel() == Level.WARN)).singleElement()
                .satisfies(e -> {
                    assertThat(e.getFormattedMessage()).contains("re-checks after Kie callbacks failed",
                            "SQLState 57P01");
                    assertThat(e.getThrowableProxy()).isNull();
                });
        assertThat(appender.list.stream().filter(e -> e.getLevel() == Level.INFO)).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).contains("works again"));

        bug.set(true);
        knock(1);
        Patience.await("the bug logged", Duration.ofSeconds(30), () -> logged(Level.WARN) == 2);
        assertThat(appender.list.get(appender.list.size() - 1).getThrowableProxy()).as("a bug keeps its trace")
                .isNotNull();
    }

    private long logged(Level level) {
        synchronized (appender) { // AppenderBase.doAppend appends under the appender's lock
            return appender.list.stream().filter(e -> e.getLevel() == level).count();
        }
    }
}
