package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The write that stores a task id the provider just gave (SUBMITTING → SUBMITTED). Once the provider took the task,
 * its id is the one thing that lets the shop deliver a result it pays for: a write that fails is tried again, and past
 * the tries the id is kept in memory, written first at each pass and found there by a callback, until the database
 * takes it. Apart from the send ({@link TaskSubmission}) because every pass and every callback asks it first, whether
 * or not anything is being sent.
 */
final class SubmittedWrites {
    private static final System.Logger LOG = System.getLogger(JobWorker.class.getName());

    private final Stores stores;
    private final Generations generations;
    private final Clock clock;
    private final TaskPolls taskPolls;
    private final Reconciliations reconciliations;
    /**
     * Task ids the provider gave for jobs whose SUBMITTED could not be written, by job ({@link #keepUnstored}):
     * written first at each pass, and looked up by a callback for a task no job has yet. Guarded by itself.
     */
    private final Map<JobId, Unstored> unstored = new LinkedHashMap<>();

    /** A task the provider took {@code at} for a job that still says SUBMITTING in the store. */
    private record Unstored(String taskId, Instant at) {
    }

    SubmittedWrites(Stores stores, Generations generations, Clock clock, TaskPolls taskPolls,
                    Reconciliations reconciliations) {
        this.stores = stores;
        this.generations = generations;
        this.clock = clock;
        this.taskPolls = taskPolls;
        this.reconciliations = reconciliations;
    }

    /**
     * Stores the task the provider took for job {@code id}, tried again while the send's window lasts (it ends at
     * {@code sentBy}); after the tries, or when interrupted, the task id is kept ({@link #keepUnstored}).
     */
    void storeTask(JobId id, String taskId, Instant sentBy) {
        Instant now = clock.instant();
        Duration pause = JobWorker.STORE_TASK_FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                storeSubmitted(id, taskId, now);
                return;
            } catch (RuntimeException e) {
                if (refusedAsAnothers(id, taskId)) {
                    return;
                }
                // the task exists at the provider and its id is only here: tried again, never given up for a blip
                if (attempt >= JobWorker.STORE_TASK_ATTEMPTS || !clock.instant().plus(pause).isBefore(sentBy)
                        || !pause(pause)) {
                    keepUnstored(id, taskId, now, e);
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "{0}: storing Kie task {1} failed ({2}); trying again in {3}",
                        id.display(), taskId, e.toString(), pause);
                pause = pause.multipliedBy(2);
            }
        }
    }

    /**
     * SUBMITTING → SUBMITTED with the provider's task id, and its status line, in one transaction, as in poll: a
     * result or failure that comes at once (a callback) waits for it, so "queued at the AI service" can no longer
     * follow the result or the refund. A job no longer SUBMITTING (failed as cut off mid-send by another instance,
     * after {@link JobWorker#SUBMIT_WINDOW}) is told to the operator: the task exists and was not stored.
     *
     * @throws RuntimeException when the store fails (the database lost): nothing was written
     */
    private void storeSubmitted(JobId id, String taskId, Instant at) {
        Optional<Job> sent = stores.transactions().inOne(() -> {
            Optional<Job> stored = stores.jobs().transition(id, j -> j.state() == JobState.SUBMITTING,
                    j -> j.submitted(taskId, at).checkAgainIn(at, taskPolls.delay(j, 0, Duration.ZERO)));
            stored.ifPresent(taskPolls::showProgress);
            return stored;
        });
        if (sent.isPresent()) {
            generations.audit(sent.get(), "gen.submitted", "task " + taskId);
        } else {
            Optional<Job> now = stores.jobs().find(id);
            if (now.flatMap(Job::taskId).filter(taskId::equals).isPresent()) {
                return; // its callback came first and the job took the task then (adopt): nothing is lost
            }
            JobState state = now.map(Job::state).orElse(JobState.FAILED);
            now.ifPresent(j -> reconciliations.reconcile(j, JobNote.CREATED_TOO_LATE.with(taskId, state)));
        }
    }

    /**
     * The database is lost for longer than the tries: the task id is kept here for the next passes, which write it
     * first ({@link #storeUnstoredTasks}), and logged with the job's id, so that an operator can match them even if
     * this process stops before the database is back (the job is then refunded as cut off mid-send).
     */
    private void keepUnstored(JobId id, String taskId, Instant at, RuntimeException e) {
        boolean kept;
        synchronized (unstored) {
            kept = unstored.size() < JobWorker.UNSTORED_TASKS_MAX;
            if (kept) {
                unstored.put(id, new Unstored(taskId, at));
            }
        }
        LOG.log(System.Logger.Level.WARNING, "{0}: RECONCILE Kie task {1} was created but could not be stored ({2}); "
                + (kept ? "kept in memory and stored at the next pass" : "too many unstored tasks: not kept"),
                id.display(), taskId, e.toString());
    }

    /**
     * Writes the task ids {@link #keepUnstored} kept, oldest first. One that fails is kept for the next pass and the
     * rest are tried all the same: stopping at it, a write failing for good (an id another job holds) kept every later
     * id unstored, its job awaiting its hold's expiry. Only the database away stops the pass: the rest would fail too.
     */
    void storeUnstoredTasks() {
        List<Map.Entry<JobId, Unstored>> kept;
        synchronized (unstored) {
            if (unstored.isEmpty()) {
                return;
            }
            kept = unstored.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
        }
        for (Map.Entry<JobId, Unstored> next : kept) {
            JobId id = next.getKey();
            String taskId = next.getValue().taskId();
            try {
                storeSubmitted(id, taskId, next.getValue().at());
            } catch (RuntimeException e) {
                if (refusedAsAnothers(id, taskId)) {
                    forget(id);
                    continue;
                }
                LOG.log(System.Logger.Level.WARNING, "{0}: storing Kie task {1} failed again ({2}); kept for the "
                        + "next pass", id.display(), taskId, e.toString());
                if (ConnectionLoss.in(e)) {
                    return;
                }
                continue;
            }
            LOG.log(System.Logger.Level.INFO, "{0}: Kie task {1} stored after all", id.display(), taskId);
            forget(id);
        }
    }

    private void forget(JobId id) {
        synchronized (unstored) {
            unstored.remove(id);
        }
    }

    /**
     * A write refused because another job holds the task id already (the store keeps a task id to one job): Kie gave
     * this job an id it gave before, a refusal no retry ends. Tried again, the job waited SUBMITTING until its hold
     * expired (11-20 minutes), a WARN a try, then refunded with a RECONCILE line saying "after a restart" where there
     * was none. Now it fails at once, refunded, with one RECONCILE line naming both jobs: Kie may have charged for a
     * task of this job's. The other job's result stays its own.
     *
     * @return whether the refusal was so (the job failed here, or had ended or taken its task meanwhile); false when
     *         the id is no other job's, or the store cannot say (the database away: tried again as any failure)
     */
    private boolean refusedAsAnothers(JobId id, String taskId) {
        Optional<Job> other;
        try {
            other = stores.jobs().findByTaskId(taskId).filter(j -> !j.id().equals(id));
        } catch (RuntimeException lost) {
            return false;
        }
        if (other.isEmpty()) {
            return false;
        }
        String note = JobNote.TASK_OF_ANOTHER_JOB.with(taskId, other.get().id().display());
        generations.failCutOff(id, ErrorKind.GENERATION_FAILED.messageKey(), note)
                .ifPresent(failed -> reconciliations.reconcile(failed, note));
        return true;
    }

    boolean unstoredTask(JobId id) {
        synchronized (unstored) {
            return unstored.containsKey(id);
        }
    }

    boolean unstoredTask(String taskId) {
        synchronized (unstored) {
            return unstored.values().stream().anyMatch(u -> u.taskId().equals(taskId));
        }
    }

    /** @return false when interrupted (the stop): the task id is kept instead of waited for */
    private static boolean pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
