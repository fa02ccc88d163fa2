package dev.kiebot.core.testing.memory;

import dev.kiebot.core.jobs.DeliveredFile;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.shop.KeptInMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Jobs in memory with the same version and lease rules as the database. */
public final class InMemoryJobs implements Jobs, KeptInMemory {
    private final Map<JobId, Job> jobs = new LinkedHashMap<>();
    private final Map<JobId, Instant> leasedUntil = new HashMap<>();
    private final Map<JobId, List<DeliveredFile>> files = new HashMap<>();
    private long nextId = 1;

    /** An empty store: no job yet. */
    public InMemoryJobs() {
    }

    @Override
    public synchronized Job create(JobDraft draft) {
        Job job = draft.toJob(new JobId(nextId++));
        jobs.put(job.id(), job);
        return job;
    }

    @Override
    public synchronized Optional<Job> find(JobId id) {
        return Optional.ofNullable(jobs.get(id));
    }

    @Override
    public synchronized Optional<Job> findByTaskId(String taskId) {
        return jobs.values().stream().filter(j -> j.taskId().filter(taskId::equals).isPresent()).findFirst();
    }

    @Override
    public synchronized Optional<Job> update(Job next) {
        Job current = jobs.get(next.id());
        if (current == null || current.version() != next.version()) {
            return Optional.empty();
        }
        next.taskId().flatMap(this::findByTaskId).filter(other -> !other.id().equals(next.id())).ifPresent(other -> {
            // as PostgreSQL's unique index does: a callback for this task would find the other job
            throw new IllegalStateException("task id " + next.taskId().get() + " names job " + other.id().display()
                    + " already");
        });
        Job stored = next.withVersion(next.version() + 1);
        jobs.put(stored.id(), stored);
        leasedUntil.remove(stored.id());
        return Optional.of(stored);
    }

    @Override
    public synchronized List<Job> lease(String worker, Instant now, Duration leaseFor, int limit) {
        List<Job> due = jobs.values().stream()
                .filter(j -> JobState.active().contains(j.state()))
                .filter(j -> j.checkDue(now))
                .filter(j -> leasedUntil.getOrDefault(j.id(), Instant.MIN).isBefore(now))
                .sorted(Comparator.comparing(Job::nextCheckAt).thenComparing(j -> j.id().value()))
                .limit(limit)
                .toList();
        due.forEach(j -> leasedUntil.put(j.id(), now.plus(leaseFor)));
        return due;
    }

    @Override
    public synchronized List<Job> recent(long userId, int limit) {
        List<Job> mine = new ArrayList<>(jobs.values().stream().filter(j -> j.userId() == userId).toList());
        mine.sort(Comparator.comparing((Job j) -> j.id().value()).reversed());
        return mine.subList(0, Math.min(limit, mine.size()));
    }

    @Override
    public synchronized List<Job> unfinished(long userId, int limit) {
        return jobs.values().stream().filter(j -> j.userId() == userId && !j.state().isTerminal())
                .sorted(Comparator.comparing((Job j) -> j.id().value()).reversed())
                .limit(Math.max(0, limit))
                .toList();
    }

    @Override
    public synchronized List<Duration> runTimes(String modelId, int limit) {
        return jobs.values().stream()
                .filter(j -> j.modelId().equals(modelId) && j.succeededAt().isPresent())
                // a partly-done job keeps when its part came in succeededAt: no success to time yet
                .filter(j -> j.state() == JobState.SUCCEEDED || j.state() == JobState.DELIVERED)
                .filter(j -> !j.succeededAt().get().isBefore(j.createdAt()))
                .sorted(Comparator.comparing((Job j) -> j.succeededAt().get())
                        .thenComparing(j -> j.id().value()).reversed())
                .limit(Math.max(0, limit))
                .map(j -> Duration.between(j.createdAt(), j.succeededAt().get()))
                .toList();
    }

    @Override
    public synchronized List<String> mostDelivered(Instant since, int limit) {
        Map<String, Long> delivered = new HashMap<>();
        jobs.values().stream().filter(j -> j.state() == JobState.DELIVERED && !j.createdAt().isBefore(since))
                .forEach(j -> delivered.merge(j.modelId(), 1L, Long::sum));
        return delivered.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(Math.max(0, limit))
                .map(Map.Entry::getKey)
                .toList();
    }

    @Override
    public synchronized void addDeliveredFiles(JobId id, List<DeliveredFile> added) {
        List<DeliveredFile> all = new ArrayList<>(files.getOrDefault(id, List.of()));
        all.addAll(added);
        files.put(id, List.copyOf(all));
    }

    @Override
    public synchronized Optional<Instant> nextCheckAt() {
        return jobs.values().stream().filter(j -> JobState.active().contains(j.state()))
                .map(j -> {
                    Instant lease = leasedUntil.getOrDefault(j.id(), Instant.MIN);
                    return lease.isAfter(j.nextCheckAt()) ? lease : j.nextCheckAt();
                })
                .min(Comparator.naturalOrder());
    }

    @Override
    public synchronized List<DeliveredFile> deliveredFiles(JobId id) {
        return files.getOrDefault(id, List.of());
    }

    /**
     * Every job, for {@link InMemoryShopFigures}.
     *
     * @return the jobs in their latest state, oldest first
     */
    public synchronized List<Job> all() {
        return List.copyOf(jobs.values());
    }

    /**
     * {@code PersonalData.forget}'s part here: the inputs, results and delivered files of the user's finished jobs.
     *
     * @return how many of his jobs are still under way, kept whole
     */
    synchronized int forget(long userId) {
        int underWay = 0;
        for (Job j : List.copyOf(jobs.values())) {
            if (j.userId() != userId) {
                continue;
            }
            if (!j.state().isTerminal()) {
                underWay++;
                continue;
            }
            blank(j);
        }
        return underWay;
    }

    /**
     * {@code PersonalData.forgetOlder}'s part here: finished jobs ordered before {@code before} and not blanked yet,
     * at most {@code limit}, the oldest first, none that {@code kept} names.
     *
     * @return how many were blanked
     */
    synchronized int forgetOlder(java.time.Instant before, int limit, java.util.function.Predicate<Job> kept) {
        List<Job> due = jobs.values().stream().filter(j -> j.state().isTerminal() && j.createdAt().isBefore(before))
                .filter(kept.negate())
                .filter(j -> !j.values().isEmpty() || !j.files().isEmpty() || files.containsKey(j.id())
                        || j.result().filter(r -> !r.urls().isEmpty()).isPresent())
                .sorted(java.util.Comparator.comparing(Job::createdAt).thenComparing(j -> j.id().value()))
                .limit(Math.max(0, limit)).toList();
        due.forEach(this::blank);
        return due.size();
    }

    private void blank(Job j) {
        {
            jobs.put(j.id(), new Job(j.id(), j.userId(), j.chatId(), j.language(), j.modelId(), j.skuId(), Map.of(),
                    Map.of(), j.price(), j.free(), j.state(), j.taskId(), j.result().map(r -> new
                    dev.kiebot.core.jobs.JobResult(List.of(), r.kind())), j.failure(), j.failureKind(),
                    j.statusMessageId(),
                    j.createdAt(), j.deadline(), j.nextCheckAt(), j.succeededAt(), j.submittedAt(), j.polls(),
                    j.resultMissingReads(), j.version() + 1));
            files.remove(j.id());
        }
    }
}
