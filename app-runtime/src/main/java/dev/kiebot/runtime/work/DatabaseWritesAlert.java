package dev.kiebot.runtime.work;

import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.postgres.WriteRefusals;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the admins, once a spell, that the database has refused writes for {@link #TOLD_AFTER} (a full disk, a
 * read-only database: {@code WriteRefusals}), and once more when it takes them again. Sent straight through the
 * messenger, not the outbox: the outbox is a table, and its rows are writes the database refuses, so an alert queued
 * there (as every other admin alert is) went out only after the trouble it told of was over. The price is the outbox's
 * guarantees, which two messages a spell per admin do without: no retry after a failed send (logged), no pacing beyond
 * the messenger's own, and on a shared database one message from each instance.
 *
 * <p>Run on one thread, once a beat (the background work's watch, with the handlers' stall watch), so the alert comes
 * between {@link #TOLD_AFTER} and a beat later.
 */
public final class DatabaseWritesAlert implements Runnable {
    /**
     * How long writes are refused before the admins are told: past a moment's trouble (a lock, a burst out of memory),
     * well before a full disk costs Telegram's patience with the webhook (it keeps updates a day, button presses 150 s).
     */
    public static final Duration TOLD_AFTER = Duration.ofMinutes(3);
    /** Used when an admin's language cannot be read. */
    static final String LANGUAGE_UNREAD = "ru";
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseWritesAlert.class);

    private final Supplier<Optional<WriteRefusals.Refusal>> refusing;
    private final Messenger messenger;
    private final Set<Long> admins;
    private final LongFunction<String> languageOf;
    private final Texts texts;
    /** Whether the admins were told of the spell going on. Touched by the one thread that runs this only. */
    private boolean told;

    /**
     * @param refusing   the database's spell of refused writes, if one is on ({@code WriteRefusals.refusing})
     * @param messenger  the messenger itself, not the outbox
     * @param languageOf an admin's language (the users' store: a read, which a full or read-only database answers)
     */
    public DatabaseWritesAlert(Supplier<Optional<WriteRefusals.Refusal>> refusing, Messenger messenger,
                               Set<Long> admins, LongFunction<String> languageOf, Texts texts) {
        this.refusing = refusing;
        this.messenger = messenger;
        this.admins = Set.copyOf(admins);
        this.languageOf = languageOf;
        this.texts = texts;
    }

    @Override
    public void run() {
        Optional<WriteRefusals.Refusal> now = refusing.get();
        if (now.isPresent() && !told && now.get().lasted().compareTo(TOLD_AFTER) >= 0) {
            told = true;
            long minutes = now.get().lasted().toMinutes();
            LOG.warn("the database has refused writes for {} min (SQLState {}): telling {} admin(s) straight through "
                    + "the messenger, as the outbox cannot be written", minutes, now.get().sqlState(), admins.size());
            tell(Msg.ADMIN_DB_WRITES_REFUSED, minutes, now.get().sqlState());
        } else if (now.isEmpty() && told) {
            told = false;
            LOG.info("the database takes writes again: telling the admins");
            tell(Msg.ADMIN_DB_WRITES_TAKEN);
        }
    }

    private void tell(Msg msg, Object... args) {
        for (long admin : admins) {
            String text = texts.get(language(admin), msg, args);
            Delivery delivery;
            try {
                delivery = messenger.send(new Reply.SendText(admin, text, Keyboard.NONE));
            } catch (RuntimeException e) {
                delivery = new Delivery.Failed(e.getClass().getSimpleName());
            }
            if (!(delivery instanceof Delivery.Sent)) {
                LOG.warn("the database alert did not reach an admin ({}); the log line above is the record",
                        delivery.getClass().getSimpleName());
            }
        }
    }

    private String language(long admin) {
        try {
            return languageOf.apply(admin);
        } catch (RuntimeException e) {
            return LANGUAGE_UNREAD;
        }
    }
}
