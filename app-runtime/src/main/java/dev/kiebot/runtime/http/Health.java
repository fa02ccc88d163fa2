package dev.kiebot.runtime.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * What /readyz reports: the database answers, migrations ran, and Telegram updates can reach this instance
 * (webhook registered, or the polling lock held and getUpdates answering); plus when Telegram and Kie last
 * answered well.
 */
public final class Health {
    private final String mode;
    private final BooleanSupplier databaseReachable;
    private final AtomicBoolean migrated = new AtomicBoolean();
    private final AtomicBoolean telegram = new AtomicBoolean();
    private final AtomicReference<String> telegramUnreachable = new AtomicReference<>();
    private final String telegramName;
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
        boolean db = safe(databaseReachable);
        Optional<String> unreachable = Optional.ofNullable(telegramUnreachable.get());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ready", db && migrated.get() && telegram.get() && unreachable.isEmpty());
        r.put("mode", mode);
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

    private static boolean safe(BooleanSupplier s) {
        try {
            return s.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
