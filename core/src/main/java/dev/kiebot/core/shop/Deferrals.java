package dev.kiebot.core.shop;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Messages the platform could not take yet ({@code Delivery.Deferred}), each with when it was first deferred and how
 * many times since: how long the next try waits, and when to give up. A message the platform keeps refusing waits
 * longer after each try — what the platform asked, doubled for each deferral before, at most {@link #WAIT_MAX} unless
 * the platform asked for longer — because every try holds a sender for the adapter's own retries (30 s of Telegram's
 * 5xx), and a fixed 15 s between them took two thirds of a sender for as long as the message was kept. Remembered in
 * memory: a restart starts a message's count again, and so its waits.
 *
 * <p>For a queued reply that is all it is: {@link ReplySender} keeps when it was first deferred and whether a try of it
 * threw with the reply in the outbox ({@code PendingReplies.Deferral}), and gives it up, or settles it as maybe sent,
 * by what the outbox kept; what is noted here stands in only for an outbox that keeps none (a partner's store without
 * {@code PendingReplies.release(Queued, Instant, Deferral)}), and then a restart, or another instance, starts the day
 * again (at most {@code giveUpAfter} more) and forgets a throw. A broadcast's recipient has only this
 * ({@link BroadcastWorker}).
 *
 * <p>Past {@link #TRACKED_MAX} messages waiting at once the oldest counts are forgotten, as at a restart. That costs a
 * user nothing: the message itself stays first in its queue, and a deferred try surely did not arrive, so nothing is
 * lost or sent twice; it is only tried sooner again (from the platform's own wait, doubling anew) and, where nothing
 * else keeps its first deferral (a broadcast's recipient, an outbox keeping none), kept longer than
 * {@code giveUpAfter}; a try whose outcome is unknown (a messenger's throw) noted only here is forgotten with it. What
 * it tells an operator (an outage as wide as that many chats, the tries rising) is said in one warning per spell, and
 * a line when fewer than half that many wait again.
 *
 * @param <K> what identifies a message (a reply's id, a broadcast's recipient)
 */
final class Deferrals<K> {
    /**
     * The longest wait between two tries of one message, unless the platform asks for longer: a message made during
     * an outage goes at most this late once the platform is back.
     */
    static final Duration WAIT_MAX = Duration.ofMinutes(2);
    /** Messages deferred at once whose count is kept; past it the oldest are forgotten (and start again). */
    static final int TRACKED_MAX = 10_000;

    private static final System.Logger LOG = System.getLogger(Deferrals.class.getName());

    private final Duration giveUpAfter;
    private final String what;
    /** Whether counts are being forgotten for want of room: said once, when it starts, and when it ends. */
    private final AtomicBoolean overflowing = new AtomicBoolean();
    private final Map<K, Deferral> byMessage = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<K, Deferral> eldest) {
            boolean full = size() > TRACKED_MAX;
            if (full && overflowing.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "more than {0} {1} wait for the platform at once: the oldest "
                        + "start counting their tries again (tried sooner; kept past the {2} h limit unless the outbox keeps "
                        + "their first deferral); none is lost or sent twice", String.valueOf(TRACKED_MAX), what, giveUpAfter.toHours());
            }
            return full;
        }
    });

    /**
     * @param giveUpAfter how long after its first deferral a message is given up as failed
     * @param what        the messages, for the log (e.g. "replies")
     */
    Deferrals(Duration giveUpAfter, String what) {
        this.giveUpAfter = giveUpAfter;
        this.what = what;
    }

    /**
     * Counts one more deferral of {@code message}, the platform having asked to wait {@code asked}.
     *
     * @return how long to wait before its next try, or empty when it was first deferred {@code giveUpAfter} ago or
     *         longer: then it is forgotten, and the caller settles it as failed
     */
    Optional<Duration> next(K message, Duration asked, Instant now) {
        return next(message, asked, now, false);
    }

    /**
     * {@link #next(Object, Duration, Instant)}, also noting whether this try's outcome is unknown (the messenger
     * threw: it may have reached the platform), kept with the count until the message is forgotten
     * ({@link #uncertain}).
     */
    Optional<Duration> next(K message, Duration asked, Instant now, boolean uncertain) {
        Deferral d = byMessage.merge(message, new Deferral(now, 1, uncertain),
                (was, first) -> new Deferral(was.since(), was.times() + 1, was.uncertain() || uncertain));
        if (Duration.between(d.since(), now).compareTo(giveUpAfter) >= 0) {
            forget(message);
            return Optional.empty();
        }
        return Optional.of(d.wait(asked));
    }

    /**
     * When {@code message}, counted still, was first deferred as far as this process saw (its count's start).
     *
     * @return empty when it is not counted (never deferred here, gone, given up or forgotten)
     */
    Optional<Instant> since(K message) {
        return Optional.ofNullable(byMessage.get(message)).map(Deferral::since);
    }

    /** Whether {@code message} was deferred before and is counted still (not gone, given up or forgotten). */
    boolean counts(K message) {
        return byMessage.containsKey(message);
    }

    /**
     * Whether a try of {@code message} counted still ended unknown (noted by {@link #next(Object, Duration, Instant,
     * boolean)}): asked before the try that gives it up, which forgets it. Forgotten with its count (at a restart,
     * past {@link #TRACKED_MAX}): its tries start again then, and a messenger that keeps throwing notes it again.
     */
    boolean uncertain(K message) {
        Deferral d = byMessage.get(message);
        return d != null && d.uncertain();
    }

    /** {@code message} went, or was settled otherwise: its next deferral starts counting again. */
    void forget(K message) {
        byMessage.remove(message);
        if (overflowing.get() && byMessage.size() <= TRACKED_MAX / 2 && overflowing.compareAndSet(true, false)) {
            LOG.log(System.Logger.Level.INFO, "{0} waiting for the platform are counted again in full ({1} at most)",
                    what, String.valueOf(TRACKED_MAX));
        }
    }

    /** One message's deferrals in a row, from the first; {@code uncertain}: one of its tries may have arrived. */
    private record Deferral(Instant since, int times, boolean uncertain) {
        Duration wait(Duration asked) {
            if (asked.compareTo(WAIT_MAX) >= 0) {
                return asked;
            }
            Duration doubled = asked.multipliedBy(1L << Math.min(times - 1, 16));
            return doubled.compareTo(WAIT_MAX) > 0 ? WAIT_MAX : doubled;
        }
    }
}
