package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.CallbackUrl;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitPermit;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.reply.FileSource;
import dev.kiebot.core.text.Msg;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A held job's way to Kie: its inputs downloaded, measured where their length sets the price, and uploaded, the right
 * to send waited for ({@link GenerationProvider#awaitSubmitPermit()}, Kie's rate limit), then its one createTask, in
 * that order. The send is the one step that must never run twice (Kie charges the shop for every task), so it is
 * marked SUBMITTING first (compare-and-set), and only then: whatever waits (uploads, the permit) waits with the job
 * HELD, so that a process cut off there leaves a job simply sent again, and one cut off while SUBMITTING one whose
 * request may well be at Kie. Whatever Kie answers is sorted here: a refusal Kie surely did not take
 * is sent again later ({@link #sendAgainLater}), an answer that may hide a task waits for Kie's callback
 * ({@link CallbackRescue}), a task id goes to the store ({@link SubmittedWrites}).
 */
final class TaskSubmission {
    private static final System.Logger LOG = System.getLogger(JobWorker.class.getName());

    private final Stores stores;
    private final Catalog catalog;
    private final GenerationProvider provider;
    private final FileSource files;
    private final Generations generations;
    private final Clock clock;
    private final Optional<String> callbackUrl;
    private final SubmittedWrites submittedWrites;
    private final CallbackRescue rescue;
    private final TaskPolls taskPolls;
    private final Reconciliations reconciliations;
    /**
     * Jobs the provider refused without taking them (a 429) whose way back to HELD could not be written (the database
     * lost): still SUBMITTING in the store, they would be refunded as cut off mid-send, with a RECONCILE line and
     * {@code gen.reconcile} for a task that surely does not exist. Written back at their next pass ({@link
     * #sendAgainLater}); at most {@link JobWorker#UNSTORED_TASKS_MAX}, one process's memory: another instance, or this
     * one restarted, reconciles them as before.
     */
    private final Set<JobId> refusedUnsent = ConcurrentHashMap.newKeySet();
    /** The inputs of jobs the provider refused unsent, as uploaded: their next sends upload nothing again. */
    private final KeptUploads uploads = new KeptUploads();
    /** Jobs in a spell of sends the provider refused unsent: one WARNING a spell, not one every 1-15 s. */
    private final RefusedSends refusedSends = new RefusedSends();
    /**
     * Jobs in a spell of waits for a permit to send that brought none (the provider's rate limit busy): one INFO line a
     * spell, not one every {@link JobWorker#SUBMIT_AGAIN} per job while the limit stays busy.
     */
    private final JobSpells unpermitted = new JobSpells();
    /** Jobs refunded since the last createTask taken whose createTask Kie answered without a word of the task. */
    private final UnansweredCreates unanswered = new UnansweredCreates();

    TaskSubmission(Stores stores, Catalog catalog, GenerationProvider provider, FileSource files,
                   Generations generations, Clock clock, Optional<String> callbackUrl, SubmittedWrites submittedWrites,
                   CallbackRescue rescue, TaskPolls taskPolls, Reconciliations reconciliations) {
        this.stores = stores;
        this.catalog = catalog;
        this.provider = provider;
        this.files = files;
        this.generations = generations;
        this.clock = clock;
        this.callbackUrl = callbackUrl;
        this.submittedWrites = submittedWrites;
        this.rescue = rescue;
        this.taskPolls = taskPolls;
        this.reconciliations = reconciliations;
    }

    /** Whether the job is one the provider refused unsent whose way back to HELD is still to be written. */
    boolean refusedUnsent(JobId id) {
        return refusedUnsent.contains(id);
    }

    /** Forgets a job {@link #refusedUnsent}, as it fails: @return whether it was one (never at Kie: no reconcile). */
    boolean forgetRefusedUnsent(JobId id) {
        return refusedUnsent.remove(id);
    }

    /**
     * The job left HELD and SUBMITTING other than through {@link #submit} ({@code why}: its deadline, its hold
     * expired): its uploads go, and a spell of refused sends it had ends, given up.
     */
    void endedUnsent(JobId id, String why) {
        uploads.forget(id);
        unpermitted.end(id);
        refusedSends.givenUp(id, why, clock.instant());
    }

    /** How many jobs in a spell of refused sends this worker keeps (for tests). */
    int refusedSendSpellsKept() {
        return refusedSends.kept();
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

    void submit(Job job) {
        Optional<Model> model = catalog.model(job.modelId());
        // failures before the send fail only a job still unsent: another worker whose lease outlived this one's may
        // have it on its way to Kie
        if (model.isEmpty()) {
            generations.failUnsent(job.id(), Msg.ERROR_MODEL_GONE.key(), JobNote.MODEL_GONE.with());
            return;
        }
        Optional<Map<String, String>> values = PaidVariant.values(model.get(), job);
        if (values.isEmpty()) {
            generations.failUnsent(job.id(), Msg.ERROR_VARIANT_GONE.key(), JobNote.VARIANT_GONE.with(job.skuId()));
            return;
        }
        // a job the provider refused unsent is sent again with its inputs as uploaded: a 429 for a minute was as many
        // downloads from Telegram and uploads to Kie of every input as tries (16 for one photo)
        Optional<Map<String, List<String>>> kept = uploads.of(job.id(), clock.instant());
        Map<String, List<String>> urls = new HashMap<>(kept.orElse(Map.of()));
        if (kept.isEmpty() && !upload(job, model.get(), urls)) {
            uploads.forget(job.id());
            return;
        }
        if (kept.isEmpty() && !urls.isEmpty()) {
            uploads.keep(job.id(), urls, clock.instant());
        }
        // the right to send before SUBMITTING: a process cut off while it waits for the provider's rate limit leaves
        // the job HELD, sent again as any, not one whose createTask may be at Kie (held until its deadline for a
        // callback that cannot come, then refunded with a line for the operator)
        Optional<SubmitPermit> permit = provider.awaitSubmitPermit();
        if (permit.isEmpty()) {
            sendLaterUnsent(job);
            return;
        }
        unpermitted.end(job.id()).ifPresent(spell -> LOG.log(System.Logger.Level.INFO, "{0}: a permit to send "
                + "createTask came after {1} waits over {2}", job.id().display(), spell.count(),
                Duration.between(spell.since(), clock.instant())));
        // from the job as it is now: its status message's id may have been kept while the inputs went up
        Instant sentBy = clock.instant().plus(JobWorker.SUBMIT_WINDOW);
        Optional<Job> sending = stores.jobs().transition(job.id(), j -> j.state() == JobState.HELD,
                j -> j.submittingUntil(sentBy));
        if (sending.isEmpty()) {
            uploads.forget(job.id());
            refusedSends.left(job.id(), clock.instant());
            return; // cancelled, or taken to Kie by another worker meanwhile
        }
        String taskId;
        try {
            taskId = provider.submit(new SubmitRequest(model.get(), values.get(), urls,
                    callbackUrl.map(base -> CallbackUrl.forJob(base, job)), job.id().display(), permit));
        } catch (ProviderException e) {
            refused(job, e);
            // after the job's own end, which the alert counts: Kie down for every model is told once (ProviderDown)
            generations.providerFailed(job, e.kind());
            return;
        }
        uploads.forget(job.id());
        refusedSends.taken(job.id(), clock.instant());
        generations.providerAccepted();
        unanswered.end().filter(spell -> spell.count() > 1).ifPresent(spell -> LOG.log(System.Logger.Level.WARNING,
                "RECONCILE {0} jobs since {1} were refunded after Kie answered their createTask without a word of the "
                + "task (see the first one''s line): {2}{3}. Kie takes orders again. Each is a gen.reconcile event "
                + "(/find); only if Kie''s bill shows tasks for them, ask Kie back for those", spell.count(),
                spell.since(), String.join(", ", spell.jobs()), spell.count() > spell.jobs().size()
                        ? " and " + (spell.count() - spell.jobs().size()) + " more" : ""));
        submittedWrites.storeTask(job.id(), taskId, sentBy);
    }

    /** The provider refused the job's createTask, or did not answer it: sent again later, waiting, or failed. */
    private void refused(Job job, ProviderException e) {
        if (!e.mayHaveReachedProvider() && e.kind().retryable()) {
            sendAgainLater(job, e.kind() + ": " + e.getMessage());
            return;
        }
        uploads.forget(job.id());
        refusedSends.givenUp(job.id(), (e.mayHaveReachedProvider() ? "its last send unanswered, " : "refused for good, ")
                + e.kind() + ": " + e.getMessage(), clock.instant());
        generations.providerRefused(e.kind());
        // no answer in time, or the connection lost after the send: Kie may well have made the task (a slow
        // answer is a busy Kie, not a refusal). An answer Kie gave (a 500, a garbled body) does not wait
        if (e.mayHaveReachedProvider() && (e.kind() == ErrorKind.TIMEOUT || e.kind() == ErrorKind.CONNECT)
                && rescue.awaitCallback(job, JobNote.CREATE_OUTCOME_UNKNOWN.with(e.getMessage()), true)) {
            return;
        }
        // a model Kie no longer runs: no description helps, the user is told it is unavailable (WithdrawnModels)
        FailureReason reason = WithdrawnModels.saidBy(e, job) ? FailureReason.of(e.kind()).toldAs(WithdrawnModels.REASON)
                : FailureReason.of(e.kind());
        // the RECONCILE line only with the failure: a callback that took the task meanwhile leaves nothing to claim
        generations.failCutOff(job.id(), reason, e.getMessage())
                .filter(failed -> e.mayHaveReachedProvider())
                .ifPresent(failed -> unanswered(failed, e));
    }

    /**
     * A job failed and refunded whose createTask the provider answered with no word of its task: the operator's
     * {@code RECONCILE}, said at WARN once a spell (a line per order through a Kie outage, with no action named,
     * before), each job a {@code gen.reconcile} event all the same.
     */
    private void unanswered(Job failed, ProviderException e) {
        String what = JobNote.CREATE_OUTCOME_UNKNOWN.with(e.getMessage());
        if (!unanswered.add(failed.id(), clock.instant())) {
            reconciliations.reconcile(failed, what, System.Logger.Level.DEBUG, "");
            return;
        }
        reconciliations.reconcile(failed, what, System.Logger.Level.WARNING, ". The job failed and its money went "
                + "back to the user; Kie may still have made the task and bill the shop for it. Nothing to do for the "
                + "user; only if Kie's bill shows a task for this job, ask Kie back for it. Further jobs refunded so "
                + "until Kie takes an order again are each a gen.reconcile event (/find), counted in one line then");
    }

    /**
     * Downloads the job's inputs, measures the clips whose length sets the price, and uploads them into {@code urls}.
     *
     * @return whether all went up; when not, the job is failed or put off here
     */
    private boolean upload(Job job, Model model, Map<String, List<String>> urls) {
        try {
            for (Map.Entry<String, List<String>> field : job.files().entrySet()) {
                List<String> uploaded = new ArrayList<>();
                OptionalInt longest = clipLimit(model, field.getKey());
                boolean picture = model.field(field.getKey())
                        .filter(f -> f.type() == FieldType.IMAGE || f.type() == FieldType.IMAGES).isPresent();
                java.util.OptionalLong bytesMax = model.field(field.getKey()).map(InputField::maxBytes)
                        .orElse(java.util.OptionalLong.empty());
                for (String fileId : field.getValue()) {
                    FileSource.DownloadedFile f = files.download(fileId);
                    if (bytesMax.isPresent() && f.content().length > bytesMax.getAsLong()) {
                        // its size untold when sent (Telegram leaves file_size out, or says 0), it passed the field's
                        // limit in the conversation: the provider refused it after the hold, every time
                        generations.failUnsent(job.id(), Msg.ERROR_FILE_TOO_LARGE_FOR_MODEL.key(),
                                JobNote.FILE_ABOVE_MODEL_LIMIT.with(f.content().length, bytesMax.getAsLong()));
                        return false;
                    }
                    if (picture && !PictureBytes.takenByModels(f.content())) {
                        // a PDF or a HEIC named .jpg passes as «image/jpeg» when sent: Kie refused it after the hold,
                        // as «нейросеть отклонила описание или файл»; the user learns what was wrong with his file
                        generations.failUnsent(job.id(), Msg.ERROR_FILE_NOT_IMAGE.key(),
                                JobNote.NOT_A_PICTURE.with(f.mimeType()));
                        return false;
                    }
                    if (longest.isPresent()) {
                        OptionalDouble measured = ClipLength.seconds(f.content());
                        Optional<String> refused = clipRefused(measured, longest.getAsInt());
                        if (refused.isPresent()) {
                            generations.failUnsent(job.id(), refused.get(), measured.isPresent()
                                    ? JobNote.CLIP_MEASURED.with(Math.round(measured.getAsDouble()), longest.getAsInt())
                                    : JobNote.CLIP_UNREADABLE.with(longest.getAsInt()));
                            return false;
                        }
                    }
                    // the camera's metadata (where, whose) is none of the provider's business
                    uploaded.add(provider.upload(PictureMetadata.stripped(f.content()), f.fileName(), f.mimeType()));
                }
                urls.put(field.getKey(), uploaded);
            }
        } catch (FileSource.FileTooLargeException e) {
            // the reason in a failure's words, as a clip's: the figure is the user's to read when he sends the file
            generations.failUnsent(job.id(), Msg.ERROR_FILE_TOO_LARGE.key(), e.getMessage());
            return false;
        } catch (FileSource.FileUnavailableException e) {
            // no later try can have it: failed now, the user asked to send it again, rather than after ten minutes of
            // tries as if the model had been too slow
            generations.failUnsent(job.id(), Msg.ERROR_FILE_UNAVAILABLE.key(), JobNote.FILE_REFUSED.with(e.getMessage()));
            return false;
        } catch (IOException e) {
            // one still so at its deadline waited for no model: its user is told his file could not be had, not that
            // the model was too slow. Kept with the job (it was this process's memory: a restart, or another
            // instance at the deadline, told him the model was too slow and counted it against the model); cleared
            // as it goes to the provider (Job.submitting)
            taskPolls.retryLater(job.failsAtDeadlineWith(Optional.of(Msg.ERROR_FILE_UNFETCHED.key())),
                    "download failed: " + e.getMessage());
            return false;
        } catch (ProviderException e) {
            if (e.kind().retryable()) {
                taskPolls.retryLater(job, "upload failed: " + e.getMessage());
            } else {
                generations.providerRefused(e.kind());
                generations.failUnsent(job.id(), FailureReason.of(e.kind()), e.getMessage());
            }
            return false;
        }
        return true;
    }

    /**
     * No permit to send came in the provider's wait ({@link GenerationProvider#awaitSubmitPermit()}: its rate limit
     * busy): the job, still HELD, is tried again {@link JobWorker#SUBMIT_AGAIN} later, as one the provider refused
     * unsent ({@link #sendAgainLater}), and fails only at its deadline. Only a job still HELD is put off
     * (compare-and-set): a Cancel meanwhile stays.
     */
    private void sendLaterUnsent(Job job) {
        // its inputs went up: at its deadline it waited for the provider, not for a file of its user's
        Optional<Job> later = stores.jobs().transition(job.id(), j -> j.state() == JobState.HELD,
                j -> j.checkAgainIn(clock.instant(), JobWorker.SUBMIT_AGAIN).failsAtDeadlineWith(Optional.empty()));
        if (later.isEmpty()) {
            unpermitted.end(job.id());
            return;
        }
        JobSpells.Spell spell = unpermitted.failed(job.id(), clock.instant());
        if (spell.first()) {
            LOG.log(System.Logger.Level.INFO, "{0}: no permit to send createTask came in the provider''s wait; "
                    + "sending it after {1}, and again until its deadline (said once until a permit comes)",
                    job.id().display(), JobWorker.SUBMIT_AGAIN);
        } else {
            LOG.log(System.Logger.Level.DEBUG, "{0}: no permit to send createTask again ({1} since {2}); sending it "
                    + "after {3}", job.id().display(), spell.count(), spell.since(), JobWorker.SUBMIT_AGAIN);
        }
    }

    /**
     * The provider refused the createTask and surely never took it (a 429, a 503, a connect failure, the local limit):
     * back to HELD, sent again {@link JobWorker#resendAfter} later (1 to 15 s, growing with the job's age), and failed
     * with a refund only at the job's deadline, as any job not yet sent. Failed at once, a rate-limit burst of seconds
     * refunded every order placed in it. Only a job still SUBMITTING goes back (compare-and-set): a Cancel or an admin's
     * refund meanwhile stays.
     */
    void sendAgainLater(Job job, String refusal) {
        Duration pause = JobWorker.resendAfter(job, clock.instant());
        Instant next = clock.instant().plus(pause);
        Optional<Job> back;
        try {
            back = stores.jobs().transition(job.id(), j -> j.state() == JobState.SUBMITTING, j -> j.unsent(next));
        } catch (RuntimeException lost) {
            // remembered, so that its next pass writes it back rather than refunding it as cut off mid-send
            if (refusedUnsent.size() < JobWorker.UNSTORED_TASKS_MAX) {
                refusedUnsent.add(job.id());
            }
            throw lost;
        }
        refusedUnsent.remove(job.id());
        if (back.isPresent()) {
            // a WARNING at a spell's first refusal, DEBUG after: a job refused through an outage logged one every 1-15 s
            refusedSends.refused(job, refusal, pause, clock.instant());
        } else {
            refusedSends.left(job.id(), clock.instant());
        }
    }
}
