/**
 * The application services, assembled by {@code Shop.builder()} — the library's entry point.
 *
 * <p>For a partner, in the order of use: {@code Shop.builder()} takes every port (the {@code Stores}, with the
 * {@code Transactions} that make their writes all-or-nothing) and names whatever is missing at {@code build()},
 * refusing stores in memory (a store marked {@code KeptInMemory}, or transactions not durable) in a shop not said to be
 * a test's;
 * {@code ShopWork.start} runs everything besides the updates and {@code ShopWork.close} stops it;
 * {@code shop.storefront().serve(incoming)} handles each update;
 * {@code shop.worker().checkTask(taskId, Optional.ofNullable(job))} takes a provider's callback; {@code shop.externalTopUps().credit(payment)} credits a payment your own provider took, and
 * {@code refunded(refund)} takes back one it gave back (once you verified its notification: {@code ExternalTopUps}
 * says why); {@code shop.outbox().send(reply)} queues a message
 * of your own. {@code UncappedGift} is the rule by which {@code build()} warns of gifts without a day's total. A runner that schedules the
 * background work on threads of its own instead of {@code ShopWork} (kiebot's runtime) also uses
 * {@code ShopWork.Parts}, {@code Shop.sender()} ({@code ReplySender}, {@code SendAttempt}), {@code Shop.upkeep()} and
 * the two halves of {@code serve}, {@code Storefront.handle} and {@code apologize}, and {@code ConnectionLoss} and
 * {@code Contention} to tell an update to leave pending (the database away, a deadlock past the transaction's retries)
 * from one to apologize for. {@code Shop.clockSkew()} ({@code ClockSkew}) and {@code Shop.overdueHolds()}
 * ({@code OverdueHolds}: a hold the sweep of expired holds keeps leaving) tell through {@code System.Logger} and give a
 * runner their figure for a gauge. The rest is package-private,
 * {@code Generations} too: only the storefront and the job worker move a job's money, on the provider's own word.
 *
 * <p>Inside: {@code Storefront} handles an update (inbound limit, conversation, {@code Effects}, replies through the
 * {@code Outbox}); {@code Generations} is the money side of a job (the ledger hold and {@code FreeUsage.tryUse}
 * decide whether it may start); {@code JobWorker} moves leased jobs forward; {@code TopUps}, {@code AdminConsole} and
 * {@code BroadcastWorker} do what their names say; {@code ShopWork} runs the outbox's sender, the job worker, the
 * broadcaster and the upkeep in the background, woken by {@code WorkSignals} when work commits. Money in and out
 * beyond Stars: {@code ManualTopUpDesk} (card / SBP requests an admin approves, credited once by request id),
 * {@code StarsRefundDesk} (hold, Telegram's refund, post or void), {@code ExternalTopUps} (a partner's own provider,
 * credited once by its payment id and taken back once when refunded; reached from the partner's code only) and {@code PaySupport} (tickets); the admins' view:
 * {@code AdminDashboard} and {@code AdminSearch}.
 *
 * <p>What must survive a restart is in the stores. What these classes keep in memory is mostly what a restart may
 * forget at the cost of a moment (pacing, the provider's recent failures and outages, the threads' wake-ups), with one
 * exception: {@code SubmittedWrites} keeps the task id a provider just gave whose write to the database failed past
 * its tries, until the database takes it. A process that stops before then loses it: the job, still SUBMITTING, finds
 * its task only through the provider's callback naming the job ({@code CallbackRescue}), and is refunded and told to
 * the operator when none comes, the task the provider made and charged for lost with it.
 */
package dev.kiebot.core.shop;
