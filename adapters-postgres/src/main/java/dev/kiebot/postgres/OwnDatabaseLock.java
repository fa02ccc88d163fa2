package dev.kiebot.postgres;

import dev.kiebot.core.intake.SingletonLock;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The singleton lock of an instance on its own embedded database: the data directory's lock
 * ({@link DataDirectoryLock}) already keeps every other process off that database, so there is nobody to take
 * turns with, and a session advisory lock would only keep one more PostgreSQL backend (and a keep-alive query every
 * few seconds) for good. Held from {@link #tryAcquire()} until {@link #close()}.
 */
final class OwnDatabaseLock implements SingletonLock {
    private final AtomicBoolean held = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    @Override
    public boolean tryAcquire() {
        if (closed.get()) {
            return false;
        }
        held.set(true);
        return true;
    }

    @Override
    public boolean isHeld() {
        return held.get();
    }

    @Override
    public void close() {
        closed.set(true);
        held.set(false);
    }
}
