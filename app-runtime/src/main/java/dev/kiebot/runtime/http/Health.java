package dev.kiebot.runtime.http;

import dev.kiebot.core.shop.ClockSkew;
import dev.kiebot.runtime.BuildInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.kiebot.runtime.loops.DaemonThreads;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * What /readyz reports: the database answers, migrations ran, and Telegram updates can reach this instance
 * (webhook registered, or the polling lock held and getUpdates answering); plus when Telegram and Kie last
 * answered well. The database is asked with a short deadline
 * ({@link #DATABASE_PROBE}), on a thread of its own: during an outage the report says so within two seconds
 * instead of waiting for the pool's connection timeout.
 *
 * <p>Probes that come together share one: a flood of /readyz (several orchestrators and load balancers, a retry
 * storm, a slow database moment) asked the database one probe at a time, refused every probe beyond the one running
 * and the one queued, and so read "not ready" of a bot that was fine. Now at most one database probe is in flight;
 * every /readyz that comes meanwhile waits for its answer (until the probe's deadline, after which it reads "not
 * reachable" at once, as before), and an answer is reused for {@link #DATABASE_ANSWER_REUSED} after it came: N
 * concurrent probes cost one round trip and all report the same truth.
 *
 * <p>Only a /readyz with no answer to read waits: once the database has answered, the one that begins a new probe
 * waits for it and the others meanwhile read the answer before it (at most {@link #DATABASE_ANSWER_REUSED} plus
 * {@link #DATABASE_PROBE} old, still well below any orchestrator's period). HTTP threads are the webhook's too: a
 * slow database moment under a flood of /readyz then holds one of them, not one per /readyz for up to the probe's
 * deadline.
 *
 * <p>The machine's clock against the database's ({@code ClockSkew}'s last look, every minute) is reported, never a
 * condition of readiness: what a skewed clock spoils is done by this instance's own workers (job leases, send
 * windows), which a load balancer taking it out of rotation does not stop, while the webhook's updates it would turn
 * away are handled well; and a database whose own clock is off would make every instance "not ready" at once, an
 * outage (and a platform's restarts, which the start's own check then refuses) for no gain.
 */
public final class Health {
    private final String mode;
    private final BooleanSupplier databaseReachable;
    private final AtomicBoolean migrated = new AtomicBoolean();
    private final AtomicBoolean telegram = new AtomicBoolean();
    private final AtomicReference<String> telegramUnreachable = new AtomicReference<>();
    /** Whether a runner saw Telegram answer ({@link #telegramReachable}), beside the calls' own times. */
    private final AtomicBoolean telegramAnswered = new AtomicBoolean();
    /** Telegram's {@code last_error_message} for the webhook, as its last look found it; null when none. */
    private final AtomicReference<String> webhookLastError = new AtomicReference<>();
    private final String telegramName;
    /** The clock skew's last look ({@code ClockSkew.last}); empty before one, or with no database clock to read. */
    private volatile java.util.function.Supplier<Optional<Duration>> clockSkew = Optional::empty;
    /** Whether every sender is held for Telegram (its breaker: trouble, or the bot's flood wait); false: not known. */
    private volatile BooleanSupplier sendersHeld = () -> false;
    /**
     * Whether the database takes writes ({@code WriteRefusals}: false while it refuses them, a full disk or read-only),
     * shown as {@code dbWrites}; never a condition of readiness: another instance on the same database fares no better,
     * and the updates a load balancer would turn away are kept by Telegram only while it re-delivers them.
     */
    private volatile BooleanSupplier databaseWrites = () -> true;
    /** Above this the start is refused ({@code ClockSkew.refusedAbove}); empty: never. */
    private volatile Optional<Duration> clockSkewRefusedAbove = Optional.empty();
    /** {@link #schemaVersion}: none until given, or while the database has not said. */
    private volatile java.util.function.Supplier<Optional<String>> schemaVersion = Optional::empty;
    /** {@link #databaseDetail}: none until given. */
    private volatile java.util.function.Supplier<Optional<String>> databaseDetail = Optional::empty;
    /** {@link #salesPaused}: none until the shop is built. */
    private volatile java.util.function.Supplier<Optional<String>> salesPaused = Optional::empty;
    /** How long /readyz waits for the database before it reports it unreachable. */
    static final Duration DATABASE_PROBE = Duration.ofMillis(1500);
    /**
     * How long a database answer stands for the next /readyz: well below the period orchestrators probe at (Kubernetes
     * 10 s by default, Render's and most load balancers' 5 s or more), so a change is never hidden from the next
     * scheduled probe, and long enough that a flood within it costs one round trip.
     */
    static final Duration DATABASE_ANSWER_REUSED = Duration.ofSeconds(1);
    /** One probe at a time: a new one is asked only once the last has answered (the queue's one place is slack). */
    private final ThreadPoolExecutor probes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1), new DaemonThreads("readiness-probe"), new ThreadPoolExecutor.AbortPolicy());
    private final CallTimes calls;
    /** Monotonic nanoseconds ({@link System#nanoTime}); injectable so the answers' age can be stepped in tests. */
    private final LongSupplier nanoTime;
    private final Duration probeWait;
    private final Object probing = new Object();
    /** The database probe being asked, shared by every /readyz meanwhile; null when none is. */
    private CompletableFuture<Boolean> inFlight; // guarded by probing
    private long inFlightDeadlineNanos; // guarded by probing
    private Optional<Answer> lastAnswer = Optional.empty(); // guarded by probing

    /** The database's answer to one probe, and when it came. */
    private record Answer(boolean reachable, long atNanos) {
    }

    /**
     * @param telegramName what "telegram ready" means in this mode ({@code webhook} or {@code lock})
     */
    public Health(String mode, String telegramName, BooleanSupplier databaseReachable) {
        this(mode, telegramName, databaseReachable, new CallTimes());
    }

    public Health(String mode, String telegramName, BooleanSupplier databaseReachable, CallTimes calls) {
        this(mode, telegramName, databaseReachable, calls, System::nanoTime, DATABASE_PROBE);
    }

    /** {@code probeWait}: how long a probe is waited for before it reads "not reachable" ({@link #DATABASE_PROBE}). */
    Health(String mode, String telegramName, BooleanSupplier databaseReachable, CallTimes calls, LongSupplier nanoTime,
           Duration probeWait) {
        this.mode = mode;
        this.telegramName = telegramName;
        this.databaseReachable = databaseReachable;
        this.calls = calls;
        this.nanoTime = nanoTime;
        this.probeWait = probeWait;
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

    /** Telegram answered (again). */
    public void telegramReachable() {
        telegramAnswered.set(true);
        telegramUnreachable.set(null);
    }

    /**
     * What Telegram said of its last delivery to the webhook that failed ({@code getWebhookInfo}'s
     * {@code last_error_message}), empty when it reports none: shown on /readyz as {@code webhookLastError}. Not a
     * condition of readiness: Telegram keeps the message after it delivers again.
     */
    public void webhookLastError(Optional<String> message) {
        webhookLastError.set(message.orElse(null));
    }

    /**
     * Shows the clock skew's last look ({@code Shop.clockSkew()}) as {@code clockSkewSeconds} and {@code clock}: never a
     * condition of readiness (see the class).
     *
     * @param lastLook     how far this machine's clock was ahead of the database's (negative: behind); empty before
     *                     the first look
     * @param refusedAbove above this a start is refused ({@code CLOCK_SKEW_MAX_SECONDS}); empty: never
     */
    public void clockSkew(java.util.function.Supplier<Optional<Duration>> lastLook, Optional<Duration> refusedAbove) {
        this.clockSkew = lastLook;
        this.clockSkewRefusedAbove = refusedAbove;
    }

    /**
     * Shows whether the reply senders are held for Telegram ({@code TelegramMessenger.telegramInTrouble}: it does not
     * answer, or its flood wait for the whole bot) as {@code telegramSendersHeld}: never a condition of readiness (the
     * updates still come in; a restart would not end Telegram's wait).
     */
    public void sendersHeld(BooleanSupplier held) {
        this.sendersHeld = held;
    }

    /** Shows whether the database takes writes as {@code dbWrites} (see the field); true until given. */
    public void databaseWrites(BooleanSupplier taken) {
        this.databaseWrites = taken;
    }

    /**
     * Shows {@code Shop.salesPaused()} as {@code salesPaused} (the refusal's kind, or null): Kie refusing the shop's
     * account pauses every new order; not a condition of readiness (the bot answers, and sells once it is over).
     */
    public void salesPaused(java.util.function.Supplier<Optional<String>> refusal) {
        this.salesPaused = refusal;
    }

    /**
     * Shows the newest migration the database's schema holds, as its last probe read it, as {@code schemaVersion}
     * ({@code 46}): what an operator compares with a build's newest migration before going back to it (README,
     * "Upgrading from an earlier build"); {@code migrations} only says this start's migrations ran.
     */
    public void schemaVersion(java.util.function.Supplier<Optional<String>> lastRead) {
        this.schemaVersion = lastRead;
    }

    /**
     * Shows why the database is not ready, as its probe last said ({@code Readiness.detail()}: «database unreachable:
     * PSQLException», «schema version 47, expected 48»; an exception's class, never its message, which may name the
     * user or the host), as {@code dbDetail} while {@code db} is false: /readyz said 503 and {@code db: false} and no
     * reason. Empty while the probe has said none (it has not answered within {@link #DATABASE_PROBE}, or it threw):
     * then {@code dbDetail} says no answer came. Shown only to those who see the detail ({@code MetricsAccess}).
     */
    public void databaseDetail(java.util.function.Supplier<Optional<String>> lastFailure) {
        this.databaseDetail = lastFailure;
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
        r.put("dbDetail", db ? null : databaseDetail.get()
                .orElse("no answer from the database within " + probeWait.toMillis() + " ms"));
        r.put("dbWrites", databaseWrites.getAsBoolean());
        r.put("migrations", migrated.get());
        r.put("schemaVersion", schemaVersion.get().map(Health::versionNumber).orElse(null));
        r.put(telegramName, telegram.get());
        // "ok" only once Telegram answered: at start it said "ok" before any call had succeeded
        r.put("telegram", unreachable.map(why -> "unreachable: " + why)
                .orElse(telegramAnswered.get() || calls.lastTelegramAnswer().isPresent() ? "ok" : "unknown"));
        r.put("lastTelegramAnswerAt", calls.lastTelegramAnswer().map(Instant::toString).orElse(null));
        r.put("lastKieAnswerAt", calls.lastKieAnswer().map(Instant::toString).orElse(null));
        r.put("salesPaused", salesPaused.get().orElse(null));
        Optional.ofNullable(webhookLastError.get()).ifPresent(error -> r.put("webhookLastError", error));
        r.put("telegramSendersHeld", sendersHeld.getAsBoolean());
        Optional<Duration> skew = clockSkew.get();
        r.put("clockSkewSeconds", skew.map(d -> Math.round(d.toMillis() / 100.0) / 10.0).orElse(null));
        r.put("clock", skew.map(this::clock).orElse("unknown"));
        return r;
    }

    /** Flyway's version as a number where it is one ({@code "46"} → 46), as the README's SQL compares them. */
    private static Object versionNumber(String version) {
        try {
            return Integer.parseInt(version);
        } catch (NumberFormatException e) {
            return version;
        }
    }

    /** The skew in words: "ok" within {@code ClockSkew.WARN_ABOVE}, else how far off and what it passed. */
    private String clock(Duration skew) {
        if (skew.abs().compareTo(ClockSkew.WARN_ABOVE) <= 0) {
            return "ok";
        }
        String off = "off: " + Math.round(skew.abs().toMillis() / 1000.0) + " s "
                + (skew.isNegative() ? "behind" : "ahead of") + " the database's";
        return clockSkewRefusedAbove.filter(limit -> skew.abs().compareTo(limit) > 0)
                .map(limit -> off + ", more than the " + limit.toSeconds() + " s a start is refused above")
                .orElse(off + ", more than the " + ClockSkew.WARN_ABOVE.toSeconds() + " s warned of");
    }

    public boolean ready() {
        return Boolean.TRUE.equals(report().get("ready"));
    }

    /**
     * The database's answer: a fresh one ({@link #DATABASE_ANSWER_REUSED}); else, while a probe is being asked, the
     * last answer, or with none yet the probe's; else a new probe's. A probe is waited for until its deadline
     * ({@link #DATABASE_PROBE} after it began), past which a probe still stuck means "not reachable".
     */
    private boolean probe() {
        CompletableFuture<Boolean> shared;
        long deadline;
        synchronized (probing) {
            long now = nanoTime.getAsLong();
            Optional<Answer> fresh = lastAnswer.filter(a -> now - a.atNanos() <= DATABASE_ANSWER_REUSED.toNanos());
            if (fresh.isPresent()) {
                return fresh.get().reachable();
            }
            shared = inFlight;
            if (shared != null && lastAnswer.isPresent() && now - inFlightDeadlineNanos < 0) {
                return lastAnswer.get().reachable(); // the probe's own asker waits for it, the others need not
            }
            if (shared == null) {
                CompletableFuture<Boolean> asked = new CompletableFuture<>();
                try {
                    // the answer is kept before the waiters are released, so a /readyz right after them reuses it
                    probes.execute(() -> {
                        boolean reachable = false;
                        try {
                            reachable = databaseReachable.getAsBoolean();
                        } catch (RuntimeException e) {
                            // "not reachable": thrown on, it killed the probe's thread and printed its trace each time
                        } finally {
                            // also after an Error: a probe never answered would leave every later /readyz "not ready"
                            answered(asked, reachable);
                            asked.complete(reachable);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    return false;
                }
                shared = asked;
                inFlight = shared;
                inFlightDeadlineNanos = now + probeWait.toNanos();
            }
            deadline = inFlightDeadlineNanos;
        }
        long remaining = deadline - nanoTime.getAsLong();
        if (remaining <= 0 && !shared.isDone()) {
            return false; // stuck past its deadline: not reachable, at once
        }
        try {
            return shared.get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException | CancellationException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void answered(CompletableFuture<Boolean> probe, boolean reachable) {
        synchronized (probing) {
            if (inFlight == probe) {
                inFlight = null;
            }
            lastAnswer = Optional.of(new Answer(reachable, nanoTime.getAsLong()));
        }
    }
}
