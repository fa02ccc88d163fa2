package dev.kiebot.runtime.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code LOG_LEVEL=DEBUG} shows the bot's DEBUG lines, not the JDK's: a run at DEBUG wrote 288 {@code jdk.event.security}
 * lines (one per certificate and TLS handshake) and 181 {@code jdk.internal.httpclient.debug} lines (each HTTP client's
 * selector thread, several a second while idle) in under a minute, against 21 of the bot's own.
 */
class JdkChatterTest {
    @Test
    void theJdksSecurityAndHttpClientLoggersStayAtInfoUnderARootAtDebug() {
        LoggerContext context = new LoggerContext();
        ConsoleLogging logging = new ConsoleLogging();
        logging.setContext(context);
        logging.configure(context);
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);

        assertThat(context.getLogger("jdk.event.security").isDebugEnabled()).isFalse();
        assertThat(context.getLogger("jdk.internal.httpclient.debug").isDebugEnabled()).isFalse();
        assertThat(context.getLogger("jdk.event.security").isInfoEnabled()).as("an INFO line of theirs still shows")
                .isTrue();
        assertThat(context.getLogger("dev.kiebot.runtime.Kiebot").isDebugEnabled()).isTrue();
    }

    /** The way the JDK's lines come in: its System.Logger, bridged to SLF4J, under RootLogLevel's DEBUG. */
    @Test
    void theJdksOwnSystemLoggersWriteNoDebugLineUnderLogLevelDebug() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        RootLogLevel.set("DEBUG");
        try {
            assertThat(System.getLogger("jdk.event.security").isLoggable(System.Logger.Level.DEBUG)).isFalse();
            assertThat(System.getLogger("jdk.internal.httpclient.debug").isLoggable(System.Logger.Level.DEBUG))
                    .isFalse();
            assertThat(System.getLogger("dev.kiebot.core.shop.Shop").isLoggable(System.Logger.Level.DEBUG)).isTrue();
        } finally {
            root.setLevel(before);
        }
    }
}
