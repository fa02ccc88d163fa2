/**
 * The shop's numbers for its admins: the dashboard's aggregates ({@code ShopFigures}, a port a store answers
 * from indexes over time windows) and the daily chart ({@code ShopChart}, drawn by the {@code ChartRenderer}
 * port: a charting library lives outside core).
 *
 * <p>For a partner: implement {@code ShopFigures} (core-testing's {@code ShopFiguresContract} checks it) and give a
 * {@code ChartRenderer} to {@code Shop.Builder.charts} ({@code ChartRenderer.none()}, the figures as text alone, as
 * {@code examples/console-shop} gives).
 */
package dev.kiebot.core.reports;
