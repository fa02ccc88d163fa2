package dev.kiebot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.catalog.Category;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
        assertThatThrownBy(() -> new ShopSettings(D.adminIds(), D.support(), D.supportText(), -1, List.of(0L), 0,
                D.zone(), D.deadlines(), D.admission()))
                .hasMessageContaining("withWelcomeBonus").hasMessageContaining("was -1")
                .hasMessageContaining("was 0").hasMessageContaining("was [0]");
    }

    /**
     * A platform without Stars says so by name; an empty list given to withStars is more likely one that failed to
     * load than that decision, and is refused naming the call that makes it.
     */
    @Test
    void noStarsTopUpsOnlyByName() {
        ShopSettings none = D.withoutStars();
        assertThat(none.starsOffered()).isFalse();
        assertThat(none.starsPackages()).isEmpty();
        assertThat(D.starsOffered()).isTrue();
        assertThat(none.withStars(List.of(10L), 100).starsOffered()).isTrue();
        assertThatThrownBy(() -> D.withStars(List.of(), 150))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("withoutStars()");
    }

    @Test
    void theDefaultsAreValid() {
        assertThat(D.withStars(List.of(1L), 1).starsPackages()).containsExactly(1L);
    }

    /** A deadline of none fails (and refunds) every job of its category before it is sent, with no error. */
    @Test
    void aDeadlineOfZeroOrLessGivenToTheConstructorIsRefusedNamingItsSetter() {
        Map<Category, Duration> deadlines = new EnumMap<>(D.deadlines());
        deadlines.put(Category.VIDEO, Duration.ZERO);
        assertThatThrownBy(() -> new ShopSettings(D.adminIds(), D.support(), D.supportText(), 0, D.starsPackages(),
                D.starPrice(), D.zone(), deadlines, D.admission()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("VIDEO").hasMessageContaining("withDeadline");
    }

    /** A blank contact would send users to nobody, where none sends them to /paysupport. */
    @Test
    void aBlankSupportContactIsRefusedAndAMissingOneIsNamed() {
        assertThatThrownBy(() -> D.withSupport("  ", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("withSupport");
        assertThatThrownBy(() -> D.withSupport(null, Optional.empty()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("withSupport");
    }

    @Test
    void aMissingCollectionIsNamedWithWhatToGiveInstead() {
        assertThatThrownBy(() -> D.withAdmins(null)).hasMessageContaining("withAdmins");
        assertThatThrownBy(() -> D.withStars(null, 150)).hasMessageContaining("withStars");
        assertThatThrownBy(() -> new ShopSettings(Set.of(), Optional.empty(), Optional.empty(), 0, D.starsPackages(),
                D.starPrice(), D.zone(), null, D.admission())).hasMessageContaining("deadlines");
    }

    /**
     * No user has an id of 0 or less (a group's chat id is negative): an operator who believed himself an admin so
     * got no alert and no ticket, and /admin refused him, with nothing said at the start.
     */
    @Test
    void anAdminIdOfZeroOrLessIsRefusedSayingWhatToPass() {
        assertThatThrownBy(() -> D.withAdmins(Set.of(0L))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 0").hasMessageContaining("was [0]")
                .hasMessageContaining("withAdmins(ids)").hasMessageContaining("/admin");
        assertThatThrownBy(() -> D.withAdmins(new java.util.LinkedHashSet<>(List.of(42L, -1001234L, 0L))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was [-1001234, 0]");
        assertThatThrownBy(() -> D.withAdmins(java.util.Collections.singleton(null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was [null]");
        assertThat(D.withAdmins(Set.of(1L, 1_150_000_000_000_000_042L)).adminIds()).hasSize(2);
    }
}
