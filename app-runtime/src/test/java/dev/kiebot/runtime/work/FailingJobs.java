package dev.kiebot.runtime.work;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.ForwardingJobs;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.shop.Stores;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The real jobs, except that the next write moving a job to a chosen state fails, as a database lost at that
 * moment would (whatever committed with it must roll back too); or that another instance acts right after a chosen
 * read, before the writes that read was for.
 */
final class FailingJobs extends ForwardingJobs {
    private final AtomicReference<JobState> failingWriteTo = new AtomicReference<>();
    /** Writes to {@link #failingWriteTo} still to fail after the next one. */
    private final AtomicInteger failingWritesMore = new AtomicInteger();
    private final AtomicReference<Runnable> afterNextFind = new AtomicReference<>();
    /** Reads of a job still to return before {@link #afterNextFind}'s runs. */
    private final AtomicInteger findsBefore = new AtomicInteger();
    private final AtomicReference<JobState> afterWriteTo = new AtomicReference<>();
    private final AtomicReference<Runnable> afterWrite = new AtomicReference<>();

    FailingJobs(Jobs real) {
        super(real);
    }

    /** {@code stores} with these jobs in front of theirs. */
    static Stores around(Stores s, FailingJobs jobs) {
        return s.withJobs(jobs);
    }

    /** The next write of a job in {@code state} fails; the ones after it work. */
    void failNextWriteTo(JobState state) {
        failNextWritesTo(state, 1);
    }

    /** The next {@code n} writes of a job in {@code state} fail (a database lost for longer); the ones after work. 0: none. */
    void failNextWritesTo(JobState state, int n) {
        failingWritesMore.set(n - 1);
        failingWriteTo.set(n > 0 ? state : null);
    }

    /** Runs {@code meanwhile} once, right after the next read of a job returned. */
    void afterNextFind(Runnable meanwhile) {
        afterFind(1, meanwhile);
    }

    /** Runs {@code meanwhile} once, right after the {@code nth} next read of a job returned (1: the next). */
    void afterFind(int nth, Runnable meanwhile) {
        findsBefore.set(nth - 1);
        afterNextFind.set(meanwhile);
    }

    @Override
    public Optional<Job> find(JobId id) {
        Optional<Job> found = real.find(id);
        if (afterNextFind.get() != null && findsBefore.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return found;
        }
        Runnable meanwhile = afterNextFind.getAndSet(null);
        if (meanwhile != null) {
            meanwhile.run();
        }
        return found;
    }

    /** Runs {@code meanwhile} once, right after the next write moving a job to {@code state}, before the writer goes on. */
    void afterNextWriteTo(JobState state, Runnable meanwhile) {
        afterWrite.set(meanwhile);
        afterWriteTo.set(state);
    }

    @Override
    public Optional<Job> update(Job next) {
        if (next.state() == failingWriteTo.get()) {
            if (failingWritesMore.getAndDecrement() <= 0) {
                failingWriteTo.compareAndSet(next.state(), null);
            }
            throw new IllegalStateException("database unavailable");
        }
        Optional<Job> saved = real.update(next);
        if (saved.isPresent() && afterWriteTo.compareAndSet(next.state(), null)) {
            afterWrite.getAndSet(null).run();
        }
        return saved;
    }
}
