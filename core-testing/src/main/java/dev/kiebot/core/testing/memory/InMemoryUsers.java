package dev.kiebot.core.testing.memory;

import dev.kiebot.core.shop.KeptInMemory;
import dev.kiebot.core.users.Ban;
import dev.kiebot.core.users.User;
import dev.kiebot.core.users.Users;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/** {@code Users} in memory, for tests only: nothing survives the process. */
public final class InMemoryUsers implements Users, KeptInMemory {
    private final TreeMap<Long, User> users = new TreeMap<>();
    private final java.util.Map<Long, Instant> lastSeen = new java.util.HashMap<>();
    private final java.util.Map<Long, Long> referrers = new java.util.HashMap<>();
    private final java.util.Map<Long, String> inviteCodes = new java.util.HashMap<>();

    /** An empty store: no user yet. */
    public InMemoryUsers() {
    }

    @Override
    public synchronized Seen seen(long id, String firstName, Optional<String> username, Optional<String> languageCode,
                                  Instant now) {
        User old = users.get(id);
        lastSeen.put(id, now);
        if (old == null) {
            User u = new User(id, firstName, username, languageCode, Optional.empty(), false, false,
                    Optional.empty(), now);
            users.put(id, u);
            return new Seen(u, true);
        }
        User u = new User(id, firstName, username, languageCode.or(old::languageCode), old.languageOverride(),
                old.termsAccepted(), old.blocked(), old.ban(), old.createdAt());
        users.put(id, u);
        return new Seen(u, false);
    }

    @Override
    public synchronized Optional<User> find(long id) {
        return Optional.ofNullable(users.get(id));
    }

    @Override
    public synchronized void setLanguage(long id, String language) {
        update(id, u -> new User(u.id(), u.firstName(), u.username(), u.languageCode(), Optional.of(language),
                u.termsAccepted(), u.blocked(), u.ban(), u.createdAt()));
    }

    @Override
    public synchronized void acceptTerms(long id) {
        update(id, u -> new User(u.id(), u.firstName(), u.username(), u.languageCode(), u.languageOverride(),
                true, u.blocked(), u.ban(), u.createdAt()));
    }

    @Override
    public synchronized void setBlocked(long id, boolean blocked) {
        update(id, u -> new User(u.id(), u.firstName(), u.username(), u.languageCode(), u.languageOverride(),
                u.termsAccepted(), blocked, u.ban(), u.createdAt()));
    }

    @Override
    public synchronized void setBan(long id, Optional<Ban> ban) {
        update(id, u -> new User(u.id(), u.firstName(), u.username(), u.languageCode(), u.languageOverride(),
                u.termsAccepted(), u.blocked(), ban, u.createdAt()));
    }

    private void update(long id, java.util.function.UnaryOperator<User> f) {
        User u = users.get(id);
        if (u != null) {
            users.put(id, f.apply(u));
        }
    }

    @Override
    public synchronized boolean setReferrer(long id, long referrerId) {
        if (id == referrerId || !users.containsKey(id) || !users.containsKey(referrerId)
                || referrers.containsKey(id)) {
            return false;
        }
        referrers.put(id, referrerId);
        return true;
    }

    @Override
    public synchronized Optional<Long> referrerOf(long id) {
        return Optional.ofNullable(referrers.get(id));
    }

    @Override
    public synchronized long countInvited(long referrerId) {
        return referrers.values().stream().filter(r -> r == referrerId).count();
    }

    @Override
    public synchronized Optional<String> inviteCode(long id) {
        return Optional.ofNullable(inviteCodes.get(id));
    }

    @Override
    public synchronized boolean setInviteCode(long id, String code) {
        if (!users.containsKey(id) || inviteCodes.containsKey(id) || inviteCodes.containsValue(code)) {
            return false;
        }
        inviteCodes.put(id, code);
        return true;
    }

    @Override
    public synchronized Optional<Long> byInviteCode(String code) {
        return inviteCodes.entrySet().stream().filter(e -> e.getValue().equals(code)).map(java.util.Map.Entry::getKey)
                .findFirst();
    }

    @Override
    public synchronized long count() {
        return users.size();
    }

    @Override
    public synchronized long countActive() {
        return users.values().stream().filter(u -> !u.blocked() && u.ban().isEmpty()).count();
    }

    @Override
    public synchronized List<User> search(String query, int limit) {
        String q = query.toLowerCase(Locale.ROOT);
        return users.values().stream()
                .filter(u -> Long.toString(u.id()).contains(q) || u.firstName().toLowerCase(Locale.ROOT).contains(q)
                        || u.username().map(n -> n.toLowerCase(Locale.ROOT).contains(q)).orElse(false))
                .sorted(Comparator.comparing(User::createdAt).reversed().thenComparing(User::id))
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized List<Long> activeIds(long afterId, int limit) {
        return users.tailMap(afterId, false).values().stream().filter(u -> !u.blocked() && u.ban().isEmpty()).map(User::id)
                .limit(limit).toList();
    }

    /**
     * When the user's last update came ({@link #seen}), for {@link InMemoryShopFigures}.
     *
     * @param id the user's id
     * @return the {@code now} of his last {@code seen}; empty for a user never seen
     */
    public synchronized Optional<Instant> lastSeen(long id) {
        return Optional.ofNullable(lastSeen.get(id));
    }

    /**
     * Every user, for {@link InMemoryShopFigures}.
     *
     * @return the users, by id
     */
    public synchronized List<User> all() {
        return List.copyOf(users.values());
    }

    /** {@code PersonalData.forget}'s part here: the name, the username and a ban's reason. */
    synchronized void forget(long id) {
        User u = users.get(id);
        if (u != null) {
            users.put(id, new User(id, "", Optional.empty(), u.languageCode(), u.languageOverride(), u.termsAccepted(),
                    u.blocked(), u.ban().map(b -> new Ban(b.since(), Optional.empty())),
                    u.createdAt()));
        }
    }
}
