package dev.kiebot.core.users;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Persistence of users (port). */
public interface Users {
    /**
     * Creates the user on first sight, otherwise refreshes name/username/language code.
     *
     * @return the stored user and whether it was created by this call
     */
    Seen seen(long id, String firstName, Optional<String> username, Optional<String> languageCode, Instant now);

    record Seen(User user, boolean created) {
    }

    Optional<User> find(long id);

    void setLanguage(long id, String language);

    void acceptTerms(long id);

    void setBlocked(long id, boolean blocked);

    long count();

    /** Users who have not blocked the bot: a broadcast's audience. */
    long countActive();

    /** Users whose id, username or first name contains {@code query}, newest first. */
    List<User> search(String query, int limit);

    /** Active (not blocked) user ids after {@code afterId}, ascending, for broadcasts in pages. */
    List<Long> activeIds(long afterId, int limit);
}
