package dev.kiebot.core.reports;

/** {@link ChartRenderer#none()}: the shop knows it by identity and sends the figures alone. */
enum NoCharts implements ChartRenderer {
    NONE;

    @Override
    public byte[] png(ShopChart chart) {
        throw new UnsupportedOperationException("ChartRenderer.none() draws no charts");
    }
}
