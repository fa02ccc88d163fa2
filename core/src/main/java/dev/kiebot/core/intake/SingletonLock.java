package dev.kiebot.core.intake;

/**
 * A process-wide lock so only one instance long-polls Telegram (port).
 * PostgreSQL: a session advisory lock on a dedicated connection. A lock of your own passes core-testing's
 * {@code SingletonLockContract}.
 */
public interface SingletonLock extends AutoCloseable {
    /**
     * Tries once; never blocks.
     *
     * @return true if this instance holds the lock now
     */
    boolean tryAcquire();

    /**
     * Checks the lock is still held (the connection is alive).
     *
     * @return false once the lock was lost or released
     */
    boolean isHeld();

    /** Releases the lock if held. */
    @Override
    void close();
}
