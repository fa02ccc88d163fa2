package dev.kiebot.core.jobs;

/**
 * The provider error taxonomy (Kie codes in brackets). {@code retryable} says whether the same
 * request may be tried again later; {@code messageKey} is what the user is told.
 */
public enum ErrorKind {
    AUTH(false, "error.provider_unavailable"),               // 401
    OUT_OF_CREDITS(false, "error.provider_unavailable"),     // 402
    KEY_LIMIT(false, "error.provider_unavailable"),          // 433: the key's own usage cap, set in the account
    NOT_FOUND(false, "error.provider_failed"),               // 404
    INVALID_INPUT(false, "error.provider_invalid_input"),    // 400, 422: content policy, validation
    RATE_LIMITED(true, "error.provider_busy"),               // 429, 433
    MAINTENANCE(true, "error.provider_busy"),                // 455
    SERVER(true, "error.provider_failed"),                   // 500
    GENERATION_FAILED(false, "error.provider_failed"),       // 501
    FEATURE_DISABLED(false, "error.provider_unavailable"),   // 505
    TIMEOUT(true, "error.provider_timeout"),                 // no answer in time
    CONNECT(true, "error.provider_busy"),                    // could not reach the provider
    MALFORMED_RESPONSE(true, "error.provider_failed");       // bad JSON, HTML page, empty body

    private final boolean retryable;
    private final String messageKey;

    ErrorKind(boolean retryable, String messageKey) {
        this.retryable = retryable;
        this.messageKey = messageKey;
    }

    public boolean retryable() {
        return retryable;
    }

    public String messageKey() {
        return messageKey;
    }
}
