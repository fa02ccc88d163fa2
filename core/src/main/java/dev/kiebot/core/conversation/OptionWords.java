package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;

/**
 * How a chosen value of a field reads: on its button, in the confirmation, and to an admin looking the job up
 * ({@code /find}), who answers the user in the words the user saw, not in Kie's values. Public only because the
 * admin's screens live in the {@code shop} package: core's to call, not a partner's.
 */
public final class OptionWords {
    private OptionWords() {
    }

    /**
     * The value's label; a yes/no field without labels of its own reads «Да» / «Нет».
     *
     * @param texts    the shop's texts
     * @param language the reader's language
     * @param field    the field the value is of
     * @param value    the value as the order keeps it
     * @return the words the user saw for it
     */
    public static String of(Texts texts, String language, InputField field, String value) {
        return words(texts, language, field, value, Msg.BUTTON_YES, Msg.BUTTON_NO);
    }

    /**
     * The value as a line of a summary reads it («• Звук: да»): the confirmation, {@code /find}. A yes/no without labels
     * of its own is in lower case there, as a sentence goes on; its buttons keep «Да» / «Нет».
     *
     * @param texts    the shop's texts
     * @param language the reader's language
     * @param field    the field the value is of
     * @param value    the value as the order keeps it
     * @return the words for it after the field's label
     */
    public static String inSummary(Texts texts, String language, InputField field, String value) {
        return words(texts, language, field, value, Msg.OPTION_YES, Msg.OPTION_NO);
    }

    private static String words(Texts texts, String language, InputField field, String value, Msg yes, Msg no) {
        if (field.type() == FieldType.BOOLEAN && field.labels().value(value).isEmpty()) {
            return texts.get(language, "true".equals(value) ? yes : no);
        }
        return field.valueLabel(value, language);
    }
}
