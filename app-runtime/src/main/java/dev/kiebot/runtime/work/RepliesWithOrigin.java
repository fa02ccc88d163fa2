package dev.kiebot.runtime.work;

import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.KeptInMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.MDC;

/**
 * The outbox, each reply queued with the correlation id ({@code cid} in the MDC) of the thread that queued it, the
 * update's ({@code upd_…}) or the job's ({@code gen_…}), and that id put back in the MDC of the sender that claims it
 * ({@link ReplySenders} clears it after the send): what the messenger and the sender log while the reply goes out (a
 * block, a {@code retry_after}, a media send that fell back to a link) names what made it. The senders' threads
 * ({@code replies-*}) logged with no correlation id: 53 such lines in an end-to-end run, none an operator could tie to
 * an update or a job (review L68). Every other call goes to the store as it is.
 */
public final class RepliesWithOrigin implements PendingReplies, KeptInMemory {
    /** The MDC key the runtime's log lines show as the correlation id. */
    static final String CID = "cid";

    private final PendingReplies store;

    public RepliesWithOrigin(PendingReplies store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Answers for the store it wraps: an in-memory outbox given to the runtime beside a database's stores is refused
     * by {@code Shop.Builder} behind this wrapper as it is given bare.
     */
    @Override
    public boolean keptInMemory() {
        return store instanceof KeptInMemory wrapped && wrapped.keptInMemory();
    }

    @Override
    public void append(List<Outgoing> replies, Instant now) {
        store.append(replies, now, Optional.ofNullable(MDC.get(CID)));
    }

    @Override
    public void append(List<Outgoing> replies, Instant now, Optional<String> origin) {
        store.append(replies, now, origin);
    }

    /** Puts the claimed reply's origin in the MDC, as its send's correlation id; none when it has none. */
    @Override
    public Optional<Queued> claim(Instant now, Duration lease) {
        Optional<Queued> claimed = store.claim(now, lease);
        Optional<String> origin = claimed.flatMap(Queued::origin);
        if (origin.isPresent()) {
            MDC.put(CID, origin.get());
        } else {
            MDC.remove(CID);
        }
        return claimed;
    }

    @Override
    public boolean done(Queued reply, TokenBucket pacing, Instant dueAt) {
        return store.done(reply, pacing, dueAt);
    }

    @Override
    public void release(Queued reply, Instant dueAt) {
        store.release(reply, dueAt);
    }

    @Override
    public void releaseRest(Queued reply, Reply rest, Instant dueAt) {
        store.releaseRest(reply, rest, dueAt);
    }

    @Override
    public void release(Queued reply, Instant dueAt, Deferral deferral) {
        store.release(reply, dueAt, deferral);
    }

    @Override
    public void releaseRest(Queued reply, Reply rest, Instant dueAt, Deferral deferral) {
        store.releaseRest(reply, rest, dueAt, deferral);
    }

    @Override
    public void tryBegins(Queued reply, Instant at) {
        store.tryBegins(reply, at);
    }

    @Override
    public int releaseAll(Instant now) {
        return store.releaseAll(now);
    }

    @Override
    public int clockSteppedBack(Duration step, Instant now) {
        return store.clockSteppedBack(step, now);
    }

    @Override
    public int dropChat(long chatId) {
        return store.dropChat(chatId);
    }

    @Override
    public List<Outgoing> dropQueue(long chatId) {
        return store.dropQueue(chatId);
    }

    @Override
    public boolean resultWaiting(long chatId, JobId job) {
        return store.resultWaiting(chatId, job);
    }

    @Override
    public Optional<Instant> nextDueAfter(Instant now) {
        return store.nextDueAfter(now);
    }

    @Override
    public Optional<Instant> oldestWaiting() {
        return store.oldestWaiting();
    }

    @Override
    public Optional<Long> taggedMessage(long chatId, String tag) {
        return store.taggedMessage(chatId, tag);
    }

    @Override
    public void tag(long chatId, String tag, long messageId) {
        store.tag(chatId, tag, messageId);
    }

    @Override
    public int untag(long chatId, List<String> tags) {
        return store.untag(chatId, tags);
    }

    @Override
    public int forgetDeadLetters(Instant movedBefore, int limit) {
        return store.forgetDeadLetters(movedBefore, limit);
    }

    @Override
    public void keepAnswer(KeptAnswer answer) {
        store.keepAnswer(answer);
    }

    @Override
    public void answerGone(String queryId) {
        store.answerGone(queryId);
    }

    @Override
    public List<KeptAnswer> keptAnswers() {
        return store.keptAnswers();
    }
}
