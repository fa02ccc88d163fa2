/**
 * The threads that do the bot's work besides taking updates in, and the small tools every runtime loop is built
 * from. Core says what each step does ({@code ShopWork.Parts}, {@code Shop.sender()}, {@code Shop.upkeep()}); this
 * package decides when and on which threads: {@code ReplySenders} deliver the outbox, {@code BackgroundWork} runs
 * the job worker on a thread of its own, the broadcasts, core's upkeep and the Kie credit alert, and
 * {@code AfterCommitCalls} runs the Telegram calls that follow a committed update (button answers, Stars refunds)
 * on bounded pools of their own.
 *
 * <p>The tools: {@code WorkerLoops} (a fixed number of threads repeating one step, with backoff after a failure
 * and one thread keeping the watch while idle), {@code Wakeup} and {@code SafetyPoll} (idle threads sleep until new
 * work wakes them, in process or through another instance's NOTIFY, and poll the database on their own only once per
 * safety poll, a minute), {@code Outage} (an outage logged when it starts and when it ends, not at every attempt),
 * {@code ConnectionLoss} (a lost database connection told from a failure of the work itself) and
 * {@code DaemonThreads} (named daemon threads). {@code intake}'s dispatcher and doors, {@code http}'s readiness probe
 * and the polling runner use them too.
 */
package dev.kiebot.runtime.work;
