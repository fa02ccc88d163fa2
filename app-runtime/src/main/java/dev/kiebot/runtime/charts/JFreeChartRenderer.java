package dev.kiebot.runtime.charts;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.reports.ChartRenderer;
import dev.kiebot.core.reports.DayFigures;
import dev.kiebot.core.reports.ShopChart;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.format.DateTimeFormatter;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Core's {@link ChartRenderer} drawn with JFreeChart: generations per day as bars (right axis), revenue per day as
 * a line (left axis, whole currency units), one category per day. Headless: no display is needed, only fonts
 * (the JRE's; DejaVu draws Cyrillic labels).
 */
public final class JFreeChartRenderer implements ChartRenderer {
    static final int WIDTH = 1000;
    static final int HEIGHT = 520;
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd.MM");
    private static final Color REVENUE = new Color(0x1B, 0x7F, 0x3B);
    private static final Color GENERATIONS = new Color(0x8E, 0xB8, 0xE5);

    public JFreeChartRenderer() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    @Override
    public byte[] png(ShopChart chart) {
        try {
            return draw(chart);
        } catch (OutOfMemoryError e) {
            // not this chart's failure: thrown on, not made an IllegalStateException below. Under the shipped
            // -XX:+ExitOnOutOfMemoryError the JVM exits where it is thrown and this never runs (HeapWatch warns
            // before); it does in a JVM started without the flag (tests, a hand-made java command)
            throw e;
        } catch (Error e) {
            // AWT on a machine without fonts (a slim container) throws Errors ("Fontconfig head is null", "No physical
            // fonts found"): this chart's failure, not the process's; as an Error it escaped every handler
            throw new IllegalStateException("drawing the chart failed (" + e.getClass().getName() + "): the machine "
                    + "may have no fonts (Debian: apt-get install fontconfig fonts-dejavu-core)", e);
        }
    }

    private byte[] draw(ShopChart chart) {
        DefaultCategoryDataset revenue = new DefaultCategoryDataset();
        DefaultCategoryDataset generations = new DefaultCategoryDataset();
        for (DayFigures d : chart.days()) {
            String day = DAY.format(d.day());
            revenue.addValue(BigDecimal.valueOf(d.revenue(), Pricing.MINOR_DIGITS), chart.revenueLabel(), day);
            generations.addValue((double) d.generations(), chart.generationsLabel(), day);
        }
        JFreeChart drawn = new JFreeChart(chart.title(), new Font(Font.SANS_SERIF, Font.BOLD, 18),
                plot(chart, revenue, generations), true);
        drawn.setBackgroundPaint(Color.WHITE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, drawn, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("drawing the chart failed", e);
        }
        return out.toByteArray();
    }

    private static CategoryPlot plot(ShopChart chart, DefaultCategoryDataset revenue,
                                     DefaultCategoryDataset generations) {
        CategoryAxis days = new CategoryAxis();
        days.setCategoryLabelPositions(CategoryLabelPositions.UP_90);
        days.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, chart.days().size() > 45 ? 8 : 11));
        NumberAxis count = new NumberAxis(chart.generationsLabel());
        count.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        BarRenderer bars = new BarRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, GENERATIONS);
        CategoryPlot plot = new CategoryPlot(generations, days, count, bars);
        LineAndShapeRenderer line = new LineAndShapeRenderer(true, true);
        line.setSeriesPaint(0, REVENUE);
        line.setSeriesStroke(0, new BasicStroke(2.5f));
        plot.setDataset(1, revenue);
        plot.setRangeAxis(1, new NumberAxis(chart.revenueLabel()));
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, line);
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }
}
