package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.CallbackUrl;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.TaskOrigin;
import dev.kiebot.core.reply.Keyboard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A job whose createTask may have reached Kie while the shop never learnt the task's id: its send cut off (a restart,
 * a database lost before the id was written) or left unanswered in time. Kie then made the task and charged the shop
 * for it, and its callback, naming the job, is the one way left to find it. Here the job waits for that callback
 * ({@link #awaitCallback}), the callback's task is taken by the job only on Kie's own word ({@link #adopt}), and a job
 * no callback found is told to the operator as it is refunded ({@link #reconcileCutOff}). Apart from the send and the
 * reads because none of it runs on the way of a job whose send went well.
 */
final class CallbackRescue {
    private static final System.Logger LOG = System.getLogger(JobWorker.class.getName());

    private final Stores stores;
    private final Catalog catalog;
    private final GenerationProvider provider;
    private final Generations generations;
    private final Clock clock;
    /** Callbacks naming a job that waits for no task: said at most once a minute, with a count (review R3). */
    private final dev.kiebot.core.jobs.RepeatedLine misses;
    private final Optional<String> callbackUrl;
    private final SubmittedWrites submittedWrites;
    private final TaskPolls taskPolls;
    private final Reconciliations reconciliations;

    CallbackRescue(Stores stores, Catalog catalog, GenerationProvider provider, Generations generations, Clock clock,
                   Optional<String> callbackUrl, SubmittedWrites submittedWrites, TaskPolls taskPolls,
                   Reconciliations reconciliations) {
        this.stores = stores;
        this.catalog = catalog;
        this.provider = provider;
        this.generations = generations;
        this.clock = clock;
        this.misses = new dev.kiebot.core.jobs.RepeatedLine(clock, dev.kiebot.core.jobs.RepeatedLine.MINUTE);
        this.callbackUrl = callbackUrl;
        this.submittedWrites = submittedWrites;
        this.taskPolls = taskPolls;
        this.reconciliations = reconciliations;
    }

    /**
     * A task no job stored, called back for job {@code id}: the process was cut off (killed, or its database lost)
     * between the provider's answer to createTask and the write of the task id, so the job still says SUBMITTING with
     * no task. Left so, it was refunded after {@link JobWorker#SUBMIT_WINDOW} as cut off mid-send, with a RECONCILE
     * line, while the provider made the result and charged the shop for it. The callback is not believed: the task is
     * read back from the provider with the shop's own key, and the job takes it only when the provider keeps it as made
     * of its model with a callback address naming this job and its moment of making ({@link CallbackUrl#madeFor}: the
     * base may have changed since), and the job is still SUBMITTING with no task (compare-and-set).
     * Its result then goes the normal way (delivered and charged, or failed and refunded). Anything else changes
     * nothing.
     *
     * @return the job with the task stored, when it took it
     */
    Optional<Job> adopt(JobId id, String taskId) {
        Optional<Job> found = stores.jobs().find(id);
        if (found.isEmpty() || found.get().state() != JobState.SUBMITTING || found.get().taskId().isPresent()
                || submittedWrites.unstoredTask(id) || callbackUrl.isEmpty()) {
            // at most once a minute with a count: a leaked callback token let anyone write a WARNING a request
            misses.came().ifPresent(n -> LOG.log(System.Logger.Level.WARNING, "{0}: a callback for provider task "
                    + "{1}, which no job has, names this job, which is not waiting for a task; ignored ({2} such since "
                    + "this line was last said, at most once a minute)", id.display(), taskId, n));
            return Optional.empty();
        }
        Job job = found.get();
        Optional<Model> model = catalog.model(job.modelId());
        if (model.isEmpty()) {
            return Optional.empty();
        }
        Optional<TaskOrigin> origin;
        try {
            origin = provider.origin(model.get(), taskId);
        } catch (ProviderException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: reading provider task {1}, which a callback names for this "
                    + "job, failed ({2}); not taken", id.display(), taskId, e.toString());
            return Optional.empty();
        }
        // the model and the job named with its moment of making, not the whole address: the public URL (or the callback
        // token in it) may have changed since the send while the old address still reaches the shop, and the task was
        // refunded though Kie made it and charged for it
        if (origin.isEmpty() || !origin.get().model().equals(model.get().kieModel())
                || !CallbackUrl.madeFor(origin.get().callbackUrl(), job)) {
            LOG.log(System.Logger.Level.WARNING, "{0}: provider task {1}, which a callback names for this job, was "
                    + "not made for it ({2}); not taken", id.display(), taskId,
                    origin.map(o -> "made of " + o.model() + " for another address")
                            .orElse("the provider keeps no origin"));
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<Job> taken = stores.transactions().inOne(() -> {
            Optional<Job> stored = stores.jobs().transition(id,
                    j -> j.state() == JobState.SUBMITTING && j.taskId().isEmpty(),
                    j -> j.submitted(taskId, now).checkAgainIn(now, taskPolls.delay(j, 0, Duration.ZERO)));
            stored.ifPresent(taskPolls::showProgress);
            return stored;
        });
        taken.ifPresent(j -> {
            LOG.log(System.Logger.Level.INFO, "{0}: provider task {1}, whose id was never stored, found by its "
                    + "callback and taken", id.display(), taskId);
            generations.audit(j, "gen.submitted", "task " + taskId);
        });
        return taken;
    }

    /**
     * A job still SUBMITTING with no task whose createTask may have reached Kie: cut off mid-send (found so when its
     * send's window ended) or unanswered in time. Kie may have made its task, and then calls back when the task ends,
     * naming the job ({@link JobWorker#checkTask(String, Optional)}), which takes it. With a callback address the job
     * waits for that call until its deadline, its money held and its user told so, and is refunded then (with the
     * RECONCILE line) if none came; failed at once, the user was refunded for a result Kie made and charged the shop
     * for, which a video (longer than the window) always was. Without a callback address nothing can find the task.
     * {@code unanswered} (a createTask the provider did not answer, not a send a restart cut off) counts as the
     * provider's timeout toward {@link ModelFailures} as the wait begins, not at the deadline.
     *
     * @return false when the job cannot wait (no callback address, its deadline passed while the createTask was
     *         unanswered, whose wait would be a line promising the money back at a deadline already past, just before the
     *         refund's, or sent by a build whose callback address named no job): the caller fails it
     */
    boolean awaitCallback(Job job, String why, boolean unanswered) {
        if (callbackUrl.isEmpty() || job.pastDeadline(clock.instant()) || sentUnnamed(job)) {
            return false;
        }
        Optional<Job> waiting = stores.transactions().inOne(() -> {
            Optional<Job> moved = stores.jobs().transition(job.id(),
                    j -> j.state() == JobState.SUBMITTING && j.taskId().isEmpty() && !j.awaitsTask(), Job::awaitingTask);
            moved.ifPresent(j -> generations.status(j, generations.awaitingProviderStatus(j), Keyboard.NONE));
            if (unanswered) {
                moved.ifPresent(generations::unanswered); // told as the provider's timeout now, not at the deadline
            }
            return moved;
        });
        waiting.ifPresent(j -> {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}; waiting for the provider''s callback until the deadline "
                    + "{2}, then refunded", j.id().display(), why, j.deadline());
            generations.audit(j, JobWorker.AWAITING_CALLBACK, why);
        });
        // waiting (since now, or already: another instance's worker found the send cut off while a createTask of a
        // long KIE_REQUEST_TIMEOUT_MS was still out, and the user was told once), or moved meanwhile by the path that
        // found its task: nothing to fail either way
        return true;
    }

    /**
     * Sent by a build before callback addresses named their job, as the migration to this build marked it
     * ({@link JobWorker#SENT_UNNAMED}): Kie's callback for its task names no job and Kie keeps an address naming none,
     * so nothing can find the task, and waiting only held the money until the deadline; that build refunded at once.
     */
    private boolean sentUnnamed(Job job) {
        return stores.audit().byCorrelation(job.id().display()).stream()
                .anyMatch(e -> e.action().equals(JobWorker.SENT_UNNAMED));
    }

    /**
     * Why a job with no task waited for Kie's callback ({@link #awaitCallback}: a createTask Kie did not answer, or a
     * send cut off), if it did: what its RECONCILE line says. Said as "cut off" for every such job, a createTask
     * unanswered in time sent the operator after a restart that never was.
     */
    Optional<String> waitedFor(Job job) {
        return stores.audit().byCorrelation(job.id().display()).stream()
                .filter(e -> e.action().equals(JobWorker.AWAITING_CALLBACK)).map(AuditEvent::detail)
                .reduce((first, last) -> last);
    }

    /**
     * The RECONCILE line of a job failed with no task after it may have reached Kie: why it waited
     * ({@link #waitedFor}, read once by the caller), else cut off mid-send.
     */
    void reconcileCutOff(Job failed, Optional<String> waitedFor) {
        reconciliations.reconcile(failed, waitedFor.orElse(JobNote.SUBMITTING_AT_RESTART.with()));
    }
}
