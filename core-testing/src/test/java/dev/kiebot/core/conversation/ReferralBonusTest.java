package dev.kiebot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReferralBonusTest {
    @Test
    void theShareIsRoundedDownAndCapped() {
        ReferralBonus tenUpTo100 = new ReferralBonus(10, 100_00);
        assertThat(tenUpTo100.of(7_500)).isEqualTo(750);
        assertThat(tenUpTo100.of(1_234)).isEqualTo(123);
        assertThat(tenUpTo100.of(9)).isZero();
        assertThat(tenUpTo100.of(5_000_00)).isEqualTo(100_00);
        assertThat(tenUpTo100.of(Long.MAX_VALUE)).isEqualTo(100_00);
        assertThat(tenUpTo100.of(0)).isZero();
        assertThat(tenUpTo100.of(-500)).isZero();
        assertThat(new ReferralBonus(100, Long.MAX_VALUE).of(Long.MAX_VALUE)).isPositive();
    }

    /**
     * An amount too large to multiply by the share first is divided first: the share is still its percent (rounded
     * down to whole hundreds of minor units), not an overflowed or a divided-again figure; an amount that can still be
     * multiplied first keeps its last minor units.
     */
    @Test
    void aShareOfAHugeTopUpIsItsPercentNotAnOverflow() {
        ReferralBonus half = new ReferralBonus(50, Long.MAX_VALUE);
        assertThat(half.of(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE / 100 * 50);
        assertThat(new ReferralBonus(100, Long.MAX_VALUE).of(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE / 100 * 100);
        // the largest amount multiplied first: 92,233,720,368,547,758 × 50 % to the minor unit
        assertThat(half.of(Long.MAX_VALUE / 100)).isEqualTo(46_116_860_184_273_879L);
        assertThat(half.of(Long.MAX_VALUE / 100 + 1)).isEqualTo(46_116_860_184_273_850L);
    }

    @Test
    void noneOffersNothing() {
        assertThat(ReferralBonus.none().offered()).isFalse();
        assertThat(ReferralBonus.none().of(1_000_00)).isZero();
        assertThat(ShopSettings.defaults().referral()).isEqualTo(ReferralBonus.none());
    }

    @Test
    void aShareOutsideZeroToAHundredOrWithoutACapIsRefused() {
        assertThatThrownBy(() -> new ReferralBonus(101, 100)).hasMessageContaining("0-100");
        assertThatThrownBy(() -> new ReferralBonus(-1, 100)).hasMessageContaining("0-100");
        assertThatThrownBy(() -> new ReferralBonus(10, 0)).hasMessageContaining("cap");
    }
}
