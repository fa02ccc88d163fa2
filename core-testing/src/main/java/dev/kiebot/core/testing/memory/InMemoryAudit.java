package dev.kiebot.core.testing.memory;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.shop.KeptInMemory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code Audit} in memory, for tests only: the audit trail is lost with the process. */
public final class InMemoryAudit implements Audit, KeptInMemory {
    private final List<AuditEvent> events = new ArrayList<>();
    /** The transactions {@link #recordFirst} joins, when given: its event goes with a rollback. */
    private final java.util.Optional<InMemoryTransactions> transactions;

    /**
     * An audit trail whose events stand whatever becomes of the transaction that recorded them. The one
     * {@link InMemoryStores} makes joins its transactions instead: a rolled-back {@code recordFirst} is forgotten.
     */
    public InMemoryAudit() {
        this.transactions = java.util.Optional.empty();
    }

    /**
     * An audit whose {@link #recordFirst} is undone by a rollback of the transaction it joined, as a database's would
     * be: a rolled-back alert leaves its occasion open (the other writes of the in-memory stores stand).
     */
    InMemoryAudit(InMemoryTransactions transactions) {
        this.transactions = java.util.Optional.of(transactions);
    }

    @Override
    public synchronized void record(AuditEvent event) {
        events.add(event);
    }

    @Override
    public synchronized boolean recordFirst(AuditEvent event, Instant since) {
        boolean told = events.stream().anyMatch(e -> e.action().equals(event.action())
                && e.correlationId().equals(event.correlationId()) && !e.at().isBefore(since));
        if (told) {
            return false;
        }
        events.add(event);
        transactions.ifPresent(t -> t.onRollback(() -> forget(event)));
        return true;
    }

    @SuppressWarnings("ReferenceEquality") // removes that very event: an equal one may be another's
    private synchronized void forget(AuditEvent event) {
        events.removeIf(e -> e == event);
    }

    /** A ban's reason forgotten with its user's data, as {@code PgPersonalData} does: the ban's line keeps the id. */
    synchronized void forgetBanReason(long userId) {
        String id = Long.toString(userId);
        events.replaceAll(e -> e.action().equals("user.banned")
                && e.correlationId().filter(("ban:" + id)::equals).isPresent()
                ? new AuditEvent(e.at(), e.actor(), e.action(), id, e.correlationId()) : e);
    }

    @Override
    public synchronized List<AuditEvent> byCorrelation(String correlationId) {
        // oldest first, as the port says and PostgreSQL orders it (at, then id): a stable sort keeps two at one time
        // in the order they were appended
        return events.stream().filter(e -> e.correlationId().filter(correlationId::equals).isPresent())
                .sorted(Comparator.comparing(AuditEvent::at)).toList();
    }

    /** The latest time; of events at one time, the one appended last. */
    @Override
    public synchronized java.util.Optional<AuditEvent> lastByCorrelation(String correlationId) {
        AuditEvent last = null;
        for (AuditEvent e : events) {
            if (e.correlationId().filter(correlationId::equals).isPresent()
                    && (last == null || !e.at().isBefore(last.at()))) {
                last = e;
            }
        }
        return java.util.Optional.ofNullable(last);
    }

    @Override
    public synchronized List<AuditEvent> recent(int limit) {
        List<AuditEvent> copy = new ArrayList<>(events);
        java.util.Collections.reverse(copy);
        return copy.subList(0, Math.min(limit, copy.size()));
    }

    @Override
    public synchronized int purge(Instant cutoff) {
        int before = events.size();
        events.removeIf(e -> e.at().isBefore(cutoff));
        return before - events.size();
    }
}
