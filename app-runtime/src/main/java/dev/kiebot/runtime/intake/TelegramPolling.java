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
import java.net.URI;
import java.util.List;
import java.util.Optional;
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
    static final String[] ALLOWED_UPDATES = UpdateTranslator.ALLOWED_UPDATES.toArray(new String[0]);
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

    /**
     * What {@code getWebhookInfo} said of a webhook in polling's way ({@link #lookForWebhook}). Telegram sends a bot's
     * updates one way only: while a webhook is set it refuses getUpdates (409), and deleting the webhook leaves the bot
     * serving it deaf, with nothing on its side to notice.
     */
    public sealed interface Webhook {
        /** No webhook is set: getUpdates is polling's. */
        record None() implements Webhook {
        }

        /** A webhook is set, at {@code host}, and was left alone: polling cannot run beside it. */
        record InTheWay(String host) implements Webhook {
        }

        /** A webhook was set at {@code host} and is deleted, as {@code POLLING_TAKES_OVER_WEBHOOK} asked. */
        record TakenOver(String host) implements Webhook {
        }

        /**
         * A webhook is set at {@code host} while this runner polls, though {@code POLLING_TAKES_OVER_WEBHOOK} took the
         * bot's updates over at its start: something sets it again (a kiebot webhook runner with this token does
         * within {@link WebhookRegistrar#CHECK_EVERY} of a delete). Left alone: deleted again, the two took the updates
         * from each other every few minutes, each half-working, with no more than a WARN on either side.
         */
        record SetAgain(String host) implements Webhook {
        }

        /** Telegram could not be asked: nothing is known, and nothing was deleted. */
        record Unknown() implements Webhook {
        }
    }

    private final TelegramBot bot;
    private final SingletonLock lock;
    private final WebhookRegistration registration;
    private final UpdateInbox inbox;
    private final Health health;
    private final boolean takesOverWebhook;
    private int offset;
    private int failuresInARow;
    /**
     * Whether the start's look at the webhook ended knowing (none set, or deleted under the takeover): a webhook set
     * after that is not the one the operator let the takeover delete.
     */
    private boolean startLookDone;

    /** Polling that never deletes a webhook it finds set ({@link Webhook.InTheWay}). */
    public TelegramPolling(TelegramBot bot, SingletonLock lock, WebhookRegistration registration, UpdateInbox inbox,
                           Health health) {
        this(bot, lock, registration, inbox, health, false);
    }

    /** @param takesOverWebhook {@code POLLING_TAKES_OVER_WEBHOOK}: a webhook found set is deleted, not left */
    public TelegramPolling(TelegramBot bot, SingletonLock lock, WebhookRegistration registration, UpdateInbox inbox,
                           Health health, boolean takesOverWebhook) {
        this.bot = bot;
        this.lock = lock;
        this.registration = registration;
        this.inbox = inbox;
        this.health = health;
        this.takesOverWebhook = takesOverWebhook;
    }

    /**
     * Tries the lock once (never blocks). On taking it, reports this instance ready. A webhook is not deleted here:
     * the runner looked for one at its start ({@link #lookForWebhook}), and one set since shows as a 409.
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
            health.telegramReady(true);
        }
        return true;
    }

    /**
     * Asks {@code getWebhookInfo} whether a webhook is set, at the runner's start (a 409 later asks {@link
     * #lookForWebhookWhilePolling}). A webhook found is deleted only with {@code POLLING_TAKES_OVER_WEBHOOK} (a WARN
     * naming its host); without it, it is left for the runner to stop on ({@link #webhookInTheWay}). Deleting it at
     * every start, as polling did, silenced the production bot whenever anybody tried its token locally, while its
     * /readyz still said ready.
     */
    public Webhook lookForWebhook() {
        Webhook found = webhookSet();
        if (!(found instanceof Webhook.InTheWay inTheWay) || !takesOverWebhook) {
            startLookDone = !(found instanceof Webhook.Unknown);
            return found;
        }
        String host = inTheWay.host();
        WebhookRegistration.Result deleted = registration.deleteWebhook(false);
        if (!deleted.ok()) {
            LOG.warn("POLLING_TAKES_OVER_WEBHOOK is on, but deleting the webhook at {} failed ({}); asked again at the "
                    + "next 409", host, deleted.description());
            return new Webhook.Unknown();
        }
        startLookDone = true;
        LOG.warn("POLLING_TAKES_OVER_WEBHOOK is on: deleted the webhook at {}, which hears nothing from now on (a "
                + "kiebot webhook runner there sets it again within minutes: stop it first)", host);
        return new Webhook.TakenOver(host);
    }

    /**
     * Asks {@code getWebhookInfo} whether a webhook is set, when getUpdates answers 409 while this runner polls, and
     * deletes nothing: {@code POLLING_TAKES_OVER_WEBHOOK} is the operator's word for the webhook found at the start,
     * and one set since is somebody's doing now ({@link Webhook.SetAgain}; without the takeover, {@link
     * Webhook.InTheWay}).
     */
    public Webhook lookForWebhookWhilePolling() {
        if (takesOverWebhook && !startLookDone) {
            return lookForWebhook(); // the start's takeover did not happen (Telegram away, the delete failed): now
        }
        Webhook found = webhookSet();
        return found instanceof Webhook.InTheWay inTheWay && takesOverWebhook ? new Webhook.SetAgain(inTheWay.host())
                : found;
    }

    /** None, Unknown, or InTheWay: what Telegram has, nothing done about it. */
    private Webhook webhookSet() {
        Optional<WebhookRegistration.WebhookStatus> status = registration.getWebhookInfo();
        if (status.isEmpty()) {
            return new Webhook.Unknown();
        }
        String url = status.get().url();
        return url.isEmpty() ? new Webhook.None() : new Webhook.InTheWay(host(url));
    }

    /**
     * What the operator reads when a webhook comes back while polling runs under the takeover: two runners fight over
     * the bot's updates, and one of them has to stop.
     */
    public static String webhookSetAgain(String host) {
        return "a webhook was set for this bot token while this runner polls, at " + host + ": another runner with "
                + "this token sets it (a kiebot webhook runner whose WEBHOOK_BASE_URL, on Render RENDER_EXTERNAL_URL, "
                + "is at " + host + " registers it again within " + WebhookRegistrar.CHECK_EVERY.toMinutes()
                + " minutes of a delete). POLLING_TAKES_OVER_WEBHOOK deletes a webhook at the start only: deleted "
                + "again, the two would take the bot's updates from each other every few minutes. Stop one of them: "
                + "the webhook runner at " + host + ", or this one, and then unset POLLING_TAKES_OVER_WEBHOOK so that "
                + "no restart of this one deletes the webhook again";
    }

    /** What the operator reads when a webhook is in polling's way: whose it is, and the two ways out. */
    public static String webhookInTheWay(String host) {
        return "a webhook is set for this bot token, at " + host + ": polling would delete it, and the bot behind it "
                + "would hear nothing. For a local run use a test bot of your own (@BotFather, /newbot); to move this "
                + "bot from its webhook to polling, stop the webhook's runner and set POLLING_TAKES_OVER_WEBHOOK=1";
    }

    /** The webhook URL's host alone: a path of an earlier bot's webhook may hold a secret. */
    static String host(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null || host.isEmpty() ? "an address without a host" : host;
        } catch (IllegalArgumentException e) {
            return "an address that is no URL";
        }
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
