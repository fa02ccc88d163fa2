package dev.kiebot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShopSettingsChecksTest {
    private static final ShopSettings D = ShopSettings.defaults();

    /** /topup would offer a package of no Stars, or fewer than none: Telegram refuses its invoice. */
    @Test
    void aStarsPackageOfNoStarsIsRefusedNamingWhatToSet() {
        assertThatThrownBy(() -> D.withStars(List.of(50L, 0L), 150))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[50, 0]").hasMessageContaining("withStars");
        assertThatThrownBy(() -> D.withStars(List.of(-100L), 150)).hasMessageContaining("withStars");
    }

    @Test
    void everyWrongValueIsNamedAtOnceWithItsSetter() {
        assertThatThrownBy(() -> D.withWelcomeBonus(-1).withStars(List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShopSettings(D.adminIds(), D.support(), D.supportText(), -1, List.of(), 0,
                D.zone(), D.deadlines(), D.admission()))
                .hasMessageContaining("withWelcomeBonus").hasMessageContaining("was -1")
                .hasMessageContaining("was 0").hasMessageContaining("was []");
    }

    @Test
    void theDefaultsAreValid() {
        assertThat(D.withStars(List.of(1L), 1).starsPackages()).containsExactly(1L);
    }
}
