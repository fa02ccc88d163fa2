package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.pacing.BotPacing;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Delivers the outbox: the oldest reply of a chat whose turn has come, one at a time, in its own transaction
 * (so a chat is served by one sender at a time, in order, across instances). A chat's pace is
 * {@link ChatPacing}, measured in real time ({@code clock} is the pacing clock, not the business one); the whole
 * bot's pace is {@link BotPacing}, waited for before the transaction opens. What follows a delivery happens here: a
 * blocked user is marked so and their queue dropped, a job's status message id is kept, a result's file ids
 * are kept, and a result that surely did not arrive is replaced by its link — never one that may have.
 */
public final class ReplySender {
    private static final System.Logger LOG = System.getLogger(ReplySender.class.getName());

    private final Stores stores;
    private final PendingReplies replies;
    private final Messenger messenger;
    private final ChatPacing pacing;
    private final BotPacing botPacing;
    private final Clock clock;

    ReplySender(Stores stores, Messenger messenger, ChatPacing pacing, BotPacing botPacing, Clock clock) {
        this.stores = stores;
        this.replies = stores.pendingReplies();
        this.messenger = messenger;
        this.pacing = pacing;
        this.botPacing = botPacing;
        this.clock = clock;
    }

    /**
     * Delivers the next due reply, if any; with none due, says how long until the next paced one falls due. Both
     * answers use one instant: asked apart, a chat falling due between the two questions was in neither (not due
     * yet for the first, not "after now" for the second) and its reply waited for a wake-up or the safety poll.
     */
    public SendAttempt sendNext() {
        if (!botPacing.awaitTurn()) {
            return new SendAttempt.NothingDue(Optional.empty()); // interrupted: the caller is stopping
        }
        Instant now = clock.instant();
        Optional<Delivered> delivered = stores.transactions().inOne(() -> replies.next(now).map(this::deliver));
        if (delivered.isPresent()) {
            delivered.get().keepJobFacts().run();
            return new SendAttempt.Sent(delivered.get().chatHasMore());
        }
        botPacing.giveBack();
        Optional<Instant> due = replies.nextDueAfter(now);
        return new SendAttempt.NothingDue(due.map(at -> Duration.between(clock.instant(), at)));
    }

    /** Sends until nothing is due or {@code max} were sent (tests, shutdown). @return how many */
    public int drain(int max) {
        int n = 0;
        while (n < max && sendNext().sent()) {
            n++;
        }
        return n;
    }

    /**
     * A reply dealt with, and what it taught about its job (a status message's id, a result's file ids), kept once
     * the chat's transaction has committed: written inside it, the job's row was taken while the chat was held, and
     * a job's failure or delivery takes them the other way round (the job, then the chat for its notice); when the
     * deadlock that made was broken against the sender, its transaction ran again and the reply went out twice.
     * Lost in a crash between the two, a status is sent anew instead of edited, a result re-sent by its link.
     */
    private record Delivered(boolean chatHasMore, Runnable keepJobFacts) {
    }

    private Delivered deliver(PendingReplies.Queued q) {
        Outgoing o = q.outgoing();
        Delivery d = messenger.send(resolved(o));
        if (d instanceof Delivery.Blocked) {
            blocked(stores, q.chatId());
            return new Delivered(false, () -> { });
        }
        Runnable keepJobFacts = follow(o, d);
        Instant now = clock.instant();
        ChatPacing.Paced paced = pacing.afterSending(q.pacing().orElseGet(() -> pacing.fresh(now)), now);
        return new Delivered(replies.done(q, paced.bucket(), paced.dueAt()), keepJobFacts);
    }

    /** A status or tagged text becomes an edit of its message once that message exists. */
    private Reply resolved(Outgoing o) {
        if (!(o.reply() instanceof Reply.SendText t)) {
            return o.reply();
        }
        Optional<Integer> existing = Optional.empty();
        if (o.follow() instanceof Outgoing.Follow.JobStatus s) {
            existing = stores.jobs().find(s.job()).flatMap(Job::statusMessageId);
        } else if (o.follow() instanceof Outgoing.Follow.Tagged tag) {
            existing = replies.taggedMessage(t.chatId(), tag.tag());
        }
        return existing.<Reply>map(id -> new Reply.EditText(t.chatId(), id, t.text(), t.keyboard())).orElse(t);
    }

    /** @return what to keep on the reply's job once the chat's transaction has committed */
    private Runnable follow(Outgoing o, Delivery d) {
        Outgoing.Follow f = o.follow();
        Optional<Integer> messageId = d.messageId();
        Runnable keepJobFacts = () -> { };
        if (f instanceof Outgoing.Follow.JobStatus s && messageId.isPresent()) {
            keepJobFacts = () -> keepStatusMessage(s.job(), messageId.get());
        } else if (f instanceof Outgoing.Follow.Tagged tag && messageId.isPresent()) {
            replies.tag(o.chatId(), tag.tag(), messageId.get());
        } else if (f instanceof Outgoing.Follow.JobResult r) {
            keepJobFacts = result(r, d);
        }
        if (d instanceof Delivery.Failed failed) {
            LOG.log(System.Logger.Level.WARNING, "a reply to chat {0} was not delivered: {1}",
                    dev.kiebot.core.conversation.Actor.mask(o.chatId()), failed.reason());
        }
        return keepJobFacts;
    }

    private void keepStatusMessage(JobId job, int messageId) {
        stores.jobs().transition(job, j -> !j.statusMessageId().equals(Optional.of(messageId)),
                j -> j.withStatusMessage(messageId));
    }

    /** A result that surely did not arrive is replaced by its link now, in its turn in the chat. */
    private Runnable result(Outgoing.Follow.JobResult r, Delivery d) {
        if (d instanceof Delivery.Sent sent && !sent.fileIds().isEmpty()) {
            return () -> stores.jobs().addDeliveredFileIds(r.job(), sent.fileIds());
        }
        if (d instanceof Delivery.Failed) {
            botPacing.awaitTurn();
            Delivery link = messenger.send(r.fallback());
            if (link instanceof Delivery.Blocked) {
                blocked(stores, r.fallback().chatId());
            }
        }
        return () -> { };
    }

    /**
     * The user blocked the bot: mark them (a private chat's id is its user's) and drop what waits for them, together
     * (in the caller's transaction when there is one: a broadcast's send has none).
     */
    static void blocked(Stores stores, long chatId) {
        stores.transactions().inOne(() -> {
            if (chatId > 0) {
                stores.users().setBlocked(chatId, true);
            }
            return stores.pendingReplies().dropChat(chatId);
        });
    }
}
