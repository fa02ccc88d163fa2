package dev.kiebot.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Review R2: a Star credits STAR_PRICE_RUB, spent at PRICING_MARKUP, and an inviter gets REFERRAL_PERCENT of his
 * friend's first top-up (a second Telegram account is free): with a low markup or a large share, every Stars top-up,
 * or every invited one, costs the shop more at Kie than it brought in, and the start said nothing. A Star earns the
 * shop about $0.013 ({@link TopUpsAtALoss#STAR_EARNS_USD}). And FX_RATE 7.8 typed for 78 sold at a tenth of the cost.
 */
class TopUpsAtALossTest {

    /** A live start (not the Kie stub, which pays nobody) with {@code kv}. */
    private static List<String> notices(String... kv) {
        Map<String, String> vars = TestEnvironment.with(kv);
        vars.put("KIE_STUB", "0");
        vars.put("KIE_API_KEY", "kie-key-123456");
        return Settings.fromEnv(vars).notices();
    }

    @Test
    void theDefaultsLoseNothing() {
        // 1.5 RUB a Star is $0.0192 at 78, $0.0096 at Kie at markup 2: under the $0.013 it earns
        assertThat(notices()).noneMatch(n -> n.contains("loses money") || n.contains("REFERRAL_PERCENT")
                || n.startsWith("FX_RATE"));
        assertThat(notices("REFERRAL_PERCENT", "30")).as("1.5 RUB x 1.3 / 2 is $0.0125 a Star")
                .noneMatch(n -> n.contains("loses money") || n.startsWith("REFERRAL_PERCENT"));
    }

    @Test
    void aStarCreditingMoreThanItEarnsOverTheMarkupIsNoticedWithTheNumbers() {
        assertThat(notices("PRICING_MARKUP", "1.4")).contains("STAR_PRICE_RUB 1.5 a Star ($0.0192 at FX_RATE 78) spent "
                + "at PRICING_MARKUP 1.4 costs the shop $0.0137 at Kie, while a Star earns it about $0.013: every Stars "
                + "top-up loses money; set PRICING_MARKUP 1.48 or more, or STAR_PRICE_RUB 1.41 or less");
        assertThat(notices("PRICING_MARKUP", "1.48")).as("the break-even markup").noneMatch(n -> n.contains("loses"));
        assertThat(notices("PRICING_MARKUP", "1.4", "STAR_PRICE_RUB", "1.41")).as("the break-even Star")
                .noneMatch(n -> n.contains("loses"));
    }

    @Test
    void anInvitersShareIsCountedInAStarsCost() {
        assertThat(notices("REFERRAL_PERCENT", "50")).contains("STAR_PRICE_RUB 1.5 a Star ($0.0192 at FX_RATE 78) spent "
                + "at PRICING_MARKUP 2 and REFERRAL_PERCENT 50 (the inviter's share of a friend's first top-up, up to "
                + "REFERRAL_BONUS_MAX_RUB a friend) costs the shop $0.0144 at Kie, while a Star earns it about $0.013: "
                + "every Stars top-up loses money; set PRICING_MARKUP 2.22 or more, or STAR_PRICE_RUB 1.35 or less, or "
                + "a smaller REFERRAL_PERCENT");
    }

    @Test
    void anInvitersShareAboveTheMarkupsMarginIsNoticed() {
        assertThat(notices("REFERRAL_PERCENT", "60", "PRICING_MARKUP", "1.5", "STAR_PRICE_RUB", "0.5"))
                .contains("REFERRAL_PERCENT 60 is more than PRICING_MARKUP 1.5 leaves over Kie's price (50 %): a "
                        + "friend's first top-up and his inviter's share, both spent, cost the shop more at Kie than "
                        + "the friend paid, up to REFERRAL_BONUS_MAX_RUB a friend, and a second Telegram account is "
                        + "free to make; set REFERRAL_PERCENT 50 or less, or PRICING_MARKUP 1.6 or more")
                .noneMatch(n -> n.contains("loses money"));
        assertThat(notices("REFERRAL_PERCENT", "50", "PRICING_MARKUP", "1.5", "STAR_PRICE_RUB", "0.5"))
                .noneMatch(n -> n.startsWith("REFERRAL_PERCENT"));
    }

    @Test
    void theKieStubPaysNobody() {
        assertThat(Settings.fromEnv(TestEnvironment.with("PRICING_MARKUP", "1.1", "REFERRAL_PERCENT", "50")).notices())
                .noneMatch(n -> n.contains("loses money") || n.startsWith("REFERRAL_PERCENT"));
    }

    @Test
    void aRubleRateADigitShortIsRefusedAndOneOutsideWhatTheRubleHasBeenIsNoticed() {
        assertThatThrownBy(() -> Settings.fromEnv(TestEnvironment.with("FX_RATE", "7.8")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).anyMatch(p -> p.equals("FX_RATE is 7.8 "
                        + "RUB per US dollar, under 10: every price would be a fraction of what Kie charges (7.8 typed "
                        + "for 78 sells at a tenth of the cost); set FX_RATE to rubles per dollar, about 78")));
        assertThat(Settings.fromEnv(TestEnvironment.with("FX_RATE", "780")).notices())
                .anyMatch(n -> n.startsWith("FX_RATE is 780 RUB per US dollar, outside 40 to 200"));
        assertThat(Settings.fromEnv(TestEnvironment.with("FX_RATE", "95")).notices())
                .noneMatch(n -> n.startsWith("FX_RATE"));
        assertThat(Settings.fromEnv(TestEnvironment.with("CURRENCY", "USD", "FX_RATE", "1.1", "STAR_PRICE_RUB", "0.02"))
                .notices()).anyMatch(n -> n.startsWith("FX_RATE is 1.1 USD per US dollar, not 1"));
        assertThat(Settings.fromEnv(TestEnvironment.with("CURRENCY", "EUR", "FX_RATE", "3", "STAR_PRICE_RUB",
                "0.02")).notices()).anyMatch(n -> n.startsWith("FX_RATE is 3 EUR per US dollar, outside 0.5 to 2"));
    }
}
