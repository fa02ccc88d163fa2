package dev.kiebot.core.shop;

import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;

/**
 * A failed generation's reason as the user read it («нейросеть не справилась с задачей»), without the advice that
 * followed it for the user, for an admin: its key is no word of his (the log has it). A key whose text wants values
 * it was not kept with is said otherwise, one with no text as unknown.
 */
final class FailureWords {
    private FailureWords() {
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
