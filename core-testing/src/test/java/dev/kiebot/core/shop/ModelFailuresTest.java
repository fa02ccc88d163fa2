package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A model that keeps failing at the provider is told to the admins once, with the command that pauses it. */
class ModelFailuresTest {
    private static final long U = 42;
    /** Another user: one user's failures alone never tell. */
    private static final long V = 43;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(U, V);
        h.topUp(U, 100_000);
        h.topUp(V, 100_000);
        h.messenger.drain();
    }

    /** img/m9 ordered by {@code user} and ended by the provider with {@code status}. @return what went to the admin */
    private List<Reply> foxEnded(long user, TaskStatus status) {
        Job job = h.runningFoxImage(user);
        h.provider.set(job.taskId().orElseThrow(), status);
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stores.jobs().find(job.id()).orElseThrow().state())
                .isIn(JobState.FAILED, JobState.DELIVERED);
        return h.messenger.drain().stream().filter(r -> r.chatId() == ShopHarness.ADMIN).toList();
    }

    private List<Reply> foxFailed(ErrorKind kind) {
        return foxFailed(U, kind);
    }

    private List<Reply> foxFailed(long user, ErrorKind kind) {
        return foxEnded(user, new TaskStatus.Failed(kind, "boom"));
    }

    private List<Reply> foxDone() {
        return foxEnded(U, new TaskStatus.Succeeded(new JobResult(List.of("https://files/out.png"), MediaKind.PHOTO),
                Optional.empty()));
    }

    @Test
    void theFifthProviderFailureInARowTellsTheAdminsOnceUntilASuccess() {
        for (int i = 1; i < ModelFailures.IN_A_ROW; i++) {
            assertThat(foxFailed(ErrorKind.GENERATION_FAILED)).as("failure %d", i).isEmpty();
        }
        String alert = lastText(foxFailed(V, ErrorKind.SERVER));
        assertThat(alert).contains("Image img/m9", "5\u00A0generations in a row", h.lastJob(V).id().display(),
                "/pause img/m9", "/resume img/m9");
        assertThat(foxFailed(ErrorKind.SERVER)).as("told already").isEmpty();

        assertThat(foxDone()).isEmpty();
        for (int i = 1; i < ModelFailures.IN_A_ROW; i++) {
            assertThat(foxFailed(ErrorKind.SERVER)).as("after a success, failure %d", i).isEmpty();
        }
        assertThat(lastText(foxFailed(V, ErrorKind.SERVER))).contains("5\u00A0generations in a row");
    }

    /**
     * Kie's internal error (a 500) told the user «Try again or change the description», which no description fixes:
     * he now reads to try later or another model, and the failure counts against the model as before (Kie's own).
     */
    @Test
    void kiesInternalErrorsTellTheUserToTryLaterOrAnotherModelAndStillCount() {
        for (int i = 1; i < ModelFailures.IN_A_ROW; i++) {
            Job job = h.runningFoxImage(U);
            h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.SERVER, "internal error"));
            h.clock.advance(Duration.ofSeconds(5));
            h.work(10);
            List<Reply> replies = h.messenger.drain();
            assertThat(h.stores.jobs().find(job.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
            assertThat(replies.stream().filter(r -> r.chatId() == ShopHarness.ADMIN)).as("failure %d", i).isEmpty();
            assertThat(ShopHarness.lastTextTo(replies, U)).as("failure %d", i)
                    .contains("internal error. Try again later or pick another model")
                    .doesNotContain("description");
        }
        assertThat(lastText(foxFailed(V, ErrorKind.SERVER))).contains("5\u00A0generations in a row", "/pause img/m9");
    }

    /**
     * Kie reports some refusals of a user's input as its own failure: one user alone, failing a working model on
     * purpose as often as he likes (each refunded), does not have the admins told it is down; the row still counts
     * his failures, and another user's failure in it tells.
     */
    @Test
    void oneUsersFailuresAloneNeverTellTheAdmins() {
        for (int i = 1; i <= 2 * ModelFailures.IN_A_ROW; i++) {
            assertThat(foxFailed(U, ErrorKind.GENERATION_FAILED)).as("failure %d of one user", i).isEmpty();
        }
        assertThat(lastText(foxFailed(V, ErrorKind.GENERATION_FAILED)))
                .contains("11\u00A0generations in a row", h.lastJob(V).id().display());
    }

    @Test
    void failuresOfTheUsersOwnInputDoNotCountNorBreakTheRow() {
        for (int i = 1; i < ModelFailures.IN_A_ROW; i++) {
            foxFailed(ErrorKind.SERVER);
        }
        assertThat(foxFailed(V, ErrorKind.INVALID_INPUT)).as("a refused prompt is the user's").isEmpty();
        assertThat(lastText(foxFailed(V, ErrorKind.SERVER))).contains("5\u00A0generations in a row");
    }

    @Test
    void aPausedModelIsNotToldAbout() {
        h.admin("pause", "img/m9");
        h.messenger.drain();
        // jobs ordered before the pause still run and fail
        h.admin("resume", "img/m9");
        for (int i = 1; i < ModelFailures.IN_A_ROW; i++) {
            foxFailed(ErrorKind.SERVER);
        }
        Job job = h.runningFoxImage(V);
        h.admin("pause", "img/m9");
        h.messenger.drain();
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.SERVER, "boom"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stores.jobs().find(job.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
        assertThat(h.messenger.drain().stream().filter(r -> r.chatId() == ShopHarness.ADMIN)).isEmpty();
    }
}
