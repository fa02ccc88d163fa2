package dev.kiebot.core.testing.memory;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.audit.AuditEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code Audit} in memory, for tests only: the audit trail is lost with the process. */
public final class InMemoryAudit implements Audit {
    private final List<AuditEvent> events = new ArrayList<>();

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
        return true;
    }

    @Override
    public synchronized List<AuditEvent> byCorrelation(String correlationId) {
        return events.stream().filter(e -> e.correlationId().filter(correlationId::equals).isPresent()).toList();
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
