package dev.kiebot.core.reports;

/** Draws the shop's chart as a PNG image (port; a charting library lives outside core). */
public interface ChartRenderer {
    /**
     * Draws {@code chart} while an admin's chart command is handled, inside that update's transaction: keep it to
     * well under a second. A failure (an unchecked exception, e.g. no fonts on the machine) is caught: the admin then
     * gets the figures as text.
     *
     * @return the PNG's bytes
     */
    byte[] png(ShopChart chart);
}
