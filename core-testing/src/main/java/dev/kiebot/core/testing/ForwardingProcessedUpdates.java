package dev.kiebot.core.testing;

import dev.kiebot.core.intake.ArrivedUpdate;
import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.shop.KeptInMemory;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An inbox that hands every call to another: extend it and override the one call a test makes fail, wait or note
 * (a done mark that fails, another handler running before a reclaim), the rest staying the real store's.
 */
public class ForwardingProcessedUpdates implements ProcessedUpdates, KeptInMemory {
    /** The inbox every call not overridden goes to; an override calls it for the real answer. */
    protected final ProcessedUpdates real;

    /**
     * Hands every call to {@code real}.
     *
     * @param real the inbox behind it (a shop's {@code stores.processedUpdates()}, say)
     * @throws NullPointerException when {@code real} is null
     */
    public ForwardingProcessedUpdates(ProcessedUpdates real) {
        this.real = Objects.requireNonNull(real, "real");
    }

    /**
     * Answers for {@link #real}: over an in-memory inbox this one keeps in memory too, and {@code Shop.Builder}
     * refuses it beside a database's stores as it refuses that inbox given bare.
     */
    @Override
    public boolean keptInMemory() {
        return real instanceof KeptInMemory store && store.keptInMemory();
    }

    @Override
    public boolean record(long updateId, long chatId, String payload, Instant now) {
        return real.record(updateId, chatId, payload, now);
    }

    @Override
    public List<Boolean> recordAll(List<ArrivedUpdate> updates, Instant now) {
        return real.recordAll(updates, now);
    }

    @Override
    public Optional<PendingUpdate> claimNext() {
        return real.claimNext();
    }

    @Override
    public Optional<PendingUpdate> reclaim(long updateId) {
        return real.reclaim(updateId);
    }

    @Override
    public void done(long updateId, Instant now) {
        real.done(updateId, now);
    }

    @Override
    public int purge(Instant cutoff) {
        return real.purge(cutoff);
    }

    @Override
    public int purge(Instant cutoff, int limit) {
        return real.purge(cutoff, limit);
    }

    @Override
    public Optional<Instant> oldestPending() {
        return real.oldestPending();
    }
}
