package dev.kiebot.core.reply;

import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.shop.KeptInMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An outbox that hands every call to another: the base for a decorator that watches or changes a few calls (kiebot's
 * runtime's correlation id on each reply, a test's injected fault or race) and leaves the rest to the real outbox, as
 * {@code ForwardingLedger} is for the ledger. Every method of {@link PendingReplies} is forwarded, also those with a
 * default body ({@code ForwardingStoresTest} checks it): a method the port gains later with a default body ran that
 * default on the decorator, not the store's own (the {@code origin} overload of {@code append} was dropped so).
 *
 * <p>Each call goes straight to {@link #real}, the {@code Deferral} and {@code origin} overloads too: {@link
 * #release(Queued, Instant, Deferral)} does not go through your {@link #release(Queued, Instant)}, nor {@link
 * #releaseRest(Queued, Reply, Instant, Deferral)} through your {@link #releaseRest(Queued, Reply, Instant)}, nor
 * {@link #append(List, Instant, Optional)} (kiebot's runtime appends with the correlation id that made the replies)
 * through your {@link #append(List, Instant)}. The sender calls the overload when what it keeps with a deferred reply
 * changes (its first deferral, its first try that threw), the plain one otherwise; so a decorator that overrides
 * {@code release}, {@code releaseRest} or {@code append} to count the calls or to make them fail overrides the overload
 * as well, or misses those calls. Going through the plain one would lose the deferral or the origin (the port's
 * defaults keep none).
 *
 * <p>It carries {@link KeptInMemory} and answers for {@link #real}: over an in-memory outbox it keeps in memory too,
 * and {@code Shop.Builder} refuses it beside a database's stores as it refuses that outbox given bare.
 */
public abstract class ForwardingPendingReplies implements PendingReplies, KeptInMemory {
    /** The outbox every call not overridden goes to; an override calls it for the real answer. */
    protected final PendingReplies real;

    /**
     * An outbox that forwards every call to {@code real}.
     *
     * @param real the outbox to forward to (a shop's {@code stores.pendingReplies()}, say)
     * @throws NullPointerException when {@code real} is null
     */
    protected ForwardingPendingReplies(PendingReplies real) {
        this.real = Objects.requireNonNull(real, "real");
    }

    /**
     * The outbox this one forwards to ({@link #real}), as {@code ForwardingLedger.forwardsTo()} and
     * {@code ForwardingJobs.forwardsTo()} name theirs.
     *
     * @return {@link #real}
     */
    public final PendingReplies forwardsTo() {
        return real;
    }

    /**
     * Answers for {@link #real}: true when it keeps in memory (it says so itself), false over a database's outbox.
     *
     * @return whether the outbox forwarded to keeps its rows in memory
     */
    @Override
    public boolean keptInMemory() {
        return real instanceof KeptInMemory store && store.keptInMemory();
    }

    @Override
    public void append(List<Outgoing> replies, Instant now) {
        real.append(replies, now);
    }

    /**
     * Straight to {@link #real}, not through {@link #append(List, Instant)}: override both to see every append. Left to
     * the port's default, it dropped {@code origin} (the correlation id the runtime's senders log with the reply).
     */
    @Override
    public void append(List<Outgoing> replies, Instant now, Optional<String> origin) {
        real.append(replies, now, origin);
    }

    @Override
    public Optional<Queued> claim(Instant now, Duration lease) {
        return real.claim(now, lease);
    }

    @Override
    public boolean done(Queued reply, TokenBucket pacing, Instant dueAt) {
        return real.done(reply, pacing, dueAt);
    }

    @Override
    public void release(Queued reply, Instant dueAt) {
        real.release(reply, dueAt);
    }

    @Override
    public void releaseRest(Queued reply, Reply rest, Instant dueAt) {
        real.releaseRest(reply, rest, dueAt);
    }

    /** Straight to {@link #real}, not through {@link #release(Queued, Instant)}: override both (see the class). */
    @Override
    public void release(Queued reply, Instant dueAt, Deferral deferral) {
        real.release(reply, dueAt, deferral);
    }

    /**
     * Straight to {@link #real}, not through {@link #releaseRest(Queued, Reply, Instant)}: override both (see the
     * class).
     */
    @Override
    public void releaseRest(Queued reply, Reply rest, Instant dueAt, Deferral deferral) {
        real.releaseRest(reply, rest, dueAt, deferral);
    }

    @Override
    public void tryBegins(Queued reply, Instant at) {
        real.tryBegins(reply, at);
    }

    @Override
    public int releaseAll(Instant now) {
        return real.releaseAll(now);
    }

    @Override
    public int clockSteppedBack(Duration step, Instant now) {
        return real.clockSteppedBack(step, now);
    }

    @Override
    public int dropChat(long chatId) {
        return real.dropChat(chatId);
    }

    @Override
    public List<Outgoing> dropQueue(long chatId) {
        return real.dropQueue(chatId);
    }

    @Override
    public boolean resultWaiting(long chatId, JobId job) {
        return real.resultWaiting(chatId, job);
    }

    @Override
    public Optional<Instant> nextDueAfter(Instant now) {
        return real.nextDueAfter(now);
    }

    @Override
    public Optional<Instant> oldestWaiting() {
        return real.oldestWaiting();
    }

    @Override
    public Optional<Long> taggedMessage(long chatId, String tag) {
        return real.taggedMessage(chatId, tag);
    }

    @Override
    public void tag(long chatId, String tag, long messageId) {
        real.tag(chatId, tag, messageId);
    }

    @Override
    public int untag(long chatId, List<String> tags) {
        return real.untag(chatId, tags);
    }

    @Override
    public int forgetDeadLetters(Instant movedBefore, int limit) {
        return real.forgetDeadLetters(movedBefore, limit);
    }

    @Override
    public void keepAnswer(KeptAnswer answer) {
        real.keepAnswer(answer);
    }

    @Override
    public void answerGone(String queryId) {
        real.answerGone(queryId);
    }

    @Override
    public List<KeptAnswer> keptAnswers() {
        return real.keptAnswers();
    }
}
