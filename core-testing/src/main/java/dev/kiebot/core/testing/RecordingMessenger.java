package dev.kiebot.core.testing;

import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps every reply until drained; answers like Telegram would: message ids from 101 on, and a file id
 * ({@code file-<message id>}) for a {@code Reply.SendMedia}.
 */
public final class RecordingMessenger implements Messenger {
    private final List<Reply> sent = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong(100);
    private final java.util.Deque<Delivery> scripted = new java.util.ArrayDeque<>();
    private Optional<java.time.Duration> held = Optional.empty();

    /** Nothing recorded yet. */
    public RecordingMessenger() {
    }

    /**
     * The next replies get these outcomes, in order, instead of being sent (a fault-injecting Telegram).
     *
     * @param outcomes one per reply, for the next replies in order; a reply answered so is not kept
     * @return this messenger
     */
    public synchronized RecordingMessenger thenAnswer(Delivery... outcomes) {
        scripted.addAll(List.of(outcomes));
        return this;
    }

    /**
     * Says the platform is down (or back, with {@code Optional.empty()}): what {@link #heldFor} answers from now on.
     *
     * @param held how long the senders should wait before asking again; empty: send
     * @return this messenger
     */
    public synchronized RecordingMessenger holding(Optional<java.time.Duration> held) {
        this.held = held;
        return this;
    }

    @Override
    public synchronized Optional<java.time.Duration> heldFor() {
        return held;
    }

    @Override
    public synchronized Delivery send(Reply reply) {
        if (!scripted.isEmpty()) {
            return scripted.removeFirst();
        }
        sent.add(reply);
        long id = ids.incrementAndGet();
        if (reply instanceof Reply.SendMedia) {
            return new Delivery.Sent(Optional.of(id), List.of("file-" + id));
        }
        return new Delivery.Sent(Optional.of(id), List.of());
    }

    /**
     * The replies sent since the last {@link #drain}, in order, kept.
     *
     * @return the replies, as {@code drain} would give them
     */
    public synchronized List<Reply> all() {
        return List.copyOf(sent);
    }

    /**
     * The replies sent since the last drain, in order; forgets them.
     *
     * @return the replies
     */
    public synchronized List<Reply> drain() {
        List<Reply> copy = List.copyOf(sent);
        sent.clear();
        return copy;
    }

    /**
     * Texts of sent and edited messages since the last {@link #drain}, in order.
     *
     * @return the texts, a media's caption not among them
     */
    public synchronized List<String> texts() {
        List<String> out = new ArrayList<>();
        for (Reply r : sent) {
            if (r instanceof Reply.SendText t) {
                out.add(t.text());
            } else if (r instanceof Reply.EditText e) {
                out.add(e.text());
            }
        }
        return out;
    }

    /**
     * The replies of one kind sent since the last drain, in order (e.g. {@code of(Reply.SendInvoice.class)}).
     *
     * @param <T>  the kind
     * @param type its class
     * @return the replies of that kind
     */
    public synchronized <T extends Reply> List<T> of(Class<T> type) {
        return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
