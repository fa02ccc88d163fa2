package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.FileSource;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.jobs.CallbackUrl;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.PollPolicy;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskOrigin;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Moves leased jobs forward: upload inputs, submit once, poll, deliver. Every path ends in
 * DELIVERED or FAILED-with-refund, also after a crash: a job is leased again when its lease
 * runs out, and a job caught between "sending" and "sent" is refunded, never sent twice.
 *
 * <p>A partner calls {@link #checkTask} when the provider reports a task done (see {@code Shop.Builder.callbackUrl});
 * {@link ShopWork} runs the rest. {@link #runOnce} and {@link #sweepExpiredHolds} are for a runner that schedules the
 * work itself ({@link ShopWork.Parts#advanceJobs()} and {@code shop.upkeep()} run them) and for tests.
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
     * while Kie made it, its task id then stored nowhere. The Kie adapter's defaults take at most about 2.5 minutes
     * (10 s for its limiter, 3 attempts of 10 s to connect and 30 s to answer, the backoffs between).
     */
    public static final Duration SUBMIT_WINDOW = Duration.ofMinutes(5);
    /** The audit action of a job waiting for Kie's callback to find its task ({@link #awaitCallback}). */
    static final String AWAITING_CALLBACK = "gen.awaiting_callback";
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
     * The next createTask after one the provider refused without taking it ({@link #sendAgainLater}): its own
     * retries (Kie: 3 attempts within seconds) were spent already, so a little longer than {@link #RETRY}.
     */
    static final Duration SUBMIT_AGAIN = Duration.ofSeconds(15);
    /** Retry delay after a transient problem (download, upload, status read). */
    private static final Duration RETRY = Duration.ofSeconds(5);
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
    private final Catalog catalog;
    private final GenerationProvider provider;
    private final FileSource files;
    private final Generations generations;
    private final PollPolicy polls;
    private final Outbox outbox;
    private final Texts texts;
    private final Clock clock;
    private final Optional<String> callbackUrl;
    private final Progress progress;
    private final StarsRefundDesk starsRefunds;
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
    /**
     * Task ids the provider gave for jobs whose SUBMITTED could not be written, by job ({@link #keepUnstored}):
     * written first at each pass, and looked up by a callback for a task no job has yet. Guarded by itself.
     */
    private final Map<JobId, Unstored> unstored = new LinkedHashMap<>();

    /**
     * Jobs the provider refused without taking them (a 429) whose way back to HELD could not be written (the database
     * lost): still SUBMITTING in the store, they would be refunded as cut off mid-send, with a RECONCILE line and
     * {@code gen.reconcile} for a task that surely does not exist. Written back at their next pass ({@link
     * #sendAgainLater}); at most {@link #UNSTORED_TASKS_MAX}, one process's memory: another instance, or this one
     * restarted, reconciles them as before.
     */
    private final Set<JobId> refusedUnsent = ConcurrentHashMap.newKeySet();

    /** A task the provider took {@code at} for a job that still says SUBMITTING in the store. */
    private record Unstored(String taskId, Instant at) {
    }

    JobWorker(String name, Stores stores, Catalog catalog, GenerationProvider provider, FileSource files,
                     Generations generations, PollPolicy polls, Outbox outbox, Texts texts, Clock clock,
                     Optional<String> callbackUrl, StarsRefundDesk starsRefunds) {
        this.starsRefunds = starsRefunds;
        this.name = name;
        this.stores = stores;
        this.catalog = catalog;
        this.provider = provider;
        this.files = files;
        this.generations = generations;
        this.polls = polls;
        this.outbox = outbox;
        this.texts = texts;
        this.clock = clock;
        this.callbackUrl = callbackUrl;
        this.progress = new Progress(catalog, stores.jobs(), texts, clock);
    }

    /**
     * Leases due jobs and advances each once. May be called on several threads at once (a runner's job threads, so
     * that one slow provider call holds one of them, not every job).
     *
     * @return how many jobs were looked at
     */
    public int runOnce(int limit) {
        storeUnstoredTasks();
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
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, job.id().display() + ": worker step failed, will retry", e);
            } finally {
                putBack(job.id());
            }
        }
        return due.size();
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
     *
     * @return holds expired
     */
    public int sweepExpiredHolds(int limit) {
        List<String> expired = stores.ledger().expire(clock.instant(), limit);
        for (String holdId : expired) {
            // a job still SUBMITTING was cut off mid-send (the bot down past its hold's deadline): its task may exist
            // at Kie, which charged for it, so the operator is told as when the worker finds it (advance)
            JobId.parse(holdId).flatMap(stores.jobs()::find).ifPresent(j -> generations.fail(j.id(),
                    "error.provider_timeout", JobNote.HOLD_EXPIRED.with())
                    .filter(failed -> j.state() == JobState.SUBMITTING && !refusedUnsent.remove(j.id()))
                    .ifPresent(failed -> reconcileCutOff(failed, waitedFor(failed))));
            starsRefunds.holdExpired(holdId);
        }
        return expired.size();
    }

    /** A provider callback named this task: re-read it (never trust the callback body) and act. */
    public void checkTask(String taskId) {
        checkTask(taskId, Optional.empty());
    }

    /**
     * A provider callback named this task, and its address named {@code namedJob} (the {@link CallbackUrl#PARAMETER}
     * of the URL it was called at, as the callback's sender chose it: a hint, not a proof). The task is re-read from
     * the provider and its job moved on; a task no job has stored is given to the named job only as {@link #adopt}
     * allows.
     */
    public void checkTask(String taskId, Optional<String> namedJob) {
        Optional<Job> found = stores.jobs().findByTaskId(taskId);
        if (found.isEmpty() && unstoredTask(taskId)) {
            storeUnstoredTasks(); // the callback came before the database took the task id back
            found = stores.jobs().findByTaskId(taskId);
        }
        if (found.isEmpty() && namedJob.isPresent()) {
            found = JobId.parse(namedJob.get()).flatMap(id -> adopt(id, taskId));
        }
        found.ifPresent(job -> {
            if (job.state().awaitsResult()) {
                poll(job);
            }
        });
    }

    /**
     * A task no job stored, called back for job {@code id}: the process was cut off (killed, or its database lost)
     * between the provider's answer to createTask and the write of the task id, so the job still says SUBMITTING with
     * no task. Left so, it was refunded after {@link #SUBMIT_WINDOW} as cut off mid-send, with a RECONCILE line, while
     * the provider made the result and charged the shop for it. The callback is not believed: the task is read back
     * from the provider with the shop's own key, and the job takes it only when the provider keeps it as made with
     * this job's callback URL and of its model, and the job is still SUBMITTING with no task (compare-and-set). Its
     * result then goes the normal way (delivered and charged, or failed and refunded). Anything else changes nothing.
     *
     * @return the job with the task stored, when it took it
     */
    private Optional<Job> adopt(JobId id, String taskId) {
        Optional<Job> found = stores.jobs().find(id);
        if (found.isEmpty() || found.get().state() != JobState.SUBMITTING || found.get().taskId().isPresent()
                || unstoredTask(id) || callbackUrl.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: a callback for Kie task {1}, which no job has, names this job, "
                    + "which is not waiting for a task; ignored", id.display(), taskId);
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
            LOG.log(System.Logger.Level.WARNING, "{0}: reading Kie task {1}, which a callback names for this job, "
                    + "failed ({2}); not taken", id.display(), taskId, e.toString());
            return Optional.empty();
        }
        TaskOrigin expected = new TaskOrigin(model.get().kieModel(), CallbackUrl.forJob(callbackUrl.get(), job));
        if (origin.isEmpty() || !origin.get().equals(expected)) {
            LOG.log(System.Logger.Level.WARNING, "{0}: Kie task {1}, which a callback names for this job, was not made "
                    + "for it ({2}); not taken", id.display(), taskId,
                    origin.map(o -> "made of " + o.model() + " for another address").orElse("Kie keeps no origin"));
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<Job> taken = stores.transactions().inOne(() -> {
            Optional<Job> stored = stores.jobs().transition(id,
                    j -> j.state() == JobState.SUBMITTING && j.taskId().isEmpty(),
                    j -> j.submitted(taskId, now).checkAgainIn(now, delay(j, 0, Duration.ZERO)));
            stored.ifPresent(this::showProgress);
            return stored;
        });
        taken.ifPresent(j -> {
            LOG.log(System.Logger.Level.INFO, "{0}: Kie task {1}, whose id was never stored, found by its callback "
                    + "and taken", id.display(), taskId);
            generations.audit(j, "gen.submitted", "task " + taskId);
        });
        return taken;
    }

    void advance(Job job) {
        Instant now = clock.instant();
        if (job.pastDeadline(now) && job.state() != JobState.SUCCEEDED) {
            String detail = JobNote.DEADLINE_IN_STATE.with(job.state());
            if (job.state() == JobState.HELD) {
                generations.failUnsent(job.id(), ErrorKind.TIMEOUT.messageKey(), detail);
            } else if (job.state() == JobState.SUBMITTING) {
                if (unstoredTask(job.id())) {
                    return; // the provider took it: stored at the next pass, then read once more before any refund
                }
                if (refusedUnsent.remove(job.id())) {
                    generations.fail(job.id(), ErrorKind.TIMEOUT.messageKey(), detail); // never at Kie: no reconcile
                    return;
                }
                // cut off mid-send and found only after the deadline (the bot down meanwhile, or sent in its last
                // minutes): the task may exist at Kie, which charged for it. Refunded by the deadline alone, the
                // operator heard nothing of it, unlike a job found so before its deadline
                Optional<String> waitedFor = waitedFor(job);
                // one that waited since a restart cut its send off failed as such, not as the model too slow: a
                // restart cutting off a few sends of one model is no sign of it down at Kie (ModelFailures)
                String reason = waitedFor.filter(JobNote.SUBMITTING_AT_RESTART.with()::equals).isPresent()
                        ? "error.provider_uncertain" : ErrorKind.TIMEOUT.messageKey();
                generations.failCutOff(job.id(), reason, detail)
                        .ifPresent(failed -> reconcileCutOff(failed, waitedFor));
            } else if (job.state().awaitsResult() && completedAtLastLook(job)) {
                return;
            } else {
                generations.fail(job.id(), ErrorKind.TIMEOUT.messageKey(), detail);
            }
            return;
        }
        switch (job.state()) {
            case HELD -> submit(job);
            case SUBMITTING -> {
                if (unstoredTask(job.id())) {
                    return; // the provider took it: its task id waits for the database, written at the next pass
                }
                if (refusedUnsent.contains(job.id())) {
                    sendAgainLater(job, "the write back to HELD failed before"); // the provider refused it: not at Kie
                    return;
                }
                // We crashed after writing SUBMITTING: the task may or may not exist at Kie. Failed only while it
                // still has no task: Kie's callback may have found it since this job was leased (checkTask)
                if (awaitCallback(job, JobNote.SUBMITTING_AT_RESTART.with(), false)) {
                    return;
                }
                generations.failCutOff(job.id(), "error.provider_uncertain", JobNote.SUBMIT_INTERRUPTED.with())
                        .ifPresent(failed -> reconcile(failed, JobNote.SUBMITTING_AT_RESTART.with()));
            }
            case SUBMITTED, RUNNING -> poll(job);
            case SUCCEEDED -> deliver(job);
            default -> {
                // CREATED jobs are not leased; terminal jobs need nothing
            }
        }
    }

    /**
     * A job still SUBMITTING with no task whose createTask may have reached Kie: cut off mid-send (found so when its
     * send's window ended) or unanswered in time. Kie may have made its task, and then calls back when the task ends,
     * naming the job ({@link #checkTask(String, Optional)}), which takes it. With a callback address the job waits for
     * that call until its deadline, its money held and its user told so, and is refunded then (with the RECONCILE
     * line) if none came; failed at once, the user was refunded for a result Kie made and charged the shop for, which
     * a video (longer than the window) always was. Without a callback address nothing can find the task.
     * {@code unanswered} (a createTask the provider did not answer, not a send a restart cut off) counts as the
     * provider's timeout toward {@link ModelFailures} as the wait begins, not at the deadline.
     *
     * @return false when the job cannot wait (no callback address, or its deadline passed while the createTask was
     *         unanswered, whose wait would be a line that the money comes back «in 1 minute» before the refund's): the
     *         caller fails it
     */
    private boolean awaitCallback(Job job, String why, boolean unanswered) {
        if (callbackUrl.isEmpty() || job.pastDeadline(clock.instant())) {
            return false;
        }
        Optional<Job> waiting = stores.transactions().inOne(() -> {
            Optional<Job> moved = stores.jobs().transition(job.id(),
                    j -> j.state() == JobState.SUBMITTING && j.taskId().isEmpty() && !j.awaitsTask(), Job::awaitingTask);
            moved.ifPresent(j -> generations.status(j, generations.awaitingProviderStatus(j, clock.instant()),
                    Keyboard.NONE));
            if (unanswered) {
                moved.ifPresent(generations::unanswered); // told as the provider's timeout now, not at the deadline
            }
            return moved;
        });
        waiting.ifPresent(j -> {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}; waiting for Kie''s callback until the deadline {2}, then "
                    + "refunded", j.id().display(), why, j.deadline());
            generations.audit(j, AWAITING_CALLBACK, why);
        });
        // waiting (since now, or already: another instance's worker found the send cut off while a createTask of a
        // long KIE_REQUEST_TIMEOUT_MS was still out, and the user was told once), or moved meanwhile by the path that
        // found its task: nothing to fail either way
        return true;
    }

    /**
     * Why a job with no task waited for Kie's callback ({@link #awaitCallback}: a createTask Kie did not answer, or a
     * send cut off), if it did: what its RECONCILE line says. Said as "cut off" for every such job, a createTask
     * unanswered in time sent the operator after a restart that never was.
     */
    private Optional<String> waitedFor(Job job) {
        return stores.audit().byCorrelation(job.id().display()).stream()
                .filter(e -> e.action().equals(AWAITING_CALLBACK)).map(AuditEvent::detail)
                .reduce((first, last) -> last);
    }

    /**
     * The RECONCILE line of a job failed with no task after it may have reached Kie: why it waited
     * ({@link #waitedFor}, read once by the caller), else cut off mid-send.
     */
    private void reconcileCutOff(Job failed, Optional<String> waitedFor) {
        reconcile(failed, waitedFor.orElse(JobNote.SUBMITTING_AT_RESTART.with()));
    }

    /**
     * A job at Kie past its deadline is read once more before it is refunded: its next read may have been due only
     * after the deadline, and a task Kie finished meanwhile, refunded unread, left the user without the result the
     * shop paid Kie for. The hold outlives the deadline ({@code ShopSettings.HOLD_MARGIN}), so the result is still
     * paid for by it. A task Kie calls done without a result is refunded here as well, and the operator told as after
     * the further reads ({@link #resultMissing}): Kie charged for it. @return true if this look settled the job (the
     * task had succeeded: completed and delivered; or done without a result: failed, the operator told)
     */
    private boolean completedAtLastLook(Job job) {
        Optional<Model> model = catalog.model(job.modelId());
        if (model.isEmpty() || job.taskId().isEmpty()) {
            return false;
        }
        TaskStatus status;
        try {
            status = provider.statusOnce(model.get(), job.taskId().get());
        } catch (ProviderException | RuntimeException e) {
            // a provider's fault too (a Succeeded without URLs, refused when made; a bug): thrown from here at every
            // pass, it kept a paid job open until its hold expired, and a free job, no hold to expire, for ever
            LOG.log(System.Logger.Level.WARNING, "{0}: last status read at the deadline failed: {1}",
                    job.id().display(), e.toString());
            return false;
        }
        if (status instanceof TaskStatus.Succeeded s) {
            complete(job, s);
            return true;
        }
        if (status instanceof TaskStatus.PartlyDone p) {
            // the rest never came in the job's time: what is done is delivered and charged, not refunded whole. Kie
            // charged the shop for the task and a song of it exists; refunded, the user lost it and the shop paid for
            // it. The user is told the rest did not come out. One post of the hold, as for any success
            complete(job, p.soFar());
            return true;
        }
        if (status instanceof TaskStatus.ResultMissing m) {
            generations.fail(job.id(), ErrorKind.TIMEOUT.messageKey(), JobNote.DEADLINE_KIE.with(m.detail()))
                    .ifPresent(failed -> reconcile(failed,
                            JobNote.TASK_DONE_WITHOUT_RESULT_AT_DEADLINE.with(job.taskId().get())));
            return true;
        }
        return false;
    }

    /**
     * The longest clip a field takes, when its price assumes it (an audio or video field with a length limit): the
     * length Telegram reported when the user sent it was the sender's client's word, so the file itself is measured.
     */
    private static OptionalInt clipLimit(Model model, String fieldName) {
        return model.field(fieldName).filter(f -> f.type() == FieldType.AUDIO || f.type() == FieldType.VIDEO
                || f.type() == FieldType.VIDEOS).map(InputField::maxLength).orElse(OptionalInt.empty());
    }

    /**
     * Why a clip {@link ClipLength} measured is not sent at the price of {@code seconds}: longer, or of a length it
     * cannot read (a second is given for a length rounded down to whole seconds when it was reported). Empty when it
     * may go.
     */
    private static Optional<String> clipRefused(OptionalDouble measured, int seconds) {
        if (measured.isEmpty()) {
            return Optional.of(Msg.ERROR_CLIP_UNREADABLE.key());
        }
        return measured.getAsDouble() > seconds + 1 ? Optional.of(Msg.ERROR_CLIP_TOO_LONG.key()) : Optional.empty();
    }

    private void submit(Job job) {
        Optional<Model> model = catalog.model(job.modelId());
        // failures before the send fail only a job still unsent: another worker whose lease outlived this one's may
        // have it on its way to Kie
        if (model.isEmpty()) {
            generations.failUnsent(job.id(), "error.provider_unavailable", JobNote.MODEL_GONE.with());
            return;
        }
        Map<String, List<String>> urls = new HashMap<>();
        try {
            for (Map.Entry<String, List<String>> field : job.files().entrySet()) {
                List<String> uploaded = new ArrayList<>();
                OptionalInt longest = clipLimit(model.get(), field.getKey());
                for (String fileId : field.getValue()) {
                    FileSource.DownloadedFile f = files.download(fileId);
                    if (longest.isPresent()) {
                        OptionalDouble measured = ClipLength.seconds(f.content());
                        Optional<String> refused = clipRefused(measured, longest.getAsInt());
                        if (refused.isPresent()) {
                            generations.failUnsent(job.id(), refused.get(), measured.isPresent()
                                    ? JobNote.CLIP_MEASURED.with(Math.round(measured.getAsDouble()), longest.getAsInt())
                                    : JobNote.CLIP_UNREADABLE.with(longest.getAsInt()));
                            return;
                        }
                    }
                    uploaded.add(provider.upload(f.content(), f.fileName(), f.mimeType()));
                }
                urls.put(field.getKey(), uploaded);
            }
        } catch (FileSource.FileTooLargeException e) {
            generations.failUnsent(job.id(), "input.file_too_large", e.getMessage());
            return;
        } catch (IOException e) {
            retryLater(job, "download failed: " + e.getMessage());
            return;
        } catch (ProviderException e) {
            if (e.kind().retryable()) {
                retryLater(job, "upload failed: " + e.getMessage());
            } else {
                generations.providerRefused(e.kind());
                generations.failUnsent(job.id(), e.kind().messageKey(), e.getMessage());
            }
            return;
        }
        // from the job as it is now: its status message's id may have been kept while the inputs went up
        Instant sentBy = clock.instant().plus(SUBMIT_WINDOW);
        Optional<Job> sending = stores.jobs().transition(job.id(), j -> j.state() == JobState.HELD,
                j -> j.submittingUntil(sentBy));
        if (sending.isEmpty()) {
            return; // cancelled, or taken to Kie by another worker meanwhile
        }
        String taskId;
        try {
            taskId = provider.submit(new SubmitRequest(model.get(), job.values(), urls,
                    callbackUrl.map(base -> CallbackUrl.forJob(base, job)), job.id().display()));
        } catch (ProviderException e) {
            if (!e.mayHaveReachedProvider() && e.kind().retryable()) {
                sendAgainLater(job, e.kind() + ": " + e.getMessage());
                return;
            }
            generations.providerRefused(e.kind());
            // no answer in time, or the connection lost after the send: Kie may well have made the task (a slow
            // answer is a busy Kie, not a refusal). An answer Kie gave (a 500, a garbled body) does not wait
            if (e.mayHaveReachedProvider() && (e.kind() == ErrorKind.TIMEOUT || e.kind() == ErrorKind.CONNECT)
                    && awaitCallback(job, JobNote.CREATE_OUTCOME_UNKNOWN.with(e.getMessage()), true)) {
                return;
            }
            // the RECONCILE line only with the failure: a callback that took the task meanwhile leaves nothing to claim
            generations.failCutOff(job.id(), e.kind().messageKey(), e.getMessage())
                    .filter(failed -> e.mayHaveReachedProvider())
                    .ifPresent(failed -> reconcile(failed, JobNote.CREATE_OUTCOME_UNKNOWN.with(e.getMessage())));
            return;
        }
        generations.providerAccepted();
        Instant now = clock.instant();
        Duration pause = STORE_TASK_FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                storeSubmitted(job.id(), taskId, now);
                return;
            } catch (RuntimeException e) {
                // the task exists at the provider and its id is only here: tried again, never given up for a blip
                if (attempt >= STORE_TASK_ATTEMPTS || !clock.instant().plus(pause).isBefore(sentBy)
                        || !pause(pause)) {
                    keepUnstored(job.id(), taskId, now, e);
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "{0}: storing Kie task {1} failed ({2}); trying again in {3}",
                        job.id().display(), taskId, e.toString(), pause);
                pause = pause.multipliedBy(2);
            }
        }
    }

    /**
     * The provider refused the createTask and surely never took it (a 429, a 503, a connect failure, the local limit):
     * back to HELD, sent again {@link #SUBMIT_AGAIN} later, and failed with a refund only at the job's deadline, as
     * any job not yet sent. Failed at once, a rate-limit burst of seconds refunded every order placed in it. Only a
     * job still SUBMITTING goes back (compare-and-set): a Cancel or an admin's refund meanwhile stays.
     */
    private void sendAgainLater(Job job, String refusal) {
        Instant next = clock.instant().plus(SUBMIT_AGAIN);
        Optional<Job> back;
        try {
            back = stores.jobs().transition(job.id(), j -> j.state() == JobState.SUBMITTING, j -> j.unsent(next));
        } catch (RuntimeException lost) {
            // remembered, so that its next pass writes it back rather than refunding it as cut off mid-send
            if (refusedUnsent.size() < UNSTORED_TASKS_MAX) {
                refusedUnsent.add(job.id());
            }
            throw lost;
        }
        refusedUnsent.remove(job.id());
        if (back.isPresent()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: the provider refused createTask ({1}), which it did not "
                    + "take; sending it again after {2}", job.id().display(), refusal, SUBMIT_AGAIN);
        }
    }

    /**
     * SUBMITTING → SUBMITTED with the provider's task id, and its status line, in one transaction, as in poll: a
     * result or failure that comes at once (a callback) waits for it, so "queued at the AI service" can no longer
     * follow the result or the refund. A job no longer SUBMITTING (failed as cut off mid-send by another instance,
     * after {@link #SUBMIT_WINDOW}) is told to the operator: the task exists and was not stored.
     *
     * @throws RuntimeException when the store fails (the database lost): nothing was written
     */
    private void storeSubmitted(JobId id, String taskId, Instant at) {
        Optional<Job> sent = stores.transactions().inOne(() -> {
            Optional<Job> stored = stores.jobs().transition(id, j -> j.state() == JobState.SUBMITTING,
                    j -> j.submitted(taskId, at).checkAgainIn(at, delay(j, 0, Duration.ZERO)));
            stored.ifPresent(this::showProgress);
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
            now.ifPresent(j -> reconcile(j, JobNote.CREATED_TOO_LATE.with(taskId, state)));
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
            kept = unstored.size() < UNSTORED_TASKS_MAX;
            if (kept) {
                unstored.put(id, new Unstored(taskId, at));
            }
        }
        LOG.log(System.Logger.Level.WARNING, "{0}: RECONCILE Kie task {1} was created but could not be stored ({2}); "
                + (kept ? "kept in memory and stored at the next pass" : "too many unstored tasks: not kept"),
                id.display(), taskId, e.toString());
    }

    /** Writes the task ids {@link #keepUnstored} kept, oldest first; stops at the first that fails (still lost). */
    private void storeUnstoredTasks() {
        while (true) {
            Map.Entry<JobId, Unstored> next;
            synchronized (unstored) {
                if (unstored.isEmpty()) {
                    return;
                }
                next = unstored.entrySet().iterator().next();
            }
            try {
                storeSubmitted(next.getKey(), next.getValue().taskId(), next.getValue().at());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: storing Kie task {1} failed again ({2}); kept for the "
                        + "next pass", next.getKey().display(), next.getValue().taskId(), e.toString());
                return;
            }
            LOG.log(System.Logger.Level.INFO, "{0}: Kie task {1} stored after all", next.getKey().display(),
                    next.getValue().taskId());
            synchronized (unstored) {
                unstored.remove(next.getKey());
            }
        }
    }

    private boolean unstoredTask(JobId id) {
        synchronized (unstored) {
            return unstored.containsKey(id);
        }
    }

    private boolean unstoredTask(String taskId) {
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

    private void poll(Job job) {
        Optional<Model> known = catalog.model(job.modelId());
        if (known.isEmpty()) {
            // a release dropped the model while its job ran: which of Kie's APIs to ask about the task went with it.
            // Thrown here, every pass failed until the deadline; the operator is told the task to look up at Kie
            reconcile(job, JobNote.TASK_OF_MODEL_GONE.with(job.taskId().orElse("?"), job.modelId()));
            generations.fail(job.id(), "error.provider_unavailable", JobNote.MODEL_GONE.with());
            return;
        }
        Model model = known.get();
        TaskStatus status;
        try {
            status = provider.statusOnce(model, job.taskId().orElseThrow());
        } catch (ProviderException e) {
            if (e.kind() == ErrorKind.GENERATION_FAILED) {
                // Kie answered the read itself with "generation failed": the task is over, waiting for the deadline
                // only kept the user 10-30 minutes from a failure already known
                generations.fail(job.id(), e.kind().messageKey(), e.getMessage());
            } else if (e.kind() == ErrorKind.NOT_FOUND) {
                taskNotFound(job, e);
            } else {
                retryLater(job, "status read failed: " + e.getMessage());
            }
            return;
        }
        if (status instanceof TaskStatus.Succeeded s) {
            complete(job, s);
        } else if (status instanceof TaskStatus.Failed f) {
            generations.fail(job.id(), f.kind().messageKey(), f.detail());
        } else if (status instanceof TaskStatus.ResultMissing m) {
            resultMissing(job, m);
        } else {
            Job next = job.checkAgainIn(clock.instant(), nextRead(job, clock.instant()));
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
    }

    /**
     * Whether a task the provider says it does not know (a {@code ProviderException} of kind
     * {@link ErrorKind#NOT_FOUND}) is read again rather than given up: within {@link #NOT_FOUND_GRACE} of its
     * submission, while Kie's status store may still be catching up. The one rule for the worker and the runtime's
     * start-up smoke test.
     */
    public static boolean readAgainWhenNotFound(Instant submittedAt, Instant now) {
        return now.isBefore(submittedAt.plus(NOT_FOUND_GRACE));
    }

    /**
     * Kie says it does not know the task. Within {@link #NOT_FOUND_GRACE} of the submission the task is read again on
     * the poll policy's schedule; after it the job fails and is refunded, and the operator is told Kie lost the task.
     * The failure goes the way of every other ({@link Generations#fail}): a job that succeeded meanwhile (a callback,
     * another worker) stays paid for and delivered, and a job failed twice is refunded once.
     */
    private void taskNotFound(Job job, ProviderException e) {
        Instant now = clock.instant();
        String taskId = job.taskId().orElse("?");
        if (readAgainWhenNotFound(job.submittedOrCreatedAt(), now)) {
            LOG.log(System.Logger.Level.WARNING, "{0}: Kie does not know task {1} yet ({2}); reading it again",
                    job.id().display(), taskId, e.getMessage());
            stores.jobs().update(job.checkAgainIn(now, nextRead(job, now)));
            return;
        }
        generations.fail(job.id(), ErrorKind.NOT_FOUND.messageKey(), JobNote.KIE_LOST.with(e.getMessage()))
                .ifPresent(failed -> reconcile(failed,
                        JobNote.TASK_LOST.with(taskId, NOT_FOUND_GRACE.toMinutes())));
    }

    /**
     * Kie says the task is done but gave nothing to deliver: read again, at most {@link #RESULT_MISSING_READS_MAX}
     * times, then fail and refund as for any failed task. Only reads in the job's turn count: a callback's read out of
     * turn leaves the job to its schedule, so a callback delivered twice does not spend the reads meant to give Kie
     * time.
     */
    private void resultMissing(Job job, TaskStatus.ResultMissing m) {
        Instant now = clock.instant();
        if (now.isBefore(job.nextCheckAt())) {
            return;
        }
        if (job.resultMissingReads() >= RESULT_MISSING_READS_MAX) {
            int reads = job.resultMissingReads() + 1;
            // the user gets the money back, but Kie has charged the shop for a task it reports done: the operator
            // learns of it, to claim the credits back from Kie with the task id
            generations.fail(job.id(), ErrorKind.GENERATION_FAILED.messageKey(),
                    JobNote.DONE_WITHOUT_RESULT_READS.with(m.detail(), reads))
                    .ifPresent(failed -> reconcile(failed,
                            JobNote.TASK_DONE_WITHOUT_RESULT.with(job.taskId().orElse("?"), reads)));
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "{0}: Kie task {1} done without a result ({2}); reading it again",
                job.id().display(), job.taskId().orElse("?"), m.detail());
        stores.jobs().update(job.resultMissing(now, nextRead(job, now)));
    }

    private Duration nextRead(Job job, Instant now) {
        return delay(job, job.polls(), Duration.between(job.createdAt(), now));
    }

    /**
     * The poll policy's delay, when it is one: a partner's own policy that answers {@code null} or a negative delay
     * would otherwise fail every pass over the job or make it due at once for ever (a status read after every other,
     * for as long as the task runs). Such an answer is logged and replaced by {@link #POLICY_FALLBACK}.
     */
    private Duration delay(Job job, int reads, Duration elapsed) {
        Duration d = polls.nextDelay(reads, elapsed);
        if (d == null || d.isNegative()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: the PollPolicy answered {1} after {2} reads; reading again in "
                    + "{3} instead. A PollPolicy must answer zero or more", job.id().display(), d, reads,
                    POLICY_FALLBACK);
            return POLICY_FALLBACK;
        }
        return d;
    }

    /** The status message follows the job: at each state change, else at most every 15 s ({@link Progress}). */
    private void showProgress(Job job) {
        progress.due(job).ifPresent(text -> generations.status(job, text, Keyboard.NONE));
    }

    /**
     * Marks the job DELIVERED and hands its results to the outbox (which keeps their file ids and falls back to a
     * link only when a result surely did not arrive), then says so in its status — all in one transaction, the mark
     * first. Two paths may hold the same SUCCEEDED job (the callback's thread that completed it, and the worker
     * that leased it meanwhile): only the one whose mark succeeds queues anything, so the user gets the results
     * once; a crash before the commit leaves the job SUCCEEDED with nothing queued, and the next pass delivers it.
     */
    private void deliver(Job job) {
        deliver(job, 0);
    }

    /**
     * {@link #deliver(Job)}, and when the task made fewer results than it was to ({@code missing} above 0), a line
     * after them saying the rest did not come out, queued with them. Only the delivery that follows the completion
     * knows the number; a crash between the two delivers the results at the next pass without that line.
     */
    private void deliver(Job job, int missing) {
        stores.transactions().inOne(() -> {
            stores.jobs().transition(job.id(), j -> j.state() == JobState.SUCCEEDED, Job::delivered)
                    .ifPresent(delivered -> {
                        handOver(delivered);
                        if (missing > 0) {
                            outbox.send(new Reply.SendText(delivered.chatId(), texts.get(delivered.language(),
                                    Msg.JOB_RESULT_SHORT, delivered.id().display(), generations.title(delivered)),
                                    Keyboard.NONE));
                        }
                    });
            return null;
        });
    }

    /** Completes the job with the task's results (the hold posted once) and delivers them. */
    private void complete(Job job, TaskStatus.Succeeded s) {
        generations.complete(job.id(), s.result(), s.chargedUsd()).ifPresent(done -> deliver(done, s.missing()));
    }

    private void handOver(Job job) {
        JobResult result = job.result().orElseThrow();
        String lang = job.language();
        String title = generations.title(job);
        Keyboard again = generations.underResult(job);
        outbox.send(new Reply.ChatAction(job.chatId(), uploadAction(result.kind())));
        // every file, each a message of its own (no album, so no cap of ten), in the provider's order
        for (String url : result.urls()) {
            outbox.result(job, new Reply.SendMedia(job.chatId(), result.kind(), url,
                    generations.caption(job), again),
                    new Reply.SendText(job.chatId(), texts.get(lang, Msg.JOB_RESULT_LINK, job.id().display(), title,
                            url), again));
        }
        generations.audit(job, "gen.delivered", AuditNote.GEN_DELIVERED.with(result.urls().size()));
        generations.status(job, generations.doneStatus(job), Keyboard.NONE);
    }

    /** "uploading a photo…" while the result goes out. */
    static String uploadAction(dev.kiebot.core.jobs.MediaKind kind) {
        return switch (kind) {
            case PHOTO -> "upload_photo";
            case VIDEO -> "upload_video";
            case AUDIO -> "upload_voice";
            case DOCUMENT -> "upload_document";
        };
    }

    private void retryLater(Job job, String why) {
        LOG.log(System.Logger.Level.WARNING, "{0}: {1}; retrying", job.id().display(), why);
        stores.jobs().update(job.checkAgainIn(clock.instant(), RETRY));
    }

    private void reconcile(Job job, String what) {
        LOG.log(System.Logger.Level.WARNING, "{0}: RECONCILE {1}", job.id().display(), what);
        stores.audit().record(new AuditEvent(clock.instant(), "system", "gen.reconcile", what,
                Optional.of(job.id().display())));
    }
}
