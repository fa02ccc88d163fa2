package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The provider failing every model's calls at once (5xx, no answer in time, the connection refused, maintenance): one
 * alert «Kie не отвечает» for the spell, with the models met, since when, and the jobs waiting and failed, and one
 * all-clear when Kie answers again. Before, while Kie was down for everyone, each model that reached its five failures
 * told the admins on its own ({@link ModelFailures}), one alert per model for one outage, none of them saying it was
 * Kie's, each with a {@code /pause} that could not help (drill R2).
 *
 * <p>A spell is what failed since Kie last answered (a createTask taken, a status read answered, whatever the state):
 * calls of {@link #JOBS_AT_LEAST} jobs or more, of {@link #MODELS_AT_LEAST} models or more and more than one user, with
 * no answer between, are Kie down. A model failing while others work never gathers it (their answers end the row), and
 * stays {@link ModelFailures}'s to tell; more than one user, because Kie answers some refusals of a user's input with a
 * 500, and one user alone must not have Kie reported down. While the spell is told, {@link ModelFailures} neither tells
 * nor counts: its failures are Kie's, not a model's, and a row gathered then would tell of a model right after the
 * all-clear. Once for every instance, as the refusals of the shop's account are ({@link Generations#providerRefused}):
 * a spell another instance told since the last all-clear (within {@link #TOLD_AGAIN}) is not told again, and the first
 * instance to hear Kie again tells the all-clear. Kie answering now and then is one pair of alerts, not one a flap
 * ({@link #FLAPPING}). Counted per process (a restart counts anew). Thread-safe.
 */
final class ProviderDown {
    /** The failures that are the provider's as a whole, not a model's nor a request's. */
    static final Set<ErrorKind> KINDS = EnumSet.of(ErrorKind.SERVER, ErrorKind.TIMEOUT, ErrorKind.CONNECT,
            ErrorKind.MALFORMED_RESPONSE, ErrorKind.MAINTENANCE);
    /** Jobs whose calls failed with no answer between: fewer is a bad moment. */
    static final int JOBS_AT_LEAST = 3;
    /** Models among them: one alone is {@link ModelFailures}'s. */
    static final int MODELS_AT_LEAST = 2;
    /**
     * After an all-clear, for this long (and as long as Kie keeps failing and answering in turn within it), Kie is
     * flapping: a spell is told only once it has lasted {@link #AFTER_FLAPPING_AT_LEAST}. Each answer ended a spell
     * with its all-clear before, and the next three failures told it again: a pair of alerts for every flap.
     */
    static final Duration FLAPPING = Duration.ofHours(1);
    /** How long a spell must last to be told while Kie is {@link #FLAPPING}. */
    static final Duration AFTER_FLAPPING_AT_LEAST = Duration.ofMinutes(10);
    /**
     * A spell not told whose last failure is this old is forgotten: failures hours apart with no call between (a quiet
     * bot; one user's input Kie refuses with a 500 in the morning, another's failure in the evening) are no outage.
     * In one, the running jobs' reads fail every few seconds.
     */
    static final Duration QUIET_ENDS_SPELL = Duration.ofMinutes(10);
    /** A spell told this long ago and never given its all-clear (its instance gone) is told again. */
    static final Duration TOLD_AGAIN = Duration.ofHours(6);
    /** The most jobs a spell keeps (far more than run at once): the rest are counted as jobs, not looked up. */
    static final int JOBS_KEPT = 1_000;
    /** The most models the alert names; the rest as «…». */
    static final int MODELS_NAMED = 5;
    private static final String OCCASION = "alert:kie-down";
    private static final Duration MICROSECOND = Duration.ofNanos(1_000);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final Stores stores;
    private final Catalog catalog;
    private final ShopSettings settings;
    private final Texts texts;
    private final Outbox outbox;
    private final Clock clock;
    /** What failed since Kie last answered; none then. Guarded by this, read without the lock for the common case. */
    private volatile Spell spell;
    /** How many spells this process marked told: {@link ModelFailures} forgets the rows gathered before each. */
    private final java.util.concurrent.atomic.AtomicLong spellsTold = new java.util.concurrent.atomic.AtomicLong();
    /** Until when Kie is {@link #FLAPPING}: an hour after an all-clear or a spell held back since. Guarded by this. */
    private Instant flappingUntil = Instant.MIN;

    /** Calls failed with no answer between: their jobs (model), users, since when; whether the admins were told. */
    private static final class Spell {
        final Instant since;
        final Map<JobId, String> jobs = new LinkedHashMap<>();
        final Set<String> models = new HashSet<>();
        final Set<Long> users = new HashSet<>();
        volatile boolean told;
        /** Whether it is Kie down by its calls, not told for Kie flapping; written under ProviderDown's lock. */
        volatile boolean heldBack;
        /** When its last call failed; guarded by ProviderDown.this. */
        Instant last;

        Spell(Instant since) {
            this.since = since;
        }
    }

    ProviderDown(Stores stores, Catalog catalog, ShopSettings settings, Texts texts, Outbox outbox, Clock clock) {
        this.stores = stores;
        this.catalog = catalog;
        this.settings = settings;
        this.texts = texts;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Whether the admins were told Kie is down and it has not answered since: a model's failures are not its own. */
    boolean told() {
        Spell s = spell;
        return s != null && s.told;
    }

    /**
     * Whether the failures now are Kie's, not a model's: a spell told, or one held back for Kie flapping
     * ({@link #FLAPPING}); {@link ModelFailures} counts none of them.
     */
    boolean kiesOwn() {
        Spell s = spell;
        return s != null && (s.told || s.heldBack);
    }

    /** How many spells were told so far (by this process, or found told by another): a new one forgets the rows. */
    long spellsTold() {
        return spellsTold.get();
    }

    /** A call for {@code job} failed with {@code kind} (a createTask, a status read); out of any transaction. */
    void failed(Job job, ErrorKind kind) {
        if (!KINDS.contains(kind)) {
            return;
        }
        Spell s;
        Instant now = clock.instant();
        synchronized (this) {
            s = spell;
            if (s != null && !s.told && !s.heldBack && Duration.between(s.last, now).compareTo(QUIET_ENDS_SPELL) > 0) {
                s = null; // no call between, hours apart on a quiet bot: no outage
            }
            if (s == null) {
                s = new Spell(now);
                spell = s;
            }
            s.last = now;
            if (s.jobs.size() < JOBS_KEPT) {
                s.jobs.put(job.id(), job.modelId());
            }
            s.models.add(job.modelId());
            s.users.add(job.userId());
            if (s.told || s.jobs.size() < JOBS_AT_LEAST || s.models.size() < MODELS_AT_LEAST || s.users.size() < 2) {
                return;
            }
            if (now.isBefore(flappingUntil) && Duration.between(s.since, now).compareTo(AFTER_FLAPPING_AT_LEAST) < 0) {
                if (!s.heldBack) {
                    s.heldBack = true;
                    spellsTold.incrementAndGet(); // Kie's all the same: no model's row
                }
                return;
            }
            s.told = true; // this thread tells; a failure of the telling opens it again
        }
        spellsTold.incrementAndGet();
        try {
            tell(s);
        } catch (RuntimeException e) {
            s.told = false;
            throw e;
        }
    }

    private void tell(Spell s) {
        Instant now = clock.instant();
        String time = TIME.format(s.since.atZone(settings.zone()));
        stores.transactions().inOne(() -> {
            Counts counts = counts(s);
            // told since the last all-clear (by any instance): the same outage; a telling never closed keeps it told
            // for TOLD_AGAIN at most
            Instant floor = now.minus(TOLD_AGAIN);
            Instant since = stores.audit().lastByCorrelation(OCCASION)
                    .filter(e -> e.action().equals(AdminAlerts.KIE_BACK))
                    .map(e -> e.at().plus(MICROSECOND)).filter(floor::isBefore).orElse(floor);
            AuditEvent telling = new AuditEvent(now, "system", AdminAlerts.KIE_DOWN, "since " + s.since + ", models "
                    + String.join(" ", s.models) + ", " + counts.waiting() + " waiting, " + counts.failed()
                    + " failed", Optional.of(OCCASION));
            AdminAlerts.sendFirst(stores, settings, outbox, telling, since, lang -> texts.get(lang,
                    Msg.ADMIN_ALERT_KIE_DOWN, time, s.models.size(), named(s, lang), counts.waiting(),
                    counts.failed()));
            return null;
        });
    }

    /** Kie answered a call: a spell is over, and one told ends with the all-clear, once for every instance. */
    void answered() {
        if (spell == null) {
            return; // the common case, without the lock
        }
        Spell s;
        Instant now = clock.instant();
        synchronized (this) {
            s = spell;
            spell = null;
            if (s != null && (s.told || (s.heldBack && now.isBefore(flappingUntil)))) {
                flappingUntil = now.plus(FLAPPING);
            }
        }
        if (s == null || !s.told) {
            return;
        }
        long minutes = Math.max(1, Duration.between(s.since, now).plusSeconds(59).toMinutes());
        stores.transactions().inOne(() -> {
            stores.audit().lastByCorrelation(OCCASION).filter(e -> e.action().equals(AdminAlerts.KIE_DOWN))
                    .ifPresent(told -> {
                        Counts counts = counts(s);
                        AdminAlerts.sendFirst(stores, settings, outbox, new AuditEvent(now, "system",
                                AdminAlerts.KIE_BACK, minutes + " minutes, " + counts.failed() + " failed",
                                Optional.of(OCCASION)), told.at().plus(MICROSECOND),
                                lang -> texts.get(lang, Msg.ADMIN_ALERT_KIE_BACK, minutes, counts.failed()));
                    });
            return null;
        });
    }

    /** The jobs of a spell still waiting for Kie, and those failed (refunded). */
    private record Counts(int waiting, int failed) {
    }

    private Counts counts(Spell s) {
        Set<JobId> ids;
        synchronized (this) {
            ids = Set.copyOf(s.jobs.keySet());
        }
        int waiting = 0;
        int failed = 0;
        for (JobId id : ids) {
            Optional<JobState> state = stores.jobs().find(id).map(Job::state);
            if (state.filter(st -> st == JobState.FAILED).isPresent()) {
                failed++;
            } else if (state.filter(st -> !st.isTerminal() && st != JobState.SUCCEEDED).isPresent()) {
                waiting++;
            }
        }
        return new Counts(waiting, failed);
    }

    /** The spell's models by their titles, at most {@link #MODELS_NAMED}. */
    private String named(Spell s, String lang) {
        Set<String> models;
        synchronized (this) {
            models = Set.copyOf(s.models);
        }
        String titles = models.stream().sorted().limit(MODELS_NAMED)
                .map(id -> catalog.model(id).map(m -> quoted(m.title(lang), lang)).orElse(id))
                .collect(Collectors.joining(", "));
        return models.size() > MODELS_NAMED ? titles + ", …" : titles;
    }

    private static String quoted(String title, String lang) {
        return lang.equals("ru") ? "«" + title + "»" : "“" + title + "”";
    }
}
