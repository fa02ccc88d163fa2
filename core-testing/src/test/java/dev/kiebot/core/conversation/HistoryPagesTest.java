package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * /history shows five jobs a page, newest first, each delivered one with its «📤» under the list in the list's order,
 * and pages back through the last fifty: ten a page, each with its words, took two screens of a phone.
 */
class HistoryPagesTest {
    private static final long U = 42;

    @Test
    void olderJobsAreOnTheNextPage() {
        ShopHarness h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 100_000);
        for (int i = 0; i < 12; i++) {
            h.finishedFoxImage(U, new TaskStatus.Succeeded(new JobResult(List.of("https://files/fox-" + i + ".png"),
                    MediaKind.PHOTO)));
        }
        List<Reply> first = h.command(U, "history");
        assertThat(lastText(first)).contains("gen_12 ", "gen_8 ").doesNotContain("gen_7 ");
        assertThat(buttonTexts(first)).containsSubsequence("📤 Send gen_12 again", "📤 Send gen_11 again",
                "📤 Send gen_10 again", "📤 Send gen_9 again", "📤 Send gen_8 again").contains("Page 2 ➡").noneMatch(b -> b.contains("⬅"));

        List<Reply> second = h.press(U, button(first, "Page 2 ➡"));
        assertThat(lastText(second)).contains("gen_7 ", "gen_3 ").doesNotContain("gen_8 ", "gen_2 ");
        // named apart from an order's «◀ Back» and «▶️ Start»: a bare «◀» and «▶» were those signs too
        assertThat(buttonTexts(second)).contains("⬅ Page 1", "Page 3 ➡", "📤 Send gen_3 again")
                .noneMatch(b -> b.contains("◀") || b.contains("▶"));
        List<Reply> third = h.press(U, button(second, "Page 3 ➡"));
        assertThat(lastText(third)).contains("gen_2 ", "gen_1 ").doesNotContain("gen_3 ");
        assertThat(buttonTexts(third)).contains("⬅ Page 2").noneMatch(b -> b.contains("➡"));
        assertThat(lastText(h.press(U, button(third, "⬅ Page 2")))).contains("gen_7 ");
        // a page past the last one anybody shows is a forged button
        assertThat(lastText(h.press(U, "*|h|10"))).contains("outdated");
    }

    /**
     * Every kind of the provider's error tells the user a reason that /history says short too: a kind added with a
     * message of its own would read «не получилось» alone there.
     */
    @Test
    void everyKindOfTheProvidersErrorHasShortWordsInTheHistory() {
        for (dev.kiebot.core.jobs.ErrorKind kind : dev.kiebot.core.jobs.ErrorKind.values()) {
            assertThat(JobScreens.why(kind.messageKey())).as(kind + " (" + kind.messageKey() + ")").isPresent();
        }
    }
}
