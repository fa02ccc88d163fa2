package dev.kiebot.core.shop;

import dev.kiebot.core.broadcast.Broadcast;
import dev.kiebot.core.broadcast.Broadcasts;
import dev.kiebot.core.broadcast.Recipient;
import dev.kiebot.core.broadcast.RecipientOutcome;
import dev.kiebot.core.broadcast.Tally;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Plural;
import dev.kiebot.core.text.Texts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends queued broadcasts in the background, a batch per call, under the messenger's pacing. A recipient is
 * claimed right before he is messaged, one at a time, so nobody gets a broadcast twice, whatever restarts or
 * instances come between; one claimed by an instance that died is counted as abandoned, not re-sent (only the one
 * on the wire at the kill is: the rest of the batch was never claimed). The admin's progress
 * message is edited at most every {@link #PROGRESS_EVERY}, and the final counts are reported once. A message
 * Telegram could not take yet ({@link Delivery.Deferred}: unreachable, a long 429) is given back, and nothing more
 * is claimed until it may go: counted as failed, one outage would fail a whole broadcast.
 * The waits grow for a message deferred again and again ({@link Deferrals}), and one still deferred
 * {@link #DEFERRED_MAX} after its first try is counted as failed, so a recipient Telegram never takes does not hold
 * the broadcast, and every one after him, for good.
 */
final class BroadcastWorker {
    private static final System.Logger LOG = System.getLogger(BroadcastWorker.class.getName());
    /** How often the admin's progress message may change. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    /** A claim this old without an outcome belongs to an instance that died. */
    static final Duration ABANDON_AFTER = Duration.ofMinutes(5);
    /**
     * How long one recipient's message may stay deferred before it is counted as failed: shorter than a reply's day,
     * since everyone after him waits with it; an outage longer than this costs one recipient per hour, not the rest.
     */
    static final Duration DEFERRED_MAX = Duration.ofHours(1);

    private final Stores stores;
    private final Broadcasts broadcasts;
    private final Outbox outbox;
    private final Texts texts;
    private final Clock clock;
    private final Map<Long, Instant> lastProgress = new HashMap<>();
    /** Until when Telegram asked to wait (a deferred message): no recipient is claimed before. */
    private volatile Instant waitUntil = Instant.MIN;
    /**
     * Counted in memory only, unlike a reply's deferral (kept with it in the outbox): a restart, or another instance,
     * starts a recipient's hour again. No money rides on a broadcast's message (its recipient is counted sent or
     * failed, nothing refunded), and each restart costs at most one more hour of the broadcast waiting for him;
     * keeping it would take a column and a write per deferral in the recipients' store, a partner's port too.
     */
    private final Deferrals<Recipient> deferrals = new Deferrals<>(DEFERRED_MAX, "broadcast messages");
    private volatile boolean stopping;

    BroadcastWorker(Stores stores, Outbox outbox, Texts texts, Clock clock) {
        this.stores = stores;
        this.broadcasts = stores.broadcasts();
        this.outbox = outbox;
        this.texts = texts;
        this.clock = clock;
    }

    /**
     * Sends to up to {@code limit} recipients, then reports. After {@link #stop()} it claims nothing more, so a
     * graceful restart continues where this one stopped.
     *
     * @return how many were claimed
     */
    synchronized int runOnce(int limit) {
        int claimed = 0;
        // one recipient claimed at a time, right before his message: a kill then leaves only the one on the wire
        // claimed (abandoned later, as he may have it), not the rest of a batch that surely never went
        while (claimed < limit && !stopping && !waiting()) {
            Optional<Duration> held = outbox.held();
            if (held.isPresent()) {
                // Telegram itself is down: nobody is claimed into the outage (one per read timeout, each in doubt)
                waitUntil = clock.instant().plus(held.get());
                return claimed;
            }
            List<Recipient> next = broadcasts.claim(1, clock.instant());
            if (next.isEmpty()) {
                break;
            }
            Recipient r = next.get(0);
            Optional<Broadcast> b = broadcasts.find(r.broadcastId());
            if (b.isEmpty()) {
                claimed++;
                continue;
            }
            Delivery d = outbox.sendNow(new Reply.SendText(r.userId(), b.get().text(), Keyboard.NONE));
            if (d instanceof Delivery.Deferred deferred) {
                Optional<Duration> wait = deferrals.next(r, deferred.retryIn(), clock.instant());
                if (wait.isPresent()) {
                    // surely not delivered: this recipient goes again once Telegram may take him
                    waitUntil = clock.instant().plus(wait.get());
                    broadcasts.release(next);
                    return claimed;
                }
            }
            deferrals.forget(r);
            broadcasts.record(r, outcome(d));
            claimed++;
        }
        broadcasts.abandon(clock.instant(), ABANDON_AFTER);
        for (Broadcast b : broadcasts.queued()) {
            report(b);
        }
        return claimed;
    }

    /** Whether a broadcast is held back until Telegram may take its messages: it is waiting, not done. */
    boolean waiting() {
        return clock.instant().isBefore(waitUntil);
    }

    /** Finish the message being sent, then no more: the instance is shutting down. */
    void stop() {
        stopping = true;
    }

    private static RecipientOutcome outcome(Delivery d) {
        if (d instanceof Delivery.Blocked) {
            return RecipientOutcome.BLOCKED;
        }
        return d instanceof Delivery.Sent ? RecipientOutcome.SENT : RecipientOutcome.FAILED;
    }

    private void report(Broadcast b) {
        Tally t = broadcasts.tally(b.id());
        String lang = stores.users().languageOf(b.adminId());
        if (t.finished()) {
            // the mark and the report commit together: "finished" is true only once, so a report lost after the
            // mark (the database gone between them) would never be sent
            boolean finishedNow = stores.transactions().inOne(() -> {
                boolean first = broadcasts.finish(b.id(), clock.instant());
                if (first) {
                    show(b, report(texts, lang, Msg.ADMIN_BROADCAST_DONE, b, t, t.recipients()), true);
                }
                return first;
            });
            if (finishedNow) {
                lastProgress.remove(b.id());
                // the recipients who blocked the bot counted here: a line each (the messenger's) filled the log
                LOG.log(System.Logger.Level.INFO, "broadcast {0} finished: sent {1} of {2}, {3} blocked the bot "
                        + "(marked so), {4} failed, {5} abandoned by a restart; {6} skipped (blocked or banned before "
                        + "it)", Long.toString(b.id()), t.sent(), t.recipients(), t.blocked(), t.failed(),
                        t.abandoned(), t.skipped());
            }
            return;
        }
        Instant now = clock.instant();
        Instant last = lastProgress.getOrDefault(b.id(), Instant.MIN);
        if (last.plus(PROGRESS_EVERY).isAfter(now)) {
            return;
        }
        lastProgress.put(b.id(), now);
        show(b, report(texts, lang, Msg.ADMIN_BROADCAST_PROGRESS, b, t, t.recipients()), false);
    }

    /**
     * A broadcast's progress or final report: its number, then its figures grouped as the users' counts are. The
     * recipients a restart cut off (abandoned: most never tried) are said apart from the failed, and only when there
     * are any: counted among the failed, the admin could not tell a restart from Telegram refusing them.
     */
    static String report(Texts texts, String lang, Msg msg, Broadcast b, Tally t, long recipients) {
        String abandoned = t.abandoned() == 0 ? ""
                : texts.get(lang, Msg.ADMIN_BROADCAST_ABANDONED, Plural.number(lang, t.abandoned()));
        return texts.get(lang, msg, Texts.numbered(lang, b.id()), Plural.number(lang, t.sent()),
                Plural.number(lang, recipients), Plural.number(lang, t.blocked()), Plural.number(lang, t.failed()),
                Plural.number(lang, t.skipped()), abandoned);
    }

    /** Edits the progress message, «⏹ Остановить» under it; the final report is a new message, so the admin is notified. */
    private void show(Broadcast b, String text, boolean last) {
        Optional<Long> progress = last ? Optional.empty() : b.progressMessageId();
        Keyboard stop = stopButton(texts, stores.users().languageOf(b.adminId()), b.id());
        outbox.send(progress.<Reply>map(id -> new Reply.EditText(b.chatId(), id, text, stop))
                .orElseGet(() -> new Reply.SendText(b.chatId(), text, Keyboard.NONE)));
    }

    /** «⏹ Остановить» under a broadcast's progress: the draft's «Отмена» action, which stops one being sent. */
    static Keyboard stopButton(Texts texts, String lang, long id) {
        return Keyboard.of(List.of(Button.callback(texts.get(lang, Msg.BUTTON_BROADCAST_STOP),
                CallbackData.evergreen(CallbackAction.DROP_BROADCAST, Long.toString(id)))));
    }
}
