/**
 * The whole-bot benchmark (not a test): measures a runner jar as a user would run it.
 *
 * <p>{@link dev.kiebot.bench.BenchMain} starts the jar as a child process ({@code java -jar}) with an embedded
 * PostgreSQL in a fresh temporary {@code DATA_DIR}, {@code KIE_STUB=1} and {@code TELEGRAM_API_URL} pointing at
 * {@link dev.kiebot.bench.FakeBotApi}, a fast in-process fake of the Telegram Bot API. For each runner jar it
 * measures, in this order ({@link dev.kiebot.bench.RunnerScenario}):
 * <ol>
 *   <li>ready time on a fresh data dir (process start until {@code /readyz} answers 200);</li>
 *   <li>idle CPU of the whole process tree over a fixed time with nothing sent, and its memory;</li>
 *   <li>a burst of N updates from N chats (a mix of {@code /start} and button presses, see
 *       {@link dev.kiebot.bench.BenchUpdates}), delivered through the webhook or served by {@code getUpdates}:
 *       the time until every chat got its reply ({@link dev.kiebot.bench.ChatAnswers} defines "reply"), CPU
 *       seconds per 1,000 updates and peak memory;</li>
 *   <li>ready time after a restart on the same data dir;</li>
 *   <li>webhook only: a fixed-time load at 40 connections posting distinct updates ({@link
 *       dev.kiebot.bench.WebhookLoad}): accepted per second and latency percentiles.</li>
 * </ol>
 *
 * <p>With {@code --soak-minutes=N} each runner instead runs N minutes under a steady mix of returning chats that go
 * through whole paid generations ({@link dev.kiebot.bench.SoakTraffic}; the webhook runner's updates POSTed, the
 * polling runner's served by {@code getUpdates}), read every minute for anything that grows: memory, live heap,
 * threads, descriptors, {@code /metrics} series, PostgreSQL backends and every table's rows and size
 * ({@link dev.kiebot.bench.SoakProbe}); {@link dev.kiebot.bench.Soak} prints each series and its slope per hour.
 *
 * <p>"Whole process tree" means the child JVM and every process descending from it, plus the embedded
 * postmaster (which is re-parented away from the JVM) and its backends: {@link dev.kiebot.bench.ProcessTree}
 * reads them from {@code /proc}, so the benchmark runs on Linux only. Everything the benchmark starts is
 * killed at the end, also on failure and on Ctrl-C ({@link dev.kiebot.bench.BotProcess}).
 *
 * <p>No dependencies beyond the JDK, so the benchmark's own JVM stays small next to the one it measures.
 */
package dev.kiebot.bench;
