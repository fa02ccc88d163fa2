package dev.kiebot.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.memory.InMemoryLedger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A wallet's statement as its owner reads it ({@code /payments}): the movements of his money, newest first. */
class StatementTest {
    private static final AccountId WALLET = AccountId.wallet(1001);

    /**
     * A generation's hold posted for nothing (the ledger takes a post of 0: the hold released whole, as a void) moved
     * no money: the statement shows no line of it, neither a charge of 0 nor the hold still reserved, only the top-up.
     */
    @Test
    void aHoldPostedForNothingShowsNoLine() {
        MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
        Ledger ledger = new InMemoryLedger(clock);
        assertThat(ledger.transfer("stars:charge-1", AccountId.STARS_CLEARING, WALLET, 1_000,
                TransferKind.TOP_UP_STARS).succeeded()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(ledger.hold("gen_1", WALLET, AccountId.REVENUE, 300, TransferKind.GENERATION,
                clock.instant().plus(Duration.ofMinutes(10))).succeeded()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(ledger.post(Ledger.postId("gen_1"), "gen_1", 0).succeeded()).isTrue();

        assertThat(ledger.balance(WALLET).available()).isEqualTo(1_000);
        assertThat(Statement.of(WALLET, ledger.recent(WALLET, 2 * Statement.TRANSFERS_PER_LINE), 2))
                .extracting(StatementLine::amount, StatementLine::reference, StatementLine::reserved)
                .containsExactly(tuple(1_000L, "charge-1", false));
    }
}
