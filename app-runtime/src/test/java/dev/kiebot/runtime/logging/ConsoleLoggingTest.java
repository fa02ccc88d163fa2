package dev.kiebot.runtime.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The log set-up in code: what logback.xml said, found by Logback itself, and out of the way of an operator's file. */
class ConsoleLoggingTest {
    private static final String SECRET = "kie-secret-key-console-0042";

    @Test
    void aLineShowsDateTimeOffsetLevelThreadLoggerAndCorrelationIdWithSecretsMasked() {
        SecretMasking.register(List.of(SECRET));
        LoggerContext context = new LoggerContext();
        assertThat(configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger("dev.kiebot.runtime.Kiebot"),
                Level.INFO, "key {} and token {}", new IllegalStateException("boom " + SECRET),
                new Object[]{SECRET, "123456789:" + "A".repeat(35)});
        event.setMDCPropertyMap(Map.of("cid", "upd_5001"));

        ConsoleAppender<?> console = (ConsoleAppender<?>) root.getAppender(JsonLines.TEXT_APPENDER);
        String line = new String(((PatternLayoutEncoder) console.getEncoder()).encode(event), StandardCharsets.UTF_8);

        assertThat(line).matches("(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  \\[.+\\] d\\.kiebot\\.runtime\\.Kiebot upd_5001 - "
                + "key <redacted> and token <redacted-token>\n.*IllegalStateException: boom <redacted>.*");
        assertThat(line).doesNotContain(SECRET);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(ConsoleLogging.QUIET).allSatisfy(name ->
                assertThat(context.getLogger(name).getEffectiveLevel()).as(name).isEqualTo(Level.WARN));
        assertThat(context.getLogger("dev.kiebot").getEffectiveLevel()).isEqualTo(Level.INFO);
    }

    /**
     * UTF-8 whatever the JVM's default: Java 17 takes that from LANG, which debian:12-slim leaves unset, and wrote a ₽,
     * a Russian word or the ready line's "…" as "?".
     */
    @Test
    void aLineIsWrittenInUtf8WhateverTheLocale() {
        LoggerContext context = new LoggerContext();
        configure(context);
        ConsoleAppender<?> console = (ConsoleAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender(JsonLines.TEXT_APPENDER);
        assertThat(((PatternLayoutEncoder) console.getEncoder()).getCharset()).isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void anOperatorsOwnFileWins() {
        LoggerContext context = new LoggerContext();
        String before = System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY);
        System.setProperty(ContextInitializer.CONFIG_FILE_PROPERTY, "/etc/kiebot/logback.xml");
        try {
            assertThat(configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        } finally {
            if (before == null) {
                System.clearProperty(ContextInitializer.CONFIG_FILE_PROPERTY);
            } else {
                System.setProperty(ContextInitializer.CONFIG_FILE_PROPERTY, before);
            }
        }
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    }

    /** Without the service entry Logback would fall back to its basic console set-up: no masking, every DEBUG line. */
    @Test
    void logbackFindsItAtStart() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(ServiceLoader.Provider::type))
                .contains(ConsoleLogging.class);
        LoggerContext started = (LoggerContext) LoggerFactory.getILoggerFactory();
        ConsoleAppender<?> console = (ConsoleAppender<?>) started.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender(JsonLines.TEXT_APPENDER);
        assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern()).isEqualTo(ConsoleLogging.PATTERN);
    }

    /**
     * HikariCP's warnings for each connection a lost database dropped (a stack trace of 20 to 40 lines each, and advice
     * on maxLifetime that does not fit a restart) are left out, the bot saying it once per loop; Hikari's other warnings
     * stay, and so does a connection dropped for another SQLState than a lost session's. The patterns are read from Hikari's own classes: an upgrade that rewords them fails here, not in a log.
     */
    @Test
    void hikarisWarningsForTheConnectionsALostDatabaseDroppedAreLeftOut() throws IOException {
        LoggerContext context = new LoggerContext();
        configure(context);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.setContext(context);
        seen.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(seen);
        Logger proxy = context.getLogger("com.zaxxer.hikari.pool.ProxyConnection");
        proxy.warn("{} - Connection {} marked as broken because of SQLSTATE({}), ErrorCode({})", "kiebot-db",
                "PgConnection@5d401fda", "57P01", 0,
                new SQLException("FATAL: terminating connection due to administrator command", "57P01"));
        context.getLogger("com.zaxxer.hikari.pool.PoolBase").warn("{} - Failed to validate connection {} ({}). Possibly "
                + "consider using a shorter maxLifetime value.", "kiebot-db", "PgConnection@666d26ab",
                "This connection has been closed.");
        proxy.warn("{} - Connection {} marked as broken because of SQLSTATE({}), ErrorCode({})", "kiebot-db",
                "PgConnection@1c2f3e4d", "08006", 0, new SQLException("An I/O error occurred while sending to the "
                        + "backend.", "08006"));
        proxy.warn("{} - Executed rollback on connection {} due to dirty commit state on close().", "kiebot-db",
                "PgConnection@3b893a16");
        // Hikari drops a connection on 0A000 too (PostgreSQL's "cached plan must not change result type"): no lost
        // database, its line stays
        proxy.warn("{} - Connection {} marked as broken because of SQLSTATE({}), ErrorCode({})", "kiebot-db",
                "PgConnection@7a8b9c0d", "0A000", 0, new SQLException("ERROR: cached plan must not change result type",
                        "0A000"));
        assertThat(seen.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "kiebot-db - Executed rollback on connection PgConnection@3b893a16 due to dirty commit state on close().",
                "kiebot-db - Connection PgConnection@7a8b9c0d marked as broken because of SQLSTATE(0A000), ErrorCode(0)");
        for (List<String> chatter : LostConnectionChatter.LEFT_OUT) {
            String hikarisClass = chatter.get(0).replace('.', '/') + ".class";
            try (InputStream in = ConsoleLoggingTest.class.getClassLoader().getResourceAsStream(hikarisClass)) {
                assertThat(in).as(hikarisClass).isNotNull();
                assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).as(hikarisClass)
                        .contains(chatter.get(1));
            }
        }
    }

    /**
     * An idle connection that fails its validation («Failed to validate connection … (This connection has been
     * closed.). Possibly consider using a shorter maxLifetime value.») is left out only after a loss the bot reported,
     * the embedded server's unasked exit say, and for as long as a connection made before it may sit in the pool. It
     * was left out always: a database that dropped idle sessions while nothing was in use left no trace in the log.
     */
    @Test
    void aConnectionThatFailsItsValidationIsLeftOutOnlyAfterALossTheBotReported() {
        LoggerContext context = new LoggerContext();
        dev.kiebot.core.testing.MutableClock clock = dev.kiebot.core.testing.MutableClock.at("2026-12-07T10:00:00Z");
        ListAppender<ILoggingEvent> seen = filteredByTheChatter(context, clock);
        Logger pool = context.getLogger("com.zaxxer.hikari.pool.PoolBase");
        Runnable notValid = () -> pool.warn("{} - Failed to validate connection {} ({}). Possibly consider using a "
                + "shorter maxLifetime value.", "kiebot-db", "PgConnection@666d26ab", "This connection has been closed.");

        notValid.run();
        assertThat(seen.list).as("no loss reported: the only trace of it").hasSize(1);
        context.getLogger(LostConnectionChatter.EMBEDDED_EXIT.get(0)).error(LostConnectionChatter.EMBEDDED_EXIT.get(1)
                + "; starting it again on port {}", 4242, "/data/pg", 137, 5433);
        clock.advance(java.time.Duration.ofSeconds(3));
        notValid.run();
        clock.advance(LostConnectionChatter.STALE_AFTER_LOSS.minusSeconds(4));
        notValid.run();
        assertThat(seen.list).as("the restart's ERROR stays; its stale connections are left out").hasSize(2)
                .last().extracting(ILoggingEvent::getLevel).isEqualTo(Level.ERROR);
        clock.advance(java.time.Duration.ofSeconds(2));
        notValid.run();
        assertThat(seen.list).as("a connection made since the restart").hasSize(3)
                .last().extracting(ILoggingEvent::getFormattedMessage).asString().contains("maxLifetime");
    }

    /**
     * A database elsewhere (DATABASE_URL) that drops the pool's idle sessions while nothing is in use, restarted or
     * cut off by a firewall: the first idle connection that fails its validation is told, as nothing else says it;
     * the pool's others, failing in turn, are left out for as long as a connection made before may sit in the pool
     * (each was a line, as many as the pool held); a cut-off that comes back every few minutes is still told, once
     * per that while.
     */
    @Test
    void aSpellOfIdleConnectionsFailingTheirValidationIsToldOnce() {
        LoggerContext context = new LoggerContext();
        dev.kiebot.core.testing.MutableClock clock = dev.kiebot.core.testing.MutableClock.at("2026-12-07T10:00:00Z");
        ListAppender<ILoggingEvent> seen = filteredByTheChatter(context, clock);
        Logger pool = context.getLogger("com.zaxxer.hikari.pool.PoolBase");
        java.util.function.IntConsumer notValid = n -> pool.warn("{} - Failed to validate connection {} ({}). Possibly "
                + "consider using a shorter maxLifetime value.", "kiebot-db", "PgConnection@" + n,
                "This connection has been closed.");

        for (int n = 0; n < 5; n++) { // the server restarted: the pool's idle connections, one after another
            notValid.accept(n);
            clock.advance(java.time.Duration.ofSeconds(1));
        }
        assertThat(seen.list).as("the spell's first line").hasSize(1);
        for (int cut = 0; cut < 13; cut++) { // then a firewall cutting idle sessions every 5 minutes, an hour on
            clock.advance(java.time.Duration.ofMinutes(5));
            notValid.accept(100 + cut);
        }
        assertThat(seen.list).as("still told, every half hour").hasSize(3)
                .allSatisfy(e -> assertThat(e.getFormattedMessage()).contains("maxLifetime"));
    }

    /**
     * The filter is asked of every logging call, the disabled ones too (Jdbi's TRACE lines at every handle), and
     * reads only lines at WARN and above, HikariCP's and the embedded server's: a lower line is passed on unread,
     * to its logger's level, whatever its words.
     */
    @Test
    void aLineBelowWarnIsPassedOnUnread() {
        LoggerContext context = new LoggerContext();
        dev.kiebot.core.testing.MutableClock clock = dev.kiebot.core.testing.MutableClock.at("2026-12-07T10:00:00Z");
        ListAppender<ILoggingEvent> seen = filteredByTheChatter(context, clock);
        Logger proxy = context.getLogger("com.zaxxer.hikari.pool.ProxyConnection");
        proxy.setLevel(Level.DEBUG);
        proxy.debug("{} - Connection {} marked as broken because of SQLSTATE({}), ErrorCode({})", "kiebot-db",
                "PgConnection@5d401fda", "57P01", 0);
        assertThat(seen.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.DEBUG);
    }

    /** {@code context} with {@link LostConnectionChatter} on {@code clock} in front, and what passes it. */
    private static ListAppender<ILoggingEvent> filteredByTheChatter(LoggerContext context,
                                                                  dev.kiebot.core.testing.MutableClock clock) {
        LostConnectionChatter filter = new LostConnectionChatter(clock);
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.setContext(context);
        seen.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(seen);
        return seen;
    }

    private static Configurator.ExecutionStatus configure(LoggerContext context) {
        ConsoleLogging logging = new ConsoleLogging();
        logging.setContext(context);
        return logging.configure(context);
    }
}
