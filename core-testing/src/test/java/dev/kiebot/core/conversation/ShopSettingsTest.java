package dev.kiebot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.catalog.Category;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A partner changes one setting from the defaults without naming the other eight (the constructor changes whenever a
 * setting is added): each wither changes its own and keeps the rest.
 */
class ShopSettingsTest {
    private final ShopSettings d = ShopSettings.defaults();

    @Test
    void eachWitherChangesItsSettingOnly() {
        ShopSettings s = d.withAdmins(Set.of(7L)).withSupport("@shop_help", Optional.of("с 10 до 19"))
                .withWelcomeBonus(5_000).withStars(List.of(100L, 500L), 120).withZone(ZoneId.of("Asia/Yekaterinburg"))
                .withDeadline(Category.VIDEO, Duration.ofMinutes(45));

        assertThat(s.adminIds()).containsExactly(7L);
        assertThat(s.support()).contains("@shop_help");
        assertThat(s.supportText()).contains("с 10 до 19");
        assertThat(s.welcomeBonus()).isEqualTo(5_000);
        assertThat(s.starsPackages()).containsExactly(100L, 500L);
        assertThat(s.starPrice()).isEqualTo(120);
        assertThat(s.zone()).isEqualTo(ZoneId.of("Asia/Yekaterinburg"));
        assertThat(s.deadline(Category.VIDEO)).isEqualTo(Duration.ofMinutes(45));
        assertThat(s.deadline(Category.IMAGE)).isEqualTo(d.deadline(Category.IMAGE));
        assertThat(s.admission()).isEqualTo(d.admission());
        assertThat(d.welcomeBonus()).as("the defaults themselves are untouched").isZero();
        assertThat(d.support()).as("no contact by default: a placeholder would be somebody's account").isEmpty();
    }

    @Test
    void settingsThatCannotWorkAreRefusedWithTheValueGiven() {
        assertThatThrownBy(() -> d.withWelcomeBonus(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withStars(List.of(), 150)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withDeadline(Category.IMAGE, Duration.ZERO))
                .hasMessageContaining("PT0S").hasMessageContaining("IMAGE");
    }
}
