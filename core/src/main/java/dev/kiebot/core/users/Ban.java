package dev.kiebot.core.users;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An admin closed the bot to a user ({@code /ban}): from then on the user's messages and buttons are answered that
 * access is closed, and nothing is sold to him. What he already paid for stays his: a payment Telegram reports is
 * credited, a running generation is delivered, and {@code /paysupport} still reaches the admins about his balance.
 *
 * @param since  when the admin closed it
 * @param reason what the admin gave as the reason, shown to the user; empty when none was given
 */
public record Ban(Instant since, Optional<String> reason) {
    /** The longest reason kept: it is shown to the user in one message with the rest of the notice. */
    public static final int REASON_MAX = 200;

    /**
     * Checks the values.
     *
     * @param since  never null
     * @param reason never null; when present, 1-{@value #REASON_MAX} characters, not blank
     * @throws NullPointerException     for a null part
     * @throws IllegalArgumentException for a blank or overlong reason
     */
    public Ban {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(reason, "reason");
        if (reason.isPresent() && (reason.get().isBlank() || reason.get().length() > REASON_MAX)) {
            throw new IllegalArgumentException("a ban's reason must be 1-" + REASON_MAX + " characters, got "
                    + reason.get().length() + " (leave it empty when there is none)");
        }
    }
}
