package dev.kiebot.core.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One generation. Immutable: transitions return a new value that the {@link Jobs} store
 * writes with a version check, so two racing completions (callback and poll) cannot both win.
 *
 * <p>For a store of your own: keep every component as given and make the job again with the constructor; the
 * transitions are core's to call. Times are UTC instants of the shop's clock.
 *
 * @param id         the job's id ({@code gen_<n>}), given by the store at {@link Jobs#create}
 * @param userId     who ordered it, and whose wallet pays
 * @param chatId     where its status and results go
 * @param language   the language it was ordered in: its messages keep it
 * @param modelId    the catalog's id of the model
 * @param skuId      the priced variant the user was quoted for
 * @param values     text and choice inputs by field name
 * @param files      media inputs by field name: Telegram file ids (never URLs with the token)
 * @param price      minor units held from the wallet; 0 for free jobs
 * @param free       paid by the daily free allowance instead of the wallet
 * @param state      where it is in its life ({@link JobState})
 * @param taskId     the provider's task id, once the provider answered createTask (SUBMITTED and later)
 * @param result     what the provider made (SUCCEEDED and later)
 * @param deadline   past it a non-terminal job fails and its hold is voided
 * @param nextCheckAt when a worker should look at the job next
 * @param succeededAt when the result arrived (SUCCEEDED and later); how long jobs take is learnt from it. For a job
 *                   still at the provider, when part of its result was first found done ({@link #partlyDoneAt})
 * @param submittedAt when the provider answered createTask with the task id (SUBMITTED and later); empty for jobs
 *                   submitted before it was kept, which count from {@code createdAt}
 * @param polls      status reads so far (drives the backoff schedule)
 * @param resultMissingReads status reads that found the task done but without a result to deliver
 * @param statusMessageId the chat message edited with progress, once sent
 * @param failure    message key of the failure shown to the user; empty unless failed, or, for a job not sent yet
 *                   (HELD), the failure its deadline tells should no try succeed before it
 *                   ({@link #failsAtDeadlineWith}): kept with the job, so across a restart and on any instance
 * @param failureKind the provider's kind of the error the job failed with, as its adapter decided it
 *                   ({@link #failed(String, Optional)}): /find and the user's history say it. Empty for a failure of
 *                   the shop's own (a deadline, a file), and for a job failed before it was kept
 * @param createdAt  when it was ordered
 * @param version    optimistic-lock version, maintained by the store
 */
public record Job(
        JobId id,
        long userId,
        long chatId,
        String language,
        String modelId,
        String skuId,
        Map<String, String> values,
        Map<String, List<String>> files,
        long price,
        boolean free,
        JobState state,
        Optional<String> taskId,
        Optional<JobResult> result,
        Optional<String> failure,
        Optional<ErrorKind> failureKind,
        Optional<Long> statusMessageId,
        Instant createdAt,
        Instant deadline,
        Instant nextCheckAt,
        Optional<Instant> succeededAt,
        Optional<Instant> submittedAt,
        int polls,
        int resultMissingReads,
        long version) {

    /**
     * Checks the values and copies the maps.
     *
     * @param id                 never null
     * @param userId             the ordering user
     * @param chatId             the user's chat
     * @param language           never null
     * @param modelId            never null
     * @param skuId              never null
     * @param values             copied
     * @param files              copied
     * @param price              0 or more minor units
     * @param free               whether the free allowance pays
     * @param state              never null
     * @param taskId             never null; empty before the submission
     * @param result             never null; empty before the success
     * @param failure            never null; empty unless failed
     * @param failureKind        never null; empty unless failed with the provider's kind of error
     * @param statusMessageId    never null; empty until the first status went out
     * @param createdAt          the order's time
     * @param deadline           the time past which it fails
     * @param nextCheckAt        the time a worker looks next
     * @param succeededAt        never null; empty before the success
     * @param submittedAt        never null; empty before the submission
     * @param polls              status reads so far
     * @param resultMissingReads 0 or more
     * @param version            the store's version
     * @throws NullPointerException     for a null part
     * @throws IllegalArgumentException for a negative price or {@code resultMissingReads}
     */
    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(skuId, "skuId");
        values = Map.copyOf(values);
        files = Map.copyOf(files);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(failureKind, "failureKind");
        Objects.requireNonNull(statusMessageId, "statusMessageId");
        Objects.requireNonNull(succeededAt, "succeededAt");
        Objects.requireNonNull(submittedAt, "submittedAt");
        if (resultMissingReads < 0) {
            throw new IllegalArgumentException("job " + id + ": resultMissingReads must be >= 0; was " + resultMissingReads);
        }
        if (price < 0) {
            throw new IllegalArgumentException("job " + id + ": price must be >= 0 (minor units); was " + price);
        }
    }

    /**
     * The ledger hold of a paid job uses the job's display id.
     *
     * @return the hold's id, {@code gen_<n>}
     */
    public String holdId() {
        return id.display();
    }

    private Job with(JobState s, Optional<String> task, Optional<JobResult> res, Optional<String> fail,
            Optional<ErrorKind> kind) {
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, s, task, res,
                fail, kind, statusMessageId, createdAt, deadline, nextCheckAt, succeededAt, submittedAt, polls,
                resultMissingReads, version);
    }

    private void require(String to, JobState... from) {
        for (JobState s : from) {
            if (state == s) {
                return;
            }
        }
        throw new IllegalTransitionException(id, state, to);
    }

    /**
     * Payment secured: wallet hold placed, or a free use consumed.
     *
     * @return the job HELD
     * @throws IllegalTransitionException unless CREATED
     */
    public Job held() {
        require("HELD", JobState.CREATED);
        return with(JobState.HELD, taskId, result, failure, failureKind);
    }

    /**
     * Written just before createTask is sent.
     *
     * @return the job SUBMITTING
     * @throws IllegalTransitionException unless HELD
     */
    public Job submitting() {
        require("SUBMITTING", JobState.HELD);
        // on its way to the provider: what its last try before could not have no longer tells its deadline
        return with(JobState.SUBMITTING, taskId, result, Optional.empty(), Optional.empty());
    }

    /**
     * A job not sent yet whose try could not have what it needs (its user's file, the platform down): should its
     * deadline come before a try that gets it, it fails with {@code reasonKey} rather than as the model too slow; with
     * none, as any job not sent. Kept in {@link #failure()}, with the job: a restart, or another instance, between the
     * try and the deadline told the user the model was too slow, and counted that against the model.
     *
     * @param reasonKey the failure's message key, or none
     * @return the job, still HELD
     * @throws IllegalTransitionException unless HELD
     */
    public Job failsAtDeadlineWith(Optional<String> reasonKey) {
        require("HELD", JobState.HELD);
        return with(state, taskId, result, reasonKey, Optional.empty());
    }

    /**
     * {@link #submitting()}, looked at again no sooner than {@code sentBy}: until then the createTask in flight is
     * its worker's, and no worker (of another instance) takes the job for one cut off mid-send.
     *
     * @param sentBy when the send's window ends
     * @return the job SUBMITTING, next looked at then
     * @throws IllegalTransitionException unless HELD
     */
    public Job submittingUntil(Instant sentBy) {
        Job j = submitting();
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, j.state, taskId,
                result, j.failure, j.failureKind, statusMessageId, createdAt, deadline, sentBy, succeededAt,
                submittedAt, polls,
                resultMissingReads, version);
    }

    /**
     * Still SUBMITTING with its createTask's outcome unknown (cut off mid-send, or unanswered in time), looked at again
     * at its deadline: until then the provider's callback may find its task ({@code JobWorker} waits so). Such a job
     * {@link #awaitsTask()}.
     *
     * @return the job still SUBMITTING, next looked at at its deadline
     * @throws IllegalTransitionException unless SUBMITTING
     */
    public Job awaitingTask() {
        require("SUBMITTING", JobState.SUBMITTING);
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, state, taskId,
                result, failure, failureKind, statusMessageId, createdAt, deadline, deadline, succeededAt,
                submittedAt, polls,
                resultMissingReads, version);
    }

    /**
     * Whether the job waits, its send not confirmed, for the provider to say it made its task ({@link #awaitingTask()}):
     * SUBMITTING with no task and looked at next at its deadline, where a send in flight is looked at next when its
     * window ends ({@link #submittingUntil}). Its user is told that the result comes if the task was made, and the money
     * comes back at the deadline if not, not that it is being sent.
     *
     * @return true while it so waits
     */
    public boolean awaitsTask() {
        return state == JobState.SUBMITTING && taskId.isEmpty() && nextCheckAt.equals(deadline);
    }

    /**
     * Back from SUBMITTING: the provider refused the createTask in a way that shows it never took it (a 429, a 503,
     * a connect failure, a local rate limit), so the job may be sent again, looked at next at {@code nextCheck}. It
     * fails at its deadline as every job not yet sent does; failed at once, a burst of refusals of seconds refunded
     * every order placed in it while their deadlines were minutes away.
     *
     * @param nextCheck when to try sending it again
     * @return the job HELD again
     * @throws IllegalTransitionException unless SUBMITTING
     */
    public Job unsent(Instant nextCheck) {
        require("HELD", JobState.SUBMITTING);
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, JobState.HELD, taskId,
                result, failure, failureKind, statusMessageId, createdAt, deadline, nextCheck, succeededAt,
                submittedAt, polls,
                resultMissingReads, version);
    }

    /**
     * The provider took the task {@code at}: its answers about the task are judged from then on.
     *
     * @param kieTaskId the provider's task id
     * @param at        when the provider answered
     * @return the job SUBMITTED, with its task
     * @throws IllegalTransitionException unless SUBMITTING
     */
    public Job submitted(String kieTaskId, Instant at) {
        require("SUBMITTED", JobState.SUBMITTING);
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, JobState.SUBMITTED,
                Optional.of(kieTaskId), result, failure, failureKind, statusMessageId, createdAt, deadline, nextCheckAt,
                succeededAt, Optional.of(at), polls, resultMissingReads, version);
    }

    /**
     * The provider started the task.
     *
     * @return the job RUNNING
     * @throws IllegalTransitionException unless SUBMITTED or RUNNING
     */
    public Job running() {
        require("RUNNING", JobState.SUBMITTED, JobState.RUNNING);
        return with(JobState.RUNNING, taskId, result, failure, failureKind);
    }

    /**
     * Part of the task was found done {@code at} ({@code TaskStatus.PartlyDone}: Veo's 720p file, its 1080p one still
     * being made): kept in {@link #succeededAt()} while the job waits for the rest, the first time only, so the wait
     * for the rest is bounded from it across a restart and on any instance ({@link #succeeded} sets it anew).
     *
     * @param at when the part was read
     * @return the job, with {@code succeededAt} the first such time
     * @throws IllegalTransitionException unless SUBMITTED or RUNNING
     */
    public Job partlyDoneAt(Instant at) {
        require(state.name(), JobState.SUBMITTED, JobState.RUNNING);
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, state, taskId,
                result, failure, failureKind, statusMessageId, createdAt, deadline, nextCheckAt,
                succeededAt.isPresent() ? succeededAt : Optional.of(at), submittedAt, polls, resultMissingReads,
                version);
    }

    /**
     * The result arrived {@code at}.
     *
     * @param r  what the provider made
     * @param at when it was read
     * @return the job SUCCEEDED: charged, to be delivered
     * @throws IllegalTransitionException unless SUBMITTED or RUNNING
     */
    public Job succeeded(JobResult r, Instant at) {
        require("SUCCEEDED", JobState.SUBMITTED, JobState.RUNNING);
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, JobState.SUCCEEDED,
                taskId, Optional.of(r), failure, failureKind, statusMessageId, createdAt, deadline, nextCheckAt,
                Optional.of(at),
                submittedAt, polls, resultMissingReads, version);
    }

    /**
     * The results went to the user.
     *
     * @return the job DELIVERED
     * @throws IllegalTransitionException unless SUCCEEDED
     */
    public Job delivered() {
        require("DELIVERED", JobState.SUCCEEDED);
        return with(JobState.DELIVERED, taskId, result, failure, failureKind);
    }

    /**
     * Any state before success can fail; SUCCEEDED has been paid for and is delivered instead.
     *
     * @param reasonKey the message key the user is told ({@link ErrorKind#messageKey()}, say)
     * @return the job FAILED
     * @throws IllegalTransitionException once SUCCEEDED, DELIVERED or FAILED
     */
    public Job failed(String reasonKey) {
        return failed(reasonKey, Optional.empty());
    }

    /**
     * {@link #failed(String)}, keeping the provider's kind of the error it failed with, as its adapter decided it
     * ({@link ErrorKind}): the user's reason alone could not tell a refusal by the provider's content rules from a
     * parameter it rejected, nor four kinds the user is told one text of apart.
     *
     * @param reasonKey the message key the user is told
     * @param kind      the provider's kind of the error; empty for a failure of the shop's own
     * @return the job FAILED
     * @throws IllegalTransitionException once SUCCEEDED, DELIVERED or FAILED
     */
    public Job failed(String reasonKey, Optional<ErrorKind> kind) {
        require("FAILED", JobState.CREATED, JobState.HELD, JobState.SUBMITTING, JobState.SUBMITTED,
                JobState.RUNNING);
        return with(JobState.FAILED, taskId, result, Optional.of(reasonKey), kind);
    }

    /**
     * Whether its deadline has come.
     *
     * @param now the shop's clock's instant
     * @return true at or after the deadline
     */
    public boolean pastDeadline(Instant now) {
        return !now.isBefore(deadline);
    }

    /** The least {@link #lookAheadMax()}: a job of a deadline of seconds still waits out the worker's own pauses. */
    public static final Duration LOOK_AHEAD_FLOOR = Duration.ofMinutes(5);

    /**
     * The furthest ahead a look at the job is ever set: its whole time (created to deadline), or
     * {@link #LOOK_AHEAD_FLOOR} when that is longer ({@code JobWorker} caps a poll policy's delay at it).
     *
     * @return the longest wait for a look
     */
    public Duration lookAheadMax() {
        Duration whole = Duration.between(createdAt, deadline);
        return whole.compareTo(LOOK_AHEAD_FLOOR) > 0 ? whole : LOOK_AHEAD_FLOOR;
    }

    /**
     * Whether the job is due for its next look at {@code now}: its next look has come, or it is further ahead than
     * {@link #lookAheadMax()}, which no look is given: it was set before the machine's clock stepped back (NTP), and
     * waiting for it froze the job for the step. Not a job SUBMITTING, which waits out its send's window (or its deadline, awaiting its task) whatever
     * the clock did: its createTask may be in flight, and a job taken early is judged cut off mid-send, its money
     * back while the provider makes its task. {@link Jobs#lease} leases by it.
     *
     * @param now the shop's clock's instant
     * @return true when the job may be looked at now
     */
    public boolean checkDue(Instant now) {
        return !nextCheckAt.isAfter(now) || (state != JobState.SUBMITTING
                && nextCheckAt.isAfter(now.plus(lookAheadMax())));
    }

    /**
     * Schedules the next look, counting one more status read.
     *
     * @param now   the shop's clock's instant
     * @param delay until the next look
     * @return the job, next looked at {@code now + delay}
     */
    public Job checkAgainIn(Instant now, Duration delay) {
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, state, taskId,
                result, failure, failureKind, statusMessageId, createdAt, deadline, now.plus(delay), succeededAt,
                submittedAt,
                polls + 1, resultMissingReads, version);
    }

    /**
     * {@link #checkAgainIn}, counting one more read that found the task done but nothing to deliver.
     *
     * @param now   the shop's clock's instant
     * @param delay until the next look
     * @return the job, next looked at {@code now + delay}
     */
    public Job resultMissing(Instant now, Duration delay) {
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, state, taskId,
                result, failure, failureKind, statusMessageId, createdAt, deadline, now.plus(delay), succeededAt,
                submittedAt,
                polls + 1, resultMissingReads + 1, version);
    }

    /**
     * Since when the provider's answers about the task count: its submission, else (older rows) the order.
     *
     * @return {@link #submittedAt()}, or {@link #createdAt()} without one
     */
    public Instant submittedOrCreatedAt() {
        return submittedAt.orElse(createdAt);
    }

    /**
     * The job with the message its status is shown in.
     *
     * @param messageId the platform's id of that message
     * @return the job with it
     */
    public Job withStatusMessage(long messageId) {
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, state, taskId,
                result, failure, failureKind, Optional.of(messageId), createdAt, deadline, nextCheckAt, succeededAt,
                submittedAt,
                polls, resultMissingReads, version);
    }

    /**
     * Used by stores only: the value as persisted with a new version.
     *
     * @param newVersion the version the store wrote
     * @return the job with it
     */
    public Job withVersion(long newVersion) {
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, state, taskId,
                result, failure, failureKind, statusMessageId, createdAt, deadline, nextCheckAt, succeededAt,
                submittedAt, polls,
                resultMissingReads, newVersion);
    }
}
