package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.pacing.BotPacing;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Messenger;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A button's answer is worth something for about 15 s only (Telegram then refuses it as "query is too old"): it goes
 * within that window or not at all, is never deferred, and never holds up its chat's later replies.
 */
class AnswersWithinTheirWindowTest {
    private static final long CHAT = 42;

    private final MutableClock clock = MutableClock.at("2026-12-05T12:00:00Z");
    private final RecordingMessenger telegram = new RecordingMessenger();
    private final Stores memory = InMemoryStores.create(clock);
    /** The answers' executor, run by hand: its threads busy with Telegram's retries during an outage. */
    private final List<Runnable> answersWaiting = new ArrayList<>();

    private Shop shop(Messenger messenger) {
        return Shop.builder().inMemoryForTests().catalog(TestCatalog.catalog())
                .pricing(dev.kiebot.core.catalog.Pricing.defaults()).stores(memory).messenger(messenger)
                .provider(new ScriptedProvider()).files(new FakeFiles()).starsRefunds(new ScriptedStarsRefunds())
                .charts(new RecordingCharts()).clock(clock).pacingClock(clock)
                .settings(ShopSettings.defaults().withAdmission(AdmissionPolicy.off()))
                .freeDailyLimit(dev.kiebot.core.catalog.FreeTier.DEFAULT_DAILY_LIMIT)
                .chatPacing(new ChatPacing(Duration.ZERO, 1)).botPacing(BotPacing.unlimited())
                .answers(answersWaiting::add).build();
    }

    private static Reply.AnswerCallback answer(String query) {
        return new Reply.AnswerCallback(CHAT, query, Optional.empty(), false);
    }

    @Test
    void anAnswerThatWaitedPastItsWindowForAThreadIsDroppedNotSentLate() {
        Shop shop = shop(telegram);
        shop.outbox().sendAll(List.of(answer("in-time"), answer("too-late")), Optional.of(clock.instant()));
        assertThat(answersWaiting).hasSize(2);

        clock.advance(Duration.ofSeconds(10));
        answersWaiting.get(0).run();
        clock.advance(Duration.ofSeconds(20)); // the answers' threads were held by an outage's retries meanwhile
        answersWaiting.get(1).run();

        assertThat(telegram.all()).containsExactly(answer("in-time"));
    }

    /**
     * An answer in the outbox (queued by an older build) whose messenger defers it (a partner's, or Telegram
     * unreachable): dropped, not tried again minutes later for up to a day ahead of every later reply of its chat.
     */
    @Test
    void aQueuedAnswerTheMessengerDefersIsDroppedAndTheChatsNextReplyGoesAtOnce() {
        memory.pendingReplies().append(List.of(Outgoing.plain(answer("queued")),
                Outgoing.plain(new Reply.SendText(CHAT, "next", Keyboard.NONE))), clock.instant());
        AtomicInteger answerTries = new AtomicInteger();
        Messenger unreachableForAnswers = reply -> {
            if (reply instanceof Reply.AnswerCallback) {
                answerTries.incrementAndGet();
                return new Delivery.Deferred(Duration.ofSeconds(15), "telegram unreachable");
            }
            return telegram.send(reply);
        };
        ReplySender sender = shop(unreachableForAnswers).sender();

        sender.drain(10);
        clock.advance(Duration.ofMinutes(5));
        sender.drain(10);

        assertThat(telegram.texts()).containsExactly("next");
        assertThat(answerTries).hasValue(1);
        assertThat(memory.pendingReplies().oldestWaiting()).isEmpty();
    }
}
