package dev.kiebot.core.reply;

import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.pacing.TokenBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outbox (port): every reply waits here, in its chat's queue, until the sender delivers it. Appending
 * happens inside the handling transaction, so the replies exist exactly when the update's effects do.
 *
 * <p>The sender takes one chat at a time, when that chat's pacing allows, by <em>leasing</em> it: {@link #claim}
 * commits the lease in a short transaction, the call to Telegram runs with no transaction open, and {@link #done}
 * settles the reply in another short one. A chat is not held by a transaction across the send because that call
 * takes up to minutes (an upload, a 429's {@code retry_after}): whoever queued a reply for the chat meanwhile — a
 * handler — waited that long, holding its thread and a database connection. A sender that dies mid-send keeps its
 * chat only until the lease ends; the reply is then claimed and sent again (delivery is at least once).
 *
 * <p>Because delivery is at least once, a store may commit a claim or a settle made on its own without waiting for
 * the disk (PostgreSQL's {@code synchronous_commit = off} for that transaction): a crash can then take back only the
 * last such commits, which sends a reply once more and never loses one. The append cannot: it commits with the
 * update's effects.
 */
public interface PendingReplies {
    /**
     * Appends to the chats' queues, in order; never waits for a send in progress. Joins the caller's transaction
     * (the update's), so the replies commit with its effects or not at all.
     *
     * @param replies in order; each keeps its place behind what its chat has queued already, and is kept whole
     *                (its reply and follow given back unchanged by {@link #claim})
     * <p>A chat with nothing queued and no lease whose next turn is further ahead than
     * {@code ChatPacing.INTERVAL_MAX} from {@code now} got it before the pacing clock stepped back (NTP): its turn
     * becomes {@code now} plus that at the latest, or every chat served in the hour before a step back of an hour
     * waited out that hour. {@code QueuesContract} checks it.
     *
     * @param now     when they were queued, on the pacing clock: each is due from then, or at its chat's next turn
     */
    void append(List<Outgoing> replies, Instant now);

    /**
     * {@link #append}, keeping {@code origin} with each reply until it leaves: its claim gives it back
     * ({@link Queued#origin()}), so that what is logged while the reply is sent (a block, a {@code retry_after}, a
     * media send that fell back to a link) names the update or job that made it. kiebot's runtime passes the
     * correlation id of the thread that queues ({@code upd_…}, {@code gen_…}) and puts it back while the reply is sent;
     * the senders' lines named none before, and an operator could not tie them to anything.
     *
     * <p>The default does {@link #append} and keeps nothing: a partner's store gives back no origin, and the sender's
     * lines name none, as before. A default because that is sound: only the log lines lose a name, nothing sent or
     * kept depends on it. A store of your own keeps it with the reply's row (a column of the same insert: no
     * statement more); {@code QueuesContract} ({@code aReplysOriginComesBackWithItsClaim}) checks it.
     *
     * @param replies as {@link #append} takes them
     * @param now     as {@link #append} takes it
     * @param origin  a short text naming what made the replies (at most {@link #ORIGIN_MAX} characters kept); empty
     *                for none
     */
    default void append(List<Outgoing> replies, Instant now, Optional<String> origin) {
        append(replies, now);
    }

    /** The most of an origin ({@link #append(List, Instant, Optional)}) a store keeps: a correlation id, not a text. */
    int ORIGIN_MAX = 64;

    /**
     * In a transaction of its own (the lease holds once it commits): the first reply of a chat whose turn has come
     * (due at or before {@code now}) that no live lease holds, its chat leased to the caller for {@code lease}
     * (positive). No other claim gets the chat until the lease is settled ({@link #done}), given back
     * ({@link #release}) or over.
     *
     * <p>Which due chat first is the store's (the oldest first reply, or the chat due longest), but a chat given back
     * unsettled ({@link #release}, {@link #releaseRest}: its send threw or was deferred) goes behind the chats that
     * were due before it was given back: {@code PgPendingReplies} orders by due time; the in-memory store orders the
     * due chats by when each began to wait, its first reply's queueing or, for a chat given back unsettled, the time
     * it was given back as due again (kept until its reply is settled), so such a chat goes behind the chats waiting
     * from before then and ahead of those queued after. Taken by the age of its reply it came first at every
     * claim, and one chat whose sends fail (a partner's messenger throwing for it) kept every other chat's replies
     * from leaving. core-testing's {@code QueuesContract}
     * ({@code aChatReleasedAfterAFailedSendGoesBehindTheChatsDueBeforeIt}) checks it. Where among the due chats
     * comes a chat whose lease lapsed unsettled (its sender died mid-send), and a chat dropped ({@link #dropQueue},
     * {@link #dropChat}) and queued again, is the store's too: the two stores differ there, and no caller may count
     * on either; each such chat is claimed again, its first reply first.
     *
     * @param now   the pacing clock's instant
     * @param lease how long the chat stays the caller's ({@code ReplySender.LEASE})
     * @return the claimed reply with its chat's pacing and the lease's end; empty when no chat is due
     */
    Optional<Queued> claim(Instant now, Duration lease);

    /**
     * Settles a claimed reply, inside the caller's transaction when there is one (most settles have none: then it
     * must be atomic on its own, as {@link #claim} is): it leaves the queue, the chat keeps {@code pacing},
     * is due again at {@code dueAt}, and its lease ends. Only while the caller's lease holds: a lease that ended and
     * was claimed again is another sender's, who is sending the reply again — the late word changes nothing. A reply
     * that left the queue meanwhile (the chat was dropped) ends the lease all the same.
     *
     * @return whether the chat has more replies queued (the next one then falls due at {@code dueAt}); false when
     * the lease was no longer the caller's
     * @param reply  the reply as {@link #claim} gave it (its id and {@code leasedUntil} tell the caller's lease)
     * @param pacing the chat's token bucket after this send, to keep as given
     * @param dueAt  when the chat's next reply may go (its next turn under the pacing)
     */
    boolean done(Queued reply, TokenBucket pacing, Instant dueAt);

    /**
     * The claimed reply was not settled (its send threw, or its settle did not commit, or the platform could not
     * take it yet): the lease ends and the chat is due at {@code dueAt}, its reply still first. A send that threw
     * passes now, so it goes at once, as when a rolled-back transaction let go of the chat, rather than when the
     * lease ends; a deferred one ({@link Delivery.Deferred}) passes when it may go again. Only while the caller's
     * lease holds.
     *
     * @param reply the reply as {@link #claim} gave it
     * @param dueAt when the chat may be claimed again
     */
    void release(Queued reply, Instant dueAt);

    /**
     * {@link #release} of a reply that went out in part ({@link Delivery.Deferred#rest()}: a long text, some of its
     * messages sent): {@code rest} takes the reply's place, first in its chat's queue still, with the same follow and
     * id, durably as the queue is, so that after a restart too only what had not gone is sent. Only while the
     * caller's lease holds.
     *
     * <p>One that only released would send the whole reply again, and the user would see its first messages twice,
     * without a word to anyone: a store keeps {@code rest} in the reply's place. {@code QueuesContract}
     * ({@code aReplyReleasedWithItsRestGoesOnWithTheRestOnly}) checks it.
     *
     * @param reply the reply as {@link #claim} gave it
     * @param rest  what is still to go, which replaces the reply's {@link Outgoing#reply()}
     * @param dueAt when the chat may be claimed again
     */
    void releaseRest(Queued reply, Reply rest, Instant dueAt);

    /**
     * {@link #release}, keeping {@code deferral} with the reply, in its place in the queue, until it leaves (sent,
     * settled otherwise, or dropped): the next {@link #claim} of it, by this process after a restart or by another
     * instance, gives it back in {@link Queued#deferral()}. The sender calls it when the platform could not take the
     * reply ({@link Delivery.Deferred}, or a {@code Messenger.send} that threw) and what it notes changed: its first
     * deferral, or a first try that threw. Its give-up clock ({@code ReplySender.DEFERRED_MAX}, a day from the first
     * deferral) and whether a try of it may have reached the chat are read from there, so a restart neither starts
     * the day again (a reply the platform held for ever, deferred across restarts less than a day apart, was never
     * given up) nor forgets the throw (a job's result that may have reached the chat was refunded as surely not
     * sent when a try after a restart was refused). A {@link #release} without it keeps the reply's deferral as it is.
     *
     * <p>No default: one that only released kept nothing, and the sender knew only what this process saw, so a reply
     * the platform kept refusing was never given up across restarts, and a job's result whose try threw, refused
     * after a restart, was refunded though it may have reached the chat. A store keeps {@code deferral} with the
     * reply (two columns of its row: one statement with the release) and gives it back from its claim;
     * {@code QueuesContract} ({@code aReplysDeferralIsKeptWithItUntilItLeaves}) checks it.
     *
     * @param reply    the reply as {@link #claim} gave it
     * @param dueAt    when the chat may be claimed again
     * @param deferral what to keep with the reply, replacing what it kept
     */
    void release(Queued reply, Instant dueAt, Deferral deferral);

    /**
     * {@link #releaseRest}, keeping {@code deferral} with the rest as {@link #release(Queued, Instant, Deferral)}
     * does. No default, for the same reason ({@code QueuesContract} checks it with the rest).
     *
     * @param reply    the reply as {@link #claim} gave it
     * @param rest     what is still to go, which replaces the reply's {@link Outgoing#reply()}
     * @param dueAt    when the chat may be claimed again
     * @param deferral what to keep with the reply, replacing what it kept
     */
    void releaseRest(Queued reply, Reply rest, Instant dueAt, Deferral deferral);

    /**
     * A try of the claimed reply begins: commits, on its own and before the call to the platform, the mark a try that
     * threw leaves: {@code threw} true, the {@code since} the reply keeps left as it is, none when it was never
     * deferred; every later {@link #claim} of it gives it back until a release replaces it or the reply leaves, a
     * mark with no {@code since} as {@code new Deferral(now, true)}, {@code now} the claim's. The give-up day
     * ({@code ReplySender.DEFERRED_MAX}) is counted from a deferral, never from a mark: a mark's time started it at a
     * try whose sender died, maybe a day before the next try (the host down), and that result was given up at its
     * first deferral after. Written ahead because a try may never come back to say how it ended: its sender dies mid-call (a crash,
     * a kill, a restart of the host), or its call outlives the lease and another sender claims the chat, where a
     * release no longer counts. With no mark, that later sender took a job's result refused for sure (the user
     * blocked the bot, its file gone) as never tried, and refunded it though the first try may have reached him; with
     * it, the result is settled as maybe sent ({@link Delivery.Uncertain}), as after a throw. The sender calls it only
     * for a job's result ({@link Outgoing.Follow.JobResult}: the only replies with money on them), and not when the
     * claim gave back such a mark already; a try that ends clean and deferred replaces it by its release with the
     * deferral it keeps, so a try surely not sent leaves no mark of its own, and never clears an earlier one's.
     *
     * <p>Whatever the lease: the try begins all the same, and a mark more only makes a refusal count as maybe sent.
     * One statement, committed before it returns (waiting for the disk: a crash of the server while the reply is on
     * the wire must not take it back); a reply that left the queue meanwhile changes nothing. No default: one that
     * did nothing left no mark of a sender that died mid-send, or whose send threw past its lease while another
     * claimed the chat, and the next try, refused for sure, refunded a result that may have reached the chat. A store
     * sets the throw {@link #release(Queued, Instant, Deferral)} writes, and not its {@code since};
     * {@code QueuesContract} ({@code aTryThatBeganIsMarkedAsOneThatThrewUntilAReleaseReplacesIt},
     * {@code aMarkStartsNoDayTheClaimDoes}) checks it.
     *
     * @param reply the reply as {@link #claim} gave it
     * @param at    when the try begins, on the pacing clock (kiebot's stores keep nothing of it)
     */
    void tryBegins(Queued reply, Instant at);

    /**
     * Ends every lease, each leased chat due at {@code now}: for a process starting alone on its stores, where every
     * lease is a previous run's, cut off mid-send, so its chat need not wait out the lease ({@code ReplySender.LEASE},
     * minutes) for its reply to go again. Never while another process may be sending: its chats would be sent to
     * twice at once. {@code ShopWork} calls it at start when told the process is the only one.
     *
     * <p>The default cannot: it throws. A store of your own implements it (one statement: every leased chat loses
     * its lease and is due at {@code now}) to be started as the only instance; {@code QueuesContract} checks it. A
     * default, unlike the outbox's other calls, because it turns nothing off: only {@code ShopWork.start} with
     * {@code Instances.ONE} asks it, and that start is refused, saying to implement it or start with
     * {@code Instances.SEVERAL}, which never asks it.
     *
     * @param now the pacing clock's instant
     * @return how many chats were leased
     * @throws UnsupportedOperationException from the default
     */
    default int releaseAll(Instant now) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot end the leases of a previous run: "
                + "implement PendingReplies.releaseAll to start as the only instance");
    }

    /**
     * The pacing clock stepped back by {@code step} (NTP setting right a machine's clock that ran ahead): every chat no
     * lease holds whose turn is later than {@code now} has that turn moved back by {@code step}, so that it waits
     * what it was to wait, in real time, and not the step on top. A turn was set on the clock before the step: a chat
     * with replies queued behind its pace, or deferred (a 429's {@code retry_after}, Telegram unreachable), waited
     * ten minutes more after a step back of ten minutes. {@code ReplySender} calls it, once per step it sees (a
     * reading of its clock earlier than the last one by more than {@code ReplySender.CLOCK_STEP_MIN}), before its
     * claim.
     *
     * <p>Moved by the step, never cut to a bound: a deferred chat's wait (a {@code retry_after} of minutes) is real,
     * and a chat due no later than {@code now} plus a minute would be tried again before the platform takes it. A
     * leased chat is left as it is, its lease's end too: that end names the claimer's lease ({@link #done} and the
     * releases compare it), and its send is on the wire; it settles on the new clock. A chat due already may be left
     * as it is: it is due either way. With instances on several machines sharing the outbox, a turn another
     * instance set on a clock that did not step moves back too: it comes up to the step early, once. A turn set on
     * the stepped-back clock before the sender noticed (a {@code retry_after} answered in the send that saw it, an
     * append from a handler) moves too, and instances whose clocks stepped together each move every turn: the store
     * does not know when a turn was set. Early means one try Telegram may answer with another {@code retry_after};
     * a reply is never lost by it.
     *
     * <p>The default moves nothing: a partner's store keeps such a chat waiting the step on top of its turn, as before
     * (a chat with nothing queued gets its turn {@code ChatPacing.INTERVAL_MAX} away at most at its next
     * {@link #append}). A default because it is sound: such a reply waits the step longer, once, and is sent; none
     * is lost. A store of your own moves them in one statement; {@code QueuesContract}
     * ({@code aChatsTurnMovesBackWithTheClockAndKeepsItsWait}, {@code aLeasedChatKeepsItsLeaseWhenTheClockStepsBack})
     * checks it.
     *
     * @param step how far the clock went back, positive
     * @param now  the pacing clock's instant after the step
     * @return how many chats' turns moved
     */
    default int clockSteppedBack(Duration step, Instant now) {
        return 0;
    }

    /**
     * Everything queued for the chat leaves the queue (the user blocked the bot).
     *
     * @param chatId the chat whose queue is dropped, the reply being sent included; the chat stays leased until that
     *               reply is settled, so a reply queued after the drop waits for it
     * @return how many
     */
    int dropChat(long chatId);

    /**
     * {@link #dropChat}, telling what left: the replies dropped, oldest first, the one being sent included. The shop
     * reads the results among them (a job's files sent again at the user's asking, queued behind the reply refused as
     * blocked) to note them as not sent, so that his next «📤 Получить» sends them: unnoted, they were lost.
     *
     * <p>One that told none would leave the results of jobs that reached him in part, dropped so, not noted: a
     * store tells exactly the replies it dropped, each by one drop only (in one statement, as {@code dropChat}, or by
     * id after reading them); {@code QueuesContract} checks it, and that two drops of one chat at once (the sender's
     * and a broadcast's) leave every reply either told by one of them or still queued and claimable: a store that
     * reads the queue and then deletes takes the chat first (kiebot's PostgreSQL store locks its row), so that the
     * second drop reads after the first. A reply the store cannot read (kiebot's PostgreSQL
     * store: one a newer build queued, the two serving one outbox during a deploy) is left in the queue, in its place,
     * rather than dropped unread (it may be a result) or thrown (rolling the block back): the build that reads it
     * drops it when it meets the block.
     *
     * @param chatId the chat whose queue is dropped
     * @return the dropped replies as appended, oldest first
     */
    List<Outgoing> dropQueue(long chatId);

    /**
     * Whether a result of {@code job} (a reply whose follow is {@link Outgoing.Follow.JobResult} of that job) still
     * waits in the chat's queue, the one being sent (leased, not settled yet) included; one settled, given up or
     * dropped does not count. The shop asks it when the user asks for a result again («📤 Получить», «📎 Файлом»),
     * never on an ordinary update: such a result is a send that has not ended, which gives him the file or, given up,
     * the job's money back; a copy queued behind it gave him both. Deferred by the platform for up to a day from its
     * first deferral (longer across restarts on a store that keeps no {@link Deferral}), that send outlived any bound
     * counted from the result.
     *
     * <p>A yes or no, not the chat's replies: a chat's queue may be long (a broadcast's, a deferred chat's), and the
     * question reads none of it back. One that said no wrongly let a copy of a result on its way be queued: a store
     * answers it in one statement; {@code QueuesContract} checks it.
     *
     * @param chatId the chat whose queue is asked
     * @param job    the job whose result is looked for
     * @return whether one of its results waits there
     */
    boolean resultWaiting(long chatId, JobId job);

    /**
     * When the next waiting reply that is not due at {@code now} becomes due, if any: a paced chat's next turn, or
     * the end of a lease (should its sender have died, the chat is claimable then). Replies due already are not
     * counted: a sender takes them now, and it looks again when it is done. Counting them made an idle sender sleep
     * the whole safety poll whenever any chat was due, instead of until a paced chat's turn. The sender asks with
     * the {@code now} its {@code claim} found nothing at, so a chat falling due in between is in this answer.
     *
     * @param now the pacing clock's instant the last claim was made at
     * @return the earliest such instant, after {@code now}; empty when nothing waits
     */
    Optional<Instant> nextDueAfter(Instant now);

    /**
     * When the oldest reply still waiting to be sent was queued, if any: the measure of replies that do not leave
     * (Telegram unreachable or refusing, the senders stuck), users who "paid and got nothing". A deferred reply waits
     * too: it counts until it is sent or dropped. Never read by the senders, but by core's upkeep: the
     * {@code backlogs} task ({@code ShopWork}, {@code Shop.upkeep()}) tells the admins when replies wait too long
     * ({@code Msg.ADMIN_ALERT_REPLIES_STUCK}) and when they leave again; and by a metrics scrape (kiebot's gauge
     * {@code kiebot_outbox_oldest_pending_seconds}). An answer of none while replies wait would keep the admins from
     * ever being told of a stuck outbox. core-testing's {@code QueuesContract}
     * ({@code theOldestWaitingReplyIsTheFirstNotYetSentEvenOnTheWireOrGivenBack}) checks it.
     *
     * @return the oldest waiting reply's {@code now} of {@link #append}; empty when the queue is empty
     */
    Optional<Instant> oldestWaiting();

    /**
     * The message last {@link #tag tagged} {@code tag} in the chat (a screen the shop edits in place), if any.
     *
     * @param chatId the chat
     * @param tag    the screen's name, as {@link Outgoing.Follow.Tagged} gave it
     * @return the platform's message id; empty when none was tagged so
     */
    Optional<Long> taggedMessage(long chatId, String tag);

    /**
     * Remembers {@code messageId} as the chat's message tagged {@code tag}, replacing the one before.
     *
     * @param chatId    the chat
     * @param tag       the screen's name
     * @param messageId the platform's id of the message sent for it
     */
    void tag(long chatId, String tag, long messageId);

    /**
     * Forgets the chat's messages tagged so: the screens will not be edited again (a later {@link Outgoing.Follow.Tagged}
     * of one of them sends a new message). Joins the caller's transaction. The default forgets nothing. A default
     * because it is sound: the shop untags the messages of closed requests whose notices it forgot, which nothing
     * edits again; kept, the tags only grow.
     *
     * @param chatId the chat
     * @param tags   the screens' names; a name nothing was tagged with is passed by
     * @return how many were forgotten
     */
    default int untag(long chatId, List<String> tags) {
        return 0;
    }

    /**
     * Forgets up to {@code limit} of the replies the store moved aside unsent, moved before {@code movedBefore}: a
     * store that cannot read a reply it queued (kiebot's PostgreSQL store: a corrupt body, or a newer build's kind
     * after that build's deploy was rolled back) moves it out of its chat's queue a day after it was queued, so that
     * the chat goes on, and keeps it, body as queued, for the operator to read (one ERROR tells him). A body is a
     * reply to a user: his words quoted back, a name in an admin's notice; kept for ever, those were personal data
     * nobody reads. The upkeep calls it hourly, in bounded passes ({@code Upkeep.DEAD_LETTER_RETENTION}). Replies
     * still queued are never touched. No default: one that forgot nothing was inherited without a word by a store
     * that moves replies aside, which then kept users' words past the retention. A store that moves none aside (the
     * in-memory one reads every reply it queued) has none to forget and answers 0; a store of your own that keeps
     * such replies forgets the oldest first, at most {@code limit} in one statement; {@code QueuesContract}
     * ({@code deadLettersMovedBeforeTheCutoffAreForgottenAtMostALimitAtATime}) checks it.
     *
     * @param movedBefore replies moved aside before this are forgotten; one moved at it or later is kept
     * @param limit       the most to forget in this call
     * @return how many were forgotten
     */
    int forgetDeadLetters(Instant movedBefore, int limit);

    /**
     * Keeps the answer to a pre-checkout query, joining the caller's transaction (the update's), so that it exists
     * exactly when the update is done: the shop sends it at once after the commit and then forgets it
     * ({@link #answerGone}); one a crash kept from leaving (the process killed between the commit and the call) is
     * sent by the next start while Telegram still waits ({@link KeptAnswer#until()}), where before it was lost and
     * Telegram cancelled the payment. Only pre-checkout answers are kept: a button's answer is a spinner, not worth
     * a statement on the busiest path. Not a reply of the queue: no sender claims it, no pacing holds it up.
     *
     * <p>No default, nor for {@link #answerGone} and {@link #keptAnswers}: one that kept nothing lost the answer to
     * such a crash, and Telegram cancelled the user's payment, unsaid. A store keeps it (one row by its query id,
     * replaced when kept again); core-testing's {@code QueuesContract} ({@code aPreCheckoutAnswerIsKeptUntilItIsGone})
     * checks the three.
     *
     * @param answer the answer and the end of its window
     */
    void keepAnswer(KeptAnswer answer);

    /**
     * The kept answer to {@code queryId} left (sent, or dropped past its window): forgotten, in a transaction of its
     * own. One already gone, or never kept, changes nothing.
     *
     * @param queryId the pre-checkout query's id, as {@link Reply.AnswerPreCheckout#queryId()} names it
     */
    void answerGone(String queryId);

    /**
     * Every answer kept and not gone: read at start, where each one still within its window is sent and the rest
     * dropped.
     *
     * @return the kept answers, in no particular order
     */
    List<KeptAnswer> keptAnswers();

    /**
     * A pre-checkout's answer kept until it leaves ({@link #keepAnswer}).
     *
     * @param answer the answer as the shop decided it
     * @param until  the end of Telegram's window for it (the update's arrival plus about 10 s): past it, Telegram has
     *               cancelled the payment and an answer is refused, so it is dropped unsent
     */
    record KeptAnswer(Reply.AnswerPreCheckout answer, Instant until) {
        /**
         * Checks the fields.
         *
         * @param answer as the record's description says; never null
         * @param until  as the record's description says; never null
         * @throws NullPointerException when one is null
         */
        public KeptAnswer {
            Objects.requireNonNull(answer, "KeptAnswer: answer, the pre-checkout's answer to keep");
            Objects.requireNonNull(until, "KeptAnswer: until, the end of Telegram's window for the answer");
        }
    }

    /**
     * What the sender noted of a reply the platform could not take yet, kept with it in the queue
     * ({@link #release(Queued, Instant, Deferral)}).
     *
     * @param since when the platform first deferred it (for a try that began, {@link #tryBegins}, and never said
     *              how it ended, with nothing deferred: the claim's time): the reply is given up a day after
     *              ({@code ReplySender.DEFERRED_MAX}). A
     *              store may keep it to a coarser precision than the clock's (PostgreSQL keeps microseconds): the
     *              sender compares against what the claim gave back, not what it wrote, so a store of yours gives
     *              back what it kept, rounded or not
     * @param threw whether a try of it threw ({@code Messenger.send}), or began and never said how it ended
     *              ({@link #tryBegins}): it may have reached the chat, so a job's result given up or refused later is
     *              settled as maybe sent ({@link Delivery.Uncertain}), not refunded as surely not sent
     */
    record Deferral(Instant since, boolean threw) {
        /**
         * Checks the instant.
         *
         * @param since as the record's description says; never null
         * @param threw as the record's description says
         * @throws NullPointerException when {@code since} is null
         */
        public Deferral {
            Objects.requireNonNull(since, "since");
        }
    }

    /**
     * One claimed reply.
     *
     * @param id          the store's id of the queued reply, unique and never reused while it waits
     * @param outgoing    the reply and its follow, as appended
     * @param pacing      the chat's token bucket as stored (empty for a chat that had no message yet)
     * @param leasedUntil when the claimer's lease of the chat ends; it also tells this lease from a later one of
     *                    the same chat (a later claim ends later), so only the claimer settles the chat
     * @param deferral    what was kept with the reply at its last {@link #release(Queued, Instant, Deferral)}; empty
     *                    for one never deferred, or from a store that keeps none
     * @param origin      what made the reply, as {@link #append(List, Instant, Optional)} kept it; empty for none, or
     *                    from a store that keeps none
     */
    record Queued(long id, Outgoing outgoing, Optional<TokenBucket> pacing, Instant leasedUntil,
                  Optional<Deferral> deferral, Optional<String> origin) {
        /**
         * A reply with no origin kept: queued without one, or from a store that keeps none.
         *
         * @param id          the store's id of the queued reply
         * @param outgoing    the reply and its follow, as appended
         * @param pacing      the chat's token bucket as stored
         * @param leasedUntil when the claimer's lease of the chat ends
         * @param deferral    what was kept with the reply at its last release
         */
        public Queued(long id, Outgoing outgoing, Optional<TokenBucket> pacing, Instant leasedUntil,
                      Optional<Deferral> deferral) {
            this(id, outgoing, pacing, leasedUntil, deferral, Optional.empty());
        }

        /**
         * A reply with no deferral kept: never deferred, or from a store that keeps none.
         *
         * @param id          the store's id of the queued reply
         * @param outgoing    the reply and its follow, as appended
         * @param pacing      the chat's token bucket as stored
         * @param leasedUntil when the claimer's lease of the chat ends
         */
        public Queued(long id, Outgoing outgoing, Optional<TokenBucket> pacing, Instant leasedUntil) {
            this(id, outgoing, pacing, leasedUntil, Optional.empty());
        }

        /**
         * The chat the reply goes to, which the claim leased.
         *
         * @return {@code outgoing().chatId()}
         */
        public long chatId() {
            return outgoing.chatId();
        }
    }
}
