package dev.kiebot.core.testing;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.Jobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Jobs that hand every call to another: extend it and override the one call a test makes fail (a database lost at
 * that moment), the rest staying the real store's.
 */
public class ForwardingJobs implements Jobs {
    protected final Jobs real;

    public ForwardingJobs(Jobs real) {
        this.real = Objects.requireNonNull(real, "real");
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
