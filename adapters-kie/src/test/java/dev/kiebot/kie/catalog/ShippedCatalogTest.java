package dev.kiebot.kie.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The catalog that ships in models/ loads, is big enough and is complete. */
class ShippedCatalogTest {
    private static final Path REPO_MODELS = Path.of("..", "models");
    /**
     * Values that explain themselves: numbers, ratios, a video height as people write it ({@code 1080p}) and a
     * picture size in K ({@code 4K}). Kie's other spellings of these ({@code 512P}, {@code 4k}) need a label.
     */
    private static final java.util.regex.Pattern SELF_EXPLAINING =
            java.util.regex.Pattern.compile("\\d+(\\.\\d+)?|\\d+:\\d+|\\d+p|\\d+K");

    private final Catalog catalog = KieCatalog.fromClasspath();

    @Test
    void loadsFromClasspathAndFromTheRepositoryDirectoryAlike() {
        assertThat(Files.isDirectory(REPO_MODELS)).as("tests run in adapters-kie/, next to ../models").isTrue();
        Catalog fromDir = KieCatalog.fromDirectory(REPO_MODELS);

        assertThat(catalog.size()).isGreaterThanOrEqualTo(50);
        assertThat(fromDir.models()).isEqualTo(catalog.models());
    }

    @Test
    void meetsTheMinimumPerCategory() {
        Map<Category, Long> perCategory = catalog.models().stream()
                .collect(Collectors.groupingBy(Model::category, Collectors.counting()));

        assertThat(perCategory.get(Category.IMAGE)).isGreaterThanOrEqualTo(20);
        assertThat(perCategory.get(Category.VIDEO)).isGreaterThanOrEqualTo(20);
        // audio-isolation is priced per second of the uploaded clip; accepting clips of at most
        // 60 s (the audio field's limit) gives it a fixed worst-case price
        assertThat(perCategory.get(Category.AUDIO)).isGreaterThanOrEqualTo(4);
        assertThat(catalog.model("elevenlabs/audio-isolation").orElseThrow().field("audio_url").orElseThrow()
                .maxLength()).hasValue(60);
        assertThat(catalog.models(Category.MUSIC)).isNotEmpty()
                .allSatisfy(m -> assertThat(m.family()).isEqualTo(Family.SUNO));
        assertThat(catalog.models()).filteredOn(m -> m.family() == Family.VEO).isNotEmpty()
                .allSatisfy(m -> assertThat(m.category()).isEqualTo(Category.VIDEO));
        assertThat(catalog.categories()).containsExactly(Category.values());
    }

    @Test
    void everyModelHasRussianAndEnglishTitleAndDescription() {
        for (Model m : catalog.models()) {
            for (String lang : new String[] {"ru", "en"}) {
                assertThat(m.title().get(lang)).as(m.id() + " title " + lang).isNotBlank();
                assertThat(m.description().get(lang)).as(m.id() + " description " + lang).isNotBlank();
            }
        }
    }

    /**
     * A Russian description keeps a count with its word by a no-break space, as the bot's own texts do
     * ({@code Plural}): «до 14 фото» could break after «14» and leave «фото» alone on the card's next line. A version
     * («Veo 3.1 со звуком») is no count.
     */
    @Test
    void aRussianDescriptionKeepsACountWithItsWord() {
        for (Model m : catalog.models()) {
            assertThat(m.description().get("ru")).as(m.id())
                    .doesNotContainPattern("(?<![.\\d])\\d+(–\\d+)? \\p{IsCyrillic}");
        }
    }

    @Test
    void everySkuHasAPositivePriceAndASource() {
        for (Model m : catalog.models()) {
            assertThat(m.skus()).as(m.id()).isNotEmpty();
            for (Sku s : m.skus()) {
                assertThat(s.kieUsd()).as(m.id() + " " + s.id()).isPositive();
                assertThat(s.source()).as(m.id() + " " + s.id()).startsWith("kie.ai/pricing 2026-06-30");
            }
        }
    }

    @Test
    void everyModelHasAPriceForItsDefaults() {
        // the model card shows a price before the user picks anything
        for (Model m : catalog.models()) {
            assertThat(m.skuFor(Map.of())).as(m.id()).isPresent();
            for (String field : m.priceFields()) {
                assertThat(m.field(field).flatMap(InputField::defaultValue)).as(m.id() + " " + field).isPresent();
            }
        }
    }

    @Test
    void jobsModelsSendTheirOwnIdAndDedicatedFamiliesUseKieNames() {
        // a Kie model offered as well in a variant the catalog cannot offer beside its others (Hailuo 2.3 in 1080P, 6 s
        // only) is a model of its own, sending Kie's id
        Map<String, String> narrowed = Map.of(
                "hailuo/2-3-image-to-video-standard-1080p", "hailuo/2-3-image-to-video-standard",
                "hailuo/2-3-image-to-video-pro-1080p", "hailuo/2-3-image-to-video-pro");
        for (Model m : catalog.models()) {
            if (m.family() == Family.JOBS) {
                assertThat(m.kieModel()).as(m.id()).isEqualTo(narrowed.getOrDefault(m.id(), m.id()));
            }
        }
        assertThat(catalog.model("veo3.1-fast").orElseThrow().kieModel()).isEqualTo("veo3_fast");
        assertThat(catalog.model("veo3.1-quality").orElseThrow().kieModel()).isEqualTo("veo3");
        assertThat(catalog.model("veo3.1-lite").orElseThrow().kieModel()).isEqualTo("veo3_lite");
        assertThat(catalog.model("suno-v5").orElseThrow().kieModel()).isEqualTo("V5");
    }

    @Test
    void veoAndSunoUseTheirApisFieldNames() {
        Model veo = catalog.model("veo3.1-fast").orElseThrow();
        assertThat(veo.fields()).extracting(InputField::name)
                .containsExactly("prompt", "imageUrls", "aspectRatio", "resolution", "duration");
        assertThat(veo.field("imageUrls").orElseThrow().maxItems()).hasValue(2);
        assertThat(veo.field("duration").orElseThrow().type()).isEqualTo(FieldType.INT_ENUM);
        assertThat(veo.priceFields()).containsExactly("resolution");

        Model suno = catalog.model("suno-v5").orElseThrow();
        assertThat(suno.field("prompt").orElseThrow().maxLength()).hasValue(500);
        assertThat(suno.field("instrumental").orElseThrow().type()).isEqualTo(FieldType.BOOLEAN);
    }

    @Test
    void textToSpeechIsCappedAtTheThousandCharactersItIsPricedFor() {
        for (Model m : catalog.models(Category.AUDIO)) {
            if (m.id().contains("text-to-speech")) {
                assertThat(m.field("text").orElseThrow().maxLength()).as(m.id()).hasValue(1000);
            }
        }
    }

    @Test
    void requiredUnaskedFieldsHaveDefaultsAndAskedFieldsExist() {
        for (Model m : catalog.models()) {
            assertThat(m.askedFields()).as(m.id()).isNotEmpty();
            for (InputField f : m.fields()) {
                if (f.required() && !f.ask()) {
                    assertThat(f.defaultValue()).as(m.id() + " " + f.name()).isPresent();
                }
            }
        }
    }

    @Test
    void popularCheapModelsComeFirst() {
        Set<String> firstImages = catalog.models(Category.IMAGE).stream().limit(6).map(Model::id)
                .collect(Collectors.toSet());
        assertThat(firstImages).contains("google/nano-banana", "seedream/4.5-text-to-image");
        assertThat(catalog.models(Category.VIDEO).get(0).id()).isEqualTo("veo3.1-fast");
        // the newest Suno first, by a description and on one's own words
        assertThat(catalog.models(Category.MUSIC).subList(0, 2)).extracting(Model::id)
                .containsExactly("suno-v5.5", "suno-v5.5-custom");
    }

    @Test
    void everyAskedValueThatDoesNotExplainItselfHasALabelInBothLanguages() {
        for (Model m : catalog.models()) {
            for (InputField f : m.askedFields()) {
                if (f.type() != FieldType.ENUM && f.type() != FieldType.INT_ENUM) {
                    continue;
                }
                for (String v : f.values()) {
                    if (!SELF_EXPLAINING.matcher(v).matches()) {
                        for (String lang : new String[] {"ru", "en"}) {
                            assertThat(f.valueLabel(v, lang)).as(m.id() + " " + f.name() + "=" + v + " " + lang)
                                    .isNotBlank().isNotEqualTo(v);
                        }
                    }
                }
            }
        }
        InputField mode = catalog.model("kling-3.0/video").orElseThrow().field("mode").orElseThrow();
        assertThat(mode.valueLabel("std", "ru")).isEqualTo("Стандартное");
        assertThat(mode.valueLabel("pro", "ru")).isEqualTo("Высокое");
        InputField ratio = catalog.model("kling-3.0/video").orElseThrow().field("aspect_ratio").orElseThrow();
        assertThat(ratio.valueLabel("9:16", "ru")).isEqualTo("9:16");
        InputField hailuo = catalog.model("hailuo/02-image-to-video-standard").orElseThrow().field("resolution")
                .orElseThrow();
        // what a user picks between, not the API's numbers of lines («512p» / «768p»)
        assertThat(hailuo.valueLabel("512P", "ru")).isEqualTo("Обычное");
        // «Разрешение: чётче» in the summary read as a comparison with nothing: the word Kling 3.0's higher one has
        assertThat(hailuo.valueLabel("768P", "ru")).isEqualTo("Высокое");
        assertThat(hailuo.valueLabel("768P", "en")).isEqualTo("High");
        // Ideogram's rendering speed: «• Режим: качество» in the summary said neither what was chosen nor that it is speed
        // traded for quality
        InputField speed = catalog.model("ideogram/v3-text-to-image").orElseThrow().field("rendering_speed")
                .orElseThrow();
        assertThat(speed.labels().label("ru")).as("speed").isEqualTo("Скорость и качество");
        assertThat(speed.values().stream().map(v -> speed.valueLabel(v, "ru")).toList())
                .containsExactly("Быстро", "Средне", "Лучшее качество");
        // Qwen Image 2's sizes are ratios alone: the shared hint's «крупно» named a button it does not have
        for (String qwen : List.of("qwen2/text-to-image", "qwen2/image-edit")) {
            assertThat(catalog.model(qwen).orElseThrow().field("image_size").orElseThrow().labels().hint("ru"))
                    .as(qwen).doesNotContain("крупно");
        }
        // a frame's shape as the other models write it: «Горизонтальный 16:9» filled a button of a row of two
        InputField size = catalog.model("ideogram/v3-text-to-image").orElseThrow().field("image_size").orElseThrow();
        assertThat(size.values().stream().map(v -> size.valueLabel(v, "ru")).toList())
                .containsExactly("1:1", "1:1 крупно", "3:4", "9:16", "4:3", "16:9");
        // the common frames first, the odd ones of Nano Banana 2 last; the values sent are Kie's as they were
        InputField frames = catalog.model("nano-banana-2").orElseThrow().field("aspect_ratio").orElseThrow();
        assertThat(frames.values()).startsWith("auto", "1:1", "16:9", "9:16", "4:3", "3:4")
                .endsWith("1:8", "8:1", "4:1", "1:4").containsExactlyInAnyOrder("auto", "1:1", "1:4", "16:9", "1:8",
                        "21:9", "2:3", "3:2", "3:4", "4:1", "4:3", "4:5", "5:4", "8:1", "9:16");
        InputField omni = catalog.model("gemini-omni-video").orElseThrow().field("resolution").orElseThrow();
        assertThat(omni.valueLabel("4k", "ru")).isEqualTo("4K");
        assertThat(omni.valueLabel("1080p", "ru")).isEqualTo("1080p");
    }

    /**
     * A hint says an option costs more (or less) only where the option changes the model's price: seedream's quality,
     * wan/2-7-image's resolution and seedance-2's sound said «и дороже» at one price for every value.
     */
    @Test
    void aHintSaysAnOptionCostsMoreOnlyWhereItChangesThePrice() {
        java.util.regex.Pattern price = java.util.regex.Pattern.compile("(?iu)дороже|дешевле|cost|cheaper|price");
        int priced = 0;
        for (Model m : catalog.models()) {
            for (InputField f : m.askedFields()) {
                List<String> words = new java.util.ArrayList<>();
                for (String lang : new String[] {"ru", "en"}) {
                    words.add(f.labels().hint(lang));
                    f.values().forEach(v -> f.labels().value(v).flatMap(o -> o.hint(lang)).ifPresent(words::add));
                }
                boolean changes = changesThePrice(m, f.name());
                priced += changes ? 1 : 0;
                assertThat(words).as(m.id() + " " + f.name() + (changes ? "" : ", whose value changes no price"))
                        .noneMatch(w -> !changes && price.matcher(w).find());
            }
        }
        assertThat(priced).as("fields whose value changes the price").isGreaterThan(50);
        assertThat(catalog.model("seedream/4.5-text-to-image").orElseThrow().field("quality").orElseThrow().labels()
                .hint("ru")).isEqualTo("Чем выше, тем больше деталей");
        assertThat(catalog.model("nano-banana-2").orElseThrow().field("resolution").orElseThrow().labels()
                .hint("ru")).isEqualTo("Чем выше, тем чётче и дороже");
        assertThat(catalog.model("bytedance/seedance-1.5-pro").orElseThrow().field("generate_audio").orElseThrow()
                .labels().hint("en")).isEqualTo("Add sound and speech to the video; costs more");
        assertThat(catalog.model("bytedance/seedance-2").orElseThrow().field("generate_audio").orElseThrow()
                .labels().hint("ru")).isEqualTo("Добавить к видео звук и речь");
    }

    /**
     * A hint names only the values its field offers: Veo 3.1, Wan 2.2 Turbo and Gemini Omni Video, of 16:9 and 9:16
     * only, were told «1:1 — квадрат», and GPT Image 1.5, of 1:1, 3:2 and 2:3, of 16:9 and 9:16.
     */
    @Test
    void aHintNamesOnlyTheRatiosItsFieldOffers() {
        java.util.regex.Pattern ratio = java.util.regex.Pattern.compile("\\d+:\\d+");
        int named = 0;
        for (Model m : catalog.models()) {
            for (InputField f : m.askedFields()) {
                for (String lang : new String[] {"ru", "en"}) {
                    java.util.regex.Matcher r = ratio.matcher(f.labels().hint(lang));
                    while (r.find()) {
                        named++;
                        assertThat(f.values()).as(m.id() + " " + f.name() + " " + lang + ": «" + f.labels().hint(lang)
                                + "»").contains(r.group());
                    }
                }
            }
        }
        assertThat(named).isGreaterThan(100);
        assertThat(catalog.model("veo3.1-fast").orElseThrow().field("aspectRatio").orElseThrow().labels().hint("ru"))
                .isEqualTo("Ширина к высоте: 16:9 — горизонтальный кадр, 9:16 — вертикальный, как для сторис");
    }

    /** Whether two of the model's SKUs that differ in {@code field} only cost differently (told from the SKUs here). */
    private static boolean changesThePrice(Model m, String field) {
        for (Sku a : m.skus()) {
            for (Sku b : m.skus()) {
                Map<String, String> rest = new java.util.HashMap<>(a.options());
                rest.put(field, b.options().get(field));
                if (a.options().containsKey(field) && rest.equals(b.options())
                        && a.kieUsd().compareTo(b.kieUsd()) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void textToSpeechOffersAtLeastSixNamedVoicesOfBothGenders() {
        for (Model m : catalog.models(Category.AUDIO)) {
            if (!m.id().contains("text-to-speech")) {
                continue;
            }
            InputField voice = m.field("voice").orElseThrow();
            assertThat(voice.ask()).as(m.id()).isTrue();
            assertThat(voice.values()).as(m.id()).hasSizeGreaterThanOrEqualTo(6);
            for (String v : voice.values()) {
                var label = voice.labels().value(v).orElseThrow();
                for (String lang : new String[] {"ru", "en"}) {
                    assertThat(label.label(lang)).as(m.id() + " " + v).isNotBlank().isNotEqualTo(v);
                    assertThat(label.hint(lang)).as(m.id() + " " + v + " hint").isPresent();
                }
            }
            assertThat(voice.values().stream().map(v -> voice.valueLabel(v, "en")))
                    .anyMatch(l -> l.contains("♂")).anyMatch(l -> l.contains("♀"));
        }
    }

    @Test
    void sunoCustomModeKeepsKiesLimitsPerModelVersion() {
        // Kie: custom mode prompt (lyrics) 3000 / style 200 for V4, 5000 / 1000 for V4_5 and later; title 80;
        // without custom mode the prompt is at most 500
        List<Model> custom = catalog.models(Category.MUSIC).stream()
                .filter(m -> m.field("customMode").flatMap(InputField::defaultValue).filter("true"::equals).isPresent())
                .toList();
        assertThat(custom).extracting(Model::id)
                .containsExactlyInAnyOrder("suno-v5-custom", "suno-v5.5-custom", "suno-v4.5-plus-custom");
        for (Model m : catalog.models(Category.MUSIC)) {
            boolean isCustom = custom.contains(m);
            boolean v4 = m.kieModel().equals("V4");
            assertThat(m.field("prompt").orElseThrow().maxLength().getAsInt()).as(m.id())
                    .isLessThanOrEqualTo(isCustom ? (v4 ? 3000 : 5000) : 500);
            if (isCustom) {
                assertThat(m.field("style").orElseThrow().maxLength().getAsInt()).as(m.id())
                        .isLessThanOrEqualTo(v4 ? 200 : 1000);
                assertThat(m.field("title").orElseThrow().maxLength().getAsInt()).as(m.id()).isLessThanOrEqualTo(80);
                assertThat(m.field("instrumental").orElseThrow().defaultValue()).contains("false");
            }
        }
    }

    @Test
    void klingThreeIsSingleShotPricedPerSecond() {
        Model kling = catalog.model("kling-3.0/video").orElseThrow();
        assertThat(kling.fields()).extracting(InputField::name).doesNotContain("multi_prompt", "kling_elements");
        assertThat(kling.field("multi_shots").orElseThrow().values()).containsExactly("false");
        assertThat(kling.field("image_urls").orElseThrow().required()).isFalse();
        // $0.09/s (1080p, no audio) x 10 s; $0.135/s (1080p, audio) x 15 s; $0.07/s (720p) x 5 s
        assertThat(kling.sku("duration=10,mode=pro,sound=false").orElseThrow().kieUsd()).isEqualByComparingTo("0.9");
        assertThat(kling.sku("duration=15,mode=pro,sound=true").orElseThrow().kieUsd()).isEqualByComparingTo("2.025");
        assertThat(kling.sku("duration=5,mode=std,sound=false").orElseThrow().kieUsd()).isEqualByComparingTo("0.35");
    }

    /**
     * Siblings told apart only by an English word («Veo 3.1 Fast», «Veo 3.1 Lite», «Veo 3.1 Quality») say it in
     * Russian too: a user who does not read «Lite» picked between three names that read the same.
     */
    @Test
    void siblingsTitlesSayInRussianWhatSetsThemApart() {
        for (List<String> siblings : List.of(List.of("veo3.1-fast", "veo3.1-lite", "veo3.1-quality"),
                List.of("google/imagen4-fast", "google/imagen4", "google/imagen4-ultra"),
                List.of("bytedance/seedance-2-fast", "bytedance/seedance-2-mini", "bytedance/seedance-2"))) {
            List<String> titles = siblings.stream().map(id -> catalog.model(id).orElseThrow().title("ru")).toList();
            assertThat(titles).as(siblings.toString()).doesNotHaveDuplicates()
                    .filteredOn(t -> !t.matches(".*\\p{IsCyrillic}.*")).as("only the plain one has no Russian word")
                    .hasSizeLessThanOrEqualTo(1);
            assertThat(titles).noneMatch(t -> t.matches(".* (Fast|Lite|Quality|Ultra|Mini)\\b.*"));
        }
    }

    /**
     * A model's top tier is said one way in every family, and in a word of a Russian product line: «Макс» («Veo 3.1
     * Макс», «Kling 2.1 Макс по фото», as «Яндекс Станция Макс»). It was «топ», slang beside «быстрая» and «доступная»,
     * and «Hailuo 2.3: фото, топ HD» read as a heap of words; before that «лучшая» beside «топ»: two words for one thing
     * read as two tiers. «лучшая» cannot be everywhere: «Hailuo 2.3: лучшая по фото от 35,10 ₽» is 37 characters, past
     * what a phone shows of a button (ModelButtonsFitTest); «Kling 2.1 Макс по фото от 124,80 ₽» is 34.
     */
    @Test
    void theTopTierIsSaidOneWayInEveryFamily() {
        // a word of its own: «Улучшить чёткость фото» names no tier
        assertThat(catalog.models()).extracting(m -> m.title("ru")).noneMatch(t -> t.matches(".*(?<!\\p{L})лучш.*"))
                .noneMatch(t -> t.matches(".*(?<!\\p{L})топ(?!\\p{L}).*"))
                .anyMatch(t -> t.endsWith(" Макс")).anyMatch(t -> t.contains(" Макс по фото"));
    }
}
