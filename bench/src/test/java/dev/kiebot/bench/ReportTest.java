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

    @Test
    void oneRoundPrintsTheTableAsBeforeWithNoRoundsInIt() {
        Figures webhook = new Figures().put("target", "this checkout").put("ready_fresh_s", 4.813).put("load_p99_ms", 195.4);
        Figures polling = new Figures().put("target", "this checkout").put("ready_fresh_s", 5.0);

        String tables = BenchMain.tables(BenchOptions.parse(), List.of(List.of(webhook), List.of(polling)));

        assertThat(tables).isEqualTo(Report.table(List.of(webhook, polling)));
        assertThat(tables).doesNotContain("median").doesNotContain("round");
    }

    @Test
    void roundsPrintTheMediansThenEachRoundsValuesThenTheKeyFiguresCount() {
        BenchOptions options = BenchOptions.parse("--runners=webhook", "--rounds=3", "--webhook-jar=base=a.jar",
                "--webhook-jar=s03=a.jar");
        List<Figures> base = List.of(round("base", 7.0, "0.5 0.4 0.3"), round("base", 9.0, "x"), round("base", 6.0, "y"));
        List<Figures> s03 = List.of(round("s03", 6.5, "0.6 0.5 0.4"), round("s03", 9.5, "x"), round("s03", 5.0, "y"));

        String tables = BenchMain.tables(options, List.of(base, s03));

        assertThat(tables).startsWith("median over 3 rounds");
        assertThat(tables).containsPattern("load_avg_before\\s+0\\.5 0\\.4 0\\.3\\s+0\\.6 0\\.5 0\\.4\\n");
        assertThat(tables).containsPattern("burst_cpu_s_per_1000\\s+7\\.00\\s+6\\.50\\n");
        assertThat(tables).containsPattern("burst_cpu_s_per_1000\\s+7\\.00 9\\.00 6\\.00\\s+6\\.50 9\\.50 5\\.00\\n");
        assertThat(tables).containsPattern("burst_updates\\s+600 600 600\\s+600 600 600\\n");
        assertThat(tables).contains("burst_cpu_s_per_1000: s03 lower than base in 2 of 3 rounds (lower is better)");
        assertThat(tables.split("load_avg_before")).hasSize(2);
    }

    private static Figures round(String label, double cpu, String load) {
        return new Figures().put("target", label).put("load_avg_before", load).put("burst_updates", 600)
                .put("burst_cpu_s_per_1000", cpu);
    }
}
