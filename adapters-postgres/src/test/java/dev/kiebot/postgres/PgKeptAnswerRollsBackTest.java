package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A pre-checkout's answer is kept in the update's own transaction: a handling that fails after the answer was decided
 * (a later statement, the done mark) leaves no answer kept, so the next start never sends an {@code ok} the shop did
 * not commit to. The in-memory store undoes nothing on a rollback, so only PostgreSQL shows it (the last look's
 * door check of the kept answers).
 */
class PgKeptAnswerRollsBackTest {
    @Test
    void aKeptAnswerGoesWithARolledBackUpdate() {
        Stores s = TestDatabase.emptyStores(Clock.systemUTC());
        assertThatThrownBy(() -> s.transactions().inOne(() -> {
            s.pendingReplies().keepAnswer(new PendingReplies.KeptAnswer(
                    new Reply.AnswerPreCheckout(7, "q1", true, Optional.empty()), Instant.now().plusSeconds(10)));
            throw new IllegalStateException("a later statement of the handling failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(s.pendingReplies().keptAnswers()).as("rolled back with the update").isEmpty();

        s.transactions().inOne(() -> {
            s.pendingReplies().keepAnswer(new PendingReplies.KeptAnswer(
                    new Reply.AnswerPreCheckout(7, "q2", true, Optional.empty()), Instant.now().plusSeconds(10)));
            return null;
        });
        assertThat(s.pendingReplies().keptAnswers()).as("committed with the update")
                .extracting(k -> k.answer().queryId()).containsExactly("q2");
    }
}
