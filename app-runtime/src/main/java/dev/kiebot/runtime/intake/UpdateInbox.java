package dev.kiebot.runtime.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.intake.ArrivedUpdate;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.intake.ReplayHorizon;
import dev.kiebot.core.shop.Upkeep;
import dev.kiebot.telegram.UpdateTranslator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door for raw updates (webhook body or a polled update): records each durably once. Recording is all
 * that happens on the caller's thread, so the webhook answers in milliseconds and a polled offset is confirmed only
 * after this returns. The handlers are woken by the store itself, once the recording has committed
 * ({@code Wakeups} in process, NOTIFY for other instances), not from here: woken before the commit they found
 * nothing.
 *
 * <p>An update dated before core's replay horizon ({@link ReplayHorizon}, by its own date:
 * {@code UpdateTranslator.sentAtOf}, a message's date, an edit's, a membership change's) is refused, not recorded: the
 * store forgets a handled update's id after {@link Upkeep#UPDATE_RETENTION}, and a captured body posted again after
 * that (with the webhook's secret: a leaked proxy log, an old operator's script) was new again and handled a second
 * time. The rule is core's, the one a partner's door applies through {@code Inbox.record}'s dated form; this door adds
 * the count and the WARN.
 */
public final class UpdateInbox {
    /**
     * MALFORMED: not JSON at all. IGNORED: JSON, but not an update the bot can use (no {@code update_id}, fields of
     * the wrong type): answered as accepted, since a refusal only makes Telegram send it again and again. REFUSED: an
     * update whose own date is before {@link ReplayHorizon}, not recorded, answered as accepted too.
     */
    public enum Outcome { RECORDED, DUPLICATE, IGNORED, MALFORMED, REFUSED }

    private static final Logger LOG = LoggerFactory.getLogger(UpdateInbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProcessedUpdates store;
    private final Clock clock;
    private final Counter recorded;
    private final Counter duplicates;
    private final Counter malformed;
    private final Counter ignored;
    private final Counter refused;

    public UpdateInbox(ProcessedUpdates store, Clock clock, MeterRegistry metrics) {
        this.store = store;
        this.clock = clock;
        this.recorded = Counter.builder("kiebot.updates").tag("outcome", "recorded").register(metrics);
        this.duplicates = Counter.builder("kiebot.updates").tag("outcome", "duplicate").register(metrics);
        this.malformed = Counter.builder("kiebot.updates").tag("outcome", "malformed").register(metrics);
        this.ignored = Counter.builder("kiebot.updates").tag("outcome", "ignored").register(metrics);
        this.refused = Counter.builder("kiebot.updates").tag("outcome", "refused").register(metrics);
    }

    public Outcome record(String body) {
        String rawJson = ArrivedUpdate.withoutNul(body);
        Optional<UpdateTranslator.UpdateKey> key = UpdateTranslator.keyOf(rawJson);
        if (key.isEmpty()) {
            return unusable(rawJson);
        }
        if (tooOld(key.get())) {
            return Outcome.REFUSED;
        }
        return recorded(store.record(key.get().updateId(), key.get().chatId(), rawJson, clock.instant()));
    }

    /**
     * A getUpdates batch, recorded with one call of the store (one statement and one commit in PostgreSQL); the
     * handlers are woken once. When it throws, the caller asks Telegram for the whole batch again.
     *
     * @return per body, in order
     */
    public List<Outcome> recordAll(List<String> bodies) {
        List<Outcome> outcomes = new ArrayList<>(Collections.nCopies(bodies.size(), Outcome.IGNORED));
        List<ArrivedUpdate> usable = new ArrayList<>(bodies.size());
        List<Integer> positions = new ArrayList<>(bodies.size());
        for (int i = 0; i < bodies.size(); i++) {
            // ArrivedUpdate keeps the payload withoutNul; the key is read from the body as it came (Telegram's parser
            // takes a NUL in a string), so a usable update is cleaned once, by ArrivedUpdate
            String body = bodies.get(i);
            Optional<UpdateTranslator.UpdateKey> key = UpdateTranslator.keyOf(body);
            if (key.isEmpty()) {
                outcomes.set(i, unusable(ArrivedUpdate.withoutNul(body)));
            } else if (tooOld(key.get())) {
                outcomes.set(i, Outcome.REFUSED);
            } else {
                usable.add(new ArrivedUpdate(key.get().updateId(), key.get().chatId(), body));
                positions.add(i);
            }
        }
        if (usable.isEmpty()) {
            return outcomes;
        }
        List<Boolean> added = store.recordAll(usable, clock.instant());
        for (int j = 0; j < added.size(); j++) {
            outcomes.set(positions.get(j), added.get(j) ? Outcome.RECORDED : Outcome.DUPLICATE);
        }
        long recordedNow = added.stream().filter(Boolean::booleanValue).count();
        recorded.increment((double) recordedNow);
        duplicates.increment((double) (added.size() - recordedNow));
        return outcomes;
    }

    /**
     * Whether the update is dated before {@link ReplayHorizon}: then it is counted and told in one WARN naming it
     * (its chat masked), and not recorded.
     */
    private boolean tooOld(UpdateTranslator.UpdateKey key) {
        Optional<Instant> sentAt = key.sentAt();
        Instant now = clock.instant();
        if (sentAt.isEmpty() || !ReplayHorizon.refuses(sentAt.get(), now)) {
            return false;
        }
        refused.increment();
        LOG.warn("update {} refused, not recorded: dated {}, {} days before it came, and Telegram delivers no update "
                + "older than a day, while the inbox forgets handled ids after {} days (chat {}). A captured update "
                + "posted again (whoever posted it to /telegram holds TELEGRAM_WEBHOOK_SECRET_TOKEN: change it), or this "
                + "machine's clock is days ahead; kiebot_updates_total{outcome=\"refused\"} counts them",
                key.updateId(), sentAt.get(), Duration.between(sentAt.get(), now).toDays(),
                Upkeep.UPDATE_RETENTION.toDays(), Actor.mask(key.chatId()));
        return true;
    }

    private Outcome unusable(String rawJson) {
        if (isJson(rawJson)) {
            ignored.increment();
            return Outcome.IGNORED;
        }
        malformed.increment();
        return Outcome.MALFORMED;
    }

    private Outcome recorded(boolean added) {
        if (!added) {
            duplicates.increment();
            return Outcome.DUPLICATE;
        }
        recorded.increment();
        return Outcome.RECORDED;
    }

    /** Strict JSON (Jackson, with its nesting limit): what a sender who speaks JSON would send. */
    static boolean isJson(String body) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(body);
            return n != null && !n.isMissingNode();
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
