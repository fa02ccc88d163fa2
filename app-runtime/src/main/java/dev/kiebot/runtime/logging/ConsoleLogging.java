package dev.kiebot.runtime.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bot's log set-up, in code: text lines on standard output, every line through {@link SecretMasking}, the
 * libraries' start-up chatter at WARN, HikariCP's stack traces for a lost database left out ({@link
 * LostConnectionChatter}). Logback finds it through {@code META-INF/services} before its own XML configuration; reading
 * a {@code logback.xml} would load Logback's XML configurator and the JDK's XML parser (about 500 classes) into every
 * start and keep them resident on a small box, for four lines of settings.
 *
 * <p>An operator's own file still wins: with {@code -Dlogback.configurationFile=/path/logback.xml} (and in a module
 * whose tests bring a {@code logback-test.xml}) this steps aside and Logback reads that file as usual.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
    /**
     * The text line: date, time and zone offset (ISO 8601), level, thread, logger, the update's or job's correlation
     * id, the message masked. The date and offset because operators read a bot's log across days and hosts: a time
     * alone left "which night was that" to the order of the lines.
     */
    static final String PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{24} %X{cid} - %mask(%msg%n%ex)";
    /** Libraries whose INFO lines tell an operator nothing the bot does not say itself. */
    static final List<String> QUIET = List.of("org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari", "org.flywaydb",
            "io.zonky", "okhttp3");
    /**
     * The JDK's own loggers, reached through the platform-logging bridge, held at INFO whatever {@code LOG_LEVEL}
     * says: at DEBUG they flood the log (a line per TLS certificate and handshake, several a second from each HTTP
     * client's selector thread while it idles), hundreds of lines a minute that bury the bot's own DEBUG lines.
     */
    static final List<String> JDK_CHATTER = List.of("jdk.event.security", "jdk.internal.httpclient.debug");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(ContextInitializer.CONFIG_FILE_PROPERTY) != null
                || getClass().getClassLoader().getResource(ContextInitializer.TEST_AUTOCONFIG_FILE) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        registerMask(context);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        // not the JVM's default: Java 17 takes it from LANG, which a slim image (debian:12-slim) leaves unset, and
        // then writes ASCII: a ₽, a Russian word or the ready line's "…" came out as "?"
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(JsonLines.TEXT_APPENDER);
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        // LOG_LEVEL is applied at start by RootLogLevel: the environment is read in one place
        root.setLevel(Level.INFO);
        root.addAppender(console);
        QUIET.forEach(name -> context.getLogger(name).setLevel(Level.WARN));
        LostConnectionChatter lostConnections = new LostConnectionChatter();
        lostConnections.setContext(context);
        lostConnections.start();
        context.addTurboFilter(lostConnections);
        // their own level, so RootLogLevel's DEBUG or TRACE at the root does not reach them
        JDK_CHATTER.forEach(name -> context.getLogger(name).setLevel(Level.INFO));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code %mask}, as {@code <conversionRule>} declares a converter in a Logback file. */
    private static void registerMask(LoggerContext context) {
        @SuppressWarnings("unchecked")
        Map<String, String> rules = (Map<String, String>) context.getObject(CoreConstants.PATTERN_RULE_REGISTRY);
        if (rules == null) {
            rules = new HashMap<>();
            context.putObject(CoreConstants.PATTERN_RULE_REGISTRY, rules);
        }
        rules.put("mask", SecretMasking.class.getName());
    }
}
