package dev.kiebot.runtime.work;

import dev.kiebot.core.shop.ReplySender;
import dev.kiebot.core.shop.SendAttempt;
import dev.kiebot.runtime.loops.Outage;
import dev.kiebot.runtime.loops.SafetyPoll;
import dev.kiebot.runtime.loops.WorkerLoops;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The threads that deliver the outbox. Each sends the next due reply, again and again; with nothing due it
 * sleeps until the next paced chat's turn, a wake-up (a reply was queued here or by another instance), or
 * the safety poll — never asking the database several times a second while idle.
 */
public final class ReplySenders implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplySenders.class);

    private final ReplySender sender;
    private final int threads;
    private final SafetyPoll safetyPoll;
    private final Outage outage = new Outage(LOG, "delivering replies");
    private volatile WorkerLoops loops;

    public ReplySenders(ReplySender sender, int threads, SafetyPoll safetyPoll) {
        this.sender = sender;
        this.threads = threads;
        this.safetyPoll = safetyPoll;
    }

    /** A reply was queued: wake an idle sender now. */
    public void wake() {
        WorkerLoops l = loops;
        if (l != null) {
            l.wake();
        }
    }

    public synchronized void start(String instance) {
        if (loops == null) {
            loops = new WorkerLoops("replies-" + instance, threads, this::sendNext, safetyPoll, outage);
            loops.start();
        }
    }

    /** Sends the next due reply; with none due, rests until the next paced reply is due, at most the safety poll. */
    private Duration sendNext() {
        SendAttempt attempt;
        try {
            attempt = sender.sendNext();
        } finally {
            MDC.remove(RepliesWithOrigin.CID); // the claimed reply's origin, put there by its claim
        }
        if (attempt instanceof SendAttempt.NothingDue idle) {
            return idle.untilNextDue().map(safetyPoll::until).orElse(safetyPoll.period());
        }
        if (attempt instanceof SendAttempt.Sent sent && sent.chatHasMore()) {
            // the chat's next turn is news to the senders resting since before it: one looks and waits for it,
            // rather than the chat waiting for this one, whose next send may be another chat's long upload
            wake();
        }
        return Duration.ZERO;
    }

    /**
     * Stops after the replies being sent, and settles those whose settle had failed (the database still runs: it
     * stops last); what is still queued waits for the next start.
     */
    public synchronized void stop(Duration grace) {
        if (loops != null) {
            loops.stop(grace);
            loops = null; // a later start begins afresh
            try {
                int left = sender.settleLeftOvers();
                if (left > 0) {
                    LOG.warn("{} sent replies left unsettled at the stop: "
                            + "their chats wait for their leases, or get them again after the start", left);
                }
            } catch (RuntimeException e) {
                LOG.warn("settling the replies left at the stop failed", e);
            }
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
