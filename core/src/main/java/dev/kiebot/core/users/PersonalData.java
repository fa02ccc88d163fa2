package dev.kiebot.core.users;

/**
 * One person's personal data forgotten on his request (port), the money kept: an operator owes a user who asks the
 * deletion of what identifies him and what he wrote (152-ФЗ, GDPR), and owes the tax office and the ledger every payment
 * and every movement of money. {@code /forget} calls it inside the admin's handling transaction.
 *
 * <p>Forgotten: the user's name, username and what {@code /users} searches him by, a ban's reason (the ban stays); the
 * inputs (prompts, files), results and delivered files of his finished generations; his support requests' texts and
 * the admins' answers to them; the receipts of his card / SBP top-ups (their amount, reference and state stay); his
 * chat's conversation state; the bodies of his updates already handled, and of the replies to his chat that were never
 * sent (dead letters). Kept: his id, language, the dates, every ledger transfer, Stars charge, top-up request, price
 * and state of his generations. A generation still under way keeps its inputs (the worker and the provider need them):
 * its count is answered, for the admin to forget again once it ends. The user's next update brings back his name and
 * username, as it would for a new user.
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
}
