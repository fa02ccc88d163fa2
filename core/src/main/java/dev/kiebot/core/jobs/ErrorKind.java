package dev.kiebot.core.jobs;

/**
 * The provider error taxonomy (Kie codes in brackets). {@code retryable} says whether the same
 * request may be tried again later; {@code messageKey} is what the user is told.
 */
public enum ErrorKind {
    /** The provider refused the account's key: the operator's to fix, not the user's. */
    AUTH(false, "error.provider_unavailable"),               // 401
    /** The provider account has no credit left to run the task. */
    OUT_OF_CREDITS(false, "error.provider_unavailable"),     // 402
    /** The key's own usage cap, set in the provider account, is reached. */
    KEY_LIMIT(false, "error.provider_unavailable"),          // 433: the key's own usage cap, set in the account
    /** The provider does not know the task (a status read): read again for a while, then refunded. */
    NOT_FOUND(false, "error.provider_failed"),               // 404
    /**
     * The provider refused the request itself (validation: a parameter, a file it cannot use): the same request fails
     * again. A refusal of what the request asks for is {@link #CONTENT_POLICY}.
     */
    INVALID_INPUT(false, "error.provider_invalid_input"),    // 400, 422: validation
    /**
     * The provider refused what the request asks for by its content rules (prohibited or sensitive content): the same
     * request fails again, and the user is to change his description, not the photo or the parameters.
     */
    CONTENT_POLICY(false, "error.provider_content_policy"),  // 400, 422 saying so; Suno's SENSITIVE_WORD_ERROR
    /** Asked to slow down: the same request may go again later. */
    RATE_LIMITED(true, "error.provider_busy"),               // 429, 433
    /** The provider is down for maintenance: the same request may go again later. */
    MAINTENANCE(true, "error.provider_busy"),                // 455
    /**
     * The provider failed on its side (a 5xx): the same request may go again later. The user is told to try later or
     * another model, not to change his description (which is not at fault), as for a task the provider could not make.
     */
    SERVER(true, "error.provider_server"),                   // 500
    /** The provider ran the task and it failed: refunded at once. */
    GENERATION_FAILED(false, "error.provider_failed"),       // 501
    /** The provider has turned the model or feature off for this account. */
    FEATURE_DISABLED(false, "error.provider_unavailable"),   // 505
    /** No answer in time: whether the request arrived is unknown (say so with {@code mayHaveReachedProvider}). */
    TIMEOUT(true, "error.provider_timeout"),                 // no answer in time
    /** The provider could not be reached: the request surely did not arrive. */
    CONNECT(true, "error.provider_busy"),                    // could not reach the provider
    /** An answer that could not be read (bad JSON, an HTML page, an empty body). */
    MALFORMED_RESPONSE(true, "error.provider_failed");       // bad JSON, HTML page, empty body

    private final boolean retryable;
    private final String messageKey;

    ErrorKind(boolean retryable, String messageKey) {
        this.retryable = retryable;
        this.messageKey = messageKey;
    }

    /**
     * Whether the same request may be tried again later (a submit only when it surely did not reach the provider).
     *
     * @return true for a passing failure
     */
    public boolean retryable() {
        return retryable;
    }

    /**
     * The key of what the user is told when a job fails with this kind (a {@code Msg} key).
     *
     * @return a key of {@code messages_en.properties}
     */
    public String messageKey() {
        return messageKey;
    }
}
