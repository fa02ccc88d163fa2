package dev.kiebot.runtime.loops;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How idle threads wait for work without asking the database again and again: they sleep until someone says
 * there is work ({@link #wake}: a local write, or a database notification from another instance) or until a
 * slow safety timeout. At most {@code waitersMax} wake-ups are kept, so a burst of notifications costs nothing.
 */
public final class Wakeup {
    private final Semaphore permits = new Semaphore(0);
    private final int waitersMax;

    public Wakeup(int waitersMax) {
        this.waitersMax = waitersMax;
    }

    public void wake() {
        if (permits.availablePermits() < waitersMax) {
            permits.release();
        }
    }

    /** Wakes every waiter (shutting down). */
    public void wakeAll() {
        permits.release(waitersMax);
    }

    /** @return true when woken, false when {@code timeout} passed */
    public boolean await(Duration timeout) throws InterruptedException {
        return permits.tryAcquire(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }
}
