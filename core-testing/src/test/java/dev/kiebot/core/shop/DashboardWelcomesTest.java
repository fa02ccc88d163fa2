package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.PostedTotal;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code /admin}'s line of the day's welcome bonuses asks the ledger for their count and sum, not for the bonuses:
 * a busy day's are thousands of rows, read on a handler thread inside the admin's update only to be counted.
 */
class DashboardWelcomesTest {
    @Test
    void theDaysWelcomeBonusesAreCountedByTheLedgerNotRead() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()).withWelcomeBonus(10_000),
                ManualPayments.off(), b -> b, clock -> {
                    Stores s = InMemoryStores.create(clock);
                    return s.withLedger(new ForwardingLedger(s.ledger()) {
                        @Override
                        public List<Transfer> posted(Set<TransferKind> kinds, Instant from, Instant to) {
                            if (kinds.contains(TransferKind.WELCOME_BONUS)) {
                                throw new AssertionError("the day's welcome bonuses read to be counted");
                            }
                            return real.posted(kinds, from, to);
                        }

                        @Override
                        public PostedTotal postedTotal(Set<TransferKind> kinds, Instant from, Instant to) {
                            return real.postedTotal(kinds, from, to);
                        }
                    });
                });
        for (long u : List.of(ShopHarness.ADMIN, 42L, 43L)) {
            h.command(u, "start");
        }
        assertThat(lastText(h.admin("admin", "").subList(0, 1))).contains("🎁 Welcome bonuses today: 3 for 300\u00A0₽");
    }
}
