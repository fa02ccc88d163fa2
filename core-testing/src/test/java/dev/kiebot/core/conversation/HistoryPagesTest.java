package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /history shows ten jobs a page, newest first, and pages back through the last fifty. */
class HistoryPagesTest {
    private static final long U = 42;

    @Test
    void olderJobsAreOnTheNextPage() {
        ShopHarness h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 100_000);
        for (int i = 0; i < 12; i++) {
            h.orderAFoxImage(U);
        }
        List<Reply> first = h.command(U, "history");
        assertThat(lastText(first)).contains("gen_12", "gen_3").doesNotContain("gen_2 ");
        assertThat(buttonTexts(first)).contains("▶").doesNotContain("◀");

        List<Reply> second = h.press(U, button(first, "▶"));
        assertThat(lastText(second)).contains("gen_2", "gen_1").doesNotContain("gen_3");
        assertThat(buttonTexts(second)).contains("◀").doesNotContain("▶");
        assertThat(lastText(h.press(U, button(second, "◀")))).contains("gen_12");
        // a page past the last one anybody shows is a forged button
        assertThat(lastText(h.press(U, "*|h|7"))).contains("outdated");
    }
}
