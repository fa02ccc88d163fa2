package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.TypedUserId;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.ShownTime;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.Ban;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /ban <id> [reason]} and {@code /unban <id>}: an admin closes the bot to a user who abuses it (spam, prompts
 * the shop will not serve) and opens it again. What a banned user may still do is {@link BannedUsers}'; here the ban
 * is kept, audited with the admin, and the user told, in the admin's handling transaction. Admins cannot be banned:
 * that would lock the shop's own staff out by a typo.
 */
final class AdminBans {
    private final Stores stores;
    private final Texts texts;
    private final Clock clock;
    private final ZoneId zone;
    private final Set<Long> admins;
    private final Outbox outbox;

    AdminBans(Stores stores, Texts texts, Clock clock, ZoneId zone, Set<Long> admins, Outbox outbox) {
        this.stores = stores;
        this.texts = texts;
        this.clock = clock;
        this.zone = zone;
        this.admins = admins;
        this.outbox = outbox;
    }

    /** {@code /ban}: the answer to the admin. */
    String ban(User admin, String lang, String args) {
        String[] parts = args.strip().split("\\s+", 2);
        Optional<User> found = user(parts[0]);
        if (found.isEmpty()) {
            return refusal(lang, parts[0], Msg.USAGE_BAN);
        }
        User user = found.get();
        Optional<String> reason = parts.length == 2 ? Optional.of(parts[1].strip()) : Optional.empty();
        if (admins.contains(user.id())) {
            return texts.get(lang, Msg.ADMIN_FAILED, texts.get(lang, Msg.ADMIN_BAN_ADMIN, Texts.id(user.id())));
        }
        if (reason.isPresent() && reason.get().length() > Ban.REASON_MAX) {
            return texts.get(lang, Msg.ADMIN_FAILED, texts.get(lang, Msg.ADMIN_BAN_REASON_TOO_LONG,
                    reason.get().length(), Ban.REASON_MAX));
        }
        if (user.ban().isPresent()) {
            return texts.get(lang, Msg.ADMIN_BAN_ALREADY, Texts.id(user.id()),
                    ShownTime.minute(user.ban().get().since(), zone));
        }
        Ban ban = new Ban(clock.instant(), reason);
        stores.users().setBan(user.id(), Optional.of(ban));
        audit(admin, "user.banned", user.id() + reason.map(r -> " " + r).orElse(""), user.id());
        notify(user, BannedUsers.notice(texts, user.language(), ban));
        // named, not only numbered: a digit off bans a stranger, and his name is what the admin will notice
        return texts.get(lang, Msg.ADMIN_DONE, texts.get(lang, Msg.ADMIN_BANNED, Texts.id(user.id()), named(user)));
    }

    /** The user as admins read him: his first name and @username. */
    private static String named(User user) {
        return user.firstName() + AdminSearch.handle(user);
    }

    /** {@code /unban}: the answer to the admin. */
    String unban(User admin, String lang, String args) {
        String id = args.strip();
        Optional<User> found = id.contains(" ") ? Optional.empty() : user(id);
        if (found.isEmpty()) {
            return refusal(lang, id, Msg.USAGE_UNBAN);
        }
        User user = found.get();
        if (user.ban().isEmpty()) {
            return texts.get(lang, Msg.ADMIN_NOT_BANNED, Texts.id(user.id()));
        }
        stores.users().setBan(user.id(), Optional.empty());
        audit(admin, "user.unbanned", Long.toString(user.id()), user.id());
        notify(user, texts.get(user.language(), Msg.BAN_LIFTED));
        // named as /ban names him: «пользователю 42» after «пользователю User42 (ID 42)» read as two people
        return texts.get(lang, Msg.ADMIN_DONE, texts.get(lang, Msg.ADMIN_UNBANNED, Texts.id(user.id()), named(user)));
    }

    private Optional<User> user(String id) {
        return TypedUserId.read(id).flatMap(stores.users()::find);
    }

    /** The command's format when no id was given, otherwise that there is no such user. */
    private String refusal(String lang, String id, Msg usage) {
        if (!TypedUserId.hasItsForm(id)) {
            return texts.get(lang, Msg.ADMIN_USAGE, texts.get(lang, usage));
        }
        return texts.get(lang, Msg.ADMIN_FAILED, texts.get(lang, Msg.ADMIN_UNKNOWN_USER, id));
    }

    private void notify(User user, String text) {
        outbox.send(new Reply.SendText(user.id(), text, Keyboard.NONE));
    }

    private void audit(User admin, String action, String detail, long userId) {
        stores.audit().record(new AuditEvent(clock.instant(), "admin:" + Actor.mask(admin.id()), action, detail,
                Optional.of("ban:" + userId)));
    }
}
