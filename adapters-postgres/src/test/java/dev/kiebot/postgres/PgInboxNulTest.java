package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.intake.ArrivedUpdate;
import dev.kiebot.core.intake.Inbox;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.postgres.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A partner's door records through core's {@code Inbox} into kiebot's PostgreSQL store an update holding a NUL, which
 * PostgreSQL text cannot hold: a raw NUL and JSON's {@code \u005Cu0000} are read as U+FFFD, the rule kiebot's own
 * runtime records by, where the store threw on the raw NUL before and the platform was never answered.
 */
class PgInboxNulTest {
    private static final long U = 42;

    @Test
    void anUpdateHoldingANulIsRecordedWithU_FFFDInItsPlace() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL,
                UnaryOperator.identity(), TestDatabase::emptyStores);
        List<String> handled = new ArrayList<>();
        Inbox inbox = new Inbox(h.shop, u -> {
            handled.add(u.payload());
            return Optional.empty();
        });

        assertThat(inbox.record(1, U, "{\"text\":\"a\u0000b\"}")).isTrue();
        assertThat(inbox.record(2, U, "{\"text\":\"a\\u0000b\",\"first_name\":\"\\u0000\"}")).isTrue();
        assertThat(inbox.record(1, U, "{\"text\":\"a\u0000b\"}")).as("a re-delivery").isFalse();
        assertThat(h.stores.processedUpdates().recordAll(List.of(new ArrivedUpdate(3, U, "{\"text\":\"\u0000\"}")),
                h.clock.instant())).as("a batch of its own").containsExactly(true);
        inbox.handleWaiting();

        assertThat(handled).containsExactly("{\"text\":\"a\uFFFDb\"}",
                "{\"text\":\"a\\uFFFDb\",\"first_name\":\"\\uFFFD\"}", "{\"text\":\"\uFFFD\"}");
    }
}
