/**
 * What {@code /metrics} counts and the log traces, added by wrapping core's ports rather than by changing core or
 * the adapters: {@code MeteredProvider} (Kie calls by outcome or error kind, the credits),
 * {@code MeteredMessenger} (replies by kind and outcome), {@code MeteredHandling} (updates handled, by kind, and
 * how long), {@code TelegramCalls} (every Bot API call, 429s apart) and {@code ObservedStores}, which puts
 * {@code ObservedJobs} and {@code MeteredAdmissions} in front of the stores and reads the money held and earned
 * from the ledger when {@code /metrics} is scraped ({@code MeteredLedger} counts the ledger's refusals;
 * {@code OverdueHoldsMetrics} shows the oldest hold past its deadline as core's sweep last read it). The
 * backlogs an operator must see while {@code /readyz} stays 200 are gauges read at each scrape: {@code InboxMetrics}
 * (updates not handled), {@code OutboxMetrics} (replies not sent), {@code JobsMetrics} (generations left
 * unchecked) and {@code DatabasePoolMetrics} (threads waiting for a connection); {@code DatabaseSizeMetrics} reads the
 * database's size at most once a minute. {@code ObservedJobs} also writes one log line per step of a
 * generation with its correlation id (its end at INFO, its creation and the steps between at DEBUG): it sits where a step is stored, so no path of core can skip it. The
 * wrappers also tell {@code http}'s {@code CallTimes} when Telegram and Kie last answered well, for {@code /readyz}.
 *
 * <p>Labels are fixed names (calls, outcomes, kinds, model ids), never user data or secrets. {@code Kiebot}
 * decides where each wrapper goes; the registry itself is served by {@code http}.
 */
package dev.kiebot.runtime.metrics;
