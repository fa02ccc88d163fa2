package dev.kiebot.kie;

import static dev.kiebot.kie.KieTestSupport.KEY;
import static dev.kiebot.kie.KieTestSupport.provider;
import static dev.kiebot.kie.KieTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.kie.fake.FakeKieServer.Endpoint;
import dev.kiebot.kie.fake.KieTestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kling 3.0, ElevenLabs voices and Suno's custom mode leave with exactly the fields Kie documents. */
class DocumentedRequestsTest {
    private FakeKieServer kie;
    private KieProvider provider;

    @BeforeEach
    void start() {
        kie = FakeKieServer.start().requireApiKey(KEY);
        provider = provider(kie);
    }

    @AfterEach
    void stop() {
        kie.close();
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void klingThreeIsASingleShotWithStringDurationModeAndSound() throws Exception {
        provider.submit(request(KieTestModels.kling30(), Map.of("prompt", "a fox running", "duration", "10",
                "mode", "std", "sound", "true")));
        JsonNode body = kie.requests(Endpoint.CREATE_TASK).get(0).json();
        assertThat(body.get("model").asText()).isEqualTo("kling-3.0/video");
        JsonNode input = body.get("input");
        assertThat(names(input)).containsExactlyInAnyOrder("prompt", "duration", "mode", "sound", "aspect_ratio",
                "multi_shots", "multi_prompt", "kling_elements");
        // required keys also for a single shot (kie-api.md §8), sent empty as Kie's own example does
        assertThat(input.get("multi_prompt").isArray() && input.get("multi_prompt").isEmpty()).isTrue();
        assertThat(input.get("kling_elements").isArray() && input.get("kling_elements").isEmpty()).isTrue();
        assertThat(input.get("duration").asText()).isEqualTo("10");
        assertThat(input.get("duration").isTextual()).isTrue();
        assertThat(input.get("mode").asText()).isEqualTo("std");
        assertThat(input.get("sound").booleanValue()).isTrue();
        assertThat(input.get("multi_shots").isBoolean()).isTrue();
        assertThat(input.get("multi_shots").booleanValue()).isFalse();
        assertThat(input.get("aspect_ratio").asText()).isEqualTo("16:9");
    }

    @Test
    void aChosenVoiceIsSentAsItsDocumentedId() throws Exception {
        provider.submit(request(KieTestModels.elevenLabs(), Map.of("text", "hello", "voice", "Z3R5wn05IrDiVCyEkUrK")));
        JsonNode input = kie.requests(Endpoint.CREATE_TASK).get(0).json().get("input");
        assertThat(input.get("voice").asText()).isEqualTo("Z3R5wn05IrDiVCyEkUrK");
        assertThat(names(input)).containsExactlyInAnyOrder("text", "voice", "stability", "speed");
    }

    @Test
    void sunoCustomModeSendsTitleStyleAndLyrics() throws Exception {
        provider.submit(request(KieTestModels.sunoV5Custom(), Map.of("title", "Fox", "style", "indie pop",
                "prompt", "[Verse]\nrunning through the snow")));
        JsonNode body = kie.requests(Endpoint.SUNO_GENERATE).get(0).json();
        assertThat(names(body)).containsExactlyInAnyOrder("title", "style", "prompt", "customMode", "instrumental",
                "model", "callBackUrl");
        assertThat(body.get("customMode").booleanValue()).isTrue();
        assertThat(body.get("instrumental").booleanValue()).isFalse();
        assertThat(body.get("model").asText()).isEqualTo("V5");
        assertThat(body.get("prompt").asText()).startsWith("[Verse]");
    }

    @Test
    void theFakeRefusesWhatKieDoesNotDocument() {
        InputField negative = KieTestModels.field("negative_prompt", FieldType.TEXT, false, List.of(), null, null,
                null, 500, null, true);
        Model undocumented = KieTestModels.model("kling-3.0/video", "kling-3.0/video", Family.JOBS, Category.VIDEO,
                List.of(InputField.prompt(100), negative));
        assertThatThrownBy(() -> provider.submit(request(undocumented, Map.of("prompt", "fox",
                "negative_prompt", "blur"))))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("unknown field negative_prompt")
                .hasMessageContaining("sound is required")
                .satisfies(e -> assertThat(((ProviderException) e).kind()).isEqualTo(ErrorKind.INVALID_INPUT));
        assertThat(kie.requests(Endpoint.CREATE_TASK)).hasSize(1);
        assertThat(kie.taskIds()).isEmpty();
    }
}
