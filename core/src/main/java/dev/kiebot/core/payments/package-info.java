/**
 * Money coming in and going back: Telegram Stars invoices and charges, manual (card / SBP) top-up requests
 * confirmed by an admin, Stars refunds, and payments a partner's own provider took ({@code ExternalPayment}, credited
 * once by {@code dev.kiebot.core.shop.ExternalTopUps}, which answers an {@code ExternalCredit}) or gave back
 * ({@code ExternalRefund}, of the whole payment or part of it, each taken back once and together never more than the
 * payment, answered by an {@code ExternalReversal}). Ports: {@code Payments}, {@code ManualTopUps} (every state change
 * a compare-and-set), {@code ExternalRefundDues} (what each such refund gave back, kept for good) and
 * {@code StarsRefunds} (Telegram's {@code refundStarPayment}) and {@code StarTransactions} (Telegram's
 * {@code getStarTransactions}, a page of {@code StarTransaction}s or why not as a {@code StarTransactionsRead}, which
 * an admin's {@code /reconcile_stars} reads to credit the payments the shop's records lack). Rules: a charge is
 * recorded once and an invoice is paid at most once ({@code ChargeRecord}); only a payment of an invoice the
 * bot issued, to that user, in XTR, for its exact amount, credits anything (the shop checks it as it handles
 * {@code Event.PreCheckout} and {@code Event.SuccessfulPayment} in {@code Storefront.serve}); an approved manual request credits once, keyed by its id.
 *
 * <p>For a partner: implement {@code Payments} (core-testing's {@code StoresContract} checks it, and
 * {@code ChargeLockContract} its {@code lockCharge}; a shop that sells no Stars gives {@code Payments.none()} instead),
 * {@code ManualTopUps} ({@code ManualTopUpsContract}; its {@code forgetNotices} hands back each {@code RequestNotice}
 * it forgot, for the upkeep's cleanup to forget that admin's message too) and
 * {@code ExternalRefundDues} ({@code ExternalRefundDuesContract}, over your whole stores); give
 * your platform's refund call as {@code StarsRefunds} ({@code Shop.Builder.starsRefunds}) and, optionally, its list of
 * Stars transactions as {@code StarTransactions} ({@code Shop.Builder.starTransactions}), and turn card / SBP top-ups
 * on with {@code ManualPayments} ({@code Shop.Builder.manualPayments}, which then requires an admin). A payment your
 * own provider took, once you verified its notification, is an {@code ExternalPayment} for
 * {@code shop.externalTopUps().credit(...)}, and its payment page reaches the users as a {@code /topup} button through
 * a {@code TopUpLink} ({@code Shop.Builder.topUpLink}); one it gave back (a refund, a chargeback) is an {@code ExternalRefund} for
 * {@code shop.externalTopUps().refunded(...)}.
 */
package dev.kiebot.core.payments;
