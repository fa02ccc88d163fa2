package dev.kiebot.bench;

import java.util.List;

/** The least-squares slope of a soak figure over time, per hour. */
final class Slope {
    private Slope() {
    }

    /**
     * @param minutes    when each reading was taken, minutes since the start
     * @param values     the readings; NaN ones are left out
     * @param fromMinute readings before it are left out (the start's warm-up) while at least 3 remain
     * @return the slope in units per hour; NaN with fewer than 2 readings
     */
    static double perHour(List<Double> minutes, double[] values, double fromMinute) {
        int first = 0;
        while (first < minutes.size() && minutes.get(first) < fromMinute) {
            first++;
        }
        if (minutes.size() - first < 3) {
            first = 0;
        }
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = first; i < values.length && i < minutes.size(); i++) {
            if (Double.isNaN(values[i])) {
                continue;
            }
            double x = minutes.get(i) / 60;
            n++;
            sx += x;
            sy += values[i];
            sxx += x * x;
            sxy += x * values[i];
        }
        double d = n * sxx - sx * sx;
        return n < 2 || d == 0 ? Double.NaN : (n * sxy - sx * sy) / d;
    }
}
