package dev.kiebot.core.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The audit trail (port): append, search, and forget old events. {@link #record} is called inside the transaction of
 * the step it describes, when there is one, and must join it: a rolled-back payment leaves no "credited" event
 * behind, a committed one never lacks its event. Appends race freely: each is an event of its own, none is ever
 * changed.
 */
public interface Audit {
    /**
     * Appends an event; events are never changed.
     *
     * @param event the event, kept whole
     */
    void record(AuditEvent event);

    /**
     * Appends {@code event} unless an event of its action and correlation id was recorded at or after {@code since}:
     * the guard of what must happen once per occasion across every instance sharing the store (an admin alert). Two
     * calls at once for one action and correlation id append one event between them, the second waiting for the
     * first's transaction to end. Joins the caller's transaction like {@link #record}: a rolled-back alert leaves
     * its occasion open.
     *
     * <p>One that appended every time would tell the admins each occasion again from every instance and after each
     * restart, and of low credits at each look even with one instance (every 10 minutes rather than every 6 hours:
     * that alert keeps no memory of its own besides this), without a word to anyone. Every store implements it;
     * {@code StoresContract.anOccasionIsRecordedOnceSinceItsTime} checks it.
     *
     * @param event the event, whose action and correlation id name the occasion
     * @param since how far back an event of the occasion counts
     * @return whether the event was appended (the occasion was this caller's)
     */
    boolean recordFirst(AuditEvent event, Instant since);

    /**
     * Events whose correlation id equals {@code correlationId}, oldest first.
     *
     * <p>Read on hot paths, not only by admins: the reply sender reads the user's {@code unsent:<user id>} trail at a
     * result sent while his trail has a line younger than a queued reply's wait (whether it went again at his asking
     * and has now arrived; {@link #lastByCorrelation} tells, at every result sent), and a block, a return and «📎» read
     * it too. A store kept in a database answers both from an index on the correlation id (kiebot's {@code PgAudit}:
     * {@code audit_events_correlation}), not by a scan of the whole trail.
     *
     * @param correlationId a job id ({@code gen_12}), a payment's ledger id, ...
     * @return the events, oldest first
     */
    List<AuditEvent> byCorrelation(String correlationId);

    /**
     * The newest event whose correlation id equals {@code correlationId} (the last of {@link #byCorrelation}: the latest
     * time, of two at one time the later appended), empty with none. What a look made every minute reads (the admins'
     * alerts ask what they told last): a trail that only grows must not be read whole for it.
     *
     * <p>The default reads the whole trail of the occasion through {@link #byCorrelation}; a store kept in a database
     * reads the one row (kiebot's: one indexed row). A default because it is sound: the same event, read slower.
     *
     * @param correlationId the occasion
     * @return the newest event
     */
    default Optional<AuditEvent> lastByCorrelation(String correlationId) {
        List<AuditEvent> events = byCorrelation(correlationId);
        return events.isEmpty() ? Optional.empty() : Optional.of(events.get(events.size() - 1));
    }

    /**
     * The newest events, newest first, at most {@code limit}.
     *
     * @param limit the most to return
     * @return the events, newest first
     */
    List<AuditEvent> recent(int limit);

    /**
     * Deletes events before {@code cutoff}.
     *
     * @param cutoff the oldest time kept
     * @return how many
     */
    int purge(Instant cutoff);
}
