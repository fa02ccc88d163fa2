package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.ErrorKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The provider refusing the shop's own account (401: the key; 402: no credits left; 433: the key's own usage cap
 * reached) refuses every order after it too:
 * each was paid for, waited for at submit and refunded. For {@link #PAUSE} after such a refusal a new order is answered
 * at once that generations are paused, and nothing is held; the first order after it goes through and tries again (a
 * refusal starts another pause). A refusal of one order (its input, a model switched off) pauses nothing.
 *
 * <p>A spell lasts from the first such refusal until an order goes through: the pauses within it (one every few
 * minutes while the credits stay at zero) are one outage, said once at its start and once at its end. Each pause was
 * said anew before: a WARNING and an alert to every admin twelve times an hour for a night without credits.
 *
 * <p>In memory, per instance: it only spares users a wait; every order is still paid and refunded correctly without
 * it. Another instance pauses after its own first refused order.
 */
final class ProviderOutage {
    /** Long enough to spare a crowd a refund each, short enough that a topped-up account sells again soon. */
    static final Duration PAUSE = Duration.ofMinutes(5);
    private static final System.Logger LOG = System.getLogger(ProviderOutage.class.getName());

    /** The refusals of a spell: its kind (the last refusal's), its start and how many orders were refused in it. */
    record Spell(ErrorKind kind, Instant since, int refusals) {
    }

    private final Clock clock;
    private volatile Instant pausedUntil = Instant.MIN;
    /** Guarded by this. */
    private Optional<Spell> spell = Optional.empty();

    ProviderOutage(Clock clock) {
        this.clock = clock;
    }

    /** Whether a new order may go to the provider now. */
    boolean takesOrders() {
        Instant now = clock.instant();
        // a pause ending further ahead than its length was set before the clock stepped back: over, not an hour more
        return !now.isBefore(pausedUntil) || pausedUntil.isAfter(now.plus(PAUSE));
    }

    /**
     * The provider refused an order (at upload or submit) with {@code kind}.
     *
     * @return whether this refusal started a spell (no such refusal since an order last went through, or one of
     *         another kind): the moment to tell the admins
     */
    boolean refused(ErrorKind kind) {
        if (kind != ErrorKind.AUTH && kind != ErrorKind.OUT_OF_CREDITS && kind != ErrorKind.KEY_LIMIT) {
            return false;
        }
        Instant now = clock.instant();
        pausedUntil = now.plus(PAUSE);
        Spell current;
        boolean starts;
        synchronized (this) {
            starts = spell.filter(s -> s.kind() == kind).isEmpty();
            current = starts ? new Spell(kind, now, 1) : new Spell(kind, spell.get().since(), spell.get().refusals() + 1);
            spell = Optional.of(current);
        }
        if (starts) {
            LOG.log(System.Logger.Level.WARNING, "the provider refused an order for the shop''s account ({0}): new orders "
                    + "are answered that generations are paused, for {1} min after each such refusal; check the API key "
                    + "and the credits (said once until an order goes through again)", kind, PAUSE.toMinutes());
        } else {
            LOG.log(System.Logger.Level.DEBUG, "the provider refused an order for the shop''s account again ({0}): {1} "
                    + "refused since {2}; paused for {3} min more", kind, current.refusals(), current.since(), PAUSE.toMinutes());
        }
        return starts;
    }

    /**
     * The provider took an order: whatever it refused before is over.
     *
     * @return the spell it ends, if one was going on: the moment to tell the admins sales work again
     */
    Optional<Spell> accepted() {
        pausedUntil = Instant.MIN;
        Optional<Spell> ended;
        synchronized (this) {
            ended = spell;
            spell = Optional.empty();
        }
        ended.ifPresent(s -> LOG.log(System.Logger.Level.INFO, "the provider took an order for the shop''s account "
                + "again: the refusals ({0}) are over after {1} ({2} orders refused)", s.kind(),
                Duration.between(s.since(), clock.instant()), s.refusals()));
        return ended;
    }

    /** The spell going on, if the provider refused the shop's account and no order went through since. */
    synchronized Optional<Spell> spell() {
        return spell;
    }
}
