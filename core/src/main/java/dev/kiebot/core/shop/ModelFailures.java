package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model that keeps failing at the provider, whoever orders it: each user is refunded and told to try again, so
 * nothing else shows the operator that a model is down at Kie while every user who tries it waits and fails. After
 * {@link #IN_A_ROW} such failures without a success between them the admins are told once, with the commands that
 * take it off sale and back; a success of the model starts the count again. Failures the user's own input caused
 * (a refused prompt, a clip too long) or an admin's stop do not count, nor do those of a model already paused.
 * Counted by this process (a restart counts anew); at most one entry per model of the catalog.
 */
final class ModelFailures {
    /** Failures in a row that tell the admins: fewer is a bad moment, not a model down. */
    static final int IN_A_ROW = 5;
    /** The reasons that are the provider's: busy, down, failed, too slow. */
    private static final Set<String> PROVIDER_SIDE = Set.of("error.provider_failed", "error.provider_unavailable",
            "error.provider_busy", "error.provider_timeout");

    private final Stores stores;
    private final Catalog catalog;
    private final ShopSettings settings;
    private final Texts texts;
    private final Outbox outbox;
    private final Map<String, Integer> inARow = new ConcurrentHashMap<>();
    /** Models the admins were told of since their last success. */
    private final Set<String> told = ConcurrentHashMap.newKeySet();

    ModelFailures(Stores stores, Catalog catalog, ShopSettings settings, Texts texts, Outbox outbox) {
        this.stores = stores;
        this.catalog = catalog;
        this.settings = settings;
        this.texts = texts;
        this.outbox = outbox;
    }

    /** In the transaction that failed {@code job} for {@code reasonKey}; counted once it commits. */
    void failed(Job job, String reasonKey) {
        Optional<Model> model = catalog.model(job.modelId());
        if (!PROVIDER_SIDE.contains(reasonKey) || model.isEmpty()) {
            return;
        }
        String id = job.modelId();
        int failures = inARow.getOrDefault(id, 0) + 1;
        // two failures committing at the same moment may both tell: one repeated alert, never a missed one
        if (failures >= IN_A_ROW && !told.contains(id) && !stores.pausedModels().all().containsKey(id)) {
            AdminAlerts.send(stores, settings, outbox, lang -> texts.get(lang, Msg.ADMIN_ALERT_MODEL_FAILING,
                    model.get().title(lang), failures, job.id().display(), id));
            stores.transactions().afterCommit(() -> told.add(id));
        }
        stores.transactions().afterCommit(() -> inARow.merge(id, 1, Integer::sum));
    }

    /** In the transaction that completed {@code job}: its model works, the count starts again once it commits. */
    void succeeded(Job job) {
        stores.transactions().afterCommit(() -> {
            inARow.remove(job.modelId());
            told.remove(job.modelId());
        });
    }
}
