package dev.kiebot.core.reports;

/** Draws the shop's chart as a PNG image (port; a charting library lives outside core). */
public interface ChartRenderer {
    /** @return the PNG's bytes */
    byte[] png(ShopChart chart);
}
