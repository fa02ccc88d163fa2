package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.users.Users;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one way out: every reply of the shop leaves through here, so what follows a delivery is decided in one
 * place — a user who blocked the bot is marked so (and gets nothing more in the same batch), and a job's
 * status message id is kept so later updates edit that message instead of adding new ones.
 */
public final class Outbox {
    private final Messenger messenger;
    private final Users users;
    private final Jobs jobs;

    public Outbox(Messenger messenger, Users users, Jobs jobs) {
        this.messenger = messenger;
        this.users = users;
        this.jobs = jobs;
    }

    public Delivery send(Reply reply) {
        Delivery d = messenger.send(reply);
        if (d instanceof Delivery.Blocked && reply.chatId() > 0) {
            // a private chat's id is its user's id
            users.setBlocked(reply.chatId(), true);
        }
        return d;
    }

    /** Sends in order; a chat that turns out blocked gets nothing more of this batch. */
    public void sendAll(List<Reply> replies) {
        Set<Long> blocked = new HashSet<>();
        for (Reply r : replies) {
            if (!blocked.contains(r.chatId()) && send(r) instanceof Delivery.Blocked) {
                blocked.add(r.chatId());
            }
        }
    }

    /**
     * Shows {@code text} as the job's status: edits its status message, or sends one and remembers it, so
     * one message per job carries its whole story.
     */
    public Delivery status(Job job, String text, Keyboard keyboard) {
        if (job.statusMessageId().isPresent()) {
            return send(new Reply.EditText(job.chatId(), job.statusMessageId().get(), text, keyboard));
        }
        Delivery d = send(new Reply.SendText(job.chatId(), text, keyboard));
        d.messageId().ifPresent(id -> jobs.transition(job.id(), j -> j.statusMessageId().isEmpty(),
                j -> j.withStatusMessage(id)));
        return d;
    }
}
