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
