package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.ErrorKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The provider refusing the shop's own account (401: the key; 402: no credits left; 433: the key's own usage cap
 * reached) refuses every order after it too:
 * each was paid for, waited for at submit and refunded. For {@link #PAUSE} after such a refusal a new order is answered
 * at once that generations are paused, and nothing is held; the first order after it goes through and tries again (a
 * refusal starts another pause). A refusal of one order (its input, a model switched off) pauses nothing.
 *
 * <p>In memory, per instance: it only spares users a wait; every order is still paid and refunded correctly without
 * it. Another instance pauses after its own first refused order.
 */
final class ProviderOutage {
    /** Long enough to spare a crowd a refund each, short enough that a topped-up account sells again soon. */
    static final Duration PAUSE = Duration.ofMinutes(5);
    private static final System.Logger LOG = System.getLogger(ProviderOutage.class.getName());

    private final Clock clock;
    private volatile Instant pausedUntil = Instant.MIN;

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
     * @return whether this refusal started a pause (orders were taken until now): the moment to tell the admins
     */
    boolean refused(ErrorKind kind) {
        if (kind != ErrorKind.AUTH && kind != ErrorKind.OUT_OF_CREDITS && kind != ErrorKind.KEY_LIMIT) {
            return false;
        }
        boolean starts = takesOrders();
        pausedUntil = clock.instant().plus(PAUSE);
        if (starts) {
            LOG.log(System.Logger.Level.WARNING, "the provider refused an order for the shop''s account ({0}): new orders "
                    + "are answered that generations are paused, for {1} min after each such refusal; check the API key "
                    + "and the credits", kind, PAUSE.toMinutes());
        }
        return starts;
    }

    /** The provider took an order: whatever it refused before is over. */
    void accepted() {
        pausedUntil = Instant.MIN;
    }
}
