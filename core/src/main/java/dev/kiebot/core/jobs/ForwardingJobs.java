package dev.kiebot.core.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Jobs that hand every call to another store: the base for a decorator that watches or changes a few calls (metrics
 * and logs of each step, a test's injected fault) and leaves the rest to the real store. {@link #transition} is
 * not forwarded on purpose: its default reads and writes through this object, so a decorator of {@link #update}
 * sees every step whichever way it was made.
 */
public abstract class ForwardingJobs implements Jobs {
    /** The store every call not overridden goes to. */
    protected final Jobs real;

    /**
     * A store that forwards every call to {@code real}.
     *
     * @param real the store to forward to, e.g. {@code PgStores}' jobs
     */
    protected ForwardingJobs(Jobs real) {
        this.real = Objects.requireNonNull(real, "real");
    }

    /**
     * The store this one forwards to ({@link #real}): {@code Shop.Builder} reads it to refuse an in-memory store
     * behind a decorator beside a database's stores, as it refuses one given bare.
     *
     * @return {@link #real}
     */
    public final Jobs forwardsTo() {
        return real;
    }

    @Override
    public Job create(JobDraft draft) {
        return real.create(draft);
    }

    @Override
    public Optional<Job> find(JobId id) {
        return real.find(id);
    }

    @Override
    public Optional<Job> findByTaskId(String taskId) {
        return real.findByTaskId(taskId);
    }

    @Override
    public Optional<Job> update(Job next) {
        return real.update(next);
    }

    @Override
    public List<Job> lease(String worker, Instant now, Duration leaseFor, int limit) {
        return real.lease(worker, now, leaseFor, limit);
    }

    @Override
    public List<Job> recent(long userId, int limit) {
        return real.recent(userId, limit);
    }

    @Override
    public List<Job> unfinished(long userId, int limit) {
        return real.unfinished(userId, limit); // the store's indexed query, not the default's read of his history
    }

    @Override
    public List<Duration> runTimes(String modelId, int limit) {
        return real.runTimes(modelId, limit);
    }

    @Override
    public List<String> mostDelivered(Instant since, int limit) {
        return real.mostDelivered(since, limit);
    }

    @Override
    public void addDeliveredFiles(JobId id, List<DeliveredFile> files) {
        real.addDeliveredFiles(id, files);
    }

    @Override
    public Optional<Instant> nextCheckAt() {
        return real.nextCheckAt();
    }

    @Override
    public List<DeliveredFile> deliveredFiles(JobId id) {
        return real.deliveredFiles(id);
    }

    @Override
    public List<String> deliveredFileIds(JobId id) {
        return real.deliveredFileIds(id);
    }

    @Override
    public List<Job> deliveredWithoutFileIds(long userId, Instant since, int limit) {
        return real.deliveredWithoutFileIds(userId, since, limit); // the store's one query, not the default's reads
    }
}
