/**
 * Money coming in and going back: Telegram Stars invoices and charges, manual (card / SBP) top-up requests
 * confirmed by an admin, and Stars refunds. Ports: {@code Payments}, {@code ManualTopUps} (every state change
 * a compare-and-set) and {@code StarsRefunds} (Telegram's {@code refundStarPayment}). Rules: a charge is
 * recorded once and an invoice is paid at most once ({@code ChargeRecord}); only a payment of an invoice the
 * bot issued, to that user, in XTR, for its exact amount, credits anything (see
 * {@code dev.kiebot.core.shop.TopUps}); an approved manual request credits once, keyed by its id.
 */
package dev.kiebot.core.payments;
