package dev.kiebot.runtime.config;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.payments.ManualPayments;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code PAYMENT_*}: card / SBP top-ups confirmed by an admin, read into core's {@link ManualPayments}; every
 * default is core's. They are on when a card or a phone is given.
 */
final class ManualPaymentVariables {
    static final int EXPIRE_HOURS_MAX = 30 * 24;
    static final int NAME_LENGTH_MAX = 100;

    private ManualPaymentVariables() {
    }

    static ManualPayments read(Env env) {
        ManualPayments d = ManualPayments.off();
        Optional<String> card = env.optional("PAYMENT_CARD");
        card.filter(c -> !c.matches("[0-9 ]+") || digits(c) < 12 || digits(c) > 19)
                .ifPresent(c -> env.problem("PAYMENT_CARD must be a card number of 12-19 digits (spaces allowed)"));
        Optional<String> phone = env.optional("PAYMENT_PHONE");
        phone.filter(p -> !p.matches("\\+?[0-9 ()-]+") || digits(p) < 10 || digits(p) > 15)
                .ifPresent(p -> env.problem("PAYMENT_PHONE must be a phone number of 10-15 digits, e.g. "
                        + "+7 900 123-45-67"));
        Optional<String> bank = name(env, "PAYMENT_BANK");
        Optional<String> holder = name(env, "PAYMENT_CARD_HOLDER");
        if (card.isEmpty() && phone.isEmpty() && (bank.isPresent() || holder.isPresent())) {
            env.problem("PAYMENT_BANK or PAYMENT_CARD_HOLDER is set without PAYMENT_CARD or PAYMENT_PHONE: "
                    + "card / SBP top-ups need a card or a phone");
        }
        long min = amount(env, "PAYMENT_MIN_RUB", d.minAmount());
        long max = amount(env, "PAYMENT_MAX_RUB", d.maxAmount());
        if (min > max) {
            env.problem("PAYMENT_MIN_RUB must not be above PAYMENT_MAX_RUB");
            min = d.minAmount();
            max = d.maxAmount();
        }
        int hours = env.integer("PAYMENT_EXPIRE_HOURS", (int) d.expireAfter().toHours(), 1, EXPIRE_HOURS_MAX);
        return new ManualPayments(card, phone, bank, holder, min, max, Duration.ofHours(hours));
    }

    private static long digits(String s) {
        return s.chars().filter(Character::isDigit).count();
    }

    private static Optional<String> name(Env env, String variable) {
        Optional<String> v = env.optional(variable);
        if (v.isPresent() && v.get().length() > NAME_LENGTH_MAX) {
            env.problem(variable + " must be at most " + NAME_LENGTH_MAX + " characters");
            return Optional.empty();
        }
        return v;
    }

    /** Whole rubles (positive, at most {@link ShopVariables#AMOUNT_MAX}) as minor units. */
    private static long amount(Env env, String variable, long fallback) {
        BigDecimal v = env.positiveDecimal(variable, BigDecimal.valueOf(fallback, Pricing.MINOR_DIGITS));
        if (v.compareTo(ShopVariables.AMOUNT_MAX) > 0) {
            env.problem(variable + " must be at most " + ShopVariables.AMOUNT_MAX.toPlainString());
            return fallback;
        }
        return Pricing.minor(v);
    }
}
