package dev.kiebot.postgres;

import dev.kiebot.core.shop.StoresClock;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * The database server's clock, which every instance on the database shares ({@code Shop.Builder.storesClock}):
 * {@code clock_timestamp()}, the time at the call, where {@code now()} is the transaction's start.
 */
public final class PgClock implements StoresClock {
    private final Jdbi jdbi;

    /** @param jdbi the database's ({@code Database.jdbi()}) */
    public PgClock(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Instant now() {
        return jdbi.withHandle(h -> h.createQuery("SELECT clock_timestamp() AS now")
                .map((rs, ctx) -> Sql.instant(rs, "now"))
                .one());
    }
}
