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
     * The value as a line of a summary reads it («• Звук: да», «• Качество: базовое»): the confirmation, {@code /find}.
     * After the colon a Russian sentence goes on in lower case, so a label that is a common word loses its capital
     * there ({@link #afterColon}); its buttons keep «Да», «Базовое».
     *
     * @param texts    the shop's texts
     * @param language the reader's language
     * @param field    the field the value is of
     * @param value    the value as the order keeps it
     * @return the words for it after the field's label
     */
    public static String inSummary(Texts texts, String language, InputField field, String value) {
        return afterColon(words(texts, language, field, value, Msg.OPTION_YES, Msg.OPTION_NO));
    }

    /**
     * A label as it goes on after a colon: a Cyrillic word in sentence case (a capital, then a small letter: «Авто»,
     * «Как на фото») starts small. Kept as they are: a label starting with a digit («1:1», «4K»), a Latin one (the
     * proper names and acronyms the catalog writes in Latin: «Full HD», «HD»), an acronym («ИИ»), and a person's name
     * (a voice's, marked ♂ or ♀ in the catalog's labels: «Джеймс ♂»). English labels are Latin: kept too.
     */
    static String afterColon(String label) {
        if (label.isEmpty()) {
            return label;
        }
        int first = label.codePointAt(0);
        int width = Character.charCount(first);
        boolean sentenceCase = Character.isUpperCase(first)
                && Character.UnicodeScript.of(first) == Character.UnicodeScript.CYRILLIC
                && width < label.length() && Character.isLowerCase(label.codePointAt(width));
        if (!sentenceCase || label.contains("\u2642") || label.contains("\u2640")) {
            return label;
        }
        return label.substring(0, width).toLowerCase(java.util.Locale.ROOT) + label.substring(width);
    }

    private static String words(Texts texts, String language, InputField field, String value, Msg yes, Msg no) {
        if (field.type() == FieldType.BOOLEAN && field.labels().value(value).isEmpty()) {
            return texts.get(language, "true".equals(value) ? yes : no);
        }
        return field.valueLabel(value, language);
    }
}
