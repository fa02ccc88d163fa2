package dev.kiebot.kie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.InputProblem;
import dev.kiebot.kie.fake.KieTestModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputMapperTest {

    @Test
    void testModelsAreValidCatalogEntries() {
        Catalog.of(List.of(KieTestModels.nanoBanana(), KieTestModels.nanoBananaEdit(), KieTestModels.kling26(),
                KieTestModels.wan27(), KieTestModels.elevenLabs(), KieTestModels.aiAvatar(),
                KieTestModels.wan26VideoToVideo(), KieTestModels.veoFast(), KieTestModels.sunoV5(),
                KieTestModels.kling30(), KieTestModels.sunoV5Custom()));
    }

    @Test
    void nanoBananaSendsStringsAndDefaultsOfUnaskedFields() {
        ObjectNode input = InputMapper.toInput(KieTestModels.nanoBanana(),
                Map.of("prompt", "a red fox", "aspect_ratio", "16:9"), Map.of());
        assertThat(input.toString())
                .isEqualTo("{\"prompt\":\"a red fox\",\"output_format\":\"png\",\"aspect_ratio\":\"16:9\",\"image_size\":\"1:1\"}");
    }

    @Test
    void klingDurationStaysAStringAndSoundIsABoolean() {
        ObjectNode input = InputMapper.toInput(KieTestModels.kling26(),
                Map.of("prompt", "waves", "sound", "true", "duration", "10"), Map.of());
        assertThat(input.get("duration").isTextual()).isTrue();
        assertThat(input.get("duration").asText()).isEqualTo("10");
        assertThat(input.get("sound").isBoolean()).isTrue();
        assertThat(input.get("sound").asBoolean()).isTrue();
        assertThat(input.get("aspect_ratio").asText()).isEqualTo("1:1"); // default of a required field
    }

    @Test
    void integersAreJsonIntegersAndAbsentOptionalFieldsAreOmitted() {
        ObjectNode input = InputMapper.toInput(KieTestModels.wan27(), Map.of("prompt", "city", "duration", "7"),
                Map.of());
        assertThat(input.get("duration").isIntegralNumber()).isTrue();
        assertThat(input.get("duration").asInt()).isEqualTo(7);
        assertThat(input.get("prompt_extend").isBoolean()).isTrue();
        assertThat(input.has("seed")).isFalse();
        assertThat(input.toString()).contains("\"duration\":7");
    }

    @Test
    void numbersAreJsonNumbers() {
        ObjectNode input = InputMapper.toInput(KieTestModels.elevenLabs(),
                Map.of("text", "привет", "stability", "0.75"), Map.of());
        JsonNode stability = input.get("stability");
        assertThat(stability.isNumber()).isTrue();
        assertThat(input.toString()).contains("\"stability\":0.75").contains("\"speed\":1")
                .contains("\"voice\":\"EkK5I93UQWFDigLMpZcX\"");
        assertThat(input.has("timestamps")).isFalse();
    }

    @Test
    void intEnumIsAJsonInteger() {
        ObjectNode input = InputMapper.toInput(KieTestModels.veoFast(), Map.of("prompt", "p", "duration", "6"), Map.of());
        assertThat(input.get("duration").isIntegralNumber()).isTrue();
        assertThat(input.get("duration").asInt()).isEqualTo(6);
    }

    @Test
    void mediaFieldsAreStringsOrArrays() {
        ObjectNode avatar = InputMapper.toInput(KieTestModels.aiAvatar(), Map.of("prompt", "talk"),
                Map.of("image_url", List.of("https://f/1.png"), "audio_url", List.of("https://f/a.mp3")));
        assertThat(avatar.get("image_url").isTextual()).isTrue();
        assertThat(avatar.get("audio_url").asText()).isEqualTo("https://f/a.mp3");

        ObjectNode edit = InputMapper.toInput(KieTestModels.nanoBananaEdit(), Map.of("prompt", "x"),
                Map.of("image_urls", List.of("https://f/1.png", "https://f/2.png")));
        assertThat(edit.get("image_urls").isArray()).isTrue();
        assertThat(edit.get("image_urls")).hasSize(2);

        ObjectNode v2v = InputMapper.toInput(KieTestModels.wan26VideoToVideo(), Map.of("prompt", "x"),
                Map.of("video_urls", List.of("https://f/v.mp4")));
        assertThat(v2v.get("video_urls").isArray()).isTrue();
    }

    @Test
    void unknownValuesAreIgnored() {
        ObjectNode input = InputMapper.toInput(KieTestModels.nanoBanana(), Map.of("prompt", "x", "sku", "default"),
                Map.of());
        assertThat(input.has("sku")).isFalse();
    }

    @Test
    void validInputsHaveNoProblems() {
        assertThat(InputMapper.validate(KieTestModels.kling26(),
                Map.of("prompt", "waves", "sound", "false", "duration", "10", "aspect_ratio", "9:16"), Map.of())).isEmpty();
        assertThat(InputMapper.validate(KieTestModels.elevenLabs(),
                Map.of("text", "hi", "speed", "1.2", "stability", "0"), Map.of())).isEmpty();
    }

    @Test
    void requiredMissing() {
        assertThat(InputMapper.validate(KieTestModels.nanoBanana(), Map.of(), Map.of()))
                .containsExactly(new InputProblem("prompt", InputMapper.REQUIRED));
        assertThat(InputMapper.validate(KieTestModels.nanoBananaEdit(), Map.of("prompt", "x"), Map.of()))
                .containsExactly(new InputProblem("image_urls", InputMapper.REQUIRED));
        assertThat(InputMapper.validate(KieTestModels.aiAvatar(), Map.of("prompt", " "),
                Map.of("image_url", List.of("https://f/1.png"))))
                .containsExactly(new InputProblem("audio_url", InputMapper.REQUIRED),
                        new InputProblem("prompt", InputMapper.REQUIRED));
    }

    @Test
    void requiredWithDefaultIsNotMissing() {
        assertThat(InputMapper.validate(KieTestModels.kling26(), Map.of("prompt", "x"), Map.of())).isEmpty();
    }

    @Test
    void enumValueNotAllowed() {
        assertThat(InputMapper.validate(KieTestModels.kling26(), Map.of("prompt", "x", "duration", "7"), Map.of()))
                .containsExactly(new InputProblem("duration", InputMapper.NOT_ALLOWED));
        assertThat(InputMapper.validate(KieTestModels.kling26(), Map.of("prompt", "x", "sound", "maybe"), Map.of()))
                .containsExactly(new InputProblem("sound", InputMapper.NOT_ALLOWED));
        assertThat(InputMapper.validate(KieTestModels.veoFast(), Map.of("prompt", "x", "duration", "5"), Map.of()))
                .containsExactly(new InputProblem("duration", InputMapper.NOT_ALLOWED));
        assertThat(InputMapper.validate(KieTestModels.wan27(), Map.of("prompt", "x", "duration", "5.5"), Map.of()))
                .containsExactly(new InputProblem("duration", InputMapper.NOT_ALLOWED));
        assertThat(InputMapper.validate(KieTestModels.elevenLabs(), Map.of("text", "x", "speed", "fast"), Map.of()))
                .containsExactly(new InputProblem("speed", InputMapper.NOT_ALLOWED));
    }

    @Test
    void textOverMaxLength() {
        assertThat(InputMapper.validate(KieTestModels.sunoV5(), Map.of("prompt", "a".repeat(501)), Map.of()))
                .containsExactly(new InputProblem("prompt", InputMapper.TOO_LONG));
        assertThat(InputMapper.validate(KieTestModels.sunoV5(), Map.of("prompt", "a".repeat(500)), Map.of())).isEmpty();
    }

    @Test
    void tooManyFiles() {
        List<String> eleven = java.util.stream.IntStream.range(0, 11).mapToObj(i -> "https://f/" + i + ".png").toList();
        assertThat(InputMapper.validate(KieTestModels.nanoBananaEdit(), Map.of("prompt", "x"),
                Map.of("image_urls", eleven)))
                .containsExactly(new InputProblem("image_urls", InputMapper.TOO_MANY_FILES));
        assertThat(InputMapper.validate(KieTestModels.aiAvatar(), Map.of("prompt", "x"),
                Map.of("image_url", List.of("https://f/1.png", "https://f/2.png"), "audio_url", List.of("https://a"))))
                .containsExactly(new InputProblem("image_url", InputMapper.TOO_MANY_FILES));
    }

    @Test
    void numberOutOfRange() {
        assertThat(InputMapper.validate(KieTestModels.elevenLabs(), Map.of("text", "x", "speed", "1.5"), Map.of()))
                .containsExactly(new InputProblem("speed", InputMapper.OUT_OF_RANGE));
        assertThat(InputMapper.validate(KieTestModels.elevenLabs(), Map.of("text", "x", "stability", "-0.1"), Map.of()))
                .containsExactly(new InputProblem("stability", InputMapper.OUT_OF_RANGE));
        assertThat(InputMapper.validate(KieTestModels.wan27(), Map.of("prompt", "x", "duration", "16"), Map.of()))
                .containsExactly(new InputProblem("duration", InputMapper.OUT_OF_RANGE));
    }

    @Test
    void everyProblemIsListedInFieldOrder() {
        Model m = KieTestModels.elevenLabs();
        assertThat(InputMapper.validate(m, Map.of("voice", "nobody", "speed", "9"), Map.of()))
                .extracting(InputProblem::field)
                .containsExactly("text", "voice", "speed");
    }

    @Test
    void unconvertibleValueNamesTheField() {
        assertThatThrownBy(() -> InputMapper.toInput(KieTestModels.wan27(), Map.of("prompt", "x", "duration", "abc"),
                Map.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration");
    }
}
