package dev.kiebot.core.support;

import java.time.Instant;
import java.util.Objects;

/** A user's payment problem, written after {@code /paysupport}. */
public record SupportTicket(long id, long userId, String text, Instant createdAt) {
    /** Longest problem description kept (one Telegram message, with room for the admins' header). */
    public static final int TEXT_MAX = 3000;

    public SupportTicket {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public String display() {
        return "#" + id;
    }
}
