package dev.kiebot.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.testing.TestCatalog;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CatalogValidationTest {
    private static Model with(String id, List<InputField> fields, List<Sku> skus) {
        return new Model(id, id, Family.JOBS, Category.IMAGE, Map.of("ru", "т", "en", "t"),
                Map.of("ru", "о", "en", "d"), fields, skus, 1);
    }

    private static Sku sku(Map<String, String> options, String usd) {
        return new Sku(options, new BigDecimal(usd), TestCatalog.SRC);
    }

    @Test
    void theTestCatalogIsValid() {
        assertThat(TestCatalog.catalog().size()).isEqualTo(15);
        assertThat(TestCatalog.catalog().categories()).containsExactly(Category.IMAGE, Category.VIDEO, Category.AUDIO);
    }

    @Test
    void everyProblemIsListedInOneException() {
        InputField badDefault = InputField.choice("aspect_ratio", false, List.of("1:1", "16:9"), "4:3");
        List<Model> models = List.of(
                TestCatalog.textToImage("dup", "0.01", 1),
                TestCatalog.textToImage("dup", "0.01", 2),
                with("bad-default", List.of(InputField.prompt(100), badDefault), List.of(sku(Map.of(), "0.01"))),
                with("no-price", List.of(InputField.prompt(100)), List.of()),
                with("zero-price", List.of(InputField.prompt(100)), List.of(sku(Map.of(), "0"))),
                with("unknown-option", List.of(InputField.prompt(100)), List.of(sku(Map.of("quality", "hd"), "0.1"))),
                with("uncovered", List.of(InputField.prompt(100),
                                InputField.choice("resolution", true, List.of("1K", "2K", "4K"), "1K")),
                        List.of(sku(Map.of("resolution", "1K"), "0.1"), sku(Map.of("resolution", "2K"), "0.2"))),
                new Model("untitled", "untitled", Family.JOBS, Category.IMAGE, Map.of("ru", "т"), Map.of("en", "d"),
                        List.of(InputField.prompt(10)), List.of(sku(Map.of(), "0.1")), 1));
        assertThatThrownBy(() -> Catalog.of(models))
                .isInstanceOf(InvalidCatalogException.class)
                .satisfies(e -> {
                    List<CatalogProblem> problems = ((InvalidCatalogException) e).problems();
                    assertThat(problems).extracting(CatalogProblem::where).contains("dup", "no-price", "untitled",
                            "uncovered", "bad-default field 'aspect_ratio'", "zero-price sku 'default'",
                            "unknown-option sku 'quality=hd'");
                    assertThat(e.getMessage()).contains("duplicate model id", "default '4:3' is not one of",
                            "no SKU", "price must be > 0", "not a field of the model", "no price for {resolution=4K}",
                            "missing en title", "missing ru description");
                });
    }

    @Test
    void numberDefaultsMustBeWithinLimits() {
        InputField n = new InputField("steps", FieldType.INTEGER, false, List.of(), Optional.of("99"),
                Optional.of(BigDecimal.ONE), Optional.of(BigDecimal.TEN),
                OptionalInt.empty(), OptionalInt.empty(), false);
        assertThat(Catalog.validate(List.of(with("m", List.of(InputField.prompt(10), n), List.of(sku(Map.of(), "1"))))))
                .extracting(CatalogProblem::what).anyMatch(w -> w.contains("outside the field's limits"));
    }

    /** A price field never asked, without a default, leaves every order of its model without a price. */
    @Test
    void aPriceFieldTheBotNeverAsksNeedsADefault() {
        InputField unasked = new InputField("quality", FieldType.ENUM, false, List.of("basic", "high"),
                Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), false);
        List<Sku> skus = List.of(sku(Map.of("quality", "basic"), "0.1"), sku(Map.of("quality", "high"), "0.2"));
        assertThat(Catalog.validate(List.of(with("m", List.of(InputField.prompt(10), unasked), skus))))
                .extracting(CatalogProblem::where, CatalogProblem::what)
                .contains(org.assertj.core.groups.Tuple.tuple("m field 'quality'",
                        "the price depends on it and the bot never asks it: give it a default or ask it"));
        InputField withDefault = new InputField("quality", FieldType.ENUM, false, List.of("basic", "high"),
                Optional.of("basic"), Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(),
                false);
        assertThat(Catalog.validate(List.of(with("m", List.of(InputField.prompt(10), withDefault), skus))))
                .extracting(CatalogProblem::what).noneMatch(w -> w.contains("never asks"));
    }

    /**
     * A length limit on a video field is refused when the catalog is built: the job worker measures a clip before it
     * goes at a per-second price and reads audio only, so every order of it was refunded as unreadable, after the
     * user had sent his video. An audio field's limit stays.
     */
    @Test
    void aVideosLengthLimitIsRefusedAsItCannotBeChecked() {
        for (FieldType video : List.of(FieldType.VIDEO, FieldType.VIDEOS)) {
            InputField clip = new InputField("video_url", video, true, List.of(), Optional.empty(), Optional.empty(),
                    Optional.empty(), OptionalInt.of(10), OptionalInt.empty(), true);
            assertThat(Catalog.validate(List.of(with("m", List.of(InputField.prompt(10), clip),
                    List.of(sku(Map.of(), "1"))))))
                    .extracting(CatalogProblem::what).anyMatch(w -> w.contains("a video's length limit"));
        }
        InputField audio = new InputField("audio_url", FieldType.AUDIO, true, List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalInt.of(60), OptionalInt.empty(), true);
        assertThat(Catalog.validate(List.of(with("m", List.of(InputField.prompt(10), audio),
                List.of(sku(Map.of(), "1"))))))
                .extracting(CatalogProblem::what).noneMatch(w -> w.contains("length limit"));
    }

    @Test
    void skuSelectionFollowsChosenValuesAndDefaults() {
        Model video = TestCatalog.video();
        assertThat(video.skuFor(Map.of()).orElseThrow().id()).isEqualTo("duration=5,sound=false");
        assertThat(video.skuFor(Map.of("duration", "10", "sound", "true")).orElseThrow().kieUsd())
                .isEqualByComparingTo("1.10");
        assertThat(video.priceFields()).containsExactlyInAnyOrder("duration", "sound");
    }

    @Test
    void fieldTypesParseFromTheirWireNames() {
        for (FieldType t : FieldType.values()) {
            assertThat(FieldType.parse(t.wireName())).contains(t);
        }
        assertThat(FieldType.parse("dialogue")).isEmpty();
    }
}
