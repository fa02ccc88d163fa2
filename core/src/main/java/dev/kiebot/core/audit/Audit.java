package dev.kiebot.core.audit;

import java.time.Instant;
import java.util.List;

/**
 * The audit trail (port): append, search, and forget old events. {@link #record} is called inside the transaction of
 * the step it describes, when there is one, and must join it: a rolled-back payment leaves no "credited" event
 * behind, a committed one never lacks its event. Appends race freely: each is an event of its own, none is ever
 * changed.
 */
public interface Audit {
    /** Appends an event; events are never changed. */
    void record(AuditEvent event);

    /** Events whose correlation id equals {@code correlationId}, oldest first. */
    List<AuditEvent> byCorrelation(String correlationId);

    /** The newest events, newest first, at most {@code limit}. */
    List<AuditEvent> recent(int limit);

    /** Deletes events before {@code cutoff}. @return how many */
    int purge(Instant cutoff);
}
