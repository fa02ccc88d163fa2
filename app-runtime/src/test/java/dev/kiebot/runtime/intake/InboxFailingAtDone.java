package dev.kiebot.runtime.intake;

import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.testing.ForwardingProcessedUpdates;
import java.time.Instant;

/**
 * The real inbox but for marking an update done, the last step inside the handling transaction: a test says in
 * {@link #done} how that step fails (the process dies there, the connection is lost there...), and may call
 * {@link #real} for the steps that should succeed.
 */
abstract class InboxFailingAtDone extends ForwardingProcessedUpdates {
    InboxFailingAtDone(ProcessedUpdates real) {
        super(real);
    }

    @Override
    public abstract void done(long updateId, Instant now);
}
