package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.ProgressLine;
import dev.kiebot.core.jobs.ExpectedTime;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When a job's status message shows its progress, and what it says: at every state change, and otherwise at
 * most every {@link #EVERY} while the worker keeps looking at the job (well within Telegram's limits on edits).
 * What was shown last is kept in memory per instance while the job runs: {@link Generations} forgets it at every
 * end of the job it makes ({@link #forget}). Kept before until {@value #TRACKED_MAX} newer jobs pushed it out (the
 * 20-minute soak of BENCHMARKS section 65: one entry of about 160 B per finished job, 1.6 MiB after 10,000 jobs);
 * the cap stays for the jobs ended elsewhere (another instance, a callback it took) and is forgotten oldest first.
 * After a restart or when another instance takes a job over, a job may get one edit early.
 */
final class Progress {
    static final Duration EVERY = Duration.ofSeconds(15);
    static final int TRACKED_MAX = 10_000;

    private record Shown(Instant at, JobState state) {
    }

    private final Catalog catalog;
    private final Jobs jobs;
    private final Texts texts;
    private final Clock clock;
    private final Map<JobId, Shown> shown = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<JobId, Shown> eldest) {
            return size() > TRACKED_MAX;
        }
    };

    Progress(Catalog catalog, Jobs jobs, Texts texts, Clock clock) {
        this.catalog = catalog;
        this.jobs = jobs;
        this.texts = texts;
        this.clock = clock;
    }

    /** The job ended (or was found ended): nothing more is shown of its progress. */
    synchronized void forget(JobId id) {
        shown.remove(id);
    }

    /** How many jobs' last shown progress is kept (for tests). */
    synchronized int tracked() {
        return shown.size();
    }

    /** The status text to show now, when an edit is due (and it is then taken as shown). */
    synchronized Optional<String> due(Job job) {
        Optional<Model> model = catalog.model(job.modelId());
        if (model.isEmpty() || job.state().isTerminal() || job.state() == JobState.SUCCEEDED) {
            shown.remove(job.id());
            return Optional.empty();
        }
        Instant now = clock.instant();
        Shown last = shown.get(job.id());
        if (last != null && last.state() == job.state() && now.isBefore(last.at().plus(EVERY))) {
            return Optional.empty();
        }
        shown.put(job.id(), new Shown(now, job.state()));
        Duration expected = ExpectedTime.of(jobs.runTimes(job.modelId(), ExpectedTime.SAMPLES), model.get().category());
        return Optional.of(ProgressLine.of(texts, job.language(), model.get(), job, now, expected) + "\n"
                + texts.get(job.language(), Msg.JOB_RUNNING));
    }
}
