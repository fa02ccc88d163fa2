/**
 * Core's {@code ChartRenderer} port drawn with JFreeChart ({@code JFreeChartRenderer}): the admins' chart of
 * generations and revenue per day, as a PNG, headless. Core decides what the chart shows ({@code ShopChart}, in the
 * admin's language); this package only draws it, so the charting library stays out of core and out of the adapters.
 */
package dev.kiebot.runtime.charts;
