package dev.kiebot.core.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The amounts a card or SBP top-up offers as buttons and takes: every preset within the shop's range, or its minimum
 * alone when none is; a range may be one amount, never one that starts at nothing.
 */
class CardPaymentAmountsTest {

    private static ManualPayments card(long minAmount, long maxAmount) {
        return new ManualPayments(Optional.of("2200 0000 0000 0042"), Optional.empty(), Optional.empty(),
                Optional.empty(), minAmount, maxAmount, Duration.ofHours(48));
    }

    @Test
    void theDefaultRangeOffersTheSixPresetsAndNothingElse() {
        assertThat(card(ManualPayments.DEFAULT_MIN, ManualPayments.DEFAULT_MAX).presets())
                .containsExactly(100_00L, 300_00L, 500_00L, 1_000_00L, 3_000_00L, 5_000_00L);
    }

    @Test
    void aRangeAboveEveryPresetOffersItsMinimumAlone() {
        assertThat(card(6_000_00, 10_000_00).presets()).containsExactly(6_000_00L);
    }

    /** A shop that takes one amount by card (2,000 ₽, say) sets it as both ends: it offers and takes that one. */
    @Test
    void aRangeOfOneAmountTakesThatAmountAlone() {
        ManualPayments one = card(2_000_00, 2_000_00);

        assertThat(one.presets()).containsExactly(2_000_00L);
        assertThat(one.accepts(2_000_00)).isTrue();
        assertThat(one.accepts(2_000_01)).isFalse();
        assertThat(one.accepts(1_999_99)).isFalse();
    }

    @Test
    void aRangeStartingAtNothingIsRefused() {
        assertThatThrownBy(() -> card(0, 100_00)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minAmount must be more than 0");
    }
}
