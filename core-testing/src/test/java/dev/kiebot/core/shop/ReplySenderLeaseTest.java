package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.pacing.BotPacing;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.reply.Activity;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.FakeFiles;
import dev.kiebot.core.testing.ForwardingPendingReplies;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingCharts;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.core.testing.ScriptedStarsRefunds;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A chat leased for a send goes back at once when the send fails, as a rolled-back transaction gave it back, rather
 * than waiting out its lease; a reply that went out but whose settle failed is settled again before the next claim; a sender told to stop mid-send still settles what it sent; and a
 * settle opens a transaction only for what the send taught.
 */
class ReplySenderLeaseTest {
    private static final long CHAT = 42;

    private final MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
    private final RecordingMessenger telegram = new RecordingMessenger();
    private final Stores memory = InMemoryStores.create(clock);

    private Shop shop(Messenger messenger, PendingReplies outbox) {
        return shop(messenger, outbox, memory.transactions());
    }

    private Shop shop(Messenger messenger, PendingReplies outbox, Transactions transactions) {
        Stores stores = memory.withPendingReplies(outbox, transactions);
        return Shop.builder().inMemoryForTests().catalog(TestCatalog.catalog())
                .pricing(dev.kiebot.core.catalog.Pricing.defaults()).stores(stores).messenger(messenger)
                .provider(new ScriptedProvider()).files(new FakeFiles()).starsRefunds(new ScriptedStarsRefunds())
                .charts(new RecordingCharts()).clock(clock).pacingClock(clock)
                .settings(ShopSettings.defaults().withAdmission(AdmissionPolicy.off()))
                .freeDailyLimit(dev.kiebot.core.catalog.FreeTier.DEFAULT_DAILY_LIMIT)
                .chatPacing(new ChatPacing(Duration.ZERO, 1)).botPacing(BotPacing.unlimited()).build();
    }

    private void queue(String... texts) {
        memory.pendingReplies().append(List.of(texts).stream()
                .map(t -> Outgoing.plain(new Reply.SendText(CHAT, t, Keyboard.NONE))).toList(), clock.instant());
    }

    /**
     * A messenger that throws (its contract says to answer a Delivery) is taken as having deferred the reply: the
     * sender goes on with the other chats, logs once what to do, naming the messenger, the reply's kind and the chat
     * masked, and sends the reply again after {@link ReplySender#THREW_RETRY}. Before, the throw went up to the
     * sender's task ("shop work replies failed", naming none of them), the chat given back due at once, every tick.
     */
    @Test
    void aSendThatThrowsIsDeferredTheOtherChatsGoAndTheLogSaysWhatToAnswerInstead() {
        queue("hello");
        memory.pendingReplies().append(List.of(Outgoing.plain(new Reply.SendText(7, "other chat", Keyboard.NONE))),
                clock.instant());
        AtomicBoolean broken = new AtomicBoolean(true);
        Messenger buggy = new Messenger() {
            @Override
            public Delivery send(Reply reply) {
                if (reply.chatId() == CHAT && broken.get()) {
                    throw new IllegalStateException("a bug before the request left");
                }
                return telegram.send(reply);
            }
        };
        ReplySender sender = shop(buggy, memory.pendingReplies()).sender();

        List<String> logged = LoggedLines.of(ReplySender.class, java.util.logging.Level.WARNING, () ->
                assertThatCode(() -> sender.drain(10)).doesNotThrowAnyException());
        assertThat(telegram.texts()).as("the other chat's reply went").containsExactly("other chat");
        assertThat(logged).anySatisfy(l -> assertThat(l).contains(buggy.getClass().getName() + ".send threw for "
                + "SendText in chat ***42: answer Delivery.Failed").doesNotContain(" 42"));

        broken.set(false);
        clock.advance(ReplySender.THREW_RETRY.minusSeconds(1));
        sender.drain(10);
        assertThat(telegram.texts()).as("not before its wait").containsExactly("other chat");
        clock.advance(Duration.ofSeconds(1));
        sender.drain(10);
        assertThat(telegram.texts()).containsExactly("other chat", "hello");
    }

    /**
     * A messenger that cannot show a chat action (a platform with no "typing…") and throws for it: the action is
     * dropped, as a deferred one is, and the chat's next reply goes. Before, it was tried for ever, first in its
     * chat, and a job's result queued behind it never went out, the job delivered and charged.
     */
    @Test
    void aChatActionWhoseSendAlwaysThrowsIsDroppedAndTheChatsNextReplyGoes() {
        memory.pendingReplies().append(List.of(Outgoing.plain(new Reply.ChatAction(CHAT, Activity.UPLOADING_PHOTO)),
                Outgoing.plain(new Reply.SendText(CHAT, "your result", Keyboard.NONE))), clock.instant());
        Messenger noTyping = reply -> {
            if (reply instanceof Reply.ChatAction) {
                throw new UnsupportedOperationException("no typing indicator on our chat");
            }
            return telegram.send(reply);
        };
        ReplySender sender = shop(noTyping, memory.pendingReplies()).sender();

        assertThatCode(() -> sender.drain(10)).doesNotThrowAnyException();
        assertThat(telegram.texts()).containsExactly("your result");
    }

    /** The outbox of a database that can be lost: every call of the sender's fails while it is. */
    private static final class LosableOutbox extends ForwardingPendingReplies {
        final AtomicBoolean lost = new AtomicBoolean();

        LosableOutbox(PendingReplies real) {
            super(real);
        }

        private void reachable() {
            if (lost.get()) {
                throw new IllegalStateException("connection lost");
            }
        }

        @Override
        public Optional<Queued> claim(Instant now, Duration lease) {
            reachable();
            return real.claim(now, lease);
        }

        @Override
        public boolean done(Queued reply, TokenBucket pacing, Instant dueAt) {
            reachable();
            return real.done(reply, pacing, dueAt);
        }

        @Override
        public void release(Queued reply, Instant now) {
            reachable();
            real.release(reply, now);
        }

        @Override
        public void release(Queued reply, Instant now, Deferral deferral) {
            reachable();
            real.release(reply, now, deferral);
        }
    }

    /** Telegram, with the database lost while the first reply was on the wire. */
    private Messenger losingTheDatabaseAtTheFirstSend(LosableOutbox outbox) {
        AtomicBoolean first = new AtomicBoolean(true);
        return reply -> {
            Delivery d = telegram.send(reply);
            if (first.getAndSet(false)) {
                outbox.lost.set(true);
            }
            return d;
        };
    }

    /**
     * The reply went out and the database was lost before its settle: the settle is tried again before the next
     * claim, so once the database answers the chat goes on at once and its reply is not sent twice. Given back
     * instead, the give-back failed too, and the chat waited out its 10-minute lease, then got its reply again.
     */
    @Test
    void aReplyWhoseSettleFailsIsSettledOnceTheDatabaseAnswersAndNotSentAgain() {
        queue("hello", "second");
        LosableOutbox outbox = new LosableOutbox(memory.pendingReplies());
        ReplySender sender = shop(losingTheDatabaseAtTheFirstSend(outbox), outbox).sender();

        assertThatThrownBy(sender::sendNext).hasMessageContaining("connection lost");
        assertThatThrownBy(sender::sendNext).as("still lost: the settle again, then the claim")
                .hasMessageContaining("connection lost");
        outbox.lost.set(false);

        assertThat(sender.sendNext()).as("the settle, done late").isEqualTo(new SendAttempt.Sent(true));
        assertThat(sender.sendNext().sent()).as("the chat's next reply: at once, not when the lease ends").isTrue();
        assertThat(telegram.texts()).containsExactly("hello", "second");
    }

    /** A stop settles what is left unsettled, once, so the next start neither waits for those chats nor resends. */
    @Test
    void aStopSettlesTheRepliesLeftUnsettled() {
        queue("hello");
        LosableOutbox outbox = new LosableOutbox(memory.pendingReplies());
        ReplySender sender = shop(losingTheDatabaseAtTheFirstSend(outbox), outbox).sender();
        assertThatThrownBy(sender::sendNext).hasMessageContaining("connection lost");

        assertThat(sender.settleLeftOvers()).as("the database still lost").isEqualTo(1);
        outbox.lost.set(false);
        assertThat(sender.settleLeftOvers()).isZero();

        assertThat(memory.pendingReplies().claim(clock.instant(), ReplySender.LEASE)).as("settled: nothing left")
                .isEmpty();
        assertThat(telegram.texts()).containsExactly("hello");
    }

    /**
     * Unsettled past its lease: settled late all the same when nobody claimed the chat meanwhile (the reply goes
     * once); when another sender did, it sends the reply again and the late settle changes nothing (at least once,
     * in order).
     */
    @Test
    void aReplyUnsettledPastItsLeaseIsSettledLateUnlessAnotherSenderClaimedItsChat() {
        queue("hello", "second");
        LosableOutbox outbox = new LosableOutbox(memory.pendingReplies());
        ReplySender sender = shop(losingTheDatabaseAtTheFirstSend(outbox), outbox).sender();
        assertThatThrownBy(sender::sendNext).hasMessageContaining("connection lost");
        clock.advance(ReplySender.LEASE.plusMinutes(1));
        outbox.lost.set(false);

        assertThat(sender.drain(10)).isEqualTo(2);
        assertThat(telegram.texts()).as("nobody claimed it: settled late, sent once").containsExactly("hello", "second");

        queue("third", "fourth");
        LosableOutbox second = new LosableOutbox(memory.pendingReplies());
        Messenger losing = losingTheDatabaseAtTheFirstSend(second);
        ReplySender slow = shop(losing, second).sender();
        ReplySender other = shop(telegram, memory.pendingReplies()).sender();
        assertThatThrownBy(slow::sendNext).hasMessageContaining("connection lost");
        clock.advance(ReplySender.LEASE.plusMinutes(1));
        second.lost.set(false);

        assertThat(other.sendNext().sent()).as("the chat claimed again once the lease ended").isTrue();
        assertThat(slow.sendNext().sent()).as("the late settle, which changes nothing").isTrue();
        other.drain(10);
        assertThat(telegram.texts()).as("at least once, in order")
                .containsExactly("hello", "second", "third", "third", "fourth");
    }

    @Test
    void aSenderToldToStopMidSendStillSettlesWhatItSentAndStaysTold() {
        queue("hello");
        Messenger stopping = reply -> {
            Thread.currentThread().interrupt(); // the runner stops while the call is on the wire
            return telegram.send(reply);
        };
        ReplySender sender = shop(stopping, memory.pendingReplies()).sender();
        try {
            assertThat(sender.sendNext().sent()).isTrue();
            assertThat(Thread.currentThread().isInterrupted()).as("still told to stop").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(memory.pendingReplies().claim(clock.instant().plus(ReplySender.LEASE), ReplySender.LEASE))
                .as("settled: nothing left to send").isEmpty();
        assertThat(telegram.texts()).containsExactly("hello");
    }

    /**
     * A send that taught nothing to record settles in one statement that commits on its own (on PostgreSQL one round
     * trip, where a transaction around it cost a second); what a send taught commits with its settle.
     */
    @Test
    void aSettleWithNothingToRecordOpensNoTransactionAndATaggedOneCommitsWithIt() {
        AtomicInteger opened = new AtomicInteger();
        Transactions counting = TransactionsOver.counted(memory.transactions(), opened::incrementAndGet);
        ReplySender sender = shop(telegram, memory.pendingReplies(), counting).sender();
        queue("plain");

        assertThat(sender.sendNext().sent()).isTrue();
        assertThat(opened).as("a plain send's settle").hasValue(0);

        memory.pendingReplies().append(List.of(new Outgoing(new Reply.SendText(CHAT, "tagged", Keyboard.NONE),
                new Outgoing.Follow.Tagged("progress"))), clock.instant());
        assertThat(sender.sendNext().sent()).isTrue();
        assertThat(opened).as("the tag and the settle, together").hasValue(1);
        assertThat(memory.pendingReplies().taggedMessage(CHAT, "progress")).isPresent();
    }

    /**
     * Another sender may take a chat's next reply the moment a settle commits: a job's new status message must be
     * known by then, or the job's next status finds none to edit and comes as a second message (which then shows an
     * old status for good). Here the other sender takes it inside that settle, as early as it could.
     */
    @Test
    void aJobsNextStatusEditsItsStatusMessageWhenAnotherSenderTakesItAsTheSettleCommits() {
        Job job = imageJob(CHAT);
        AtomicReference<ReplySender> other = new AtomicReference<>();
        AtomicBoolean first = new AtomicBoolean(true);
        PendingReplies racing = new ForwardingPendingReplies(memory.pendingReplies()) {
            @Override
            public boolean done(Queued reply, TokenBucket pacing, Instant dueAt) {
                boolean more = real.done(reply, pacing, dueAt);
                if (first.getAndSet(false)) {
                    assertThat(other.get().sendNext().sent()).as("the other sender took the next status").isTrue();
                }
                return more;
            }
        };
        ReplySender sender = shop(telegram, racing).sender();
        other.set(shop(telegram, memory.pendingReplies()).sender());
        memory.pendingReplies().append(List.of(status(job, "Queued"), status(job, "queued at the AI service")),
                clock.instant());

        assertThat(sender.sendNext().sent()).isTrue();

        assertThat(telegram.all()).as("one status message, then an edit of it").hasSize(2)
                .satisfies(r -> assertThat(r.get(0)).isInstanceOf(Reply.SendText.class))
                .satisfies(r -> assertThat(r.get(1)).isInstanceOf(Reply.EditText.class));
    }

    /**
     * A job's result is marked in the outbox as a try that may have arrived, committed before its call
     * ({@link PendingReplies#tryBegins}), at every try; a try the platform deferred (surely not sent) replaces that
     * mark by its release, a second deferral too, so a clean deferral leaves no "may have arrived" behind. A text and
     * a job's status go with no such statement: the path of every other reply is as it was.
     */
    @Test
    void aResultsTryIsMarkedBeforeItsCallAndNoOtherReplysIs() {
        Job job = imageJob(CHAT);
        List<String> calls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        PendingReplies marking = markingInto(calls);
        AtomicInteger deferrals = new AtomicInteger(2);
        Messenger messenger = reply -> {
            calls.add("send " + reply.getClass().getSimpleName());
            if (reply instanceof Reply.SendMedia && deferrals.getAndDecrement() > 0) {
                return new Delivery.Deferred(Duration.ofSeconds(5), "429: too many requests");
            }
            return telegram.send(reply);
        };
        ReplySender sender = shop(messenger, marking).sender();
        Outgoing result = new Outgoing(new Reply.SendMedia(CHAT, dev.kiebot.core.jobs.MediaKind.PHOTO,
                "https://r/cat.png", "", Keyboard.NONE, Optional.empty()),
                new Outgoing.Follow.JobResult(job.id(), new Reply.SendText(CHAT, "https://r/cat.png", Keyboard.NONE)));
        memory.pendingReplies().append(List.of(Outgoing.plain(new Reply.SendText(CHAT, "hello", Keyboard.NONE)),
                status(job, "Queued"), result), clock.instant());

        sender.drain(10);
        assertThat(calls).as("the text and the status: no mark; the result: marked, then sent")
                .containsExactly("send SendText", "send SendText", "mark", "send SendMedia");
        assertThat(keptDeferral()).as("deferred for sure: not a try that may have arrived")
                .hasValueSatisfying(d -> assertThat(d.threw()).isFalse());
        clock.advance(Duration.ofSeconds(5));
        sender.drain(10);
        assertThat(keptDeferral()).as("deferred for sure again, its deferral unchanged: the mark replaced all the same")
                .hasValueSatisfying(d -> assertThat(d.threw()).isFalse());
        clock.advance(Duration.ofSeconds(10));
        sender.drain(10);

        assertThat(calls).as("each try of the result marked before its call")
                .containsExactly("send SendText", "send SendText", "mark", "send SendMedia", "mark", "send SendMedia",
                        "mark", "send SendMedia");
        assertThat(telegram.all()).hasSize(3);
    }

    /** A paid image job of {@code chat}'s, running, due in ten minutes. */
    private Job imageJob(long chat) {
        return memory.jobs().create(new JobDraft(chat, chat, "en", "img/m9", "default", Map.of(), Map.of(), 0,
                true, clock.instant(), clock.instant().plusSeconds(600)));
    }

    /** The outbox, noting "mark" in {@code calls} at each result's try mark (in order with the sends noted there). */
    private PendingReplies markingInto(List<String> calls) {
        return new ForwardingPendingReplies(memory.pendingReplies()) {
            @Override
            public void tryBegins(Queued reply, Instant at) {
                calls.add("mark");
                real.tryBegins(reply, at);
            }
        };
    }

    /**
     * Telegram goes down with a reply in flight ({@link Messenger#heldFor}): the senders claim nothing while it is
     * held (no call, no result's try mark, the replies first in their chats), and the reply whose try ended in doubt
     * goes once more when it is back, ahead of the chat's next. A result goes once more at most: a second try in doubt
     * is settled as maybe sent (never refunded), not tried a third time. Before, the senders went on taking chats into
     * the outage and every reply whose call timed out was settled "may have arrived" and never sent.
     */
    @Test
    void whileTelegramIsDownNothingIsClaimedAndWhatWasInDoubtGoesOnceMoreWhenItIsBack() {
        Job job = imageJob(7);
        List<String> marks = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        PendingReplies marking = markingInto(marks);
        AtomicInteger inDoubt = new AtomicInteger(1);
        AtomicInteger resultsInDoubt = new AtomicInteger(2);
        List<Reply> tried = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Messenger hanging = new Messenger() {
            @Override
            public Delivery send(Reply reply) {
                tried.add(reply);
                boolean doubt = reply instanceof Reply.SendMedia ? resultsInDoubt.getAndDecrement() > 0
                        : inDoubt.getAndDecrement() > 0;
                if (doubt) {
                    telegram.holding(Optional.of(Duration.ofSeconds(1))); // the read timed out: Telegram is down
                    return new Delivery.Uncertain("read timed out, it may have been delivered");
                }
                return telegram.send(reply);
            }

            @Override
            public Optional<Duration> heldFor() {
                return telegram.heldFor();
            }
        };
        ReplySender sender = shop(hanging, marking).sender();
        queue("your balance", "your history");
        Outgoing result = new Outgoing(new Reply.SendMedia(7, dev.kiebot.core.jobs.MediaKind.PHOTO,
                "https://r/cat.png", "", Keyboard.NONE, Optional.empty()),
                new Outgoing.Follow.JobResult(job.id(), new Reply.SendText(7, "https://r/cat.png", Keyboard.NONE)));

        assertThat(sender.sendNext().sent()).isTrue();
        assertThat(tried).as("the balance, in doubt").hasSize(1);
        assertThat(sender.sendNext()).as("held: nothing claimed")
                .isEqualTo(new SendAttempt.NothingDue(Optional.of(Duration.ofSeconds(1))));
        clock.advance(Duration.ofMinutes(1));
        memory.pendingReplies().append(List.of(result), clock.instant()); // a result falls due in the outage
        assertThat(sender.drain(10)).isZero();
        assertThat(tried).as("no call while Telegram is down").hasSize(1);
        assertThat(marks).as("no result's try spent meanwhile").isEmpty();

        telegram.holding(Optional.empty());
        sender.drain(10);
        assertThat(telegram.texts()).as("the balance once more, then the history, in order")
                .containsExactly("your balance", "your history");
        assertThat(marks).as("the result marked before its try, in doubt").containsExactly("mark");

        telegram.holding(Optional.empty());
        clock.advance(Duration.ofMinutes(1));
        sender.drain(10);
        // its second try in doubt held the senders again: once Telegram is back, nothing of it is left to send
        telegram.holding(Optional.empty());
        clock.advance(Duration.ofMinutes(1));
        assertThat(sender.drain(10)).isZero();
        assertThat(tried).filteredOn(Reply.SendMedia.class::isInstance).as("the result once more, no more").hasSize(2);
    }

    /** What the outbox keeps with the chat's first reply, read by a claim given back at once. */
    private Optional<PendingReplies.Deferral> keptDeferral() {
        PendingReplies.Queued q = memory.pendingReplies().claim(clock.instant().plus(Duration.ofHours(1)),
                ReplySender.LEASE).orElseThrow();
        memory.pendingReplies().release(q, clock.instant());
        return q.deferral();
    }

    private static Outgoing status(Job job, String text) {
        return new Outgoing(new Reply.SendText(CHAT, text, Keyboard.NONE), new Outgoing.Follow.JobStatus(job.id()));
    }
    /**
     * A reply Telegram cannot take yet stays first in its chat: the chat's next reply does not overtake it, another
     * chat's goes meanwhile, and it goes again once its wait is over. One still deferred after
     * {@link ReplySender#DEFERRED_MAX} is dropped, so a reply the platform never takes does not hold its chat for good.
     */
    @Test
    void aDeferredReplyWaitsFirstInItsChatWhileOtherChatsGoAndIsDroppedOnlyAfterADay() {
        queue("first", "second");
        memory.pendingReplies().append(List.of(Outgoing.plain(new Reply.SendText(7, "other chat", Keyboard.NONE))),
                clock.instant());
        AtomicBoolean unreachable = new AtomicBoolean(true);
        Messenger flaky = reply -> reply.chatId() == CHAT && unreachable.get()
                ? new Delivery.Deferred(Duration.ofSeconds(15), "telegram unreachable") : telegram.send(reply);
        ReplySender sender = shop(flaky, memory.pendingReplies()).sender();

        sender.drain(10);
        assertThat(telegram.texts()).containsExactly("other chat");
        clock.advance(Duration.ofSeconds(14));
        sender.drain(10);
        assertThat(telegram.texts()).as("not before its wait").containsExactly("other chat");

        unreachable.set(false);
        clock.advance(Duration.ofSeconds(1));
        sender.drain(10);
        assertThat(telegram.texts()).containsExactly("other chat", "first", "second");

        queue("never taken", "after it");
        unreachable.set(true);
        for (Duration waited = Duration.ZERO; waited.compareTo(ReplySender.DEFERRED_MAX) <= 0;
                waited = waited.plus(Duration.ofHours(1))) {
            sender.drain(10);
            clock.advance(Duration.ofHours(1));
        }
        unreachable.set(false);
        sender.drain(10);
        assertThat(telegram.texts()).containsExactly("other chat", "first", "second", "after it");
    }

    /**
     * A long text whose first message went out before Telegram asked to wait: when its wait is over only the rest
     * goes, still ahead of the chat's next reply. Sent whole again, as before, the user read its first message twice.
     */
    @Test
    void aReplyDeferredPartWayGoesOnWithItsRestOnly() {
        queue("part one|part two", "next");
        AtomicBoolean first = new AtomicBoolean(true);
        Messenger splitting = reply -> {
            if (reply instanceof Reply.SendText t && t.text().contains("|") && first.getAndSet(false)) {
                telegram.send(new Reply.SendText(CHAT, "part one", Keyboard.NONE));
                return new Delivery.Deferred(Duration.ofSeconds(15), "429: retry after 15",
                        Optional.of(new Reply.SendText(CHAT, "part two", Keyboard.NONE)));
            }
            return telegram.send(reply);
        };
        ReplySender sender = shop(splitting, memory.pendingReplies()).sender();

        sender.drain(10);
        assertThat(telegram.texts()).containsExactly("part one");
        clock.advance(Duration.ofSeconds(15));
        sender.drain(10);
        assertThat(telegram.texts()).containsExactly("part one", "part two", "next");
    }

    /**
     * A reply the platform keeps refusing waits longer after each try (what the platform asked, doubled each time, at
     * most {@link Deferrals#WAIT_MAX}): every try holds a sender for the adapter's own retries. Before, it
     * was tried every 15 s for a day.
     */
    @Test
    void aReplyDeferredAgainAndAgainWaitsLongerEachTimeUpToTwoMinutes() {
        queue("refused");
        List<Instant> tries = new java.util.ArrayList<>();
        Messenger refusing = reply -> {
            tries.add(clock.instant());
            return new Delivery.Deferred(Duration.ofSeconds(15), "telegram answered 502");
        };
        ReplySender sender = shop(refusing, memory.pendingReplies()).sender();
        Instant start = clock.instant();
        for (int second = 0; second <= 600; second++) {
            sender.drain(10);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(tries.stream().map(t -> Duration.between(start, t).toSeconds()).toList())
                .containsExactly(0L, 15L, 45L, 105L, 225L, 345L, 465L, 585L);
    }

    /**
     * A chat the platform asks to slow down ({@link Delivery.Deferred.Cause#PACE}: Telegram's 429 for a busy chat) is
     * routine: its reply waits and goes, with no warning from the outbox (its messenger says it once, at INFO). A
     * platform that cannot be reached still gets its warning, once per reply. Before, every reply a busy chat's 429
     * deferred logged a WARN, and they buried the ones that need an operator.
     */
    @Test
    void aReplyDeferredForTheChatsPaceLogsNoWarningOneDeferredForAnOutageDoes() {
        queue("paced");
        memory.pendingReplies().append(List.of(Outgoing.plain(new Reply.SendText(7, "unreachable", Keyboard.NONE))),
                clock.instant());
        AtomicBoolean refusing = new AtomicBoolean(true);
        Messenger busy = reply -> !refusing.get() ? telegram.send(reply)
                : reply.chatId() == CHAT ? Delivery.Deferred.pacedByPlatform(Duration.ofSeconds(30), "429: retry after 30")
                : new Delivery.Deferred(Duration.ofSeconds(30), "telegram unreachable");
        ReplySender sender = shop(busy, memory.pendingReplies()).sender();

        List<String> warned = LoggedLines.of(ReplySender.class, java.util.logging.Level.WARNING,
                () -> sender.drain(10));

        assertThat(warned).as("the outage's, not the pace's").singleElement()
                .satisfies(l -> assertThat(l).contains("could not go yet").contains("telegram unreachable"));
        refusing.set(false);
        clock.advance(Duration.ofSeconds(30));
        sender.drain(10);
        assertThat(telegram.texts()).containsExactlyInAnyOrder("paced", "unreachable");
    }
}
