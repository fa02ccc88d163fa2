package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.JobId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Per job, a spell of one kind of failure (status reads failing: {@link FailingStatusReads}; createTask refused:
 * {@link RefusedSends}): since when and how many, so a job's spell is said once at its start and once at its end
 * instead of a line per failure. Kept per worker (a process started anew begins a spell again), at most {@link #KEPT}
 * jobs: the oldest spell is dropped first (a job ended meanwhile by other means, its deadline, is dropped so).
 * Thread-safe.
 */
final class JobSpells {
    static final int KEPT = 1024;

    /**
     * A job's spell so far.
     *
     * @param since when its first failure was
     * @param count its failures so far, 1 for the first
     */
    record Spell(Instant since, int count) {
        boolean first() {
            return count == 1;
        }
    }

    /** Guarded by itself. */
    private final Map<JobId, Spell> spells = new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<JobId, Spell> eldest) {
            return size() > KEPT;
        }
    };

    /** One more failure of {@code id} at {@code now}. @return its spell with it, {@link Spell#first()} for a new one */
    Spell failed(JobId id, Instant now) {
        synchronized (spells) {
            return spells.merge(id, new Spell(now, 1), (was, one) -> new Spell(was.since(), was.count() + 1));
        }
    }

    /** The spell of {@code id} is over. @return what it was; empty when it had none */
    Optional<Spell> end(JobId id) {
        synchronized (spells) {
            if (spells.isEmpty()) {
                return Optional.empty(); // the common case
            }
            return Optional.ofNullable(spells.remove(id));
        }
    }

    /** How many spells are kept (for tests). */
    int kept() {
        synchronized (spells) {
            return spells.size();
        }
    }
}
