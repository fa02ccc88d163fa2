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
     * @param result     the result URLs (at least one) and how to send them
     * @param chargedUsd what the provider says the task cost, in US dollars, when it says (Kie: {@code creditsConsumed}
     *                   × $0.005): compared with the catalog's price of the job's SKU, from which the user's price
     *                   was computed; the admins are told when the provider charged more
     * @param missing    results the task was to make that did not come out (Suno makes two takes of a song; one may
     *                   fail or never finish): 0 when it made all. The user is charged all the same, as the provider
     *                   charged the shop for the task, and is told after the results that the rest did not come out
     */
    record Succeeded(JobResult result, java.util.Optional<java.math.BigDecimal> chargedUsd, int missing)
            implements TaskStatus {
        /**
         * Checks the values.
         *
         * @param result     never null, with at least one URL
         * @param chargedUsd never null ({@code Optional.empty()} when the provider does not say); 0 or more
         * @param missing    0 or more
         * @throws NullPointerException     for a null {@code result} or {@code chargedUsd}
         * @throws IllegalArgumentException when {@code result} holds no URL: a done task with nothing to deliver is
         *                                  a {@link ResultMissing}, which is read again and then refunded, never
         *                                  charged; for a negative {@code chargedUsd} or {@code missing}
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
            if (missing < 0) {
                throw new IllegalArgumentException("missing must be 0 or more, was " + missing);
            }
        }

        /**
         * A success that made everything it was to make.
         *
         * @param result     at least one URL
         * @param chargedUsd the task's cost in US dollars, when the provider says
         */
        public Succeeded(JobResult result, java.util.Optional<java.math.BigDecimal> chargedUsd) {
            this(result, chargedUsd, 0);
        }

        /**
         * A success whose cost the provider does not report.
         *
         * @param result at least one URL
         */
        public Succeeded(JobResult result) {
            this(result, java.util.Optional.empty());
        }
    }

    /**
     * Part of the task's results are done, the rest still being made (Suno: one take finished with its file, the other
     * not yet). Not final: read again as {@link Running}. At the job's deadline, {@code soFar} is delivered and charged
     * instead of a refund: the provider charged the shop for the task and made something of it, and a refund of the
     * whole left the user without the song that exists (the user is told the rest did not come out).
     *
     * <p>Or the task made its result with a lesser choice than the job's, the one asked still being made (Veo: the
     * 1080p file comes a few minutes after the 720p one): {@code madeWith} names the choices {@code soFar} was made with
     * where they differ from the job's ({@code resolution=720p}). At the deadline {@code soFar} is delivered and the
     * user charged the price of the job's choice with {@code madeWith} (never more than he was held), the rest of the
     * hold given back, and told so; refunded whole, the user lost the video Kie made and charged the shop for.
     *
     * @param soFar    what is done, as a success with the results still being made counted {@code missing}
     * @param madeWith field name → value {@code soFar} was made with, where it differs from the job's; empty when
     *                 the rest of the results is what is missing
     */
    record PartlyDone(Succeeded soFar, java.util.Map<String, String> madeWith) implements TaskStatus {
        /**
         * Checks the values and copies the map.
         *
         * @param soFar    never null
         * @param madeWith copied; never null
         */
        public PartlyDone {
            java.util.Objects.requireNonNull(soFar, "soFar");
            madeWith = java.util.Map.copyOf(madeWith);
        }

        /**
         * Part of the results done, each made as the job asked.
         *
         * @param soFar never null
         */
        public PartlyDone(Succeeded soFar) {
            this(soFar, java.util.Map.of());
        }
    }

    /**
     * The provider says the task is done but its answer holds nothing to deliver (no result URL). Not final: the
     * provider has charged for the task and the result may appear on a later read; the shop reads it again a bounded
     * number of times before it gives up. {@code detail} is for logs.
     *
     * @param detail what the provider answered, for the logs
     */
    record ResultMissing(String detail) implements TaskStatus {
    }

    /**
     * The task failed at the provider: final, the job is refunded at once.
     *
     * @param kind   why: the user reads its words (in their language), never the provider's
     * @param detail the provider's own message, for the logs, the audit and an admin's {@code /find}
     */
    record Failed(ErrorKind kind, String detail) implements TaskStatus {
    }

    /**
     * Whether the task will not change any more.
     *
     * @return true for {@link Succeeded} and {@link Failed}
     */
    default boolean isFinal() {
        return this instanceof Succeeded || this instanceof Failed;
    }
}
