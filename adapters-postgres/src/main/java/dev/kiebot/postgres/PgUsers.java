package dev.kiebot.postgres;

import dev.kiebot.core.users.Ban;
import dev.kiebot.core.users.User;
import dev.kiebot.core.users.Users;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Users in PostgreSQL. Search is case-insensitive independent of the database locale (see {@code search_text}). */
public final class PgUsers implements Users {
    private final Jdbi jdbi;

    public PgUsers(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    @Override
    public Seen seen(long id, String firstName, Optional<String> username, Optional<String> languageCode,
                     Instant now) {
        return jdbi.withHandle(h -> h.createQuery("INSERT INTO users AS u (id, first_name, username, language_code, "
                        + "created_at, search_text, last_seen_at) "
                        + "VALUES (:id, :firstName, :username, :languageCode, :now, :search, :now) "
                        + "ON CONFLICT (id) DO UPDATE SET first_name = excluded.first_name, "
                        + "username = excluded.username, "
                        + "language_code = coalesce(excluded.language_code, u.language_code), "
                        + "search_text = excluded.search_text, last_seen_at = excluded.last_seen_at "
                        + "RETURNING u.*, (xmax = 0) AS inserted")
                .bind("id", id)
                .bind("firstName", firstName)
                .bind("username", username.orElse(null))
                .bind("languageCode", languageCode.orElse(null))
                .bind("now", Sql.ts(now))
                .bind("search", searchText(firstName, username))
                .map((rs, ctx) -> new Seen(user(rs), rs.getBoolean("inserted")))
                .one());
    }

    private static String searchText(String firstName, Optional<String> username) {
        return (firstName + "\n" + username.orElse("")).toLowerCase(Locale.ROOT);
    }

    @Override
    public Optional<User> find(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM users WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> user(rs))
                .findOne());
    }

    @Override
    public void setLanguage(long id, String language) {
        update("UPDATE users SET language_override = :v WHERE id = :id", id, language);
    }

    @Override
    public void acceptTerms(long id) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET terms_accepted = true WHERE id = :id")
                .bind("id", id)
                .execute());
    }

    @Override
    public void setBlocked(long id, boolean blocked) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET blocked = :v WHERE id = :id")
                .bind("id", id)
                .bind("v", blocked)
                .execute());
    }

    @Override
    public void setBan(long id, Optional<Ban> ban) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET banned_at = :at, ban_reason = :reason WHERE id = :id")
                .bind("id", id)
                .bind("at", ban.map(b -> Sql.ts(b.since())).orElse(null))
                .bind("reason", ban.flatMap(Ban::reason).orElse(null))
                .execute());
    }

    private void update(String sql, long id, String value) {
        jdbi.useHandle(h -> h.createUpdate(sql).bind("id", id).bind("v", value).execute());
    }

    @Override
    public boolean setReferrer(long id, long referrerId) {
        if (id == referrerId) {
            return false;
        }
        return jdbi.withHandle(h -> h.createUpdate("UPDATE users SET referrer_id = :referrer WHERE id = :id "
                        + "AND referrer_id IS NULL AND EXISTS (SELECT 1 FROM users WHERE id = :referrer)")
                .bind("id", id)
                .bind("referrer", referrerId)
                .execute()) == 1;
    }

    @Override
    public Optional<Long> referrerOf(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT referrer_id FROM users WHERE id = :id "
                        + "AND referrer_id IS NOT NULL")
                .bind("id", id)
                .mapTo(Long.class)
                .findOne());
    }

    @Override
    public long countInvited(long referrerId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM users WHERE referrer_id = :referrer")
                .bind("referrer", referrerId)
                .mapTo(Long.class)
                .one());
    }

    @Override
    public Optional<String> inviteCode(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT invite_code FROM users WHERE id = :id "
                        + "AND invite_code IS NOT NULL")
                .bind("id", id)
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public boolean setInviteCode(long id, String code) {
        // a code another user took between the check and the write fails the unique index: 36^8 codes make that a
        // chance of about one in a trillion per new code
        return jdbi.withHandle(h -> h.createUpdate("UPDATE users SET invite_code = :code WHERE id = :id "
                        + "AND invite_code IS NULL AND NOT EXISTS (SELECT 1 FROM users WHERE invite_code = :code)")
                .bind("id", id)
                .bind("code", code)
                .execute()) == 1;
    }

    @Override
    public Optional<Long> byInviteCode(String code) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM users WHERE invite_code = :code")
                .bind("code", code)
                .mapTo(Long.class)
                .findOne());
    }

    @Override
    public long count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM users").mapTo(Long.class).one());
    }

    @Override
    public long countActive() {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM users WHERE NOT blocked AND banned_at IS NULL").mapTo(Long.class)
                .one());
    }

    @Override
    public List<User> search(String query, int limit) {
        String q = query.toLowerCase(Locale.ROOT);
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM users WHERE strpos(id::text, :q) > 0 "
                        + "OR strpos(search_text, :q) > 0 ORDER BY created_at DESC, id LIMIT :n")
                .bind("q", q)
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> user(rs))
                .list());
    }

    @Override
    public List<Long> activeIds(long afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM users WHERE id > :after AND NOT blocked AND banned_at IS NULL "
                        + "ORDER BY id LIMIT :n")
                .bind("after", afterId)
                .bind("n", Math.max(0, limit))
                .mapTo(Long.class)
                .list());
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getLong("id"), rs.getString("first_name"), Sql.optionalString(rs, "username"),
                Sql.optionalString(rs, "language_code"), Sql.optionalString(rs, "language_override"),
                rs.getBoolean("terms_accepted"), rs.getBoolean("blocked"), ban(rs), Sql.instant(rs, "created_at"));
    }

    private static Optional<Ban> ban(ResultSet rs) throws SQLException {
        return rs.getTimestamp("banned_at") == null ? Optional.empty()
                : Optional.of(new Ban(Sql.instant(rs, "banned_at"), Sql.optionalString(rs, "ban_reason")));
    }
}
