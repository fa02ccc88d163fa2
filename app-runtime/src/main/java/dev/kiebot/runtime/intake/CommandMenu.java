package dev.kiebot.runtime.intake;

import dev.kiebot.core.conversation.PublicCommands;
import dev.kiebot.core.text.Texts;
import dev.kiebot.runtime.loops.DaemonThreads;
import dev.kiebot.telegram.BotCommands;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the command menu with Telegram at start: one list per language of the texts, and the English
 * one for everybody else. Idempotent (Telegram replaces the lists); a failure is logged and changes nothing
 * else, and it runs on its own thread so a slow Telegram does not hold up the start.
 */
public final class CommandMenu {
    private static final Logger LOG = LoggerFactory.getLogger(CommandMenu.class);
    /** Users whose Telegram speaks none of the texts' languages see this one. */
    static final String FALLBACK_LANGUAGE = "en";

    private final BotCommands commands;
    private final Texts texts;
    private final boolean invitations;

    /** A menu without {@code /invite}. */
    public CommandMenu(BotCommands commands, Texts texts) {
        this(commands, texts, false);
    }

    /** @param invitations whether the shop offers invitation links: then {@code /invite} is listed */
    public CommandMenu(BotCommands commands, Texts texts, boolean invitations) {
        this.commands = commands;
        this.texts = texts;
        this.invitations = invitations;
    }

    /** Sets every list now. @return how many lists Telegram took */
    public int register() {
        int ok = 0;
        for (String lang : Texts.LANGUAGES) {
            ok += set(Optional.of(lang), lang) ? 1 : 0;
        }
        ok += set(Optional.empty(), FALLBACK_LANGUAGE) ? 1 : 0;
        return ok;
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
