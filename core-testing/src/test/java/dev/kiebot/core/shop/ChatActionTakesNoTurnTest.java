package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.pacing.BotPacing;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.reply.Activity;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.FakeFiles;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingCharts;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.core.testing.ScriptedStarsRefunds;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A chat action («uploading a photo…») goes out in its chat's order and on the bot's pace, but takes none of the
 * chat's turns: Telegram limits the messages a chat receives, and an action is not one. Before, each finished image
 * spent a turn on its action, and the user's next answer waited a second more behind it.
 */
class ChatActionTakesNoTurnTest {
    private static final long CHAT = 42;

    /** The pacing clock, which only the test moves: nothing is due before it says so. */
    private final MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
    private final RecordingMessenger telegram = new RecordingMessenger();
    private final Stores memory = InMemoryStores.create(clock);

    /** One message a second, no burst: a second message of the chat waits its second. */
    private ReplySender sender() {
        return Shop.builder().inMemoryForTests().catalog(TestCatalog.catalog())
                .pricing(dev.kiebot.core.catalog.Pricing.defaults()).stores(memory).messenger(telegram)
                .provider(new ScriptedProvider()).files(new FakeFiles()).starsRefunds(new ScriptedStarsRefunds())
                .charts(new RecordingCharts()).clock(clock).pacingClock(clock)
                .settings(ShopSettings.defaults().withAdmission(AdmissionPolicy.off()))
                .freeDailyLimit(dev.kiebot.core.catalog.FreeTier.DEFAULT_DAILY_LIMIT)
                .chatPacing(new ChatPacing(Duration.ofSeconds(1), 1)).botPacing(BotPacing.unlimited()).build()
                .sender();
    }

    private void queue(Reply... replies) {
        memory.pendingReplies().append(List.of(replies).stream().map(Outgoing::plain).toList(), clock.instant());
    }

    @Test
    void anActionThenAMessageGoTogetherTwoMessagesKeepTheirSecond() {
        ReplySender sender = sender();
        queue(new Reply.ChatAction(CHAT, Activity.UPLOADING_PHOTO), new Reply.SendText(CHAT, "your picture",
                Keyboard.NONE), new Reply.SendText(CHAT, "what next?", Keyboard.NONE));

        assertThat(sender.drain(10)).as("the action and the message after it, at the same instant").isEqualTo(2);
        assertThat(telegram.all()).hasSize(2).first().isInstanceOf(Reply.ChatAction.class);
        assertThat(telegram.texts()).containsExactly("your picture");

        clock.advance(Duration.ofMillis(999));
        assertThat(sender.drain(10)).as("the second message waits its second").isZero();
        clock.advance(Duration.ofMillis(1));
        assertThat(sender.drain(10)).isEqualTo(1);
        assertThat(telegram.texts()).containsExactly("your picture", "what next?");
    }

    /** An action queued while the chat waits for its next turn neither goes before it nor moves it. */
    @Test
    void anActionWaitsInItsChatsOrderAndMovesNoTurn() {
        ReplySender sender = sender();
        queue(new Reply.SendText(CHAT, "paid", Keyboard.NONE), new Reply.ChatAction(CHAT, Activity.UPLOADING_PHOTO),
                new Reply.SendText(CHAT, "your picture", Keyboard.NONE));

        assertThat(sender.drain(10)).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(sender.drain(10)).as("the action, then the message at once: its turn had come").isEqualTo(2);
        assertThat(telegram.all()).hasSize(3).element(1).isInstanceOf(Reply.ChatAction.class);
        assertThat(telegram.texts()).containsExactly("paid", "your picture");
    }
}
