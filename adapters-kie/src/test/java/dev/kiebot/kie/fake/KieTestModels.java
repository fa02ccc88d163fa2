package dev.kiebot.kie.fake;

import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.FieldLabels;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Real-looking Kie models (from kie-models.md) for tests; reusable through the test-jar. */
public final class KieTestModels {
    private KieTestModels() {
    }

    /** A model whose fields without words get plain test words (labels matter to the bot's screens, not here). */
    public static Model model(String id, String kieModel, Family family, Category category, List<InputField> fields) {
        List<InputField> labelled = fields.stream().map(f -> f.labels().equals(FieldLabels.NONE)
                ? f.withLabels(FieldLabels.of("Поле", "Field", "тестовое поле", "a test field")) : f).toList();
        return new Model(id, kieModel, family, category, Map.of("en", id, "ru", id),
                Map.of("en", "test model " + id, "ru", "тестовая модель " + id), labelled,
                List.of(new Sku(Map.of(), new BigDecimal("0.02"), "test")), 1);
    }

    public static InputField field(String name, FieldType type, boolean required, List<String> values, String dflt,
                                   String min, String max, Integer maxLength, Integer maxItems, boolean ask) {
        return new InputField(name, type, required, values, Optional.ofNullable(dflt),
                Optional.ofNullable(min).map(BigDecimal::new), Optional.ofNullable(max).map(BigDecimal::new),
                maxLength == null ? OptionalInt.empty() : OptionalInt.of(maxLength),
                maxItems == null ? OptionalInt.empty() : OptionalInt.of(maxItems), ask);
    }

    /** {@code google/nano-banana}: prompt; output_format, aspect_ratio (asked), image_size (not asked). */
    public static Model nanoBanana() {
        return model("google/nano-banana", "google/nano-banana", Family.JOBS, Category.IMAGE, List.of(
                InputField.prompt(5000),
                field("output_format", FieldType.ENUM, false, List.of("png", "jpeg"), "png", null, null, null, null, false),
                InputField.choice("aspect_ratio", false, List.of("1:1", "9:16", "16:9", "3:4", "4:3", "auto"), "1:1"),
                field("image_size", FieldType.ENUM, false, List.of("1:1", "16:9", "auto"), "1:1", null, null, null, null,
                        false)));
    }

    /** {@code google/nano-banana-edit}: prompt + required image_urls (max 10). */
    public static Model nanoBananaEdit() {
        return model("google/nano-banana-edit", "google/nano-banana-edit", Family.JOBS, Category.IMAGE, List.of(
                InputField.prompt(5000),
                InputField.images("image_urls", true, 10),
                field("output_format", FieldType.ENUM, false, List.of("png", "jpeg"), "png", null, null, null, null, false)));
    }

    /** {@code kling-2.6/text-to-video}: sound boolean, aspect_ratio, duration as a STRING enum. */
    public static Model kling26() {
        return model("kling-2.6/text-to-video", "kling-2.6/text-to-video", Family.JOBS, Category.VIDEO, List.of(
                InputField.prompt(1000),
                field("sound", FieldType.BOOLEAN, true, List.of(), "false", null, null, null, null, true),
                InputField.choice("aspect_ratio", true, List.of("1:1", "16:9", "9:16"), "1:1"),
                InputField.choice("duration", true, List.of("5", "10"), "5")));
    }

    /** {@code wan/2-7-text-to-video}: integer duration [2..15], optional unasked seed. */
    public static Model wan27() {
        return model("wan/2-7-text-to-video", "wan/2-7-text-to-video", Family.JOBS, Category.VIDEO, List.of(
                InputField.prompt(5000),
                field("resolution", FieldType.ENUM, false, List.of("720p", "1080p"), "1080p", null, null, null, null, true),
                field("duration", FieldType.INTEGER, false, List.of(), "5", "2", "15", null, null, true),
                field("prompt_extend", FieldType.BOOLEAN, false, List.of(), "true", null, null, null, null, false),
                field("seed", FieldType.INTEGER, false, List.of(), null, "0", "2147483647", null, null, false)));
    }

    /** {@code elevenlabs/text-to-speech-multilingual-v2}: text, voice, numbers with limits. */
    public static Model elevenLabs() {
        return model("elevenlabs/text-to-speech-multilingual-v2", "elevenlabs/text-to-speech-multilingual-v2",
                Family.JOBS, Category.AUDIO, List.of(
                        field("text", FieldType.TEXT, true, List.of(), null, null, null, 5000, null, true),
                        InputField.choice("voice", true, List.of("EkK5I93UQWFDigLMpZcX", "Z3R5wn05IrDiVCyEkUrK"),
                                "EkK5I93UQWFDigLMpZcX"),
                        field("stability", FieldType.NUMBER, false, List.of(), "0.5", "0", "1", null, null, true),
                        field("speed", FieldType.NUMBER, false, List.of(), "1", "0.7", "1.2", null, null, true),
                        field("timestamps", FieldType.BOOLEAN, false, List.of(), null, null, null, null, null, false)));
    }

    /** {@code kling/ai-avatar-standard}: single image + single audio + prompt. */
    public static Model aiAvatar() {
        return model("kling/ai-avatar-standard", "kling/ai-avatar-standard", Family.JOBS, Category.VIDEO, List.of(
                field("image_url", FieldType.IMAGE, true, List.of(), null, null, null, null, null, true),
                field("audio_url", FieldType.AUDIO, true, List.of(), null, null, null, null, null, true),
                InputField.prompt(5000)));
    }

    /** {@code wan/2-6-video-to-video}: videos array (max 3). */
    public static Model wan26VideoToVideo() {
        return model("wan/2-6-video-to-video", "wan/2-6-video-to-video", Family.JOBS, Category.VIDEO, List.of(
                InputField.prompt(5000),
                field("video_urls", FieldType.VIDEOS, true, List.of(), null, null, null, null, 3, true),
                InputField.choice("duration", false, List.of("5", "10"), "5")));
    }

    /** A Veo 3.1 Fast model: id veo3.1-fast sends model veo3_fast; duration as an int enum. */
    public static Model veoFast() {
        return model("veo3.1-fast", "veo3_fast", Family.VEO, Category.VIDEO, List.of(
                InputField.prompt(5000),
                InputField.images("image_urls", false, 3),
                InputField.choice("aspect_ratio", false, List.of("16:9", "9:16", "Auto"), "16:9"),
                field("resolution", FieldType.ENUM, false, List.of("720p", "1080p"), "720p", null, null, null, null, true),
                field("duration", FieldType.INT_ENUM, false, List.of("4", "6", "8"), "8", null, null, null, null, true)));
    }

    /** Suno V5 in non-custom mode: prompt ≤ 500, instrumental boolean. */
    public static Model sunoV5() {
        return model("suno-v5", "V5", Family.SUNO, Category.MUSIC, List.of(
                InputField.prompt(500),
                field("instrumental", FieldType.BOOLEAN, false, List.of(), "false", null, null, null, null, true)));
    }

    /** {@code kling-3.0/video} single-shot, as the catalog offers it: optional first/last frames, hidden multi_shots. */
    public static Model kling30() {
        return model("kling-3.0/video", "kling-3.0/video", Family.JOBS, Category.VIDEO, List.of(
                InputField.prompt(2500),
                InputField.images("image_urls", false, 2),
                InputField.choice("duration", true, List.of("5", "10", "15"), "5"),
                InputField.choice("mode", true, List.of("std", "pro"), "pro"),
                field("sound", FieldType.BOOLEAN, true, List.of(), "false", null, null, null, null, true),
                InputField.choice("aspect_ratio", true, List.of("16:9", "9:16", "1:1"), "16:9"),
                field("multi_shots", FieldType.BOOLEAN, true, List.of("false"), "false", null, null, null, null,
                        false)));
    }

    /** Suno V5 in custom mode: title, style and own lyrics; customMode true, instrumental false, both unasked. */
    public static Model sunoV5Custom() {
        return model("suno-v5-custom", "V5", Family.SUNO, Category.MUSIC, List.of(
                field("title", FieldType.TEXT, true, List.of(), null, null, null, 80, null, true),
                field("style", FieldType.TEXT, true, List.of(), null, null, null, 1000, null, true),
                InputField.prompt(5000),
                field("customMode", FieldType.BOOLEAN, true, List.of("true"), "true", null, null, null, null, false),
                field("instrumental", FieldType.BOOLEAN, true, List.of("false"), "false", null, null, null, null,
                        false)));
    }
}
