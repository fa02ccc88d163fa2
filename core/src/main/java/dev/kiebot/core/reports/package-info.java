/**
 * The shop's numbers for its admins: the dashboard's aggregates ({@code ShopFigures}, a port a store answers
 * from indexes over time windows) and the daily chart ({@code ShopChart}, drawn by the {@code ChartRenderer}
 * port: a charting library lives outside core).
 *
 * <p>For a partner: implement {@code ShopFigures} (core-testing's {@code ShopFiguresContract} checks it) and give a
 * {@code ChartRenderer} to {@code Shop.Builder.charts} (one that throws will do for a shop whose admins never ask
 * for the chart, as {@code examples/console-shop}'s).
 */
package dev.kiebot.core.reports;
