package dev.kiebot.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.jobs.DeliveredFile;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.jobs.MediaKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rules every {@link Jobs} store keeps. Extend it and return a fresh, empty store. */
@SuppressWarnings("ReturnValueIgnored") // orElseThrow() here asserts that the store found it: the contract fails when not
public abstract class JobsContract {
    /** Each task on a thread of its own: the common pool has one worker on two cores, and these tasks block. */
    private static final Executor ELSEWHERE = task -> new Thread(task, "contract-elsewhere").start();

    /** When {@link #draft}'s jobs are made: the tests' instants are counted from it. */
    protected static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    /** A message id past {@code int}, as Discord gives (its 64-bit snowflakes). */
    protected static final long SNOWFLAKE = 1_312_345_678_901_234_567L;
    /** The store under test: {@link #create}'s answer for this test. */
    protected Jobs jobs;

    /**
     * A fresh, empty store, called before each test. It needs no clock: every instant it keeps or compares comes
     * with the call (a draft's, a lease's {@code now}). The racing tests call the store from several threads at once.
     *
     * @return the store under test, with no job
     */
    protected abstract Jobs create();

    /** For your test class that extends it. */
    protected JobsContract() {
    }

    @BeforeEach
    void setUpJobs() {
        jobs = create();
    }

    /**
     * An image job's draft with every kind of field filled: a prompt and an aspect, two photos, a price of 312,
     * made at {@link #T0}, due 10 minutes later.
     *
     * @param userId the user ordering it, in his private chat (the chat's id is his)
     * @return the draft, for {@code Jobs.create}
     */
    protected static JobDraft draft(long userId) {
        return new JobDraft(userId, userId, "ru", "google/nano-banana", "default",
                Map.of("prompt", "a cat in a hat", "aspect_ratio", "16:9"),
                Map.of("image_urls", List.of("tg-file-1", "tg-file-2")), 312, false, T0, T0.plusSeconds(600));
    }

    /**
     * The machine's clock stepped back an hour (NTP) while a job ran: its next status read, set on the clock before
     * the step, is an hour ahead of the clock now, further than any look is given ({@code Job.lookAheadMax}: the job's
     * whole time, created to deadline, or five minutes). It is leased now ({@code Job.checkDue}), not after the hour with every job that ran then. A job
     * SUBMITTING waits out its window whatever the clock did (its createTask may be in flight): taken early, it would
     * be judged cut off mid-send and refunded while the provider makes its task.
     */
    @Test
    void aJobLookedAtBeforeTheClockSteppedBackIsLeasedAfterTheStep() {
        Job running = jobs.update(jobs.create(draft(7)).held()).orElseThrow();
        running = jobs.update(running.submittingUntil(T0.plusSeconds(300))).orElseThrow();
        running = jobs.update(running.submitted("task-1", T0.plusSeconds(2)).running()
                .checkAgainIn(T0.plusSeconds(5), Duration.ofSeconds(3))).orElseThrow();
        Job sending = jobs.update(jobs.create(draft(8)).held()).orElseThrow();
        jobs.update(sending.submittingUntil(T0.plusSeconds(300))).orElseThrow();
        assertThat(jobs.lease("w", T0.plusSeconds(7), Duration.ofSeconds(90), 10)).as("nothing due yet").isEmpty();

        Instant stepped = T0.minus(Duration.ofHours(1)).plusSeconds(10);

        assertThat(jobs.lease("w", stepped, Duration.ofSeconds(90), 10)).extracting(Job::id)
                .containsExactly(running.id());
    }

    @Test
    void createAssignsIdsAndStartsInCreated() {
        Job a = jobs.create(draft(7));
        Job b = jobs.create(draft(7));
        assertThat(a.id()).isNotEqualTo(b.id());
        assertThat(a.state()).isEqualTo(JobState.CREATED);
        assertThat(jobs.find(a.id())).contains(a);
        assertThat(a.values()).containsEntry("prompt", "a cat in a hat");
        assertThat(a.files()).containsEntry("image_urls", List.of("tg-file-1", "tg-file-2"));
    }

    @Test
    void everyFieldRoundTrips() {
        Job j = jobs.create(draft(7));
        Job held = jobs.update(j.held()).orElseThrow();
        Job sub = jobs.update(held.submitting()).orElseThrow();
        Job done = jobs.update(sub.submitted("task-9", T0.plusSeconds(2)).withStatusMessage(SNOWFLAKE)
                .checkAgainIn(T0, Duration.ofSeconds(3)).resultMissing(T0, Duration.ofSeconds(3))).orElseThrow();
        Job ok = jobs.update(done.succeeded(new JobResult(List.of("https://x/1.png"), MediaKind.PHOTO),
                T0.plusSeconds(42))).orElseThrow();
        Job read = jobs.find(j.id()).orElseThrow();
        assertThat(read).isEqualTo(ok);
        assertThat(read.taskId()).contains("task-9");
        assertThat(read.statusMessageId()).as("a 64-bit id (a Discord snowflake) round-trips").contains(SNOWFLAKE);
        assertThat(read.polls()).isEqualTo(2);
        assertThat(read.submittedAt()).contains(T0.plusSeconds(2));
        assertThat(read.resultMissingReads()).isEqualTo(1);
        assertThat(read.succeededAt()).contains(T0.plusSeconds(42));
        assertThat(read.result().orElseThrow().urls()).containsExactly("https://x/1.png");
        assertThat(jobs.findByTaskId("task-9")).contains(read);
        assertThat(jobs.findByTaskId("nope")).isEmpty();
        Job failed = jobs.update(jobs.create(draft(8)).failed("error.provider.failed")).orElseThrow();
        assertThat(jobs.find(failed.id()).orElseThrow().failure()).contains("error.provider.failed");
        assertThat(jobs.find(failed.id()).orElseThrow().failureKind()).as("a failure of the shop's own has no kind")
                .isEmpty();
        // the provider's kind of the error, as its adapter decided it: /find and the user's history say it
        Job refused = jobs.update(jobs.create(draft(10)).failed(ErrorKind.CONTENT_POLICY.messageKey(),
                Optional.of(ErrorKind.CONTENT_POLICY))).orElseThrow();
        assertThat(jobs.find(refused.id()).orElseThrow()).isEqualTo(refused)
                .extracting(Job::failureKind).isEqualTo(Optional.of(ErrorKind.CONTENT_POLICY));
        Job waiting = jobs.update(jobs.update(jobs.create(draft(9)).held()).orElseThrow()
                .failsAtDeadlineWith(Optional.of("error.file_unfetched"))).orElseThrow();
        assertThat(jobs.find(waiting.id()).orElseThrow().failure()).as("what a job not sent yet fails with at its "
                + "deadline is read back, as after a restart").contains("error.file_unfetched");
    }

    /**
     * A task id names one job: Kie's callback and a status read find the job by it, so a second job under the same id
     * would be read (and paid out) as the first. A store refuses the write that would make it (PostgreSQL: a unique
     * index), and the first job stays the one found.
     */
    @Test
    void aTaskIdNamesOneJob() {
        Job first = jobs.update(jobs.create(draft(7)).held()).orElseThrow();
        first = jobs.update(jobs.update(first.submitting()).orElseThrow().submitted("task-1", T0)).orElseThrow();
        Job second = jobs.update(jobs.update(jobs.create(draft(8)).held()).orElseThrow().submitting()).orElseThrow();

        Job clash = second.submitted("task-1", second.createdAt());
        assertThatThrownBy(() -> jobs.update(clash))
                .as("a second job under a task id already taken").isInstanceOf(RuntimeException.class);
        assertThat(jobs.findByTaskId("task-1")).contains(first);
        assertThat(jobs.find(second.id())).contains(second);
    }

    @Test
    void theNextCheckIsWhenTheEarliestActiveJobCanBeLeased() {
        assertThat(jobs.nextCheckAt()).isEmpty();
        jobs.create(draft(7)); // CREATED is not active
        assertThat(jobs.nextCheckAt()).isEmpty();
        Job held = jobs.update(jobs.create(draft(7)).held().checkAgainIn(T0, Duration.ofSeconds(30))).orElseThrow();
        jobs.update(jobs.create(draft(8)).held().checkAgainIn(T0, Duration.ofSeconds(60))).orElseThrow();
        assertThat(jobs.nextCheckAt()).contains(T0.plusSeconds(30));
        assertThat(jobs.lease("w", T0.plusSeconds(30), Duration.ofSeconds(90), 1)).extracting(Job::id)
                .containsExactly(held.id());
        assertThat(jobs.nextCheckAt()).as("the leased one waits for its lease").contains(T0.plusSeconds(60));
        jobs.update(jobs.find(held.id()).orElseThrow().failed("x"));
        assertThat(jobs.nextCheckAt()).contains(T0.plusSeconds(60));
    }

    @Test
    void aStaleVersionCannotOverwrite() {
        Job j = jobs.create(draft(7));
        assertThat(jobs.update(j.held())).isPresent();
        assertThat(jobs.update(j.failed("x"))).isEmpty();
        assertThat(jobs.find(j.id()).orElseThrow().state()).isEqualTo(JobState.HELD);
    }

    @Test
    void racingWritersOnlyOneWins() throws Exception {
        Job j = jobs.update(jobs.create(draft(7)).held()).orElseThrow();
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Boolean> wins = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            tasks.add(pool.submit(() -> {
                start.await();
                wins.add(jobs.update(k % 2 == 0 ? j.submitting() : j.failed("x")).isPresent());
                return null;
            }));
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        for (Future<?> task : tasks) {
            task.get(); // a call that threw fails the contract; the counts below see only answers
        }
        assertThat(wins.stream().filter(w -> w).count()).isEqualTo(1);
    }

    /**
     * A createTask the provider refused without taking it puts the job back from SUBMITTING to HELD, to be sent again
     * at its next check: the store keeps the state and the new check, and the job is leased again then. The move is a
     * compare-and-set on SUBMITTING: against a failure (a Cancel, an admin's refund) written meanwhile it loses.
     */
    @Test
    void aJobTheProviderNeverTookGoesBackToHeldOnlyFromSubmitting() {
        Job held = jobs.update(jobs.create(draft(7)).held()).orElseThrow();
        Job sending = jobs.transition(held.id(), j -> j.state() == JobState.HELD,
                j -> j.submittingUntil(T0.plusSeconds(300))).orElseThrow();
        Job back = jobs.transition(sending.id(), j -> j.state() == JobState.SUBMITTING,
                j -> j.unsent(T0.plusSeconds(15))).orElseThrow();
        assertThat(back.state()).isEqualTo(JobState.HELD);
        assertThat(back.nextCheckAt()).isEqualTo(T0.plusSeconds(15));
        assertThat(jobs.find(held.id())).contains(back);
        assertThat(jobs.lease("w", T0.plusSeconds(14), Duration.ofSeconds(90), 10)).isEmpty();
        assertThat(jobs.lease("w", T0.plusSeconds(15), Duration.ofSeconds(90), 10)).extracting(Job::id)
                .containsExactly(held.id());

        Job again = jobs.transition(held.id(), j -> j.state() == JobState.HELD,
                j -> j.submittingUntil(T0.plusSeconds(600))).orElseThrow();
        jobs.update(again.failed("cancelled")).orElseThrow(); // a Cancel, after `again` was read
        assertThat(jobs.transition(held.id(), j -> j.state() == JobState.SUBMITTING,
                j -> j.unsent(T0.plusSeconds(30)))).isEmpty();
        assertThat(jobs.find(held.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
    }

    @Test
    void aTransitionWhoseGuardFailsWritesNothing() {
        Job held = jobs.update(jobs.create(draft(7)).held()).orElseThrow();
        assertThat(jobs.transition(held.id(), j -> j.state() == JobState.CREATED, j -> j.failed("x"))).isEmpty();
        assertThat(jobs.find(held.id())).as("neither the state nor the version moved").contains(held);
        assertThat(jobs.transition(new JobId(999_999), j -> true, j -> j.failed("x"))).as("no such job").isEmpty();
    }

    @Test
    void aTransitionChangesTheJobAsItIsNowNotAsItWasRead() {
        Job held = jobs.update(jobs.create(draft(7)).held()).orElseThrow();
        jobs.update(held.withStatusMessage(55L)).orElseThrow(); // another writer, after `held` was read
        Job sending = jobs.transition(held.id(), j -> j.state() == JobState.HELD, Job::submitting).orElseThrow();
        assertThat(sending.state()).isEqualTo(JobState.SUBMITTING);
        assertThat(sending.statusMessageId()).as("the other writer's change is kept").contains(55L);
        assertThat(jobs.find(held.id())).contains(sending);
    }

    /**
     * Another writer gets in between the transition's read and its write (the worker takes the job to the provider
     * while a Cancel fails it): one of the two wins, never both — a job refunded after it went to the provider is
     * paid to the provider and returned to the user. A transition that lost its write may try again, but only on
     * the job as it is now and only if the guard still holds. A store that locks the job for the transition makes
     * the other writer wait and lose instead; either is right.
     */
    @Test
    void aTransitionThatLosesItsWriteAsksTheGuardAgain() throws Exception {
        Job held = jobs.update(jobs.create(draft(7)).held()).orElseThrow();
        AtomicReference<CompletableFuture<Optional<Job>>> other = new AtomicReference<>();
        Optional<Job> cancelled = jobs.transition(held.id(), j -> j.state() == JobState.HELD, j -> {
            if (other.get() == null) {
                other.set(CompletableFuture.supplyAsync(() -> jobs.update(j.submitting()), ELSEWHERE));
                try {
                    other.get().get(1, TimeUnit.SECONDS);
                } catch (TimeoutException locked) {
                    // the store holds the job for this transition: the other writer goes after it
                } catch (InterruptedException | ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
            return j.failed("job.cancelled");
        });
        Optional<Job> sent = other.get().get(1, TimeUnit.MINUTES);
        assertThat(cancelled.isPresent() ^ sent.isPresent()).as("exactly one writer wins: cancelled %s, sent %s",
                cancelled, sent).isTrue();
        assertThat(jobs.find(held.id())).contains(cancelled.orElseGet(sent::orElseThrow));
    }

    /**
     * The rule every "only once" of a job rests on (sent to the provider once, paid or refunded once): of racing
     * transitions guarded by the same state, one wins and the others see the guard fail. A store that overrides
     * {@link Jobs#transition} must keep it.
     */
    @Test
    void racingTransitionsFromOneStateHaveOneWinner() throws Exception {
        Job held = jobs.update(jobs.create(draft(7)).held()).orElseThrow();
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Job> wins = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            tasks.add(pool.submit(() -> {
                start.await();
                jobs.transition(held.id(), j -> j.state() == JobState.HELD,
                        j -> k % 2 == 0 ? j.submitting() : j.failed("x")).ifPresent(wins::add);
                return null;
            }));
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        for (Future<?> task : tasks) {
            task.get(); // a call that threw fails the contract; the counts below see only answers
        }
        assertThat(wins).hasSize(1);
        assertThat(jobs.find(held.id())).contains(wins.get(0));
    }

    @Test
    void leaseHandsOutDueActiveJobsOnce() {
        Job due = jobs.update(jobs.create(draft(7)).held()).orElseThrow();
        Job later = jobs.update(jobs.create(draft(8)).held().checkAgainIn(T0, Duration.ofMinutes(5))).orElseThrow();
        jobs.create(draft(9)); // CREATED: not active
        jobs.update(jobs.create(draft(10)).failed("x"));
        List<Job> first = jobs.lease("w1", T0.plusSeconds(1), Duration.ofSeconds(30), 10);
        assertThat(first).extracting(Job::id).containsExactly(due.id());
        assertThat(jobs.lease("w2", T0.plusSeconds(2), Duration.ofSeconds(30), 10)).isEmpty();
        // the first worker died: its lease runs out and the job comes back
        assertThat(jobs.lease("w2", T0.plusSeconds(40), Duration.ofSeconds(30), 10)).extracting(Job::id)
                .containsExactly(due.id());
        // both leases have run out by now; jobs come oldest check first
        assertThat(jobs.lease("w3", T0.plusSeconds(400), Duration.ofSeconds(30), 10)).extracting(Job::id)
                .containsExactly(due.id(), later.id());
    }

    /**
     * A lease takes at most its limit, the earliest checks first, and leaves the rest to the next: the worker asks for
     * what it can look at before the lease runs out ({@code JobWorker}), and jobs leased past it sit unlooked-at
     * under a lease nobody else may take.
     */
    @Test
    void aLeaseTakesAtMostItsLimitTheEarliestChecksFirst() {
        Job third = jobs.update(jobs.create(draft(7)).held().checkAgainIn(T0, Duration.ofSeconds(30))).orElseThrow();
        Job first = jobs.update(jobs.create(draft(8)).held().checkAgainIn(T0, Duration.ofSeconds(10))).orElseThrow();
        Job second = jobs.update(jobs.create(draft(9)).held().checkAgainIn(T0, Duration.ofSeconds(20))).orElseThrow();
        assertThat(jobs.lease("w1", T0.plusSeconds(60), Duration.ofSeconds(90), 2)).extracting(Job::id)
                .containsExactly(first.id(), second.id());
        assertThat(jobs.lease("w2", T0.plusSeconds(61), Duration.ofSeconds(90), 2)).extracting(Job::id)
                .as("the one left").containsExactly(third.id());
        assertThat(jobs.lease("w3", T0.plusSeconds(62), Duration.ofSeconds(90), 2)).isEmpty();
    }

    @Test
    void anUpdateEndsTheLease() {
        Job due = jobs.update(jobs.create(draft(7)).held()).orElseThrow();
        Job leased = jobs.lease("w1", T0, Duration.ofMinutes(5), 10).get(0);
        jobs.update(leased.checkAgainIn(T0, Duration.ofSeconds(3)));
        assertThat(jobs.lease("w2", T0.plusSeconds(2), Duration.ofMinutes(5), 10)).isEmpty();
        assertThat(jobs.lease("w2", T0.plusSeconds(3), Duration.ofMinutes(5), 10)).extracting(Job::id)
                .containsExactly(due.id());
    }

    @Test
    void concurrentLeasersNeverShareAJob() throws Exception {
        for (int i = 0; i < 40; i++) {
            jobs.update(jobs.create(draft(100 + i)).held());
        }
        int workers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<JobId> leased = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String name = "w" + w;
            tasks.add(pool.submit(() -> {
                start.await();
                for (int round = 0; round < 10; round++) {
                    jobs.lease(name, T0.plusSeconds(1), Duration.ofMinutes(1), 3).forEach(j -> leased.add(j.id()));
                }
                return null;
            }));
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        for (Future<?> task : tasks) {
            task.get(); // a call that threw fails the contract; the counts below see only answers
        }
        Set<JobId> unique = new HashSet<>(leased);
        assertThat(unique).hasSize(leased.size());
        assertThat(unique).hasSize(40);
    }

    @Test
    void recentIsNewestFirstPerUser() {
        Job a = jobs.create(draft(7));
        jobs.create(draft(8));
        Job c = jobs.create(draft(7));
        assertThat(jobs.recent(7, 10)).extracting(Job::id).containsExactly(c.id(), a.id());
        assertThat(jobs.recent(7, 1)).extracting(Job::id).containsExactly(c.id());
    }

    /**
     * A user's unfinished jobs, newest first, however many finished ones stand before them: read on every plain text
     * at the menu, where his newest 20 were read and filtered, and one running behind 20 finished ones was not seen.
     */
    @Test
    void unfinishedAreTheUsersJobsNotDoneNewestFirstBehindAnyNumberOfFinishedOnes() {
        Job old = jobs.update(jobs.create(draft(7)).held()).orElseThrow();
        jobs.create(draft(8));
        Job created = jobs.create(draft(7));
        for (int i = 0; i < 30; i++) {
            Job j = jobs.update(jobs.create(draft(7)).held()).orElseThrow();
            if (i % 2 == 0) {
                jobs.update(j.failed("error.provider_failed")).orElseThrow();
            } else {
                j = jobs.update(j.submitting()).orElseThrow();
                j = jobs.update(j.submitted("task-" + j.id().value(), T0)).orElseThrow();
                j = jobs.update(j.succeeded(new JobResult(List.of("https://x/r.png"), MediaKind.PHOTO), T0))
                        .orElseThrow();
                jobs.update(j.delivered()).orElseThrow();
            }
        }
        Job newest = jobs.update(jobs.create(draft(7)).held()).orElseThrow();
        Job sent = jobs.update(newest.submitting()).orElseThrow();
        assertThat(jobs.unfinished(7, 10)).extracting(Job::id).containsExactly(sent.id(), created.id(), old.id());
        assertThat(jobs.unfinished(7, 2)).extracting(Job::id).containsExactly(sent.id(), created.id());
        assertThat(jobs.unfinished(8, 10)).hasSize(1);
        assertThat(jobs.unfinished(9, 10)).isEmpty();
        assertThat(jobs.unfinished(7, 0)).isEmpty();
    }

    @Test
    void deliveredFileIdsAreKept() {
        Job a = jobs.create(draft(7));
        assertThat(jobs.deliveredFileIds(a.id())).isEmpty();
        assertThat(jobs.deliveredFiles(a.id())).isEmpty();
        jobs.addDeliveredFiles(a.id(), List.of(DeliveredFile.of("AgAD1", "https://x/1.png"),
                DeliveredFile.of("AgAD2", "https://x/1.png")));
        assertThat(jobs.deliveredFileIds(a.id())).containsExactly("AgAD1", "AgAD2");
        jobs.addDeliveredFiles(a.id(), List.of(new DeliveredFile("AgAD3", Optional.empty())));
        assertThat(jobs.deliveredFileIds(a.id())).as("each result adds its own").containsExactly("AgAD1", "AgAD2",
                "AgAD3");
        assertThat(jobs.deliveredFiles(a.id())).as("a URL not known is kept as not known").containsExactly(
                DeliveredFile.of("AgAD1", "https://x/1.png"), DeliveredFile.of("AgAD2", "https://x/1.png"),
                new DeliveredFile("AgAD3", Optional.empty()));
        assertThat(jobs.find(new JobId(999_999))).isEqualTo(Optional.empty());
    }

    /**
     * A job of three files that reached the user out of order (the second first, then the first and the third, sent
     * again after a block) keeps each file id beside its own file's URL, whatever the order: a history re-send whose
     * file id the platform refuses sends that URL. Kept apart and paired by order, the first id went with the first
     * URL of the result, the second file's, and he asked for one picture and got another.
     */
    @Test
    void deliveredFilesKeepEachItsOwnUrlWhateverOrderTheyCameIn() {
        Job a = jobs.create(draft(7));
        Job other = jobs.create(draft(7));
        jobs.addDeliveredFiles(a.id(), List.of(DeliveredFile.of("AgAD2", "https://x/2.png")));
        jobs.addDeliveredFiles(other.id(), List.of(DeliveredFile.of("AgAD9", "https://x/9.png")));
        jobs.addDeliveredFiles(a.id(), List.of(DeliveredFile.of("AgAD1", "https://x/1.png")));
        jobs.addDeliveredFiles(a.id(), List.of(DeliveredFile.of("AgAD3", "https://x/3.png")));

        assertThat(jobs.deliveredFiles(a.id())).containsExactly(DeliveredFile.of("AgAD2", "https://x/2.png"),
                DeliveredFile.of("AgAD1", "https://x/1.png"), DeliveredFile.of("AgAD3", "https://x/3.png"));
        assertThat(jobs.deliveredFileIds(a.id())).containsExactly("AgAD2", "AgAD1", "AgAD3");
        assertThat(jobs.deliveredFiles(other.id())).as("another job's")
                .containsExactly(DeliveredFile.of("AgAD9", "https://x/9.png"));
    }

    /**
     * The results a send refused as blocked dropped: of the user's newest jobs, the delivered ones whose result came
     * after the instant given and that kept nothing of their delivery (neither file ids nor a link's URL).
     */
    @Test
    void deliveredWithoutFileIdsAreTheUsersNewestResultsThatKeptNothing() {
        Job dayBefore = succeeded("kling", T0.minus(Duration.ofDays(1)), Duration.ofSeconds(100), true);
        Job kept = succeeded("kling", T0, Duration.ofSeconds(100), true);
        jobs.addDeliveredFiles(kept.id(), List.of(DeliveredFile.of("AgAD1", "https://x/r.png")));
        Job linked = succeeded("kling", T0, Duration.ofSeconds(100), true);
        jobs.addDeliveredFiles(linked.id(), List.of(DeliveredFile.of("https://x/r.png", "https://x/r.png")));
        Job dropped = succeeded("kling", T0.plusSeconds(10), Duration.ofSeconds(100), true);
        Job droppedToo = succeeded("veo", T0.plusSeconds(20), Duration.ofSeconds(100), true);
        Job notDelivered = succeeded("kling", T0.plusSeconds(30), Duration.ofSeconds(100), false);

        assertThat(jobs.deliveredWithoutFileIds(7, T0, 10)).extracting(Job::id)
                .containsExactly(droppedToo.id(), dropped.id());
        assertThat(jobs.deliveredWithoutFileIds(7, T0, 2)).as("of the newest jobs only").extracting(Job::id)
                .containsExactly(droppedToo.id());
        assertThat(jobs.deliveredWithoutFileIds(7, T0.plusSeconds(115), 10)).as("results after the instant only")
                .extracting(Job::id).containsExactly(droppedToo.id());
        assertThat(jobs.deliveredWithoutFileIds(7, T0.minus(Duration.ofDays(2)), 10)).extracting(Job::id)
                .containsExactly(droppedToo.id(), dropped.id(), dayBefore.id());
        assertThat(jobs.deliveredWithoutFileIds(8, T0, 10)).as("another user's").isEmpty();
        assertThat(notDelivered.state()).isEqualTo(JobState.SUCCEEDED);
    }

    /** A job of {@code model} created at {@code created} whose result came {@code took} later, delivered or not. */
    private Job succeeded(String model, Instant created, Duration took, boolean delivered) {
        JobDraft d = draft(7);
        Job j = jobs.create(new JobDraft(d.userId(), d.chatId(), d.language(), model, d.skuId(), d.values(),
                d.files(), d.price(), d.free(), created, created.plusSeconds(3600)));
        j = jobs.update(j.held()).orElseThrow();
        j = jobs.update(j.submitting()).orElseThrow();
        j = jobs.update(j.submitted("task-" + j.id().value(), j.createdAt())).orElseThrow();
        j = jobs.update(j.succeeded(new JobResult(List.of("https://x/r.png"), MediaKind.PHOTO), created.plus(took)))
                .orElseThrow();
        return delivered ? jobs.update(j.delivered()).orElseThrow() : j;
    }

    @Test
    void runTimesAreTheNewestSuccessfulJobsOfTheModelNewestFirst() {
        succeeded("kling", T0, Duration.ofSeconds(100), true);
        succeeded("kling", T0.plusSeconds(10), Duration.ofSeconds(200), false);
        succeeded("kling", T0.plusSeconds(20), Duration.ofMillis(150_500), true);
        succeeded("veo", T0, Duration.ofSeconds(60), true);
        jobs.update(jobs.create(draft(7)).failed("error.provider_failed"));
        Job running = jobs.update(jobs.create(draft(7)).held()).orElseThrow();
        assertThat(running.succeededAt()).isEmpty();
        // part of a result seen done (a Veo 720p while its 1080p is asked for): kept on the job, yet no success to time
        JobDraft d = draft(7);
        Job waiting = jobs.create(new JobDraft(d.userId(), d.chatId(), d.language(), "kling", d.skuId(), d.values(),
                d.files(), d.price(), d.free(), T0.plusSeconds(40), T0.plusSeconds(3640)));
        waiting = jobs.update(waiting.held()).orElseThrow();
        waiting = jobs.update(waiting.submitting()).orElseThrow();
        waiting = jobs.update(waiting.submitted("task-partly", T0.plusSeconds(40))).orElseThrow();
        waiting = jobs.update(waiting.partlyDoneAt(T0.plusSeconds(45))).orElseThrow();
        assertThat(jobs.find(waiting.id()).orElseThrow().succeededAt()).as("the partly-done time is kept")
                .contains(T0.plusSeconds(45));
        // results came at T0+100, T0+210, T0+170.5: newest result first
        assertThat(jobs.runTimes("kling", 10)).containsExactly(Duration.ofSeconds(200), Duration.ofMillis(150_500),
                Duration.ofSeconds(100));
        assertThat(jobs.runTimes("kling", 2)).containsExactly(Duration.ofSeconds(200), Duration.ofMillis(150_500));
        assertThat(jobs.runTimes("veo", 10)).containsExactly(Duration.ofSeconds(60));
        assertThat(jobs.runTimes("google/nano-banana", 10)).isEmpty();
        assertThat(jobs.runTimes("nobody", 10)).isEmpty();
    }

    @Test
    void mostDeliveredCountsDeliveredJobsCreatedSinceMostFirst() {
        Instant week = T0.minus(Duration.ofDays(7));
        for (int i = 0; i < 3; i++) {
            succeeded("veo", T0.plusSeconds(i), Duration.ofSeconds(30), true);
        }
        succeeded("kling", T0, Duration.ofSeconds(30), true);
        succeeded("kling", T0, Duration.ofSeconds(30), true);
        succeeded("z-image", T0, Duration.ofSeconds(3), true);
        succeeded("a-image", T0, Duration.ofSeconds(3), true);
        // not delivered, or too old: not counted
        succeeded("suno", T0, Duration.ofSeconds(30), false);
        succeeded("suno", T0, Duration.ofSeconds(30), false);
        succeeded("old", week.minusSeconds(1), Duration.ofSeconds(30), true);
        succeeded("old", week.minusSeconds(2), Duration.ofSeconds(30), true);
        assertThat(jobs.mostDelivered(week, 10)).containsExactly("veo", "kling", "a-image", "z-image");
        assertThat(jobs.mostDelivered(week, 2)).containsExactly("veo", "kling");
        assertThat(jobs.mostDelivered(week.minusSeconds(2), 10)).contains("old");
        assertThat(jobs.mostDelivered(week.minusSeconds(1), 10)).as("a job created at since counts")
                .containsExactly("veo", "kling", "a-image", "old", "z-image");
        assertThat(jobs.mostDelivered(T0.plusSeconds(1), 10)).containsExactly("veo");
    }
}
