package dev.kiebot.core.users;

import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import java.time.Instant;

/**
 * One person's personal data forgotten on his request (port), the money kept: an operator owes a user who asks the
 * deletion of what identifies him and what he wrote (152-ФЗ, GDPR), and owes the tax office and the ledger every payment
 * and every movement of money. {@code /forget} calls it inside the admin's handling transaction.
 *
 * <p>Forgotten: the user's name, username and what {@code /users} searches him by, a ban's reason (the ban stays); the
 * inputs (prompts, files), results and delivered files of his finished generations; his support requests' texts and
 * the admins' answers to them; the receipts of his card / SBP top-ups (their amount, reference and state stay); his
 * chat's conversation state; the bodies of his updates already handled, and of the replies to his chat that were never
 * sent (dead letters); the screens still queued to his chat that {@link #forgets} names (a text sent as a new message,
 * a notice that money moved among them, still goes); the admins' notices of his
 * closed card / SBP requests and, with each, the tag of that admin's message about it ({@code manual:<request id>},
 * the message that showed his name: nothing edits it again once the request is closed) and the screens about it still
 * queued to that admin (tagged so, his name in them: sent with the tag gone, each would be a new message naming him;
 * a text to the admin sent as a new message stays, as in his own chat); the screens about his open requests still
 * queued to the admins told of them, tagged so, his name in them (the shop queues them anew, his name blank). Kept:
 * his id, language, the dates, every ledger transfer, Stars charge, top-up request, price and state of his
 * generations; an open request's notices and tags (an admin still decides it, and the decision edits those messages,
 * his name blank by then). A
 * generation still under way keeps its inputs (the worker and the provider need them): its count is answered, for the
 * admin to forget again once it ends. The user's next update brings back his name and username, as it would for a new
 * user.
 */
public interface PersonalData {
    /**
     * Forgets the user's personal data as the interface says; a user not stored, or forgotten before, is no error
     * (nothing changes). Joins the caller's transaction.
     *
     * @param userId the user's id
     * @return how many of his generations are still under way, their inputs kept
     */
    int forget(long userId);

    /**
     * Blanks, as {@link #forget} blanks one user's, everyone's personal texts older than {@code before}: the inputs,
     * results and delivered files of finished generations ordered before it; the texts of support requests asked and
     * last answered before it (answered at least once: one nobody answered yet keeps its text), and of their answers
     * (a dash each); the receipts of card / SBP requests closed (decided or expired) before it. The shop's retention
     * of personal texts ({@code Shop.Builder.personalDataRetention}, kiebot's {@code PERSONAL_DATA_DAYS}), run by the
     * upkeep's hourly cleanup in passes. Every money row stays, and a generation under way or a request still open is
     * never touched, nor a generation whose result the shop noted not sent (the audit's {@code gen.result_unsent}, its
     * detail the job's number first, in the trail {@code unsent:<user id>}): sent at his asking it goes by its link,
     * refunded should its file be gone; it waits until that note leaves with the audit trail. At most {@code limit}
     * generations and requests in all, the generations first, each one not blanked before: a full answer means more
     * may wait, and the passes end. Joins the caller's transaction. No default (one that blanked nothing kept every
     * user's texts past the retention the operator set, unsaid): the compiler names it in a store of yours, and
     * {@code PersonalDataContract} checks it.
     *
     * @param before the cutoff, now less the retention
     * @param limit  the most generations and requests blanked
     * @return how many were blanked
     */
    int forgetOlder(Instant before, int limit);

    /**
     * Whether a reply still queued to the forgotten user's chat goes with his data: a screen, that is a text edited in
     * place (the answer to his press) or one tagged to be edited later, which may quote his prompt or greet him by
     * name. Every other reply still goes, and leaves the store when sent: above all a text sent as a new message,
     * whatever it says, for among them are the notices that money moved (a top-up credited, a card / SBP request
     * declined or expired, a refund by support), which he must get, and a notice of a kind added later is kept rather
     * than lost; a generation's result and a file sent again (paid for: dropped, what he bought would be lost), a
     * generation's status (its outcome, a refund, named by number and model), an invoice and the answers to a payment
     * or a press (a payment under way fails unanswered), media and chat actions. The reply a sender holds (its chat
     * leased, the first in its queue) is on the wire and stays too. Both kiebot stores apply it; a store of your own
     * applies it the same way.
     *
     * @param queued a reply queued to his chat
     * @return true when {@link #forget} drops it
     */
    static boolean forgets(Outgoing queued) {
        boolean text = queued.reply() instanceof Reply.SendText || queued.reply() instanceof Reply.EditText;
        boolean edited = queued.reply() instanceof Reply.EditText
                && queued.follow() instanceof Outgoing.Follow.Nothing;
        return edited || (text && queued.follow() instanceof Outgoing.Follow.Tagged);
    }
}
