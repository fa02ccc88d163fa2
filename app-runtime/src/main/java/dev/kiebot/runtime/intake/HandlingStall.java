package dev.kiebot.runtime.intake;

import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.postgres.LockHolder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns once per spell when updates stop moving: the oldest update not handled yet waited more than {@link #AFTER},
 * naming the sessions that hold locks the bot's connections wait for (pid, application, state, transaction start;
 * never a query's text). A lock held by an operator's forgotten transaction stalled every handler, with /readyz and
 * the webhook still answering 200 and no line in the log. Run by the background work's beat ({@code BackgroundWork},
 * once a minute), not a poller of its own; one statement per run, a second only during a stall.
 *
 * <p>/readyz is left alone: a stall is most often an operator's lock or a backlog, which a restart does not end
 * (the lock outlives the instance; the backlog is there again after it), and Render restarting a bot that is healthy
 * but for someone else's transaction would cut off the updates in hand. The gauge
 * {@code kiebot_inbox_oldest_pending_seconds} is there for an alert.
 */
public final class HandlingStall {
    private static final Logger LOG = LoggerFactory.getLogger(HandlingStall.class);
    /** Twice the pool's lock timeout: a handler that waited a whole one and is at it again. */
    public static final Duration AFTER = Duration.ofSeconds(30);

    private final ProcessedUpdates inbox;
    private final Supplier<List<LockHolder>> lockHolders;
    private final Clock clock;
    /** When the spell began (the oldest pending update's arrival), while one goes on. */
    private Optional<Instant> stalledSince = Optional.empty();

    /**
     * @param lockHolders the database's {@code lockHolders}: who holds what the bot's connections wait for
     */
    public HandlingStall(ProcessedUpdates inbox, Supplier<List<LockHolder>> lockHolders, Clock clock) {
        this.inbox = inbox;
        this.lockHolders = lockHolders;
        this.clock = clock;
    }

    /** Looks once: a WARN at the start of a stall, an INFO at its end, nothing in between or otherwise. */
    public synchronized void check() {
        Instant now = clock.instant();
        Optional<Instant> oldest = inbox.oldestPending();
        Duration waited = oldest.map(t -> Duration.between(t, now)).orElse(Duration.ZERO);
        if (waited.compareTo(AFTER) <= 0) {
            stalledSince.ifPresent(since -> LOG.info("updates move again: none has waited more than {} s; the stall "
                    + "began about {} s ago", AFTER.toSeconds(), Duration.between(since, now).toSeconds()));
            stalledSince = Optional.empty();
            return;
        }
        if (stalledSince.isPresent()) {
            return;
        }
        stalledSince = oldest;
        LOG.warn("updates wait: the oldest not handled yet came in {} s ago; {}", waited.toSeconds(), why());
    }

    private String why() {
        List<LockHolder> holders;
        try {
            holders = lockHolders.get();
        } catch (RuntimeException e) {
            return "who holds what they wait for could not be read (" + e.getClass().getSimpleName() + ")";
        }
        if (holders.isEmpty()) {
            return "no session holds a lock the bot's connections wait for: a backlog, handlers failing (see the log "
                    + "above) or the database slow";
        }
        return "the bot's connections wait for locks held by " + holders.stream().map(LockHolder::describe)
                .collect(Collectors.joining(", ")) + "; a forgotten session ends with SELECT pg_terminate_backend(pid)";
    }
}
