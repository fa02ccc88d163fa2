package dev.kiebot.telegram;

import com.google.gson.JsonParseException;
import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.request.BaseRequest;
import com.pengrad.telegrambot.response.BaseResponse;
import io.github.resilience4j.core.IntervalFunction;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes Bot API requests through pengrad and folds every way they end into one {@link Outcome}:
 * pengrad's three failure shapes (a thrown {@code RuntimeException(IOException)}, a thrown
 * {@code JsonSyntaxException} for non-JSON bodies, a {@code null} response for empty bodies), the
 * evidence {@link WireEvidence} adds to them, and the API's own errors.
 *
 * <h2>What is retried</h2>
 * <ul>
 *   <li>429: waits {@code retry_after} (never longer than the cap) and tries again, a bounded number of
 *       times; with a lane (a chat's message) only a wait of {@value #INLINE_RETRY_AFTER_SECONDS} s at most, only
 *       that chat waiting, and a longer one ends the call at once (the messenger defers the reply).</li>
 *   <li>{@link Kind#NOT_SENT} (the request surely never reached Telegram complete) and
 *       {@link Kind#SERVER_ERROR} (a 5xx other than 504, JSON or an HTML page from the proxy in front:
 *       the method did not complete): retried for every method, sends included.</li>
 *   <li>{@link Kind#AMBIGUOUS} (the request was written and then the connection dropped or timed out, a
 *       504, a garbled 2xx): Telegram may have carried it out, so only idempotent calls (edits, answers,
 *       chat actions, getters) are retried. A send is reported as it is, never repeated: a second copy is
 *       what the user would see.</li>
 * </ul>
 * A call is judged by all its attempts, not only its last: once one may have been carried out (an idempotent call
 * retried after an ambiguous failure), a later failure that says nothing of it (refused connections, a 5xx, a 429
 * beyond patience, the token refused, the thread interrupted before the next try) leaves the call {@link Kind#AMBIGUOUS}, never surely not done. Telegram's own
 * answer to the retry still counts as what it says: for an idempotent call it tells what became of the first
 * ({@code CHARGE_ALREADY_REFUNDED}, "message is not modified"). A call made with {@link ServerErrors#MAY_FOLLOW_WORK}
 * (the Stars refund) counts a 5xx among those that may have been carried out, as its caller reads a 5xx: a proxy's
 * 502 can follow a refund done behind it, and a refused connection after it said nothing of that refund.
 * Transient retries back off exponentially ({@value #FIRST_BACKOFF_MILLIS} ms doubling, at most
 * {@value #MAX_BACKOFF_MILLIS} ms apart) and stop once the next attempt would start later than the
 * policy's budget after the first failure (default {@value #TRANSIENT_RETRY_BUDGET_SECONDS} s).
 * A call that ends in doubt, never got through, or met 5xx for its whole budget, and every 429, is told to the bot-wide
 * breaker ({@link TelegramOutage}) when the caller has one; a reply's attempts after its first wait for a turn of the
 * bot's pace ({@link Turns}).
 * Nothing thrown or returned here carries the token.
 */
final class ApiCaller {
    private static final Logger log = LoggerFactory.getLogger(ApiCaller.class);

    /** How long one call keeps retrying transient failures, counted from its first failure. */
    static final int TRANSIENT_RETRY_BUDGET_SECONDS = 30;
    static final int FIRST_BACKOFF_MILLIS = 500;
    static final int MAX_BACKOFF_MILLIS = 8_000;

    /**
     * Retry settings.
     *
     * @param retryAfterCap   longest {@code retry_after} waited for; a longer demand fails the call
     * @param max429Retries   429 answers one call may get before it fails
     * @param transientBudget how long transient failures are retried, from the first one
     * @param firstBackoff    the first pause after a transient failure (doubling, at most {@value #MAX_BACKOFF_MILLIS} ms)
     */
    record Policy(Duration retryAfterCap, int max429Retries, Duration transientBudget, Duration firstBackoff) {
        Policy {
            if (max429Retries < 0 || transientBudget.isNegative() || firstBackoff.isNegative() || firstBackoff.isZero()) {
                throw new IllegalArgumentException("retries and budget must not be negative, the first backoff positive");
            }
        }

        static Policy defaults() {
            return new Policy(Duration.ofSeconds(60), 3, Duration.ofSeconds(TRANSIENT_RETRY_BUDGET_SECONDS),
                    Duration.ofMillis(FIRST_BACKOFF_MILLIS));
        }
    }

    enum Kind {
        /** The API answered ok. */
        OK,
        /** The API answered with an error (4xx, or 429 beyond our patience): nothing was done. */
        API_ERROR,
        /** The request surely never reached Telegram complete: nothing was done. */
        NOT_SENT,
        /** Telegram (or the proxy in front of it) answered 5xx: the method did not complete. */
        SERVER_ERROR,
        /** The request may or may not have been carried out. */
        AMBIGUOUS,
        /** Interrupted while waiting, before any try that may have been carried out (after one: AMBIGUOUS). */
        INTERRUPTED
    }

    /** What a 5xx other than 504 (always {@link Kind#AMBIGUOUS}) says of what the method did. */
    enum ServerErrors {
        /** The method did not complete: retried as not done, and a later try's failure keeps it so (sends, edits). */
        DID_NOTHING,
        /**
         * The proxy in front may answer it after the Bot API behind it did the work: once one came, a later try that
         * ends without an answer on the request leaves the call {@link Kind#AMBIGUOUS}.
         */
        MAY_FOLLOW_WORK
    }

    /** The result of one logical call. {@code response} is set for OK and API_ERROR, and for JSON 5xx answers. */
    record Outcome<R extends BaseResponse>(Kind kind, R response, String problem) {
        boolean ok() {
            return kind == Kind.OK;
        }

        /** Whether what was asked surely did not happen (an API refusal, or it never got through). */
        boolean surelyNotDone() {
            return kind == Kind.API_ERROR || kind == Kind.NOT_SENT || kind == Kind.SERVER_ERROR;
        }

        int errorCode() {
            return response == null ? 0 : response.errorCode();
        }

        /** Telegram refused the bot token ({@link TokenRefusal}). */
        boolean tokenRefused() {
            return kind == Kind.API_ERROR && TokenRefusal.in(response);
        }

        String description() {
            return response == null || response.description() == null ? "" : response.description();
        }

        /** A 429's {@code retry_after} (at least a second; a 429 without one asks for a second). */
        Duration retryAfter() {
            return Duration.ofSeconds(response != null && response.parameters() != null
                    && response.parameters().retryAfter() != null ? Math.max(1, response.parameters().retryAfter()) : 1);
        }

        /** A short, token-free reason for logs and {@code Delivery.Failed}. */
        String reason(String method) {
            if (kind == Kind.API_ERROR) {
                return method + " failed: " + errorCode() + " " + description();
            }
            if (kind == Kind.AMBIGUOUS) {
                return method + " outcome unknown, it may have been delivered: " + problem;
            }
            return method + " failed: " + problem;
        }
    }

    /**
     * The longest chat's 429 waited out on the sender's thread: a longer one ends the call at once (the messenger
     * defers the reply, and the outbox sends it after the wait without holding a thread). Slept out, four chats
     * under Telegram's 30-60 s held every sender of the bot.
     */
    static final int INLINE_RETRY_AFTER_SECONDS = 1;
    static final Duration INLINE_RETRY_AFTER_MAX = Duration.ofSeconds(INLINE_RETRY_AFTER_SECONDS);
    /** The chat a call without one (getMe, a webhook's setup, an answer) tells the breaker its 429 is for. */
    static final long NO_CHAT = 0;

    /** Waits for the bot's pace before a paced attempt that is not a message's first (see {@link #call}). */
    @FunctionalInterface
    interface Turns {
        /** Before each attempt of a call in a chat's lane. */
        void beforeAttempt() throws InterruptedException;

        Turns NONE = () -> { };
    }

    private final TelegramBot bot;
    private final String token;
    private final Policy policy;
    private final OutboundLimiter.Ticker ticker;
    private final IntervalFunction backoff;
    /** The bot-wide breaker this caller tells of trouble (the outbox's senders ask it before each claim); null: none. */
    private final TelegramOutage outage;
    private final Turns turns;

    ApiCaller(TelegramBot bot, Policy policy, OutboundLimiter.Ticker ticker) {
        this(bot, policy, ticker, null, Turns.NONE);
    }

    ApiCaller(TelegramBot bot, Policy policy, OutboundLimiter.Ticker ticker, TelegramOutage outage, Turns turns) {
        this.bot = bot;
        this.token = bot.getToken();
        this.policy = policy;
        this.ticker = ticker;
        this.outage = outage;
        this.turns = turns;
        this.backoff = IntervalFunction.ofExponentialBackoff(policy.firstBackoff(), 2.0,
                Duration.ofMillis(Math.max(MAX_BACKOFF_MILLIS, policy.firstBackoff().toMillis())));
    }

    String token() {
        return token;
    }

    /**
     * Executes {@code request}, retrying as described in the class comment.
     *
     * @param idempotent whether repeating it after an ambiguous failure is harmless
     * @param lane       when set, every attempt waits for the chat's turn and a 429 pauses the chat
     */
    <T extends BaseRequest<T, R>, R extends BaseResponse> Outcome<R> call(BaseRequest<T, R> request, boolean idempotent,
                                                                          OutboundLimiter.Lane lane) {
        return call(request, idempotent, ServerErrors.DID_NOTHING, lane);
    }

    /**
     * Executes {@code request} as {@link #call(BaseRequest, boolean, OutboundLimiter.Lane)} does, reading its 5xx
     * answers as {@code serverErrors} says.
     */
    <T extends BaseRequest<T, R>, R extends BaseResponse> Outcome<R> call(BaseRequest<T, R> request, boolean idempotent,
                                                                          ServerErrors serverErrors,
                                                                          OutboundLimiter.Lane lane) {
        return call(request, idempotent, serverErrors, lane, lane == null ? NO_CHAT : lane.chatId());
    }

    /**
     * Executes a chat's call made outside its lane (a chat action, sent by the outbox's senders): its 429 is told to
     * the breaker as the chat's, and one longer than {@link #INLINE_RETRY_AFTER_MAX} ends the call at once, as in a
     * lane. Lane-less, such a 429 was slept out on the sender's thread (up to the cap, three times) and told to the
     * breaker as chat 0, so chat actions never counted toward the flood of several chats.
     */
    <T extends BaseRequest<T, R>, R extends BaseResponse> Outcome<R> callForChat(BaseRequest<T, R> request,
                                                                                 boolean idempotent, long chatId) {
        return call(request, idempotent, ServerErrors.DID_NOTHING, null, chatId);
    }

    private <T extends BaseRequest<T, R>, R extends BaseResponse> Outcome<R> call(BaseRequest<T, R> request,
                                                                                  boolean idempotent,
                                                                                  ServerErrors serverErrors,
                                                                                  OutboundLimiter.Lane lane, long chat) {
        String method = request.getMethod();
        int rateLimited = 0;
        int failures = 0;
        long firstFailureNanos = 0;
        Outcome<R> mayHaveArrived = null; // the first attempt that may have been carried out
        Outcome<R> lastFailure = null; // the last attempt retried, for the line of a call that went through after it
        while (true) {
            Outcome<R> o;
            try {
                if (lane != null) {
                    turns.beforeAttempt();
                    lane.awaitTurn();
                }
                o = once(request);
                if (mayHaveArrived == null && (o.kind() == Kind.AMBIGUOUS
                        || (o.kind() == Kind.SERVER_ERROR && serverErrors == ServerErrors.MAY_FOLLOW_WORK))) {
                    mayHaveArrived = o;
                }
                if (o.kind() == Kind.API_ERROR && o.errorCode() == 429) {
                    if (outage != null) {
                        outage.rateLimited(chat, o.retryAfter());
                    }
                    if (!waitOutRateLimit(o, rateLimited++, method, lane, lane != null || chat != NO_CHAT)) {
                        return overall(o, mayHaveArrived);
                    }
                    continue;
                }
                if (!retriable(o.kind(), idempotent)) {
                    if (failures > 0) {
                        // one line for the call's retries, each a DEBUG line: five INFO lines for one sendMessage
                        // through a spell of 5xx were most of a small box's log in the review
                        log.info("telegram {} {} at attempt {}, {} ms after its first failed ({}: {}); {} failed",
                                method, o.kind() == Kind.OK ? "went through" : "ended " + o.kind(), failures + 1,
                                millisSince(firstFailureNanos), lastFailure.kind(), lastFailure.problem(),
                                failures == 1 ? "1 attempt" : failures + " attempts");
                    }
                    return troubled(method, overall(o, mayHaveArrived), failures == 0 ? 1 : failures + 1,
                            firstFailureNanos);
                }
                if (failures++ == 0) {
                    firstFailureNanos = ticker.nanos();
                }
                lastFailure = o;
                if (!backOff(method, o, failures, firstFailureNanos)) {
                    return troubled(method, overall(o, mayHaveArrived), failures, firstFailureNanos);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return overall(new Outcome<>(Kind.INTERRUPTED, null, "interrupted"), mayHaveArrived);
            }
        }
    }

    /**
     * A call that ended in doubt, or never got through, or met 5xx for its whole budget, tells the breaker: Telegram
     * itself is in trouble.
     */
    private <R extends BaseResponse> Outcome<R> troubled(String method, Outcome<R> o, int attempts,
                                                         long firstFailureNanos) {
        if (outage != null && (o.kind() == Kind.AMBIGUOUS || o.kind() == Kind.NOT_SENT
                || o.kind() == Kind.SERVER_ERROR)) {
            // the attempts counted in the breaker's WARN, as its retries are DEBUG lines
            outage.trouble(method + ": " + o.problem() + (attempts > 1 ? "; " + attempts + " attempts in "
                    + millisSince(firstFailureNanos) + " ms" : ""), Duration.ZERO);
        }
        return o;
    }

    private long millisSince(long nanos) {
        return Duration.ofNanos(ticker.nanos() - nanos).toMillis();
    }

    /**
     * The call's outcome from its last attempt and the first that may have been carried out: the last alone told a
     * refund dropped after it went and then met with refused connections as surely not done, and the shop gave the
     * money back to a payer who had the Stars too.
     */
    @SuppressWarnings("ReferenceEquality") // whether the attempt that may have arrived is the last one itself, not an equal one
    private <R extends BaseResponse> Outcome<R> overall(Outcome<R> last, Outcome<R> mayHaveArrived) {
        if (mayHaveArrived == null || mayHaveArrived == last || !saysNothingOfEarlierAttempts(last)) {
            return last;
        }
        if (last.kind() == Kind.INTERRUPTED) {
            return new Outcome<>(Kind.AMBIGUOUS, null, mayHaveArrived.problem() + "; interrupted before the next try");
        }
        String lastProblem = last.kind() == Kind.API_ERROR
                ? last.errorCode() + " " + Redaction.redact(last.description(), token) : last.problem();
        return new Outcome<>(Kind.AMBIGUOUS, null, mayHaveArrived.problem() + "; tried again, the last try: "
                + lastProblem);
    }

    /**
     * Whether an attempt's failure leaves what an earlier one did unknown: it never got through, the server did not
     * complete it, Telegram refused it for the rate or the token, whatever the request asked, or the thread was
     * stopped before it (taken alone, a stop after an edit that may have gone said "not done", and the messenger
     * deferred it to the next start). Telegram's other answers (an API error on the request itself) describe the
     * state the earlier attempts left.
     */
    private static boolean saysNothingOfEarlierAttempts(Outcome<?> o) {
        return switch (o.kind()) {
            case NOT_SENT, SERVER_ERROR, INTERRUPTED -> true;
            case API_ERROR -> o.errorCode() == 429 || o.tokenRefused();
            case OK, AMBIGUOUS -> false;
        };
    }

    private static boolean retriable(Kind kind, boolean idempotent) {
        return kind == Kind.NOT_SENT || kind == Kind.SERVER_ERROR || (kind == Kind.AMBIGUOUS && idempotent);
    }

    /** Sleeps before the next attempt; false when that attempt would start beyond the budget. */
    private boolean backOff(String method, Outcome<?> o, int failures, long firstFailureNanos) throws InterruptedException {
        long pauseNanos = Duration.ofMillis(backoff.apply(failures)).toNanos();
        long spentNanos = ticker.nanos() - firstFailureNanos;
        if (spentNanos + pauseNanos > policy.transientBudget().toNanos()) {
            // with a breaker, its WARN says it once for every call that gives up so
            if (outage != null) {
                log.debug("telegram {} still failing after {} attempts in {} ms, giving up: {}", method, failures,
                    Duration.ofNanos(spentNanos).toMillis(), o.problem());
            } else {
                log.warn("telegram {} still failing after {} attempts in {} ms, giving up: {}", method, failures,
                    Duration.ofNanos(spentNanos).toMillis(), o.problem());
            }
            return false;
        }
        // DEBUG: the call's one line says them, when it goes through or gives up (the breaker's WARN with one)
        log.debug("telegram {} failed ({}: {}), attempt {} of this call; retrying in {} ms", method, o.kind(),
                o.problem(), failures, Duration.ofNanos(pauseNanos).toMillis());
        ticker.sleepNanos(pauseNanos);
        return true;
    }

    /** Waits out a 429; false when the demand is beyond the cap or the retries are used up. */
    private boolean waitOutRateLimit(Outcome<?> o, int rateLimited, String method, OutboundLimiter.Lane lane,
                                     boolean forAChat) throws InterruptedException {
        Duration wait = o.retryAfter();
        long retryAfter = wait.toSeconds();
        if (forAChat && wait.compareTo(INLINE_RETRY_AFTER_MAX) > 0) {
            // DEBUG: a line per reply deferred, naming no chat, is nothing to act on (review L68: 23 INFO lines in
            // 14 s of a flood wait, beside its WARN); kiebot_telegram_throttled_total counts each, and a bot-wide
            // flood wait is TelegramOutage's WARN
            log.debug("telegram {} rate limited for a chat, retry_after={} s: deferred, no sender waits for it", method,
                    retryAfter);
            return false;
        }
        if (wait.compareTo(policy.retryAfterCap()) > 0) {
            log.warn("telegram {} rate limited, retry_after={} s: longer than the {} s a call waits, given up{}", method,
                    retryAfter, policy.retryAfterCap().toSeconds(), rateLimited == 0 ? ""
                            : " after " + retries(rateLimited));
            return false;
        }
        if (rateLimited >= policy.max429Retries()) {
            log.warn("telegram {} rate limited, retry_after={} s; giving up after {}", method, retryAfter,
                    retries(rateLimited));
            return false;
        }
        log.info("telegram {} rate limited, waiting {} s", method, retryAfter);
        if (lane != null) {
            lane.pause(wait); // the chat's next turn comes after the pause; other chats go on
        } else {
            ticker.sleepNanos(wait.toNanos());
        }
        return true;
    }

    /** "1 retry", "3 retries": "1 retries" was the common one. */
    private static String retries(int n) {
        return n == 1 ? "1 retry" : n + " retries";
    }

    /** One HTTP exchange, classified. */
    private <T extends BaseRequest<T, R>, R extends BaseResponse> Outcome<R> once(BaseRequest<T, R> request) {
        R r;
        try {
            r = bot.execute(request);
        } catch (RuntimeException e) {
            return failed(e);
        }
        if (r == null) {
            return new Outcome<>(Kind.AMBIGUOUS, null, "the Bot API answered with an empty body");
        }
        if (r.isOk()) {
            return new Outcome<>(Kind.OK, r, "");
        }
        if (r.errorCode() >= 500) {
            String problem = r.errorCode() + " " + Redaction.redact(r.description(), token);
            return new Outcome<>(completionDenied(r.errorCode()) ? Kind.SERVER_ERROR : Kind.AMBIGUOUS, r, problem);
        }
        return new Outcome<>(Kind.API_ERROR, r, "");
    }

    private <R extends BaseResponse> Outcome<R> failed(RuntimeException e) {
        String problem = Redaction.describe(e, token);
        Optional<WireEvidence.UnreadableAnswer> page = cause(e, WireEvidence.UnreadableAnswer.class);
        if (page.isPresent()) {
            return new Outcome<>(completionDenied(page.get().status) ? Kind.SERVER_ERROR : Kind.AMBIGUOUS, null, problem);
        }
        if (cause(e, WireEvidence.Unsent.class).isPresent() || neverConnected(e)) {
            return new Outcome<>(Kind.NOT_SENT, null, problem);
        }
        if (e instanceof JsonParseException) {
            return new Outcome<>(Kind.AMBIGUOUS, null, "the Bot API answered with something that is not JSON");
        }
        return new Outcome<>(Kind.AMBIGUOUS, null, problem);
    }

    /**
     * Whether an HTTP 5xx means the method did not complete: 500, 502 and 503 come from a server or proxy
     * that could not carry the request through. A 504 means the proxy stopped waiting while the Bot API
     * may still be working on it.
     */
    private static boolean completionDenied(int status) {
        return status >= 500 && status != 504;
    }

    private static <X extends Throwable> Optional<X> cause(Throwable e, Class<X> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    /** For bots built without {@link TelegramBots}: failures that can only happen before anything was sent. */
    private static boolean neverConnected(Throwable e) {
        return cause(e, ConnectException.class).isPresent() || cause(e, UnknownHostException.class).isPresent()
                || cause(e, NoRouteToHostException.class).isPresent();
    }
}
