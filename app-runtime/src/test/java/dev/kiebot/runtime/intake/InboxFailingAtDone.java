package dev.kiebot.runtime.intake;

import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import java.time.Instant;
import java.util.Optional;

/**
 * The real inbox but for marking an update done, the last step inside the handling transaction: a test says in
 * {@link #done} how that step fails (the process dies there, the connection is lost there...), and may call
 * {@link #real} for the steps that should succeed.
 */
abstract class InboxFailingAtDone implements ProcessedUpdates {
    protected final ProcessedUpdates real;

    InboxFailingAtDone(ProcessedUpdates real) {
        this.real = real;
    }

    @Override
    public abstract void done(long updateId, Instant now);

    @Override
    public boolean record(long updateId, long chatId, String payload, Instant now) {
        return real.record(updateId, chatId, payload, now);
    }

    @Override
    public Optional<PendingUpdate> claimNext() {
        return real.claimNext();
    }

    @Override
    public Optional<PendingUpdate> reclaim(long updateId) {
        return real.reclaim(updateId);
    }

    @Override
    public int purge(Instant cutoff) {
        return real.purge(cutoff);
    }
}
