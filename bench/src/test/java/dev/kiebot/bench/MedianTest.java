package dev.kiebot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MedianTest {

    @Test
    void theMiddleValueOfAnOddCountTheMeanOfTheTwoMiddleOnesOfAnEvenCount() {
        assertThat(Median.ofNumbers(List.of(7.1, 5.2, 9.9))).isEqualTo(7.1);
        assertThat(Median.ofNumbers(List.of(8.0, 6.0, 5.0, 100.0))).isEqualTo(7.0);
        assertThat(Median.ofNumbers(List.of(4.5))).isEqualTo(4.5);
    }

    @Test
    void countsStayWholeUnlessTheMedianFallsBetweenThem() {
        assertThat(Median.ofNumbers(List.of(600, 598, 600))).isEqualTo(600L);
        assertThat(Median.ofNumbers(List.of(1, 2))).isEqualTo(1.5);
        assertThat(Median.ofNumbers(List.of(600, 600L, 2.0))).isEqualTo(600.0);
    }

    @Test
    void aRoundWithoutANumberCountsAsTheLargest() {
        assertThat(Median.ofNumbers(List.of(Double.NaN, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Median.ofNumbers(List.of(Double.NaN, Double.NaN, 2.0)).doubleValue()).isNaN();
        assertThat(Median.ofNumbers(List.of(1.0, 2.0, 3.0, Double.NaN))).isEqualTo(2.5);
    }

    @Test
    void figuresTakeTheMedianOfNumbersAndTheFirstRoundsText() {
        Figures r1 = new Figures().put("target", "base").put("load_avg_before", "1.0 0.9 0.8").put("ready_fresh_s", 5.0);
        Figures r2 = new Figures().put("target", "base").put("load_avg_before", "2.0 1.0 0.9").put("ready_fresh_s", 3.0)
                .put("error", "not ready after 180 s");
        Figures r3 = new Figures().put("target", "base").put("load_avg_before", "3.0 1.5 1.0").put("ready_fresh_s", 4.0);

        assertThat(Median.of(List.of(r1, r2, r3)).asMap()).containsExactly(
                java.util.Map.entry("target", "base"), java.util.Map.entry("load_avg_before", "1.0 0.9 0.8"),
                java.util.Map.entry("ready_fresh_s", 4.0), java.util.Map.entry("error", "not ready after 180 s"));
    }
}
