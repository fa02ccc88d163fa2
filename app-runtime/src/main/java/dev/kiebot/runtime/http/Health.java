package dev.kiebot.runtime.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * What /readyz reports: the database answers, migrations ran, and Telegram updates can reach
 * this instance (webhook registered, or the polling lock held).
 */
public final class Health {
    private final String mode;
    private final BooleanSupplier databaseReachable;
    private final AtomicBoolean migrated = new AtomicBoolean();
    private final AtomicBoolean telegram = new AtomicBoolean();
    private final String telegramName;

    /**
     * @param telegramName what "telegram ready" means in this mode ({@code webhook} or {@code lock})
     */
    public Health(String mode, String telegramName, BooleanSupplier databaseReachable) {
        this.mode = mode;
        this.telegramName = telegramName;
        this.databaseReachable = databaseReachable;
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

    public Map<String, Object> report() {
        boolean db = safe(databaseReachable);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ready", db && migrated.get() && telegram.get());
        r.put("mode", mode);
        r.put("db", db);
        r.put("migrations", migrated.get());
        r.put(telegramName, telegram.get());
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
