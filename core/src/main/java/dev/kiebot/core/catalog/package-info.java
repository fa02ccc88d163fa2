/**
 * What the shop sells and for how much. {@code Catalog} of {@code Model}s (input fields, SKUs with their
 * verified Kie price), validated at once with every problem listed ({@code InvalidCatalogException});
 * {@code Pricing} (Kie USD × FX × markup, ceiled to the kopeck, {@code long} minor units); {@code FreeTier}
 * (the cheapest models at their cheapest SKU, free a few times a day); and {@code Quote}, the price of one generation for one user
 * now, computed once per update. Rules live on these types. One port: {@code PausedModels}, the models an admin took
 * off sale for a while ({@code /pause}).
 *
 * <p>For a partner: make your {@code Catalog} with {@code Catalog.of(models)} (it throws
 * {@code InvalidCatalogException} naming every problem) and give it to {@code Shop.Builder.catalog}; {@code Pricing}
 * goes to {@code Shop.Builder.pricing} (required; {@code Pricing.defaults()} is kiebot's runner's), the free tier is
 * {@code Shop.Builder.freeDailyLimit} and {@code freeTierOverride}. {@code Quote} is core's.
 */
package dev.kiebot.core.catalog;
