/**
 * The threads that do the bot's work besides taking updates in. Core says what each step does
 * ({@code ShopWork.Parts}, {@code Shop.sender()}, {@code Shop.upkeep()}); this package decides when and on which
 * threads: {@code ReplySenders} deliver the outbox, {@code BackgroundWork} runs the job worker on three threads of
 * its own ({@code JOB_THREADS}), the broadcasts and core's upkeep (which sends the Kie credit alert), and {@code AfterCommitCalls} runs the Telegram calls
 * that follow a committed update (button answers, Stars refunds) on bounded pools of their own.
 * {@code DatabaseWritesAlert} tells the admins of a database refusing writes straight through the messenger, the one
 * message that does not go through the outbox, which is then a table it cannot write. The loops are built
 * from {@code loops}' tools, as {@code intake}'s are.
 */
package dev.kiebot.runtime.work;
