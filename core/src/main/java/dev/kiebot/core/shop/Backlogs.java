package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Work that stops without a word: users' messages nobody handles (the handlers' threads held, an update that keeps
 * failing first in its chat's line) — the bot seems dead to them —, replies that do not leave the outbox (Telegram unreachable, the senders stuck) — a
 * user paid and got nothing —, and generations nobody checks (the job worker's threads held, Kie hanging on every
 * call) — results not delivered, money held past the deadline and not given back —, while updates are handled and
 * the bot looks well. A runner's gauge shows it to whoever scrapes it; a shop run by one person at night has nobody
 * looking. So the admins are told once when the oldest waiting item has waited longer than its backlog's limit, and
 * once when the backlog is gone (nothing waits longer than {@link #CAUGHT_UP}): the first message wakes the operator,
 * the second lets him go back to sleep. Both tellings are in the audit trail (through {@link AdminAlerts#sendFirst}),
 * so two instances on one database tell once, and a restart does not tell again. Run by {@link Upkeep} every
 * {@link Upkeep#BACKLOGS_EVERY}; {@link #behind()} is also the admin's own screen's line.
 */
final class Backlogs {
    /**
     * How old the oldest waiting reply is when the admins are told: longer than {@code ReplySender.LEASE} (10 min), for
     * which a chat whose sender died mid-send waits on a shared database, and than a long upload or Telegram's
     * {@code retry_after}; far shorter than a night.
     */
    static final Duration REPLIES_LATE = Duration.ofMinutes(15);
    /**
     * How old the oldest update not handled yet is when the admins are told: an update is handled within seconds
     * of its arrival, and one that keeps failing is given up with an apology after a few tries; ten minutes is a
     * handling that has stopped (a database outage longer than that is told by the database's own errors).
     */
    static final Duration UPDATES_LATE = Duration.ofMinutes(10);
    /**
     * How late the earliest due check of a generation is when the admins are told: longer than
     * {@link JobWorker#SUBMIT_WINDOW} (5 min), for which one step may wait on Kie's answer to a createTask.
     */
    static final Duration JOBS_LATE = Duration.ofMinutes(10);
    /** A backlog is gone when its oldest item has waited less than this: a busy minute is no stuck queue. */
    static final Duration CAUGHT_UP = Duration.ofMinutes(1);
    /** The precision of a stored audit event's time: an occasion opens just after the event that closed the last. */
    private static final Duration MICROSECOND = Duration.ofNanos(1_000);

    /**
     * One queue watched.
     *
     * @param occasion       the correlation id of its tellings ({@code /find} lists them)
     * @param oldest         since when its oldest item waits, if any waits
     * @param waiting        the clock {@code oldest} is read on
     * @param late           how long the oldest item waits when the admins are told
     * @param lateAction     the audit action of the alert
     * @param lateText       the alert, taking the minutes waited
     * @param caughtUpAction the audit action of the all-clear
     * @param caughtUpText   the all-clear
     */
    private record Backlog(String occasion, Supplier<Optional<Instant>> oldest, Clock waiting, Duration late,
                           String lateAction, Msg lateText, String caughtUpAction, Msg caughtUpText) {
    }

    private final Stores stores;
    private final ShopSettings settings;
    private final Texts texts;
    private final Clock clock;
    private final Outbox outbox;
    private final Backlog updates;
    private final Backlog replies;
    private final Backlog checks;
    private final List<Backlog> watched;

    /** @param pacingClock the clock the outbox stamps a queued reply with ({@code Shop.Builder.pacingClock}) */
    Backlogs(Stores stores, ShopSettings settings, Texts texts, Clock clock, Clock pacingClock, Outbox outbox) {
        this.stores = stores;
        this.settings = settings;
        this.texts = texts;
        this.clock = clock;
        this.outbox = outbox;
        this.updates = new Backlog("alert:updates", stores.processedUpdates()::oldestPending, clock,
                UPDATES_LATE, AdminAlerts.UPDATES_STUCK, Msg.ADMIN_ALERT_UPDATES_STUCK,
                AdminAlerts.UPDATES_FLOWING, Msg.ADMIN_ALERT_UPDATES_FLOWING);
        this.replies = new Backlog("alert:replies", stores.pendingReplies()::oldestWaiting, pacingClock,
                REPLIES_LATE, AdminAlerts.REPLIES_STUCK, Msg.ADMIN_ALERT_REPLIES_STUCK,
                AdminAlerts.REPLIES_FLOWING, Msg.ADMIN_ALERT_REPLIES_FLOWING);
        this.checks = new Backlog("alert:jobs", stores.jobs()::nextCheckAt, clock,
                JOBS_LATE, AdminAlerts.JOBS_LATE, Msg.ADMIN_ALERT_JOBS_LATE,
                AdminAlerts.JOBS_ON_TIME, Msg.ADMIN_ALERT_JOBS_ON_TIME);
        this.watched = List.of(updates, replies, checks);
    }

    /** Looks at every backlog once, telling the admins what changed since the last telling. */
    void watch() {
        for (Backlog backlog : watched) {
            watch(backlog, clock.instant());
        }
    }

    /**
     * How far behind the queues are now, for the admin's own screen.
     *
     * @param updates how long the oldest user's update not handled yet has waited (zero with none)
     * @param replies how long the oldest reply not sent yet has waited (zero with none)
     * @param checks  how late the earliest due check of a generation is (zero with none)
     */
    record Behind(Duration updates, Duration replies, Duration checks) {
    }

    /** The queues as they are now: three reads, as a metrics scrape makes. */
    Behind behind() {
        return new Behind(waited(updates), waited(replies), waited(checks));
    }

    private static Duration waited(Backlog backlog) {
        Instant now = backlog.waiting().instant();
        return backlog.oldest().get().map(at -> Duration.between(at, now))
                .filter(d -> !d.isNegative()).orElse(Duration.ZERO);
    }

    private void watch(Backlog backlog, Instant now) {
        Duration waited = waited(backlog);
        Optional<AuditEvent> last = lastTelling(backlog);
        boolean toldLate = last.filter(e -> e.action().equals(backlog.lateAction())).isPresent();
        if (!toldLate && waited.compareTo(backlog.late()) >= 0) {
            long minutes = waited.toMinutes();
            tell(new AuditEvent(now, "system", backlog.lateAction(), "oldest waiting " + waited.toSeconds() + " s",
                    Optional.of(backlog.occasion())), last,
                    lang -> texts.get(lang, backlog.lateText(), minutes));
        } else if (toldLate && waited.compareTo(CAUGHT_UP) < 0) {
            tell(new AuditEvent(now, "system", backlog.caughtUpAction(), "oldest waiting " + waited.toSeconds() + " s",
                    Optional.of(backlog.occasion())), last, lang -> texts.get(lang, backlog.caughtUpText()));
        }
    }

    /**
     * The last alert or all-clear of {@code backlog}, by any instance: one event, not the occasion's whole trail, which
     * grows by two tellings per stuck night for the audit's retention and is asked three times a minute.
     */
    private Optional<AuditEvent> lastTelling(Backlog backlog) {
        return stores.audit().lastByCorrelation(backlog.occasion());
    }

    /**
     * Tells {@code telling} unless another instance told it since {@code last} (the telling before, which it read as
     * this one did): one of two instances that both saw the change tells it.
     */
    private void tell(AuditEvent telling, Optional<AuditEvent> last, Function<String, String> text) {
        Instant since = last.map(e -> e.at().plus(MICROSECOND)).orElse(Instant.EPOCH);
        stores.transactions().inOne(() -> AdminAlerts.sendFirst(stores, settings, outbox, telling, since, text));
    }
}
