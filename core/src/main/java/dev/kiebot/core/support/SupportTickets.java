package dev.kiebot.core.support;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Persistence of support tickets (port). {@link #open} is called inside the transaction of the {@code /paysupport}
 * update that wrote the ticket, and the admins' notices are queued in the same one: a ticket and its notices commit
 * together, and so do an admin's answer ({@link #answered}) and its message to the user. The reads serve the admins'
 * {@code /tickets} and {@code /find}.
 */
public interface SupportTickets {
    /**
     * Stores a ticket, or returns the one already stored under {@code key} (the update that wrote it and its user),
     * so a re-delivered update opens one ticket: atomic per key (PostgreSQL: a unique key and
     * {@code ON CONFLICT DO NOTHING}), and the ticket returned keeps the first text written under it.
     *
     * @param key    the update that wrote it and its user
     * @param userId who wrote it
     * @param text   what he wrote
     * @param at     the shop's clock's instant
     * @return the ticket stored under the key, with its number
     */
    SupportTicket open(String key, long userId, String text, Instant at);

    /**
     * A user's newest tickets first.
     *
     * @param userId the user
     * @param limit  the most to return
     * @return the tickets, newest first
     */
    List<SupportTicket> recent(long userId, int limit);

    /**
     * Every user's newest tickets first: what an admin reads with {@code /tickets}.
     *
     * @param limit the most to return
     * @return the tickets, newest first
     */
    List<SupportTicket> latest(int limit);

    /**
     * The ticket of that number ({@link SupportTicket#id()}), if any.
     *
     * @param id the ticket's number
     * @return the ticket
     */
    Optional<SupportTicket> find(long id);

    /**
     * Keeps an admin's answer to its ticket, in the transaction of the admin's {@code /reply}.
     *
     * @param answer the answer as sent
     */
    void answered(TicketAnswer answer);

    /**
     * A ticket's answers, oldest first; empty for a ticket never answered (or none of that number).
     *
     * @param ticketId the ticket's number
     * @return the answers, oldest first
     */
    List<TicketAnswer> answers(long ticketId);
}
