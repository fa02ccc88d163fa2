package dev.kiebot.examples.console;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.FieldLabels;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What the shop sells: one model, built in code. kiebot sells Kie's models, read from {@code models/} by
 * adapters-kie's {@code KieCatalog.fromClasspath()} (a shop with {@code KieProvider} may do the same); a catalog of
 * your own is {@link Catalog#of} over your models.
 */
final class ExampleCatalog {
    private ExampleCatalog() {
    }

    /** A text-to-image at $0.02 (3.12 ₽ with the default rate and markup). */
    static Catalog create() {
        Model painter = new Model("example/painter", "example/painter", Family.JOBS, Category.IMAGE,
                Map.of("ru", "Художник", "en", "Painter"), Map.of("ru", "рисует по описанию", "en", "paints a prompt"),
                // every field carries the words a person reads instead of its provider's name
                List.of(InputField.prompt(500).withLabels(FieldLabels.of("Описание", "Description",
                        "что нарисовать", "what to paint"))),
                List.of(new Sku(Map.of(), new BigDecimal("0.02"), "example price")), 1);
        return Catalog.of(List.of(painter));
    }
}
