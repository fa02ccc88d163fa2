package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.ProviderException;
import java.math.BigDecimal;
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
 */
final class ProviderCredits {
    /** A balance read at {@code at}: empty when the provider has none to read ({@code GenerationProvider.credits}). */
    record Reading(Optional<BigDecimal> credits, Instant at) {
    }

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
     * @throws ProviderException the read failed; kept as the latest failure
     */
    Optional<BigDecimal> read() throws ProviderException {
        try {
            Optional<BigDecimal> credits = provider.credits();
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
