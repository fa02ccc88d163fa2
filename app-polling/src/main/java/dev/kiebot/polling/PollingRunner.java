package dev.kiebot.polling;

import dev.kiebot.runtime.BuildInfo;
import dev.kiebot.runtime.KieReads;
import dev.kiebot.runtime.Kiebot;
import dev.kiebot.runtime.ProcessEnd;
import dev.kiebot.runtime.StartFailure;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.intake.TelegramPolling;
import dev.kiebot.runtime.loops.Outage;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-polling runner. Only the instance holding the PostgreSQL singleton lock polls; the
 * others stay up (health server on, not ready) and take over within seconds when the holder
 * dies. An offset is confirmed only after its update is durably recorded; a 409 (another
 * poller), a failed call or a failed recording backs off instead of spinning, and nothing but
 * {@link #close()} ends the loop, or a webhook set for the bot ({@link TelegramPolling#lookForWebhook}): polling never
 * deletes one unless POLLING_TAKES_OVER_WEBHOOK says so, and then at its start only; it stops instead (at start, a
 * {@link StartFailure}; behind a 409, the exit that {@code onWebhookSet} makes). An
 * outage (of Telegram or the database) is logged when it starts and when it ends, not at every attempt; an instance
 * that lost the lock with its database connection stops polling, reports not ready, and takes the lock again (or
 * stays a standby) once the database answers.
 */
public final class PollingRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PollingRunner.class);

    private final Kiebot bot;
    private final TelegramPolling polling;
    private final Optional<Javalin> http;
    private final Duration lockRetry;
    private final int pollTimeoutSeconds;
    private final PollingBackoff pauses;
    /** Runs once the loop stopped for a webhook set behind a 409 (the main's: exit with its status). */
    private final Runnable onWebhookSet;
    /** Whether the loop stopped for a webhook in its way. Polling thread only. */
    private boolean webhookInTheWay;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread loop;
    private final Outage outage = new Outage(LOG, "polling");
    /** Whether the refused token was logged: once per spell of refusals, not at every retry. Polling thread only. */
    private boolean tokenRefusalLogged;
    /** Whether the start's last line was logged: "ready in …" at the first answer, or the standby's. Polling thread. */
    private boolean readyReported;
    private boolean standbyReported;
    private Duration backoff;

    private PollingRunner(Kiebot bot, TelegramPolling polling, Optional<Javalin> http, Duration lockRetry,
                          int pollTimeoutSeconds, PollingBackoff pauses, Runnable onWebhookSet) {
        this.bot = bot;
        this.polling = polling;
        this.http = http;
        this.lockRetry = lockRetry;
        this.pollTimeoutSeconds = pollTimeoutSeconds;
        this.pauses = pauses;
        this.onWebhookSet = onWebhookSet;
        this.backoff = pauses.first();
        this.loop = new Thread(this::run, "polling");
    }

    /**
     * @param lockRetry          how often a standby instance tries to take the lock
     * @param pollTimeoutSeconds long-poll timeout (Telegram caps it at 50)
     * @param onWebhookSet       runs when a webhook set for the bot stopped the loop (a 409, then getWebhookInfo)
     * @throws StartFailure with status {@link ProcessEnd#WEBHOOK_IS_SET} when a webhook is set at start
     */
    public static PollingRunner start(Settings settings, Clock clock, Duration lockRetry, int pollTimeoutSeconds,
                                      Runnable onWebhookSet) {
        return start(settings, clock, lockRetry, pollTimeoutSeconds, PollingBackoff.TELEGRAM, KieReads.DOCUMENTED,
                onWebhookSet);
    }

    /** Tests: a webhook that stops the loop only stops it. */
    static PollingRunner start(Settings settings, Clock clock, Duration lockRetry, int pollTimeoutSeconds) {
        return start(settings, clock, lockRetry, pollTimeoutSeconds, () -> { });
    }

    /** Tests: the loop's pauses after a failure, and the reads of a running generation, at a pace of their own. */
    static PollingRunner start(Settings settings, Clock clock, Duration lockRetry, int pollTimeoutSeconds,
                               PollingBackoff pauses, KieReads kieReads) {
        return start(settings, clock, lockRetry, pollTimeoutSeconds, pauses, kieReads, () -> { });
    }

    static PollingRunner start(Settings settings, Clock clock, Duration lockRetry, int pollTimeoutSeconds,
                               PollingBackoff pauses, KieReads kieReads, Runnable onWebhookSet) {
        Kiebot bot = Kiebot.assemble(settings, clock, "lock", kieReads);
        try {
            TelegramPolling polling = bot.telegramPolling();
            // before anything polls: a webhook found set is some bot's way in (production's, often), not a leftover
            if (polling.lookForWebhook() instanceof TelegramPolling.Webhook.InTheWay inTheWay) {
                throw new StartFailure(ProcessEnd.WEBHOOK_IS_SET, TelegramPolling.webhookInTheWay(inTheWay.host()));
            }
            Optional<Javalin> http = settings.http().port().map(p -> Kiebot.listen(bot.httpEndpoints(),
                    settings.http().bindAddress(), p));
            PollingRunner runner = new PollingRunner(bot, polling, http, lockRetry, pollTimeoutSeconds, pauses,
                    onWebhookSet);
            bot.startProcessing();
            runner.loop.start();
            return runner;
        } catch (RuntimeException e) {
            bot.close();
            throw e;
        }
    }

    private void run() {
        try {
            while (running.get()) {
                try {
                    step();
                } catch (RuntimeException e) {
                    if (!running.get()) {
                        break; // close() interrupted the step: nothing was confirmed, Telegram keeps the update
                    }
                    // whatever failed (the lock's database, say), the loop goes on after a pause
                    outage.failed(e.getClass().getSimpleName(), backoff.toMillis());
                    backOff();
                }
            }
        } finally {
            stopped.countDown();
        }
        if (webhookInTheWay) {
            onWebhookSet.run(); // after the loop's end: the main's exit closes this runner, which waits for that end
        }
    }

    private void step() {
        if (!polling.takeTurn()) {
            reportStandby();
            sleep(lockRetry);
            return;
        }
        // until the start's ready line, a short poll: that line waits for Telegram's first answer, not for a long
        // poll's end (said before the first poll, it was followed at once by "polling failed" when Telegram was away)
        TelegramPolling.Round round = polling.pollOnce(readyReported ? pollTimeoutSeconds : 0);
        if (round instanceof TelegramPolling.Round.Recorded) {
            backoff = pauses.first();
            outage.over();
            reportReady();
            if (tokenRefusalLogged) {
                tokenRefusalLogged = false;
                LOG.info("Telegram accepts the bot token again: polling works again");
            }
            return;
        }
        if (!running.get()) {
            return; // close() interrupted the round; an update not recorded is fetched again by the next start
        }
        if (round instanceof TelegramPolling.Round.Failed failed) {
            outage.failed(failed.reason(), backoff.toMillis());
        } else if (round instanceof TelegramPolling.Round.TokenRefused refused) {
            // an ERROR, as at start, but once: every retry (up to two a minute) would bury the rest of the log; the
            // loop keeps asking, so a token put right in @BotFather (the same token again) is picked up by itself
            if (!tokenRefusalLogged) {
                tokenRefusalLogged = true;
                LOG.error("{}; getUpdates goes on asking every {} s or less, quietly", Kiebot.tokenRefused(
                        refused.code()), pauses.max().toSeconds());
            }
        } else if (conflict()) {
            return;
        }
        backOff();
    }

    /**
     * A 409: a webhook set for the bot, or another poller. A webhook is never deleted here, even under
     * POLLING_TAKES_OVER_WEBHOOK (which is for the start's): one set while this runner polls is another runner's, and
     * deleting it again and again had the two take the updates from each other for good, each half-working.
     *
     * @return whether the loop stops: a webhook is in its way
     */
    private boolean conflict() {
        TelegramPolling.Webhook webhook = polling.lookForWebhookWhilePolling();
        if (webhook instanceof TelegramPolling.Webhook.InTheWay inTheWay) {
            LOG.error("getUpdates 409: {}; polling stops", TelegramPolling.webhookInTheWay(inTheWay.host()));
            return stopForTheWebhook();
        }
        if (webhook instanceof TelegramPolling.Webhook.SetAgain setAgain) {
            LOG.error("getUpdates 409: {}; polling stops", TelegramPolling.webhookSetAgain(setAgain.host()));
            return stopForTheWebhook();
        }
        if (webhook instanceof TelegramPolling.Webhook.None) {
            LOG.warn("getUpdates 409: another bot polls with this token (no webhook is set); backing off {} ms",
                    backoff.toMillis());
        } else if (webhook instanceof TelegramPolling.Webhook.Unknown) {
            LOG.warn("getUpdates 409: another poller or a webhook is active (getWebhookInfo did not say which); "
                    + "backing off {} ms", backoff.toMillis());
        }
        return false; // TakenOver (the start's, late): its WARN is said; the next round polls
    }

    /** The loop ends, not ready, and the main is told (status 6) once it has. @return true */
    private boolean stopForTheWebhook() {
        webhookInTheWay = true;
        running.set(false);
        bot.health().telegramReady(false);
        return true;
    }

    /**
     * The start's one last line, when Telegram first answered this instance's getUpdates: how long the start took and
     * where it listens. Later takeovers have the lock's own line.
     */
    private void reportReady() {
        if (!readyReported) {
            readyReported = true;
            LOG.info("ready in {} s: polling Telegram (getUpdates){}; {}", Kiebot.secondsSinceStart(), listening(),
                    BuildInfo.current().describe());
        }
    }

    /** A standby's start ends in a line saying so, once; its "ready in" comes when it takes over. */
    private void reportStandby() {
        if (!standbyReported && !readyReported) {
            standbyReported = true;
            LOG.info("started in {} s as a standby: another instance polls Telegram, this one takes over when it "
                    + "stops{}", Kiebot.secondsSinceStart(), listening());
        }
    }

    private String listening() {
        return http.map(app -> "; /healthz, /readyz and /metrics on port " + app.port())
                .orElse("; no health server (PORT is not set)");
    }

    private void backOff() {
        sleep(backoff);
        backoff = pauses.after(backoff);
    }

    private void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    public Kiebot bot() {
        return bot;
    }

    public boolean polling() {
        return polling.polling();
    }

    public Optional<Integer> httpPort() {
        return http.map(Javalin::port);
    }

    /** Stops fetching, lets in-flight updates finish, releases the lock; bounded to a few seconds. */
    @Override
    public void close() {
        running.set(false);
        loop.interrupt();
        try {
            stopped.await(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        bot.dispatcher().stop(Duration.ofSeconds(4));
        polling.close();
        http.ifPresent(Javalin::stop);
        bot.close();
    }
}
