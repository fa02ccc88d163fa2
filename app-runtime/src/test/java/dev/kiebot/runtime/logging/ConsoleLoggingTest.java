package dev.kiebot.runtime.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
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

    private static Configurator.ExecutionStatus configure(LoggerContext context) {
        ConsoleLogging logging = new ConsoleLogging();
        logging.setContext(context);
        return logging.configure(context);
    }
}
