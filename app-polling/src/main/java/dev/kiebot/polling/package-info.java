/**
 * The long-polling runner ({@code java -jar app-polling.jar}, what {@code ./kiebot} starts): runs anywhere, with no
 * public URL. {@code PollingMain} reads the settings (or, given arguments, runs an operator command of the
 * runtime's {@code cli}) and stops the bot on SIGTERM; {@code PollingRunner} assembles the runtime's {@code Kiebot}
 * and owns only the loop: take the singleton lock (a standby instance stays up, not ready, and takes over when the
 * holder dies), poll a round, back off after a failure or a 409, and drop a stale webhook that keeps Telegram
 * answering 409. The health server runs only when {@code PORT} is set.
 *
 * <p>Transport only: recording, handling, replies and background work are the runtime's and core's, the same for
 * both runners. A runner uses nothing but {@code app-runtime}, Javalin and SLF4J ({@code architecture}'s
 * {@code DependencyRulesTest}).
 */
package dev.kiebot.polling;
