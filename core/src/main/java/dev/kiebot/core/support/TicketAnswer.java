package dev.kiebot.core.support;

import java.time.Instant;
import java.util.Objects;

/**
 * An admin's answer to a support ticket ({@code /reply}), as it went to the ticket's user: kept with the ticket, so an
 * admin opening it later reads what was answered, and by whom.
 *
 * @param ticketId the ticket answered ({@link SupportTicket#id()})
 * @param adminId  the admin who answered
 * @param text     the answer as the admin typed it: 1 to {@link #TEXT_MAX} characters
 * @param at       when it was sent
 */
public record TicketAnswer(long ticketId, long adminId, String text, Instant at) {
    /** Longest answer: one Telegram message (4,096) with the heading and the footer the user reads around it. */
    public static final int TEXT_MAX = 3_500;

    /**
     * Checks the values.
     *
     * @param ticketId the ticket answered
     * @param adminId  the admin
     * @param text     1 to {@value #TEXT_MAX} characters
     * @param at       never null
     * @throws IllegalArgumentException for an empty or overlong text
     */
    public TicketAnswer {
        Objects.requireNonNull(text, "TicketAnswer: text");
        Objects.requireNonNull(at, "TicketAnswer: at");
        if (text.isEmpty() || text.length() > TEXT_MAX) {
            throw new IllegalArgumentException("TicketAnswer: text of " + text.length() + " characters; 1 to "
                    + TEXT_MAX + " are kept");
        }
    }
}
