package dev.kiebot.core.support;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of support tickets (port). */
public interface SupportTickets {
    /**
     * Stores a ticket, or returns the one already stored under {@code key} (the update that wrote it), so a
     * re-delivered update opens one ticket.
     */
    SupportTicket open(String key, long userId, String text, Instant at);

    /** A user's newest tickets first. */
    List<SupportTicket> recent(long userId, int limit);

    /** Every user's newest tickets first: what an admin reads with {@code /tickets}. */
    List<SupportTicket> latest(int limit);

    /** The ticket of that number ({@link SupportTicket#id()}), if any. */
    Optional<SupportTicket> find(long id);
}
