/**
 * The application services, assembled by {@code Shop.builder()} — the library's entry point. {@code Storefront}
 * handles an update (inbound limit, conversation, {@code Effects}, replies through the {@code Outbox});
 * {@code Generations} is the money side of a job (the ledger hold and {@code FreeUsage.tryUse} decide whether
 * it may start); {@code JobWorker} moves leased jobs forward; {@code TopUps}, {@code AdminConsole} and
 * {@code BroadcastWorker} do what their names say; {@code ShopWork} runs the outbox's sender, the job worker, the
 * broadcaster and the upkeep in the background, woken by {@code WorkSignals} when work commits. Money in and out
 * beyond Stars: {@code ManualTopUpDesk} (card /
 * SBP requests an admin approves, credited once by request id), {@code StarsRefundDesk} (hold, Telegram's refund,
 * post or void) and {@code PaySupport} (tickets); the admins' view: {@code AdminDashboard} and
 * {@code AdminSearch}. {@code Stores} bundles every persistence port, and its {@code Transactions} port makes
 * their writes all-or-nothing; nothing here holds state of its own that correctness depends on. A partner calls
 * {@code Shop.builder()}, {@code ShopWork.start} and {@code Storefront.serve}; the rest is for runners that schedule
 * the work themselves.
 */
package dev.kiebot.core.shop;
