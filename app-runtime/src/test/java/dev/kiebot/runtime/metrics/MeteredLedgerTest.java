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

    /**
     * The reads PgLedger answers from an index or with one aggregate reach it: left to Ledger's defaults, they read
     * through {@code transfers}, every transfer of the account, or of every account ({@code /export}, the dashboard).
     */
    @Test
    void theIndexedReadsGoToTheRealLedgerNotThroughEveryTransfer() {
        Ledger real = new dev.kiebot.core.ledger.ForwardingLedger(InMemoryStores.create(clock).ledger()) {
            @Override
            public java.util.List<dev.kiebot.core.ledger.Transfer> transfers(AccountId account) {
                throw new AssertionError("every transfer of " + account.value() + " read");
            }

            @Override
            public java.util.List<AccountId> accounts() {
                throw new AssertionError("every account read");
            }

            @Override
            public java.util.List<dev.kiebot.core.ledger.Transfer> recent(AccountId account, int limit) {
                return java.util.List.of();
            }

            @Override
            public java.util.List<dev.kiebot.core.ledger.Transfer> posted(java.util.Set<TransferKind> kinds,
                                                                          java.time.Instant from, java.time.Instant to) {
                return java.util.List.of();
            }

            @Override
            public dev.kiebot.core.ledger.PostedTotal postedTotal(java.util.Set<TransferKind> kinds,
                                                                  java.time.Instant from, java.time.Instant to) {
                return new dev.kiebot.core.ledger.PostedTotal(3, 300);
            }

            @Override
            public long postedNet(AccountId account, java.util.Set<TransferKind> kinds) {
                return 7;
            }

            @Override
            public java.util.List<dev.kiebot.core.ledger.Transfer> withIdPrefix(String idPrefix) {
                return java.util.List.of();
            }
        };
        Ledger metered = new MeteredLedger(real, registry);
        java.util.Set<TransferKind> kinds = java.util.Set.of(TransferKind.WELCOME_BONUS);

        assertThat(metered.recent(W, 10)).isEmpty();
        assertThat(metered.posted(kinds, clock.instant(), clock.instant())).isEmpty();
        assertThat(metered.postedTotal(kinds, clock.instant(), clock.instant()))
                .isEqualTo(new dev.kiebot.core.ledger.PostedTotal(3, 300));
        assertThat(metered.postedNet(W, kinds)).isEqualTo(7);
        assertThat(metered.withIdPrefix("refund:gen_1:")).as("a /history line's refunds against losses").isEmpty();
    }
}
