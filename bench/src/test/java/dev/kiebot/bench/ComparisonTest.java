package dev.kiebot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    private static Figures cpu(double perThousand) {
        return new Figures().put("burst_cpu_s_per_1000", perThousand);
    }

    @Test
    void countsTheRoundsInWhichBWasLowerPairedByIndex() {
        List<Figures> a = List.of(cpu(7.0), cpu(9.0), cpu(6.0), cpu(8.0));
        List<Figures> b = List.of(cpu(6.5), cpu(9.5), cpu(5.0), cpu(7.9));

        assertThat(Comparison.of(a, b)).containsExactly(new Comparison("burst_cpu_s_per_1000", 3, 4));
        assertThat(Comparison.of(a, b).get(0).line("base", "s03"))
                .isEqualTo("burst_cpu_s_per_1000: s03 lower than base in 3 of 4 rounds (lower is better)");
    }

    @Test
    void roundsWithoutANumberOnBothSidesAreLeftOutAndOnlyKeyFiguresPresentAreCompared() {
        List<Figures> a = List.of(cpu(7.0).put("load_accepted_per_s", 3000.0).put("burst_p50_s", 1.0), cpu(Double.NaN),
                cpu(6.0).put("load_accepted_per_s", 3100.0));
        List<Figures> b = List.of(cpu(6.0).put("load_accepted_per_s", 3500.0), cpu(5.0), cpu(7.0));

        List<Comparison> c = Comparison.of(a, b);

        assertThat(c).containsExactly(new Comparison("burst_cpu_s_per_1000", 1, 2),
                new Comparison("load_accepted_per_s", 0, 1));
        assertThat(c.get(1).line("a", "b")).endsWith("in 0 of 1 rounds (higher is better)");
    }

    @Test
    void appliesToTwoTargetsOfOneRunnerFromThreeRounds() {
        Target a = new Target(Runner.WEBHOOK, "base", Path.of("a.jar"));
        Target b = new Target(Runner.WEBHOOK, "s03", Path.of("a.jar"));
        Target polling = new Target(Runner.POLLING, "p", Path.of("p.jar"));

        assertThat(Comparison.applies(List.of(a, b), 3)).isTrue();
        assertThat(Comparison.applies(List.of(a, b), 2)).isFalse();
        assertThat(Comparison.applies(List.of(a, polling), 5)).isFalse();
        assertThat(Comparison.applies(List.of(a, b, polling), 5)).isFalse();
    }
}
