package dev.kiebot.core.testing.memory;

import dev.kiebot.core.intake.SingletonLock;
import java.util.concurrent.atomic.AtomicBoolean;

/** One lock shared by the instances of one process (tests); {@link #holder()} makes a contender. */
public final class InMemorySingletonLock {
    private final AtomicBoolean taken = new AtomicBoolean();

    /** A lock nobody holds; every {@link #holder()} of it contends for it. */
    public InMemorySingletonLock() {
    }

    /**
     * A contender for the lock, as one instance of the bot is: its {@code tryAcquire} takes the lock when no other
     * contender holds it, and keeps it until its {@code close}.
     *
     * @return a new contender, holding nothing yet
     */
    public SingletonLock holder() {
        return new SingletonLock() {
            private boolean mine;

            @Override
            public synchronized boolean tryAcquire() {
                if (!mine) {
                    mine = taken.compareAndSet(false, true);
                }
                return mine;
            }

            @Override
            public synchronized boolean isHeld() {
                return mine;
            }

            @Override
            public synchronized void close() {
                if (mine) {
                    mine = false;
                    taken.set(false);
                }
            }
        };
    }
}
