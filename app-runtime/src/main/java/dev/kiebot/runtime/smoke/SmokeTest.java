package dev.kiebot.runtime.smoke;

import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.PollPolicy;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.shop.JobWorker;
import dev.kiebot.telegram.RedirectGuard;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code SMOKE_TEST_ON_START}: one real generation over the outside parts a customer's uses (the ledger, Kie, the
 * download), called directly rather than through the shop's jobs, run once in the background after start: the price is held in the ledger (on a system account, then released: nobody pays),
 * the task is created at Kie, its result awaited by polling (a Kie callback wakes the wait early) and downloaded.
 * Each step is timed; the outcome goes to {@code report} (the log and the admins). It never blocks readiness, and
 * under {@code KIE_STUB} it does not run at all.
 */
public final class SmokeTest {
    /** The system account the smoke test's hold is taken from; it is always released. */
    public static final AccountId ACCOUNT = new AccountId("system:smoke-test");
    private static final Logger LOG = LoggerFactory.getLogger(SmokeTest.class);

    /** The steps, in order; a failure names the one it happened in. */
    public enum Step { HOLD, CREATE_TASK, RESULT, DOWNLOAD }

    /** What a {@link Timing} measured. */
    public enum Measure { HOLD, CREATE_TASK, CALLBACK, RESULT, DOWNLOAD }

    /**
     * One step done and how long it took: measured here, put in words by whoever reports it (the log in the
     * operator's English, the admins' message in their language).
     *
     * @param count what the step counted: status reads for {@link Measure#RESULT}, KiB for {@link Measure#DOWNLOAD},
     *              0 otherwise
     */
    public record Timing(Measure what, Duration took, long count) {
        /** As the log says it: {@code createTask 0.34 s}, {@code result after 9.20 s (4 status reads)}. */
        public String english() {
            String t = seconds(took);
            return switch (what) {
                case HOLD -> "hold " + t;
                case CREATE_TASK -> "createTask " + t;
                case CALLBACK -> "Kie callback after " + t;
                case RESULT -> "result after " + t + " (" + count + " status reads)";
                case DOWNLOAD -> "download " + count + " KiB in " + t;
            };
        }
    }

    /**
     * @param failedAt empty when every step passed
     * @param detail   the task id and result size, or why it failed (never a secret: the provider's messages are
     *                 redacted by the adapter)
     * @param timings  one entry per step done
     */
    public record Outcome(Optional<Step> failedAt, String detail, List<Timing> timings, Duration total) {
        public Outcome {
            timings = List.copyOf(timings);
        }

        public boolean passed() {
            return failedAt.isEmpty();
        }
    }

    private final SmokePlan plan;
    private final Ledger ledger;
    private final GenerationProvider provider;
    private final PollPolicy polls;
    private final Duration deadline;
    private final Optional<String> callbackUrl;
    private final Clock clock;
    private final String holdId;
    private final ResultDownload download;
    private final Semaphore callback = new Semaphore(0);
    private volatile Optional<String> taskId = Optional.empty();

    /**
     * @param resultsFrom the provider's API, whose answers name the result's URL ({@code KIE_BASE_URL}): the download
     *                    reaches no further inward than its host, as the delivery's
     * @param deadline    how long the result may take (the shop's deadline for the model's category)
     * @param instance    names this instance in the hold's id
     */
    public SmokeTest(SmokePlan plan, Ledger ledger, GenerationProvider provider, URI resultsFrom, PollPolicy polls,
                     Duration deadline, Optional<String> callbackUrl, Clock clock, String instance) {
        this.plan = plan;
        this.ledger = ledger;
        this.provider = provider;
        this.download = new ResultDownload(new RedirectGuard().forUrlsFrom(resultsFrom));
        this.polls = polls;
        this.deadline = deadline;
        this.callbackUrl = callbackUrl;
        this.clock = clock;
        this.holdId = "smoke:" + instance + ":" + clock.millis();
    }

    public SmokePlan plan() {
        return plan;
    }

    /** Runs once on a thread of its own and hands the outcome to {@code report}. */
    public Thread startInBackground(Consumer<Outcome> report) {
        Thread t = new Thread(() -> report.accept(run()), "smoke-test");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Kie said a task is done: if it is ours, stop waiting for the next status read.
     *
     * @return whether the task is this smoke test's (no job's: the shop's worker need not look for it)
     */
    public boolean callbackFor(String task) {
        if (taskId.filter(task::equals).isPresent()) {
            callback.release();
            return true;
        }
        return false;
    }

    /** The whole path, step by step; the hold is always released. */
    public Outcome run() {
        Instant started = clock.instant();
        List<Timing> timings = new ArrayList<>();
        Trial trial = new Trial(timings);
        try {
            return trial.steps(started);
        } finally {
            if (trial.held) {
                ledger.voidHold(Ledger.voidId(holdId), holdId);
            }
        }
    }

    /** One run's progress: which step it is in, what it held. */
    private final class Trial {
        private final List<Timing> timings;
        private Step step = Step.HOLD;
        private boolean held;

        Trial(List<Timing> timings) {
            this.timings = timings;
        }

        Outcome steps(Instant started) {
            try {
                Instant t = clock.instant();
                LedgerResult hold = ledger.hold(holdId, ACCOUNT, AccountId.REVENUE, plan.price(),
                        TransferKind.GENERATION, clock.instant().plus(deadline).plus(deadline));
                if (!hold.succeeded()) {
                    return failed(started, "the ledger refused the hold: " + hold);
                }
                held = true;
                timings.add(new Timing(Measure.HOLD, since(t), 0));
                step = Step.CREATE_TASK;
                t = clock.instant();
                String task = provider.submit(new SubmitRequest(plan.model(), plan.scalarValues(), plan.fileUrls(),
                        callbackUrl, holdId));
                taskId = Optional.of(task);
                timings.add(new Timing(Measure.CREATE_TASK, since(t), 0));
                step = Step.RESULT;
                String url = awaitResult(task); // times itself, from the submit
                step = Step.DOWNLOAD;
                Instant d = clock.instant();
                long bytes = download.fetch(url);
                timings.add(new Timing(Measure.DOWNLOAD, since(d), bytes / 1024));
                return new Outcome(Optional.empty(), "Kie task " + task + ", price " + plan.price()
                        + " (held and released)", timings, Duration.between(started, clock.instant()));
            } catch (ProviderException e) {
                return failed(started, e.getMessage());
            } catch (IOException e) {
                return failed(started, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed(started, "interrupted");
            }
        }

        private String awaitResult(String task) throws ProviderException, InterruptedException, IOException {
            Instant submitted = clock.instant();
            int resultMissing = 0;
            for (int reads = 0; ; ) {
                Duration elapsed = Duration.between(submitted, clock.instant());
                if (elapsed.compareTo(deadline) >= 0) {
                    throw new IOException("no result after " + seconds(elapsed) + " (" + reads + " status reads)");
                }
                if (callback.tryAcquire(polls.nextDelay(reads, elapsed).toMillis(), TimeUnit.MILLISECONDS)) {
                    timings.add(new Timing(Measure.CALLBACK, since(submitted), 0));
                }
                Optional<TaskStatus> read = read(task, submitted);
                reads++;
                if (read.isEmpty()) {
                    continue;
                }
                TaskStatus status = read.get();
                if (status instanceof TaskStatus.Succeeded s) {
                    timings.add(new Timing(Measure.RESULT, since(submitted), reads));
                    return s.result().urls().stream().findFirst()
                            .orElseThrow(() -> new IOException("Kie reported success without a result URL"));
                }
                if (status instanceof TaskStatus.Failed f) {
                    throw new IOException("Kie failed the task: " + f.kind() + " " + f.detail());
                }
                // as the shop's worker does: a success without a result is read again, a bounded number of times
                if (status instanceof TaskStatus.ResultMissing m
                        && ++resultMissing > JobWorker.RESULT_MISSING_READS_MAX) {
                    throw new IOException(m.detail() + " (" + resultMissing + " status reads)");
                }
            }
        }

        /**
         * One status read; empty when Kie does not know the task yet. As the shop's worker does: Kie had stored the
         * task when it answered createTask, so a 404 within {@link JobWorker#NOT_FOUND_GRACE} of the submission is
         * its status store catching up and the task is read again on the usual schedule; a 404 after it, or any
         * other failed read, fails the run.
         */
        private Optional<TaskStatus> read(String task, Instant submitted) throws ProviderException {
            try {
                return Optional.of(provider.status(plan.model(), task));
            } catch (ProviderException e) {
                if (e.kind() != ErrorKind.NOT_FOUND || !JobWorker.readAgainWhenNotFound(submitted, clock.instant())) {
                    throw e;
                }
                LOG.warn("smoke test: Kie does not know task {} yet ({}); reading it again", task, e.getMessage());
                return Optional.empty();
            }
        }

        private Outcome failed(Instant started, String why) {
            return new Outcome(Optional.of(step), why, timings, Duration.between(started, clock.instant()));
        }

        private Duration since(Instant t) {
            return Duration.between(t, clock.instant());
        }
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.2f s", d.toMillis() / 1000.0);
    }
}
