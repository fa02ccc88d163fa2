package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.pacing.BotPacing;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.FakeFiles;
import dev.kiebot.core.testing.ForwardingPendingReplies;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingCharts;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.core.testing.ScriptedStarsRefunds;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A chat leased for a send goes back at once when the send or its settle fails, as a rolled-back transaction gave
 * it back, rather than waiting out its lease; and a sender told to stop mid-send still settles what it sent.
 */
class ReplySenderLeaseTest {
    private static final long CHAT = 42;

    private final MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
    private final RecordingMessenger telegram = new RecordingMessenger();
    private final Stores memory = InMemoryStores.create(clock);

    private Shop shop(Messenger messenger, PendingReplies outbox) {
        Stores stores = new Stores(memory.users(), memory.chatStates(), memory.ledger(), memory.jobs(),
                memory.payments(), memory.freeUsage(), memory.processedUpdates(), memory.audit(),
                memory.admissions(), memory.broadcasts(), memory.manualTopUps(), memory.supportTickets(),
                memory.figures(), outbox, memory.transactions());
        return Shop.builder().catalog(TestCatalog.catalog()).stores(stores).messenger(messenger)
                .provider(new ScriptedProvider()).files(new FakeFiles()).starsRefunds(new ScriptedStarsRefunds())
                .charts(new RecordingCharts()).clock(clock).pacingClock(clock)
                .settings(ShopSettings.defaults().withAdmission(AdmissionPolicy.off()))
                .chatPacing(new ChatPacing(Duration.ZERO, 1)).botPacing(BotPacing.unlimited()).build();
    }

    private void queue(String... texts) {
        memory.pendingReplies().append(List.of(texts).stream()
                .map(t -> Outgoing.plain(new Reply.SendText(CHAT, t, Keyboard.NONE))).toList(), clock.instant());
    }

    @Test
    void aSendThatThrowsGivesItsChatBackAtOnce() {
        queue("hello");
        AtomicBoolean broken = new AtomicBoolean(true);
        Messenger buggy = reply -> {
            if (broken.getAndSet(false)) {
                throw new IllegalStateException("a bug before the request left");
            }
            return telegram.send(reply);
        };
        ReplySender sender = shop(buggy, memory.pendingReplies()).sender();

        assertThatThrownBy(sender::sendNext).hasMessageContaining("a bug");
        assertThat(sender.sendNext().sent()).as("at once, not when the lease ends").isTrue();
        assertThat(telegram.texts()).containsExactly("hello");
    }

    @Test
    void aSettleThatFailsGivesTheChatBackAndTheReplyGoesAgain() {
        queue("hello", "second");
        AtomicBoolean databaseLost = new AtomicBoolean(true);
        PendingReplies real = memory.pendingReplies();
        PendingReplies losing = new ForwardingPendingReplies(real) {
            @Override
            public boolean done(Queued reply, TokenBucket pacing, Instant dueAt) {
                if (databaseLost.getAndSet(false)) {
                    throw new IllegalStateException("connection lost");
                }
                return real.done(reply, pacing, dueAt);
            }
        };
        ReplySender sender = shop(telegram, losing).sender();

        assertThatThrownBy(sender::sendNext).hasMessageContaining("connection lost");
        assertThat(sender.drain(10)).isEqualTo(2);
        assertThat(telegram.texts()).as("at least once, in order").containsExactly("hello", "hello", "second");
    }

    @Test
    void aSenderToldToStopMidSendStillSettlesWhatItSentAndStaysTold() {
        queue("hello");
        Messenger stopping = reply -> {
            Thread.currentThread().interrupt(); // the runner stops while the call is on the wire
            return telegram.send(reply);
        };
        ReplySender sender = shop(stopping, memory.pendingReplies()).sender();
        try {
            assertThat(sender.sendNext().sent()).isTrue();
            assertThat(Thread.currentThread().isInterrupted()).as("still told to stop").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(memory.pendingReplies().claim(clock.instant().plus(ReplySender.LEASE), ReplySender.LEASE))
                .as("settled: nothing left to send").isEmpty();
        assertThat(telegram.texts()).containsExactly("hello");
    }

}
