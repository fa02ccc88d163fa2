/**
 * Telegram Stars invoices and charges. Port: {@code Payments}. Rule: a charge is recorded once and an
 * invoice is paid at most once ({@code ChargeRecord}); only a payment of an invoice the bot issued, to that
 * user, in XTR, for its exact amount, credits anything (see {@code dev.kiebot.core.shop.TopUps}).
 */
package dev.kiebot.core.payments;
