package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which settles are done again: those kept when a claim first reports a new epoch of the server, once. */
class UnflushedSettlesTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private static final Optional<Instant> BEFORE_CRASH = Optional.of(T0);
    private static final Optional<Instant> AFTER_CRASH = Optional.of(T0.plusSeconds(60));

    private final UnflushedSettles unflushed = new UnflushedSettles();

    private void settle(long id) {
        unflushed.add(new PendingReplies.Queued(id, Outgoing.plain(new Reply.SendText(7, "r" + id, Keyboard.NONE)),
                Optional.empty(), T0.plusSeconds(600)), TokenBucket.full(3, T0), T0);
    }

    @Test
    void theFirstEpochAndTheSameAgainGiveNothingANewOneEverySettleKeptOnce() {
        settle(1);
        assertThat(unflushed.sinceEpoch(BEFORE_CRASH)).as("the first epoch a claim reports").isEmpty();
        settle(2);
        assertThat(unflushed.sinceEpoch(BEFORE_CRASH)).isEmpty();
        assertThat(unflushed.sinceEpoch(AFTER_CRASH)).extracting(s -> s.reply().id()).containsExactly(1L, 2L);
        assertThat(unflushed.sinceEpoch(AFTER_CRASH)).as("taken once").isEmpty();
    }

    @Test
    void anEpochTheServerCannotTellChangesNothing() {
        unflushed.sinceEpoch(BEFORE_CRASH);
        settle(1);
        assertThat(unflushed.sinceEpoch(Optional.empty())).isEmpty();
        assertThat(unflushed.sinceEpoch(AFTER_CRASH)).as("compared with the last epoch told").isEmpty();
    }

    @Test
    void pastItsLimitTheOldestSettlesGo() {
        unflushed.sinceEpoch(BEFORE_CRASH);
        for (long id = 1; id <= UnflushedSettles.COUNT_MAX + 10; id++) {
            settle(id);
        }
        assertThat(unflushed.sinceEpoch(AFTER_CRASH)).hasSize(UnflushedSettles.COUNT_MAX)
                .first().extracting(s -> s.reply().id()).isEqualTo(11L);
    }
}
