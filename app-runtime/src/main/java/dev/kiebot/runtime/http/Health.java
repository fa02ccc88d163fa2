package dev.kiebot.runtime.http;

import dev.kiebot.runtime.BuildInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.kiebot.runtime.loops.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * What /readyz reports: the database answers, migrations ran, and Telegram updates can reach this instance
 * (webhook registered, or the polling lock held and getUpdates answering); plus when Telegram and Kie last
 * answered well. The database is asked with a short deadline
 * ({@link #DATABASE_PROBE}), on a thread of its own: during an outage the report says so within two seconds
 * instead of waiting for the pool's connection timeout.
 */
public final class Health {
    private final String mode;
    private final BooleanSupplier databaseReachable;
    private final AtomicBoolean migrated = new AtomicBoolean();
    private final AtomicBoolean telegram = new AtomicBoolean();
    private final AtomicReference<String> telegramUnreachable = new AtomicReference<>();
    private final String telegramName;
    /** How long /readyz waits for the database before it reports it unreachable. */
    static final Duration DATABASE_PROBE = Duration.ofMillis(1500);
    /** One probe at a time; while one is stuck, another is refused at once (and reported unreachable). */
    private final ThreadPoolExecutor probes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1), new DaemonThreads("readiness-probe"), new ThreadPoolExecutor.AbortPolicy());
    private final CallTimes calls;

    /**
     * @param telegramName what "telegram ready" means in this mode ({@code webhook} or {@code lock})
     */
    public Health(String mode, String telegramName, BooleanSupplier databaseReachable) {
        this(mode, telegramName, databaseReachable, new CallTimes());
    }

    public Health(String mode, String telegramName, BooleanSupplier databaseReachable, CallTimes calls) {
        this.mode = mode;
        this.telegramName = telegramName;
        this.databaseReachable = databaseReachable;
        this.calls = calls;
    }

    public void migrated() {
        migrated.set(true);
    }

    public void telegramReady(boolean ready) {
        telegram.set(ready);
    }

    public boolean telegramReady() {
        return telegram.get();
    }

    /** Telegram has not answered for a while ({@code why} says how it failed; no secret, no content). */
    public void telegramUnreachable(String why) {
        telegramUnreachable.set(why);
    }

    /** Telegram answered again. */
    public void telegramReachable() {
        telegramUnreachable.set(null);
    }

    public CallTimes calls() {
        return calls;
    }

    public Map<String, Object> report() {
        boolean db = probe();
        Optional<String> unreachable = Optional.ofNullable(telegramUnreachable.get());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ready", db && migrated.get() && telegram.get() && unreachable.isEmpty());
        r.put("mode", mode);
        r.put("version", BuildInfo.current().version());
        r.put("commit", BuildInfo.current().commit());
        r.put("db", db);
        r.put("migrations", migrated.get());
        r.put(telegramName, telegram.get());
        r.put("telegram", unreachable.map(why -> "unreachable: " + why).orElse("ok"));
        r.put("lastTelegramAnswerAt", calls.lastTelegramAnswer().map(Instant::toString).orElse(null));
        r.put("lastKieAnswerAt", calls.lastKieAnswer().map(Instant::toString).orElse(null));
        return r;
    }

    public boolean ready() {
        return Boolean.TRUE.equals(report().get("ready"));
    }

    /** Asks the database, giving up after {@link #DATABASE_PROBE}; a probe still stuck means "not reachable". */
    private boolean probe() {
        try {
            return CompletableFuture.supplyAsync(databaseReachable::getAsBoolean, probes)
                    .get(DATABASE_PROBE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException | RejectedExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
