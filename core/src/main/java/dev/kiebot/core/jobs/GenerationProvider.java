package dev.kiebot.core.jobs;

import dev.kiebot.core.catalog.Model;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The AI generation service (port): Kie.ai in production, a stub in dry runs and tests. Called from several job
 * worker threads at once, never inside a transaction: an implementation is thread-safe, bounds every call with
 * timeouts of its own, and never logs the account's key.
 */
public interface GenerationProvider {
    /**
     * Waits for the right to send one createTask, on a job worker thread, outside any transaction, before the job is
     * marked SUBMITTING: the shop then gives the permit to {@link #submit} in {@link SubmitRequest#permit()}, and a
     * provider that limits its sends (Kie's adapter: 18 per 10 s per key) spends it on the first attempt instead of
     * waiting inside {@code submit}. Waited for there, with the job SUBMITTING, a process cut off in the wait (a
     * restart under load) left jobs whose createTask never left the shop, their money held until their deadline for
     * a callback that could not come, then refunded with a line for the operator to settle a request the provider
     * never got.
     *
     * <p>Bound the wait well within {@code JobWorker.LEASE} (90 s); empty when no permit came within it: the job stays
     * HELD and is tried again {@code JobWorker.SUBMIT_AGAIN} later (until its deadline, as every job not yet sent), never
     * failed for it. A permit the shop does not spend (the job cancelled meanwhile) is simply not used. The default
     * gives {@link SubmitPermit#UNLIMITED} at once, right for a provider with no limit of its own; a provider that wraps
     * another forwards this call and {@link #submit} with the request unchanged. Sound as a default: one with a limit
     * that leaves it out waits inside {@code submit} instead, as before, its job cut off in that wait refunded at its
     * deadline, never charged.
     *
     * @return the permit, or empty when none came in the provider's bounded wait
     */
    default Optional<SubmitPermit> awaitSubmitPermit() {
        return Optional.of(SubmitPermit.UNLIMITED);
    }

    /**
     * Creates a task. Called once per job, on a job worker thread, outside any transaction, the job marked SUBMITTING
     * first ({@link #awaitSubmitPermit()} before that, its permit in the request): a job is never submitted twice.
     * Wait for nothing but the exchange itself here when the request carries your permit: a job cut off while its
     * submit waits counts as maybe at the provider, so make that one attempt and leave a refusal that surely did not
     * reach the provider to the shop (below), rather than back off and retry in here (Kie's adapter does so).
     * Implementations retry, if at all, only when the request surely did not reach the provider; otherwise they throw and the job fails with a refund (a {@link ProviderException} that
     * {@link ProviderException#mayHaveReachedProvider() may have reached it} is also logged for the operator to
     * reconcile, as the task may exist and be charged for), but for a {@link ErrorKind#TIMEOUT} or
     * {@link ErrorKind#CONNECT} that may have reached it while the shop has a callback URL: then the job waits, its
     * money held and its user told, until its deadline for the provider's callback, which finds it by its URL; with
     * none by then it is refunded. Report a lost answer so to give a task the provider made that chance. A refusal that surely did not reach it, of a
     * {@link ErrorKind#retryable() retryable} kind (a 429, a 503, a connect failure), puts the job back to HELD
     * ({@link Job#unsent}) and it is submitted again, after a new {@link #awaitSubmitPermit()}, 1 s later, the pause
     * growing with the job's age to 15 s, until its deadline.
     *
     * <p>Return, or throw, within {@code JobWorker.SUBMIT_WINDOW} (5 minutes), retries included: a job still
     * SUBMITTING after it counts as cut off mid-send: refunded, or with a callback URL waiting for the callback until its
     * deadline as above; a task created later is stored only when that callback finds the job. An unchecked exception leaves the job SUBMITTING, to the same end.
     *
     * @param request the model, the user's inputs (files already uploaded), the callback URL and the job's id
     * @return the provider's task id, unique to this task ({@code Jobs.findByTaskId} finds the job by it)
     * @throws ProviderException the task was not created, or may have been: its kind and
     *                           {@link ProviderException#mayHaveReachedProvider()} decide the job's fate (see above)
     */
    String submit(SubmitRequest request) throws ProviderException;

    /**
     * Reads a task's status; safe to retry. Called on a job worker thread (or a runner's callback thread), outside
     * any transaction.
     *
     * @param model  the job's model, as the catalog has it
     * @param taskId what {@link #submit} returned
     * @return {@link TaskStatus.Queued} / {@link TaskStatus.Running} while it runs (read again later);
     *         {@link TaskStatus.Succeeded} with at least one result URL (the user is charged and gets them);
     *         {@link TaskStatus.ResultMissing} when the provider calls it done but gives nothing to deliver (read
     *         again a few times, then refunded), never a {@code Succeeded} without URLs;
     *         {@link TaskStatus.Failed} when it failed (refunded now)
     * @throws ProviderException the read failed: of kind {@link ErrorKind#NOT_FOUND} when the provider does not know
     *         the task (read again for {@code JobWorker.NOT_FOUND_GRACE} after the submission, then refunded), of
     *         kind {@link ErrorKind#GENERATION_FAILED} when the read says the task failed (refunded now), any other
     *         kind when the answer was unusable (read again, until the job's deadline)
     */
    TaskStatus status(Model model, String taskId) throws ProviderException;

    /**
     * {@link #status}, tried once: the job worker's reads, whose next scheduled read (a few seconds later, the poll
     * policy's) is the retry. A provider that retries inside {@code status} overrides this with one attempt, so that
     * a read of a task the provider does not answer for holds the worker's thread for one request's timeout, not for
     * the retries' sum: a hung read of one task delayed every other user's order and every deadline behind it. The
     * default is {@code status} itself, right for a provider that does not retry; sound for one that does: the same
     * answer, later.
     *
     * @param model  the job's model
     * @param taskId what {@link #submit} returned
     * @return as {@link #status}
     * @throws ProviderException as {@link #status}
     */
    default TaskStatus statusOnce(Model model, String taskId) throws ProviderException {
        return status(model, taskId);
    }

    /**
     * {@link #statusOnce(Model, String)} of a task whose job chose {@code chosen}: for a provider whose result depends
     * on a choice it delivers apart (Kie's Veo: a 1080p video is fetched from its own endpoint after the task's
     * success), so that a job that paid for the choice gets it. Until that result is there, answer
     * {@link TaskStatus.PartlyDone} with what is done and the choice it was made with: read again on the job's
     * schedule, and at its deadline delivered at the lesser choice's price. The default ignores {@code chosen}, sound
     * for a provider whose task is made with the choices {@link #submit} had ({@code SubmitRequest.values}) and whose
     * result comes with the task's own status; a
     * provider that wraps another forwards this call unchanged ({@link ForwardingGenerationProvider} does).
     *
     * @param model  the job's model
     * @param taskId what {@link #submit} returned
     * @param chosen the job's choices by field name (its values, its priced variant's options where it has none)
     * @return as {@link #status}
     * @throws ProviderException as {@link #status}
     */
    default TaskStatus statusOnce(Model model, String taskId, java.util.Map<String, String> chosen)
            throws ProviderException {
        return statusOnce(model, taskId);
    }

    /**
     * The job of this task has ended, by any path: delivered (also with a lesser choice than it paid for, the rest
     * given back), failed, stopped by an admin, refunded at its deadline. For a provider that keeps something of a
     * task in memory between {@link #statusOnce(Model, String, java.util.Map) reads} (Kie's adapter: a Veo task done
     * in 720p while its 1080p file is awaited), so that it lets go of it when the job does, not only when the task's
     * own last answer comes. Called once the job's end is written, on the thread that ended it (a job worker's, an
     * admin's update), perhaps inside a transaction of the shop's: keep it to memory, call nothing out, return at once.
     * A task the provider never read, or one already let go of, changes nothing. A throw is logged and ignored.
     *
     * <p>The default does nothing, right for a provider that keeps nothing of a task, and sound for one that does: it
     * keeps it in memory until the task's own last answer, no result or money at stake; a provider that wraps another
     * forwards it ({@link ForwardingGenerationProvider} does).
     *
     * @param taskId what {@link #submit} returned for the job
     */
    default void taskEnded(String taskId) {
    }

    /**
     * What the provider keeps of the request that made the task (its model, the callback URL it reports to), read from
     * the provider itself; safe to retry. Asked only for a task a callback named whose id no job has stored, the
     * callback's address naming a job still SUBMITTING ({@link CallbackUrl}): the process was cut off between the
     * provider's answer to {@link #submit} and the write of the task id. The job takes the task only when this answer
     * names the job's own callback URL and model. Called on a runner's callback thread, outside any transaction.
     *
     * @param model  the model of the job the callback named
     * @param taskId the task id the callback gave
     * @return empty when the provider keeps no such record (the default, sound: such a task is then refunded as cut
     *         off mid-send, as before, the user's money back and a line for the operator to settle the task)
     * @throws ProviderException the read failed: the task is not taken (its next callback asks again)
     */
    default Optional<TaskOrigin> origin(Model model, String taskId) throws ProviderException {
        return Optional.empty();
    }

    /**
     * Uploads a user's file so the provider can read it; on a job worker thread, outside any transaction, before
     * {@link #submit}. A {@code ProviderException} of a {@link ErrorKind#retryable() retryable} kind is tried again a
     * few seconds later; any other fails the job with a refund.
     *
     * @param content  the file's bytes, as {@code FileSource} downloaded them
     * @param fileName its name, with its extension where known
     * @param mimeType its media type
     * @return a URL the provider accepts as input
     * @throws ProviderException the upload failed
     */
    String upload(byte[] content, String fileName, String mimeType) throws ProviderException;

    /**
     * The provider account's remaining credits, for the admins' dashboard, which shows the balance last read and how
     * long ago and never waits for this call (an admin's update holds a handler while it is drawn): a view whose
     * reading is older than a minute has it read again on a thread of the shop's, for the next view. Until a first
     * read succeeds, a failure shows in its place in words, and after one beside the last figure («сейчас не удаётся
     * узнать: Kie не принимает ключ»): a {@code ProviderException} of kind {@code AUTH}, {@code OUT_OF_CREDITS}, {@code TIMEOUT}
     * or {@code CONNECT} as what it means, any other failure (also an {@code Error}) as an error to look up in the
     * log. With {@code Shop.Builder.lowCredits} it is also read every {@code Upkeep.CREDITS_EVERY} by the upkeep's
     * {@code credits} task, and by {@code Upkeep.readCredits} when called.
     *
     * <p>Optional to implement: a provider with no balance to read (a partner's own, billed otherwise) keeps this
     * default, empty, and the dashboard says no balance is known; it made one up before, which the dashboard showed as
     * the balance. The low-credits check ({@code Shop.Builder.lowCredits}, kiebot's {@code KIE_LOW_CREDITS}) reads
     * nothing from an empty one, and says so once in the log (a WARNING: the alarm has nothing to read). Sound as a
     * default: both say that no balance is known, where a figure made up hid it.
     *
     * @return the balance in the provider's own units (Kie: credits), not the shop's currency; empty when the provider
     *         has no balance to read (this default)
     * @throws ProviderException the read failed
     */
    default Optional<BigDecimal> credits() throws ProviderException {
        return Optional.empty();
    }
}
