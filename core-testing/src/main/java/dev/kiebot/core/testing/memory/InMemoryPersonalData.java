package dev.kiebot.core.testing.memory;

import dev.kiebot.core.payments.AdminNotice;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.RequestNotice;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.shop.KeptInMemory;
import dev.kiebot.core.users.PersonalData;
import java.util.List;

/** One user's personal data forgotten across the in-memory stores that keep it, as {@code PgPersonalData} does. */
public final class InMemoryPersonalData implements PersonalData, KeptInMemory {
    private final InMemoryUsers users;
    private final InMemoryJobs jobs;
    private final InMemorySupportTickets tickets;
    private final InMemoryManualTopUps manual;
    private final InMemoryChatStates chats;
    private final InMemoryProcessedUpdates inbox;
    private final InMemoryAudit audit;
    private final InMemoryPendingReplies outbox;

    /**
     * Over these stores.
     *
     * @param users   whose names are forgotten
     * @param jobs    whose finished jobs' inputs and results are
     * @param tickets whose texts are
     * @param manual  whose receipts are
     * @param chats   whose state is
     * @param inbox   whose handled updates' bodies are
     * @param audit   whose ban lines' reasons are
     * @param outbox  whose queued texts to him are, and the tags of the admins' messages about his closed requests
     */
    public InMemoryPersonalData(InMemoryUsers users, InMemoryJobs jobs, InMemorySupportTickets tickets,
                                InMemoryManualTopUps manual, InMemoryChatStates chats, InMemoryProcessedUpdates inbox,
                                InMemoryAudit audit, InMemoryPendingReplies outbox) {
        this.users = users;
        this.jobs = jobs;
        this.tickets = tickets;
        this.manual = manual;
        this.chats = chats;
        this.inbox = inbox;
        this.audit = audit;
        this.outbox = outbox;
    }

    /** The generations first, then the support requests, then the top-up requests, {@code limit} in all. */
    @Override
    public int forgetOlder(java.time.Instant before, int limit) {
        // a result noted not sent keeps its URLs: sent at his asking, it is refunded should its file be gone
        int done = jobs.forgetOlder(before, limit, this::notedNotSent);
        done += tickets.forgetOlder(before, limit - done);
        return done + manual.forgetOlder(before, limit - done);
    }

    @Override
    public int forget(long userId) {
        users.forget(userId);
        tickets.forget(userId);
        for (RequestNotice n : manual.forget(userId)) {
            // the tag ManualTopUpDesk gives each admin's message about a request
            String tag = "manual:" + n.requestId();
            outbox.untag(n.chatId(), List.of(tag));
            // and the screens about it still queued to that admin, which show his name (sent with the tag gone,
            // each would be a new message)
            outbox.forget(n.chatId(), o -> PersonalData.forgets(o) && o.follow() instanceof Outgoing.Follow.Tagged t
                    && t.tag().equals(tag));
        }
        // an open request keeps its notices and tags (an admin still decides it), not the screens about it queued to
        // the admins, his name in each: the shop queues them anew, his name blank
        for (ManualTopUp r : manual.open(userId, java.time.Instant.EPOCH)) {
            String tag = "manual:" + r.id();
            for (AdminNotice n : manual.notices(r.id())) {
                outbox.forget(n.chatId(), o -> PersonalData.forgets(o)
                        && o.follow() instanceof Outgoing.Follow.Tagged t && t.tag().equals(tag));
            }
        }
        // a user's private chat has his id
        chats.forget(userId);
        inbox.forget(userId);
        outbox.forget(userId, PersonalData::forgets);
        audit.forgetBanReason(userId);
        return jobs.forget(userId);
    }

    /** UnsentResults' note of a result not sent, in the user's trail ({@code unsent:<id>}, the job's number first). */
    @SuppressWarnings("StringSplitter") // the detail is the shop's own "<job> ..." line: its first word
    private boolean notedNotSent(dev.kiebot.core.jobs.Job j) {
        return audit.byCorrelation("unsent:" + j.userId()).stream().anyMatch(e -> e.action().equals("gen.result_unsent")
                && e.detail().trim().split(" ")[0].equals(j.id().display()));
    }
}
