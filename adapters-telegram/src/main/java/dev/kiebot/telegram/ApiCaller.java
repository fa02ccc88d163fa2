package dev.kiebot.telegram;

import com.google.gson.JsonParseException;
import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.request.BaseRequest;
import com.pengrad.telegrambot.response.BaseResponse;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes Bot API requests through pengrad and folds its three failure shapes (thrown
 * {@code RuntimeException(IOException)}, thrown {@code JsonSyntaxException} for non-JSON bodies, a
 * {@code null} response for empty bodies) and the API's own errors into one {@link Outcome}.
 *
 * <ul>
 *   <li>429: waits {@code retry_after} (never longer than the cap) and tries again, a bounded number of times.</li>
 *   <li>Transport failures: retried with exponential backoff (resilience4j) when the call is idempotent,
 *       or when the request surely never left (connect refused, unknown host).</li>
 *   <li>5xx answers from the API: retried like transport failures for idempotent calls.</li>
 * </ul>
 * Nothing thrown here ever carries the token.
 */
final class ApiCaller {
    private static final Logger log = LoggerFactory.getLogger(ApiCaller.class);

    /** Retry settings shared by the messenger and the file source. */
    record Policy(Duration retryAfterCap, int max429Retries, int networkAttempts, Duration networkBackoff) {
        Policy {
            if (max429Retries < 0 || networkAttempts < 1) {
                throw new IllegalArgumentException("retries must not be negative, attempts at least 1");
            }
        }

        static Policy defaults() {
            return new Policy(Duration.ofSeconds(60), 3, 3, Duration.ofMillis(500));
        }
    }

    enum Kind {
        /** The API answered ok. */
        OK,
        /** The API answered with an error (4xx, or 429 beyond our patience): nothing was done. */
        API_ERROR,
        /** The request may or may not have been carried out (timeout after sending, garbled answer, 5xx). */
        AMBIGUOUS,
        /** The request surely never reached Telegram (connection refused, unknown host). */
        NOT_SENT,
        /** Interrupted while waiting. */
        INTERRUPTED
    }

    /** The result of one logical call. {@code response} is set for OK and API_ERROR. */
    record Outcome<R extends BaseResponse>(Kind kind, R response, String problem) {
        boolean ok() {
            return kind == Kind.OK;
        }

        int errorCode() {
            return response == null ? 0 : response.errorCode();
        }

        String description() {
            return response == null || response.description() == null ? "" : response.description();
        }

        /** A short, token-free reason for logs and {@code Delivery.Failed}. */
        String reason(String method) {
            if (kind == Kind.API_ERROR) {
                return method + " failed: " + errorCode() + " " + description();
            }
            return method + " failed: " + problem;
        }
    }

    /** Thrown inside the retry loop; never leaves this class. */
    private static final class TransportFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final boolean maybeSent;

        TransportFailure(String message, boolean maybeSent) {
            super(message, null, false, false);
            this.maybeSent = maybeSent;
        }
    }

    private final TelegramBot bot;
    private final String token;
    private final Policy policy;
    private final OutboundLimiter.Ticker ticker;
    private final Retry idempotentRetry;
    private final Retry safeRetry;

    ApiCaller(TelegramBot bot, Policy policy, OutboundLimiter.Ticker ticker) {
        this.bot = bot;
        this.token = bot.getToken();
        this.policy = policy;
        this.ticker = ticker;
        IntervalFunction backoff = IntervalFunction.ofExponentialBackoff(
                Math.max(1, policy.networkBackoff().toMillis()), 2.0);
        this.idempotentRetry = Retry.of("telegram-idempotent", RetryConfig.custom()
                .maxAttempts(policy.networkAttempts())
                .intervalFunction(backoff)
                .retryOnException(e -> e instanceof TransportFailure)
                .build());
        this.safeRetry = Retry.of("telegram-unsent", RetryConfig.custom()
                .maxAttempts(policy.networkAttempts())
                .intervalFunction(backoff)
                .retryOnException(e -> e instanceof TransportFailure t && !t.maybeSent)
                .build());
    }

    String token() {
        return token;
    }

    /**
     * Executes {@code request}.
     *
     * @param idempotent whether repeating it after an unclear failure is harmless
     * @param lane       when set, every attempt waits for the chat's turn and a 429 pauses the chat
     */
    <T extends BaseRequest<T, R>, R extends BaseResponse> Outcome<R> call(BaseRequest<T, R> request, boolean idempotent,
                                                                          OutboundLimiter.Lane lane) {
        String method = request.getMethod();
        for (int rateLimited = 0; ; rateLimited++) {
            R response;
            try {
                if (lane != null) {
                    lane.awaitTurn();
                }
                Retry retry = idempotent ? idempotentRetry : safeRetry;
                response = Retry.decorateSupplier(retry, () -> once(request, idempotent)).get();
            } catch (TransportFailure e) {
                log.debug("telegram {} failed: {}", method, e.getMessage());
                return new Outcome<>(e.maybeSent ? Kind.AMBIGUOUS : Kind.NOT_SENT, null, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome<>(Kind.INTERRUPTED, null, "interrupted");
            }
            if (response.isOk()) {
                return new Outcome<>(Kind.OK, response, "");
            }
            if (response.errorCode() != 429) {
                if (response.errorCode() >= 500) {
                    return new Outcome<>(Kind.AMBIGUOUS, response,
                            response.errorCode() + " " + Redaction.redact(response.description(), token));
                }
                return new Outcome<>(Kind.API_ERROR, response, "");
            }
            long retryAfter = response.parameters() != null && response.parameters().retryAfter() != null
                    ? Math.max(1, response.parameters().retryAfter()) : 1;
            Duration wait = Duration.ofSeconds(retryAfter);
            if (wait.compareTo(policy.retryAfterCap()) > 0 || rateLimited >= policy.max429Retries()) {
                log.warn("telegram {} rate limited, retry_after={} s; giving up after {} retries", method, retryAfter, rateLimited);
                return new Outcome<>(Kind.API_ERROR, response, "");
            }
            log.info("telegram {} rate limited, waiting {} s", method, retryAfter);
            try {
                if (lane != null) {
                    lane.pause(wait);
                } else {
                    ticker.sleepNanos(wait.toNanos());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome<>(Kind.INTERRUPTED, null, "interrupted");
            }
        }
    }

    private <T extends BaseRequest<T, R>, R extends BaseResponse> R once(BaseRequest<T, R> request, boolean idempotent) {
        R r;
        try {
            r = bot.execute(request);
        } catch (JsonParseException e) {
            throw new TransportFailure("the Bot API answered with something that is not JSON", true);
        } catch (RuntimeException e) {
            boolean unsent = neverSent(e);
            throw new TransportFailure(Redaction.describe(e, token), !unsent);
        }
        if (r == null) {
            throw new TransportFailure("the Bot API answered with an empty body", true);
        }
        if (idempotent && r.errorCode() >= 500) {
            throw new TransportFailure("the Bot API answered " + r.errorCode() + " "
                    + Redaction.redact(r.description(), token), true);
        }
        return r;
    }

    private static boolean neverSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }
}
