package dev.kiebot.core.users;

import java.time.LocalDate;

/**
 * Free generations per user per day (port). Never touches the money ledger; the limit holds
 * under concurrency (ledger.md invariant 14).
 */
public interface FreeUsage {
    /**
     * Uses one free generation for {@code key} (the job id) if fewer than {@code limit} were used
     * that day. Idempotent per key.
     */
    boolean tryUse(long userId, LocalDate day, int limit, String key);

    /**
     * Gives back the free use taken under {@code key} (the free job failed). Only that key's: a key released before,
     * or one that took no use that day, changes nothing — a failure handled twice must not free a second use.
     */
    void release(long userId, LocalDate day, String key);

    int used(long userId, LocalDate day);

    /** Forgets the uses of every day before {@code day} (retention). @return the uses forgotten */
    int purge(LocalDate day);
}
