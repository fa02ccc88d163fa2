package dev.kiebot.runtime.work;

import dev.kiebot.core.reply.ForwardingPendingReplies;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
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
 * an update or a job (review L68). Every other call goes to the store as it is (core's
 * {@link ForwardingPendingReplies}), and it keeps in memory exactly when that store does.
 */
public final class RepliesWithOrigin extends ForwardingPendingReplies {
    /** The MDC key the runtime's log lines show as the correlation id. */
    static final String CID = "cid";

    public RepliesWithOrigin(PendingReplies store) {
        super(Objects.requireNonNull(store, "store"));
    }

    @Override
    public void append(List<Outgoing> replies, Instant now) {
        real.append(replies, now, Optional.ofNullable(MDC.get(CID)));
    }

    /** Puts the claimed reply's origin in the MDC, as its send's correlation id; none when it has none. */
    @Override
    public Optional<Queued> claim(Instant now, Duration lease) {
        Optional<Queued> claimed = real.claim(now, lease);
        Optional<String> origin = claimed.flatMap(Queued::origin);
        if (origin.isPresent()) {
            MDC.put(CID, origin.get());
        } else {
            MDC.remove(CID);
        }
        return claimed;
    }
}
