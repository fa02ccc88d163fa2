package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.PollPolicy;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.text.Msg;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The reads of a task's status while its job waits at Kie, and when the next one is due: on the poll policy's
 * schedule (its odd answers replaced, {@link #delay}), the job's status message following along. Most of a job's
 * life at Kie is spent here, and so are Kie's odd answers that must neither keep a user waiting for a result that
 * cannot come nor refund one Kie made: a task Kie does not know yet ({@link #taskNotFound}), one done without a result
 * ({@link #resultMissing}), the last look at the deadline ({@link #completedAtLastLook}).
 */
final class TaskPolls {
    private static final System.Logger LOG = System.getLogger(JobWorker.class.getName());

    private final Stores stores;
    private final Catalog catalog;
    private final GenerationProvider provider;
    private final Generations generations;
    private final PollPolicy polls;
    private final Progress progress;
    private final Clock clock;
    private final ResultDelivery delivery;
    private final Reconciliations reconciliations;
    private final FailingStatusReads failingReads = new FailingStatusReads();

    TaskPolls(Stores stores, Catalog catalog, GenerationProvider provider, Generations generations, PollPolicy polls,
              Progress progress, Clock clock, ResultDelivery delivery, Reconciliations reconciliations) {
        this.stores = stores;
        this.catalog = catalog;
        this.provider = provider;
        this.generations = generations;
        this.polls = polls;
        this.progress = progress;
        this.clock = clock;
        this.delivery = delivery;
        this.reconciliations = reconciliations;
    }

    /**
     * Reads the task's status once and moves the job on.
     *
     * @return whether the read told the task's end at the provider, done or failed: a job a callback would have
     *         brought ({@link UnheardCallbacks})
     */
    boolean poll(Job job) {
        Optional<Model> known = catalog.model(job.modelId());
        if (known.isEmpty()) {
            // a release dropped the model while its job ran: which of Kie's APIs to ask about the task went with it.
            // Thrown here, every pass failed until the deadline; the operator is told the task to look up at Kie
            reconciliations.reconcile(job, JobNote.TASK_OF_MODEL_GONE.with(job.taskId().orElse("?"), job.modelId()));
            generations.fail(job.id(), Msg.ERROR_MODEL_GONE.key(), JobNote.MODEL_GONE.with());
            return false;
        }
        Model model = known.get();
        TaskStatus status;
        try {
            status = provider.statusOnce(model, job.taskId().orElseThrow(), chosen(job, model));
        } catch (ProviderException e) {
            if (e.kind() == ErrorKind.GENERATION_FAILED) {
                // Kie answered the read itself with "generation failed": the task is over, waiting for the deadline
                // only kept the user 10-30 minutes from a failure already known. An answer all the same: it ends an
                // outage (ProviderDown), which a bot whose only calls were such reads kept standing
                generations.providerAnswered();
                generations.fail(job.id(), FailureReason.of(e.kind()), e.getMessage());
                return true;
            } else if (e.kind() == ErrorKind.NOT_FOUND) {
                generations.providerAnswered();
                taskNotFound(job, e);
            } else {
                failingReads.failed(job, e.getMessage(), clock.instant()); // a WARNING a spell, not every 5 s
                generations.providerFailed(job, e.kind());
                stores.jobs().update(job.checkAgainIn(clock.instant(), JobWorker.RETRY));
            }
            return false;
        }
        failingReads.answered(job, clock.instant());
        generations.providerAnswered();
        lastReadsEnded(job, Optional.empty()); // a callback's read, the job's failing reads at its deadline aside
        if (status instanceof TaskStatus.Succeeded s) {
            delivery.complete(job, s);
            return true;
        } else if (status instanceof TaskStatus.Failed f) {
            generations.fail(job.id(), FailureReason.of(f.kind()), f.detail());
            return true;
        } else if (status instanceof TaskStatus.ResultMissing m) {
            resultMissing(job, m);
        } else if (status instanceof TaskStatus.PartlyDone p && !p.madeWith().isEmpty() && waitedForTheRest(job)) {
            // the choice asked did not come in the time it takes (JobWorker.LESSER_CHOICE_WAIT): the lesser result
            // is delivered at its price, as at the deadline, not after the user waited the whole of it
            delivery.complete(job, p.soFar(), p.madeWith());
        } else {
            Job next = job.checkAgainIn(clock.instant(), nextRead(job, clock.instant()));
            if (status instanceof TaskStatus.PartlyDone) {
                next = next.partlyDoneAt(clock.instant());
            }
            boolean nowRunning = (status instanceof TaskStatus.Running || status instanceof TaskStatus.PartlyDone)
                    && job.state() == JobState.SUBMITTED;
            if (nowRunning) {
                next = next.running();
            }
            Job step = next;
            // one transaction: a failure or a result racing this step waits for it, so its notice is queued after
            // this progress line, not before (the line would edit "money returned" back to "generating")
            stores.transactions().inOne(() -> {
                stores.jobs().update(step).ifPresent(this::showProgress);
                return null;
            });
        }
        return false;
    }

    /**
     * Kie says it does not know the task. Within {@link JobWorker#NOT_FOUND_GRACE} of the submission the task is read
     * again on the poll policy's schedule; after it the job fails and is refunded, and the operator is told Kie lost
     * the task. The failure goes the way of every other ({@link Generations#fail}): a job that succeeded meanwhile (a
     * callback, another worker) stays paid for and delivered, and a job failed twice is refunded once.
     */
    private void taskNotFound(Job job, ProviderException e) {
        Instant now = clock.instant();
        String taskId = job.taskId().orElse("?");
        if (JobWorker.readAgainWhenNotFound(job.submittedOrCreatedAt(), now)) {
            LOG.log(System.Logger.Level.WARNING, "{0}: Kie does not know task {1} yet ({2}); reading it again",
                    job.id().display(), taskId, e.getMessage());
            stores.jobs().update(job.checkAgainIn(now, nextRead(job, now)));
            return;
        }
        generations.fail(job.id(), FailureReason.of(e.kind()), JobNote.KIE_LOST.with(e.getMessage()))
                .ifPresent(failed -> reconciliations.reconcile(failed,
                        JobNote.TASK_LOST.with(taskId, JobWorker.NOT_FOUND_GRACE.toMinutes())));
    }

    /**
     * Kie says the task is done but gave nothing to deliver: read again, at most
     * {@link JobWorker#RESULT_MISSING_READS_MAX} times, then fail and refund as for any failed task. Only reads in the
     * job's turn count: a callback's read out of turn leaves the job to its schedule, so a callback delivered twice
     * does not spend the reads meant to give Kie time.
     */
    private void resultMissing(Job job, TaskStatus.ResultMissing m) {
        Instant now = clock.instant();
        if (now.isBefore(job.nextCheckAt())) {
            return;
        }
        if (job.resultMissingReads() >= JobWorker.RESULT_MISSING_READS_MAX) {
            int reads = job.resultMissingReads() + 1;
            // the user gets the money back, but Kie has charged the shop for a task it reports done: the operator
            // learns of it, to claim the credits back from Kie with the task id
            generations.fail(job.id(), ErrorKind.GENERATION_FAILED.messageKey(),
                    JobNote.DONE_WITHOUT_RESULT_READS.with(m.detail(), reads))
                    .ifPresent(failed -> reconciliations.reconcile(failed,
                            JobNote.TASK_DONE_WITHOUT_RESULT.with(job.taskId().orElse("?"), reads)));
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "{0}: Kie task {1} done without a result ({2}); reading it again",
                job.id().display(), job.taskId().orElse("?"), m.detail());
        stores.jobs().update(job.resultMissing(now, nextRead(job, now)));
    }

    /**
     * A job at Kie past its deadline is read once more before it is refunded: its next read may have been due only
     * after the deadline, and a task Kie finished meanwhile, refunded unread, left the user without the result the
     * shop paid Kie for. The hold outlives the deadline ({@code ShopSettings.HOLD_MARGIN}), so the result is still
     * paid for by it. A task Kie calls done without a result is refunded here as well, and the operator told as after
     * the further reads ({@link #resultMissing}): Kie charged for it. A task Kie is still making, or one whose read
     * failed for a reason that passes, is refunded here with the operator told too: Kie may yet make it and charge for
     * it, and its callback then finds the job refunded ({@link #doneAfterRefund}); refunded by the deadline alone, the
     * operator heard nothing of it. @return true if this look settled the job (the task had succeeded: completed and
     * delivered; done without a result, or not done: failed, the operator told)
     */
    boolean completedAtLastLook(Job job) {
        Optional<Model> model = catalog.model(job.modelId());
        if (model.isEmpty() || job.taskId().isEmpty()) {
            return false;
        }
        TaskStatus status;
        try {
            status = provider.statusOnce(model.get(), job.taskId().get(), chosen(job, model.get()));
        } catch (ProviderException | RuntimeException e) {
            // a provider's fault too (a Succeeded without URLs, refused when made; a bug): thrown from here at every
            // pass, it kept a paid job open until its hold expired, and a free job, no hold to expire, for ever
            boolean passing = e instanceof ProviderException p && p.kind().retryable();
            if (passing && lastSeenPartlyDone(job)
                    && clock.instant().isBefore(job.deadline().plus(JobWorker.PARTLY_DONE_LAST_READS))) {
                // a part of it is made and was seen: refunded on one failed read, the user lost the video Kie
                // made and charged the shop for. Read again while the hold still pays for it
                failedLastRead(job, e);
                stores.jobs().update(job.checkAgainIn(clock.instant(), JobWorker.RETRY));
                return true;
            }
            if (!lastReadsEnded(job, Optional.of(e))) {
                LOG.log(System.Logger.Level.WARNING, "{0}: last status read at the deadline failed: {1}",
                        job.id().display(), e.toString());
            }
            if (passing) {
                refundedWhileAtKie(job); // unread, but not said to be over: it may still be made
                return true;
            }
            return false;
        }
        lastReadsEnded(job, Optional.empty());
        if (status instanceof TaskStatus.Succeeded s) {
            delivery.complete(job, s);
            return true;
        }
        if (status instanceof TaskStatus.PartlyDone p) {
            // the rest never came in the job's time: what is done is delivered and charged, not refunded whole. Kie
            // charged the shop for the task and a song of it exists; refunded, the user lost it and the shop paid for
            // it. The user is told the rest did not come out. One post of the hold, as for any success
            // a lesser choice's result (Veo's 720p, the 1080p never ready): delivered at that choice's price
            delivery.complete(job, p.soFar(), p.madeWith());
            return true;
        }
        if (status instanceof TaskStatus.ResultMissing m) {
            generations.fail(job.id(), ErrorKind.TIMEOUT.messageKey(), JobNote.DEADLINE_KIE.with(m.detail()))
                    .ifPresent(failed -> reconciliations.reconcile(failed,
                            JobNote.TASK_DONE_WITHOUT_RESULT_AT_DEADLINE.with(job.taskId().get())));
            return true;
        }
        if (status instanceof TaskStatus.Queued || status instanceof TaskStatus.Running) {
            refundedWhileAtKie(job);
            return true;
        }
        return false;
    }

    /**
     * Jobs partly done whose reads past their deadline fail now, read again every {@link JobWorker#RETRY} for up to
     * {@link JobWorker#PARTLY_DONE_LAST_READS}: since when and how many reads failed. Each failed read logged two
     * WARNING lines, 120 for one job in 5 minutes of Kie's outage; now a spell is one WARNING at its start, DEBUG for
     * the reads after, and one line at its end. Kept per worker (a process started anew begins a spell again), at
     * most {@link #LAST_READS_KEPT}; a job ended by other means meanwhile (an admin's stop, a callback to another
     * instance) is dropped at the worker's next pass ({@link #spellsOfEndedJobsEnded}), where before it stayed until
     * 1024 newer spells pushed it out. Guarded by itself.
     */
    private final java.util.Map<dev.kiebot.core.jobs.JobId, FailedLastReads> failingLastReads =
            new java.util.LinkedHashMap<>() {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(
                        java.util.Map.Entry<dev.kiebot.core.jobs.JobId, FailedLastReads> eldest) {
                    return size() > LAST_READS_KEPT;
                }
            };
    private static final int LAST_READS_KEPT = 1024;
    /** Whether the last lookup of {@link #spellsOfEndedJobsEnded} threw: its WARNING once per spell of them. */
    private final java.util.concurrent.atomic.AtomicBoolean lookupsFailing =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * A spell of failed reads at a job's deadline: its first failure, its latest (or the lookup that last kept it,
     * {@link #spellsOfEndedJobsEnded}) and the reads failed since.
     */
    private record FailedLastReads(Instant since, Instant last, int reads) {
        FailedLastReads andOneMore(Instant now) {
            return new FailedLastReads(since, now, reads + 1);
        }
    }

    /**
     * Ends the spells of jobs ended by other means: the worker reads a job in its spell every {@link JobWorker#RETRY},
     * so only a spell not read for twice that is looked up (one read of the job each, none while no spell is kept),
     * and dropped, with its line, when its job has ended or is gone. One still awaiting its result (leased by another
     * worker meanwhile) is kept.
     */
    void spellsOfEndedJobsEnded() {
        Instant stale = clock.instant().minus(JobWorker.RETRY.multipliedBy(2));
        List<dev.kiebot.core.jobs.JobId> unread;
        synchronized (failingLastReads) {
            if (failingLastReads.isEmpty()) {
                return;
            }
            unread = failingLastReads.entrySet().stream().filter(e -> e.getValue().last().isBefore(stale))
                    .map(java.util.Map.Entry::getKey).toList();
        }
        for (dev.kiebot.core.jobs.JobId id : unread) {
            Optional<Job> job;
            try {
                job = stores.jobs().find(id);
            } catch (RuntimeException e) {
                // the worker's pass goes on (thrown, it was lost before its lease): the spells wait for the next
                if (!lookupsFailing.getAndSet(true)) {
                    LOG.log(System.Logger.Level.WARNING, "the jobs of the failed status reads could not be looked "
                            + "up; tried again at the next pass", e);
                }
                return;
            }
            if (lookupsFailing.getAndSet(false)) {
                LOG.log(System.Logger.Level.INFO, "the jobs of the failed status reads are looked up again");
            }
            if (job.isPresent() && job.get().state().awaitsResult()) {
                // kept: not looked up again before two retries more, where it was read at every pass
                Instant now = clock.instant();
                synchronized (failingLastReads) {
                    failingLastReads.computeIfPresent(id, (k, v) -> new FailedLastReads(v.since(), now, v.reads()));
                }
                continue;
            }
            FailedLastReads spell;
            synchronized (failingLastReads) {
                spell = failingLastReads.remove(id);
            }
            if (spell != null) {
                LOG.log(System.Logger.Level.INFO, "{0}: the status reads at the deadline end with the job, {1} "
                        + "meanwhile, after {2} failed", id.display(),
                        job.map(j -> j.state().toString()).orElse("gone"), spell.reads());
            }
        }
    }

    /** How many spells of failed reads this worker keeps (for tests). */
    int spellsKept() {
        synchronized (failingLastReads) {
            return failingLastReads.size();
        }
    }

    /** A read at the deadline of a job partly done failed, to be read again: a WARNING at a spell's start only. */
    private void failedLastRead(Job job, Throwable e) {
        FailedLastReads spell;
        synchronized (failingLastReads) {
            Instant now = clock.instant();
            spell = failingLastReads.merge(job.id(), new FailedLastReads(now, now, 1),
                    (was, one) -> was.andOneMore(now));
        }
        LOG.log(spell.reads() == 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                "{0}: last status read at the deadline failed ({1}), a part of the task done; reading it again every "
                        + "{2} for up to {3} past the deadline (failed reads: {4})", job.id().display(), e.toString(),
                JobWorker.RETRY, JobWorker.PARTLY_DONE_LAST_READS, spell.reads());
    }

    /**
     * Ends the job's spell of failed reads at its deadline, if it has one, with its line: INFO when a read answered,
     * WARNING when given up on the read {@code stillFailing}. @return whether it had one
     */
    private boolean lastReadsEnded(Job job, Optional<Throwable> stillFailing) {
        FailedLastReads spell;
        synchronized (failingLastReads) {
            spell = failingLastReads.remove(job.id());
        }
        if (spell == null) {
            return false;
        }
        Duration over = Duration.between(spell.since(), clock.instant());
        if (stillFailing.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "{0}: the status read at the deadline answered after {1} failed over {2}",
                    job.id().display(), spell.reads(), over);
        } else {
            LOG.log(System.Logger.Level.WARNING, "{0}: the status reads at the deadline given up after {1} failed over "
                    + "{2}, the last: {3}", job.id().display(), spell.reads(), over, stillFailing.get().toString());
        }
        return true;
    }

    /** Whether the job's task was found partly done ({@link Job#partlyDoneAt}) while it waited for the rest. */
    private static boolean lastSeenPartlyDone(Job job) {
        return job.state().awaitsResult() && job.succeededAt().isPresent();
    }

    /** Whether the job found partly done has waited {@link JobWorker#LESSER_CHOICE_WAIT} for the rest since. */
    private boolean waitedForTheRest(Job job) {
        return lastSeenPartlyDone(job) && job.succeededAt()
                .filter(seen -> !clock.instant().isBefore(seen.plus(JobWorker.LESSER_CHOICE_WAIT))).isPresent();
    }

    /**
     * Whether we gave the job up while Kie may still have been at it: its deadline, or a send whose fate we never
     * learnt (not stopped by an admin, not refused by Kie).
     */
    private static boolean refundedAtTheDeadline(Job job) {
        // by the message key the user was told: a lost task's (NOT_FOUND) is shared with Kie's own refusals, so only
        // the deadline's and a send in doubt's say surely that we gave it up
        return job.failure().filter(f -> f.equals(ErrorKind.TIMEOUT.messageKey())
                || f.equals("error.provider_uncertain")).isPresent();
    }

    /** Refunds a job at its deadline whose task Kie may still make, and tells the operator the task to watch. */
    private void refundedWhileAtKie(Job job) {
        generations.fail(job.id(), ErrorKind.TIMEOUT.messageKey(), JobNote.DEADLINE_IN_STATE.with(job.state()))
                .ifPresent(failed -> reconciliations.reconcile(failed,
                        JobNote.TASK_RUNNING_AT_DEADLINE.with(job.taskId().orElse("?"))));
    }

    /**
     * A callback for a job already failed and refunded, whose task Kie names: read once, and if Kie made it after all
     * (the job refunded at its deadline, or by an admin, while Kie was still at it), the operator is told, once per
     * job (Kie charged the shop for it), and, when it was our deadline that failed it, the user gets it as a gift, once
     * per job ({@link ResultDelivery#deliverLate}): thrown away before, it was paid for at Kie and nobody had it. A job
     * an admin stopped stays stopped (support stopped it for a reason: a result after the refund is not what was
     * agreed). A build before this one only told the operator.
     */
    void doneAfterRefund(Job job) {
        Optional<Model> model = catalog.model(job.modelId());
        if (job.state() != JobState.FAILED || job.taskId().isEmpty() || model.isEmpty()) {
            return;
        }
        String note = JobNote.TASK_DONE_AFTER_REFUND.with(job.taskId().get());
        boolean told = stores.audit().byCorrelation(job.id().display()).stream()
                .anyMatch(e -> e.action().equals("gen.reconcile") && e.detail().equals(note));
        if (told && job.result().isPresent()) {
            return; // Kie sends a callback again when our answer is late: one line per task, the result given once
        }
        TaskStatus status;
        try {
            status = provider.statusOnce(model.get(), job.taskId().get(), chosen(job, model.get()));
        } catch (ProviderException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "{0}: a callback for Kie task {1} of a job already refunded; its "
                    + "read failed ({2})", job.id().display(), job.taskId().get(), e.toString());
            return;
        }
        Optional<TaskStatus.Succeeded> made = status instanceof TaskStatus.Succeeded s ? Optional.of(s)
                : status instanceof TaskStatus.PartlyDone p ? Optional.of(p.soFar()) : Optional.empty();
        made.ifPresent(s -> {
            if (!told) {
                reconciliations.reconcile(job, note);
            }
            if (refundedAtTheDeadline(job)) {
                delivery.deliverLate(job, s.result());
            }
        });
    }

    /**
     * What the job chose, as the provider is asked with it ({@link GenerationProvider#statusOnce(Model, String,
     * java.util.Map)}): its values, and its priced variant's options where the values name none (a default the user
     * kept).
     */
    static java.util.Map<String, String> chosen(Job job, Model model) {
        java.util.Map<String, String> chosen = new java.util.HashMap<>(job.values());
        model.sku(job.skuId()).ifPresent(sku -> sku.options().forEach(chosen::putIfAbsent));
        return java.util.Map.copyOf(chosen);
    }

    private Duration nextRead(Job job, Instant now) {
        return delay(job, job.polls(), Duration.between(job.createdAt(), now));
    }

    /**
     * The poll policy's delay, when it is one: a partner's own policy that answers {@code null} or a negative delay
     * would otherwise fail every pass over the job or make it due at once for ever (a status read after every other,
     * for as long as the task runs). Such an answer is logged and replaced by {@link JobWorker#POLICY_FALLBACK}.
     */
    Duration delay(Job job, int reads, Duration elapsed) {
        Duration d = polls.nextDelay(reads, elapsed);
        if (d == null || d.isNegative()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: the PollPolicy answered {1} after {2} reads; reading again in "
                    + "{3} instead. A PollPolicy must answer zero or more", job.id().display(), d, reads,
                    JobWorker.POLICY_FALLBACK);
            return JobWorker.POLICY_FALLBACK;
        }
        // no look further ahead than this: one that far is taken for a clock's step back (Job.checkDue)
        Duration max = job.lookAheadMax();
        return d.compareTo(max) > 0 ? max : d;
    }

    /** The status message follows the job: at each state change, else at most every 15 s ({@link Progress}). */
    void showProgress(Job job) {
        progress.due(job).ifPresent(text -> generations.status(job, text, Keyboard.NONE));
    }

    /** Looked at again after {@link JobWorker#RETRY}, past a transient problem (download, upload, status read). */
    void retryLater(Job job, String why) {
        LOG.log(System.Logger.Level.WARNING, "{0}: {1}; retrying", job.id().display(), why);
        stores.jobs().update(job.checkAgainIn(clock.instant(), JobWorker.RETRY));
    }
}
