package dev.kiebot.core.testing.memory;

import dev.kiebot.core.broadcast.Broadcast;
import dev.kiebot.core.broadcast.BroadcastState;
import dev.kiebot.core.broadcast.Broadcasts;
import dev.kiebot.core.broadcast.Recipient;
import dev.kiebot.core.broadcast.RecipientOutcome;
import dev.kiebot.core.broadcast.Tally;
import dev.kiebot.core.shop.KeptInMemory;
import dev.kiebot.core.users.Users;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Broadcasts in memory; recipients come from the users store when a draft is queued, and the users who had
 * blocked the bot then are counted as skipped.
 */
public final class InMemoryBroadcasts implements Broadcasts, KeptInMemory {
    private final Users users;
    private final Map<Long, Broadcast> broadcasts = new LinkedHashMap<>();
    /** Per recipient: empty while pending, the claim time while sending, then the outcome. */
    private final Map<Recipient, Slot> recipients = new LinkedHashMap<>();
    /** Per queued broadcast: users left out because they had blocked the bot. */
    private final Map<Long, Integer> skipped = new LinkedHashMap<>();
    /** Per finished broadcast: when, and its counts as they stood then (its tally once its recipients are gone). */
    private final Map<Long, Finished> finished = new LinkedHashMap<>();
    private long nextId = 1;

    private record Slot(Optional<Instant> claimedAt, Optional<RecipientOutcome> outcome) {
    }

    private record Finished(Instant at, Tally tally) {
    }

    /**
     * Broadcasts to the users of a store.
     *
     * @param users read when a draft is queued: its active users become the recipients, its blocked ones the skipped
     */
    public InMemoryBroadcasts(Users users) {
        this.users = users;
    }

    @Override
    public synchronized Broadcast draft(long adminId, long chatId, String text, Instant now) {
        Broadcast b = new Broadcast(nextId++, adminId, chatId, text, BroadcastState.DRAFT, 0, Optional.empty(), now);
        broadcasts.put(b.id(), b);
        return b;
    }

    @Override
    public synchronized Optional<Broadcast> find(long id) {
        return Optional.ofNullable(broadcasts.get(id));
    }

    @Override
    public synchronized Optional<Broadcast> queue(long id, Optional<Long> progressMessageId, Instant now) {
        Broadcast b = broadcasts.get(id);
        if (b == null || b.state() != BroadcastState.DRAFT) {
            return Optional.empty();
        }
        List<Long> ids = new ArrayList<>();
        for (List<Long> page = users.activeIds(0, 500); !page.isEmpty();
             page = users.activeIds(page.get(page.size() - 1), 500)) {
            ids.addAll(page);
        }
        ids.forEach(u -> recipients.put(new Recipient(id, u), new Slot(Optional.empty(), Optional.empty())));
        skipped.put(id, Math.toIntExact(users.count() - ids.size()));
        Broadcast queued = new Broadcast(id, b.adminId(), b.chatId(), b.text(), BroadcastState.QUEUED, ids.size(),
                progressMessageId, b.createdAt());
        broadcasts.put(id, queued);
        return Optional.of(queued);
    }

    @Override
    public synchronized boolean cancel(long id) {
        Broadcast b = broadcasts.get(id);
        if (b == null || b.state() != BroadcastState.DRAFT) {
            return false;
        }
        broadcasts.put(id, withState(b, BroadcastState.CANCELLED));
        return true;
    }

    @Override
    public synchronized boolean stop(long id, Instant now) {
        Broadcast b = broadcasts.get(id);
        if (b == null || b.state() != BroadcastState.QUEUED) {
            return false;
        }
        recipients.entrySet().removeIf(e -> e.getKey().broadcastId() == id && e.getValue().claimedAt().isEmpty());
        broadcasts.put(id, withState(b, BroadcastState.CANCELLED));
        Tally t = counted(id);
        finished.put(id, new Finished(now, new Tally(b.recipients(), 0, 0, t.sent(), t.blocked(), t.failed(),
                t.skipped(), t.abandoned())));
        return true;
    }

    private static Broadcast withState(Broadcast b, BroadcastState s) {
        return new Broadcast(b.id(), b.adminId(), b.chatId(), b.text(), s, b.recipients(), b.progressMessageId(),
                b.createdAt());
    }

    @Override
    public synchronized List<Recipient> claim(int limit, Instant now) {
        List<Recipient> out = new ArrayList<>();
        for (Map.Entry<Recipient, Slot> e : recipients.entrySet()) {
            if (out.size() >= limit) {
                break;
            }
            boolean queued = broadcasts.get(e.getKey().broadcastId()).state() == BroadcastState.QUEUED;
            if (queued && e.getValue().claimedAt().isEmpty()) {
                e.setValue(new Slot(Optional.of(now), Optional.empty()));
                out.add(e.getKey());
            }
        }
        return out;
    }

    @Override
    public synchronized void record(Recipient recipient, RecipientOutcome outcome) {
        Slot s = recipients.get(recipient);
        if (s != null && s.outcome().isEmpty()) {
            recipients.put(recipient, new Slot(s.claimedAt(), Optional.of(outcome)));
        }
    }

    @Override
    public synchronized void release(List<Recipient> claimed) {
        for (Recipient r : claimed) {
            Slot s = recipients.get(r);
            if (s != null && s.outcome().isEmpty()) {
                recipients.put(r, new Slot(Optional.empty(), Optional.empty()));
            }
        }
    }

    @Override
    public synchronized int abandon(Instant now, Duration after) {
        int n = 0;
        for (Map.Entry<Recipient, Slot> e : recipients.entrySet()) {
            Slot s = e.getValue();
            if (s.outcome().isEmpty() && s.claimedAt().filter(at -> !at.plus(after).isAfter(now)).isPresent()) {
                e.setValue(new Slot(s.claimedAt(), Optional.of(RecipientOutcome.ABANDONED)));
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized List<Broadcast> queued() {
        return broadcasts.values().stream().filter(b -> b.state() == BroadcastState.QUEUED).toList();
    }

    @Override
    public synchronized Tally tally(long id) {
        Finished done = finished.get(id);
        return done != null ? done.tally() : counted(id);
    }

    @SuppressWarnings("EnumOrdinal") // a count per outcome, indexed by it: an EnumMap by another name
    private Tally counted(long id) {
        int total = 0;
        int pending = 0;
        int sending = 0;
        int[] outcomes = new int[RecipientOutcome.values().length];
        for (Map.Entry<Recipient, Slot> e : recipients.entrySet()) {
            if (e.getKey().broadcastId() != id) {
                continue;
            }
            total++;
            Slot s = e.getValue();
            if (s.claimedAt().isEmpty()) {
                pending++;
            } else if (s.outcome().isEmpty()) {
                sending++;
            } else {
                outcomes[s.outcome().get().ordinal()]++;
            }
        }
        return new Tally(total, pending, sending, outcomes[RecipientOutcome.SENT.ordinal()],
                outcomes[RecipientOutcome.BLOCKED.ordinal()],
                outcomes[RecipientOutcome.FAILED.ordinal()], skipped.getOrDefault(id, 0),
                outcomes[RecipientOutcome.ABANDONED.ordinal()]);
    }

    /** Finished without a time: its counts are not kept and its recipients never forgotten (a partner's store). */
    @Override
    public synchronized boolean finish(long id) {
        Broadcast b = broadcasts.get(id);
        if (b == null || b.state() != BroadcastState.QUEUED) {
            return false;
        }
        broadcasts.put(id, withState(b, BroadcastState.DONE));
        return true;
    }

    @Override
    public synchronized boolean finish(long id, Instant now) {
        Tally counts = counted(id);
        if (!finish(id)) {
            return false;
        }
        finished.put(id, new Finished(now, counts));
        return true;
    }

    @Override
    public synchronized int forgetRecipients(Instant finishedBefore, int limit) {
        int n = 0;
        for (var it = recipients.keySet().iterator(); it.hasNext() && n < limit; ) {
            Finished done = finished.get(it.next().broadcastId());
            if (done != null && done.at().isBefore(finishedBefore)) {
                it.remove();
                n++;
            }
        }
        return n;
    }
}
