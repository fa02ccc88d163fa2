package dev.kiebot.runtime.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.mask.MaskingJsonGeneratorDecorator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LOG_FORMAT=json}: the console appender {@link ConsoleLogging} set up is replaced by one writing a JSON object per
 * line (logstash-logback-encoder): {@code @timestamp}, {@code level}, {@code thread_name}, {@code logger_name},
 * {@code message}, {@code stack_trace} and the MDC's {@code cid} and {@code job} (the text lines show the cid).
 * Every string value passes the same secret masking as the text lines.
 */
public final class JsonLines {
    static final String TEXT_APPENDER = "STDOUT";
    static final String JSON_APPENDER = "STDOUT_JSON";

    private JsonLines() {
    }

    /** The JSON encoder, every string value masked like the text lines. */
    static LogstashEncoder encoder(LoggerContext context) {
        MaskingJsonGeneratorDecorator masking = new MaskingJsonGeneratorDecorator();
        masking.addValueMasker((field, value) -> value instanceof String s && !SecretMasking.mask(s).equals(s)
                ? SecretMasking.mask(s) : null);
        masking.start();
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.setJsonGeneratorDecorator(masking);
        encoder.start();
        return encoder;
    }

    /** Switches the console to JSON lines; does nothing when Logback is not the SLF4J backend. */
    public static void use() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(JSON_APPENDER) != null) {
            return;
        }
        LogstashEncoder encoder = encoder(context);
        ConsoleAppender<ILoggingEvent> json = new ConsoleAppender<>();
        json.setContext(context);
        json.setName(JSON_APPENDER);
        json.setEncoder(encoder);
        json.start();
        root.addAppender(json);
        Appender<ILoggingEvent> text = root.getAppender(TEXT_APPENDER);
        if (text != null) {
            root.detachAppender(text);
            text.stop();
        }
    }
}
