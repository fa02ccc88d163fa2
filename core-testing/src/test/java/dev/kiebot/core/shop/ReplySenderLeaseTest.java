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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A chat leased for a send goes back at once when the send or its settle fails, as a rolled-back transaction gave
 * it back, rather than waiting out its lease; a sender told to stop mid-send still settles what it sent; and a
 * settle opens a transaction only for what the send taught.
 */
class ReplySenderLeaseTest {
    private static final long CHAT = 42;

    private final MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
    private final RecordingMessenger telegram = new RecordingMessenger();
    private final Stores memory = InMemoryStores.create(clock);

    private Shop shop(Messenger messenger, PendingReplies outbox) {
        return shop(messenger, outbox, memory.transactions());
    }

    private Shop shop(Messenger messenger, PendingReplies outbox, Transactions transactions) {
        Stores stores = new Stores(memory.users(), memory.chatStates(), memory.ledger(), memory.jobs(),
                memory.payments(), memory.freeUsage(), memory.processedUpdates(), memory.audit(),
                memory.admissions(), memory.broadcasts(), memory.manualTopUps(), memory.supportTickets(),
                memory.figures(), outbox, transactions);
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

    /**
     * A send that taught nothing to record settles in one statement that commits on its own (on PostgreSQL one round
     * trip, where a transaction around it cost a second); what a send taught commits with its settle.
     */
    @Test
    void aSettleWithNothingToRecordOpensNoTransactionAndATaggedOneCommitsWithIt() {
        AtomicInteger opened = new AtomicInteger();
        Transactions counting = new Transactions() {
            @Override
            public <T> T inOne(Supplier<T> work) {
                opened.incrementAndGet();
                return memory.transactions().inOne(work);
            }

            @Override
            public void afterCommit(Runnable action) {
                memory.transactions().afterCommit(action);
            }
        };
        ReplySender sender = shop(telegram, memory.pendingReplies(), counting).sender();
        queue("plain");

        assertThat(sender.sendNext().sent()).isTrue();
        assertThat(opened).as("a plain send's settle").hasValue(0);

        memory.pendingReplies().append(List.of(new Outgoing(new Reply.SendText(CHAT, "tagged", Keyboard.NONE),
                new Outgoing.Follow.Tagged("progress"))), clock.instant());
        assertThat(sender.sendNext().sent()).isTrue();
        assertThat(opened).as("the tag and the settle, together").hasValue(1);
        assertThat(memory.pendingReplies().taggedMessage(CHAT, "progress")).isPresent();
    }
}
