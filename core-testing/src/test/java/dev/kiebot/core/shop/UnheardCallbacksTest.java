package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * A callback address set (KIE_CALLBACK_URL) and no callback arriving: jobs finished by their status reads alone, a poll
 * later, and nothing said so but a counter flat at 0 (drill R2). Now one WARNING a spell, naming the setting, and one
 * INFO when a callback comes.
 */
class UnheardCallbacksTest {
    private static final String BASE = "https://bot.example/kie/callback/secret-token";
    private static final TaskStatus.Succeeded DONE = new TaskStatus.Succeeded(
            new JobResult(List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty());

    private static ShopHarness harness(Optional<String> callbackUrl) {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)), ShopHarness.MANUAL, b -> b.callbackUrl(callbackUrl))
                .startedByAdminAnd(42);
        h.topUp(42, 1_000_000);
        h.messenger.drain();
        return h;
    }

    /** A job ordered, then finished by its status read {@code after} later. @return the worker's warnings meanwhile */
    private static List<String> finishedByRead(ShopHarness h, Duration after) {
        return LoggedLines.of(JobWorker.class, Level.INFO, () -> {
            h.clock.advance(after);
            h.finishedFoxImage(42, DONE);
        }).stream().filter(l -> l.contains("status reads only") || l.contains("callback came")).toList();
    }

    @Test
    void fiveJobsInARowOverHalfAnHourFinishedByReadsAreSaidOnceAndACallbackEndsTheSpell() {
        ShopHarness h = harness(Optional.of(BASE));
        for (int i = 1; i < UnheardCallbacks.IN_A_ROW; i++) {
            assertThat(finishedByRead(h, Duration.ofMinutes(10))).as("job %d", i).isEmpty();
        }
        assertThat(finishedByRead(h, Duration.ofMinutes(10))).singleElement().asString()
                .startsWith("WARNING jobs finish by status reads only: 5 in a row since")
                .contains("KIE_CALLBACK_URL", "kiebot_kie_callbacks_total");
        assertThat(finishedByRead(h, Duration.ofMinutes(10))).as("once a spell").isEmpty();

        List<String> back = LoggedLines.of(JobWorker.class, Level.INFO,
                () -> h.shop.worker().checkTask("a-task-of-nobody")).stream()
                .filter(l -> l.contains("callback came")).toList();
        assertThat(back).singleElement().asString()
                .startsWith("INFO a Kie callback came: the callback address reaches the bot again, after 6 jobs");

        for (int i = 1; i < UnheardCallbacks.IN_A_ROW; i++) {
            assertThat(finishedByRead(h, Duration.ofMinutes(10))).as("a new spell, job %d", i).isEmpty();
        }
        assertThat(finishedByRead(h, Duration.ofMinutes(10))).as("a new spell is said again").hasSize(1);
    }

    /** A burst of quick jobs whose reads beat their callbacks is no silence: said only once half an hour passed. */
    @Test
    void aBurstWithinHalfAnHourIsNotSaidTillItLasts() {
        ShopHarness h = harness(Optional.of(BASE));
        for (int i = 1; i <= 2 * UnheardCallbacks.IN_A_ROW; i++) {
            assertThat(finishedByRead(h, Duration.ofMinutes(1))).as("job %d", i).isEmpty();
        }
        assertThat(finishedByRead(h, Duration.ofMinutes(30))).singleElement().asString()
                .contains("11 in a row");
    }

    /** Without a callback address every job finishes by its reads: nothing to say. */
    @Test
    void withoutACallbackAddressNothingIsSaid() {
        ShopHarness h = harness(Optional.empty());
        for (int i = 1; i <= 2 * UnheardCallbacks.IN_A_ROW; i++) {
            assertThat(finishedByRead(h, Duration.ofMinutes(10))).as("job %d", i).isEmpty();
        }
    }
}
