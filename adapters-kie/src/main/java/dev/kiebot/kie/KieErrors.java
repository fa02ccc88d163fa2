package dev.kiebot.kie;

import dev.kiebot.core.jobs.ErrorKind;
import java.util.regex.Pattern;

/**
 * The one mapping from a Kie HTTP status or body {@code code} to the core {@link ErrorKind}, and
 * which answers prove that a request was not processed (so a createTask may be sent again).
 */
public final class KieErrors {
    private KieErrors() {
    }

    /**
     * 401/403 AUTH, 402 OUT_OF_CREDITS, 433 KEY_LIMIT (a sub-key's usage cap: retrying does not help until it is
     * raised, kie-api.md §6 "alert admin"), 404 NOT_FOUND, 400/422 (and other 4xx) INVALID_INPUT,
     * 408 TIMEOUT, 429 RATE_LIMITED, 455 MAINTENANCE, 500 (and other 5xx) SERVER,
     * 501/531 GENERATION_FAILED, 505 FEATURE_DISABLED; anything else MALFORMED_RESPONSE.
     */
    public static ErrorKind kindFor(int code) {
        return switch (code) {
            case 401, 403 -> ErrorKind.AUTH;
            case 402 -> ErrorKind.OUT_OF_CREDITS;
            case 404 -> ErrorKind.NOT_FOUND;
            case 400, 422 -> ErrorKind.INVALID_INPUT;
            case 408 -> ErrorKind.TIMEOUT;
            case 429 -> ErrorKind.RATE_LIMITED;
            case 433 -> ErrorKind.KEY_LIMIT;
            case 455 -> ErrorKind.MAINTENANCE;
            case 500 -> ErrorKind.SERVER;
            case 501, 531 -> ErrorKind.GENERATION_FAILED;
            case 505 -> ErrorKind.FEATURE_DISABLED;
            default -> {
                if (code >= 400 && code < 500) {
                    yield ErrorKind.INVALID_INPUT;
                }
                if (code >= 500 && code < 600) {
                    yield ErrorKind.SERVER;
                }
                yield ErrorKind.MALFORMED_RESPONSE;
            }
        };
    }

    /**
     * Kie's refusals by its content rules, in the words its documentation gives them: a failed task's {@code failMsg}
     * «Invalid prompt: prompt contains prohibited content» (failCode 422, kie-api.md §1), the dedicated APIs'
     * «content-policy» 400s (§6), Suno's {@code SENSITIVE_WORD_ERROR} («sensitive word»). Words, not codes: the same
     * 400 and 422 are every other refusal of a request's parameters too.
     */
    private static final Pattern CONTENT_POLICY = Pattern.compile(
            "(?i)\\bprohibited\\s+content\\b|\\bcontent[\\s_-]+polic(?:y|ies)\\b"
                    + "|\\bsensitive[\\s_-]+(?:word|content)s?\\b");

    /**
     * {@link #kindFor(int)}, told apart by Kie's words: a refusal of the request ({@code INVALID_INPUT}) or a failed
     * generation ({@code GENERATION_FAILED}) whose message says Kie's content rules refused it is
     * {@code CONTENT_POLICY}, whose user is told to change his description rather than check his photo or
     * parameters.
     *
     * @param code    Kie's code (HTTP status, body {@code code} or a task's {@code failCode}); -1 for none
     * @param message Kie's message ({@code msg}, {@code failMsg}), or null
     * @param fallback the kind when there is no code
     * @return the kind
     */
    public static ErrorKind kindFor(int code, String message, ErrorKind fallback) {
        ErrorKind kind = code > 0 && code != 200 ? kindFor(code) : fallback;
        boolean refusal = kind == ErrorKind.INVALID_INPUT || kind == ErrorKind.GENERATION_FAILED;
        return refusal && saysContentPolicy(message) ? ErrorKind.CONTENT_POLICY : kind;
    }

    /** Whether Kie's message names a refusal by its content rules ({@link #CONTENT_POLICY}). */
    static boolean saysContentPolicy(String message) {
        return message != null && CONTENT_POLICY.matcher(message).find();
    }

    /**
     * True when an answer with this code proves Kie did not take the request: 429/433 (rejected
     * requests "will not enter the queue"), 455 (maintenance) and 503 (service unavailable), and the refusals of the
     * request itself, made before any task: 400/422 (its parameters), 401/403 (the key), 402 (no credits), 505 (the
     * feature off). For those a createTask refusal wrote a RECONCILE line and a "may have created the task" note on
     * every order refused, e.g. on each one while the credits were out, sending the operator to look for tasks that
     * never were. A 5xx, a 404 and anything unknown may have come after the task was made.
     */
    public static boolean surelyNotProcessed(int code) {
        return switch (code) {
            case 400, 401, 402, 403, 422, 429, 433, 455, 503, 505 -> true;
            default -> false;
        };
    }

    /** Parses a code given as a number or a numeric string ({@code failCode: "422"}); -1 if none. */
    static int parseCode(String s) {
        if (s == null) {
            return -1;
        }
        String t = s.trim();
        if (!t.matches("\\d{1,4}")) {
            return -1;
        }
        return Integer.parseInt(t);
    }
}
