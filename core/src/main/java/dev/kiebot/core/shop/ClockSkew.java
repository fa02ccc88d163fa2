package dev.kiebot.core.shop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How far the machine's clock is from the stores' ({@link StoresClock}), which several instances on the same stores
 * share. Each instance decides by its own clock: a job whose send window (five minutes, {@code JobWorker}) ran out on
 * one instance's clock is judged cut off mid-send and refunded there while the other is still sending it, and a job's
 * 90-second lease is taken by an instance two minutes ahead. Kie then makes, and charges for, an order the user was
 * refunded. Instances sharing a database must keep their clocks in sync (NTP); this sees one that does not.
 *
 * <p>Measured against the stores' clock, half the read's round trip allowed either way. Above {@link #WARN_ABOVE}
 * a WARNING, once for as long as it stays above; {@link #checkAtStart()} refuses to start above {@link #REFUSE_ABOVE},
 * or the limit the shop was given ({@code Shop.Builder.clockSkewRefusedAbove}, none at all for zero): the stores'
 * server's own clock may be the one off, and then every instance is refused until it is synced.
 * A shop given no {@link StoresClock} (one on stores in memory, sharing the machine's clock) measures nothing.
 * The leases themselves stay on the machine's clock.
 */
public final class ClockSkew {
    /** Above this a WARNING: far below the shortest window decided across instances (90 s leases, 5 min sends). */
    public static final Duration WARN_ABOVE = Duration.ofSeconds(30);
    /**
     * Above this the start is refused by default ({@code Shop.Builder.clockSkewRefusedAbove}): a lease of 90 s taken
     * by another instance before it ends is likely.
     */
    public static final Duration REFUSE_ABOVE = Duration.ofMinutes(2);
    private static final System.Logger LOG = System.getLogger(ClockSkew.class.getName());

    private final Clock clock;
    private final Optional<StoresClock> stores;
    /** Above this the start is refused; empty: never ({@code Shop.Builder.clockSkewRefusedAbove(Duration.ZERO)}). */
    private final Optional<Duration> refuseAbove;
    private volatile Optional<Duration> last = Optional.empty();
    /** Whether the last measure was above {@link #WARN_ABOVE}: the WARNING is said once a spell. */
    private volatile boolean off;

    ClockSkew(Clock clock, Optional<StoresClock> stores) {
        this(clock, stores, REFUSE_ABOVE);
    }

    /** {@code refuseAbove}: zero never refuses. */
    ClockSkew(Clock clock, Optional<StoresClock> stores, Duration refuseAbove) {
        this.clock = clock;
        this.stores = stores;
        this.refuseAbove = refuseAbove.isZero() ? Optional.empty() : Optional.of(refuseAbove);
    }

    /**
     * How far the clocks may be apart at {@link #checkAtStart()}: {@link #REFUSE_ABOVE} unless the shop was given
     * another limit ({@code Shop.Builder.clockSkewRefusedAbove}).
     *
     * @return the limit; empty when a start is never refused
     */
    public Optional<Duration> refusedAbove() {
        return refuseAbove;
    }

    /**
     * Reads the stores' clock once and compares it with the machine's.
     *
     * @return how far ahead of the stores' clock the machine's is (negative: behind), beyond half the read's round
     *         trip; empty without a {@link StoresClock}
     * @throws RuntimeException what the stores' clock threw (the server not reached)
     */
    public Optional<Duration> measure() {
        if (stores.isEmpty()) {
            return Optional.empty();
        }
        Instant before = clock.instant();
        long started = System.nanoTime();
        Instant theirs = stores.get().now();
        Duration roundTrip = Duration.ofNanos(System.nanoTime() - started);
        Instant after = clock.instant();
        Instant ours = before.plus(Duration.between(before, after).dividedBy(2));
        Duration ahead = Duration.between(theirs, ours);
        Duration allowed = roundTrip.dividedBy(2);
        Duration beyond = ahead.abs().compareTo(allowed) <= 0 ? Duration.ZERO
                : ahead.isNegative() ? ahead.plus(allowed) : ahead.minus(allowed);
        last = Optional.of(beyond);
        return last;
    }

    /**
     * The last measure ({@link #measure()}), for a gauge.
     *
     * @return how far ahead the machine's clock was (negative: behind) at the last measure; empty before one
     */
    public Optional<Duration> last() {
        return last;
    }

    /** Whether the shop was given its stores' clock ({@code Shop.Builder.storesClock}): without it nothing is compared. */
    boolean compares() {
        return stores.isPresent();
    }

    /**
     * Before the shop starts work ({@link ShopWork#start}; kiebot's runners at their start): refuses a machine whose
     * clock is more than {@link #refusedAbove()} ({@link #REFUSE_ABOVE} by default) from the stores', warns above
     * {@link #WARN_ABOVE}. A stores' clock that
     * cannot be read does not stop the start (the database's own checks do): it is logged, and the upkeep reads it
     * again every minute.
     *
     * @throws IllegalStateException above {@link #refusedAbove()}, saying how far and what to do (sync the clock; the
     *                               database's, when its clock is the one off; or raise the limit, knowing the risk)
     */
    public void checkAtStart() {
        Optional<Duration> skew;
        try {
            skew = measure();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the database's clock could not be read to compare this machine's "
                    + "with it; read again every minute", e);
            return;
        }
        if (skew.isPresent() && refuseAbove.isPresent() && skew.get().abs().compareTo(refuseAbove.get()) > 0) {
            throw new IllegalStateException("this machine's clock is " + words(skew.get()) + " the database's "
                    + "(a start is refused above " + refuseAbove.get().toSeconds() + " s): instances sharing a "
                    + "database decide by their own clocks (a generation's lease, its send's window), and one this far "
                    + "off refunds orders another instance is still making. Sync this machine's clock (NTP: chrony, "
                    + "systemd-timesyncd, `timedatectl set-ntp true`) and start again. When the database server's "
                    + "clock is the one off (every instance is refused), sync that one; to start meanwhile, raise the "
                    + "limit (Shop.Builder.clockSkewRefusedAbove; kiebot's runner: CLOCK_SKEW_MAX_SECONDS, 0: never "
                    + "refused), which risks those refunds whenever two instances run at once, a deploy's overlap too");
        }
        skew.ifPresent(this::said);
    }

    /**
     * The upkeep's minute look ({@link Upkeep#expire}): measures, and warns once when the clocks part by more than
     * {@link #WARN_ABOVE}, says so again when they agree. Never throws: a stores' clock that cannot be read is
     * logged at DEBUG (the database's trouble is told elsewhere).
     */
    public void watch() {
        try {
            measure().ifPresent(this::said);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "the database's clock could not be read", e);
        }
    }

    private void said(Duration skew) {
        boolean above = skew.abs().compareTo(WARN_ABOVE) > 0;
        if (above && !off) {
            LOG.log(System.Logger.Level.WARNING, "this machine''s clock is {0} the database''s: instances sharing a "
                    + "database decide by their own clocks, and above {1} s one refunds orders another is still making "
                    + "({2}). Sync this machine''s clock (NTP)", words(skew),
                    WARN_ABOVE.toSeconds(), refuseAbove.map(limit -> "a start is refused above " + limit.toSeconds()
                            + " s").orElse("a start is never refused: the limit is off"));
        } else if (!above && off) {
            LOG.log(System.Logger.Level.INFO, "this machine''s clock agrees with the database''s again ({0} apart)",
                    amount(skew));
        }
        off = above;
    }

    private static String words(Duration skew) {
        return amount(skew) + (skew.isNegative() ? " behind" : " ahead of");
    }

    private static String amount(Duration skew) {
        long millis = skew.abs().toMillis();
        return millis >= 10_000 ? Math.round(millis / 1000.0) + " s" : String.format(java.util.Locale.ROOT, "%.1f s",
                millis / 1000.0);
    }
}
