package dev.kiebot.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class JobStateMachineTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final JobResult RESULT = new JobResult(List.of("https://r/1.png"), MediaKind.PHOTO);

    private static Job in(JobState state) {
        Job j = new JobDraft(1, 1, "en", "m", "default", Map.of(), Map.of(), 100, false, T0, T0.plusSeconds(60))
                .toJob(new JobId(1));
        return switch (state) {
            case CREATED -> j;
            case HELD -> j.held();
            case SUBMITTING -> j.held().submitting();
            case SUBMITTED -> j.held().submitting().submitted("t", T0);
            case RUNNING -> j.held().submitting().submitted("t", T0).running();
            case SUCCEEDED -> j.held().submitting().submitted("t", T0).succeeded(RESULT, T0.plusSeconds(30));
            case DELIVERED -> j.held().submitting().submitted("t", T0).succeeded(RESULT, T0.plusSeconds(30)).delivered();
            case FAILED -> j.failed("x");
        };
    }

    /** Every transition and the states it may start from; everything else must throw. */
    private static final Map<String, UnaryOperator<Job>> TRANSITIONS = Map.of(
            "held", Job::held, "submitting", Job::submitting, "submitted", j -> j.submitted("t2", j.createdAt()),
            "running", Job::running, "succeeded", j -> j.succeeded(RESULT, T0.plusSeconds(30)), "delivered", Job::delivered,
            "failed", j -> j.failed("why"), "unsent", j -> j.unsent(T0.plusSeconds(15)));

    private static final Map<String, Set<JobState>> LEGAL = Map.of(
            "held", Set.of(JobState.CREATED),
            "submitting", Set.of(JobState.HELD),
            "submitted", Set.of(JobState.SUBMITTING),
            "running", Set.of(JobState.SUBMITTED, JobState.RUNNING),
            "succeeded", Set.of(JobState.SUBMITTED, JobState.RUNNING),
            "delivered", Set.of(JobState.SUCCEEDED),
            "unsent", Set.of(JobState.SUBMITTING),
            "failed", Set.of(JobState.CREATED, JobState.HELD, JobState.SUBMITTING, JobState.SUBMITTED,
                    JobState.RUNNING));

    @Test
    void everyStateTimesEveryTransition() {
        Map<JobState, Integer> legalCount = new EnumMap<>(JobState.class);
        for (JobState from : JobState.values()) {
            for (Map.Entry<String, UnaryOperator<Job>> t : TRANSITIONS.entrySet()) {
                Job job = in(from);
                if (LEGAL.get(t.getKey()).contains(from)) {
                    Job next = t.getValue().apply(job);
                    assertThat(next.id()).isEqualTo(job.id());
                    legalCount.merge(from, 1, Integer::sum);
                } else {
                    assertThatThrownBy(() -> t.getValue().apply(job)).as("%s from %s", t.getKey(), from)
                            .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("gen_1");
                }
            }
        }
        assertThat(legalCount.getOrDefault(JobState.DELIVERED, 0)).isZero();
        assertThat(legalCount.getOrDefault(JobState.FAILED, 0)).isZero();
    }

    @Test
    void terminalAndMoneyStatesAreWhatTheLedgerExpects() {
        assertThat(JobState.DELIVERED.isTerminal()).isTrue();
        assertThat(JobState.FAILED.isTerminal()).isTrue();
        assertThat(JobState.SUCCEEDED.isTerminal()).isFalse();
        assertThat(JobState.CREATED.moneyHeld()).isFalse();
        assertThat(JobState.RUNNING.moneyHeld()).isTrue();
        assertThat(JobState.SUCCEEDED.moneyHeld()).isFalse();
    }

    @Test
    void deadlineIsInclusive() {
        Job j = in(JobState.RUNNING);
        assertThat(j.pastDeadline(T0.plusSeconds(59))).isFalse();
        assertThat(j.pastDeadline(T0.plusSeconds(60))).isTrue();
    }

    @Test
    void jobIdsParseOnlyTheirOwnShape() {
        assertThat(JobId.parse("gen_12")).contains(new JobId(12));
        assertThat(JobId.parse(" 7 ")).contains(new JobId(7));
        assertThat(JobId.parse("gen_")).isEmpty();
        assertThat(JobId.parse("gen_0")).isEmpty();
        assertThat(JobId.parse("gen_-3")).isEmpty();
        assertThat(JobId.parse("gen_99999999999999999999")).isEmpty();
        assertThat(JobId.parse("hello")).isEmpty();
    }
}
