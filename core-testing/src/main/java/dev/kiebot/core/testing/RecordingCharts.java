package dev.kiebot.core.testing;

import dev.kiebot.core.reports.ChartRenderer;
import dev.kiebot.core.reports.ShopChart;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Keeps every chart it is asked for and answers with a few bytes that start like a PNG. */
public final class RecordingCharts implements ChartRenderer {
    private final List<ShopChart> charts = new ArrayList<>();

    /** Nothing recorded yet. */
    public RecordingCharts() {
    }

    @Override
    public synchronized byte[] png(ShopChart chart) {
        charts.add(chart);
        return ("\u0089PNG fake chart of " + chart.days().size() + " days").getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Every chart drawn so far, in order.
     *
     * @return the charts asked for
     */
    public synchronized List<ShopChart> charts() {
        return List.copyOf(charts);
    }
}
