package dev.kiebot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.memory.InMemoryStores;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The ledger's refusals as {@code /metrics} serves them: by reason, never by account or id. */
class MeteredLedgerTest {
    private static final AccountId W = AccountId.wallet(424242);
    private final MutableClock clock = MutableClock.at("2026-12-02T12:00:00Z");
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Ledger ledger = ObservedStores.of(InMemoryStores.create(clock), registry, clock).ledger();

    @Test
    void aRefusalIsCountedByReasonAndAMoveIsNot() {
        ledger.transfer("stars:1", AccountId.STARS_CLEARING, W, 500, TransferKind.TOP_UP_STARS);
        LedgerResult tooMuch = ledger.hold("gen_1", W, AccountId.REVENUE, 900, TransferKind.GENERATION,
                clock.instant().plus(Duration.ofHours(1)));
        LedgerResult noHold = ledger.post("post:gen_9", "gen_9", 300);

        assertThat(tooMuch).isInstanceOf(LedgerResult.Rejected.class);
        assertThat(noHold).isInstanceOf(LedgerResult.Rejected.class);
        String scraped = registry.scrape();
        assertThat(scraped)
                .contains("# HELP kiebot_ledger_refused_total ledger requests refused, nothing recorded")
                .contains("kiebot_ledger_refused_total{reason=\"INSUFFICIENT_FUNDS\"} 1.0")
                .contains("kiebot_ledger_refused_total{reason=\"HOLD_NOT_FOUND\"} 1.0")
                .contains("kiebot_ledger_refused_total{reason=\"EXISTS_WITH_DIFFERENT_FIELDS\"} 0.0")
                .doesNotContain("424242").doesNotContain("gen_");
    }
}
