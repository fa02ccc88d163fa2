package dev.kiebot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SoakProbeTest {
    @Test
    void theLiveHeapIsTheClassHistogramsTotal() {
        String histogram = """
                29955:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         79622        6416976  [B (java.base@17.0.15)
                Total        390611       21204056
                """;

        assertThat(SoakProbe.histogramTotalBytes(histogram)).isEqualTo(21_204_056.0);
        assertThat(SoakProbe.histogramTotalBytes("29955:\nNo such process\n")).isNaN();
    }
}
