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
 * @param values     text and choice inputs by field name
 * @param files      media inputs by field name: Telegram file ids (never URLs with the token)
 * @param price      minor units held from the wallet; 0 for free jobs
 * @param free       paid by the daily free allowance instead of the wallet
 * @param deadline   past it a non-terminal job fails and its hold is voided
 * @param nextCheckAt when a worker should look at the job next
 * @param succeededAt when the result arrived (SUCCEEDED and later); how long jobs take is learnt from it
 * @param submittedAt when the provider answered createTask with the task id (SUBMITTED and later); empty for jobs
 *                   submitted before it was kept, which count from {@code createdAt}
 * @param polls      status reads so far (drives the backoff schedule)
 * @param resultMissingReads status reads that found the task done but without a result to deliver
 * @param statusMessageId the chat message edited with progress, once sent
 * @param failure    message key of the failure shown to the user
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
        Optional<Integer> statusMessageId,
        Instant createdAt,
        Instant deadline,
        Instant nextCheckAt,
        Optional<Instant> succeededAt,
        Optional<Instant> submittedAt,
        int polls,
        int resultMissingReads,
        long version) {

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
        Objects.requireNonNull(statusMessageId, "statusMessageId");
        Objects.requireNonNull(succeededAt, "succeededAt");
        Objects.requireNonNull(submittedAt, "submittedAt");
        if (resultMissingReads < 0) {
            throw new IllegalArgumentException("resultMissingReads must be >= 0");
        }
        if (price < 0) {
            throw new IllegalArgumentException("price must be >= 0");
        }
    }

    /** The ledger hold of a paid job uses the job's display id. */
    public String holdId() {
        return id.display();
    }

    private Job with(JobState s, Optional<String> task, Optional<JobResult> res, Optional<String> fail) {
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, s, task, res,
                fail, statusMessageId, createdAt, deadline, nextCheckAt, succeededAt, submittedAt, polls,
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

    /** Payment secured: wallet hold placed, or a free use consumed. */
    public Job held() {
        require("HELD", JobState.CREATED);
        return with(JobState.HELD, taskId, result, failure);
    }

    /** Written just before createTask is sent. */
    public Job submitting() {
        require("SUBMITTING", JobState.HELD);
        return with(JobState.SUBMITTING, taskId, result, failure);
    }

    /**
     * {@link #submitting()}, looked at again no sooner than {@code sentBy}: until then the createTask in flight is
     * its worker's, and no worker (of another instance) takes the job for one cut off mid-send.
     */
    public Job submittingUntil(Instant sentBy) {
        Job j = submitting();
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, j.state, taskId,
                result, failure, statusMessageId, createdAt, deadline, sentBy, succeededAt, submittedAt, polls,
                resultMissingReads, version);
    }

    /**
     * Still SUBMITTING with its createTask's outcome unknown (cut off mid-send, or unanswered in time), looked at again
     * at its deadline: until then the provider's callback may find its task ({@code JobWorker} waits so). Such a job
     * {@link #awaitsTask()}.
     */
    public Job awaitingTask() {
        require("SUBMITTING", JobState.SUBMITTING);
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, state, taskId,
                result, failure, statusMessageId, createdAt, deadline, deadline, succeededAt, submittedAt, polls,
                resultMissingReads, version);
    }

    /**
     * Whether the job waits, its send not confirmed, for the provider to say it made its task ({@link #awaitingTask()}):
     * SUBMITTING with no task and looked at next at its deadline, where a send in flight is looked at next when its
     * window ends ({@link #submittingUntil}). Its user is told that the result comes if the task was made, and the money
     * comes back at the deadline if not, not that it is being sent.
     */
    public boolean awaitsTask() {
        return state == JobState.SUBMITTING && taskId.isEmpty() && nextCheckAt.equals(deadline);
    }

    /**
     * Back from SUBMITTING: the provider refused the createTask in a way that shows it never took it (a 429, a 503,
     * a connect failure, a local rate limit), so the job may be sent again, looked at next at {@code nextCheck}. It
     * fails at its deadline as every job not yet sent does; failed at once, a burst of refusals of seconds refunded
     * every order placed in it while their deadlines were minutes away.
     */
    public Job unsent(Instant nextCheck) {
        require("HELD", JobState.SUBMITTING);
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, JobState.HELD, taskId,
                result, failure, statusMessageId, createdAt, deadline, nextCheck, succeededAt, submittedAt, polls,
                resultMissingReads, version);
    }

    /** The provider took the task {@code at}: its answers about the task are judged from then on. */
    public Job submitted(String kieTaskId, Instant at) {
        require("SUBMITTED", JobState.SUBMITTING);
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, JobState.SUBMITTED,
                Optional.of(kieTaskId), result, failure, statusMessageId, createdAt, deadline, nextCheckAt,
                succeededAt, Optional.of(at), polls, resultMissingReads, version);
    }

    public Job running() {
        require("RUNNING", JobState.SUBMITTED, JobState.RUNNING);
        return with(JobState.RUNNING, taskId, result, failure);
    }

    /** The result arrived {@code at}. */
    public Job succeeded(JobResult r, Instant at) {
        require("SUCCEEDED", JobState.SUBMITTED, JobState.RUNNING);
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, JobState.SUCCEEDED,
                taskId, Optional.of(r), failure, statusMessageId, createdAt, deadline, nextCheckAt, Optional.of(at),
                submittedAt, polls, resultMissingReads, version);
    }

    public Job delivered() {
        require("DELIVERED", JobState.SUCCEEDED);
        return with(JobState.DELIVERED, taskId, result, failure);
    }

    /** Any state before success can fail; SUCCEEDED has been paid for and is delivered instead. */
    public Job failed(String reasonKey) {
        require("FAILED", JobState.CREATED, JobState.HELD, JobState.SUBMITTING, JobState.SUBMITTED,
                JobState.RUNNING);
        return with(JobState.FAILED, taskId, result, Optional.of(reasonKey));
    }

    public boolean pastDeadline(Instant now) {
        return !now.isBefore(deadline);
    }

    /** Schedules the next look, counting one more status read. */
    public Job checkAgainIn(Instant now, Duration delay) {
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, state, taskId,
                result, failure, statusMessageId, createdAt, deadline, now.plus(delay), succeededAt, submittedAt,
                polls + 1, resultMissingReads, version);
    }

    /** {@link #checkAgainIn}, counting one more read that found the task done but nothing to deliver. */
    public Job resultMissing(Instant now, Duration delay) {
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, state, taskId,
                result, failure, statusMessageId, createdAt, deadline, now.plus(delay), succeededAt, submittedAt,
                polls + 1, resultMissingReads + 1, version);
    }

    /** Since when the provider's answers about the task count: its submission, else (older rows) the order. */
    public Instant submittedOrCreatedAt() {
        return submittedAt.orElse(createdAt);
    }

    public Job withStatusMessage(int messageId) {
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, state, taskId,
                result, failure, Optional.of(messageId), createdAt, deadline, nextCheckAt, succeededAt, submittedAt,
                polls, resultMissingReads, version);
    }

    /** Used by stores only: the value as persisted with a new version. */
    public Job withVersion(long newVersion) {
        return new Job(id, userId, chatId, language, modelId, skuId, values, files, price, free, state, taskId,
                result, failure, statusMessageId, createdAt, deadline, nextCheckAt, succeededAt, submittedAt, polls,
                resultMissingReads, newVersion);
    }
}
