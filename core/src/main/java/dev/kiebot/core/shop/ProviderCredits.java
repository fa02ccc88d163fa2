package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.ProviderException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The provider's balance as last read, and when: what {@code /admin} shows. The dashboard is drawn while an admin's
 * update is handled, holding a handler thread and a pooled connection in an open transaction, so it never waits for
 * the provider (Kie: up to three reads of 40 s; waiting even 5 s held them all that time): it shows the last reading
 * and has a new one asked on a thread of this class's. The upkeep's {@code credits} task reads on its own thread
 * every {@link Upkeep#CREDITS_EVERY} (with {@code lowCredits}, or the runner's own schedule through
 * {@link Upkeep#readCredits}), so the figure shown is rarely older than that. Kept by this process only: after a
 * restart it is unknown until the first reading.
 *
 * <p>A figure is bounded before it is kept ({@link #plausible}), as adapters-kie bounds Kie's: a partner's provider
 * answering {@code -1e999999999} had {@code /admin} write out a billion digits on a handler's thread, in a
 * transaction, and the low-credits alert the same.
 */
final class ProviderCredits {
    /** A balance read at {@code at}: empty when the provider has none to read ({@code GenerationProvider.credits}). */
    record Reading(Optional<BigDecimal> credits, Instant at) {
    }

    /** Digits before the point of a balance taken: a trillion (Kie: $5 billion), far above any account's. */
    static final int DIGITS_MAX = 12;
    /** Digits after the point a balance is kept to. */
    static final int DECIMALS_MAX = 6;
    /** Digits after the point of a balance rounded rather than refused: a float's noise (99.10000000000001) is. */
    private static final int DECIMALS_ROUNDED_MAX = 30;
    /** Bits of a balance's digits: 200 hold 60 digits, more than whole digits and decimals allowed. */
    private static final int BITS_MAX = 200;

    private final GenerationProvider provider;
    private final Clock clock;
    private final AtomicReference<Reading> last = new AtomicReference<>();
    /** Why the latest read failed (the error's kind), when it did: empty once one succeeds. */
    private final AtomicReference<Optional<String>> failure = new AtomicReference<>(Optional.empty());
    /**
     * Asks on a thread of its own (ended after a minute idle), one question at a time: {@link #asking} lets a new one
     * in only when the last is answered, so the queue holds one while its thread finishes the last.
     */
    private final ThreadPoolExecutor asker = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1), runnable -> {
                Thread t = new Thread(runnable, "provider-credits");
                t.setDaemon(true);
                return t;
            });
    /** The question being asked: a view meanwhile asks nothing more. */
    private final AtomicReference<CompletableFuture<Void>> asking =
            new AtomicReference<>(CompletableFuture.completedFuture(null));

    ProviderCredits(GenerationProvider provider, Clock clock) {
        this.provider = provider;
        this.clock = clock;
        asker.allowCoreThreadTimeOut(true);
    }

    /**
     * Reads the balance on the calling thread (the upkeep's, never a handler's) and keeps it.
     *
     * @return the balance, rounded to {@link #DECIMALS_MAX} places; empty when the provider has none to read
     * @throws ProviderException the read failed, or gave a figure out of bounds ({@link #plausible}:
     *                           {@code MALFORMED_RESPONSE}); kept as the latest failure
     */
    Optional<BigDecimal> read() throws ProviderException {
        try {
            Optional<BigDecimal> credits = provider.credits();
            if (credits.isPresent()) {
                credits = Optional.of(plausible(credits.get()));
            }
            last.set(new Reading(credits, clock.instant()));
            failure.set(Optional.empty());
            return credits;
        } catch (ProviderException e) {
            failure.set(Optional.of(e.kind().name()));
            throw e;
        } catch (RuntimeException | Error e) {
            // a partner's provider failing otherwise, or a class missing from its build: shown as an error, not kept
            // waiting for an answer that never comes
            failure.set(Optional.of("ERROR"));
            throw e;
        }
    }

    /**
     * A balance as the shop may show and compare it, bounded as adapters-kie's {@code KieProvider.plausibleCredits}
     * bounds Kie's (the same limits): within them kept, rounded to {@link #DECIMALS_MAX} places.
     *
     * @throws ProviderException MALFORMED_RESPONSE for more than {@link #DIGITS_MAX} whole digits or a fraction finer
     *                           than any float's noise
     */
    static BigDecimal plausible(BigDecimal credits) throws ProviderException {
        // the digits' size, precision and scale first: cheap on a number of a billion digits, its plain string is not
        boolean plausible = credits.unscaledValue().bitLength() <= BITS_MAX
                && (long) credits.precision() - credits.scale() <= DIGITS_MAX
                && credits.stripTrailingZeros().scale() <= DECIMALS_ROUNDED_MAX;
        if (!plausible) {
            throw new ProviderException(ErrorKind.MALFORMED_RESPONSE, "credit balance out of bounds (more than "
                    + DIGITS_MAX + " whole digits or " + DECIMALS_ROUNDED_MAX + " decimals)", true);
        }
        return credits.scale() > DECIMALS_MAX ? credits.setScale(DECIMALS_MAX, RoundingMode.HALF_UP) : credits;
    }

    /** The last balance read, if any was. */
    Optional<Reading> last() {
        return Optional.ofNullable(last.get());
    }

    /** The kind of the latest read's failure, when it failed (the last reading, if any, is older). */
    Optional<String> failure() {
        return failure.get();
    }

    /**
     * Has the balance read on the asker's thread unless a question is out already; never waits for it.
     *
     * @return the question's end: the one already out, or this one
     */
    CompletableFuture<Void> refresh() {
        CompletableFuture<Void> fresh = new CompletableFuture<>();
        // the update function may run more than once: it only builds the question, this thread asks it
        CompletableFuture<Void> q = asking.updateAndGet(now -> now.isDone() ? fresh : now);
        if (q == fresh) {
            try {
                asker.execute(() -> ask(fresh));
            } catch (RejectedExecutionException e) {
                fresh.complete(null);
            }
        }
        return q;
    }

    /** The latest question's end, without asking one (tests). */
    CompletableFuture<Void> asked() {
        return asking.get();
    }

    private void ask(CompletableFuture<Void> question) {
        try {
            read();
        } catch (ProviderException | RuntimeException e) {
            // kept as the failure shown; the next view asks again
        } finally {
            // an Error too: a question left unanswered would keep every later view from asking until a restart
            question.complete(null);
        }
    }
}
