package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code /pause <words>} and {@code /resume <words>}: an admin takes a model off sale for a while (the provider fails
 * it, or sells it at a loss) and puts it back; {@code /pause} alone lists the paused ones. The words name one model: its
 * id, or a part of its id or title that only it has; more than one match is listed for the admin to pick. A paused
 * model's card says so and takes no order ({@code Generations.start} refuses it: nothing is held). {@code /pause all}
 * ({@code /pause все}) pauses every model at once, for a provider's outage or a move, and {@code /resume all} puts
 * every paused one back.
 */
final class AdminPauses {
    /** Models listed when the words match several. */
    static final int CANDIDATES_MAX = 10;
    /** The words that name every model at once (a provider's outage, a move): English's and Russian's. */
    private static final java.util.Set<String> ALL = java.util.Set.of("all", "все", "всё");

    /**
     * The end of a {@code model.paused} audit line of a {@code /pause all}: {@code /resume all} resumes those only
     * (kept in the audit trail, no column: a pause of a build before reads as a model's own, and stays).
     */
    static final String BY_ALL = " (/pause all)";
    private final Stores stores;
    private final Catalog catalog;
    private final Texts texts;
    private final Clock clock;

    AdminPauses(Stores stores, Catalog catalog, Texts texts, Clock clock) {
        this.stores = stores;
        this.catalog = catalog;
        this.texts = texts;
        this.clock = clock;
    }

    String pause(User admin, String lang, String words) {
        if (words.isBlank()) {
            return list(lang);
        }
        if (ALL.contains(words.strip().toLowerCase(Locale.ROOT))) {
            int paused = 0;
            for (Model m : catalog.models()) {
                if (stores.pausedModels().pause(m.id(), clock.instant())) {
                    audit(admin, "model.paused", m.id(), m.id() + BY_ALL);
                    paused++;
                }
            }
            return texts.get(lang, Msg.PAUSE_ALL_DONE, catalog.models().size(), paused);
        }
        return named(words).map(m -> {
            if (!stores.pausedModels().pause(m.id(), clock.instant())) {
                return texts.get(lang, Msg.PAUSE_ALREADY, m.title(lang), m.id());
            }
            audit(admin, "model.paused", m.id());
            return texts.get(lang, Msg.PAUSE_DONE, m.title(lang), m.id());
        }).orElseGet(() -> unclear(lang, words));
    }

    String resume(User admin, String lang, String words) {
        if (words.isBlank()) {
            return texts.get(lang, Msg.ADMIN_USAGE, texts.get(lang, Msg.USAGE_PAUSE));
        }
        if (ALL.contains(words.strip().toLowerCase(Locale.ROOT))) {
            // only what /pause all paused: a model paused on its own before (failing, sold at a loss) stays paused
            int resumed = 0;
            List<String> kept = new ArrayList<>();
            for (String id : stores.pausedModels().all().keySet()) {
                if (!pausedByAll(id)) {
                    kept.add(catalog.model(id).map(m -> m.title(lang) + " · " + id).orElse(id));
                } else if (stores.pausedModels().resume(id)) {
                    audit(admin, "model.resumed", id);
                    resumed++;
                }
            }
            return texts.get(lang, Msg.RESUME_ALL_DONE, resumed) + (kept.isEmpty() ? ""
                    : texts.get(lang, Msg.RESUME_ALL_KEPT, String.join("\n", kept)));
        }
        return named(words).map(m -> {
            if (!stores.pausedModels().resume(m.id())) {
                return texts.get(lang, Msg.RESUME_NOT_PAUSED, m.title(lang));
            }
            audit(admin, "model.resumed", m.id());
            return texts.get(lang, Msg.RESUME_DONE, m.title(lang));
        }).orElseGet(() -> {
            // a model paused and then dropped from the catalog: its id still takes it off the list
            String id = words.strip();
            if (stores.pausedModels().all().containsKey(id) && stores.pausedModels().resume(id)) {
                audit(admin, "model.resumed", id);
                return texts.get(lang, Msg.RESUME_DONE, id);
            }
            return unclear(lang, words);
        });
    }

    private String list(String lang) {
        List<String> paused = stores.pausedModels().all().keySet().stream()
                .map(id -> catalog.model(id).map(m -> m.title(lang) + " · " + id).orElse(id)).toList();
        return paused.isEmpty() ? texts.get(lang, Msg.PAUSE_NONE)
                : texts.get(lang, Msg.PAUSE_LIST, String.join("\n", paused));
    }

    /** The one model the words name: its id exactly, else the only model whose id or title holds them. */
    private Optional<Model> named(String words) {
        String q = words.strip().toLowerCase(Locale.ROOT);
        Optional<Model> exact = catalog.models().stream().filter(m -> m.id().equalsIgnoreCase(q)).findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        List<Model> found = catalog.search(q);
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }

    /** None or several models match: say so, listing the candidates by id (the words that name each for sure). */
    private String unclear(String lang, String words) {
        List<Model> found = catalog.search(words);
        if (found.isEmpty()) {
            return texts.get(lang, Msg.LINK_NONE, words.strip());
        }
        String candidates = found.stream().limit(CANDIDATES_MAX).map(m -> m.title(lang) + " · " + m.id())
                .collect(Collectors.joining("\n"));
        if (found.size() > CANDIDATES_MAX) {
            candidates += "\n" + texts.get(lang, Msg.LINK_MORE, found.size() - CANDIDATES_MAX);
        }
        return texts.get(lang, Msg.PAUSE_UNKNOWN, words.strip(), candidates);
    }

    /** Whether the model's latest pause was a {@code /pause all}'s (its audit line says so), not one of its own. */
    private boolean pausedByAll(String modelId) {
        List<AuditEvent> pauses = stores.audit().byCorrelation(modelId).stream()
                .filter(e -> e.action().equals("model.paused")).toList();
        return !pauses.isEmpty() && pauses.get(pauses.size() - 1).detail().endsWith(BY_ALL);
    }

    private void audit(User admin, String action, String modelId) {
        audit(admin, action, modelId, modelId);
    }

    private void audit(User admin, String action, String modelId, String detail) {
        stores.audit().record(new AuditEvent(clock.instant(), "admin:" + Actor.mask(admin.id()), action, detail,
                Optional.of(modelId)));
    }
}
