package dev.kiebot.runtime.metrics;

import dev.kiebot.core.jobs.ForwardingJobs;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.Jobs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * The jobs store, watched: every step of a generation's life (a change of its state) becomes one log line with
 * the job id and the correlation id, a count of jobs entering that state, and, when it ends, its duration per
 * model. The correlation id is the update's ({@code upd_…}) when a user's action made the step, else the job's own
 * ({@code gen_…}). A step is seen where it is stored, so no path of core can skip it. Only its end ({@code DELIVERED},
 * {@code FAILED}: what an operator acts on) is an INFO line, its creation and the steps between DEBUG: six INFO lines a
 * generation were most of the bot's log (review L), and the creation's line still was half of what was left (a soak:
 * 43 KB of log per 1,000 updates) while nobody acts on a job created. Kie's task id is in KieProvider's INFO line, a
 * refund in Generations', and every step in the audit trail ({@code /find gen_…}) all the same.
 */
public final class ObservedJobs extends ForwardingJobs {
    private static final Logger LOG = LoggerFactory.getLogger(ObservedJobs.class);
    static final String CID = "cid";
    static final String JOB = "job";
    /**
     * The correlation id of a job thread between jobs ({@code BackgroundWork}); once it leased its one job, the job's
     * own, see {@link #lease}.
     */
    public static final String JOB_THREAD = "jobs";

    private final MeterRegistry registry;
    private final Clock clock;

    public ObservedJobs(Jobs delegate, MeterRegistry registry, Clock clock) {
        super(delegate);
        this.registry = registry;
        this.clock = clock;
    }

    @Override
    public Job create(JobDraft draft) {
        Job job = real.create(draft);
        stepped(Optional.empty(), job);
        return job;
    }

    /**
     * A job thread's one leased job names the lines logged while it is worked on: its Kie task's creation, a refund, a
     * RECONCILE warning, the Kie client's retries. Before, they carried the thread's {@value #JOB_THREAD} (review L68:
     * {@code d.k.c.shop.Generations jobs - gen_5 failed (…); user ***0011 refunded}), so a filter on {@code gen_5}
     * or on the JSON line's {@code job} missed all but its state changes. The job thread clears both after the job.
     */
    @Override
    public List<Job> lease(String worker, Instant now, Duration leaseFor, int limit) {
        List<Job> leased = real.lease(worker, now, leaseFor, limit);
        if (leased.size() == 1 && JOB_THREAD.equals(MDC.get(CID))) {
            String id = leased.get(0).id().display();
            MDC.put(CID, id);
            MDC.put(JOB, id);
        }
        return leased;
    }

    /** The state before is read first (by primary key): a step is a change of state, and the store knows it. */
    @Override
    public Optional<Job> update(Job next) {
        Optional<JobState> before = real.find(next.id()).filter(j -> j.version() == next.version())
                .map(Job::state);
        Optional<Job> saved = real.update(next);
        saved.ifPresent(job -> before.filter(b -> b != job.state()).ifPresent(b -> stepped(Optional.of(b), job)));
        return saved;
    }

    private void stepped(Optional<JobState> from, Job job) {
        Counter.builder("kiebot.jobs").tag("state", job.state().name()).register(registry).increment();
        boolean paidFor = from.isPresent() && from.get() != JobState.CREATED;
        if (job.state() == JobState.SUCCEEDED || (job.state() == JobState.FAILED && paidFor)) {
            Timer.builder("kiebot.generation.duration").tag("model", job.modelId())
                    .tag("outcome", job.state() == JobState.SUCCEEDED ? "succeeded" : "failed").register(registry)
                    .record(Duration.between(job.createdAt(), clock.instant()));
        }
        log(from, job);
    }

    private static void log(Optional<JobState> from, Job job) {
        Level level = job.state().isTerminal() ? Level.INFO : Level.DEBUG;
        if (!LOG.isEnabledForLevel(level)) {
            return;
        }
        String cid = MDC.get(CID);
        boolean byUpdate = cid != null && cid.startsWith("upd_");
        String id = job.id().display();
        String jobBefore = MDC.get(JOB);
        MDC.put(JOB, id);
        if (!byUpdate) {
            MDC.put(CID, id);
        }
        try {
            LOG.atLevel(level).log("generation {} {} (model {}{}{}) cid {}", id,
                    from.map(f -> f + " -> " + job.state()).orElse("created as " + job.state()), job.modelId(),
                    job.state() == JobState.SUBMITTED ? job.taskId().map(t -> ", Kie task " + t).orElse("") : "",
                    job.failure().map(f -> ", " + f).orElse(""), byUpdate ? cid : id);
        } finally {
            restore(JOB, jobBefore);
            if (!byUpdate) {
                restore(CID, cid);
            }
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
