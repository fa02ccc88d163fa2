package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The jobs a user waits for are read from his unfinished jobs alone ({@code Jobs.unfinished}), on every plain text at
 * the menu and on {@code /status}: they were his newest 20 jobs, filtered, and a job still running behind 20 finished
 * ones (a busy user's, or one stuck long at the provider) was not shown, the text answered with the bare menu and
 * {@code /status} saying nothing runs.
 */
class RunningBehindFinishedJobsTest {
    private static final long U = 42;

    @Test
    void aJobStillRunningBehindManyFinishedOnesIsShown() {
        ShopHarness h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 100_000);
        Job running = h.runningFoxImage(U);
        for (int i = 0; i < 25; i++) {
            Job j = h.stores.jobs().create(new JobDraft(U, U, "en", "img/m9", "default", Map.of("prompt", "fox " + i),
                    Map.of(), 0, true, h.clock.instant(), h.clock.instant().plusSeconds(600)));
            assertThat(h.stores.jobs().update(h.stores.jobs().update(j.held()).orElseThrow()
                    .failed("error.provider_failed"))).isPresent();
        }
        assertThat(h.stores.jobs().recent(U, 20)).as("newest 20: all finished").noneMatch(j -> j.id().equals(
                running.id()));
        List<Reply> atMenu = h.text(U, "so?");
        assertThat(lastText(atMenu)).startsWith("⏳ Generation " + running.id().display() + " is still in progress");
        assertThat(lastText(h.command(U, "status"))).contains(running.id().display())
                .doesNotContain("Nothing is running");
    }
}
