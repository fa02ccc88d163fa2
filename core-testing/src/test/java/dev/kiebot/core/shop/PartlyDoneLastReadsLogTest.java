package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job whose task was seen partly done is read again past its deadline when its read fails for a reason that passes
 * (Kie's 5xx): every {@code JobWorker.RETRY} (5 s) for up to {@code JobWorker.PARTLY_DONE_LAST_READS} (5 minutes).
 * Each failed read wrote two WARNING lines, 120 for one job in an outage of 5 minutes; now a spell of failed reads is
 * one WARNING at its start (the reads after at DEBUG) and one line at its end, saying how many failed.
 */
class PartlyDoneLastReadsLogTest {
    private ShopHarness h;
    private User user;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(42, "start");
        user = h.stores.users().find(42).orElseThrow();
        h.topUp(42, 10_000);
    }

    private static final TaskStatus.PartlyDone PART = new TaskStatus.PartlyDone(new TaskStatus.Succeeded(
            new JobResult(List.of("https://r/take-1.mp3"), MediaKind.AUDIO), Optional.empty(), 1));

    /** A job partly done at Kie, then past its deadline with every read of it failing (a 5xx). */
    private Job partlyDoneThenReadsFailPastTheDeadline() {
        Generations.Start s = h.shop.generations().start(user, 42,
                new Effect.StartJob("img/m9", "default", Map.of("prompt", "a cat"), Map.of(), 300, false));
        Job j = ((Generations.Start.Started) s).job();
        h.work(10);
        h.provider.set("task-1", PART);
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stored(j).state()).isEqualTo(JobState.RUNNING);
        assertThat(h.stored(j).succeededAt()).as("seen partly done").isPresent();
        h.provider.failStatus("task-1", new ProviderException(ErrorKind.SERVER, "HTTP 500", true));
        h.clock.advance(Duration.between(h.clock.instant(), h.stored(j).deadline()).plusSeconds(1));
        return j;
    }

    private List<String> readLines(List<String> lines) {
        return lines.stream().filter(l -> l.contains("status read")).toList();
    }

    @Test
    void aSpellOfFailedReadsIsOneWarningAndALineWhenAReadAnswersAgain() {
        Job j = partlyDoneThenReadsFailPastTheDeadline();
        List<String> lines;
        try (LoggedLines logged = LoggedLines.recording(JobWorker.class, Level.INFO)) {
            h.work(10);
            for (int i = 0; i < 23; i++) {
                h.clock.advance(Duration.ofSeconds(5));
                h.work(10);
            }
            assertThat(h.stored(j).state()).as("read again: a part of it is made").isEqualTo(JobState.RUNNING);
            h.provider.set("task-1", PART);
            h.clock.advance(Duration.ofSeconds(5));
            h.work(10);
            lines = readLines(logged.lines());
        }

        assertThat(h.stored(j).state()).as("the part delivered").isEqualTo(JobState.DELIVERED);
        assertThat(lines).filteredOn(l -> l.startsWith("WARNING")).singleElement()
                .satisfies(l -> assertThat(l).contains(j.id().display(), "last status read at the deadline failed",
                        "HTTP 500"));
        assertThat(lines).filteredOn(l -> !l.startsWith("WARNING")).singleElement()
                .satisfies(l -> assertThat(l).startsWith("INFO").contains(j.id().display(), "answered after 24 failed",
                        "PT2M"));
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * A job in its spell ended by other means (here failed as an admin's stop fails it): the worker never reads it
     * again, and its spell, kept until 1024 newer ones pushed it out, is dropped at the worker's next pass, its line
     * saying how it ended.
     */
    @Test
    void theSpellOfAJobEndedByOtherMeansIsDroppedAtTheNextPass() {
        Job j = partlyDoneThenReadsFailPastTheDeadline();
        h.work(10);
        assertThat(h.shop.worker().failedLastReadSpellsKept()).as("in its spell").isEqualTo(1);
        h.shop.generations().fail(j.id(), ErrorKind.TIMEOUT.messageKey(), "stopped by an admin");
        assertThat(h.stored(j).state()).isEqualTo(JobState.FAILED);
        List<String> lines;
        try (LoggedLines logged = LoggedLines.recording(JobWorker.class, Level.INFO)) {
            h.clock.advance(Duration.ofSeconds(11));
            h.work(10);
            lines = readLines(logged.lines());
        }

        assertThat(h.shop.worker().failedLastReadSpellsKept()).as("dropped with the job").isZero();
        assertThat(lines).singleElement().satisfies(l -> assertThat(l).startsWith("INFO")
                .contains(j.id().display(), "end with the job, FAILED meanwhile, after 1 failed"));
    }

    @Test
    void aSpellOfFailedReadsGivenUpIsOneWarningAtItsStartAndOneAtItsEnd() {
        Job j = partlyDoneThenReadsFailPastTheDeadline();
        List<String> lines;
        try (LoggedLines logged = LoggedLines.recording(JobWorker.class, Level.INFO)) {
            for (int i = 0; i < 100 && !h.stored(j).state().isTerminal(); i++) {
                h.work(10);
                h.clock.advance(Duration.ofSeconds(5));
            }
            lines = readLines(logged.lines());
        }

        assertThat(h.stored(j).state()).as("refunded after 5 minutes of failed reads").isEqualTo(JobState.FAILED);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("WARNING").contains(j.id().display(),
                "last status read at the deadline failed");
        assertThat(lines.get(1)).startsWith("WARNING").contains(j.id().display(), "given up after 60 failed", "HTTP 500");
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }
}
