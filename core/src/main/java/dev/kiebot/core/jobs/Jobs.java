package dev.kiebot.core.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Persistence of generation jobs (port). Its writes join the caller's transaction ({@code Transactions}) when there
 * is one; several workers, in several instances, call it at once: {@link #update} and {@link #lease} decide their
 * races ({@code JobsContract} races them).
 */
public interface Jobs {
    /**
     * Stores a new job in CREATED with a fresh id and version 0.
     *
     * @param draft the order, with its price held (or its free use taken) in the same transaction
     * @return the stored job; its id is new and positive, never given again by this store
     */
    Job create(JobDraft draft);

    /**
     * The job with this id, as last stored; empty for an id never created.
     *
     * @param id the job's id
     * @return the job as stored, its version included
     */
    Optional<Job> find(JobId id);

    /**
     * The job the provider's task belongs to. A task id names one job: a write that would give a second job a task id
     * already taken fails (throws), as callbacks and status reads find the job by it ({@code JobsContract}).
     *
     * @param taskId the provider's task id
     * @return the job; empty when no job stored it
     */
    Optional<Job> findByTaskId(String taskId);

    /**
     * Writes {@code next} if the stored version still equals {@code next.version()}. A write ends
     * any lease on the job: the worker is done with this step, and {@code nextCheckAt} says when
     * the job is due again.
     *
     * @param next the job after its transition, carrying the version it was read at
     * @return the stored job with its version incremented, or empty if someone else wrote first
     */
    Optional<Job> update(Job next);

    /**
     * Leases up to {@code limit} active jobs whose {@code nextCheckAt} has come ({@link Job#checkDue}: also one further
     * ahead than {@link Job#lookAheadMax()}, set before the clock stepped back) and that no live
     * lease holds; the lease lasts {@code leaseFor}. Two workers never lease the same job at once
     * (PostgreSQL: {@code FOR UPDATE SKIP LOCKED}); a dead worker's jobs come back after the lease.
     *
     * @param worker   the leasing process's name ({@code Shop.Builder.workerName}), kept with the lease
     * @param now      the shop's clock's instant
     * @param leaseFor how long the lease lasts ({@code JobWorker.LEASE})
     * @param limit    the most jobs to lease
     * @return the leased jobs; empty when none is due
     */
    List<Job> lease(String worker, Instant now, Duration leaseFor, int limit);

    /**
     * A user's newest jobs first, for /history.
     *
     * @param userId the user
     * @param limit  the most to return
     * @return the jobs, newest created first
     */
    List<Job> recent(long userId, int limit);

    /**
     * A user's jobs not finished yet (in any state but {@code DELIVERED} and {@code FAILED}), newest created first:
     * what {@code /status}, a job's status and a text at the menu show him he is waiting for. Read on every plain
     * text at the menu, so a store in a database answers it from those jobs alone, however many finished ones he has
     * (kiebot's: an index of the unfinished jobs by user, {@code V35__jobs_user_unfinished.sql}). This default reads
     * all of his jobs ({@link #recent} with no bound) and keeps the unfinished: right, but his whole history each
     * time; override it. A default because it is sound: the same jobs, read slower.
     *
     * @param userId the user
     * @param limit  the most to return
     * @return his unfinished jobs, newest created first
     */
    default List<Job> unfinished(long userId, int limit) {
        return recent(userId, Integer.MAX_VALUE).stream().filter(j -> !j.state().isTerminal())
                .limit(Math.max(0, limit)).toList();
    }

    /**
     * How long the newest successful jobs of a model took, from creation to the result, newest result first: the
     * shop's own history of that model, from which the expected time of a new job is learnt. Only jobs SUCCEEDED or
     * DELIVERED count: a job still SUBMITTED or RUNNING may carry {@code succeededAt} (the first time it was read
     * partly done, {@link Job#partlyDoneAt}) and must not be timed as a success ({@code JobsContract} checks it).
     *
     * @param modelId the model
     * @param limit   the most to return ({@code ExpectedTime.SAMPLES})
     * @return {@code succeededAt - createdAt} of each, newest result first
     */
    List<Duration> runTimes(String modelId, int limit);

    /**
     * The models with the most delivered jobs among the jobs created at or after {@code since}, most first (ties by
     * model id): what people are using now.
     *
     * @param since the start of the period
     * @param limit the most model ids to return
     * @return model ids, most delivered first
     */
    List<String> mostDelivered(Instant since, int limit);

    /**
     * Results already delivered keep what they went as for re-sends: their Telegram file ids (free, no size limits),
     * or the result's URL when it went as its link (too large for the platform, or an upload it refused), each beside
     * the provider's URL of its own file (which goes instead should the platform refuse the id); each result adds its
     * own. A job with none kept never reached its chat as far as the shop knows.
     *
     * @param id    the job
     * @param files what one sent result went as, each with its URL, appended after those kept before
     */
    void addDeliveredFiles(JobId id, List<DeliveredFile> files);

    /**
     * When the earliest active job can next be leased (due, and no live lease on it): the worker sleeps until
     * then. Empty when there is no active job.
     *
     * @return the earliest {@code nextCheckAt} (or lease end) of an active job; may be in the past
     */
    Optional<Instant> nextCheckAt();

    /**
     * The files {@link #addDeliveredFiles} kept for the job, in the order they were added (a history re-send uses
     * them), each with its own URL as it was added; empty if none.
     *
     * @param id the job
     * @return the files, in the order they were added
     */
    List<DeliveredFile> deliveredFiles(JobId id);

    /**
     * What the files {@link #deliveredFiles} kept went as (file ids or URLs), in order; empty if none. A default
     * because it is sound: read from {@link #deliveredFiles}, as a store would.
     *
     * @param id the job
     * @return the ids, in the order they were added
     */
    default List<String> deliveredFileIds(JobId id) {
        return deliveredFiles(id).stream().map(DeliveredFile::source).toList();
    }

    /**
     * Of the user's newest {@code limit} jobs ({@link #recent}), those DELIVERED with their result come after
     * {@code since} that have nothing kept of their delivery ({@link #addDeliveredFiles}): results that never reached
     * the chat as far as the shop knows (a send refused as blocked dropped them). Read in the settle of that send, so
     * a store in a database answers it in one query; this default reads each job's file ids in turn. A default
     * because it is sound: the same jobs, read slower.
     *
     * @param userId the user
     * @param since  results that came at or before it are left out
     * @param limit  how many of his newest jobs to look at
     * @return those jobs, newest created first
     */
    default List<Job> deliveredWithoutFileIds(long userId, Instant since, int limit) {
        return recent(userId, limit).stream()
                .filter(j -> j.state() == JobState.DELIVERED && j.succeededAt().filter(since::isBefore).isPresent())
                .filter(j -> deliveredFileIds(j.id()).isEmpty())
                .toList();
    }

    /** Compare-and-set attempts of {@link #transition} before leaving the job to the next worker pass. */
    int TRANSITION_ATTEMPTS = 8;

    /**
     * Applies {@code change} to the job if it still passes {@code guard}, retrying when another writer got
     * there first: the one way every service moves a job, so the optimistic-locking rule lives here. A store that
     * overrides it (one SQL statement, a row lock) must keep what the default does: the guard is asked of the job as
     * it is at the write, never only at a first read, so of racing transitions from one state exactly one wins
     * ({@code JobsContract} checks it). A default because it is sound: the rule itself, over {@link #find} and the
     * compare-and-set {@link #update} every store implements.
     *
     * @param id     the job
     * @param guard  what the job must still be for the change to apply (its state, say)
     * @param change the transition, applied to the job as stored
     * @return the stored job after the change; empty if the job is gone, the guard failed, or
     *         {@value #TRANSITION_ATTEMPTS} attempts all lost their race
     */
    default Optional<Job> transition(JobId id, Predicate<Job> guard, UnaryOperator<Job> change) {
        for (int attempt = 0; attempt < TRANSITION_ATTEMPTS; attempt++) {
            Optional<Job> current = find(id);
            if (current.isEmpty() || !guard.test(current.get())) {
                return Optional.empty();
            }
            Optional<Job> saved = update(change.apply(current.get()));
            if (saved.isPresent()) {
                return saved;
            }
        }
        return Optional.empty();
    }
}
