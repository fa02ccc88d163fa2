package dev.kiebot.core.shop;

import java.time.Instant;

/**
 * The clock of the stores' own server (PostgreSQL's {@code clock_timestamp()}), the one clock that every instance
 * working on the same stores reads alike ({@code Shop.Builder.storesClock}). The shop decides on its machine's clock
 * ({@code Shop.Builder.clock}): a job's lease, a send's window, a hold's deadline; two instances whose clocks differ
 * by minutes judge the same job differently (one refunded an order the other was still making at the provider).
 * {@link ClockSkew} compares the machine's clock with this one at start and every minute.
 */
@FunctionalInterface
public interface StoresClock {
    /**
     * The stores' server's time now, read at the call (not a transaction's start time): one round trip.
     *
     * @return the server's time
     * @throws RuntimeException when the server cannot be reached (the check is skipped, and tried again later)
     */
    Instant now();
}
