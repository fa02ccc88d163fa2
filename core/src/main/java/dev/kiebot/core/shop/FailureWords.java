package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A failed generation's reason as the user read it («нейросеть не справилась с задачей»), without the advice that
 * followed it for the user, for an admin: its key is no word of his (the log has it). A key whose text wants values
 * it was not kept with is said otherwise, one with no text as unknown. A job that failed with the provider's kind of
 * error ({@code Job.failureKind()}) is said by its kind: three kinds share «нейросеть не справилась», and a refusal by
 * Kie's content rules read as a rejected parameter.
 */
final class FailureWords {
    private FailureWords() {
    }

    /**
     * The reason of a job that failed with {@code kind}: the kind in words, and the reason the user read too when the
     * bot told him more than the kind (a model Kie no longer runs, refused as invalid input). Without a kind (a
     * failure of the shop's own, or a job failed before the kind was kept) the reason alone, as before.
     */
    static String of(Texts texts, String lang, String key, Optional<ErrorKind> kind) {
        if (kind.isEmpty()) {
            return of(texts, lang, key);
        }
        String words = texts.get(lang, words(kind.get()));
        return key.equals(kind.get().messageKey()) ? words : of(texts, lang, key) + " (" + words + ")";
    }

    /** The provider's kind of error in the admin's words: exhaustive, so that a new kind cannot reach him unsaid. */
    static Msg words(ErrorKind kind) {
        return switch (kind) {
            case AUTH -> Msg.FIND_KIND_AUTH;
            case OUT_OF_CREDITS -> Msg.FIND_KIND_OUT_OF_CREDITS;
            case KEY_LIMIT -> Msg.FIND_KIND_KEY_LIMIT;
            case NOT_FOUND -> Msg.FIND_KIND_NOT_FOUND;
            case INVALID_INPUT -> Msg.FIND_KIND_INVALID_INPUT;
            case CONTENT_POLICY -> Msg.FIND_KIND_CONTENT_POLICY;
            case RATE_LIMITED -> Msg.FIND_KIND_RATE_LIMITED;
            case MAINTENANCE -> Msg.FIND_KIND_MAINTENANCE;
            case SERVER -> Msg.FIND_KIND_SERVER;
            case GENERATION_FAILED -> Msg.FIND_KIND_GENERATION_FAILED;
            case FEATURE_DISABLED -> Msg.FIND_KIND_FEATURE_DISABLED;
            case TIMEOUT -> Msg.FIND_KIND_TIMEOUT;
            case CONNECT -> Msg.FIND_KIND_CONNECT;
            case MALFORMED_RESPONSE -> Msg.FIND_KIND_MALFORMED_RESPONSE;
        };
    }

    /**
     * The provider's failures the user reads in his words («нейросеть перегружена», «нейросеть временно недоступна»),
     * by their keys, in the operator's: the kinds of error behind each key ({@link ErrorKind#messageKey()}), and the
     * shop's own failures kept under the same keys (a deadline passed: {@code error.provider_timeout}; a send cut off:
     * {@code error.provider_uncertain}). A key of one kind is said by its kind.
     */
    private static final Map<String, Msg> OPERATORS_CAUSES = Map.of(
            Msg.ERROR_PROVIDER_UNAVAILABLE.key(), Msg.FIND_REASON_ACCOUNT,
            Msg.ERROR_PROVIDER_BUSY.key(), Msg.FIND_REASON_BUSY,
            Msg.ERROR_PROVIDER_FAILED.key(), Msg.FIND_REASON_FAILED,
            Msg.ERROR_PROVIDER_TIMEOUT.key(), Msg.FIND_REASON_TIMEOUT,
            Msg.ERROR_PROVIDER_UNCERTAIN.key(), Msg.FIND_REASON_UNCERTAIN,
            Msg.ERROR_PROVIDER_SERVER.key(), Msg.FIND_KIND_SERVER,
            Msg.ERROR_PROVIDER_INVALID_INPUT.key(), Msg.FIND_KIND_INVALID_INPUT,
            Msg.ERROR_PROVIDER_CONTENT_POLICY.key(), Msg.FIND_KIND_CONTENT_POLICY);

    /**
     * A failing model's most frequent reason on {@code /admin}, where only its key is kept: a failure at Kie is said
     * as the operator's cause, not as the user read it. A refusal of the shop's account («нейросеть временно
     * недоступна»: Kie's 401, 402, 433, a model turned off) had the admin wait for a service that was waiting for his
     * payment to Kie, and «нейросеть перегружена» did not tell Kie's rate limit from its maintenance or a lost
     * connection. A failure of the shop's own (a file too large) reads as the user read it, without the advice.
     */
    static String ofFailingModel(Texts texts, String lang, String key) {
        Msg cause = OPERATORS_CAUSES.get(key);
        return cause != null ? texts.get(lang, cause) : of(texts, lang, key);
    }

    /** The keys {@link #ofFailingModel} says as the operator's cause. */
    static Set<String> operatorsCauses() {
        return OPERATORS_CAUSES.keySet();
    }

    static String of(Texts texts, String lang, String key) {
        if (key.equals(Msg.INSUFFICIENT_FUNDS.key())) {
            return texts.get(lang, Msg.AUDIT_GEN_HOLD_REJECTED);
        }
        String words = texts.get(lang, key);
        if (words.equals(key) || words.indexOf('{') >= 0) {
            return texts.get(lang, Msg.FIND_FAILURE_UNKNOWN);
        }
        // the reason without the advice that followed it for the user («Попробуйте ещё раз…»): not the admin's to do
        int advice = words.indexOf(". ");
        return advice > 0 ? words.substring(0, advice) : words;
    }
}
