package dev.kiebot.core.catalog;

/** Names one SKU of one model. */
public record SkuRef(String modelId, String skuId) {
}
