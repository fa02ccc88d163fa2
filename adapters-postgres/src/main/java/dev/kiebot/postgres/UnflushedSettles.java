package dev.kiebot.postgres;

import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.reply.PendingReplies;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The newest reply settles that committed without waiting for the disk ({@link PgPendingReplies#NO_WAIT_FOR_DISK}):
 * what a crash of the server could take back. PostgreSQL's WAL writer flushes such commits within three
 * {@code wal_writer_delay}s (0.6 s by default); a crash before that left the sent reply's chat leased as if the
 * reply were still on the wire, and the chat waited out the whole lease (ten minutes) for its next reply, which
 * came after the lost one sent again. Done again after a crash, a settle that was lost takes effect, and one that was
 * not changes nothing: a settle counts only while the chat's lease is still the one it names.
 *
 * <p>A crash is seen as a new epoch of the server ({@link PgPendingReplies}: the time its statistics were last
 * reset, which PostgreSQL does when it recovers from a crash, its own or a killed server's). Each claim reports the
 * epoch it ran in. The first to report a new one takes every settle kept: no settle made after the crash can be
 * kept before that, since a sender reports its claim's epoch before it sends and settles.
 */
final class UnflushedSettles {
    /**
     * Kept by count, not by age: the settles before a crash must still be here after the server's restart and the
     * senders' first claims. A crowd settles about 30 a second (Telegram's global pace), so this is over ten seconds
     * of them, and done again costs one short statement each, once per crash.
     */
    static final int COUNT_MAX = 512;

    /** One settle as it was made: {@code done}'s arguments. */
    record Settle(PendingReplies.Queued reply, TokenBucket pacing, Instant dueAt) {
    }

    private final ArrayDeque<Settle> settles = new ArrayDeque<>();
    private Optional<Instant> epoch = Optional.empty();

    synchronized void add(PendingReplies.Queued reply, TokenBucket pacing, Instant dueAt) {
        if (settles.size() >= COUNT_MAX) {
            settles.removeFirst();
        }
        settles.addLast(new Settle(reply, pacing, dueAt));
    }

    /**
     * The epoch a claim ran in. @return every settle kept, oldest first, when it is not the epoch seen before (none
     * are kept after); none for the first epoch seen, or the same one
     */
    synchronized List<Settle> sinceEpoch(Optional<Instant> seen) {
        Objects.requireNonNull(seen, "seen");
        Optional<Instant> before = epoch;
        epoch = seen;
        if (before.isEmpty() || seen.isEmpty() || before.equals(seen)) {
            return List.of();
        }
        List<Settle> all = List.copyOf(settles);
        settles.clear();
        return all;
    }
}
