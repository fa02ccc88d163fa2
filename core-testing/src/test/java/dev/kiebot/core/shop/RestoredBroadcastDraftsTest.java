package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.broadcast.Broadcast;
import dev.kiebot.core.broadcast.BroadcastState;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Broadcast draft numbers start again on a database restored from a backup: the «Send» under a draft of the lost day
 * must not send whichever draft took its number since, a text the admin never confirmed going to every user (R8).
 */
class RestoredBroadcastDraftsTest {
    private static ShopHarness shop() {
        ShopHarness h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        h.command(101, "start");
        return h;
    }

    @Test
    void aSendOfTheLostDaySendsNoOtherDraftAndTheDraftsOwnButtonDoes() {
        String lostDaysSend = button(shop().admin("broadcast", "Sale ends today"), "Send");
        ShopHarness restored = shop();
        restored.clock.advance(Duration.ofDays(1)); // the restore comes after the lost day
        List<Reply> draft = restored.admin("broadcast", "A draft not checked yet");
        String ownSend = button(draft, "Send");
        Broadcast now = restored.stores.broadcasts().find(Long.parseLong(ownSend.split("[|:]")[2])).orElseThrow();
        assertThat(lostDaysSend).startsWith("*|S|" + now.id() + ":");

        String said = lastText(restored.press(ShopHarness.ADMIN, lostDaysSend));

        assertThat(said).isEqualTo("⚠️ This button was made for an earlier broadcast draft #" + now.id() + "; another"
                + " draft has that number now: the numbers started again (the database was likely restored from a"
                + " backup). Nothing was sent. Write the broadcast again: /broadcast and its text.");
        assertThat(restored.stores.broadcasts().find(now.id()).orElseThrow().state()).isEqualTo(BroadcastState.DRAFT);
        restored.press(ShopHarness.ADMIN, ownSend);
        assertThat(restored.stores.broadcasts().find(now.id()).orElseThrow().state()).isEqualTo(BroadcastState.QUEUED);
    }
}
