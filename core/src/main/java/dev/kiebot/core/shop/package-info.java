/**
 * The application services, assembled by {@code Shop.builder()} — the library's entry point. {@code Storefront}
 * handles an update (inbound limit, conversation, {@code Effects}, replies through the {@code Outbox});
 * {@code Generations} is the money side of a job (the ledger hold and {@code FreeUsage.tryUse} decide whether
 * it may start); {@code JobWorker} moves leased jobs forward; {@code TopUps}, {@code AdminConsole} and
 * {@code BroadcastWorker} do what their names say. {@code Stores} bundles every persistence port; nothing here
 * holds state of its own that correctness depends on.
 */
package dev.kiebot.core.shop;
