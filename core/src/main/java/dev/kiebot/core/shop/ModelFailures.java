package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model that keeps failing at the provider, whoever orders it: each user is refunded and told to try again, so
 * nothing else shows the operator that a model is down at Kie while every user who tries it waits and fails. After
 * {@link #IN_A_ROW} such failures without a success between them, of more than one user, the admins are told once,
 * with the commands that take it off sale and back; a success of the model starts the count again. Failures the
 * user's own input caused (a refused prompt, a clip too long) or an admin's stop do not count, nor do those of a model
 * already paused. Two instances on one database count their own rows, and the first to reach it tells for both (the
 * telling is in the audit trail, {@link AdminAlerts#sendFirst}): the other tells nothing until it sees a success of
 * the model and a new row. One user's failures alone never tell: Kie reports some refusals of a user's input as its own
 * failure (a {@code fail} state without a code, a 500), and anyone could otherwise have the admins told that a working
 * model is down, free of charge, with the command to pause it. Counted by this process (a restart counts anew); at
 * most one entry per model of the catalog.
 */
final class ModelFailures {
    /** Failures in a row that tell the admins: fewer is a bad moment, not a model down. */
    static final int IN_A_ROW = 5;
    /**
     * A telling older than this does not keep another instance's row from telling: the audit trail is kept a month,
     * and an instance started after a model's last success it did not see would otherwise never tell of it.
     */
    static final Duration ROW_AT_MOST = Duration.ofHours(6);
    /** The precision of a stored audit event's time. */
    private static final Duration MICROSECOND = Duration.ofNanos(1_000);
    /** The reasons that are the provider's: busy, down, failed, too slow. */
    private static final Set<String> PROVIDER_SIDE = Set.of("error.provider_failed", "error.provider_server",
            "error.provider_unavailable", "error.provider_busy", "error.provider_timeout");

    private final Stores stores;
    private final Catalog catalog;
    private final ShopSettings settings;
    private final Texts texts;
    private final Outbox outbox;
    private final Clock clock;
    /** When this process last saw each model succeed: a telling before it was of an earlier row. */
    private final Map<String, Instant> succeededAt = new ConcurrentHashMap<>();
    private final Map<String, Row> inARow = new ConcurrentHashMap<>();
    /** Models the admins were told of since their last success. */
    private final Set<String> told = ConcurrentHashMap.newKeySet();
    /**
     * The most jobs kept as {@link #countedWhileWaiting}: far more than wait for a callback at once. A job past it is
     * not kept, and counts again when it fails at its deadline: a failure counted twice, not a map without end.
     */
    static final int WAITING_KEPT_MAX = 1_000;
    /**
     * How long past its deadline a job is kept as counted: the worker fails it at the deadline, within minutes. One
     * still kept later was ended elsewhere (another instance on the same database, or an admin's refund) without a
     * word to this process, and would stay for good.
     */
    static final Duration WAITING_KEPT_PAST_DEADLINE = Duration.ofHours(1);
    /**
     * Jobs counted when they began to wait for the provider's callback ({@link #unanswered}), until they end, with
     * their deadlines: at most {@link #WAITING_KEPT_MAX}, none kept {@link #WAITING_KEPT_PAST_DEADLINE} past its
     * deadline.
     */
    private final Map<JobId, Instant> countedWhileWaiting = new ConcurrentHashMap<>();

    /** Kie down for every model ({@link ProviderDown}): its failures are not a model's. */
    private final ProviderDown down;
    /** The spells of Kie down this process saw told: a row gathered before the last of them was Kie's. */
    private final java.util.concurrent.atomic.AtomicLong spellsSeen = new java.util.concurrent.atomic.AtomicLong();

    ModelFailures(Stores stores, Catalog catalog, ShopSettings settings, Texts texts, Outbox outbox, Clock clock) {
        this(stores, catalog, settings, texts, outbox, clock,
                new ProviderDown(stores, catalog, settings, texts, outbox, clock));
    }

    ModelFailures(Stores stores, Catalog catalog, ShopSettings settings, Texts texts, Outbox outbox, Clock clock,
                  ProviderDown down) {
        this.down = down;
        this.clock = clock;
        this.stores = stores;
        this.catalog = catalog;
        this.settings = settings;
        this.texts = texts;
        this.outbox = outbox;
    }

    /**
     * In the transaction that made {@code job} wait for the provider's callback after a createTask it did not answer
     * ({@link CallbackRescue#awaitCallback}): counted as the provider's timeout now, not at the job's deadline, up to
     * half an hour later, so that a provider hanging on every createTask is told as its users' jobs start waiting; the
     * job's own failure at the deadline then counts nothing more. Per process, as the row is: after a restart the
     * deadline's failure counts it again.
     */
    void unanswered(Job job) {
        count(job, "error.provider_timeout", Msg.ADMIN_ALERT_MODEL_UNANSWERED);
        stores.transactions().afterCommit(() -> keepCounted(job));
    }

    private void keepCounted(Job job) {
        Instant forgotten = clock.instant().minus(WAITING_KEPT_PAST_DEADLINE);
        countedWhileWaiting.values().removeIf(deadline -> deadline.isBefore(forgotten));
        if (countedWhileWaiting.size() < WAITING_KEPT_MAX) {
            countedWhileWaiting.put(job.id(), job.deadline());
        }
    }

    /** In the transaction that failed {@code job} for {@code reasonKey}; counted once it commits. */
    void failed(Job job, String reasonKey) {
        count(job, reasonKey, Msg.ADMIN_ALERT_MODEL_FAILING);
    }

    /** {@code alert}: what the admins read when this job ends a row, it failed or still waiting for the provider. */
    private void count(Job job, String reasonKey, Msg alert) {
        boolean countedBefore = countedWhileWaiting.containsKey(job.id());
        // whatever its end, once it is the end: a rolled-back failure leaves the job waiting, still counted
        stores.transactions().afterCommit(() -> countedWhileWaiting.remove(job.id()));
        Optional<Model> model = catalog.model(job.modelId());
        if (!PROVIDER_SIDE.contains(reasonKey) || model.isEmpty() || countedBefore) {
            return;
        }
        // Kie down for every model: told once as such (ProviderDown), not a model's row; the rows gathered before it
        // were Kie's too, and would tell of a model right after the all-clear
        long spells = down.spellsTold();
        if (spellsSeen.getAndSet(spells) != spells) {
            inARow.clear();
        }
        if (down.kiesOwn()) {
            return;
        }
        String id = job.modelId();
        Row row = Row.after(inARow.get(id), job.userId());
        // two failures committing at the same moment: the audit trail's occasion lets one of them tell
        if (row.failures() >= IN_A_ROW && row.ofOthers() && !told.contains(id)
                && !stores.pausedModels().all().containsKey(id)) {
            Instant now = clock.instant();
            Instant rowSince = succeededAt.getOrDefault(id, Instant.EPOCH).plus(MICROSECOND);
            Instant since = rowSince.isAfter(now.minus(ROW_AT_MOST)) ? rowSince : now.minus(ROW_AT_MOST);
            AuditEvent telling = new AuditEvent(now, "system", AdminAlerts.MODEL_FAILING,
                    row.failures() + " failures in a row, the last " + job.id().display(),
                    Optional.of("alert:model-failing:" + id));
            // told by another instance within the row: this one is told too, and says nothing till a new row
            AdminAlerts.sendFirst(stores, settings, outbox, telling, since, lang -> texts.get(lang,
                    alert, model.get().title(lang), row.failures(), job.id().display(), id));
            stores.transactions().afterCommit(() -> told.add(id));
        }
        stores.transactions().afterCommit(() -> inARow.compute(id, (m, now) -> Row.after(now, job.userId())));
    }

    /**
     * A model's failures since its last success, and whether they are more than one user's.
     *
     * @param firstUser the user of the first failure of the row
     * @param ofOthers  whether another user's failure is in the row too
     */
    private record Row(int failures, long firstUser, boolean ofOthers) {
        /** {@code row} (none before the first failure) with one more failure of {@code userId}. */
        static Row after(Row row, long userId) {
            return row == null ? new Row(1, userId, false)
                    : new Row(row.failures + 1, row.firstUser, row.ofOthers || row.firstUser != userId);
        }
    }

    /** The failures of {@code modelId}'s row as this process counted them (tests). */
    int inARow(String modelId) {
        Row row = inARow.get(modelId);
        return row == null ? 0 : row.failures();
    }

    /** How many jobs are kept as counted while they wait (tests). */
    int countedWhileWaiting() {
        return countedWhileWaiting.size();
    }

    /** In the transaction that completed {@code job}: its model works, the count starts again once it commits. */
    void succeeded(Job job) {
        Instant now = clock.instant();
        stores.transactions().afterCommit(() -> {
            countedWhileWaiting.remove(job.id());
            inARow.remove(job.modelId());
            told.remove(job.modelId());
            succeededAt.put(job.modelId(), now);
        });
    }
}
