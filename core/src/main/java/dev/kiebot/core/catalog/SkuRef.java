package dev.kiebot.core.catalog;

/**
 * Names one SKU of one model.
 *
 * @param modelId the model's id in the catalog ({@code Model.id()})
 * @param skuId   the SKU's id within that model ({@code Sku.id()})
 */
public record SkuRef(String modelId, String skuId) {
}
