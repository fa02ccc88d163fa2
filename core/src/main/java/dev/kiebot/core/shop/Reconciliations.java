package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.jobs.Job;
import java.time.Clock;
import java.util.Optional;

/**
 * The operator's list of tasks to settle with Kie by hand: a task Kie may have made, and charged the shop for, that
 * the shop refunded or never stored, or one it reported done with nothing to deliver. Each is a {@code RECONCILE}
 * log line and a {@code gen.reconcile} audit event (which /find shows), with the task's id where the worker knows it.
 * One class because every step of the worker finds such tasks, and the operator looks for them in one form.
 */
final class Reconciliations {
    private static final System.Logger LOG = System.getLogger(JobWorker.class.getName());

    private final Stores stores;
    private final Clock clock;

    Reconciliations(Stores stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
    }

    void reconcile(Job job, String what) {
        reconcile(job, what, System.Logger.Level.WARNING, "");
    }

    /**
     * {@link #reconcile(Job, String)} with its line at {@code level} and {@code advice} after {@code what} in the line
     * only (the audit event keeps the note alone, which /find puts in words): one of a spell the operator was told of
     * at WARN already is DEBUG ({@link UnansweredCreates}).
     */
    void reconcile(Job job, String what, System.Logger.Level level, String advice) {
        LOG.log(level, "{0}: RECONCILE {1}{2}", job.id().display(), what, advice);
        stores.audit().record(new AuditEvent(clock.instant(), "system", "gen.reconcile", what,
                Optional.of(job.id().display())));
    }
}
