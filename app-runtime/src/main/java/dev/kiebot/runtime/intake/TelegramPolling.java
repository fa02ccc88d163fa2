package dev.kiebot.runtime.intake;

import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.model.Update;
import com.pengrad.telegrambot.request.GetUpdates;
import com.pengrad.telegrambot.response.GetUpdatesResponse;
import dev.kiebot.core.intake.SingletonLock;
import dev.kiebot.runtime.http.Health;
import dev.kiebot.telegram.TokenRefusal;
import dev.kiebot.telegram.UpdateTranslator;
import dev.kiebot.telegram.WebhookRegistration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long polling of Telegram, one round at a time, for the polling runner. Only the holder of the singleton lock
 * polls. A round fetches a batch and records each update in order; the offset moves past an update only once it
 * is recorded, so an update whose recording failed is fetched again in the next round. Used by one thread.
 */
public final class TelegramPolling implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TelegramPolling.class);
    public static final String LOCK_NAME = "kiebot-polling";
    static final String[] ALLOWED_UPDATES = {"message", "edited_message", "callback_query", "pre_checkout_query",
        "my_chat_member"};
    /** Telegram's own cap on one getUpdates batch. */
    static final int BATCH_UPDATES_MAX = 100;
    /** getUpdates failing this many times in a row turns /readyz to "Telegram unreachable". */
    public static final int UNREACHABLE_AFTER_FAILURES = 3;
    private static final String GET_UPDATES_FAILED = "getUpdates failed: ";
    /** How deep {@link #failure} looks for a root cause: a cycle of causes must not hold the polling thread. */
    private static final int CAUSES_MAX = 16;

    /** What one round did. */
    public sealed interface Round {
        /** Telegram answered; this many updates were recorded (and confirmed by the next offset). */
        record Recorded(int updates) implements Round {
        }

        /** 409: another poller, or a webhook, is active. */
        record Conflict() implements Round {
        }

        /** Telegram could not be asked, or an update could not be recorded; the reason names no content. */
        record Failed(String reason) implements Round {
        }

        /**
         * Telegram refused the bot token ({@link TokenRefusal}: 401, or 404 for one not of a token's shape): revoked
         * in @BotFather while the bot runs. Asking again changes nothing until the operator acts, so it is no outage
         * to wait out quietly.
         */
        record TokenRefused(int code) implements Round {
        }
    }

    private final TelegramBot bot;
    private final SingletonLock lock;
    private final WebhookRegistration registration;
    private final UpdateInbox inbox;
    private final Health health;
    private int offset;
    private int failuresInARow;

    public TelegramPolling(TelegramBot bot, SingletonLock lock, WebhookRegistration registration, UpdateInbox inbox,
                           Health health) {
        this.bot = bot;
        this.lock = lock;
        this.registration = registration;
        this.inbox = inbox;
        this.health = health;
    }

    /**
     * Tries the lock once (never blocks). On taking it, drops any webhook (Telegram refuses getUpdates while one is
     * set) and reports this instance ready.
     *
     * @return whether this instance polls now
     */
    public boolean takeTurn() {
        if (!lock.tryAcquire()) {
            health.telegramReady(false);
            return false;
        }
        if (!health.telegramReady()) {
            LOG.info("singleton lock acquired: this instance polls Telegram");
            registration.deleteWebhook(false);
            health.telegramReady(true);
        }
        return true;
    }

    /**
     * One getUpdates call (waiting up to {@code timeoutSeconds} for updates) and the recording of its batch. After
     * {@value #UNREACHABLE_AFTER_FAILURES} failed calls in a row /readyz says Telegram is unreachable, until it
     * answers again.
     */
    public Round pollOnce(int timeoutSeconds) {
        Round round = fetchAndRecord(timeoutSeconds);
        String failure = round instanceof Round.Failed failed && failed.reason().startsWith(GET_UPDATES_FAILED)
                ? failed.reason()
                : round instanceof Round.TokenRefused refused ? GET_UPDATES_FAILED + refused.code() + " (the bot "
                        + "token is refused)" : null;
        if (failure != null) {
            if (++failuresInARow >= UNREACHABLE_AFTER_FAILURES) {
                health.telegramUnreachable(failuresInARow + " getUpdates calls failed in a row, the last: "
                        + failure);
            }
        } else {
            // an answer, even a 409, or an update that failed to record: Telegram is there
            failuresInARow = 0;
            health.telegramReachable();
        }
        return round;
    }

    private Round fetchAndRecord(int timeoutSeconds) {
        GetUpdatesResponse r;
        try {
            r = bot.execute(new GetUpdates().offset(offset).limit(BATCH_UPDATES_MAX).timeout(timeoutSeconds)
                    .allowedUpdates(ALLOWED_UPDATES));
        } catch (RuntimeException e) {
            return new Round.Failed(GET_UPDATES_FAILED + failure(e));
        }
        if (TokenRefusal.in(r)) {
            return new Round.TokenRefused(r.errorCode());
        }
        if (r == null || !r.isOk()) {
            int code = r == null ? 0 : r.errorCode();
            return code == 409 ? new Round.Conflict()
                    : new Round.Failed(GET_UPDATES_FAILED + code + " " + (r == null ? "" : r.description()));
        }
        List<Update> updates = r.updates();
        if (updates.isEmpty()) {
            return new Round.Recorded(0);
        }
        try {
            inbox.recordAll(updates.stream().map(UpdateTranslator::toJson).toList());
        } catch (RuntimeException e) {
            // the offset stays before the batch: Telegram hands it over again in the next round, and what was
            // recorded of it already is then a re-delivery
            return new Round.Failed("recording update " + updates.get(0).updateId() + " and the "
                    + (updates.size() - 1) + " after it failed: " + e.getClass().getSimpleName());
        }
        offset = updates.get(updates.size() - 1).updateId() + 1;
        return new Round.Recorded(updates.size());
    }

    /**
     * What failed, by the classes of the exception and of its root cause only: the client wraps a network failure in
     * a plain {@code RuntimeException}, which told an operator nothing («getUpdates failed: RuntimeException» for a
     * host that does not resolve), and a message may hold the request's URL, which holds the bot token (the reason
     * shows on the public /readyz).
     */
    static String failure(RuntimeException e) {
        Throwable root = e;
        for (int depth = 0; depth < CAUSES_MAX && root.getCause() != null && root.getCause() != root; depth++) {
            root = root.getCause();
        }
        String name = e.getClass().getSimpleName();
        return root == e ? name : name + " (" + root.getClass().getSimpleName() + ")";
    }

    /** Drops a registered webhook, which makes Telegram answer getUpdates with 409. */
    public void dropWebhook() {
        registration.deleteWebhook(false);
    }

    /** Whether this instance holds the lock and polls. */
    public boolean polling() {
        return health.telegramReady();
    }

    /** Releases the lock, so a standby instance takes over. */
    @Override
    public void close() {
        lock.close();
    }
}
