package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.OneLine;
import dev.kiebot.core.text.Texts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model the provider no longer runs: its createTask answered that the model does not exist or is not supported
 * (Kie says so in words, under a 422, a 400, a 404 or a 505; no code of its own names it). Every order of it then
 * fails at the send, and the user was told to change his description, which no description fixes (drill R2). Now the
 * user reads that the model is unavailable ({@link Msg#ERROR_MODEL_WITHDRAWN}), refunded as before, and the admins
 * are told once per model with Kie's words and {@code /pause <model>}.
 *
 * <p>Told, not paused by itself: the model is known gone only from Kie's words, which a user's input may show in too
 * (a validation message quoting a field), and a pause stays until an admin's {@code /resume}: a wrong one would take a
 * working model off sale unseen, where the alert costs each later order a refund until an admin taps the command.
 * Told again after {@link #TOLD_AGAIN} when the model still refuses (nobody paused it), once for every instance (the
 * telling is in the audit trail, {@link AdminAlerts#sendFirst}); a paused model is not told about.
 */
final class WithdrawnModels {
    /** The user's reason of a job whose model the provider no longer runs. */
    static final String REASON = Msg.ERROR_MODEL_WITHDRAWN.key();
    /** An alert of a model still refused so this long after the last is told again. */
    static final Duration TOLD_AGAIN = Duration.ofDays(1);
    /** The most of the provider's words the alert quotes. */
    static final int WORDS_MAX = 200;
    /** The refusals a model's absence comes as: the request's own (400, 422), not found (404), turned off (505). */
    private static final Set<ErrorKind> KINDS = Set.of(ErrorKind.INVALID_INPUT, ErrorKind.NOT_FOUND,
            ErrorKind.FEATURE_DISABLED);
    /**
     * Words naming the model itself as what is missing: «model not supported», «The model does not exist», «model
     * 'veo3' is not available», «unsupported model», «invalid model». At most the model's name between «model» and the
     * words: «model xyz: duration 20 not supported» is a refusal of a value, and so are «invalid model parameters» and a
     * refusal of a prompt or a file, which name no model so.
     */
    private static final Pattern SAYS_MODEL_GONE = Pattern.compile("(?i)\\bmodel\\b(?:\\s*[:=]?\\s*[\"'“]?"
            + "[\\w./:-]+[\"'”]?)?\\s+(?:is\\s+|has\\s+been\\s+|was\\s+|were\\s+)?(?:not\\s+supported"
            + "|not\\s+(?:exist|found|available)|does\\s*n[o']?t\\s+exist|no\\s+longer\\s+\\w+|deprecated"
            + "|discontinued|offline|removed|disabled)\\b|\\b(?:unsupported|unknown|invalid|nonexistent|non-existent)"
            + "\\s+model\\b(?![\\s_-]*(?:param|input|field|option|setting|value|config))");

    private final Stores stores;
    private final Catalog catalog;
    private final ShopSettings settings;
    private final Texts texts;
    private final Outbox outbox;
    private final Clock clock;

    WithdrawnModels(Stores stores, Catalog catalog, ShopSettings settings, Texts texts, Outbox outbox, Clock clock) {
        this.stores = stores;
        this.catalog = catalog;
        this.settings = settings;
        this.texts = texts;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * Whether the provider's refusal of {@code job}'s createTask says the model itself is gone. Words the user wrote
     * himself do not: Kie's refusal may quote his prompt («Invalid prompt "…this model is not supported…"»), and he
     * would read that the model is gone instead of changing his description, with an alert quoting him to the admins.
     */
    static boolean saidBy(ProviderException e, Job job) {
        if (!KINDS.contains(e.kind()) || e.getMessage() == null) {
            return false;
        }
        Matcher words = SAYS_MODEL_GONE.matcher(e.getMessage());
        while (words.find()) {
            String said = words.group().toLowerCase(Locale.ROOT);
            if (job.values().values().stream().noneMatch(v -> v.toLowerCase(Locale.ROOT).contains(said))) {
                return true;
            }
        }
        return false;
    }

    /**
     * In the transaction that failed {@code job} for {@link #REASON}: the admins told, unless this model was told of
     * within {@link #TOLD_AGAIN} or is paused.
     *
     * @param said the provider's words
     */
    void failed(Job job, String said) {
        String id = job.modelId();
        Optional<Model> model = catalog.model(id);
        if (model.isEmpty() || stores.pausedModels().paused(id)) {
            return;
        }
        // Kie's words, without the kind our adapter puts before them
        String line = OneLine.of(said.replaceFirst("^[A-Z_]+: ", "")).strip();
        String words = line.length() > WORDS_MAX ? line.substring(0, WORDS_MAX) + "…" : line;
        Instant now = clock.instant();
        AuditEvent telling = new AuditEvent(now, "system", AdminAlerts.MODEL_WITHDRAWN, job.id().display() + ": "
                + words, Optional.of("alert:model-withdrawn:" + id));
        AdminAlerts.sendFirst(stores, settings, outbox, telling, now.minus(TOLD_AGAIN), lang -> texts.get(lang,
                Msg.ADMIN_ALERT_MODEL_WITHDRAWN, model.get().title(lang), id, words, job.id().display()));
    }
}
