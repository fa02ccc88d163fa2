package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.testing.ForwardingPendingReplies;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * A chat Telegram refuses is one INFO line, written once its settle committed: the line was written inside the
 * settle's transaction, so a settle that did not commit (a database's failure, settled again before the next claim,
 * or a transaction the database ran again) wrote it a second time for the one chat.
 */
class UnreachableChatLoggedOnceTest {
    private static final long U = 42;

    @Test
    void aSettleThatDidNotCommitLeavesNoLineOfAnUnreachableChat() {
        AtomicBoolean failNextSettle = new AtomicBoolean();
        ShopSettings settings = ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off());
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), settings, ManualPayments.off(), b -> b, clock -> {
                    Stores memory = InMemoryStores.create(clock);
                    return memory.withPendingReplies(new ForwardingPendingReplies(memory.pendingReplies()) {
                        @Override
                        public boolean done(PendingReplies.Queued reply, TokenBucket pacing, Instant dueAt) {
                            if (failNextSettle.getAndSet(false)) {
                                throw new IllegalStateException("the database went away mid-settle");
                            }
                            return super.done(reply, pacing, dueAt);
                        }
                    }, memory.transactions());
                });
        h.command(U, "start");
        h.messenger.drain();
        try (LoggedLines lines = LoggedLines.recording(ReplySender.class, Level.INFO)) {
            h.messenger.thenAnswer(new Delivery.Blocked());
            failNextSettle.set(true);
            try {
                h.command(U, "balance");
            } catch (IllegalStateException settleFailed) {
                // the sender throws what failed its settle; it settles the reply again before its next claim
            }
            h.deliver();
            assertThat(failNextSettle).as("the settle failed once").isFalse();
            assertThat(h.stores.users().find(U).orElseThrow().blocked()).isTrue();
            List<String> unreachable = lines.lines().stream().filter(l -> l.contains("is unreachable")).toList();
            assertThat(unreachable).singleElement().asString().startsWith("INFO chat " + Actor.mask(U)
                    + " is unreachable (the user blocked the bot");
        }
    }
}
