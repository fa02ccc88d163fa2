package dev.kiebot.core.testing;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.shop.KeptInMemory;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An audit trail that hands every call to another: extend it and override the one call a test makes fail (a store
 * refusing a line), the rest staying the real store's.
 */
public class ForwardingAudit implements Audit, KeptInMemory {
    /** The trail every call not overridden goes to; an override calls it for the real answer. */
    protected final Audit real;

    /**
     * Hands every call to {@code real}.
     *
     * @param real the trail behind it (a shop's {@code stores.audit()}, say)
     * @throws NullPointerException when {@code real} is null
     */
    public ForwardingAudit(Audit real) {
        this.real = Objects.requireNonNull(real, "real");
    }

    /**
     * Answers for {@link #real}: over an in-memory trail this one keeps in memory too, and {@code Shop.Builder}
     * refuses it beside a database's stores as it refuses that trail given bare.
     */
    @Override
    public boolean keptInMemory() {
        return real instanceof KeptInMemory store && store.keptInMemory();
    }

    /**
     * A trail that refuses every line of {@code action} (an {@link IllegalStateException}, as a store failing would),
     * counting the tries in {@code tries}, and keeps every other line in {@code real}: for what must survive a failed
     * audit write.
     *
     * @param real   the trail behind it
     * @param action the audit action whose lines it refuses
     * @param tries  counts the refused lines
     * @return the refusing trail
     */
    public static ForwardingAudit refusing(Audit real, String action, AtomicInteger tries) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(tries, "tries");
        return new ForwardingAudit(real) {
            @Override
            public void record(AuditEvent event) {
                if (event.action().equals(action)) {
                    tries.incrementAndGet();
                    throw new IllegalStateException("the audit refuses the line");
                }
                super.record(event);
            }
        };
    }

    @Override
    public void record(AuditEvent event) {
        real.record(event);
    }

    @Override
    public boolean recordFirst(AuditEvent event, Instant since) {
        return real.recordFirst(event, since);
    }

    @Override
    public List<AuditEvent> byCorrelation(String correlationId) {
        return real.byCorrelation(correlationId);
    }

    @Override
    public Optional<AuditEvent> lastByCorrelation(String correlationId) {
        return real.lastByCorrelation(correlationId);
    }

    @Override
    public List<AuditEvent> recent(int limit) {
        return real.recent(limit);
    }

    @Override
    public int purge(Instant cutoff) {
        return real.purge(cutoff);
    }
}
