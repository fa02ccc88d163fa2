package dev.kiebot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.memory.InMemoryStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The money /metrics shows, read from the ledger at the scrape. */
class ObservedStoresTest {
    private static final AccountId W = AccountId.wallet(42);
    private final MutableClock clock = MutableClock.at("2026-12-02T12:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Stores stores = ObservedStores.of(InMemoryStores.create(clock), registry, clock);

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void moneyPaidInIsShownBySourceLessWhatWentBackThere() {
        Ledger ledger = stores.ledger();
        ledger.transfer("stars:1", AccountId.STARS_CLEARING, W, 5_000, TransferKind.TOP_UP_STARS);
        ledger.transfer("stars-refund:1", W, AccountId.STARS_CLEARING, 1_000, TransferKind.STARS_REFUND);
        ledger.transfer("manual:1", AccountId.MANUAL_CLEARING, W, 3_000, TransferKind.TOP_UP_MANUAL);
        ledger.transfer("debit:1", W, AccountId.MANUAL_CLEARING, 500, TransferKind.DEBIT_MANUAL);
        ledger.transfer("external:stripe:1", AccountId.EXTERNAL_CLEARING, W, 2_000, TransferKind.TOP_UP_EXTERNAL);
        ledger.transfer("bonus:42", AccountId.PROMO_EXPENSE, W, 100, TransferKind.WELCOME_BONUS);
        Instant expires = clock.instant().plus(Duration.ofHours(1));
        ledger.hold("gen_1", W, AccountId.REVENUE, 300, TransferKind.GENERATION, expires);
        ledger.hold("gen_2", W, AccountId.REVENUE, 200, TransferKind.GENERATION, expires);
        ledger.post("post:gen_1", "gen_1", 300);

        assertThat(gauge("kiebot.top.ups.minor", "source", "stars")).isEqualTo(4_000);
        assertThat(gauge("kiebot.top.ups.minor", "source", "manual")).isEqualTo(2_500);
        assertThat(gauge("kiebot.top.ups.minor", "source", "external")).isEqualTo(2_000);
        assertThat(gauge("kiebot.top.ups.minor", "source", "promo")).isEqualTo(100);
        assertThat(gauge("kiebot.revenue.minor")).isEqualTo(300);
        assertThat(gauge("kiebot.money.held.minor")).isEqualTo(200);
        assertThat(gauge("kiebot.top.ups.minor", "source", "carried_over")).isZero();
    }

    /**
     * A balance carried over from an earlier bot ({@code import-balances}) comes from the manual clearing account, but
     * the earlier bot was paid it, not this shop: it has a source of its own, not counted among manual top-ups.
     */
    @Test
    void carriedOverBalancesHaveASourceOfTheirOwnNotManual() {
        Ledger ledger = stores.ledger();
        ledger.transfer("manual:1", AccountId.MANUAL_CLEARING, W, 3_000, TransferKind.TOP_UP_MANUAL);
        ledger.transfer("import:a1", AccountId.MANUAL_CLEARING, W, 7_000, TransferKind.CARRIED_OVER);
        ledger.transfer("import:b2", AccountId.MANUAL_CLEARING, AccountId.wallet(43), 1_500,
                TransferKind.CARRIED_OVER);
        ledger.transfer("debit:1", W, AccountId.MANUAL_CLEARING, 500, TransferKind.DEBIT_MANUAL);

        assertThat(gauge("kiebot.top.ups.minor", "source", "manual")).isEqualTo(2_500);
        assertThat(gauge("kiebot.top.ups.minor", "source", "carried_over")).isEqualTo(8_500);
    }
}
