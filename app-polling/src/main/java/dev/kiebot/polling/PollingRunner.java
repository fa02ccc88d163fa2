package dev.kiebot.polling;

import com.pengrad.telegrambot.model.Update;
import com.pengrad.telegrambot.request.GetUpdates;
import com.pengrad.telegrambot.response.GetUpdatesResponse;
import dev.kiebot.core.intake.SingletonLock;
import dev.kiebot.postgres.PgSingletonLock;
import dev.kiebot.runtime.Kiebot;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.http.HttpEndpoints;
import dev.kiebot.telegram.UpdateTranslator;
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
 * dies. An offset is confirmed only after its update is durably recorded, and a 409 (another
 * poller) backs off instead of spinning.
 */
public final class PollingRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PollingRunner.class);
    static final String LOCK_NAME = "kiebot-polling";
    static final String[] ALLOWED_UPDATES = {"message", "edited_message", "callback_query", "pre_checkout_query",
        "my_chat_member"};

    private final Kiebot bot;
    private final SingletonLock lock;
    private final Optional<Javalin> http;
    private final Duration lockRetry;
    private final int pollTimeoutSeconds;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread loop;
    private int offset;

    private PollingRunner(Kiebot bot, SingletonLock lock, Optional<Javalin> http, Duration lockRetry,
                          int pollTimeoutSeconds) {
        this.bot = bot;
        this.lock = lock;
        this.http = http;
        this.lockRetry = lockRetry;
        this.pollTimeoutSeconds = pollTimeoutSeconds;
        this.loop = new Thread(this::run, "polling");
    }

    /**
     * @param lockRetry          how often a standby instance tries to take the lock
     * @param pollTimeoutSeconds long-poll timeout (Telegram caps it at 50)
     */
    public static PollingRunner start(Settings settings, Clock clock, Duration lockRetry, int pollTimeoutSeconds) {
        Kiebot bot = Kiebot.assemble(settings, clock, "lock");
        try {
            Optional<Javalin> http = settings.http().port().map(p -> HttpEndpoints.create(bot.health(), bot.metrics()).start(p));
            SingletonLock lock = new PgSingletonLock(bot.database(), LOCK_NAME);
            PollingRunner runner = new PollingRunner(bot, lock, http, lockRetry, pollTimeoutSeconds);
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
                if (!lock.tryAcquire()) {
                    bot.health().telegramReady(false);
                    sleep(lockRetry);
                    continue;
                }
                if (!bot.health().telegramReady()) {
                    LOG.info("singleton lock acquired: this instance polls Telegram");
                    bot.registration().deleteWebhook(false);
                    bot.health().telegramReady(true);
                }
                pollOnce();
            }
        } finally {
            stopped.countDown();
        }
    }

    private Duration backoff = Duration.ofSeconds(1);

    private void pollOnce() {
        GetUpdatesResponse r;
        try {
            r = bot.bot().execute(new GetUpdates().offset(offset).limit(100).timeout(pollTimeoutSeconds)
                    .allowedUpdates(ALLOWED_UPDATES));
        } catch (RuntimeException e) {
            LOG.warn("getUpdates failed: {}", e.getClass().getSimpleName());
            backOff();
            return;
        }
        if (r == null || !r.isOk()) {
            int code = r == null ? 0 : r.errorCode();
            if (code == 409) {
                LOG.warn("getUpdates 409: another poller or a webhook is active; backing off {} s", backoff.toSeconds());
                if (backoff.toSeconds() >= 8) {
                    bot.registration().deleteWebhook(false);
                }
            } else {
                LOG.warn("getUpdates failed: {} {}", code, r == null ? "" : r.description());
            }
            backOff();
            return;
        }
        backoff = Duration.ofSeconds(1);
        for (Update u : r.updates()) {
            // the offset moves past an update only once it is recorded: a crash re-fetches it
            bot.inbox().record(UpdateTranslator.toJson(u));
            offset = u.updateId() + 1;
        }
    }

    private void backOff() {
        sleep(backoff);
        backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
                : backoff.multipliedBy(2);
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
        return bot.health().telegramReady();
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
        lock.close();
        http.ifPresent(Javalin::stop);
        bot.close();
    }
}
