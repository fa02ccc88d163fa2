/**
 * The shipped catalog, read into core's. {@code KieCatalog} joins {@code models/catalog.json} (the models and
 * their input fields), {@code pricing_source_truth.txt} (each SKU's Kie price) and {@code labels.json} (the words a
 * person reads instead of Kie's field names; that file's form is {@code LabelsFile}'s) into core's {@code Model}s
 * and {@code Sku}s, then runs core's {@code Catalog.validate}. Nothing fails fast: every problem of every file is
 * collected into one {@code InvalidCatalogException} naming its file line or model, so a bot with a broken
 * {@code models/} refuses to start and the operator fixes it in one go.
 *
 * <p>Only the files' formats live here: what makes a catalog valid, prices, quotes and the free tier are core's
 * ({@code dev.kiebot.core.catalog}), and the pricing variables ({@code FX_RATE}, {@code PRICING_MARKUP}) are read by
 * app-runtime's {@code config}. The build puts the repository's {@code models/} directory into this module's jar,
 * where {@code KieCatalog.fromClasspath()} reads it: app-runtime's {@code Kiebot} and its {@code warm-up} command do,
 * and so does a partner who embeds core and depends on adapters-kie to sell Kie's models (its result goes to
 * {@code Shop.builder().catalog(...)}).
 */
package dev.kiebot.kie.catalog;
