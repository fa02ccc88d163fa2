package dev.kiebot.core.shop;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.jobs.DeliveredFile;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.pacing.BotPacing;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * Delivers the outbox: the oldest reply of a chat whose turn has come, one at a time, its chat leased to this
 * sender for the send (so a chat is served by one sender at a time, in order, across instances). Three steps: the
 * claim commits the lease; the calls to Telegram run with no transaction open; the settle records what they taught
 * with it in one short transaction (with nothing to record, the settle is one statement). A chat is not held by a
 * transaction across the send because a send takes up to minutes (an upload, a 429's {@code retry_after}): every
 * handler queueing a reply for that chat waited as long, holding its thread and a pooled connection, and a few such
 * chats stopped handling for everybody. A sender that dies
 * mid-send keeps its chat until the lease ends ({@link #LEASE}); then another sends the reply again (at least once).
 * A job's result is marked in the outbox before its call as a try that threw ({@link PendingReplies#tryBegins}), so a
 * try that never tells how it ended (its sender died, or it outlived its lease) still counts as one that may have
 * arrived: the next try, refused for sure, settles it as maybe sent, never refunded.
 *
 * <p>A chat's pace is {@link ChatPacing}, measured in real time ({@code clock} is the pacing clock, not the business
 * one); the whole bot's pace is {@link BotPacing}, waited for before the claim. What follows a delivery happens in
 * the settle: a blocked user is marked so and their queue dropped, a tagged message's id and a job's status
 * message id are kept; a result's file ids (its URL when it went as its link) are kept just before it, the chat still
 * leased; and a result that surely did not arrive is replaced by its link, sent under the same lease — never one that may have; a result whose file is gone at the
 * provider ({@link Delivery.Gone}) gets no link: the settle refunds its job and queues the user's notice. A reply the
 * platform could not take yet
 * ({@link Delivery.Deferred}: Telegram unreachable, a long 429) is not settled: its chat is given back due when it may
 * go, the reply still first, and it goes again then, whole (a result is not replaced by its link for that), or only
 * its rest when part of it went out (a long text, some of its messages sent).
 *
 * <p>{@link ShopWork} runs it. A runner that schedules its own sender threads instead (kiebot's runtime) calls
 * {@link #sendNext()} on each and {@link #settleLeftOvers()} at the stop; {@link #drain} is for tests.
 */
public final class ReplySender {
    /**
     * How long a claimed chat stays this sender's. Longer than the slowest send: a media send may try a URL, then a
     * download and an upload, then the link (TelegramMessenger's defaults: media calls time out after 120 s, a 429's
     * {@code retry_after} is waited up to 60 s three times, transient failures are retried for 30 s), and a failed
     * result's link follows. A send that outlives its lease costs a second copy of its reply, never a lost one (its
     * settle then changes nothing); a sender that died keeps its chat this long on a shared database (a bot on its
     * own database ends every lease at start).
     */
    public static final Duration LEASE = Duration.ofMinutes(10);
    /**
     * Sent replies whose settle did not commit, kept to be settled again rather than given back (each holds its
     * chat until then, or until its lease ends). A sender fills at most one a failed settle; past this many (many
     * senders failing for long) a reply is given back and goes again.
     */
    static final int UNSETTLED_MAX = 64;
    /**
     * How long a reply may stay deferred ({@link Delivery.Deferred}: Telegram unreachable, or a long 429) before it is
     * given up as failed: a day, so a result made during an outage of hours still arrives, and a reply the platform
     * will never take does not hold its chat's queue for good. Counted from its first deferral, kept with the reply in
     * the outbox ({@link PendingReplies#release(PendingReplies.Queued, Instant, PendingReplies.Deferral)}), so across
     * restarts and instances too; from the first this process saw when the outbox keeps none.
     */
    public static final Duration DEFERRED_MAX = Duration.ofHours(24);
    /**
     * The first wait after a {@code Messenger.send} that threw, doubled at each throw in a row up to two minutes: a
     * throw is taken as a {@link Delivery.Deferred} (see {@link #threw}), so a messenger that keeps throwing for a chat
     * costs a try every two minutes at most, and the reply is given up after {@link #DEFERRED_MAX}.
     */
    public static final Duration THREW_RETRY = Duration.ofSeconds(5);
    /**
     * The wait after a {@link Delivery.Uncertain} try made as the platform went down ({@link Messenger#heldFor}): the
     * reply goes once more as soon as the platform is back (the senders claim nothing before).
     */
    static final Duration UNCERTAIN_RETRY = Duration.ofSeconds(1);
    /**
     * How far a reading of the pacing clock may come before the last one and still be no step back of the clock: two
     * readings never cross by this much (they are taken in turn, {@link #now()}), and a step this small costs a chat
     * no more than a second of its turn.
     */
    static final Duration CLOCK_STEP_MIN = Duration.ofSeconds(1);
    /** The shortest wait a messenger's {@link Messenger#heldFor} is taken for: never a busy loop of the senders. */
    private static final Duration HELD_MIN = Duration.ofMillis(100);

    private static final System.Logger LOG = System.getLogger(ReplySender.class.getName());

    private final Stores stores;
    private final PendingReplies replies;
    private final Messenger messenger;
    private final ChatPacing pacing;
    private final BotPacing botPacing;
    private final Clock clock;
    /** Told of a result whose file is gone at the provider ({@link Delivery.Gone}), in the settle's transaction. */
    private final Generations generations;
    private final BlockingDeque<Unsettled> unsettled = new LinkedBlockingDeque<>(UNSETTLED_MAX);
    /**
     * Replies the platform could not take yet, by id: their waits' doubling, and what stands in for an outbox that
     * keeps no {@link PendingReplies.Deferral} ({@link #noted}).
     */
    private final Deferrals<Long> deferrals = new Deferrals<>(DEFERRED_MAX, "replies");
    /** Told that someone sends: a shop whose replies nothing sends logs an error ({@link WorkSignals}). */
    private final WorkSignals signals;
    /** Held while the pacing clock is read and compared with {@link #lastReading} ({@link #now()}). */
    private final Object clockReadings = new Object();
    /**
     * The latest reading of the pacing clock, null before the first ({@link #now()}): a step back is a reading well
     * before it. Not read at the construction: a runner's scripted clock counts its readings.
     */
    private Instant lastReading;
    /** {@link System#nanoTime()} at {@link #lastReading}: how much time really passed since. */
    private long lastReadingNanos;

    ReplySender(Stores stores, Messenger messenger, ChatPacing pacing, BotPacing botPacing, Clock clock,
                Generations generations, WorkSignals signals) {
        this.stores = stores;
        this.signals = signals;
        this.generations = generations;
        this.replies = stores.pendingReplies();
        this.messenger = messenger;
        this.pacing = pacing;
        this.botPacing = botPacing;
        this.clock = clock;
    }

    /** The pacing clock it claims by: what ends a previous run's leases must make their chats due on it. */
    Clock pacingClock() {
        return clock;
    }

    /**
     * Delivers the next due reply, if any; with none due, says how long until the next paced one (or a lease left
     * by a dead sender) falls due. Both answers use one instant: asked apart, a chat falling due between the two
     * questions was in neither (not due yet for the first, not "after now" for the second) and its reply waited for
     * a wake-up or the safety poll.
     *
     * <p>Blocks for the bot's pace ({@link BotPacing}) and for the messenger's call, up to minutes for a slow upload:
     * call it on a sender thread of its own, never while handling an update or inside a transaction. Several threads,
     * and instances, may call it at once.
     *
     * @return {@link SendAttempt.Sent} when a reply was dealt with (look again at once), else
     *         {@link SendAttempt.NothingDue} with when to look again; interrupted, {@code NothingDue} with nothing to
     *         wait for
     */
    public SendAttempt sendNext() {
        signals.senderRan();
        Optional<Settled> late = settleOneLeftOver();
        if (late.isPresent()) {
            return new SendAttempt.Sent(late.get().chatHasMore());
        }
        Optional<Duration> held = held();
        if (held.isPresent()) {
            // the platform itself is down (Messenger.heldFor): nothing is claimed, so every due reply stays first in
            // its chat's queue with no try spent (a result's mark neither), and no sender waits on a call that would
            // fail; before, each sender took the next chat's reply into the outage, one every read timeout, and a
            // call that timed out after its request left settled its reply as maybe sent: one outage ate the outbox
            return new SendAttempt.NothingDue(held);
        }
        if (!botPacing.awaitTurn()) {
            return new SendAttempt.NothingDue(Optional.empty()); // interrupted: the caller is stopping
        }
        Instant now = now();
        // one statement that commits on its own: no transaction around it (two round trips less a reply)
        Optional<PendingReplies.Queued> claimed = replies.claim(now, LEASE);
        if (claimed.isPresent()) {
            Settled settled = deliver(claimed.get());
            return new SendAttempt.Sent(settled.chatHasMore());
        }
        botPacing.giveBack();
        Optional<Instant> due = replies.nextDueAfter(now);
        return new SendAttempt.NothingDue(due.map(at -> Duration.between(clock.instant(), at)));
    }

    /**
     * The pacing clock's instant, after the outbox's chats' turns were moved back with the clock if it stepped back
     * ({@link PendingReplies#clockSteppedBack}): a reading earlier than the last one by more than
     * {@link #CLOCK_STEP_MIN}. Each turn was set on the clock before the step, and the chats with replies queued or
     * deferred waited the step on top of it (ten minutes after NTP set right a clock ten minutes ahead). The step is
     * how far the reading is behind the last one plus the time since, on the JVM's monotonic clock: the difference of
     * the two readings alone is short of it by that time, which a sender idle until a deferred chat's turn (minutes)
     * then waited again. A step smaller than the time since the last reading is not seen (no reading is before the
     * last): the chats wait it, as before. Read and compared in turn by this instance's senders, so that a step is
     * seen by one of them, once, and two readings that cross are never taken for one; should moving the turns fail,
     * the reading is not kept, and the next one sees the step again.
     */
    private Instant now() {
        synchronized (clockReadings) {
            Instant now = clock.instant();
            long nanos = System.nanoTime();
            if (lastReading != null && Duration.between(now, lastReading).compareTo(CLOCK_STEP_MIN) > 0) {
                Duration step = Duration.between(now, lastReading.plusNanos(nanos - lastReadingNanos));
                int moved = replies.clockSteppedBack(step, now);
                LOG.log(System.Logger.Level.WARNING, "the pacing clock stepped back {0} s (NTP?): the turns of {1} "
                        + "chat(s) waiting for one moved back with it", step.toSeconds(), moved);
                lastReading = now;
                lastReadingNanos = nanos;
            } else if (lastReading == null || now.isAfter(lastReading)) {
                lastReading = now;
                lastReadingNanos = nanos;
            }
            return now;
        }
    }

    /**
     * At a stop, once this instance's senders are done: settles the replies still left unsettled, so that the next
     * start neither waits out their chats' leases (a shared database) nor sends them again (the bot's own, whose
     * start ends every lease). Each is tried at most once; the database may still be down.
     *
     * @return how many are still unsettled
     */
    public int settleLeftOvers() {
        boolean interrupted = Thread.interrupted(); // told to stop: still settle, as a send cut short does
        try {
            for (int tries = unsettled.size(); tries > 0; tries--) {
                settleOneLeftOver();
            }
            return unsettled.size();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Sends until nothing is due or {@code max} were sent (tests, shutdown). A reply the chat's pacing holds back is
     * not due yet: the pacing runs on {@code Shop.Builder.pacingClock}, real time, which a test's clock does not move,
     * so a test that drains after each update builds its shop with {@code chatPacing(new ChatPacing(Duration.ZERO, 1))}
     * (as core-testing's {@code ShopHarness} does) or finds only a chat's first replies.
     *
     * @param max the most replies to send
     * @return how many
     */
    public int drain(int max) {
        int n = 0;
        while (n < max && sendNext().sent()) {
            n++;
        }
        return n;
    }

    /** A reply dealt with: whether its chat has more queued. */
    private record Settled(boolean chatHasMore) {
    }

    /**
     * What the calls to Telegram did: the reply's delivery, its link's when it was a result that surely did not
     * arrive, and when they were over (the chat's pace counts from then).
     *
     * @param shownIn the message a status or tagged text was sent to edit, when it had one
     * @param threw   whether a call threw ({@link #threw}): taken as deferred, but it may have reached the platform;
     *                once the reply is settled rather than deferred again, whether any try of it threw
     */
    private record Calls(Delivery reply, Optional<Delivery> link, Instant at, Optional<Long> shownIn,
                         boolean threw) {
        boolean blocked() {
            return reply instanceof Delivery.Blocked || link.filter(Delivery.Blocked.class::isInstance).isPresent();
        }

        /** These calls, of a reply an earlier try of which threw. */
        Calls threwBefore() {
            return new Calls(reply, link, at, shownIn, true);
        }

        /** What a result that would be settled as surely not sent is settled as when a try of it threw. */
        Calls uncertain() {
            return new Calls(new Delivery.Uncertain("a Messenger.send threw for it: it may have arrived"),
                    Optional.empty(), at, shownIn, threw);
        }
    }

    private Settled deliver(PendingReplies.Queued q) {
        // what is known of its deferrals before this try, read once: only this lease's holder changes it, after the try
        Optional<PendingReplies.Deferral> noted = noted(q);
        Calls calls;
        try {
            calls = send(q, noted.isEmpty());
        } catch (RuntimeException e) {
            throw givenBack(q, e); // a store failed before the call (a status's message): nothing reached Telegram
        }
        // a sender told to stop mid-send still records what it sent: interrupted, it could not wait for a connection
        boolean interrupted = Thread.interrupted();
        try {
            // read before nextTry, which forgets the reply when it gives it up
            boolean threwBefore = noted.filter(PendingReplies.Deferral::threw).isPresent();
            if (calls.reply() instanceof Delivery.Uncertain uncertain && !threwBefore
                    && !worthNothingLater(q.outgoing().reply()) && held().isPresent()) {
                // it may have arrived, and the platform went down with it in flight (a read timeout, a reset after
                // the request left): taken for a try that threw, sent once more when the platform is back. A user
                // left without his answer is worse than one reading it twice; a result keeps its rules (marked as
                // maybe sent: never refunded, settled as maybe sent should a later try be refused), and goes once
                // more at most, as a second Uncertain (threwBefore) is settled as such
                calls = new Calls(new Delivery.Deferred(UNCERTAIN_RETRY, uncertain.reason()), calls.link(),
                        calls.at(), calls.shownIn(), true);
            }
            if (calls.reply() instanceof Delivery.Deferred deferred && !worthNothingLater(q.outgoing().reply())) {
                PendingReplies.Deferral kept = new PendingReplies.Deferral(
                        noted.map(PendingReplies.Deferral::since).orElse(calls.at()), threwBefore || calls.threw());
                Optional<Duration> wait = nextTry(q, deferred, calls.at(), calls.threw(), noted.isPresent(),
                        kept.since());
                if (wait.isPresent()) {
                    // first in its chat's queue still, the chat due when the platform may take it: nothing overtakes
                    // it (should this fail, the lease ends and the reply goes then: it never leaves its queue unsent)
                    Instant dueAt = calls.at().plus(wait.get());
                    // what the outbox keeps is written only when it changes: the first deferral, the first throw,
                    // or a result's mark written ahead of this try (markedAhead), replaced by what the try taught: a
                    // clean deferral (surely not sent) leaves no mark of its own, an earlier try's stays (threwBefore).
                    // Like every release, only while this lease holds: past it, the mark written ahead stays, so the
                    // sender that claimed the chat meanwhile takes the result as maybe sent, never as never tried.
                    // A result's is written at every deferral: a bare mark (a try that began and never said how it
                    // ended, no deferral kept) comes back from the claim with the claim's time as its since, which
                    // equals what this try keeps, and unwritten its day started again at every claim
                    boolean keep = q.outgoing().follow() instanceof Outgoing.Follow.JobResult
                            || !q.deferral().equals(Optional.of(kept));
                    if (deferred.rest().isPresent()) {
                        // part of it is in the chat: only the rest goes again, or the user reads that part twice
                        if (keep) {
                            replies.releaseRest(q, deferred.rest().get(), dueAt, kept);
                        } else {
                            replies.releaseRest(q, deferred.rest().get(), dueAt);
                        }
                    } else if (keep) {
                        replies.release(q, dueAt, kept);
                    } else {
                        replies.release(q, dueAt);
                    }
                    return new Settled(false);
                }
            }
            if (calls.reply() instanceof Delivery.Deferred deferred) {
                LOG.log(System.Logger.Level.DEBUG, "an answer or chat action for chat {0} could not go and is dropped, "
                        + "not deferred: {1}", Actor.mask(q.chatId()), deferred.reason());
            }
            deferrals.forget(q.id());
            if (threwBefore && !calls.threw()) {
                // from here on a try of it that threw counts, this one or an earlier: a later try that finds him
                // blocked is settled by taught, which otherwise lists the result as surely not sent. An earlier try
                // marked ahead that never said how it ended (its sender died, or it outlived its lease) counts so
                // too: this try's clean refusal speaks for this try only, and the earlier one may have arrived
                calls = calls.threwBefore();
            }
            if (calls.threw() && q.outgoing().follow() instanceof Outgoing.Follow.JobResult
                    && (surelyNotSent(calls) || calls.reply() instanceof Delivery.Gone)) {
                // a try that threw may have reached the chat (a timeout after the platform took it): a result is
                // then never refunded as surely not sent, nor as gone when a later try finds its file gone (the
                // provider keeps files about a day, as long as a throwing send is tried), but settled as a
                // Delivery.Uncertain one is
                calls = calls.uncertain();
            }
            return settleSent(q, calls);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Settled settleSent(PendingReplies.Queued q, Calls calls) {
        boolean factsKept = false;
        try {
            keepJobFacts(q.outgoing(), calls);
            factsKept = true;
            return settle(q, calls);
        } catch (RuntimeException e) {
            // the reply went: given back, it would go again at once, and when the database is what failed, the
            // give-back fails too and the chat waits out its lease, then gets its reply twice
            if (unsettled.offerLast(new Unsettled(q, calls, factsKept))) {
                LOG.log(System.Logger.Level.WARNING, "a reply to chat {0} went out but was not settled ({1}); "
                        + "settling it again before the next claim", Actor.mask(q.chatId()), e.toString());
                throw e;
            }
            throw givenBack(q, e);
        }
    }

    /**
     * What is known of the reply's deferrals before this try: what the outbox kept with it ({@link
     * PendingReplies.Queued#deferral()}: across restarts and instances), and what this process saw, which stands in
     * for it when the outbox keeps none (a partner's store without the release that keeps it) or its last release did
     * not commit. A throw noted by either counts.
     */
    private Optional<PendingReplies.Deferral> noted(PendingReplies.Queued q) {
        boolean threw = q.deferral().filter(PendingReplies.Deferral::threw).isPresent() || deferrals.uncertain(q.id());
        return q.deferral().map(PendingReplies.Deferral::since).or(() -> deferrals.since(q.id()))
                .map(since -> new PendingReplies.Deferral(since, threw));
    }

    /**
     * How long a deferred reply waits before its next try, or empty once {@link #DEFERRED_MAX} has passed since its
     * first deferral ({@code since}, as the outbox kept it): then it is settled as failed (logged).
     */
    private Optional<Duration> nextTry(PendingReplies.Queued q, Delivery.Deferred deferred, Instant now,
                                       boolean threw, boolean deferredBefore, Instant since) {
        Optional<Duration> wait = deferrals.next(q.id(), deferred.retryIn(), now, threw);
        if (wait.isPresent() && Duration.between(since, now).compareTo(DEFERRED_MAX) >= 0) {
            deferrals.forget(q.id()); // this process counted from later: a restart, or another instance, came between
            wait = Optional.empty();
        }
        if (wait.isEmpty()) {
            LOG.log(System.Logger.Level.ERROR, "a reply to chat {0} could not go for {1} h and is dropped: {2}",
                    Actor.mask(q.chatId()), DEFERRED_MAX.toHours(), deferred.reason());
        } else {
            // said once per reply: through an outage or a refused token every waiting chat is tried again every two
            // minutes for up to a day, and a line each time buried the one ERROR that says why
            // and not per reply while the platform is down: its messenger says so once (Messenger.heldFor); nor for
            // the platform's pace (a busy chat's 429: routine, Telegram asks it of every busy chat)
            boolean routine = switch (deferred.cause()) {
                case PACE -> true;
                case TROUBLE -> false;
            };
            LOG.log(deferredBefore || routine || held().isPresent() ? System.Logger.Level.DEBUG
                            : System.Logger.Level.WARNING,
                    "a reply to chat {0} could not go yet, again in {1} s: {2}", Actor.mask(q.chatId()),
                    wait.get().toSeconds(), deferred.reason());
        }
        return wait;
    }

    /**
     * The messenger's {@link Messenger#heldFor}: a throw of it is taken as no hold (logged), never as a stop of every
     * sender.
     */
    private Optional<Duration> held() {
        return held(messenger);
    }

    /** {@link #held()} of {@code messenger}: also for what the outbox sends at once (a broadcast's recipients). */
    static Optional<Duration> held(Messenger messenger) {
        Optional<Duration> held;
        try {
            held = messenger.heldFor();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, messenger.getClass().getName() + ".heldFor threw; taken as no hold",
                    e);
            return Optional.empty();
        }
        if (held == null || held.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(held.get().compareTo(HELD_MIN) < 0 ? HELD_MIN : held.get());
    }

    /**
     * A button's answer, a pre-checkout's, a chat action: Telegram takes an answer for seconds only (a later one gets
     * "query is too old"), and a "typing…" means nothing later. Deferred, such a reply (one queued by an older build,
     * or a partner's messenger that defers it) was tried again minutes later, for up to a day, and held every later
     * reply of its chat meanwhile; it is dropped instead.
     */
    static boolean worthNothingLater(Reply reply) {
        return reply instanceof Reply.AnswerCallback || reply instanceof Reply.AnswerPreCheckout
                || reply instanceof Reply.ChatAction;
    }

    /**
     * A reply that went out, and what its calls taught, whose settle is still to commit; {@code factsKept}: its job's
     * facts are written already ({@link #keepJobFacts}), not to be added twice.
     */
    private record Unsettled(PendingReplies.Queued q, Calls calls, boolean factsKept) {
    }

    /**
     * Settles the oldest reply left unsettled, if any: one a call, so a database still down costs a sender one
     * failed attempt before its claim (which then fails as well), not one per reply left. Also past its lease: the
     * settle counts only while the chat's stored lease is still this one, so it spares the reply a second sending
     * when nobody claimed the chat meanwhile, and changes nothing when somebody did (who sends it again).
     */
    private Optional<Settled> settleOneLeftOver() {
        Unsettled polled = unsettled.pollFirst();
        if (polled == null) {
            return Optional.empty();
        }
        Unsettled u = polled;
        try {
            if (!u.factsKept()) {
                keepJobFacts(u.q().outgoing(), u.calls());
                u = new Unsettled(u.q(), u.calls(), true);
            }
            return Optional.of(settle(u.q(), u.calls()));
        } catch (RuntimeException stillFailing) {
            if (!unsettled.offerFirst(u)) {
                givenBack(u.q(), stillFailing); // other senders filled the list meanwhile
            }
            LOG.log(System.Logger.Level.DEBUG, "settling a reply to chat {0} failed again: {1}",
                    Actor.mask(u.q().chatId()), stillFailing.toString());
            return Optional.empty();
        }
    }

    /**
     * The chat goes back at once, as a rolled-back transaction gave it back, rather than waiting out its lease
     * (should the database be unreachable for this too, the lease ends in time). Only this lease is ended: a settle
     * that committed after all has ended it already.
     */
    private RuntimeException givenBack(PendingReplies.Queued q, RuntimeException failure) {
        try {
            replies.release(q, clock.instant());
        } catch (RuntimeException notReleased) {
            failure.addSuppressed(notReleased);
        }
        return failure;
    }

    /**
     * A messenger that answered {@code null} (its contract says never) did call its platform, so whether the reply
     * arrived is unknown: it is not sent again, and the log names the messenger rather than a failure deep in core.
     */
    private Delivery answered(Delivery d) {
        return answered(messenger, d);
    }

    /** {@link #answered(Delivery)} of {@code messenger}'s answer: also for what the outbox sends at once. */
    static Delivery answered(Messenger messenger, Delivery d) {
        if (d != null) {
            return d;
        }
        LOG.log(System.Logger.Level.WARNING, "{0}.send returned null; a Messenger returns a Delivery (Sent, Blocked, "
                + "Failed, Deferred, Gone or Uncertain): the reply is taken as Uncertain and not sent again",
                messenger.getClass().getName());
        return new Delivery.Uncertain("the messenger returned null");
    }

    /**
     * The messenger's answer to one call; a throw is taken as the {@link Delivery.Deferred} it is closest to
     * ({@link #threw}), noted as one.
     *
     * @param firstTry whether the reply was not deferred before: the throw is then logged at WARNING, later ones at
     *                 DEBUG (a chat whose sends throw is tried every two minutes for a day)
     */
    private Answer call(Reply reply, boolean firstTry) {
        try {
            return new Answer(answered(messenger.send(reply)), false);
        } catch (RuntimeException e) {
            return new Answer(threw(messenger, reply, e, firstTry), true);
        }
    }

    /** One call's answer; {@code threw}: the messenger threw, so whether it reached the platform is unknown. */
    private record Answer(Delivery delivery, boolean threw) {
    }

    /**
     * A {@code Messenger.send} that threw, where its contract says to answer a {@link Delivery}: taken as
     * {@link Delivery.Deferred} ({@link #THREW_RETRY}, doubled in a row), the rule of a reply the platform cannot take
     * yet. Its chat goes back behind the other due chats, it is tried again after the wait, and after
     * {@link #DEFERRED_MAX} it is dropped. A throw says nothing of whether the platform took the reply (a read timeout
     * after it did), so a job's result one of whose tries threw is then settled as {@link Delivery.Uncertain}: the
     * user told it may have come, never refunded as surely not sent (which would give back the price of a result he
     * may have); and a result's fallback link that throws defers the whole result, not settled as failed with the
     * link maybe in the chat. A chat action, a button's answer are dropped at once
     * ({@link #worthNothingLater}). Thrown on, as before, it was given back due at once, retried at every sender's
     * tick for good, logged as the whole task's failure naming neither the messenger, the chat nor the reply; and a
     * chat action that always threw held the chat's result behind it for ever, its job delivered and charged.
     */
    private static Delivery threw(Messenger messenger, Reply reply, RuntimeException e, boolean firstTry) {
        String reason = messenger.getClass().getName() + ".send threw " + e.getClass().getName();
        LOG.log(firstTry ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG, messenger.getClass().getName()
                + ".send threw for " + reply.getClass().getSimpleName() + " in chat " + Actor.mask(reply.chatId())
                + ": answer Delivery.Failed (or Deferred, Blocked, Gone, Uncertain) or Delivery.Sent instead of "
                + "throwing; taken as Deferred: tried again later, dropped after " + DEFERRED_MAX.toHours()
                + " h (a result as maybe sent, not refunded)", e);
        return new Delivery.Deferred(THREW_RETRY, reason);
    }

    /**
     * Whether a try of {@code q} is marked in the outbox before its call ({@link PendingReplies#tryBegins}): a job's
     * result, the only reply with money on it, unless the claim gave back such a mark already (an earlier try's, which
     * stays). Its sender may die mid-call, or its call outlive the lease while another sender claims the chat; either
     * way no word of how the try ended comes, and the next try, refused for sure, refunded a result that may have
     * reached him. Every other reply goes without the statement.
     */
    private static boolean markedAhead(PendingReplies.Queued q) {
        return q.outgoing().follow() instanceof Outgoing.Follow.JobResult
                && q.deferral().filter(PendingReplies.Deferral::threw).isEmpty();
    }

    /**
     * No transaction is open here: these calls take as long as Telegram does.
     *
     * @param firstTry whether nothing is known of an earlier deferral of it
     */
    private Calls send(PendingReplies.Queued q, boolean firstTry) {
        Outgoing o = q.outgoing();
        Optional<Long> shownIn = shownIn(o);
        Reply reply = resolved(o, shownIn);
        if (markedAhead(q)) {
            // committed before the call: should it fail, nothing reached the platform and the chat is given back
            replies.tryBegins(q, clock.instant());
        }
        Answer answer = call(reply, firstTry);
        Delivery d = answer.delivery();
        boolean threw = answer.threw();
        if (d instanceof Delivery.Failed failed) {
            LOG.log(System.Logger.Level.WARNING, "a reply to chat {0} was not delivered: {1}",
                    Actor.mask(o.chatId()), failed.reason());
        }
        Optional<Delivery> link = Optional.empty();
        if (o.follow() instanceof Outgoing.Follow.JobResult r && d instanceof Delivery.Failed) {
            // in its turn in the chat: the lease still holds it
            botPacing.awaitTurn();
            Answer linked = call(r.fallback(), firstTry);
            if (linked.threw()) {
                // the link may be in the chat: not "surely not sent" (refunded at once), the whole result deferred
                // as the throw was, tried again (media, then link), and given up as uncertain
                d = linked.delivery();
                threw = true;
            } else {
                link = Optional.of(linked.delivery());
            }
        }
        if (d instanceof Delivery.Gone gone && !(o.follow() instanceof Outgoing.Follow.JobResult)) {
            LOG.log(System.Logger.Level.INFO, "a file for chat {0} is gone at its source ({1}); the user is told",
                    Actor.mask(o.chatId()), gone.reason());
        }
        return new Calls(d, link, clock.instant(), shownIn, threw);
    }

    /**
     * What the calls taught and the settle commit together, in one short transaction; with nothing to record (most
     * sends), the settle alone is one statement that commits on its own: no transaction around it (a round trip less
     * a reply).
     */
    private Settled settle(PendingReplies.Queued q, Calls calls) {
        Optional<Runnable> taught = taught(q, calls);
        if (taught.isEmpty()) {
            return settled(q, calls);
        }
        return stores.transactions().inOne(() -> {
            taught.get().run();
            return settled(q, calls);
        });
    }

    /**
     * A blocked user, a result gone at the provider, a tagged message's id, or a job's status message that is new (or
     * replaced one).
     */
    private Optional<Runnable> taught(PendingReplies.Queued q, Calls calls) {
        Outgoing o = q.outgoing();
        if (calls.blocked()) {
            // the results dropped with the chat's queue are noted, to be told of when he comes back; a result an
            // earlier try of which threw may be in his chat (a timeout after the platform took it): noted uncertain
            // first, so that it is listed as maybe sent, never as surely not sent (refunded should its file be gone
            // by his return)
            return Optional.of(() -> {
                if (calls.threw() && o.follow() instanceof Outgoing.Follow.JobResult r
                        && o.reply() instanceof Reply.SendMedia media) {
                    stores.jobs().find(r.job()).ifPresent(j -> generations.unsent().uncertain(j, media.source()));
                }
                List<Outgoing> dropped = blocked(stores, q.chatId());
                generations.unsent().blocked(q.chatId(), o, dropped);
                // the one INFO for it (the messenger's per refused send is DEBUG): what became of the chat, once it
                // is so: after the commit, as a settle the database made run again wrote it once an attempt
                stores.transactions().afterCommit(() -> LOG.log(System.Logger.Level.INFO, "chat {0} is unreachable "
                        + "(the user blocked the bot or deleted his account, or the bot left the group): its queue "
                        + "dropped ({1,choice,0#no reply|1#1 reply|1<{1,number,integer} replies}){2}",
                        Actor.mask(q.chatId()), dropped.size(),
                        q.chatId() > 0 ? ", the user marked as having blocked the bot until he writes again" : ""));
            });
        }
        if (o.follow() instanceof Outgoing.Follow.JobResult r && calls.reply() instanceof Delivery.Gone gone) {
            // no link (it leads nowhere): the job's money back and the user told, with the settle or not at all
            return Optional.of(() -> generations.resultGone(r.job(), gone.reason(),
                    o.reply() instanceof Reply.SendMedia m ? m.source() : ""));
        }
        if (o.follow() instanceof Outgoing.Follow.JobResult r && o.reply() instanceof Reply.SendMedia media
                && (calls.reply() instanceof Delivery.Uncertain
                || calls.link().filter(Delivery.Uncertain.class::isInstance).isPresent())) {
            // may be in the chat: never listed as unsent nor refunded as a result he surely did not get
            return Optional.of(() -> {
                generations.resultNotSent(r.job(), media.source(), true);
                stores.jobs().find(r.job()).ifPresent(j -> generations.unsent().uncertain(j, media.source()));
            });
        }
        if (o.follow() instanceof Outgoing.Follow.JobResult r && o.reply() instanceof Reply.SendMedia media
                && surelyNotSent(calls)) {
            // nothing of it in the chat: he is told, and the job given back when none of it reached him
            return Optional.of(() -> generations.resultNotSent(r.job(), media.source(), false));
        }
        if (o.follow() instanceof Outgoing.Follow.JobResult r && o.reply() instanceof Reply.SendMedia media
                && (calls.reply() instanceof Delivery.Sent
                || calls.link().filter(Delivery.Sent.class::isInstance).isPresent())) {
            // a file sent again at his asking is on its way until it is known to have come: noted, with the settle
            return generations.unsent().arrived(q.chatId(), r.job(), media.source());
        }
        if (o.follow() instanceof Outgoing.Follow.SentAgain again && o.reply() instanceof Reply.SendMedia media
                && calls.reply() instanceof Delivery.Failed) {
            // a kept file id the platform refuses: the file by its URL, or he is told it is gone; not silence
            return Optional.of(() -> generations.fileIdRefused(q.chatId(), again, media));
        }
        if (calls.reply() instanceof Delivery.Gone) {
            // a file asked for again (an original, a history re-send): told, not silence
            return Optional.of(() -> generations.fileGone(q.chatId()));
        }
        Optional<Long> messageId = calls.reply().messageId();
        if (o.follow() instanceof Outgoing.Follow.Tagged tag && messageId.isPresent()) {
            return Optional.of(() -> replies.tag(o.chatId(), tag.tag(), messageId.get()));
        }
        if (o.follow() instanceof Outgoing.Follow.JobStatus s && messageId.isPresent()
                && !messageId.equals(calls.shownIn())) {
            // with the settle, not after its commit: from that commit on another sender may take the chat's next
            // status, which must find this message to edit; kept after it, the next status found none and came as a
            // second message, and whichever id was kept last left the other one showing an old status for good
            return Optional.of(() -> keepStatusMessage(s.job(), messageId.get()));
        }
        return Optional.empty();
    }

    /**
     * A result that surely did not reach the chat: its upload refused and its link too (or not sent: deferred), or
     * itself deferred past {@link #DEFERRED_MAX} and given up. Unless a try of it threw: then it is settled as
     * uncertain ({@link #deliver}).
     */
    private static boolean surelyNotSent(Calls calls) {
        if (calls.reply() instanceof Delivery.Deferred) {
            return true; // settled, so given up
        }
        return calls.reply() instanceof Delivery.Failed && calls.link().filter(l -> l instanceof Delivery.Failed
                || l instanceof Delivery.Deferred || l instanceof Delivery.Gone).isPresent();
    }

    /**
     * The reply leaves its queue, the chat keeps its pace, the lease ends. A chat action takes no turn of the chat's
     * ({@link ChatPacing#afterAction}): it is not a message, and kept in its place rather than dropped when a message
     * waits behind it, because that message is most often the very upload it announces (a result's file, seconds
     * long), which it shows the user while it lasts; it waited for the bot's turn all the same.
     */
    private Settled settled(PendingReplies.Queued q, Calls calls) {
        TokenBucket kept = q.pacing().orElseGet(() -> pacing.fresh(calls.at()));
        ChatPacing.Paced paced = q.outgoing().reply() instanceof Reply.ChatAction
                ? pacing.afterAction(kept, calls.at())
                : pacing.afterSending(kept, calls.at());
        return new Settled(replies.done(q, paced.bucket(), paced.dueAt()));
    }

    /** The message a status or tagged text edits, once that message exists. */
    private Optional<Long> shownIn(Outgoing o) {
        if (!(o.reply() instanceof Reply.SendText t)) {
            return Optional.empty();
        }
        if (o.follow() instanceof Outgoing.Follow.JobStatus s) {
            return stores.jobs().find(s.job()).flatMap(Job::statusMessageId);
        }
        if (o.follow() instanceof Outgoing.Follow.Tagged tag) {
            return replies.taggedMessage(t.chatId(), tag.tag());
        }
        return Optional.empty();
    }

    /** A status or tagged text becomes an edit of {@code shownIn}, its message, when it has one. */
    private static Reply resolved(Outgoing o, Optional<Long> shownIn) {
        if (!(o.reply() instanceof Reply.SendText t)) {
            return o.reply();
        }
        return shownIn.<Reply>map(id -> new Reply.EditText(t.chatId(), id, t.text(), t.keyboard())).orElse(t);
    }

    /**
     * Keeps on the reply's job what it taught: a result that reached the chat keeps what it went as, its file ids, or
     * its URL when it went as its link (the messenger's, for a file too large for the platform, or the fallback after
     * a refused upload). Kept only as file ids, a result that went as its link looked never sent: a later block listed
     * it among the results he missed ({@link UnsentResults}).
     *
     * <p>Before the settle, in a statement of its own, while the lease still holds the chat. Not in the settle's
     * transaction: the job's row was taken there while the chat was held, and a job's failure or delivery takes them
     * the other way round (the job, then the chat for its notice); when the deadlock that made was broken against the
     * sender, its transaction ran again and the reply went out twice. Not after its commit either, as it was: from
     * that commit on another sender could take the chat's next reply, the job's next file, and when that one was gone
     * at the provider, the job looked as if none of it had come and was refunded whole though he had this file; and a
     * crash (or a failed write) after the commit lost them for good, so a later block listed the result as missed,
     * refunded should its file be gone by his return. A crash before the settle now sends the reply again (at least
     * once), its ids kept twice at worst.
     */
    private void keepJobFacts(Outgoing o, Calls calls) {
        if (!(o.follow() instanceof Outgoing.Follow.JobResult r) || !(o.reply() instanceof Reply.SendMedia media)) {
            return;
        }
        List<String> wentAs = List.of();
        if (calls.reply() instanceof Delivery.Sent sent) {
            wentAs = sent.fileIds().isEmpty() ? List.of(media.source()) : sent.fileIds();
        } else if (calls.link().filter(Delivery.Sent.class::isInstance).isPresent()) {
            wentAs = List.of(media.source());
        }
        if (!wentAs.isEmpty()) {
            // each beside its own URL: a file that came after a later one of the job (at «📤» after a block) was
            // paired with another file's URL by the order the ids came in, and sent as that file should Telegram
            // refuse its id at a history re-send
            Optional<String> url = Optional.of(media.source()).filter(u -> !u.isBlank());
            stores.jobs().addDeliveredFiles(r.job(), wentAs.stream().map(id -> new DeliveredFile(id, url)).toList());
        }
    }

    private void keepStatusMessage(JobId job, long messageId) {
        stores.jobs().transition(job, j -> !j.statusMessageId().equals(Optional.of(messageId)),
                j -> j.withStatusMessage(messageId));
    }

    /**
     * The user blocked the bot: mark them (a private chat's id is its user's) and drop what waits for them, together
     * (in the caller's transaction when there is one: a broadcast's send has none).
     *
     * @return what was dropped, oldest first (the reply being sent included), as far as the store tells it
     */
    static List<Outgoing> blocked(Stores stores, long chatId) {
        return stores.transactions().inOne(() -> {
            if (chatId > 0) {
                stores.users().setBlocked(chatId, true);
            }
            return stores.pendingReplies().dropQueue(chatId);
        });
    }
}
