package dev.kiebot.runtime.intake;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The private chats given an admin's own command menu ({@link CommandMenu}), kept across restarts: Telegram keeps a
 * chat's menu until it is removed and cannot list the chats that have one, so an id taken out of ADMIN_IDS kept the
 * admin commands in his menu. The runtime's is the database's ({@code PgAdminMenus}).
 */
public interface AdminMenuChats {
    /** @return every chat given the admin menu and not yet cleared of it */
    Set<Long> all();

    /** {@code userId}'s chat was given the admin menu. */
    void given(long userId);

    /** {@code userId}'s chat has everybody's menu again. */
    void cleared(long userId);

    /** Kept in this process only: for tests, and a menu without admins. */
    static AdminMenuChats inMemory() {
        Set<Long> chats = ConcurrentHashMap.newKeySet();
        return new AdminMenuChats() {
            @Override
            public Set<Long> all() {
                return Set.copyOf(chats);
            }

            @Override
            public void given(long userId) {
                chats.add(userId);
            }

            @Override
            public void cleared(long userId) {
                chats.remove(userId);
            }
        };
    }
}
