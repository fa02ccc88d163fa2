package dev.kiebot.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.shop.KeptInMemory;
import dev.kiebot.core.testing.ForwardingPendingReplies;
import dev.kiebot.core.testing.memory.InMemoryPendingReplies;
import org.junit.jupiter.api.Test;

/**
 * The runtime's outbox wrapper says what the outbox it wraps keeps: over an in-memory one it hid the mark, and a
 * runner given a database's stores but that outbox was built on it, its replies gone at the first restart.
 */
class RepliesWithOriginTest {
    @Test
    void itKeepsInMemoryExactlyWhenTheOutboxItWrapsDoes() {
        assertThat(new RepliesWithOrigin(new InMemoryPendingReplies())).isInstanceOfSatisfying(KeptInMemory.class,
                outbox -> assertThat(outbox.keptInMemory()).isTrue());
        assertThat(new RepliesWithOrigin(new ForwardingPendingReplies(new InMemoryPendingReplies())))
                .as("two wrappers deep")
                .isInstanceOfSatisfying(KeptInMemory.class, outbox -> assertThat(outbox.keptInMemory()).isTrue());

        PendingReplies database = new ForwardingPendingReplies(new InMemoryPendingReplies()) {
            @Override
            public boolean keptInMemory() {
                return false; // stands for a database's outbox
            }
        };
        assertThat(new RepliesWithOrigin(database)).isInstanceOfSatisfying(KeptInMemory.class,
                outbox -> assertThat(outbox.keptInMemory()).isFalse());
    }
}
