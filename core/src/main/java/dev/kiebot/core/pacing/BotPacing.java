package dev.kiebot.core.pacing;

import java.util.function.LongSupplier;

/**
 * How fast the whole bot may send messages (Telegram: about 30 a second). A sender waits for its turn
 * <em>before</em> it opens a transaction, so no database connection is held while the bot's pace is the limit.
 * Turns are handed out in order (the theoretical arrival time of a generic cell rate): each caller reserves the
 * next slot and sleeps until it; a slot that found nothing to send is given back.
 */
public final class BotPacing {
    /** Sleeps for the given nanoseconds (replaced in tests). */
    @FunctionalInterface
    public interface Sleeper {
        /**
         * Sleeps {@code nanos} nanoseconds, or less when interrupted (then throws).
         *
         * @param nanos how long, more than 0
         * @throws InterruptedException when interrupted
         */
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final long intervalNanos;
    private final long burstNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    /** Guards nextSlot; private, as the pacing is public and whoever holds it could lock it and stall every send. */
    private final Object lock = new Object();
    private long nextSlot;

    BotPacing(double perSecond, int burst, LongSupplier nanoTime, Sleeper sleeper) {
        if (burst < 1) {
            throw new IllegalArgumentException("BotPacing: burst must be at least 1, was " + burst);
        }
        this.intervalNanos = perSecond <= 0 ? 0 : (long) Math.ceil(1e9 / perSecond);
        this.burstNanos = (burst - 1) * intervalNanos;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.nextSlot = nanoTime.getAsLong();
    }

    /**
     * {@code perSecond} messages a second, one at a time; 0 or less: no pace at all.
     *
     * @param perSecond messages a second for the whole process
     * @return a pacing on real time
     */
    public static BotPacing perSecond(double perSecond) {
        return new BotPacing(perSecond, 1, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000,
                (int) (nanos % 1_000_000)));
    }

    /**
     * Telegram's limit for a bot: 30 messages a second.
     *
     * @return 30 a second
     */
    public static BotPacing telegramDefaults() {
        return perSecond(30);
    }

    /**
     * No pace at all: for tests, and for a platform with no bot-wide limit.
     *
     * @return a pacing that never waits
     */
    public static BotPacing unlimited() {
        return perSecond(0);
    }

    /**
     * Waits until one more message may go.
     *
     * @return false when interrupted (the interrupt flag is set again; the slot is given back)
     */
    public boolean awaitTurn() {
        long wait = reserve();
        if (wait <= 0) {
            return true;
        }
        try {
            sleeper.sleepNanos(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            giveBack();
            return false;
        }
    }

    /** The turn taken was not used (nothing was due): the next caller may have it. */
    public void giveBack() {
        synchronized (lock) {
            nextSlot = Math.max(nanoTime.getAsLong(), nextSlot - intervalNanos);
        }
    }

    /** @return how long to wait for the reserved slot, in nanoseconds (≤ 0: now) */
    private long reserve() {
        if (intervalNanos == 0) {
            return 0;
        }
        synchronized (lock) {
            long now = nanoTime.getAsLong();
            long slot = Math.max(now, nextSlot);
            nextSlot = slot + intervalNanos;
            return slot - burstNanos - now;
        }
    }
}
