package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The part of a bonus a payment's refunds take back: as much as they gave back of it, rounded up, never more. */
class BonusShareTest {
    @Test
    void theShareOfThePaymentGivenBackRoundedUpInTheShopsFavour() {
        assertThat(new BonusShare(5_000, 500).of(500)).isEqualTo(50);
        assertThat(new BonusShare(5_000, 1).of(500)).as("0.1, rounded up").isEqualTo(1);
        assertThat(new BonusShare(5_000, 2_502).of(500)).as("250.2").isEqualTo(251);
        assertThat(new BonusShare(5_000, 0).of(500)).isZero();
        assertThat(new BonusShare(5_000, 4_999).of(500)).as("499.9").isEqualTo(500);
    }

    @Test
    void theWholePaymentGivenBackTakesTheWholeBonusAndNeverMore() {
        assertThat(new BonusShare(5_000, 5_000).whole()).isTrue();
        assertThat(new BonusShare(5_000, 5_000).of(500)).isEqualTo(500);
        assertThat(new BonusShare(5_000, 4_999).whole()).isFalse();
        assertThat(new BonusShare(5_000, 6_000).of(500)).isEqualTo(500);
    }

    @Test
    void largeSumsDoNotOverflow() {
        long huge = Long.MAX_VALUE / 2;
        assertThat(new BonusShare(huge, huge / 2).of(huge)).isEqualTo(huge / 2);
    }

    @Test
    void aPaymentOfNothingIsNoPayment() {
        assertThatThrownBy(() -> new BonusShare(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BonusShare(10, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
