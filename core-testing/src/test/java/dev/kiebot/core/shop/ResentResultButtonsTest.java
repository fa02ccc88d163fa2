package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A result sent again («📤 Получить gen_3» in /history) has the buttons it had when it came: «🔁 Ещё раз» and the
 * menu, and «📎 Файлом» under an image. It came bare, the one result a user could not order again from.
 */
class ResentResultButtonsTest {
    private static final long U = 42;

    private static List<Reply> media(List<Reply> replies) {
        return replies.stream().filter(Reply.SendMedia.class::isInstance).toList();
    }

    @Test
    void aResultSentAgainHasTheButtonsOfTheFreshOne() {
        ShopHarness h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.finishedFoxImage(U, new TaskStatus.Succeeded(new JobResult(List.of("https://files/a.png",
                "https://files/b.png"), MediaKind.PHOTO)));
        List<Reply> fresh = media(h.messenger.drain());
        assertThat(fresh).hasSize(2);

        List<Reply> again = media(h.press(U, "*|r|gen_1"));
        assertThat(again).hasSize(2).allSatisfy(m -> assertThat(buttonTexts(List.of(m)))
                .containsExactlyElementsOf(buttonTexts(List.of(fresh.get(0))))
                .contains("🔁 Again", "🏠 Menu", "📎 As a file, uncompressed"));
    }
}
