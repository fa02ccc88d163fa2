package dev.kiebot.core.jobs;

import java.util.Optional;

/**
 * A generation's id; shown to users and in logs as {@code gen_<n>}, also its ledger hold id.
 *
 * @param value the store's number, above 0
 */
public record JobId(long value) {
    private static final String PREFIX = "gen_";

    /**
     * Checks the value.
     *
     * @param value above 0
     * @throws IllegalArgumentException for 0 or less
     */
    public JobId {
        if (value <= 0) {
            throw new IllegalArgumentException("job id must be positive (a store's number for the job, 1 or more); was " + value);
        }
    }

    /**
     * How users, logs and the ledger name the job.
     *
     * @return {@code gen_<n>}
     */
    public String display() {
        return PREFIX + value;
    }

    /**
     * Parses {@code gen_12} or {@code 12}; anything else is empty.
     *
     * @param s what a user, an admin or a callback gave
     * @return the id; empty for anything else
     */
    public static Optional<JobId> parse(String s) {
        String digits = s.strip().startsWith(PREFIX) ? s.strip().substring(PREFIX.length()) : s.strip();
        if (!digits.matches("\\d{1,18}")) {
            return Optional.empty();
        }
        long v = Long.parseLong(digits);
        return v > 0 ? Optional.of(new JobId(v)) : Optional.empty();
    }

    @Override
    public String toString() {
        return display();
    }
}
