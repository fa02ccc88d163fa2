package dev.kiebot.runtime.config;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.ShopSettings;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Money credited that costs the shop more at Kie, once spent, than it brought in: a Star crediting more than it earns
 * over the markup, and an inviter's share of his friend's top-up larger than the markup's margin. Allowed (a promotion
 * may mean it), but said at every start with the numbers, as a markup below 1 and the uncapped gifts are: nothing else
 * shows it, and a second Telegram account, free to make, invites itself.
 *
 * <p>A top-up of {@code c} credited (a Star's {@code STAR_PRICE_RUB}, or a card's amount) and spent costs
 * {@code c × (1 + p) / (FX_RATE × PRICING_MARKUP)} dollars at Kie, {@code p} the inviter's share
 * ({@code REFERRAL_PERCENT} / 100, while under {@code REFERRAL_BONUS_MAX_RUB}); it brings in a Star's
 * {@link #STAR_EARNS_USD}, or the card's amount.
 */
final class TopUpsAtALoss {
    /**
     * What one Star earns the shop, in US dollars: about 1.3 cents. Source: /work/shared/reference/telegram.md §3.3
     * item 9 and peers.md (the peer bot jasonheron/VideoForgeBot sells 100 Stars as about $1.30; Telegram's own rate on
     * core.telegram.org/bots/payments-stars, withdrawn through Fragment, unconfirmed there); core's
     * {@code Shop.STAR_CREDIT_MAX_USD} cites the same figure.
     */
    static final BigDecimal STAR_EARNS_USD = new BigDecimal("0.013");

    private static final MathContext THREE_DIGITS = new MathContext(3, RoundingMode.HALF_UP);

    private TopUpsAtALoss() {
    }

    /** The notices of {@code pricing} and {@code shop}'s top-ups: none when every credit pays for what it buys. */
    static void notice(Env env, Pricing pricing, ShopSettings shop) {
        BigDecimal markup = pricing.markup();
        BigDecimal share = shop.referral().offered()
                ? BigDecimal.valueOf(shop.referral().percent(), 2) : BigDecimal.ZERO;
        BigDecimal withShare = BigDecimal.ONE.add(share);
        String inviter = share.signum() > 0 ? " and REFERRAL_PERCENT " + shop.referral().percent() + " (the inviter's "
                + "share of a friend's first top-up, up to REFERRAL_BONUS_MAX_RUB a friend)" : "";
        if (shop.starsOffered()) {
            BigDecimal star = BigDecimal.valueOf(shop.starPrice(), Pricing.MINOR_DIGITS);
            BigDecimal starUsd = star.divide(pricing.fxRate(), MathContext.DECIMAL64);
            BigDecimal atKie = starUsd.multiply(withShare).divide(markup, MathContext.DECIMAL64);
            if (atKie.compareTo(STAR_EARNS_USD) > 0) {
                BigDecimal breakEven = starUsd.multiply(withShare).divide(STAR_EARNS_USD, 2, RoundingMode.CEILING);
                BigDecimal starAtMost = STAR_EARNS_USD.multiply(pricing.fxRate()).multiply(markup)
                        .divide(withShare, Pricing.MINOR_DIGITS, RoundingMode.FLOOR);
                env.notice("STAR_PRICE_RUB " + plain(star) + " a Star ($" + starUsd.round(THREE_DIGITS).toPlainString()
                        + " at FX_RATE " + plain(pricing.fxRate()) + ") spent at PRICING_MARKUP " + plain(markup)
                        + inviter + " costs the shop $" + atKie.round(THREE_DIGITS).toPlainString() + " at Kie, while a "
                        + "Star earns it about $" + STAR_EARNS_USD.toPlainString() + ": every Stars top-up loses "
                        + "money; set PRICING_MARKUP " + plain(breakEven) + " or more, or STAR_PRICE_RUB "
                        + plain(starAtMost) + " or less" + (share.signum() > 0 ? ", or a smaller REFERRAL_PERCENT" : ""));
            }
        }
        if (share.signum() > 0 && withShare.compareTo(markup) > 0) {
            env.notice("REFERRAL_PERCENT " + shop.referral().percent() + " is more than PRICING_MARKUP "
                    + plain(markup) + " leaves over Kie's price (" + markup.subtract(BigDecimal.ONE).movePointRight(2)
                    .max(BigDecimal.ZERO).stripTrailingZeros().toPlainString() + " %): a friend's first top-up and "
                    + "his inviter's share, both spent, cost the shop more at Kie than the friend paid, up to "
                    + "REFERRAL_BONUS_MAX_RUB a friend, and a second Telegram account is free to make; set "
                    + "REFERRAL_PERCENT " + markup.subtract(BigDecimal.ONE).movePointRight(2).setScale(0,
                    RoundingMode.FLOOR).max(BigDecimal.ZERO).toPlainString() + " or less, or PRICING_MARKUP "
                    + plain(withShare) + " or more");
        }
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }
}
