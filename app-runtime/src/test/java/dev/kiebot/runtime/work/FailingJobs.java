package dev.kiebot.runtime.work;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.shop.Stores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real jobs, except that the next write moving a job to a chosen state fails, as a database lost at that
 * moment would: whatever committed with it must roll back too.
 */
final class FailingJobs implements Jobs {
    private final Jobs real;
    private final AtomicReference<JobState> failingWriteTo = new AtomicReference<>();

    FailingJobs(Jobs real) {
        this.real = real;
    }

    /** {@code stores} with these jobs in front of theirs. */
    static Stores around(Stores s, FailingJobs jobs) {
        return new Stores(s.users(), s.chatStates(), s.ledger(), jobs, s.payments(), s.freeUsage(),
                s.processedUpdates(), s.audit(), s.admissions(), s.broadcasts(), s.manualTopUps(),
                s.supportTickets(), s.figures(), s.pendingReplies(), s.transactions());
    }

    /** The next write of a job in {@code state} fails; the ones after it work. */
    void failNextWriteTo(JobState state) {
        failingWriteTo.set(state);
    }

    @Override
    public Optional<Job> update(Job next) {
        if (failingWriteTo.compareAndSet(next.state(), null)) {
            throw new IllegalStateException("database unavailable");
        }
        return real.update(next);
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
    public List<Job> lease(String worker, Instant now, Duration leaseFor, int limit) {
        return real.lease(worker, now, leaseFor, limit);
    }

    @Override
    public List<Job> recent(long userId, int limit) {
        return real.recent(userId, limit);
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
    public void addDeliveredFileIds(JobId id, List<String> fileIds) {
        real.addDeliveredFileIds(id, fileIds);
    }

    @Override
    public Optional<Instant> nextCheckAt() {
        return real.nextCheckAt();
    }

    @Override
    public List<String> deliveredFileIds(JobId id) {
        return real.deliveredFileIds(id);
    }
}
