package dev.kiebot.postgres;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * The private chats given an admin's own command menu, kept so that one of an id no longer among the admins can be
 * removed: Telegram keeps a chat's menu until it is removed, and cannot list the chats that have one.
 */
public final class PgAdminMenus {
    private final Jdbi jdbi;

    public PgAdminMenus(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /** Every chat given the admin menu and not yet cleared of it. */
    public Set<Long> all() {
        return new LinkedHashSet<>(jdbi.withHandle(h -> h.createQuery("SELECT user_id FROM admin_menus ORDER BY user_id")
                .mapTo(Long.class).list()));
    }

    /** {@code userId}'s chat was given the admin menu (again: the time of the first stays). */
    public void given(long userId, Instant at) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO admin_menus (user_id, set_at) VALUES (:id, :at) "
                        + "ON CONFLICT (user_id) DO NOTHING")
                .bind("id", userId)
                .bind("at", Sql.ts(at))
                .execute());
    }

    /** {@code userId}'s chat has everybody's menu again. */
    public void cleared(long userId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM admin_menus WHERE user_id = :id").bind("id", userId)
                .execute());
    }
}
