package dev.kiebot.core.shop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The broadcasts task's run, without idle queries: batches go out while a broadcast may be waiting (one was queued,
 * or the last look took a batch); with none known, the database is asked only once per {@code idleLook}, as a
 * queued broadcast says so ({@link #queued()}). {@link ShopWork} runs it on its tick, and a runner that schedules
 * the work itself through {@link ShopWork.Parts#sendBroadcasts()}.
 */
final class BroadcastLooks {
    private final BroadcastWorker broadcaster;
    private final int batch;
    private final Duration idleLook;
    private final Clock clock;
    /** Set when one is queued (and at start, for one a previous run left), cleared by a look that found none. */
    private final AtomicBoolean pending = new AtomicBoolean(true);
    private volatile Instant lookedAt = Instant.MIN;

    /**
     * @param batch    recipients per pass (at most {@link Passes#MAX} passes a run)
     * @param idleLook how often the database is asked while no broadcast is known to be waiting
     * @param clock    when the last look was (the tick's own clock)
     */
    BroadcastLooks(BroadcastWorker broadcaster, int batch, Duration idleLook, Clock clock) {
        this.broadcaster = Objects.requireNonNull(broadcaster, "broadcaster");
        this.batch = batch;
        this.idleLook = Objects.requireNonNull(idleLook, "idleLook");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A broadcast was queued: the next run looks, whenever the last look was. Cheap, never blocks. */
    void queued() {
        pending.set(true);
    }

    /** One run: batches while a broadcast may be waiting, else a look only once the idle period has passed. */
    void run() {
        Instant now = clock.instant();
        if (!pending.getAndSet(false) && now.isBefore(lookedAt.plus(idleLook))) {
            return;
        }
        lookedAt = now;
        boolean lookAgain = true; // after a failure too: the next tick asks again, not an idle period later
        try {
            // a batch taken means more may be left: the next goes at the next tick, a running broadcast's pace
            // held back by Telegram: it waits, so the ticks keep looking rather than an idle period later
            lookAgain = Passes.run(batch, broadcaster::runOnce) > 0 || broadcaster.waiting();
        } finally {
            if (lookAgain) {
                pending.set(true);
            }
        }
    }
}
