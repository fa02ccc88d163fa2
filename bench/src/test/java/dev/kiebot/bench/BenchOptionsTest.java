package dev.kiebot.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void defaultsMeasureBothRunnersOfThisCheckout() {
        BenchOptions o = BenchOptions.parse();

        assertThat(o.targets()).extracting(Target::runner).containsExactly(Runner.WEBHOOK, Runner.POLLING);
        assertThat(o.targets()).extracting(Target::jar).containsExactly(
                Path.of("app-webhook/target/app-webhook.jar"), Path.of("app-polling/target/app-polling.jar"));
        assertThat(o.updates()).isEqualTo(600);
        assertThat(o.loadConnections()).isEqualTo(40);
        assertThat(o.maxWait()).isEqualTo(Duration.ofSeconds(300));
        assertThat(o.jvmFlags()).isEmpty();
        assertThat(o.extraEnv()).isEmpty();
        assertThat(o.sharedDatabase()).isEmpty();
    }

    @Test
    void aSharedDatabaseIsServedByThePollingJarUnlessAnotherIsNamed() {
        assertThat(BenchOptions.parse("--shared-database").sharedDatabase())
                .contains(Path.of("app-polling/target/app-polling.jar"));
        assertThat(BenchOptions.parse("--shared-database=/new/app-polling.jar").sharedDatabase())
                .contains(Path.of("/new/app-polling.jar"));
    }

    @Test
    void repeatedJarsAreComparedInOrderWithTheirLabels() {
        BenchOptions o = BenchOptions.parse("--runners=webhook", "--webhook-jar=before=/old/app-webhook.jar",
                "--webhook-jar=/new/app-webhook.jar", "--env=TELEGRAM_GLOBAL_RATE=1000", "--jvm-flags=-Xmx256m  -Xss512k",
                "--skip=idle,load");

        assertThat(o.targets()).containsExactly(
                new Target(Runner.WEBHOOK, "before", Path.of("/old/app-webhook.jar")),
                new Target(Runner.WEBHOOK, "/new/app-webhook.jar", Path.of("/new/app-webhook.jar")));
        assertThat(o.extraEnv()).containsEntry("TELEGRAM_GLOBAL_RATE", "1000");
        assertThat(o.jvmFlags()).containsExactly("-Xmx256m", "-Xss512k");
        assertThat(o.runs(Phase.IDLE)).isFalse();
        assertThat(o.runs(Phase.BURST)).isTrue();
    }

    @Test
    void rejectsUnknownOptionsAndValuesOutOfRange() {
        assertThatThrownBy(() -> BenchOptions.parse("--update=5")).hasMessageContaining("unknown option --update");
        assertThatThrownBy(() -> BenchOptions.parse("--updates=0")).hasMessageContaining("from 1 to 100000");
        assertThatThrownBy(() -> BenchOptions.parse("--env=1X=2")).hasMessageContaining("NAME=VALUE");
        assertThatThrownBy(() -> BenchOptions.parse("--runners=cron")).hasMessageContaining("webhook and/or polling");
    }

    @Test
    void oneRoundUnlessMoreAreAskedForUpToTwenty() {
        assertThat(BenchOptions.parse().rounds()).isEqualTo(1);
        assertThat(BenchOptions.parse("--rounds=20").rounds()).isEqualTo(20);
        assertThatThrownBy(() -> BenchOptions.parse("--rounds=0"))
                .hasMessageContaining("--rounds must be a number from 1 to 20");
        assertThatThrownBy(() -> BenchOptions.parse("--rounds=21")).hasMessageContaining("from 1 to 20");
    }

    @Test
    void targetFlagsFollowTheCommonFlagsForTheirLabelOnlyAndOneJarMayHaveTwoLabels() {
        BenchOptions o = BenchOptions.parse("--runners=webhook", "--jvm-flags=-Xss512k",
                "--webhook-jar=base=app-webhook/target/app-webhook.jar",
                "--webhook-jar=s03=app-webhook/target/app-webhook.jar",
                "--target-flags=s03=-XX:CompileThresholdScaling=0.3  -XX:+UseSerialGC", "--target-flags=s03=-Xmx256m");

        assertThat(o.targets()).extracting(Target::label).containsExactly("base", "s03");
        assertThat(o.targets()).extracting(Target::jar).containsOnly(Path.of("app-webhook/target/app-webhook.jar"));
        assertThat(o.targets().get(0).directoryName(0)).isNotEqualTo(o.targets().get(1).directoryName(1));
        assertThat(o.jvmFlags(o.targets().get(0))).containsExactly("-Xss512k");
        assertThat(o.jvmFlags(o.targets().get(1)))
                .containsExactly("-Xss512k", "-XX:CompileThresholdScaling=0.3", "-XX:+UseSerialGC", "-Xmx256m");
    }

    @Test
    void targetFlagsForALabelNoTargetHasNameTheLabels() {
        assertThatThrownBy(() -> BenchOptions.parse("--runners=webhook", "--webhook-jar=base=/a.jar",
                "--webhook-jar=new=/b.jar", "--target-flags=s03=-Xint"))
                .hasMessageContaining("no target is labelled 's03'").hasMessageContaining("the labels are: base, new");
        assertThatThrownBy(() -> BenchOptions.parse("--target-flags=-Xint"))
                .hasMessageContaining("--target-flags must be LABEL=FLAGS");
        assertThatThrownBy(() -> BenchOptions.parse("--webhook-jar=base=/a.jar", "--target-flags=base="))
                .hasMessageContaining("--target-flags must be LABEL=FLAGS");
    }

    @Test
    void aSoakReplacesTheOtherPhasesOfEitherRunner() {
        BenchOptions normal = BenchOptions.parse("--runners=webhook");
        assertThat(normal.soaks()).isFalse();
        assertThat(normal.runs(Phase.BURST)).isTrue();

        BenchOptions soak = BenchOptions.parse("--runners=webhook", "--soak-minutes=20", "--soak-rate=40");
        assertThat(soak.soaks()).isTrue();
        assertThat(List.of(soak.soakMinutes(), soak.soakRate(), soak.soakChats())).containsExactly(20, 40, 300);
        assertThat(Phase.values()).noneMatch(soak::runs);

        BenchOptions both = BenchOptions.parse("--soak-minutes=5");
        assertThat(both.soaks()).isTrue();
        assertThat(both.targets()).extracting(Target::runner).containsExactly(Runner.WEBHOOK, Runner.POLLING);
        assertThat(Phase.values()).noneMatch(both::runs);
        assertThatThrownBy(() -> BenchOptions.parse("--runners=webhook", "--soak-rate=0"))
                .hasMessageContaining("from 1 to 1000");
    }
}
