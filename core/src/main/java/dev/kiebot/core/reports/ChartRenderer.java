package dev.kiebot.core.reports;

/** Draws the shop's chart as a PNG image (port; a charting library lives outside core). */
public interface ChartRenderer {
    /**
     * Draws {@code chart} while an admin's chart command is handled, inside that update's transaction: keep it to
     * well under a second. A failure, an unchecked exception or an {@code Error} (AWT on a machine without fonts
     * throws {@code InternalError}, one without its native libraries {@code UnsatisfiedLinkError}), is caught and
     * logged: the admin then gets the figures as text and that the chart could not be drawn. Only an
     * {@code OutOfMemoryError}, the process's, is thrown on.
     *
     * @param chart the days to draw, with their labels in the admin's language
     * @return the PNG's bytes
     */
    byte[] png(ShopChart chart);

    /**
     * No charts (a shop without a charting library): {@code /admin} and {@code /chart} show the figures as text, with
     * no word of a failure.
     *
     * @return the renderer the shop knows as none
     */
    static ChartRenderer none() {
        return NoCharts.NONE;
    }
}
