package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.jobs.CallbackUrl;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.PollPolicy;
import dev.kiebot.core.reply.FileSource;
import dev.kiebot.core.text.Texts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Moves leased jobs forward: upload inputs, submit once, poll, deliver. Every path ends in
 * DELIVERED or FAILED-with-refund, also after a crash: a job is leased again when its lease
 * runs out, and a job caught between "sending" and "sent" is refunded, never sent twice.
 *
 * <p>A partner calls {@link #checkTask} when the provider reports a task done (see {@code Shop.Builder.callbackUrl});
 * {@link ShopWork} runs the rest. {@link #runOnce} and {@link #sweepExpiredHolds} are for a runner that schedules the
 * work itself ({@link ShopWork.Parts#advanceJobs()} and {@code shop.upkeep()} run them) and for tests.
 *
 * <p>This class leases the jobs, keeps each job's step on one thread, and decides which step a job is due
 * ({@link #advance}); the steps are parts of their own, each one concept: {@link TaskSubmission} (the inputs, the
 * provider's permit to send, waited for while the job is still HELD, and the one createTask), {@link SubmittedWrites} (the task id into the store), {@link CallbackRescue} (a job whose task Kie
 * may have made unbeknown to the store, found by Kie's callback), {@link TaskPolls} (the status reads),
 * {@link ResultDelivery} (the results to the chat) and {@link Reconciliations} (what the operator settles with Kie).
 * They log under this class's name, so that one logger follows a job through its steps, and their timings and limits
 * are the constants here, where a partner reads them.
 */
public final class JobWorker {
    /** The next status read when the poll policy's answer is not a delay ({@code null} or negative). */
    static final Duration POLICY_FALLBACK = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger(JobWorker.class.getName());
    /** A worker's claim on a job; longer than any single provider call. */
    public static final Duration LEASE = Duration.ofSeconds(90);
    /**
     * How long a createTask (with the provider's retries) may take before a job still SUBMITTING counts as cut off
     * mid-send (refunded, never sent again). Writing SUBMITTING ends the worker's lease, so without this the job,
     * due already, was taken by another instance's worker while the send was in flight: refunded as "uncertain"
     * while Kie made it, its task id then stored nowhere. The Kie adapter's send takes at most about 40 s (one attempt
     * of 10 s to connect and 30 s to answer: a refusal Kie never took is sent again from HELD, {@link #resendAfter});
     * its rate limiter's wait (10 s) comes before SUBMITTING ({@code GenerationProvider.awaitSubmitPermit}).
     */
    public static final Duration SUBMIT_WINDOW = Duration.ofMinutes(5);
    /**
     * The audit action of a job waiting for Kie's callback to find its task ({@link CallbackRescue#awaitCallback}).
     */
    static final String AWAITING_CALLBACK = "gen.awaiting_callback";
    /**
     * The audit action marking a job a build before callback addresses named their job (aca74ae8) cut off mid-send,
     * as the migration that brought this build found it (kiebot's {@code V41__jobs_sent_unnamed.sql}): no callback can
     * find its task, so it is refunded at once rather than wait for one ({@link CallbackRescue#awaitCallback}).
     */
    static final String SENT_UNNAMED = "gen.sent_unnamed";
    /**
     * How long after its submission a task Kie answers "not found" (404) is read again before its job fails and is
     * refunded. Kie had stored the task when it answered createTask with its id, so a 404 soon after is its status
     * store catching up, a matter of seconds; 3 minutes forgive that through Kie's fast and medium polling phases
     * (about 25 reads), yet end well inside the shortest default deadline (images, 10 minutes) and Kie's own advice
     * to stop polling after 10-15 minutes and investigate. Without it a lost task was read until the job's deadline,
     * 30 minutes for a video, while the user waited for a result that could not come.
     */
    public static final Duration NOT_FOUND_GRACE = Duration.ofMinutes(3);
    /**
     * Further reads of a task Kie reported done without a result to deliver, before its job fails and is refunded.
     * Kie has charged the shop for the task and may write its result after its state; three reads on the poll
     * policy's schedule (10-90 s on Kie's) give it that time, and no more: a success that stays empty is a failure.
     */
    public static final int RESULT_MISSING_READS_MAX = 3;
    /**
     * The next try of a job no permit to send came for in the provider's wait (its rate limit busy), still HELD; and the
     * longest pause before the next createTask after one the provider refused without taking it
     * ({@link #resendAfter}).
     */
    static final Duration SUBMIT_AGAIN = Duration.ofSeconds(15);
    /**
     * The first pause before a createTask the provider refused without taking it (a 429, a 503, a connect failure, its
     * local limit) is sent again ({@link TaskSubmission#sendAgainLater}), the job HELD meanwhile.
     */
    static final Duration RESEND_FIRST = Duration.ofSeconds(1);

    /**
     * The pause before a job the provider refused unsent is sent again: a quarter of its age, from {@link #RESEND_FIRST}
     * up to {@link #SUBMIT_AGAIN}, a backoff read from the job itself, no count to store. Kie's adapter no longer retries
     * such a refusal inside {@code submit}, the job SUBMITTING (a process cut off in its backoff left a job that never
     * reached Kie awaiting its deadline): the job waits here, HELD, and a first 429 costs about a second as the
     * adapter's backoff did, while one refused for minutes is tried every 15 s as before, each try after a permit of the
     * provider's limiter.
     *
     * @param job the job refused
     * @param now the time of the refusal
     * @return the pause, {@link #RESEND_FIRST} to {@link #SUBMIT_AGAIN}
     */
    static Duration resendAfter(Job job, Instant now) {
        Duration quarter = Duration.between(job.createdAt(), now).dividedBy(4);
        if (quarter.compareTo(RESEND_FIRST) < 0) {
            return RESEND_FIRST;
        }
        return quarter.compareTo(SUBMIT_AGAIN) > 0 ? SUBMIT_AGAIN : quarter;
    }
    /**
     * How long a job's uploaded inputs are kept for its next sends after a refusal ({@link KeptUploads}): longer than a
     * job's deadline (10-30 minutes), well inside the 3 days Kie keeps an upload.
     */
    static final Duration UPLOADS_KEPT = Duration.ofHours(1);
    /** The most jobs whose uploaded inputs are kept ({@link KeptUploads}); a job past it is uploaded again. */
    static final int UPLOADS_KEPT_MAX = 1024;
    /** Retry delay after a transient problem (download, upload, status read). */
    static final Duration RETRY = Duration.ofSeconds(5);
    /**
     * The longest a job whose task made its result with a lesser choice than the job's waits for the one asked
     * ({@link dev.kiebot.core.jobs.TaskStatus.PartlyDone#madeWith()}: Veo's 1080p file, "ready ~1–3 min after success"
     * by Kie), counted from the part first seen ({@link Job#partlyDoneAt}); then the lesser result is delivered at its
     * price. Waited for until the job's deadline (30 minutes for a video), the user waited half an hour for a file made
     * in minutes, and a read failing at that deadline refunded the video Kie made.
     */
    static final Duration LESSER_CHOICE_WAIT = Duration.ofMinutes(8);
    /**
     * How long after its deadline a job last seen partly done is read again when its last read failed for a reason
     * that passes, before it is refunded: within the hold's margin ({@code ShopSettings.HOLD_MARGIN}, 10 minutes), so
     * the part is still paid for by the hold when a read gets it.
     */
    static final Duration PARTLY_DONE_LAST_READS = Duration.ofMinutes(5);
    /**
     * Tries of the write that stores a task id the provider just gave (SUBMITTING → SUBMITTED), the first pause
     * {@link #STORE_TASK_FIRST_PAUSE} and doubling (about 4 s in all, well within {@link #SUBMIT_WINDOW}): a
     * database blip of a second or two is the common case. Lost, the id made the job look cut off mid-send: refunded
     * as "uncertain" while the provider made the result the shop paid for, and its callback found no job.
     */
    static final int STORE_TASK_ATTEMPTS = 5;
    static final Duration STORE_TASK_FIRST_PAUSE = Duration.ofMillis(250);
    /**
     * Task ids whose write still failed after {@link #STORE_TASK_ATTEMPTS}, kept for the next passes (at most this
     * many: each is a job of a database lost for longer, and each is also logged with both ids for the operator).
     */
    static final int UNSTORED_TASKS_MAX = 256;

    private final String name;
    private final Stores stores;
    private final Generations generations;
    private final Clock clock;
    /** Callbacks for a task no job holds: said at most once a minute, with a count (review R3). */
    private final dev.kiebot.core.jobs.RepeatedLine unknownTasks;
    private final StarsRefundDesk starsRefunds;
    private final HeldStarsRefunds heldRefunds;
    private final TaskSubmission submission;
    private final SubmittedWrites submittedWrites;
    private final CallbackRescue rescue;
    private final TaskPolls taskPolls;
    private final ResultDelivery delivery;
    private final Reconciliations reconciliations;
    /** Jobs finishing by status reads while no callback comes to the address the provider is given. */
    private final UnheardCallbacks unheard;
    /** Jobs whose step runs on a thread of this worker now ({@link #runOnce}). Guarded by itself. */
    private final Set<JobId> inHand = new HashSet<>();
    /**
     * Jobs another thread here leased while their step was in hand: a write of the step (or the outbox's) had ended
     * the lease, and the job was due. That thread leaves the job to the step and keeps its lease, so that the threads
     * do not lease it again and again while the step runs (a hung read); the step's end gives the lease back, else
     * a step that wrote nothing after it would leave the job waiting out {@link #LEASE} for its next look. Guarded by
     * {@link #inHand}.
     */
    private final Set<JobId> leasedInHand = new HashSet<>();
    /** Jobs whose step the database cut off: their leases end at the first pass that can write them. */
    private final CutOffLeases cutOffLeases;
    /** The holds {@link #sweepExpiredHolds} leaves past their deadline, read after each sweep. */
    private final OverdueHolds overdueHolds;

    JobWorker(String name, Stores stores, Catalog catalog, GenerationProvider provider, FileSource files,
                     Generations generations, PollPolicy polls, Outbox outbox, Texts texts, Clock clock,
                     Optional<String> callbackUrl, StarsRefundDesk starsRefunds) {
        this.starsRefunds = starsRefunds;
        this.name = name;
        this.stores = stores;
        this.generations = generations;
        this.clock = clock;
        this.unknownTasks = new dev.kiebot.core.jobs.RepeatedLine(clock, dev.kiebot.core.jobs.RepeatedLine.MINUTE);
        this.heldRefunds = new HeldStarsRefunds(stores, clock);
        this.cutOffLeases = new CutOffLeases(stores, clock);
        this.overdueHolds = new OverdueHolds(stores.ledger());
        this.reconciliations = new Reconciliations(stores, clock);
        this.delivery = new ResultDelivery(stores, generations, outbox, texts);
        this.taskPolls = new TaskPolls(stores, catalog, provider, generations, polls,
                generations.progress(), clock, delivery, reconciliations);
        this.submittedWrites = new SubmittedWrites(stores, generations, clock, taskPolls, reconciliations);
        this.rescue = new CallbackRescue(stores, catalog, provider, generations, clock, callbackUrl, submittedWrites,
                taskPolls, reconciliations);
        this.submission = new TaskSubmission(stores, catalog, provider, files, generations, clock, callbackUrl,
                submittedWrites, rescue, taskPolls, reconciliations);
        this.unheard = new UnheardCallbacks(callbackUrl.isPresent(), clock);
    }

    /**
     * Leases due jobs and advances each once. May be called on several threads at once (a runner's job threads, so
     * that one slow provider call holds one of them, not every job).
     *
     * @param limit the most jobs to lease in this pass
     * @return how many jobs were looked at
     */
    public int runOnce(int limit) {
        submittedWrites.storeUnstoredTasks();
        taskPolls.spellsOfEndedJobsEnded();
        cutOffLeases.endLeases(this::inHand);
        List<Job> due = stores.jobs().lease(name, clock.instant(), LEASE, limit);
        for (Job job : due) {
            if (!take(job.id())) {
                // any write to a job ends its lease, also one that is not the step's (the outbox keeping its status
                // message's id), so a job whose step is in hand on another thread here can be leased again: left to
                // that step, which gives this lease back at its end, rather than two threads waiting on one hung read
                continue;
            }
            try {
                advance(job);
                cutOffLeases.stepEnded(job.id());
            } catch (RuntimeException e) {
                if (ConnectionLoss.in(e)) {
                    // the database away (08xxx, 57P0x, a lock timeout, a full disk, read-only): the lease is ended at
                    // the first pass that can write the job, and the runner's loop says the outage once; a trace per
                    // job said nothing more, nor does a line per retry
                    LOG.log(cutOffLeases.cutOff(job.id()) ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                            job.id().display() + ": worker step cut off by the database ("
                            + e.getClass().getSimpleName() + "), will retry");
                } else {
                    cutOffLeases.stepEnded(job.id()); // its own failure: the lease runs out, as for any bug
                    LOG.log(System.Logger.Level.ERROR, job.id().display() + ": worker step failed, will retry", e);
                }
            } finally {
                putBack(job.id());
            }
        }
        return due.size();
    }

    private boolean inHand(JobId id) {
        synchronized (inHand) {
            return inHand.contains(id);
        }
    }

    /** @return whether the job's step is now this thread's; when not, its lease is noted for that step to give back */
    private boolean take(JobId id) {
        synchronized (inHand) {
            if (inHand.add(id)) {
                return true;
            }
            leasedInHand.add(id);
            return false;
        }
    }

    /**
     * The step is over: a lease another thread took meanwhile is ended by a write of the job as it is (while still
     * in hand, so no thread here is in its step), then the job may be leased again. A write that fails, or finds the
     * job written since (which ended the lease too), leaves nothing to do: a lease runs out on its own.
     */
    private void putBack(JobId id) {
        boolean leased;
        synchronized (inHand) {
            leased = leasedInHand.remove(id);
        }
        try {
            if (leased) {
                stores.jobs().find(id).ifPresent(stores.jobs()::update);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: the lease taken during its step is not given back ({1}); "
                    + "the job is looked at again within {2}", id.display(), e.toString(), LEASE);
        } finally {
            synchronized (inHand) {
                inHand.remove(id);
            }
        }
    }

    /**
     * Voids holds past their deadline and fails their jobs; an admin's Stars refund cut off so is told to the admins.
     * Then reads the oldest hold it left past its deadline ({@link OverdueHolds}: one WARNING when one stays overdue
     * longer than {@link OverdueHolds#WARN_AFTER}, an INFO when none does any more).
     *
     * @param limit the most holds to void in this run; the rest wait for the next
     * @return holds expired
     */
    public int sweepExpiredHolds(int limit) {
        Instant now = clock.instant();
        List<String> expired = stores.ledger().expire(now, limit);
        overdueHolds.afterSweep(now, expired.size(), limit); // never throws: the expired holds' jobs fail below
        for (String holdId : expired) {
            // a job still SUBMITTING was cut off mid-send (the bot down past its hold's deadline): its task may exist
            // at Kie, which charged for it, so the operator is told as when the worker finds it (advance)
            JobId.parse(holdId).flatMap(stores.jobs()::find).ifPresent(j -> {
                generations.fail(j.id(), "error.provider_timeout", JobNote.HOLD_EXPIRED.with())
                        .filter(failed -> j.state() == JobState.SUBMITTING && !submission.forgetRefusedUnsent(j.id()))
                        .ifPresent(failed -> rescue.reconcileCutOff(failed, rescue.waitedFor(failed)));
                submission.endedUnsent(j.id(), "its hold expired, " + j.state());
            });
            starsRefunds.holdExpired(holdId);
            // the money back on the wallet: what a Stars refund reported while it was held is owed goes to the Stars
            // (its own transaction, as the expiry was; stopped in between, the sweep below settles it next time)
            stores.transactions().inOne(() -> {
                heldRefunds.settle(holdId);
                return null;
            });
        }
        // holds resolved without settling (by the build before this one, or a stop right after an expiry)
        heldRefunds.sweep(limit);
        return expired.size();
    }

    /** The holds {@link #sweepExpiredHolds} leaves past their deadline: {@link Shop#overdueHolds()}. */
    OverdueHolds overdueHolds() {
        return overdueHolds;
    }

    /**
     * A provider callback named this task: re-read it (never trust the callback body) and act.
     *
     * @param taskId the provider's task id as the callback gave it; one no job stored changes nothing
     */
    public void checkTask(String taskId) {
        checkTask(taskId, Optional.empty());
    }

    /**
     * A provider callback named this task, and its address named {@code namedJob} (the {@link CallbackUrl#PARAMETER}
     * of the URL it was called at, as the callback's sender chose it: a hint, not a proof). The task is re-read from
     * the provider and its job moved on; a task no job has stored is given to the named job only as
     * {@link CallbackRescue#adopt} allows.
     *
     * <p>It calls the provider: run it off the thread that answers the provider's request. A callback repeated reads
     * the task again and moves its job on at most once; one for a job already delivered or failed changes nothing.
     *
     * @param taskId   the provider's task id as the callback gave it
     * @param namedJob the {@code job} parameter of the callback's address ({@code gen_12}), empty when it had none
     */
    public void checkTask(String taskId, Optional<String> namedJob) {
        java.util.Objects.requireNonNull(taskId, "worker().checkTask: taskId, the provider's task id as the callback "
                + "gave it, never null");
        java.util.Objects.requireNonNull(namedJob, "worker().checkTask: namedJob, the callback address's job "
                + "parameter, Optional.empty() when it had none");
        unheard.callbackCame();
        Optional<Job> found = stores.jobs().findByTaskId(taskId);
        if (found.isEmpty() && submittedWrites.unstoredTask(taskId)) {
            submittedWrites.storeUnstoredTasks(); // the callback came before the database took the task id back
            found = stores.jobs().findByTaskId(taskId);
        }
        Optional<JobId> named = namedJob.flatMap(JobId::parse);
        if (found.isEmpty() && named.isPresent()) {
            found = rescue.adopt(named.get(), taskId); // says why when it takes nothing
        } else if (found.isEmpty()) {
            // dropped without a word before: a task this shop never made, or one an older build sent with an address
            // naming no job (before ?job=), whose job waits for nothing that can find it and is refunded at its
            // deadline; the operator reading why a result never came has this line to go on
            // at most once a minute with a count: a leaked callback token let anyone write a line a request
            unknownTasks.came().ifPresent(n -> LOG.log(System.Logger.Level.INFO, "a callback for provider task {0}, "
                    + "which no job holds, whose address names {1}; ignored ({2} such since this line was last "
                    + "said, at most once a minute)", taskId, namedJob.isPresent() ? "no job id of ours" : "no job", n));
        }
        found.ifPresent(job -> {
            if (job.state().awaitsResult()) {
                taskPolls.poll(job);
            } else {
                taskPolls.doneAfterRefund(job);
            }
        });
    }

    /** The jobs in a spell of refused sends this worker keeps ({@link RefusedSends}; for tests). */
    int refusedSendSpellsKept() {
        return submission.refusedSendSpellsKept();
    }

    /** The spells of failed reads at the deadline this worker keeps ({@link TaskPolls}; for tests). */
    int failedLastReadSpellsKept() {
        return taskPolls.spellsKept();
    }

    /**
     * Whether a task the provider says it does not know (a {@code ProviderException} of kind
     * {@link ErrorKind#NOT_FOUND}) is read again rather than given up: within {@link #NOT_FOUND_GRACE} of its
     * submission, while Kie's status store may still be catching up. The one rule for the worker and the runtime's
     * start-up smoke test.
     *
     * @param submittedAt when the task was submitted (the job's creation when it has no submission time)
     * @param now         the business clock's instant
     * @return true while within the grace: read the task again later
     */
    public static boolean readAgainWhenNotFound(Instant submittedAt, Instant now) {
        return now.isBefore(submittedAt.plus(NOT_FOUND_GRACE));
    }

    void advance(Job job) {
        Instant now = clock.instant();
        if (job.pastDeadline(now) && job.state() != JobState.SUCCEEDED) {
            String detail = JobNote.DEADLINE_IN_STATE.with(job.state());
            submission.endedUnsent(job.id(), "its deadline, " + job.state());
            if (job.state() == JobState.HELD) {
                // one whose input could not be downloaded at its last try waited for Telegram, not for the model:
                // that try kept what its deadline tells on the job (Job.failsAtDeadlineWith)
                generations.failUnsent(job.id(), job.failure().orElse(ErrorKind.TIMEOUT.messageKey()), detail);
            } else if (job.state() == JobState.SUBMITTING) {
                if (submittedWrites.unstoredTask(job.id())) {
                    return; // the provider took it: stored at the next pass, then read once more before any refund
                }
                if (submission.forgetRefusedUnsent(job.id())) {
                    generations.fail(job.id(), ErrorKind.TIMEOUT.messageKey(), detail); // never at Kie: no reconcile
                    return;
                }
                // cut off mid-send and found only after the deadline (the bot down meanwhile, or sent in its last
                // minutes): the task may exist at Kie, which charged for it. Refunded by the deadline alone, the
                // operator heard nothing of it, unlike a job found so before its deadline
                Optional<String> waitedFor = rescue.waitedFor(job);
                // one that waited since a restart cut its send off failed as such, not as the model too slow: a
                // restart cutting off a few sends of one model is no sign of it down at Kie (ModelFailures)
                String reason = waitedFor.filter(JobNote.SUBMITTING_AT_RESTART.with()::equals).isPresent()
                        ? "error.provider_uncertain" : ErrorKind.TIMEOUT.messageKey();
                generations.failCutOff(job.id(), reason, detail)
                        .ifPresent(failed -> rescue.reconcileCutOff(failed, waitedFor));
            } else if (job.state().awaitsResult() && taskPolls.completedAtLastLook(job)) {
                return;
            } else {
                generations.fail(job.id(), ErrorKind.TIMEOUT.messageKey(), detail);
            }
            return;
        }
        switch (job.state()) {
            case HELD -> submission.submit(job);
            case SUBMITTING -> {
                if (submittedWrites.unstoredTask(job.id())) {
                    return; // the provider took it: its task id waits for the database, written at the next pass
                }
                if (submission.refusedUnsent(job.id())) {
                    // the provider refused it: not at Kie
                    submission.sendAgainLater(job, "the write back to HELD failed before");
                    return;
                }
                // We crashed after writing SUBMITTING: the task may or may not exist at Kie. Failed only while it
                // still has no task: Kie's callback may have found it since this job was leased (checkTask)
                if (rescue.awaitCallback(job, JobNote.SUBMITTING_AT_RESTART.with(), false)) {
                    return;
                }
                generations.failCutOff(job.id(), "error.provider_uncertain", JobNote.SUBMIT_INTERRUPTED.with())
                        .ifPresent(failed -> reconciliations.reconcile(failed,
                                JobNote.SUBMITTING_AT_RESTART.with()));
            }
            case SUBMITTED, RUNNING -> {
                if (taskPolls.poll(job)) {
                    unheard.finishedByRead();
                }
            }
            case SUCCEEDED -> delivery.deliver(job);
            default -> {
                // CREATED jobs are not leased; terminal jobs need nothing
            }
        }
    }
}
