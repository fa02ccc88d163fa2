package dev.kiebot.kie.fake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What Kie documents for a few models (kie-models.md §7.2 and the docs pages it cites): which fields a
 * request may carry, which it must carry, and their types, values and limits. The fake answers a request that
 * breaks them as Kie does, with body code 422, so a test sees a wrong field the way production would.
 * Models not described here are not checked.
 */
final class DocumentedInputs {
    /** The voice ids the ElevenLabs text-to-speech pages list (Turbo 2.5 and Multilingual v2 list the same). */
    static final Set<String> ELEVENLABS_VOICES = Set.of("EkK5I93UQWFDigLMpZcX", "Z3R5wn05IrDiVCyEkUrK",
            "NNl6r8mD7vthiJatiJt1", "YOq2y2Up4RgXP2HyXjE5", "B8gJV1IhpuegLxdpXFOE", "2zRM7PkgwBPiau2jvVXc",
            "1SM7GgM6IMuvQlz2BwM3", "5l5f8iK3YPeGga21rQIX", "scOwDtmlUjD3prqpp97I", "NOpBlnGInO9m6vDvFkFC",
            "BZgkqPqms7Kj9ulSkVzn", "wo6udizrrtpIxWGp2qJk", "gU0LNdkMOQCOrPrwtbee", "DGzg6RaUqxGRTHSBjfgF",
            "x70vRnQBMBu4FAYhjJbO", "Sm1seazb4gs7RSlUVw7c", "P1bg08DkjqiVEzOn76yG", "qDuRKMlYmrm8trt5QyBn",
            "qXpMhyvQqiRxWQs4qSSB", "TX3LPaxmHKxFdv7VOQHJ", "N2lVS1w4EtoT3dr4eOWO", "FGY2WhTYpPnrIDTdsKH5",
            "kPzsL2i3teMYv0FxEYQ6", "UgBBYS2sOqTuMpoF3BR0", "hpp4J3VqNfWAUOO0d1Us", "nPczCjzI2devNBz1zQrb",
            "uYXf8XasLslADfZ2MB4u", "gs0tAILXbY5DNrJrsM6F", "DTKMou8ccj1ZaWGBiotd", "vBKc2FfBKJfcZNyEt1n6",
            "DYkrAHD8iwork3YSUBbs", "56AoDkrOh6qfVPDXZ7Pt", "eR40ATw9ArzDf9h3v7t7", "g6xIsTj2HwM6VR4iXFCw",
            "lcMyyd2HUfFzxdCaC4Ta", "6aDn1KB0hjpdcocrUkmq", "Sq93GQT4X1lKDXsQcixO", "flHkNRp1BlvT73UL6gyz",
            "9yzdeviXkFddZ4Oz8Mok", "pPdl9cQBQq4p6mRkZy2Z", "zYcjlYFOd3taleS0gkk3", "nzeAacJi50IvxcyDnMXa",
            "ruirxsoakN0GWmGNIo04", "TC0Zp7WVFzhA8zpTlRqV", "ljo9gAlSqKOvF6D8sOsX", "PPzYpIqttlTYA83688JI",
            "8JVbfL6oEdmuxKn5DK2C", "iCrDUkL56s3C8sCRl7wb", "wJqPPQ618aTW29mptyoc", "EiNlNiXeDU1pqqOPrYMO",
            "4YYIPFl9wE5c4L2eu2Gb", "6F5Zhi321D3Oq7v1oNT4", "YXpFCvM1S3JbWEJhoskW", "LG95yZDEHg6fCZdQjLqj",
            "CeNX9CMwmxDxUF5Q2Inm", "aD6riP1btT197c6dACmy", "mtrellq69YZsNwzUSyXh", "dHd5gvgSOzSfduK4CvEg",
            "eVItLK1UvXctxuaRV2Oq", "esy0r39YPLQjOczyOib8", "Tsns2HvNFKfGiNjllgqo", "1U02n4nD6AdIZ9CjF053",
            "AeRdCCKzvd23BpJoofzx", "LruHrtVF6PSyGItzMNHS", "1wGbFxmAM3Fgw63G1zZJ", "hqfrgApggtO1785R4Fsn",
            "MJ0RnG71ty4LH3dvNfSd");
    private static final Set<String> TTS_MODELS = Set.of("elevenlabs/text-to-speech-turbo-2-5",
            "elevenlabs/text-to-speech-multilingual-v2");
    private static final Set<String> TTS_FIELDS = Set.of("text", "voice", "stability", "similarity_boost", "style",
            "speed", "timestamps", "previous_text", "next_text", "language_code");
    private static final Set<String> KLING3_FIELDS = Set.of("prompt", "image_urls", "sound", "duration",
            "aspect_ratio", "mode", "multi_shots", "multi_prompt", "kling_elements");
    private static final Set<String> SUNO_FIELDS = Set.of("prompt", "customMode", "instrumental", "model",
            "callBackUrl", "style", "title", "negativeTags", "vocalGender", "styleWeight", "weirdnessConstraint",
            "audioWeight", "personaId", "personaModel");
    private static final Set<String> SUNO_MODELS = Set.of("V4", "V4_5", "V4_5PLUS", "V4_5ALL", "V5", "V5_5");

    private DocumentedInputs() {
    }

    /** @return why Kie would refuse the request, if it would */
    static Optional<String> problem(FakeKieServer.Family family, JsonNode body) {
        List<String> problems = new ArrayList<>();
        if (family == FakeKieServer.Family.SUNO) {
            suno(body, problems);
        } else if (family == FakeKieServer.Family.JOBS) {
            String model = body.path("model").asText("");
            JsonNode input = body.path("input");
            if (model.equals("kling-3.0/video")) {
                kling3(input, problems);
            } else if (TTS_MODELS.contains(model)) {
                textToSpeech(input, problems);
            }
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    private static void kling3(JsonNode in, List<String> problems) {
        only(in, KLING3_FIELDS, problems);
        // the multi-shot arrays too, also for a single shot (kie-api.md §8; Kie's example sends them empty)
        for (String required : List.of("prompt", "sound", "duration", "aspect_ratio", "mode", "multi_shots",
                "multi_prompt", "kling_elements")) {
            present(in, required, problems);
        }
        text(in, "prompt", Integer.MAX_VALUE, problems);
        bool(in, "sound", problems);
        bool(in, "multi_shots", problems);
        oneOf(in, "duration", Set.of("3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"), problems);
        oneOf(in, "aspect_ratio", Set.of("16:9", "9:16", "1:1"), problems);
        oneOf(in, "mode", Set.of("std", "pro", "4K"), problems);
        if (in.has("image_urls") && (!in.get("image_urls").isArray() || in.get("image_urls").size() > 2)) {
            problems.add("image_urls must be an array of at most 2 URLs (first and last frame)");
        }
        if (in.path("multi_shots").asBoolean(false) && in.path("multi_prompt").isEmpty()) {
            problems.add("multi_prompt is required for multi_shots");
        }
    }

    private static void textToSpeech(JsonNode in, List<String> problems) {
        only(in, TTS_FIELDS, problems);
        present(in, "text", problems);
        present(in, "voice", problems);
        text(in, "text", 5000, problems);
        oneOf(in, "voice", ELEVENLABS_VOICES, problems);
        range(in, "stability", 0, 1, problems);
        range(in, "similarity_boost", 0, 1, problems);
        range(in, "style", 0, 1, problems);
        range(in, "speed", 0.7, 1.2, problems);
    }

    /** Non-custom: prompt ≤ 500. Custom: style and title, lyrics unless instrumental; V4 3000/200, later 5000/1000. */
    private static void suno(JsonNode body, List<String> problems) {
        only(body, SUNO_FIELDS, problems);
        for (String required : List.of("customMode", "instrumental", "model", "callBackUrl")) {
            present(body, required, problems);
        }
        bool(body, "customMode", problems);
        bool(body, "instrumental", problems);
        oneOf(body, "model", SUNO_MODELS, problems);
        oneOf(body, "vocalGender", Set.of("m", "f"), problems);
        boolean v4 = body.path("model").asText("").equals("V4");
        if (!body.path("customMode").asBoolean(false)) {
            present(body, "prompt", problems);
            text(body, "prompt", 500, problems);
            return;
        }
        present(body, "style", problems);
        present(body, "title", problems);
        if (!body.path("instrumental").asBoolean(false)) {
            present(body, "prompt", problems);
        }
        text(body, "prompt", v4 ? 3000 : 5000, problems);
        text(body, "style", v4 ? 200 : 1000, problems);
        text(body, "title", 80, problems);
    }

    private static void only(JsonNode node, Set<String> allowed, List<String> problems) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                problems.add("unknown field " + name);
            }
        }
    }

    private static void present(JsonNode node, String name, List<String> problems) {
        if (!node.hasNonNull(name)) {
            problems.add(name + " is required");
        }
    }

    private static void text(JsonNode node, String name, int maxLength, List<String> problems) {
        if (node.has(name) && (!node.get(name).isTextual() || node.get(name).asText().length() > maxLength)) {
            problems.add(name + " must be a string of at most " + maxLength + " characters");
        }
    }

    private static void bool(JsonNode node, String name, List<String> problems) {
        if (node.has(name) && !node.get(name).isBoolean()) {
            problems.add(name + " must be a boolean");
        }
    }

    private static void oneOf(JsonNode node, String name, Set<String> values, List<String> problems) {
        if (node.has(name) && (!node.get(name).isTextual() || !values.contains(node.get(name).asText()))) {
            problems.add(name + " must be a string, one of the documented values");
        }
    }

    private static void range(JsonNode node, String name, double min, double max, List<String> problems) {
        if (node.has(name) && (!node.get(name).isNumber() || node.get(name).asDouble() < min
                || node.get(name).asDouble() > max)) {
            problems.add(name + " must be a number in [" + min + ", " + max + "]");
        }
    }
}
