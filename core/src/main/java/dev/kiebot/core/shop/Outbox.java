package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.pacing.BotPacing;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The one way out. Chat messages are queued in the outbox ({@code PendingReplies}) inside the caller's
 * transaction — they exist exactly when the update's effects do — and {@link ReplySender} delivers them, paced,
 * in order per chat, without ever holding a handler. Answers to button presses and pre-checkouts are not chat
 * messages: they go at once after the commit, never behind pacing, and not at all once Telegram's window for
 * them has passed; a pre-checkout's is kept with the update too, for the next start to send should the process die
 * before its call.
 *
 * <p>Yours to call, through {@code shop.outbox()}: {@link #send} and {@link #sendAll} queue a message of your own (an
 * alert to your admins, say), delivered like every reply — paced, in order per chat, never lost once its
 * transaction commits (inside {@code Transactions.inOne} it commits with that work; outside, at once). A job's status
 * and results, tagged messages and a broadcast's sends go through this class too, but only core makes them.
 */
public final class Outbox {
    /** Telegram stops accepting an answer to a button press after about 15 s. */
    static final Duration ANSWER_WINDOW = Duration.ofSeconds(14);
    /**
     * "The Bot API must receive an answer within 10 seconds after the pre-checkout query was sent": past it Telegram
     * cancels the payment, so a kept answer the next start finds later than this after its update came in is dropped.
     */
    static final Duration PRE_CHECKOUT_WINDOW = Duration.ofSeconds(10);
    /**
     * How long past its window a kept answer's call may still be on its way (a slow Telegram, the messenger's retries)
     * or its forgetting still queued: the upkeep's pass leaves it that long, not to log as unsent an answer that went.
     */
    static final Duration KEPT_ANSWER_CALL_MAX = Duration.ofMinutes(1);
    /**
     * The audit action of a chat told that its yes may not have been taken ({@link #tellYesUnconfirmed}: a kept yes
     * dropped past its window, or one whose call may or may not have gone): recorded first, once per query, by the
     * instance that tells it (two starting instances, two upkeeps, drop the same row; a kept yes sent again at start).
     */
    static final String KEPT_YES_DROPPED_TOLD = "told.precheckout_unconfirmed";
    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());

    private final Messenger messenger;
    private final Stores stores;
    private final Clock clock;
    private final Clock pacingClock;
    private final Executor answers;
    private final BotPacing botPacing;
    private final WorkSignals signals;
    private final AnswerForgets forgets;
    private final Texts texts;

    /**
     * @param clock       the business clock (how old an update is)
     * @param pacingClock real time, which the sender's pacing runs on: a reply is due from the moment it is queued
     */
    Outbox(Messenger messenger, Stores stores, Clock clock, Clock pacingClock, Executor answers, BotPacing botPacing,
           WorkSignals signals, AnswerForgets forgets, Texts texts) {
        this.messenger = messenger;
        this.stores = stores;
        this.clock = clock;
        this.pacingClock = pacingClock;
        this.answers = answers;
        this.botPacing = botPacing;
        this.signals = signals;
        this.forgets = forgets;
        this.texts = texts;
    }

    /** Where sent pre-checkout answers are forgotten: {@link ShopWork#close()} waits for it. */
    AnswerForgets forgets() {
        return forgets;
    }

    /** Who is told of committed work: the shop's {@link ShopWork}, once it starts. */
    WorkSignals signals() {
        return signals;
    }

    /**
     * Queues replies in order; answers leave at once after the commit.
     *
     * @param replies in the order their chats should get them; an empty list queues nothing
     */
    public void sendAll(List<Reply> replies) {
        sendAll(replies, Optional.empty());
    }

    /**
     * Queues replies in order, as {@link #sendAll(List)}, for an update received at a known time.
     *
     * @param replies    in the order their chats should get them
     * @param receivedAt when the update being answered came in: a press older than the answer window is not answered
     */
    public void sendAll(List<Reply> replies, Optional<Instant> receivedAt) {
        sendAll(replies, receivedAt, Optional.empty());
    }

    /**
     * {@link #sendAll(List, Optional)}, with what the chat is told should a pre-checkout's yes among the replies miss
     * Telegram's window, now or after the commit ({@code Storefront.handle}: the payment did not go through, with the
     * package's button): queued in the answer's place, in the caller's transaction, or, late after the commit, in one
     * of its own.
     *
     * @param yesTooLate the chat message for a yes dropped past its window; empty: dropped unsaid, as a button's is
     */
    void sendAll(List<Reply> replies, Optional<Instant> receivedAt, Optional<Reply> yesTooLate) {
        Objects.requireNonNull(replies, "Outbox.sendAll: replies, the replies to queue in order (List.of() for none)");
        Objects.requireNonNull(receivedAt, "Outbox.sendAll: receivedAt, when the update being answered came in "
                + "(Optional.empty() when not known)");
        for (int i = 0; i < replies.size(); i++) {
            if (replies.get(i) == null) { // the message built only when it is needed: this runs for every reply
                throw new NullPointerException("Outbox.sendAll: replies[" + i + "], a reply (null given)");
            }
        }
        List<Outgoing> queued = new ArrayList<>();
        for (Reply r : replies) {
            if (r instanceof Reply.AnswerCallback || r instanceof Reply.AnswerPreCheckout) {
                Optional<Reply> instead = r instanceof Reply.AnswerPreCheckout p && p.ok() ? yesTooLate
                        : Optional.empty();
                answer(r, receivedAt, true, instead).map(Outgoing::plain).ifPresent(queued::add);
            } else {
                queued.add(Outgoing.plain(r));
            }
        }
        queue(queued);
    }

    /**
     * Queues one reply of your own (an alert to your admins, say): committed with the caller's
     * {@code Transactions.inOne} when called inside one, at once outside, then delivered like every reply of the
     * shop, paced and in its chat's order (an answer to a button press or a pre-checkout goes at once after the commit
     * instead). Call it rather than your {@code Messenger}, which would skip the queue, the pacing and the order.
     *
     * @param reply the message, its chat named in it
     * @throws NullPointerException for a null reply
     */
    public void send(Reply reply) {
        java.util.Objects.requireNonNull(reply, "outbox().send: the Reply to queue, e.g. new Reply.SendText(chatId, "
                + "text, keyboard), never null");
        sendAll(List.of(reply));
    }

    /** The job's status: edits its status message, or sends one and keeps its id on the job. */
    void status(Job job, String text, Keyboard keyboard) {
        queue(List.of(new Outgoing(new Reply.SendText(job.chatId(), text, keyboard),
                new Outgoing.Follow.JobStatus(job.id()))));
    }

    /** A result of the job; when it surely did not arrive, {@code fallback} (its link) goes instead. */
    void result(Job job, Reply.SendMedia media, Reply fallback) {
        queue(List.of(new Outgoing(media, new Outgoing.Follow.JobResult(job.id(), fallback))));
    }

    /**
     * A file of the job sent again at the user's asking by its kept file id; should the platform refuse the id,
     * {@code url} (the provider's) goes instead ({@link Generations#fileIdRefused}).
     */
    void sentAgain(Job job, Reply.SendMedia media, Optional<String> url) {
        queue(List.of(new Outgoing(media, new Outgoing.Follow.SentAgain(job.id(), url))));
    }

    /** Edits the message tagged {@code tag} in the chat, or sends one and tags it. */
    void show(long chatId, String tag, String text, Keyboard keyboard) {
        queue(List.of(new Outgoing(new Reply.SendText(chatId, text, keyboard), new Outgoing.Follow.Tagged(tag))));
    }

    /**
     * At once, not queued, for background work that needs the outcome (a broadcast's recipients). The caller
     * waits for the bot's pace: never call it while handling an update.
     */
    Delivery sendNow(Reply reply) {
        botPacing.awaitTurn();
        Delivery d = ReplySender.answered(messenger, messenger.send(reply));
        if (d instanceof Delivery.Blocked) {
            ReplySender.blocked(stores, reply.chatId());
        }
        return d;
    }

    /**
     * How long nothing should be sent at once: the platform itself is down ({@code Messenger.heldFor}); empty: send.
     */
    Optional<Duration> held() {
        return ReplySender.held(messenger);
    }

    private void queue(List<Outgoing> replies) {
        if (!replies.isEmpty()) {
            Instant now = pacingClock.instant();
            stores.pendingReplies().append(replies, now);
            signals.replyQueued(stores.transactions(), now);
        }
    }

    /**
     * At once after the commit, within Telegram's window only, counted from the update's arrival (or from now): an
     * answer that waited in its executor past the window (its threads held by Telegram's retries during an outage) is
     * dropped there, not sent minutes late to be refused as "query is too old" and hold up the answers behind it.
     *
     * <p>A pre-checkout's answer is kept too, in the update's transaction ({@code PendingReplies.keepAnswer}), and
     * forgotten once sent: the process killed between the commit and the call leaves it for the next start
     * ({@link #sendKeptAnswers}), Telegram waiting 10 s for it and the process ready about 2 s after it starts, a
     * host's restart delay (Docker's restart policy, Render's) on top: it is in time after a quick restart only.
     * Lost, the payment was
     * cancelled though the update was done. A button's answer is not kept: a spinner, and its path takes no
     * statement more; nor is a failed pre-checkout's refusal ({@link #refuseUnkept}, {@code kept} false).
     *
     * <p>A pre-checkout's answer dropped so leaves the user at the payment sheet with Telegram's cancellation alone
     * and no word of ours: {@code instead} is what the chat is told then, whether the window passed before the
     * commit (returned, for the caller to queue in the answer's place) or after it, the answer waiting on its thread
     * ({@link #sendWithin}). A button's answer has none: the press's own screens answer it, and its spinner stops on
     * its own.
     *
     * @param instead the chat message for the answer dropped past its window
     * @return {@code instead} when the window has passed already, to queue with the caller's replies; else empty
     */
    private Optional<Reply> answer(Reply r, Optional<Instant> receivedAt, boolean kept, Optional<Reply> instead) {
        Instant until = until(r, receivedAt);
        if (until.isBefore(clock.instant())) {
            return instead;
        }
        if (kept && r instanceof Reply.AnswerPreCheckout p) {
            stores.pendingReplies().keepAnswer(new PendingReplies.KeptAnswer(p, until));
        }
        // an answer that fails (a messenger that throws, an executor that refuses it) is an answer lost, not the
        // update's failure: thrown into the commit, a paid order was told nothing had been charged
        String what = "the answer for chat " + Actor.mask(r.chatId());
        stores.transactions().afterCommit(AfterCommit.guarded(what, () -> answers.execute(AfterCommit.guarded(what,
                () -> sendWithin(r, until, kept, instead)))));
        return Optional.empty();
    }

    private Instant until(Reply r, Optional<Instant> receivedAt) {
        return receivedAt.orElseGet(clock::instant)
                .plus(r instanceof Reply.AnswerPreCheckout ? PRE_CHECKOUT_WINDOW : ANSWER_WINDOW);
    }

    /**
     * A pre-checkout's refusal when its handling failed ({@code Storefront.apologize}): at once after the commit on
     * the answers' threads, within its window, as every answer, but not kept for a next start. The apology's
     * transaction then writes nothing of its own, so a store that failed the handling (the kept answers' table among
     * them) does not fail the refusal too; and lost to a kill before its call, it ends as it would have, Telegram
     * cancelling the payment after its 10 s with nothing charged, only in Telegram's words.
     *
     * <p>Past its window the refusal is not sent, and the chat is told {@code instead}: queued in the apology's
     * transaction when the window passed before (its one write then: the user is told nothing otherwise, and a
     * failing outbox fails the apology, the update coming again), or in a transaction of its own when the refusal
     * waited past it on its thread. Dropped unsaid, the user at the payment sheet had Telegram's cancellation and not
     * a word of ours.
     *
     * @param refusal    the answer, {@code ok} false with its words
     * @param receivedAt when the pre-checkout came in: past its window it is not sent
     * @param instead    what the chat is told when the refusal misses its window
     */
    void refuseUnkept(Reply.AnswerPreCheckout refusal, Optional<Instant> receivedAt, Reply instead) {
        answer(refusal, receivedAt, false, Optional.of(instead)).ifPresent(i -> queue(List.of(Outgoing.plain(i))));
    }

    /**
     * The pre-checkout answers a previous run kept and never sent (killed between its commit and its call): each one
     * still inside its window goes now, on the answers' threads; one past it is dropped, said in the log. Called once
     * at start ({@code ShopWork.start}). With several instances one may be another's, committed and on its way, or one
     * sent whose forgetting a kill cut off: it then goes twice, the same answer both times (kept as decided), so the
     * payment is told one decision whatever Telegram does with the second (reported refused as
     * {@code QUERY_ID_INVALID}, the 400 of an answered or expired query, which the messenger reports and the user never
     * sees).
     *
     * @return how many were kept (sent or dropped)
     */
    int sendKeptAnswers() {
        List<PendingReplies.KeptAnswer> kept = stores.pendingReplies().keptAnswers();
        Instant now = clock.instant();
        for (PendingReplies.KeptAnswer k : kept) {
            Reply.AnswerPreCheckout a = k.answer();
            if (k.until().isBefore(now)) {
                dropPastWindow(a, k.until());
                continue;
            }
            LOG.log(System.Logger.Level.INFO, "the answer to a pre-checkout of chat {0} was kept and is not known to "
                    + "have been sent (its run stopped before the call, or the call threw): sending it now (should "
                    + "Telegram have it already, this one is refused, harmlessly)", Actor.mask(a.chatId()));
            String what = "the kept answer for chat " + Actor.mask(a.chatId());
            AfterCommit.guarded(what, () -> answers.execute(AfterCommit.guarded(what,
                    () -> sendWithin(a, k.until(), true, Optional.empty())))).run();
        }
        return kept.size();
    }

    /**
     * The kept answers whose window ended more than {@link #KEPT_ANSWER_CALL_MAX} ago, dropped as the start drops them,
     * each said in the log: a call that threw leaves its answer kept, and on an instance whose answers keep throwing
     * they piled up until the next start. Run by the upkeep ({@link Upkeep#expire()}, every minute): one read of a
     * table of a few rows a minute, never a poll while idle. Answers still inside their window (or just past
     * it, their call maybe still on its way) are left to their call and its forgetting.
     *
     * @return how many were dropped
     */
    int dropKeptAnswersPastWindow() {
        Instant cutoff = clock.instant().minus(KEPT_ANSWER_CALL_MAX);
        int dropped = 0;
        for (PendingReplies.KeptAnswer k : stores.pendingReplies().keptAnswers()) {
            if (k.until().isBefore(cutoff)) {
                dropPastWindow(k.answer(), k.until());
                dropped++;
            }
        }
        return dropped;
    }

    private void dropPastWindow(Reply.AnswerPreCheckout a, Instant until) {
        // a row is left by a run stopped before the call, and as well by a call that threw, maybe after
        // Telegram took the answer (a read timeout): then the user may have paid and been credited, so the
        // warning never says that nothing was charged
        LOG.log(System.Logger.Level.WARNING, "the answer to a pre-checkout of chat {0} (ok={1}) was kept and "
                + "is not known to have been sent (its run stopped before the call, or the call threw, maybe "
                + "after Telegram took it), and Telegram''s window for it has passed: not sent again. If "
                + "Telegram had it and the user paid, his payment is credited as usual; if not, Telegram "
                + "cancelled that payment and he was charged nothing", Actor.mask(a.chatId()), a.ok());
        if (a.ok() && !paidSince(a.chatId(), until.minus(PRE_CHECKOUT_WINDOW))) {
            tellYesUnconfirmed(a, "kept yes dropped past its window");
        }
        stores.pendingReplies().answerGone(a.queryId());
    }

    /**
     * Whether a Stars charge of the chat's user is recorded since its pre-checkout came ({@code since}): Telegram took
     * the yes, and «may not have confirmed your payment» would be false. The kept answer names no invoice, so any
     * charge of his since then counts (two invoices paid at once being rare, and the words then hedged anyway).
     */
    private boolean paidSince(long chatId, Instant since) {
        return stores.payments().charges(chatId, 5).stream().anyMatch(c -> !c.at().isBefore(since));
    }

    /**
     * The chat of a yes Telegram may not have taken hears of it, as a yes late at its handling does: a kept yes
     * dropped past its window, or one whose call may or may not have been carried out ({@link Delivery.Uncertain}).
     * It was left at the payment sheet, maybe with Telegram's cancellation and no word of ours. Whether Telegram had
     * the yes is not known (the call may have thrown, or its connection dropped, after Telegram took it): the words
     * say both ways, the balance topped up by itself if Stars were taken, and pay again if not; the way home, as the
     * package is not known here (its pay button could have him pay twice). In a transaction of its own, once per
     * query whichever instance or path tells it (the audit's first record). A chat is a private one, whose id is its
     * user's: his language.
     */
    private void tellYesUnconfirmed(Reply.AnswerPreCheckout a, String why) {
        stores.transactions().inOne(() -> {
            AuditEvent told = new AuditEvent(clock.instant(), Actor.mask(a.chatId()), KEPT_YES_DROPPED_TOLD,
                    why, Optional.of("pcq:" + a.queryId()));
            if (stores.audit().recordFirst(told, Instant.EPOCH)) {
                String lang = stores.users().languageOf(a.chatId());
                queue(List.of(Outgoing.plain(new Reply.SendText(a.chatId(), texts.get(lang,
                        Msg.PRECHECKOUT_UNCONFIRMED), HomeButton.keyboard(texts, lang)))));
            }
            return null;
        });
    }

    /**
     * Sends the answer unless its window passed meanwhile; a kept one is forgotten either way once it returns, on the
     * forgetting's thread ({@link AnswerForgets}). Dropped, its {@code instead} is queued for the chat in a
     * transaction of its own: a pre-checkout's yes or refusal that waited for a thread (they were busy with
     * Telegram's retries) left the user with the payment cancelled and no word of ours.
     */
    private void sendWithin(Reply r, Instant until, boolean kept, Optional<Reply> instead) {
        if (until.isBefore(clock.instant())) {
            if (instead.isPresent()) {
                LOG.log(System.Logger.Level.INFO, "an answer for chat {0} waited past Telegram''s window and is "
                        + "dropped: the chat is told instead", Actor.mask(r.chatId()));
                stores.transactions().inOne(() -> {
                    queue(List.of(Outgoing.plain(instead.get())));
                    return null;
                });
            } else {
                LOG.log(System.Logger.Level.DEBUG, "an answer for chat {0} waited past Telegram''s window "
                        + "and is dropped", Actor.mask(r.chatId()));
            }
        } else {
            Delivery d = messenger.send(r);
            if (d instanceof Delivery.Failed failed && instead.isPresent()) {
                // Telegram refused it inside our window (its "query is too old": the update reached us late, its
                // clock ahead of ours) or it could not go: surely not arrived, the payment cancelled, as one dropped
                LOG.log(System.Logger.Level.INFO, "an answer for chat {0} did not reach Telegram ({1}): the chat is "
                        + "told instead", Actor.mask(r.chatId()), failed.reason());
                stores.transactions().inOne(() -> {
                    queue(List.of(Outgoing.plain(instead.get())));
                    return null;
                });
            } else if (d instanceof Delivery.Uncertain uncertain && r instanceof Reply.AnswerPreCheckout p
                    && p.ok()) {
                // its call may have been carried out (the connection dropped after it went): the user may have paid,
                // and «no Stars were charged» with the package's button could have him pay twice; the hedged words
                LOG.log(System.Logger.Level.WARNING, "the yes to a pre-checkout of chat {0} may or may not have "
                        + "reached Telegram ({1}): the chat is told it may not have gone through, and that a payment "
                        + "made is credited as usual", Actor.mask(r.chatId()), uncertain.reason());
                tellYesUnconfirmed(p, "pre-checkout yes uncertain");
            }
        }
        if (kept && r instanceof Reply.AnswerPreCheckout p) {
            // a send that threw leaves it kept: the next start sends it within its window, or drops it. Forgotten
            // on a thread of its own: this one answers the next button presses, which a database stall here held up
            forgets.forget(p.queryId());
        }
    }
}
