package dev.kiebot.core.testing;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.FieldLabels;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.OptionLabel;
import dev.kiebot.core.catalog.Sku;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** A small catalog with one model of each input shape, for core tests. */
public final class TestCatalog {
    /** Where every test SKU's price says it was verified (a catalog's price names its source). */
    public static final String SRC = "test 2026-06-30";

    private TestCatalog() {
    }

    /**
     * The words a person reads for the fields the test models use (every catalog field needs them).
     *
     * @param f a field named as one of the test models' ({@code prompt}, {@code aspect_ratio}, {@code image_urls},
     *          {@code resolution}, {@code duration}, {@code sound}, {@code cfg_scale}, {@code text},
     *          {@code audio_url})
     * @return the field with its label and hint in ru and en
     * @throws IllegalArgumentException for a field of another name
     */
    public static InputField labelled(InputField f) {
        FieldLabels words = switch (f.name()) {
            case "prompt" -> FieldLabels.of("Описание", "Description", "что нарисовать", "what to draw");
            case "aspect_ratio" -> FieldLabels.of("Формат кадра", "Frame shape", "форма картинки",
                    "the shape of the picture");
            case "image_urls" -> FieldLabels.of("Фото", "Photos", "фото для правки", "the photos to edit");
            case "resolution" -> FieldLabels.of("Разрешение", "Output resolution", "чем больше, тем чётче",
                    "higher is sharper");
            // its values in seconds, as the shipped catalog's labels say them: a bare «10 · 85,80 ₽» named no unit
            case "duration" -> inSeconds(f.values(), FieldLabels.of("Длительность", "Length",
                    "сколько длится видео", "how long the video lasts"));
            case "sound" -> FieldLabels.of("Звук", "Sound effects", "видео со звуком", "a video with sound");
            case "cfg_scale" -> FieldLabels.of("Точность следования описанию", "Closeness to the description",
                    "насколько буквально", "how literally");
            case "text" -> FieldLabels.of("Текст для озвучки", "Text to speak", "что прочитать", "what to read");
            case "audio_url" -> FieldLabels.of("Запись", "Recording", "запись с голосом", "a recording with a voice");
            default -> throw new IllegalArgumentException("no test words for field '" + f.name() + "'");
        };
        return f.withLabels(words);
    }

    /** Each value the field offers, and only those: a label for a value it does not offer fails the catalog. */
    private static FieldLabels inSeconds(List<String> values, FieldLabels words) {
        FieldLabels labelled = words;
        for (String v : values) {
            labelled = labelled.withValue(v, OptionLabel.of(v + "\u00A0с", v + "\u00A0s"));
        }
        return labelled;
    }

    private static List<InputField> allLabelled(InputField... fields) {
        return java.util.Arrays.stream(fields).map(TestCatalog::labelled).toList();
    }

    /**
     * A text-to-image model {@code id} with one SKU at {@code usd} Kie dollars, ranked by {@code popularity}: a prompt
     * of up to 1,000 characters, then an aspect (1:1, 16:9 or 9:16; 1:1 when skipped).
     *
     * @param id         the model's id, also its Kie model and its title's ending ({@code Image <id>})
     * @param usd        its one price, in Kie dollars ({@code "0.02"})
     * @param popularity its place in the menus, lower first
     * @return the model
     */
    public static Model textToImage(String id, String usd, int popularity) {
        return new Model(id, id, Family.JOBS, Category.IMAGE, Map.of("ru", "Картинка " + id, "en", "Image " + id),
                Map.of("ru", "рисует", "en", "draws"),
                allLabelled(InputField.prompt(1000),
                        InputField.choice("aspect_ratio", false, List.of("1:1", "16:9", "9:16"), "1:1")),
                List.of(new Sku(Map.of(), new BigDecimal(usd), SRC)), popularity);
    }

    /**
     * image_urls (1-3 photos) + prompt, priced by resolution.
     *
     * @return {@code edit/pro}: 1K at $0.025, 2K at $0.035
     */
    public static Model imageEdit() {
        return new Model("edit/pro", "edit/pro", Family.JOBS, Category.IMAGE,
                Map.of("ru", "Редактор", "en", "Editor"), Map.of("ru", "правит фото", "en", "edits photos"),
                allLabelled(InputField.images("image_urls", true, 3), InputField.prompt(500),
                        InputField.choice("resolution", true, List.of("1K", "2K"), "1K")),
                List.of(new Sku(Map.of("resolution", "1K"), new BigDecimal("0.025"), SRC),
                        new Sku(Map.of("resolution", "2K"), new BigDecimal("0.035"), SRC)), 20);
    }

    /**
     * Video priced by duration × sound, with a numeric field.
     *
     * @return {@code kling/video}: 5 or 10 s, with or without sound, from $0.275 to $1.10; a {@code cfg_scale} from
     *         0 to 1 (0.5 when skipped)
     */
    public static Model video() {
        InputField duration = new InputField("duration", FieldType.ENUM, true, List.of("5", "10"), Optional.of("5"),
                Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), true);
        InputField sound = new InputField("sound", FieldType.BOOLEAN, true, List.of(), Optional.of("false"),
                Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), true);
        InputField cfg = new InputField("cfg_scale", FieldType.NUMBER, false, List.of(), Optional.of("0.5"),
                Optional.of(BigDecimal.ZERO), Optional.of(BigDecimal.ONE), OptionalInt.empty(), OptionalInt.empty(), true);
        List<Sku> skus = new ArrayList<>();
        String[][] prices = {{"5", "false", "0.275"}, {"5", "true", "0.55"}, {"10", "false", "0.55"}, {"10", "true", "1.10"}};
        for (String[] p : prices) {
            skus.add(new Sku(Map.of("duration", p[0], "sound", p[1]), new BigDecimal(p[2]), SRC));
        }
        return new Model("kling/video", "kling/video", Family.JOBS, Category.VIDEO, Map.of("ru", "Клинг", "en", "Kling"),
                Map.of("ru", "видео", "en", "video"), allLabelled(InputField.prompt(2500), duration, sound, cfg), skus, 5);
    }

    /**
     * A text-to-speech model (an audio result).
     *
     * @return {@code tts/turbo}: a text of up to 1,000 characters at $0.03
     */
    public static Model speech() {
        InputField text = new InputField("text", FieldType.TEXT, true, List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.of(1000), OptionalInt.empty(), true);
        return new Model("tts/turbo", "tts/turbo", Family.JOBS, Category.AUDIO, Map.of("ru", "Голос", "en", "Voice"),
                Map.of("ru", "озвучка", "en", "speech"), allLabelled(text),
                List.of(new Sku(Map.of(), new BigDecimal("0.03"), SRC)), 30);
    }

    /**
     * 12 cheap image models (two pages), an editor, a video and a speech model.
     *
     * @return a new catalog: {@code img/m1} to {@code img/m12} ($0.011 to $0.022, in that order of popularity),
     *         {@link #imageEdit()}, {@link #video()} and {@link #speech()}
     */
    public static Catalog catalog() {
        List<Model> models = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            models.add(textToImage("img/m" + i, "0.0" + (10 + i), i));
        }
        models.add(imageEdit());
        models.add(video());
        models.add(speech());
        return Catalog.of(models);
    }
}
