package dev.kiebot.runtime.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LOG_FORMAT=json: one JSON object per line with the text line's fields, secrets masked the same way. */
class JsonLinesTest {
    private static final String SECRET = "kie-secret-key-json-0042";

    @Test
    void aLineHasTheSameFieldsAsTheTextLineAndNoSecret() throws Exception {
        SecretMasking.register(List.of(SECRET));
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger("dev.kiebot.runtime.metrics.ObservedJobs");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO,
                "generation {} HELD -> SUBMITTING with key {}", new IllegalStateException("boom " + SECRET),
                new Object[]{"gen_12", SECRET});
        event.setMDCPropertyMap(Map.of("cid", "upd_5001", "job", "gen_12"));

        String line = new String(JsonLines.encoder(context).encode(event), StandardCharsets.UTF_8);

        assertThat(line).endsWith("\n").doesNotContain(SECRET);
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("message").asText()).isEqualTo("generation gen_12 HELD -> SUBMITTING with key <redacted>");
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("logger_name").asText()).endsWith("ObservedJobs");
        assertThat(json.get("cid").asText()).isEqualTo("upd_5001");
        assertThat(json.get("job").asText()).isEqualTo("gen_12");
        assertThat(json.has("@timestamp")).isTrue();
        assertThat(json.has("thread_name")).isTrue();
        assertThat(json.get("stack_trace").asText()).contains("IllegalStateException: boom <redacted>");
    }
}
