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
        assertThat(Plural.of("ru", 1, USERS_RU)).isEqualTo("1\u00A0пользователю");
        assertThat(Plural.of("ru", 2, USERS_RU)).isEqualTo("2\u00A0пользователям");
        assertThat(Plural.of("ru", 5, GENERATIONS_RU)).isEqualTo("5\u00A0генераций");
        assertThat(Plural.of("ru", 1, GENERATIONS_RU)).isEqualTo("1\u00A0генерация");
        assertThat(Plural.of("ru", 3, GENERATIONS_RU)).isEqualTo("3\u00A0генерации");
        assertThat(Plural.of("ru", 11, GENERATIONS_RU)).isEqualTo("11\u00A0генераций");
        assertThat(Plural.of("ru", 21, GENERATIONS_RU)).isEqualTo("21\u00A0генерация");
    }

    /**
     * The note on an album held till its description comes names the minutes it is held ({@code HeldAlbum.FOR}) in
     * Russian's forms: «пять минут» was written out, and a change of the time left the words saying five.
     */
    @Test
    void theHeldAlbumsNoteSaysItsMinutesInTheirForm() {
        assertThat(texts.get("ru", Msg.INPUT_ALBUM_HELD, 5)).contains("(в течение 5\u00A0минут)");
        assertThat(texts.get("ru", Msg.INPUT_ALBUM_HELD, 1)).contains("(в течение 1\u00A0минуты)");
        assertThat(texts.get("ru", Msg.INPUT_ALBUM_HELD, 3)).contains("(в течение 3\u00A0минут)");
        assertThat(texts.get("ru", Msg.INPUT_ALBUM_HELD, 21)).contains("(в течение 21\u00A0минуты)");
        assertThat(texts.get("en", Msg.INPUT_ALBUM_HELD, 5)).contains("(within 5\u00A0minutes)");
    }

    /** Russian groups the digits of a number of five digits or more ("20 000"), with a space no line breaks at. */
    @Test
    void largeCountsAreGroupedAsEachLanguageWritesThem() {
        List<String> chars = List.of("символ", "символа", "символов");
        assertThat(Plural.of("ru", 5000, chars)).isEqualTo("5000\u00A0символов");
        assertThat(Plural.of("ru", 20000, chars)).isEqualTo("20\u00A0000\u00A0символов");
        assertThat(Plural.of("ru", 10001, chars)).isEqualTo("10\u00A0001\u00A0символ");
        assertThat(Plural.of("ru", 1234567, chars)).isEqualTo("1\u00A0234\u00A0567\u00A0символов");
        assertThat(Plural.of("en", 20000, List.of("character", "characters"))).isEqualTo("20,000\u00A0characters");
        assertThat(Plural.of("en", 5000, List.of("character", "characters"))).isEqualTo("5000\u00A0characters");
        assertThat(texts.get("ru", Msg.INPUT_TOO_LONG, 20001, 20000))
                .isEqualTo("Текст слишком длинный: 20\u00A0001\u00A0символ, а можно не больше 20\u00A0000. Сократите его и отправьте снова.");
        assertThat(texts.get("en", Msg.INPUT_TOO_LONG, 20001, 20000)).startsWith("The text is too long: 20,001\u00A0characters, and the limit is 20,000\u00A0characters.");
    }

    /**
     * A unit that does not change is a quantity written as an amount is, grouped from four digits: «1 500 ₽ за 1 000 ⭐»
     * reads as one style, where «за 1000 ⭐» beside a grouped price did not; counted words keep Russian's five.
     */
    @Test
    void aOneFormUnitIsGroupedFromFourDigitsAsAnAmountIs() {
        assertThat(Plural.of("ru", 999, List.of("⭐"))).isEqualTo("999\u00A0⭐");
        assertThat(Plural.of("ru", 1000, List.of("⭐"))).isEqualTo("1\u00A0000\u00A0⭐");
        assertThat(Plural.of("ru", 1234567, List.of("⭐"))).isEqualTo("1\u00A0234\u00A0567\u00A0⭐");
        assertThat(Plural.of("en", 2500, List.of("⭐"))).isEqualTo("2,500\u00A0⭐");
        assertThat(Plural.of("ru", 1000, GENERATIONS_RU)).isEqualTo("1000\u00A0генераций");
        assertThat(texts.get("ru", Msg.TOPUP_REFUNDED, 1000)).isEqualTo("Платёж на 1\u00A0000\u00A0⭐ возвращён.");
        assertThat(texts.get("ru", Msg.TOPUP_REFUNDED, "1500")).isEqualTo("Платёж на 1\u00A0500\u00A0⭐ возвращён.");
    }

    /** A decimal amount (the provider's credits) is grouped as money is and keeps its fraction as given. */
    @Test
    void aDecimalAmountIsGroupedFromFourDigitsAndKeepsItsFraction() {
        assertThat(Plural.amount("ru", new java.math.BigDecimal("1234.5"))).isEqualTo("1\u00A0234,5");
        assertThat(Plural.amount("en", new java.math.BigDecimal("1234.5"))).isEqualTo("1,234.5");
        assertThat(Plural.amount("ru", new java.math.BigDecimal("999.25"))).isEqualTo("999,25");
        assertThat(Plural.amount("ru", new java.math.BigDecimal("1234567"))).isEqualTo("1\u00A0234\u00A0567");
        assertThat(Plural.amount("ru", new java.math.BigDecimal("-1500.75"))).isEqualTo("-1\u00A0500,75");
        assertThat(Plural.amount("ru", new java.math.BigDecimal("1E+4"))).isEqualTo("10\u00A0000");
    }

    /** Every length of a whole part is grouped in threes from the right, the head one to three digits. */
    @Test
    void groupsEveryLengthFromTheRight() {
        String digits = "123456789012";
        String[] expected = {"1", "12", "123", "1,234", "12,345", "123,456", "1,234,567", "12,345,678", "123,456,789",
            "1,234,567,890", "12,345,678,901", "123,456,789,012"};
        for (int n = 1; n <= digits.length(); n++) {
            assertThat(Plural.amount("en", new java.math.BigDecimal(digits.substring(0, n)))).isEqualTo(expected[n - 1]);
        }
    }

    @Test
    void englishHasOneAndOther() {
        assertThat(Plural.of("en", 1, List.of("user", "users"))).isEqualTo("1\u00A0user");
        assertThat(Plural.of("en", 0, List.of("user", "users"))).isEqualTo("0\u00A0users");
        assertThat(Plural.of("en", 2, List.of("user", "users"))).isEqualTo("2\u00A0users");
    }

    @Test
    void textsPickTheFormOfACountedPlaceholder() {
        assertThat(texts.get("ru", Msg.ADMIN_BROADCAST_CONFIRM, "#1", 1, 0, "hi")).startsWith("Рассылка #1 уйдёт 1\u00A0пользователю;");
        assertThat(texts.get("ru", Msg.ADMIN_BROADCAST_CONFIRM, "#1", 2, 0, "hi")).startsWith("Рассылка #1 уйдёт 2\u00A0пользователям;");
        assertThat(texts.get("ru", Msg.ADMIN_BROADCAST_CONFIRM, "#1", 5, 0, "hi")).startsWith("Рассылка #1 уйдёт 5\u00A0пользователям;");
        assertThat(texts.get("en", Msg.ADMIN_BROADCAST_CONFIRM, "#1", 1, 0, "hi")).startsWith("Broadcast #1 goes to 1\u00A0user;");
        assertThat(texts.get("en", Msg.ADMIN_BROADCAST_CONFIRM, "#1", 7L, 0, "hi")).startsWith("Broadcast #1 goes to 7\u00A0users;");
        assertThat(texts.get("ru", Msg.INPUT_TOO_LONG, 1001, 1000)).startsWith("Текст слишком длинный: 1001\u00A0символ, а можно");
        assertThat(texts.get("ru", Msg.INPUT_TOO_LONG, "1003", 1000)).startsWith("Текст слишком длинный: 1003\u00A0символа, а можно");
        assertThat(texts.get("ru", Msg.MODEL_FREE, 5)).startsWith("🆓 Бесплатно — до 5\u00A0генераций в день");
        assertThat(texts.get("ru", Msg.MODEL_FREE, 1)).startsWith("🆓 Бесплатно — до 1\u00A0генерации в день");
        assertThat(texts.get("ru", Msg.MODEL_FREE, 21)).startsWith("🆓 Бесплатно — до 21\u00A0генерации в день");
    }

    /** «50 ⭐», «5 дней», «33,3 %»: a number and its word or unit never part at the end of a line. */
    @Test
    void aNumberAndItsWordAreJoinedByANoBreakSpace() {
        assertThat(Plural.of("ru", 50, List.of("⭐"))).isEqualTo("50\u00A0⭐");
        assertThat(Plural.of("ru", 20000, List.of("⭐"))).isEqualTo("20\u00A0000\u00A0⭐");
        assertThat(texts.get("ru", Msg.TOPUP_REFUNDED, 50)).isEqualTo("Платёж на 50\u00A0⭐ возвращён.");
        assertThat(texts.get("en", Msg.BUTTON_REFUND_STARS_CONFIRM, 50)).isEqualTo("💸 Refund 50\u00A0⭐");
        assertThat(texts.get("ru", Msg.BUTTON_REFUND_STARS, 50, "07.12.26 00:35")).isEqualTo("💸 Вернуть 50\u00A0⭐ · 07.12.26 00:35");
        assertThat(texts.get("ru", Msg.RATE_LIMITED, 3))
                .isEqualTo("Слишком много сообщений подряд. Подождите 3\u00A0секунды и попробуйте снова.");
        assertThat(texts.get("ru", Msg.NEEDS_PHOTOS, 4)).isEqualTo("до 4\u00A0фото");
        // a number that is not a count (a share with a decimal comma) keeps its unit on its line too
        assertThat(texts.get("ru", Msg.DASHBOARD_GENERATIONS, 2, 1, 0, "33,3")).endsWith("доля сбоев 33,3\u00A0%");
    }

    /** A value kept with a point (a catalog's default, what the user typed) is shown with the language's mark. */
    @Test
    void plainDecimalsAreShownAsTheLanguageWritesThem() {
        assertThat(Plural.decimal("ru", "0.5")).isEqualTo("0,5");
        assertThat(Plural.decimal("ru", "-1.25")).isEqualTo("-1,25");
        assertThat(Plural.decimal("ru", "7")).isEqualTo("7");
        assertThat(Plural.decimal("en", "0.5")).isEqualTo("0.5");
        assertThat(texts.get("ru", Msg.CONFIRM_FILES, 1)).isEqualTo("1\u00A0файл");
        assertThat(texts.get("ru", Msg.CONFIRM_FILES, 3)).isEqualTo("3\u00A0файла");
        assertThat(texts.get("en", Msg.CONFIRM_FILES, 2)).isEqualTo("2\u00A0files");
    }

    /** Texts never write a number and its unit with a plain space: the unit comes with the counted placeholder. */
    @Test
    void noTextPartsANumberFromItsUnit() {
        java.util.regex.Pattern parted = java.util.regex.Pattern.compile(
                "(\\{\\d{1,2}}|\\d) (⭐|%|с|ч|дн\\.|дн(ей|я|ь)|МБ|фото|видео|s|MB|photos?|videos?|days?)(?![\\p{L}])");
        for (String lang : Texts.LANGUAGES) {
            for (String key : java.util.Collections.list(texts.bundle(lang).getKeys())) {
                assertThat(texts.bundle(lang).getString(key)).as(lang + " " + key).doesNotContainPattern(parted);
            }
        }
    }

    @Test
    void everyCountedPlaceholderListsTheFormsItsLanguageHas() {
        java.util.regex.Pattern counted = java.util.regex.Pattern.compile("\\{\\d{1,2}\\|([^{}]*)}");
        for (String lang : Texts.LANGUAGES) {
            int forms = "en".equals(lang) ? 2 : 3;
            for (String key : java.util.Collections.list(texts.bundle(lang).getKeys())) {
                java.util.regex.Matcher m = counted.matcher(texts.bundle(lang).getString(key));
                while (m.find()) {
                    // a word lists the language's forms; a unit that does not change (⭐, %, фото) lists one
                    assertThat(m.group(1).split("\\|", -1).length).as(lang + " " + key).isIn(1, forms);
                }
            }
        }
    }
}
