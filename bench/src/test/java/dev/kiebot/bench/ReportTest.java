package dev.kiebot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void writesJsonWithEscapedTextAndNullForMissingNumbers() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("label", "a \"b\"\n");
        doc.put("values", List.of(1, 2.5, Double.NaN, true));

        assertThat(Report.json(doc).replaceAll("\\s+", ""))
                .isEqualTo("{\"label\":\"a\\\"b\\\"\\n\",\"values\":[1,2.5000,null,true]}");
    }

    @Test
    void tableHasAColumnPerTargetAndDashesForFiguresATargetLacks() {
        Figures webhook = new Figures().put("runner", "webhook").put("load_p99_ms", 195.4).put("ready_fresh_s", 4.813);
        Figures polling = new Figures().put("runner", "polling").put("ready_fresh_s", 5.0);

        String table = Report.table(List.of(webhook, polling));

        assertThat(table).containsPattern("load_p99_ms\\s+195\\s+-\\n");
        assertThat(table).containsPattern("ready_fresh_s\\s+4\\.81\\s+5\\.00\\n");
    }

    @Test
    void percentilesUseTheNearestRank() {
        assertThat(Latencies.rank(50, 600)).isEqualTo(299);
        assertThat(Latencies.rank(99, 600)).isEqualTo(593);
        assertThat(Latencies.rank(100, 600)).isEqualTo(599);
        assertThat(Latencies.rank(50, 1)).isZero();
    }

    @Test
    void aCallbackQueryIdNamesItsChat() {
        assertThat(BenchUpdates.chatOfQuery(BenchUpdates.queryId(100_000_007L, 1_000_007L))).isEqualTo(100_000_007L);
        assertThat(BenchUpdates.chatOfQuery("cbq-12")).isZero();
    }
}
