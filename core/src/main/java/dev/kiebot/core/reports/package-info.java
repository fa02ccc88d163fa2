/**
 * The shop's numbers for its admins: the dashboard's aggregates ({@code ShopFigures}, a port a store answers
 * from indexes over time windows) and the daily chart ({@code ShopChart}, drawn by the {@code ChartRenderer}
 * port: a charting library lives outside core).
 */
package dev.kiebot.core.reports;
