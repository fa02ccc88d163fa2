package dev.kiebot.runtime.intake;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.PublicCommands;
import dev.kiebot.core.text.Texts;
import dev.kiebot.runtime.loops.DaemonThreads;
import dev.kiebot.telegram.BotCommands;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Registers the command menu with Telegram at start: one list per language of the texts, and the English
 * one for everybody else; and the same with the admin commands added in each admin's own chat. Idempotent (Telegram
 * replaces the lists); a failure is logged and changes nothing else, and it runs on its own thread so a slow Telegram
 * does not hold up the start. Telegram refuses an admin's own lists until he has written to the bot: an admin whose
 * lists were not set gets them when he first writes in his private chat ({@link #heardFrom}). The chats given them are
 * kept ({@link AdminMenuChats}): one of an id no longer among the admins is given everybody's menu back at start.
 */
public final class CommandMenu {
    private static final Logger LOG = LoggerFactory.getLogger(CommandMenu.class);
    /** Users whose Telegram speaks none of the texts' languages see this one. */
    static final String FALLBACK_LANGUAGE = "en";

    private final BotCommands commands;
    private final Texts texts;
    private final boolean invitations;
    private final Set<Long> adminIds;
    private final AdminMenuChats given;
    /** The admins whose own lists are set, or being set, in this process: each is tried once on his first write. */
    private final Set<Long> adminsMenued = ConcurrentHashMap.newKeySet();

    /** A menu without {@code /invite}, and no admin's own. */
    public CommandMenu(BotCommands commands, Texts texts) {
        this(commands, texts, false, Set.of(), AdminMenuChats.inMemory());
    }

    /**
     * @param invitations whether the shop offers invitation links: then {@code /invite} is listed
     * @param adminIds    {@code ADMIN_IDS}: each one's private chat gets a menu of its own, the admin commands after
     *                    everybody's ({@link PublicCommands#forAdmins})
     * @param given       the chats given an admin's menu before: those no longer of {@code adminIds} lose it
     */
    public CommandMenu(BotCommands commands, Texts texts, boolean invitations, Set<Long> adminIds,
                       AdminMenuChats given) {
        this.commands = commands;
        this.texts = texts;
        this.invitations = invitations;
        this.adminIds = Set.copyOf(adminIds);
        this.given = given;
    }

    /** Sets every list now. @return how many lists Telegram took */
    public int register() {
        int ok = 0;
        for (String lang : Texts.LANGUAGES) {
            ok += set(Optional.of(lang), lang) ? 1 : 0;
        }
        ok += set(Optional.empty(), FALLBACK_LANGUAGE) ? 1 : 0;
        clearFormerAdmins();
        for (long admin : adminIds) {
            adminsMenued.add(admin);
            int set = setForAdmin(admin);
            if (set < Texts.LANGUAGES.size() + 1) {
                adminsMenued.remove(admin); // his first write tries again
            }
            ok += set;
        }
        return ok;
    }

    /**
     * An update from {@code userId} in his private chat ({@code chatId} the same): an admin whose own lists are not
     * set yet (Telegram refused them at start, when he had never written) gets them now, on a thread of its own;
     * once in this process whatever Telegram answers. For anybody else, or once done, one look at two sets.
     *
     * @return whether his lists are being set now
     */
    public boolean heardFrom(long userId, long chatId) {
        if (userId != chatId || !adminIds.contains(userId) || !adminsMenued.add(userId)) {
            return false;
        }
        // the update's cid (upd_…) goes with the lines of its thread: they carried none, a line nobody could tie to
        // the update that started it
        Map<String, String> callers = MDC.getCopyOfContextMap();
        new DaemonThreads("command-menu-admin").newThread(() -> {
            if (callers != null) {
                MDC.setContextMap(callers);
            }
            if (setForAdmin(userId) > 0) {
                LOG.info("the admin command menu of admin {} is set, now that he has written", Actor.mask(userId));
            }
        }).start();
        return true;
    }

    /**
     * Every list of one admin's chat, and the chat kept as given one when Telegram took any. An admin who blocked the
     * bot, or never wrote to it, is one WARN saying so and what to do, his other languages not asked: it was a WARN
     * per language at every start, each saying he would get his menu at his first write, though it is the alerts he
     * misses, and for good while he keeps the bot blocked.
     *
     * @return how many lists Telegram took
     */
    private int setForAdmin(long admin) {
        int ok = 0;
        for (Optional<String> code : languageCodes()) {
            BotCommands.ChatList answer = commands.setForChat(admin, code,
                    PublicCommands.forAdmins(texts, code.orElse(FALLBACK_LANGUAGE), invitations));
            if (answer instanceof BotCommands.ChatList.Taken) {
                ok++;
            } else if (answer instanceof BotCommands.ChatList.Blocked blocked) {
                LOG.warn("admin {} (ADMIN_IDS) blocked the bot: he gets none of the admins' messages (alerts, payment "
                        + "requests, support tickets) and no admin menu until he unblocks it in his chat with the bot; "
                        + "or take him out of ADMIN_IDS ({})", Actor.mask(admin), blocked.reason());
                break;
            } else if (answer instanceof BotCommands.ChatList.NoChat none) {
                LOG.warn("admin {} (ADMIN_IDS) has not written to the bot: Telegram lets it send him nothing, the "
                        + "admins' alerts neither, until he sends it /start (his admin menu is set then); or the id in "
                        + "ADMIN_IDS is not his ({})", Actor.mask(admin), none.reason());
                break;
            } else if (answer instanceof BotCommands.ChatList.Failed failed) {
                LOG.warn("the admin command menu of admin {} for {} was not registered: {}", Actor.mask(admin),
                        code.orElse("other languages"), failed.reason());
            }
        }
        if (ok > 0) {
            kept(() -> given.given(admin), admin);
        }
        return ok;
    }

    /**
     * An id taken out of ADMIN_IDS kept his menu's admin commands (Telegram keeps a chat's lists until removed): each
     * chat given one and no longer an admin's gets everybody's back, and is forgotten once every list is removed, or
     * once Telegram will not reach the chat (400 "chat not found": he never wrote; 403: he blocked the bot): kept, it
     * was asked again with a warning at every start for good. Any other failure is tried again at the next start.
     */
    private void clearFormerAdmins() {
        Set<Long> former;
        try {
            former = given.all();
        } catch (RuntimeException e) {
            LOG.warn("the chats given the admin command menu could not be read; former admins keep it until a later "
                    + "start: {}", e.toString());
            return;
        }
        for (long chat : former) {
            if (adminIds.contains(chat)) {
                continue;
            }
            boolean all = true;
            Optional<String> unreachable = Optional.empty();
            for (Optional<String> lang : languageCodes()) {
                BotCommands.Removal removal = commands.deleteForChat(chat, lang);
                if (removal instanceof BotCommands.Removal.Unreachable none) {
                    unreachable = Optional.of(none.reason());
                    break; // the same answer for his other languages
                }
                if (removal instanceof BotCommands.Removal.Failed failed) {
                    LOG.warn("the admin command menu of former admin {} for {} was not removed (tried again at the "
                            + "next start): {}", Actor.mask(chat), lang.orElse("other languages"), failed.reason());
                    all = false;
                }
            }
            if (unreachable.isPresent()) {
                // a blocked bot may leave him the admin commands in his menu should he come back: they answer him as
                // anybody, admin rights are checked on every call
                kept(() -> given.cleared(chat), chat);
                LOG.info("Telegram will not reach former admin {} (he blocked the bot, or never wrote to it): his "
                        + "admin command menu is left as it is and forgotten ({})", Actor.mask(chat),
                        unreachable.get());
            } else if (all) {
                kept(() -> given.cleared(chat), chat);
                LOG.info("the admin command menu of former admin {} is removed", Actor.mask(chat));
            }
        }
    }

    /** Every language a list is set for: the texts', and the one for everybody else (empty). */
    private static java.util.List<Optional<String>> languageCodes() {
        java.util.List<Optional<String>> codes = new java.util.ArrayList<>();
        Texts.LANGUAGES.forEach(lang -> codes.add(Optional.of(lang)));
        codes.add(Optional.empty());
        return codes;
    }

    /** A write of {@link #given} that failed (the database away) is logged; the menu itself is set regardless. */
    private static void kept(Runnable write, long chat) {
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.warn("the admin command menu of {} could not be recorded: {}", Actor.mask(chat), e.toString());
        }
    }

    private boolean set(Optional<String> languageCode, String textsLanguage) {
        Optional<String> failure = commands.set(languageCode, PublicCommands.in(texts, textsLanguage, invitations));
        failure.ifPresent(why -> LOG.warn("the command menu for {} was not registered: {}",
                languageCode.orElse("other languages"), why));
        return failure.isEmpty();
    }

    /** {@link #register()} on a thread of its own, once. */
    public void registerInBackground() {
        new DaemonThreads("command-menu").newThread(this::register).start();
    }
}
