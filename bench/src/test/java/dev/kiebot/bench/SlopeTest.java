package dev.kiebot.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlopeTest {
    @Test
    void aSlopeIsPerHourAndLeavesTheWarmUpOut() {
        List<Double> minutes = List.of(0.0, 1.0, 2.0, 3.0, 4.0);
        // a jump in the first minute, then 1 per minute: 60 per hour
        assertThat(Slope.perHour(minutes, new double[] {0, 50, 51, 52, 53}, 2)).isCloseTo(60.0, within(1e-6));
        assertThat(Slope.perHour(minutes, new double[] {7, 7, 7, Double.NaN, 7}, 2)).isCloseTo(0.0, within(1e-9));
        assertThat(Slope.perHour(List.of(0.0), new double[] {1}, 2)).isNaN();
    }
}
