/**
 * The small tools every runtime loop is built from, whatever work it does: a loop that keeps taking a step, sleeps
 * while idle without asking the database again and again, and outlives an outage of what it depends on, needs the
 * same few things, and they are written once here so that every loop behaves the same way under load and in an
 * outage. {@code WorkerLoops} (a fixed number of threads repeating one step, with backoff after a failure and one
 * thread keeping the watch while idle), {@code Wakeup} and {@code SafetyPoll} (idle threads sleep until new work
 * wakes them, in process or through another instance's NOTIFY, and poll the database on their own only once per
 * safety poll, a minute, every loop on one beat, so that the pool can close its connection between beats),
 * {@code Outage} (an outage logged when it starts and when it ends, not at every attempt) and {@code DaemonThreads}
 * (named daemon threads, so a thread dump says whose work each thread does). A lost database connection is told from
 * a failure of the work itself by core's {@code ConnectionLoss}, the rule core's own {@code Storefront.serve} keeps.
 *
 * <p>No work of the bot's lives here, and nothing here knows core, the adapters or the settings. The users:
 * {@code work} (the reply senders, the background work, the calls after a commit), {@code intake} (the update
 * dispatcher, the doors, {@code WebhookRegistrar} and {@code CommandMenu}), {@code http}'s readiness probe,
 * {@code Kiebot} (the safety poll it hands every loop) and the polling runner in {@code app-polling}.
 */
package dev.kiebot.runtime.loops;
