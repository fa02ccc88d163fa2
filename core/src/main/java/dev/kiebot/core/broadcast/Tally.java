package dev.kiebot.core.broadcast;

/**
 * Where a broadcast stands.
 *
 * @param recipients users it goes to
 * @param pending    not handed to any sender yet
 * @param sending    handed to a sender, outcome not recorded yet
 * @param sent       messaged
 * @param blocked    found to have blocked the bot when messaged
 * @param failed     failed ({@link RecipientOutcome#FAILED}); the abandoned apart
 * @param skipped    known to have blocked the bot when it was queued: never messaged, not among the recipients,
 *                   but counted so the admin sees who the broadcast left out
 * @param abandoned  claimed by an instance that stopped before saying ({@link RecipientOutcome#ABANDONED}): cut off by
 *                   a restart, most of them never tried; counted apart from {@code failed} so the admin can tell them
 */
public record Tally(int recipients, int pending, int sending, int sent, int blocked, int failed, int skipped,
                    int abandoned) {

    /**
     * A store that does not count the abandoned apart: {@code failed} counts them, as before.
     *
     * @param recipients users it goes to
     * @param pending    not handed to any sender yet
     * @param sending    handed to a sender, outcome not recorded yet
     * @param sent       messaged
     * @param blocked    found to have blocked the bot when messaged
     * @param failed     failed or abandoned
     * @param skipped    known to have blocked the bot when it was queued
     */
    public Tally(int recipients, int pending, int sending, int sent, int blocked, int failed, int skipped) {
        this(recipients, pending, sending, sent, blocked, failed, skipped, 0);
    }

    /**
     * Every recipient has an outcome.
     *
     * @return true with none pending or being sent
     */
    public boolean finished() {
        return pending == 0 && sending == 0;
    }
}
