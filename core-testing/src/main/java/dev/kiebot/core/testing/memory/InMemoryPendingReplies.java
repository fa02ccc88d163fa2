package dev.kiebot.core.testing.memory;

import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.shop.KeptInMemory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The outbox in memory: per-chat queues, the chat's pacing, and its lease. As in PostgreSQL, a leased chat is due
 * when its lease ends, so a claim passes it over and {@code nextDueAfter} wakes a sender for a lease left behind. A
 * claim takes the due chat whose first reply waits longest, first in, first out across chats; a chat given back
 * unsettled ({@link #release}: its send threw or was deferred) waits from when it is due again, behind the chats
 * waiting before then: by the age of its reply it came first at every claim, and one chat whose sends kept failing
 * held every other chat's replies up. PostgreSQL orders by due time, which keeps a released chat behind them too.
 */
public final class InMemoryPendingReplies implements PendingReplies, KeptInMemory {
    /**
     * {@code deferral}: what the sender kept with it at its last release ({@link #release(Queued, Instant, Deferral)});
     * {@code markedAhead}: a try began ({@link #tryBegins}) while no deferral was kept, so only its throw is known.
     */
    private record Waiting(long id, Outgoing outgoing, Instant queuedAt, Optional<Deferral> deferral,
                           boolean markedAhead, Optional<String> origin) {
        Waiting(long id, Outgoing outgoing, Instant queuedAt, Optional<String> origin) {
            this(id, outgoing, queuedAt, Optional.empty(), false, origin);
        }

        /** Itself with {@code kept} as its deferral, a bare mark no more. */
        Waiting deferred(Optional<Deferral> kept) {
            return new Waiting(id, outgoing, queuedAt, kept, false, origin);
        }

        /** As a claim at {@code now} gives it back: a bare mark as a throw whose day starts at this claim. */
        Optional<Deferral> claimed(Instant now) {
            return markedAhead ? Optional.of(new Deferral(now, true)) : deferral;
        }
    }

    private static final class Chat {
        final Deque<Waiting> queue = new ArrayDeque<>();
        Optional<TokenBucket> pacing = Optional.empty();
        Instant dueAt = Instant.MIN;
        Optional<Instant> leasedUntil = Optional.empty();
        /** When it was given back unsettled, due again: it waits behind the chats waiting before then. */
        Optional<Instant> releasedDue = Optional.empty();

        /**
         * Since when its first reply waits for its turn: since it was queued, or, given back unsettled, since it was
         * due again. By the queueing alone a chat whose sends kept failing came first at every claim.
         */
        Instant waitingSince() {
            return releasedDue.orElseGet(() -> queue.peekFirst().queuedAt());
        }
    }

    private final Map<Long, Chat> chats = new LinkedHashMap<>();
    private final Map<String, Long> tags = new HashMap<>();
    /** The pre-checkouts' answers kept until they leave, by query id. */
    private final Map<String, KeptAnswer> keptAnswers = new LinkedHashMap<>();
    private long nextId = 1;

    /** An empty outbox. */
    public InMemoryPendingReplies() {
    }

    @Override
    public synchronized void append(List<Outgoing> replies, Instant now) {
        append(replies, now, Optional.empty());
    }

    /** Keeps {@code origin} with each reply, given back by its claim ({@link Queued#origin()}). */
    @Override
    public synchronized void append(List<Outgoing> replies, Instant now, Optional<String> given) {
        Optional<String> origin = given.map(o -> o.length() > ORIGIN_MAX ? o.substring(0, ORIGIN_MAX) : o);
        Instant latestTurn = now.plus(dev.kiebot.core.pacing.ChatPacing.INTERVAL_MAX);
        for (Outgoing o : replies) {
            Chat c = chats.computeIfAbsent(o.chatId(), k -> new Chat());
            if (c.queue.isEmpty() && c.leasedUntil.isEmpty() && c.dueAt.isAfter(latestTurn)) {
                c.dueAt = latestTurn; // a turn set before the clock stepped back
            }
            c.queue.add(new Waiting(nextId++, o, now, origin));
        }
    }

    @Override
    public synchronized Optional<Queued> claim(Instant now, Duration lease) {
        Optional<Map.Entry<Long, Chat>> due = chats.entrySet().stream()
                .filter(e -> !e.getValue().queue.isEmpty() && !e.getValue().dueAt.isAfter(now))
                .min(Comparator.comparing((Map.Entry<Long, Chat> e) -> e.getValue().waitingSince())
                        .thenComparingLong(e -> e.getValue().queue.peekFirst().id()));
        if (due.isEmpty()) {
            return Optional.empty();
        }
        Chat c = due.get().getValue();
        Instant until = now.plus(lease);
        c.leasedUntil = Optional.of(until);
        c.dueAt = until;
        Waiting head = c.queue.peekFirst();
        return Optional.of(new Queued(head.id(), head.outgoing(), c.pacing, until, head.claimed(now), head.origin()));
    }

    @Override
    public synchronized boolean done(Queued reply, TokenBucket pacing, Instant dueAt) {
        Chat c = leasedBy(reply);
        if (c == null) {
            return false;
        }
        c.queue.removeIf(w -> w.id() == reply.id());
        c.pacing = Optional.of(pacing);
        c.dueAt = dueAt;
        c.leasedUntil = Optional.empty();
        c.releasedDue = Optional.empty();
        return !c.queue.isEmpty();
    }

    @Override
    public synchronized void release(Queued reply, Instant dueAt) {
        Chat c = leasedBy(reply);
        if (c != null) {
            c.dueAt = dueAt;
            c.leasedUntil = Optional.empty();
            c.releasedDue = Optional.of(dueAt);
        }
    }

    @Override
    public synchronized void release(Queued reply, Instant dueAt, Deferral deferral) {
        Chat c = leasedBy(reply);
        if (c != null) {
            replaceHead(c, reply, w -> w.deferred(Optional.of(deferral)));
            release(reply, dueAt);
        }
    }

    @Override
    public synchronized void releaseRest(Queued reply, dev.kiebot.core.reply.Reply rest, Instant dueAt) {
        Chat c = leasedBy(reply);
        if (c == null) {
            return;
        }
        // still waiting since it was queued, with what was kept of its deferrals: its rest is the same reply
        replaceHead(c, reply, w -> new Waiting(w.id(), new Outgoing(rest, w.outgoing().follow()), w.queuedAt(),
                w.deferral(), w.markedAhead(), w.origin()));
        c.dueAt = dueAt;
        c.leasedUntil = Optional.empty();
        c.releasedDue = Optional.of(dueAt);
    }

    @Override
    public synchronized void releaseRest(Queued reply, dev.kiebot.core.reply.Reply rest, Instant dueAt,
                                         Deferral deferral) {
        Chat c = leasedBy(reply);
        if (c != null) {
            replaceHead(c, reply, w -> w.deferred(Optional.of(deferral)));
            releaseRest(reply, rest, dueAt);
        }
    }

    /**
     * Marks the reply as a try that threw, its deferral's {@code since} kept as it is, none when it had none (the day
     * is counted from a deferral, never from a mark), whatever the lease, as PostgreSQL does; a reply that left the
     * queue is not there to mark.
     */
    @Override
    public synchronized void tryBegins(Queued reply, Instant at) {
        Chat c = chats.get(reply.chatId());
        if (c != null) {
            replaceHead(c, reply, w -> w.deferral().isPresent()
                    ? w.deferred(Optional.of(new Deferral(w.deferral().get().since(), true)))
                    : new Waiting(w.id(), w.outgoing(), w.queuedAt(), Optional.empty(), true, w.origin()));
        }
    }

    /** The chat's first reply, when it is still {@code reply} (not dropped meanwhile), replaced by {@code change}'s. */
    private static void replaceHead(Chat c, Queued reply, UnaryOperator<Waiting> change) {
        Waiting head = c.queue.peekFirst();
        if (head != null && head.id() == reply.id()) {
            c.queue.pollFirst();
            c.queue.addFirst(change.apply(head));
        }
    }

    @Override
    public synchronized int releaseAll(Instant now) {
        int released = 0;
        for (Chat c : chats.values()) {
            if (c.leasedUntil.isPresent()) {
                c.leasedUntil = Optional.empty();
                c.dueAt = now;
                released++;
            }
        }
        return released;
    }

    /**
     * Moves back the turn of every chat no lease holds that is not due yet, and when it was given back unsettled
     * ({@code releasedDue}, its place among the due chats) with it, as PostgreSQL's order by due time moves.
     */
    @Override
    public synchronized int clockSteppedBack(Duration step, Instant now) {
        int moved = 0;
        for (Chat c : chats.values()) {
            if (c.leasedUntil.isEmpty() && c.dueAt.isAfter(now)) {
                c.dueAt = c.dueAt.minus(step);
                c.releasedDue = c.releasedDue.map(d -> d.minus(step));
                moved++;
            }
        }
        return moved;
    }

    /** The reply's chat while the claimer's lease holds, else null. */
    private Chat leasedBy(Queued reply) {
        Chat c = chats.get(reply.chatId());
        return c != null && c.leasedUntil.equals(Optional.of(reply.leasedUntil())) ? c : null;
    }

    @Override
    public synchronized int dropChat(long chatId) {
        Chat c = chats.get(chatId);
        if (c == null) {
            return 0;
        }
        int n = c.queue.size();
        c.queue.clear();
        c.releasedDue = Optional.empty();
        return n;
    }

    @Override
    public synchronized List<Outgoing> dropQueue(long chatId) {
        Chat c = chats.get(chatId);
        if (c == null) {
            return List.of();
        }
        List<Outgoing> dropped = c.queue.stream().map(Waiting::outgoing).toList();
        c.queue.clear();
        c.releasedDue = Optional.empty();
        return dropped;
    }

    /**
     * {@code PersonalData.forget}'s part here: the replies queued to the chat that {@code which} names, but the one a
     * sender holds (the first of a leased chat: on the wire). Package-private: no port has it.
     *
     * @return how many were dropped
     */
    @SuppressWarnings("ReferenceEquality") // keeps that very reply, the one leased: an equal one queued is not
    synchronized int forget(long chatId, Predicate<Outgoing> which) {
        Chat c = chats.get(chatId);
        if (c == null) {
            return 0;
        }
        Waiting held = c.leasedUntil.isPresent() ? c.queue.peekFirst() : null;
        int before = c.queue.size();
        c.queue.removeIf(w -> w != held && which.test(w.outgoing()));
        return before - c.queue.size();
    }

    @Override
    public synchronized boolean resultWaiting(long chatId, JobId job) {
        Chat c = chats.get(chatId);
        return c != null && c.queue.stream().anyMatch(w -> w.outgoing().follow() instanceof Outgoing.Follow.JobResult r
                && r.job().equals(job));
    }

    @Override
    public synchronized Optional<Instant> nextDueAfter(Instant now) {
        return chats.values().stream().filter(c -> !c.queue.isEmpty()).map(c -> c.dueAt).filter(now::isBefore)
                .min(Comparator.naturalOrder());
    }

    @Override
    public synchronized Optional<Instant> oldestWaiting() {
        return chats.values().stream().filter(c -> !c.queue.isEmpty()).map(c -> c.queue.peekFirst())
                .min(Comparator.comparingLong(Waiting::id)).map(Waiting::queuedAt);
    }

    @Override
    public synchronized Optional<Long> taggedMessage(long chatId, String tag) {
        return Optional.ofNullable(tags.get(chatId + "/" + tag));
    }

    @Override
    public synchronized void tag(long chatId, String tag, long messageId) {
        tags.put(chatId + "/" + tag, messageId);
    }

    @Override
    public synchronized int untag(long chatId, List<String> names) {
        int n = 0;
        for (String tag : new LinkedHashSet<>(names)) {
            n += tags.remove(chatId + "/" + tag) != null ? 1 : 0;
        }
        return n;
    }

    /** None to forget: this store reads every reply it queued, and moves none aside. */
    @Override
    public int forgetDeadLetters(Instant movedBefore, int limit) {
        return 0;
    }

    @Override
    public synchronized void keepAnswer(KeptAnswer answer) {
        keptAnswers.put(answer.answer().queryId(), answer);
    }

    @Override
    public synchronized void answerGone(String queryId) {
        keptAnswers.remove(queryId);
    }

    @Override
    public synchronized List<KeptAnswer> keptAnswers() {
        return List.copyOf(keptAnswers.values());
    }
}
