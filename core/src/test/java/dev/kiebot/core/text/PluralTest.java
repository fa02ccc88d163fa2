package dev.kiebot.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PluralTest {
    private static final List<String> USERS_RU = List.of("пользователю", "пользователям", "пользователям");
    private static final List<String> GENERATIONS_RU = List.of("генерация", "генерации", "генераций");
    private final Texts texts = new Texts();

    @ParameterizedTest(name = "{0} → form {1}")
    @CsvSource({"0, 2", "1, 0", "2, 1", "4, 1", "5, 2", "10, 2", "11, 2", "12, 2", "14, 2", "15, 2", "20, 2",
            "21, 0", "22, 1", "25, 2", "101, 0", "111, 2", "112, 2", "122, 1", "1001, 0", "-1, 0", "-3, 1"})
    void russianHasOneFewAndMany(long n, int form) {
        assertThat(Plural.form("ru", n)).isEqualTo(form);
    }

    @Test
    void countsReadAsRussianSaysThem() {
        assertThat(Plural.of("ru", 1, USERS_RU)).isEqualTo("1 пользователю");
        assertThat(Plural.of("ru", 2, USERS_RU)).isEqualTo("2 пользователям");
        assertThat(Plural.of("ru", 5, GENERATIONS_RU)).isEqualTo("5 генераций");
        assertThat(Plural.of("ru", 1, GENERATIONS_RU)).isEqualTo("1 генерация");
        assertThat(Plural.of("ru", 3, GENERATIONS_RU)).isEqualTo("3 генерации");
        assertThat(Plural.of("ru", 11, GENERATIONS_RU)).isEqualTo("11 генераций");
        assertThat(Plural.of("ru", 21, GENERATIONS_RU)).isEqualTo("21 генерация");
    }

    /** Russian groups the digits of a number of five digits or more ("20 000"), with a space no line breaks at. */
    @Test
    void largeCountsAreGroupedAsEachLanguageWritesThem() {
        List<String> chars = List.of("символ", "символа", "символов");
        assertThat(Plural.of("ru", 5000, chars)).isEqualTo("5000 символов");
        assertThat(Plural.of("ru", 20000, chars)).isEqualTo("20\u00A0000 символов");
        assertThat(Plural.of("ru", 10001, chars)).isEqualTo("10\u00A0001 символ");
        assertThat(Plural.of("ru", 1234567, chars)).isEqualTo("1\u00A0234\u00A0567 символов");
        assertThat(Plural.of("en", 20000, List.of("character", "characters"))).isEqualTo("20,000 characters");
        assertThat(Plural.of("en", 5000, List.of("character", "characters"))).isEqualTo("5000 characters");
        assertThat(texts.get("ru", Msg.INPUT_TOO_LONG, 20001, 20000))
                .isEqualTo("Слишком длинный текст: 20\u00A0001 символ, а можно не больше 20\u00A0000 символов. Сократите и отправьте ещё раз.");
        assertThat(texts.get("en", Msg.INPUT_TOO_LONG, 20001, 20000)).startsWith("Too long: 20,001 characters, the limit is 20,000 characters.");
    }

    @Test
    void englishHasOneAndOther() {
        assertThat(Plural.of("en", 1, List.of("user", "users"))).isEqualTo("1 user");
        assertThat(Plural.of("en", 0, List.of("user", "users"))).isEqualTo("0 users");
        assertThat(Plural.of("en", 2, List.of("user", "users"))).isEqualTo("2 users");
    }

    @Test
    void textsPickTheFormOfACountedPlaceholder() {
        assertThat(texts.get("ru", Msg.ADMIN_BROADCAST_CONFIRM, "#1", 1, 0, "hi")).startsWith("Рассылка #1 уйдёт 1 пользователю;");
        assertThat(texts.get("ru", Msg.ADMIN_BROADCAST_CONFIRM, "#1", 2, 0, "hi")).startsWith("Рассылка #1 уйдёт 2 пользователям;");
        assertThat(texts.get("ru", Msg.ADMIN_BROADCAST_CONFIRM, "#1", 5, 0, "hi")).startsWith("Рассылка #1 уйдёт 5 пользователям;");
        assertThat(texts.get("en", Msg.ADMIN_BROADCAST_CONFIRM, "#1", 1, 0, "hi")).startsWith("Broadcast #1 goes to 1 user;");
        assertThat(texts.get("en", Msg.ADMIN_BROADCAST_CONFIRM, "#1", 7L, 0, "hi")).startsWith("Broadcast #1 goes to 7 users;");
        assertThat(texts.get("ru", Msg.INPUT_TOO_LONG, 1001, 1000)).startsWith("Слишком длинный текст: 1001 символ,");
        assertThat(texts.get("ru", Msg.INPUT_TOO_LONG, "1003", 1000)).startsWith("Слишком длинный текст: 1003 символа,");
        assertThat(texts.get("ru", Msg.FREE_TITLE, 3, 5)).endsWith("сегодня осталось 3 из 5 бесплатных генераций.");
        assertThat(texts.get("ru", Msg.FREE_TITLE, 0, 1)).endsWith("сегодня осталось 0 из 1 бесплатной генерации.");
        assertThat(texts.get("ru", Msg.FREE_TITLE, 21, 21)).endsWith("сегодня осталось 21 из 21 бесплатной генерации.");
    }

    @Test
    void everyCountedPlaceholderListsTheFormsItsLanguageHas() {
        java.util.regex.Pattern counted = java.util.regex.Pattern.compile("\\{\\d{1,2}\\|([^{}]*)}");
        for (String lang : Texts.LANGUAGES) {
            int forms = "en".equals(lang) ? 2 : 3;
            for (String key : java.util.Collections.list(texts.bundle(lang).getKeys())) {
                java.util.regex.Matcher m = counted.matcher(texts.bundle(lang).getString(key));
                while (m.find()) {
                    assertThat(m.group(1).split("\\|", -1)).as(lang + " " + key).hasSize(forms);
                }
            }
        }
    }
}
