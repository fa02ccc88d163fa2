package dev.kiebot.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.jobs.ForwardingJobs;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.testing.memory.InMemoryJobs;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The contracts catch the mistakes a partner's store could make: each test here runs one contract test against a
 * store that is wrong in one way, and expects it to fail. A contract test a wrong store passes proves nothing.
 */
class ContractsCatchWrongStoresTest {

    /** A transition that applies its change without asking the guard: "compare-and-set" that does not compare. */
    private static final class UnguardedTransitions extends ForwardingJobs {
        UnguardedTransitions(Jobs real) {
            super(real);
        }

        @Override
        public Optional<Job> transition(JobId id, Predicate<Job> guard, UnaryOperator<Job> change) {
            return find(id).flatMap(j -> update(change.apply(j)));
        }
    }

    /** A transition that asks the guard once, then retries a lost write blind: the guard no longer holds by then. */
    private static final class GuardAskedOnce extends ForwardingJobs {
        GuardAskedOnce(Jobs real) {
            super(real);
        }

        @Override
        public Optional<Job> transition(JobId id, Predicate<Job> guard, UnaryOperator<Job> change) {
            if (find(id).filter(guard).isEmpty()) {
                return Optional.empty();
            }
            for (int attempt = 0; attempt < TRANSITION_ATTEMPTS; attempt++) {
                Optional<Job> saved = find(id).flatMap(j -> update(change.apply(j)));
                if (saved.isPresent()) {
                    return saved;
                }
            }
            return Optional.empty();
        }
    }

    private static JobsContract jobsContract(Jobs wrong) {
        JobsContract contract = new JobsContract() {
            @Override
            protected Jobs create() {
                return wrong;
            }
        };
        contract.setUpJobs();
        return contract;
    }

    @Test
    void aTransitionThatIgnoresItsGuardFailsTheJobsContract() {
        assertThatThrownBy(() -> jobsContract(new UnguardedTransitions(new InMemoryJobs()))
                .aTransitionWhoseGuardFailsWritesNothing()).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> jobsContract(new GuardAskedOnce(new InMemoryJobs()))
                .aTransitionThatLosesItsWriteAsksTheGuardAgain()).isInstanceOf(AssertionError.class);
    }
}
