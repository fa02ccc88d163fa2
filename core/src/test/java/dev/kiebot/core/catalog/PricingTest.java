package dev.kiebot.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PricingTest {
    private final Pricing rub = Pricing.defaults();

    /** Typed amounts: a user's card top-up and an admin's /topup_user read them the same way. */
    @ParameterizedTest(name = "«{0}» -> {1} kopecks")
    @CsvSource(delimiter = ';', value = {
            "500; 50000", "750,50; 75050", "1234.5; 123450", "0,01; 1", "0; 0", "'  42 '; 4200",
            // groups of three parted by a space, a no-break space (as the bot writes amounts), a narrow one
            "1 234,50; 123450", "1\u00A0234,50; 123450", "1\u202F234,50; 123450", "12 345 678; 1234567800",
            "999 999 999 999,99; 99999999999999", "999999999999; 99999999999900"})
    void readsAnAmountAsPeopleTypeIt(String typed, long minor) {
        assertThat(Pricing.parse(typed)).hasValue(minor);
    }

    /** No guess: a sign, a third minor digit (it would be rounded), groups not of three, letters. */
    @ParameterizedTest(name = "«{0}» is no amount")
    @CsvSource(delimiter = ';', value = {"''", "abc", "-5", "\u2212 5", "+5", "150,505", "1,234", "10 50", "1 2345",
            "1  234", "5.", ",5", "1.234.56", "150 ₽", "1e3", "1234567890123", "1 234 567 890 123"})
    void refusesWhatIsNoAmount(String typed) {
        assertThat(Pricing.parse(typed)).isEmpty();
    }

    /** A user's amount may name the shop's currency after it, as people write a sum to pay. */
    @ParameterizedTest(name = "«{0}» -> {1} kopecks")
    @CsvSource(delimiter = ';', value = {"500 ₽; 50000", "500₽; 50000", "500р; 50000", "500 р.; 50000",
            "1 234,50 руб.; 123450", "500 руб; 50000", "500 рублей; 50000", "2 рубля; 200", "500 RUB; 50000",
            "500 Руб; 50000", "500; 50000"})
    void readsAnAmountNamingTheShopsCurrency(String typed, long minor) {
        assertThat(rub.parseInCurrency(typed)).hasValue(minor);
    }

    /** Another currency, a word that is none, or no amount before the currency: no guess. */
    @ParameterizedTest(name = "«{0}» is no amount in rubles")
    @CsvSource(delimiter = ';', value = {"500 $; ", "500 USD; ", "500 €; ", "500 штук; ", "₽; ", "руб; ", "₽ 500; ",
            "500 ₽ ₽; ", "10 50 ₽; "})
    void refusesAnotherCurrencyOrNoAmount(String typed, String none) {
        assertThat(rub.parseInCurrency(typed)).isEmpty();
    }

    @Test
    void aDollarShopReadsDollarsNotRubles() {
        Pricing usd = new Pricing(BigDecimal.ONE, new BigDecimal("2.0"), "USD");
        assertThat(usd.parseInCurrency("5 $")).hasValue(500);
        assertThat(usd.parseInCurrency("5 usd")).hasValue(500);
        assertThat(usd.parseInCurrency("5 ₽")).isEmpty();
        assertThat(usd.parseInCurrency("5 руб")).isEmpty();
    }

    @ParameterizedTest(name = "${0} -> {1} kopecks")
    @CsvSource({
            // exact: 0.02 × 78 × 2 = 3.12
            "0.02, 312",
            // 0.004 × 156 = 0.624 → rounds UP to 0.63
            "0.004, 63",
            // 0.0025 × 156 = 0.39 exactly
            "0.0025, 39",
            // 0.0325 × 156 = 5.07
            "0.0325, 507",
            // a hair above a kopeck boundary still rounds up
            "0.0200001, 313",
            // 1.575 × 156 = 245.70
            "1.575, 24570",
            // the smallest price still costs a kopeck
            "0.00000001, 1"})
    void roundsUpToTheKopeck(String usd, long kopecks) {
        assertThat(rub.userPrice(new BigDecimal(usd))).isEqualTo(kopecks);
    }

    /** Another currency's amount, in its own minor units, is written as the shop's are: grouped, with its sign. */
    @Test
    void anAmountOfAnyCurrencyIsWrittenInItsOwnMinorUnitsAsTheShopsAre() {
        assertThat(Pricing.formatIn(150_000, "JPY", "ru")).isEqualTo("150\u00A0000\u00A0JPY");
        assertThat(Pricing.formatIn(1_500, "JPY", "en")).isEqualTo("1,500\u00A0JPY");
        assertThat(Pricing.formatIn(1_234_500, "KWD", "en")).isEqualTo("1,234.500\u00A0KWD");
        assertThat(Pricing.formatIn(540, "EUR", "en")).isEqualTo("€5.40");
        assertThat(Pricing.formatIn(540, "EUR", "ru")).isEqualTo("5,40\u00A0€");
        assertThat(Pricing.formatIn(-150_000, "RUB", "ru")).isEqualTo(rub.format(-150_000, "ru"));
    }

    /** A code the JDK does not know (a currency newer than it) is taken as counting in hundredths: the shop starts. */
    @Test
    void aCurrencyTheJdkDoesNotKnowIsTakenAsCountingInHundredths() {
        assertThat(Pricing.countsInHundredths("QQQ")).isTrue();
        assertThat(new Pricing(BigDecimal.ONE, BigDecimal.ONE, "QQQ").currency()).isEqualTo("QQQ");
    }

    @Test
    void fxAndMarkupAreApplied() {
        Pricing p = new Pricing(new BigDecimal("90.5"), new BigDecimal("1.5"), "RUB");
        // 0.30 × 90.5 × 1.5 = 40.725 → 40.73
        assertThat(p.userPrice(new BigDecimal("0.30"))).isEqualTo(4073);
    }

    @Test
    void formatsExactlyWithoutDoubles() {
        assertThat(rub.format(312, "en")).isEqualTo("3.12\u00A0₽");
        assertThat(rub.format(5, "en")).isEqualTo("0.05\u00A0₽");
        assertThat(rub.format(100_000_000_01L, "en")).isEqualTo("100,000,000.01\u00A0₽");
    }

    /**
     * English writes a dollar or a euro before the number: a shop in USD showed its English users «0 $» and «19.99 $».
     * Russian keeps every sign after it, the ruble stays after it in English, and the audit trail's form is unchanged.
     */
    @Test
    void englishWritesTheDollarAndTheEuroFirst() {
        Pricing usd = new Pricing(BigDecimal.ONE, BigDecimal.ONE, "USD");
        assertThat(usd.format(0, "en")).isEqualTo("$0");
        assertThat(usd.format(1999, "en")).isEqualTo("$19.99");
        assertThat(usd.format(123_450, "en")).isEqualTo("$1,234.50");
        assertThat(usd.format(-500, "en")).isEqualTo("\u2212$5");
        assertThat(new Pricing(BigDecimal.ONE, BigDecimal.ONE, "EUR").format(1999, "en")).isEqualTo("€19.99");
        assertThat(usd.format(1999, "ru")).isEqualTo("19,99\u00A0$");
        assertThat(usd.inRecords(1999)).isEqualTo("19.99\u00A0$");
        assertThat(rub.format(1999, "en")).isEqualTo("19.99\u00A0₽");
    }

    /**
     * Groups and the sign are joined by no-break spaces (U+00A0): a line never breaks inside an amount. A whole
     * amount is written without «,00», as Russian shops write prices; kopecks whenever there are any.
     */
    @Test
    void russianWritesADecimalCommaAndGroupsThousandsWithNoBreakSpaces() {
        assertThat(rub.format(123_450, "ru")).isEqualTo("1\u00A0234,50\u00A0₽");
        assertThat(rub.format(312, "ru")).isEqualTo("3,12\u00A0₽");
        assertThat(rub.format(5, "ru")).isEqualTo("0,05\u00A0₽");
        assertThat(rub.format(100_000, "ru")).isEqualTo("1\u00A0000\u00A0₽");
        assertThat(rub.format(15_000, "ru")).isEqualTo("150\u00A0₽");
        assertThat(rub.format(15_010, "ru")).isEqualTo("150,10\u00A0₽");
        assertThat(rub.format(99_999, "ru")).isEqualTo("999,99\u00A0₽");
        assertThat(rub.format(100_000_000_01L, "ru")).isEqualTo("100\u00A0000\u00A0000,01\u00A0₽");
        assertThat(rub.format(0, "ru")).isEqualTo("0\u00A0₽");
        assertThat(rub.format(-500, "ru")).isEqualTo("\u22125\u00A0₽");
        assertThat(rub.format(123_450, "ru")).doesNotContain(" ");
    }

    /** The audit trail's amounts keep their fraction: they are read back by their digits, where 500 ₽ is 50000. */
    @Test
    void anAmountInTheRecordsAlwaysHasItsFraction() {
        assertThat(rub.inRecords(50_000)).isEqualTo("500.00\u00A0₽");
        assertThat(rub.inRecords(149_950)).isEqualTo("1,499.50\u00A0₽");
        assertThat(rub.inRecords(0)).isEqualTo("0.00\u00A0₽");
    }

    /** English groups with commas, but its sign is as apt to be left alone at a line's start: no-break there too. */
    @Test
    void englishGroupsThousandsWithCommasAndKeepsTheSignOnTheLine() {
        assertThat(rub.format(123_450, "en")).isEqualTo("1,234.50\u00A0₽");
        assertThat(rub.format(100_000, "en")).isEqualTo("1,000\u00A0₽");
        assertThat(rub.format(Long.MAX_VALUE, "en")).isEqualTo("92,233,720,368,547,758.07\u00A0₽");
        assertThat(rub.format(123_450, "en")).doesNotContain(" ");
    }

    /** A negative amount takes the minus sign (U+2212) that statements write before a debit, not a hyphen. */
    @Test
    void aNegativeAmountIsWrittenWithTheMinusSign() {
        assertThat(rub.format(-123_450, "ru")).isEqualTo("\u22121\u00A0234,50\u00A0₽");
        assertThat(rub.format(-312, "ru")).isEqualTo("\u22123,12\u00A0₽");
        assertThat(rub.format(-123_450, "en")).isEqualTo("\u22121,234.50\u00A0₽");
        assertThat(rub.format(Long.MIN_VALUE, "en")).isEqualTo("\u221292,233,720,368,547,758.08\u00A0₽");
        assertThat(rub.format(-1, "ru")).isEqualTo("\u22120,01\u00A0₽").doesNotContain("-");
    }

    @Test
    void majorUnitsConvertToMinor() {
        assertThat(Pricing.minor(new BigDecimal("150.5"))).isEqualTo(15050);
        assertThat(Pricing.minor(new BigDecimal("0.001"))).isEqualTo(1);
    }

    @Test
    void nonPositiveSettingsAreRefused() {
        // the constructor's own argument first: a partner has no FX_RATE, only kiebot's runner does
        assertThatThrownBy(() -> new Pricing(BigDecimal.ZERO, BigDecimal.ONE, "RUB"))
                .hasMessageContaining("Pricing: fxRate").hasMessageContaining("1 for USD").hasMessageContaining("FX_RATE");
        assertThatThrownBy(() -> new Pricing(BigDecimal.ONE, new BigDecimal("-1"), "RUB"))
                .hasMessageContaining("Pricing: markup").hasMessageContaining("PRICING_MARKUP");
        assertThatThrownBy(() -> new Pricing(null, BigDecimal.ONE, "USD")).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("BigDecimal.ONE for USD");
        // a zero markup prices every generation at nothing, as a zero rate does
        assertThatThrownBy(() -> new Pricing(BigDecimal.ONE, BigDecimal.ZERO, "RUB")).hasMessageContaining("PRICING_MARKUP");
    }
}
