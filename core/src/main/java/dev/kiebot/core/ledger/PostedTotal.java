package dev.kiebot.core.ledger;

/**
 * How many transfers moved money, and how much together ({@link Ledger#postedTotal}).
 *
 * @param count  the transfers
 * @param amount their amounts added up, in minor units
 */
public record PostedTotal(long count, long amount) {
}
