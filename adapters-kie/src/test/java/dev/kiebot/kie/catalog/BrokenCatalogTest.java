package dev.kiebot.kie.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.CatalogProblem;
import dev.kiebot.core.catalog.InvalidCatalogException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken data is refused with one exception that lists every problem with its line or model. */
class BrokenCatalogTest {
    @TempDir
    Path dir;

    private static final String GOOD_MODEL = """
                {
                  "id": "good/model", "family": "jobs", "category": "image", "popularity": 1,
                  "title": {"ru": "Хорошая", "en": "Good"},
                  "description": {"ru": "Работает", "en": "Works"},
                  "fields": [
                    {"name": "prompt", "type": "text", "required": true, "maxLength": 100},
                    {"name": "resolution", "type": "enum", "values": ["1K", "2K"], "default": "1K"},
                    {"name": "duration", "type": "int_enum", "values": [5, 10], "default": 5, "ask": false}
                  ]
                }""";

    @Test
    void aValidMinimalCatalogLoadsFromADirectory() throws IOException {
        write("{\"version\": 1, \"models\": [" + GOOD_MODEL + "]}", """
                # comment
                good/model | duration=5,resolution=1K | 0.01 | test

                good/model | duration=5,resolution=2K | 0.02 | test
                good/model | duration=10,resolution=1K | 0.02 | test
                good/model | duration=10,resolution=2K | 0.04 | test
                """);

        Catalog catalog = KieCatalog.fromDirectory(dir);

        var model = catalog.model("good/model").orElseThrow();
        assertThat(model.kieModel()).isEqualTo("good/model");
        assertThat(model.skus()).hasSize(4);
        assertThat(model.sku("duration=10,resolution=2K").orElseThrow().kieUsd()).isEqualByComparingTo("0.04");
        assertThat(model.sku("duration=10,resolution=2K").orElseThrow().source()).isEqualTo("test");
        assertThat(model.field("duration").orElseThrow().values()).containsExactly("5", "10");
        assertThat(model.defaultSku().id()).isEqualTo("duration=5,resolution=1K");
    }

    @Test
    void everyProblemInBothFilesIsReportedInOneException() throws IOException {
        String catalog = """
                {"version": 1, "models": [
                """ + GOOD_MODEL + """
                ,
                {
                  "id": "bad/type", "family": "jobs", "category": "image",
                  "title": {"ru": "Т", "en": "T"}, "description": {"ru": "О", "en": "D"},
                  "fields": [{"name": "prompt", "type": "textarea", "required": true}]
                },
                {
                  "id": "bad/family", "family": "midjourney", "category": "pictures",
                  "title": {"ru": "Т", "en": "T"}, "description": {"ru": "О", "en": "D"},
                  "fields": [{"name": "prompt", "type": "text"}]
                },
                {
                  "family": "jobs", "category": "video",
                  "title": {"ru": "Т", "en": "T"}, "description": {"ru": "О", "en": "D"},
                  "fields": []
                },
                {
                  "id": "bad/default", "family": "jobs", "category": "video",
                  "title": {"ru": "Т", "en": "T"}, "description": {"en": "D"},
                  "fields": [
                    {"name": "prompt", "type": "text", "required": true},
                    {"name": "duration", "type": "enum", "values": ["5", "10"], "default": "7"}
                  ]
                },
                {
                  "id": "no/price", "family": "jobs", "category": "image",
                  "title": {"ru": "Т", "en": "T"}, "description": {"ru": "О", "en": "D"},
                  "fields": [{"name": "prompt", "type": "text", "required": true}]
                },
                {
                  "id": "good/model", "family": "jobs", "category": "image",
                  "title": {"ru": "Т", "en": "T"}, "description": {"ru": "О", "en": "D"},
                  "fields": [{"name": "prompt", "type": "text", "required": true}]
                }
                ]}
                """;
        String pricing = """
                # model_id | variant | kie_usd | source
                good/model | duration=5,resolution=1K | 0.01 | test
                good/model | duration=5,resolution=2K | abc | test
                good/model | duration=10,resolution=1K | 0 | test
                good/model | duration=10,resolution=2K | 0.04
                ghost/model | default | 0.01 | test
                good/model | duration=5,resolution=1K | 0.01 | test again
                bad/default | duration=5 | 0.10 | test
                bad/default | duration=10 | 0.20 | test
                bad/type | default | 0.01 | test
                good/model | resolution=1K,duration=10 | 0.02 | test
                good/model | resolution | 0.02 | test
                bad/type | default | -0.01 | test
                bad/type | default | 1e-2 | test
                """;
        write(catalog, pricing);

        InvalidCatalogException e = catchThrowableOfType(InvalidCatalogException.class,
                () -> KieCatalog.fromDirectory(dir));

        assertThat(e).isNotNull();
        List<String> problems = e.problems().stream().map(CatalogProblem::toString).toList();
        assertThat(problems).anySatisfy(p -> assertThat(p)
                        .startsWith("bad/type field 'prompt': unknown field type 'textarea'"))
                .anySatisfy(p -> assertThat(p).startsWith("bad/family: unknown family 'midjourney'"))
                .anySatisfy(p -> assertThat(p).startsWith("bad/family: unknown category 'pictures'"))
                .anySatisfy(p -> assertThat(p).isEqualTo("catalog.json models[3]: missing required key 'id'"))
                .anySatisfy(p -> assertThat(p).isEqualTo("bad/default: missing ru description"))
                .anySatisfy(p -> assertThat(p).isEqualTo(
                        "bad/default field 'duration': default '7' is not one of [5, 10]"))
                .anySatisfy(p -> assertThat(p).startsWith("no/price: no SKU"))
                .anySatisfy(p -> assertThat(p).isEqualTo("good/model: duplicate model id"))
                .anySatisfy(p -> assertThat(p).startsWith("pricing_source_truth.txt:3: kie_usd 'abc' is not a number"))
                .anySatisfy(p -> assertThat(p).isEqualTo("pricing_source_truth.txt:4: kie_usd must be > 0, got 0"))
                .anySatisfy(p -> assertThat(p).startsWith("pricing_source_truth.txt:5: expected 4 columns"))
                .anySatisfy(p -> assertThat(p).isEqualTo(
                        "pricing_source_truth.txt:6: price for unknown model 'ghost/model' (not in catalog.json)"))
                .anySatisfy(p -> assertThat(p).isEqualTo("pricing_source_truth.txt:7: duplicate price for "
                        + "good/model variant 'duration=5,resolution=1K' (first at line 2)"))
                .anySatisfy(p -> assertThat(p).startsWith("pricing_source_truth.txt:11: variant "
                        + "'resolution=1K,duration=10' must list its fields sorted by name"))
                .anySatisfy(p -> assertThat(p).startsWith("pricing_source_truth.txt:12: malformed variant"))
                .anySatisfy(p -> assertThat(p).isEqualTo(
                        "pricing_source_truth.txt:13: kie_usd must be > 0, got -0.01"))
                .anySatisfy(p -> assertThat(p).startsWith(
                        "pricing_source_truth.txt:14: kie_usd '1e-2' must be a plain decimal"));
        // a broken model's price lines are not blamed on top ("unknown model" is only for ghosts)
        assertThat(problems).noneMatch(p -> p.contains("unknown model 'bad/type'"));
        // the message names every problem, one per line
        assertThat(e.getMessage()).contains("(" + e.problems().size() + " problem(s))");
        for (String p : problems) {
            assertThat(e.getMessage()).contains("  - " + p);
        }
    }

    @Test
    void aComboWithoutPriceAndAPriceForAnUnofferedValueAreBothReported() throws IOException {
        write("{\"version\": 1, \"models\": [" + GOOD_MODEL + "]}", """
                good/model | duration=5,resolution=1K | 0.01 | test
                good/model | duration=5,resolution=2K | 0.02 | test
                good/model | duration=10,resolution=1K | 0.02 | test
                good/model | duration=10,resolution=4K | 0.08 | test
                """);

        assertThatThrownBy(() -> KieCatalog.fromDirectory(dir))
                .isInstanceOf(InvalidCatalogException.class)
                .hasMessageContaining("good/model sku 'duration=10,resolution=4K': option resolution=4K is not one of "
                        + "[1K, 2K]")
                .hasMessageContaining("good/model: no price for {")
                .hasMessageContaining("resolution=2K");
    }

    @Test
    void unknownKeysAndWrongVersionAreReported() throws IOException {
        write("""
                {"version": 2, "modles": [], "models": [
                  {"id": "x/y", "family": "jobs", "category": "image", "titel": {"en": "x"},
                   "description": {"ru": "о", "en": "d"},
                   "fields": [{"name": "prompt", "type": "text", "defualt": "hi"}]}
                ]}
                """, "x/y | default | 0.01 | test\n");

        InvalidCatalogException e = catchThrowableOfType(InvalidCatalogException.class,
                () -> KieCatalog.fromDirectory(dir));

        assertThat(e.problems()).extracting(CatalogProblem::toString)
                .anySatisfy(p -> assertThat(p).startsWith("catalog.json: unknown key 'modles'"))
                .anySatisfy(p -> assertThat(p).startsWith("catalog.json: unsupported version 2"))
                .anySatisfy(p -> assertThat(p).startsWith("x/y: unknown key 'titel'"))
                .anySatisfy(p -> assertThat(p).startsWith("x/y: missing required key 'title'"))
                .anySatisfy(p -> assertThat(p).startsWith("x/y field 'prompt': unknown key 'defualt'"));
    }

    @Test
    void invalidJsonNamesTheLine() throws IOException {
        write("{\"version\": 1,\n \"models\": [\n  {\"id\": \"a\",,}\n]}",
                "a | default | 0.01 | test\nb | default | zero | test\n");

        InvalidCatalogException e = catchThrowableOfType(InvalidCatalogException.class,
                () -> KieCatalog.fromDirectory(dir));

        // the price lines cannot be matched to models, but their own form is still checked
        assertThat(e.problems()).extracting(CatalogProblem::toString).hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith("catalog.json:3: not valid JSON"))
                .anySatisfy(p -> assertThat(p).startsWith("pricing_source_truth.txt:2: kie_usd 'zero'"));
    }

    @Test
    void missingFilesAreAllReported() {
        InvalidCatalogException e = catchThrowableOfType(InvalidCatalogException.class,
                () -> KieCatalog.fromDirectory(dir.resolve("nowhere")));

        assertThat(e.problems()).extracting(CatalogProblem::where)
                .containsExactly("catalog.json", "pricing_source_truth.txt", "labels.json");
        assertThat(e.getMessage()).contains("file not found");
    }

    @Test
    void aFieldWithoutBothLabelsRefusesToLoadAndEveryOneIsListed() throws IOException {
        write("{\"version\": 1, \"models\": [" + GOOD_MODEL + "]}", """
                good/model | duration=5,resolution=1K | 0.01 | test
                good/model | duration=5,resolution=2K | 0.02 | test
                good/model | duration=10,resolution=1K | 0.02 | test
                good/model | duration=10,resolution=2K | 0.04 | test
                """, """
                {"version": 1, "fields": {
                  "prompt": {"label": {"ru": "Описание"}, "hint": {"ru": "что нужно", "en": "what you want"}},
                  "resolution": {"label": {"ru": "Разрешение", "en": "Output resolution"},
                                 "values": {"8K": {"label": {"ru": "8K", "en": "8K"}}}},
                  "seed": {"label": {"ru": "Зерно", "en": "Seed"}, "hint": {"ru": "число", "en": "a number"}}
                }, "models": {"ghost/model": {}, "good/model": {"sound": {"label": {"ru": "Звук", "en": "Sound"}}}}}
                """);

        InvalidCatalogException e = catchThrowableOfType(InvalidCatalogException.class,
                () -> KieCatalog.fromDirectory(dir));

        assertThat(e.problems()).extracting(CatalogProblem::toString)
                .contains("good/model field 'prompt': no en label",
                        "good/model field 'resolution': no ru hint, en hint",
                        "good/model field 'duration': no ru label, ru hint, en label, en hint",
                        "labels.json fields.resolution: no field 'resolution' offers '8K'",
                        "labels.json fields.seed: no model has a field 'seed'",
                        "labels.json models.ghost/model: labels for unknown model 'ghost/model'",
                        "labels.json models.good/model: model 'good/model' has no field 'sound'");
    }

    /** Words for the fields the test catalogs use; every field needs a label and a hint in ru and en. */
    private static final String LABELS = """
            {"version": 1, "fields": {
              "prompt": {"label": {"ru": "Описание", "en": "Description"}, "hint": {"ru": "что нужно", "en": "what you want"}},
              "resolution": {"label": {"ru": "Разрешение", "en": "Output resolution"},
                             "hint": {"ru": "чётче — дороже", "en": "sharper costs more"}},
              "duration": {"label": {"ru": "Длительность", "en": "Length"}, "hint": {"ru": "секунд", "en": "seconds"}}
            }}""";

    private void write(String catalog, String pricing) throws IOException {
        write(catalog, pricing, LABELS);
    }

    private void write(String catalog, String pricing, String labels) throws IOException {
        Files.writeString(dir.resolve(KieCatalog.CATALOG_FILE), catalog, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(KieCatalog.PRICING_FILE), pricing, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(KieCatalog.LABELS_FILE), labels, StandardCharsets.UTF_8);
    }
}
