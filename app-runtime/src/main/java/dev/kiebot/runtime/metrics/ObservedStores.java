package dev.kiebot.runtime.metrics;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Balance;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.shop.Stores;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The stores as the shop uses them, watched for /metrics and the log: jobs ({@link ObservedJobs}), the inbound
 * limit ({@link MeteredAdmissions}), the ledger's refusals ({@link MeteredLedger}), and the money in the ledger, read when /metrics is scraped: held by
 * generations in progress, earned, and paid into wallets by each source, balances carried over from an earlier bot
 * apart (all in minor units of {@code CURRENCY}).
 */
public final class ObservedStores {
    private ObservedStores() {
    }

    public static Stores of(Stores s, MeterRegistry registry, Clock clock) {
        money(registry, s.ledger());
        return s.withLedger(new MeteredLedger(s.ledger(), registry))
                .withJobs(new ObservedJobs(s.jobs(), registry, clock))
                .withAdmissions(new MeteredAdmissions(s.admissions(), registry));
    }

    /**
     * Where money comes into wallets from, as {@code source} labels: each source is an account of its own, but for
     * {@link #CARRIED_OVER}, which shares the manual one.
     */
    static final Map<String, AccountId> TOP_UP_SOURCES = Map.of("stars", AccountId.STARS_CLEARING,
            "manual", AccountId.MANUAL_CLEARING, "external", AccountId.EXTERNAL_CLEARING, "promo",
            AccountId.PROMO_EXPENSE);
    /**
     * Balances carried over from an earlier bot ({@code import-balances}): credited from the manual clearing account,
     * but paid to the earlier bot, so a source of their own, not counted as manual top-ups.
     */
    static final String CARRIED_OVER = "carried_over";
    /** Since and until when carried-over balances are counted: their whole history. */
    private static final Instant EVER = Instant.EPOCH;
    private static final Instant NEVER = Instant.parse("9999-01-01T00:00:00Z");

    private static void money(MeterRegistry registry, Ledger ledger) {
        // every generation hold credits revenue while pending: its pending credits are the money held right now
        gauge("kiebot.money.held.minor", ledger, AccountId.REVENUE, Balance::creditsPending).register(registry);
        gauge("kiebot.revenue.minor", ledger, AccountId.REVENUE, Balance::posted).register(registry);
        // a source pays into wallets from its own account (debits) and takes back there (a refund, /debit_user)
        TOP_UP_SOURCES.forEach((source, account) -> gauge("kiebot.top.ups.minor", ledger, l -> -l.balance(account)
                .posted() - (account.equals(AccountId.MANUAL_CLEARING) ? carriedOver(l) : 0))
                .tag("source", source).register(registry));
        gauge("kiebot.top.ups.minor", ledger, ObservedStores::carriedOver).tag("source", CARRIED_OVER)
                .register(registry);
    }

    /** What {@code import-balances} carried over, ever: one aggregate through the ledger's index by kind. */
    private static long carriedOver(Ledger ledger) {
        return ledger.postedTotal(Set.of(TransferKind.CARRIED_OVER), EVER, NEVER).amount();
    }

    private static Gauge.Builder<Ledger> gauge(String name, Ledger ledger, AccountId account,
                                               ToLongFunction<Balance> part) {
        return gauge(name, ledger, l -> part.applyAsLong(l.balance(account)));
    }

    private static Gauge.Builder<Ledger> gauge(String name, Ledger ledger, ToLongFunction<Ledger> read) {
        return Gauge.builder(name, ledger, l -> {
            try {
                return read.applyAsLong(l);
            } catch (RuntimeException e) {
                return Double.NaN; // database unreachable: /readyz says so; /metrics still answers
            }
        });
    }
}
