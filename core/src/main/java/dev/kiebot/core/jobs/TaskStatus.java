package dev.kiebot.core.jobs;

/** A provider task's status in provider-neutral terms. */
public sealed interface TaskStatus {
    /** The provider took the task but has not started it: not final, the shop reads it again (until the deadline). */
    record Queued() implements TaskStatus {
    }

    /** The provider is working on the task: not final, the shop reads it again (until the deadline). */
    record Running() implements TaskStatus {
    }

    /**
     * The task is done and {@code result} holds what to deliver: the user is charged and gets it.
     *
     * @param chargedUsd what the provider says the task cost, in US dollars, when it says (Kie: {@code creditsConsumed}
     *                   × $0.005): compared with the catalog's price of the job's SKU, from which the user's price
     *                   was computed; the admins are told when the provider charged more
     */
    record Succeeded(JobResult result, java.util.Optional<java.math.BigDecimal> chargedUsd) implements TaskStatus {
        /**
         * @throws IllegalArgumentException when {@code result} holds no URL: a done task with nothing to deliver is
         *                                  a {@link ResultMissing}, which is read again and then refunded, never
         *                                  charged
         */
        public Succeeded {
            java.util.Objects.requireNonNull(result, "result");
            java.util.Objects.requireNonNull(chargedUsd, "chargedUsd: Optional.empty() when the provider does not say");
            if (result.urls().isEmpty()) {
                throw new IllegalArgumentException("a task done without result URLs is no success (the user would be "
                        + "charged for nothing): return TaskStatus.ResultMissing instead");
            }
            if (chargedUsd.filter(usd -> usd.signum() < 0).isPresent()) {
                throw new IllegalArgumentException("chargedUsd must be 0 or more, was " + chargedUsd.get());
            }
        }

        /** A success whose cost the provider does not report. */
        public Succeeded(JobResult result) {
            this(result, java.util.Optional.empty());
        }
    }

    /**
     * The provider says the task is done but its answer holds nothing to deliver (no result URL). Not final: the
     * provider has charged for the task and the result may appear on a later read; the shop reads it again a bounded
     * number of times before it gives up. {@code detail} is for logs.
     */
    record ResultMissing(String detail) implements TaskStatus {
    }

    /**
     * @param kind   why: the user reads its words (in their language), never the provider's
     * @param detail the provider's own message, for the logs, the audit and an admin's {@code /find}
     */
    record Failed(ErrorKind kind, String detail) implements TaskStatus {
    }

    default boolean isFinal() {
        return this instanceof Succeeded || this instanceof Failed;
    }
}
