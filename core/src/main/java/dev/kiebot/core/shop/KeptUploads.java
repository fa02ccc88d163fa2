package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The addresses a held job's inputs were uploaded to, kept for its next sends while the provider refuses its
 * createTask unsent (a 429 for a minute is a try every 1-15 s, {@link JobWorker#resendAfter}): a refusal then costs
 * another createTask, not another download from Telegram and upload to Kie of every input. Kie keeps an upload 3 days;
 * an entry is kept {@link JobWorker#UPLOADS_KEPT} and at most {@link JobWorker#UPLOADS_KEPT_MAX} of them, one
 * process's memory: a job past either, or sent again after a restart, is uploaded again, as before.
 */
final class KeptUploads {
    private record Kept(Map<String, List<String>> urls, Instant at) {
    }

    /** Guarded by itself. */
    private final Map<JobId, Kept> kept = new HashMap<>();

    /** @return the job's uploaded inputs by field, when kept and not older than {@link JobWorker#UPLOADS_KEPT} */
    Optional<Map<String, List<String>>> of(JobId id, Instant now) {
        synchronized (kept) {
            Kept k = kept.get(id);
            if (k == null) {
                return Optional.empty();
            }
            if (expired(k, now)) {
                kept.remove(id);
                return Optional.empty();
            }
            return Optional.of(k.urls());
        }
    }

    /** Keeps the job's uploaded inputs for its next sends; none when {@link JobWorker#UPLOADS_KEPT_MAX} are kept. */
    void keep(JobId id, Map<String, List<String>> urls, Instant now) {
        Map<String, List<String>> copy = Map.copyOf(urls);
        synchronized (kept) {
            if (kept.size() >= JobWorker.UPLOADS_KEPT_MAX && !kept.containsKey(id)) {
                kept.values().removeIf(k -> expired(k, now));
            }
            if (kept.size() < JobWorker.UPLOADS_KEPT_MAX || kept.containsKey(id)) {
                kept.put(id, new Kept(copy, now));
            }
        }
    }

    /** The job left HELD and SUBMITTING (sent, failed, cancelled): its uploads are not sent again. */
    void forget(JobId id) {
        synchronized (kept) {
            kept.remove(id);
        }
    }

    private static boolean expired(Kept k, Instant now) {
        return !now.isBefore(k.at().plus(JobWorker.UPLOADS_KEPT));
    }
}
