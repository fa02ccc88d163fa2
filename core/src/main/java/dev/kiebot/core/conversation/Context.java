package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.ledger.StatementLine;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Read-only facts the conversation needs about the user; reads only, no writes. The storefront's own reads the
 * stores inside the update's transaction; core makes it, and a partner meets it only in tests of their own.
 */
public interface Context {
    /**
     * The user whose update this is, as stored (created on his first update).
     *
     * @return the stored user
     */
    User user();

    /**
     * Available wallet balance in minor units.
     *
     * @return what the user can spend now: the balance less what is held for running jobs
     */
    long balance();

    /**
     * Free generations the user used today, as they count: all of his allowance once the shop's day's total is given
     * out ({@link #freeGivenOutToAll()}).
     *
     * @return uses on today's date in {@code ShopSettings.zone()}
     */
    int freeUsedToday();

    /**
     * Whether the shop gave out today's total of free generations for every user together (FREE_DAILY_TOTAL), so that
     * the screens say why nothing free is left for a user who used none. A context of your own may leave it false.
     *
     * @return true once the shop's day's total is given out
     */
    default boolean freeGivenOutToAll() {
        return false;
    }

    /**
     * The welcome bonus credited while handling this very update (a new user's first one), if any.
     *
     * @return minor units credited; empty for every later update, and when none was given
     */
    default Optional<Long> welcomeBonus() {
        return Optional.empty();
    }

    /**
     * What came of the invitation link ({@code /start r_…}) this update came by: a new user's whose code is nobody's
     * is told above the welcome that the link is not valid, so that he knows no bonus is tied to it; a user known
     * before is told that invitations count for new users only, whether or not the code is somebody's. A context of
     * your own may leave it {@link Invitation#NONE}; every such link then gets the plain welcome.
     *
     * @return {@link Invitation#NONE} for any update that came by no invitation link
     */
    default Invitation invitation() {
        return Invitation.NONE;
    }

    /**
     * The jobs whose results never reached the user because he had blocked the bot, which the storefront lists after
     * the answer to this update, his first since the block («📬 Пока вас не было»): his welcome back leaves them to
     * that list, which says they never came, rather than naming his last result twice. A context of your own may
     * leave it empty.
     *
     * @return empty for every update but a return's, and when nothing was dropped while he was away
     */
    default Set<JobId> unsentListed() {
        return Set.of();
    }

    /**
     * Whether the user is one of {@code ShopSettings.adminIds()}.
     *
     * @return true for an admin
     */
    boolean admin();

    /**
     * A job by its id, whoever's it is: the conversation shows it only to its user or an admin.
     *
     * @param id the job's id
     * @return the job; empty for an id no job has
     */
    Optional<Job> job(JobId id);

    /**
     * The user's newest jobs, newest first, at most {@code limit} ({@code /history}).
     *
     * @param limit the most to return
     * @return the jobs, newest first
     */
    List<Job> recentJobs(int limit);

    /**
     * The user's jobs not finished yet, newest first, at most {@code limit} ({@code /status}, a job's status, a text
     * at the menu): read from those jobs alone ({@code Jobs.unfinished}), however many finished ones he has.
     *
     * @param limit the most to return
     * @return the jobs he is waiting for, newest first
     */
    List<Job> unfinishedJobs(int limit);

    /**
     * Whether a paid job's price came back after it was charged (an admin's {@code /refund} of a delivered job, or a
     * result whose file was gone at the provider): {@code /history} then says so instead of its price. A context of
     * your own may leave it false; the line then shows the price as charged.
     *
     * @param job one of the user's paid jobs
     * @return true when its price went back to the wallet after the charge
     */
    default boolean refundedAfterCharge(Job job) {
        return false;
    }

    /**
     * What a paid job's charge took from the wallet: its price, or less for a result made with a cheaper choice than
     * the one paid for (charged that choice's price, the rest given back). {@code /history} shows it as the job's
     * price. A context of your own may leave it the price.
     *
     * @param job one of the user's paid jobs, delivered
     * @return minor units charged for it
     */
    default long charged(Job job) {
        return job.price();
    }

    /**
     * What of a paid job's refund after its charge the user had back in Stars already (a Telegram refund of the Stars
     * payment that paid for it, whose loss the refund went back against): {@code /history} says that part came back
     * in Stars, not to the balance. So, for a paid job that failed, what its hold's void gave to a Stars refund
     * reported while it ran. A context of your own may leave it 0: all of the refund reads as the balance's.
     *
     * @param job one of the user's paid jobs
     * @return minor units; 0 when none of its refund went so, or it was not refunded
     */
    default long refundedInStars(Job job) {
        return 0;
    }

    /**
     * Wallet money on hold for running generations (minor units).
     *
     * @return the sum of the wallet's open holds
     */
    long reserved();

    /**
     * The wallet's newest money movements, newest first.
     *
     * @param limit the most lines to return
     * @return the lines, newest first
     */
    List<StatementLine> statement(int limit);
    /**
     * Now, by the shop's clock.
     *
     * @return the business clock's instant
     */
    Instant now();

    /**
     * How long a job of this model usually takes, learnt from the shop's history ({@code ExpectedTime}).
     *
     * @param model the model
     * @return the median of its recent successful jobs, or its category's default while there are too few
     */
    Duration expectedTime(Model model);

    /**
     * Whether an admin took the model off sale for a while ({@code /pause}): its card says so and takes no order.
     *
     * @param modelId the model's id
     * @return true while paused
     */
    boolean paused(String modelId);

    /**
     * The models with the most delivered jobs created since {@code since}, most first.
     *
     * @param since the start of the period (a week ago, for the popular list)
     * @param limit the most model ids to return
     * @return model ids, most delivered first
     */
    List<String> mostDelivered(Instant since, int limit);

    /**
     * The user's card / SBP requests still open and in time, newest first: a receipt he sends with none asked for (a
     * second one after the first, or one sent before «Оплачено») belongs to one of them; «Оплачено» makes the chat
     * wait for a receipt only for one of them (a button naming another user's request is the client's forgery). A
     * context of your own may leave it empty; such a file is then answered as any file the screen does not take, and
     * «Оплачено» reports the request paid without the chat waiting for its receipt.
     *
     * @return the open requests, newest first; read only when a photo or a file comes where none is asked,
     *         «Оплачено» is pressed, or /cancel while a receipt is awaited
     */
    default List<ManualTopUp> openManualTopUps() {
        return List.of();
    }

    /**
     * Another user, as stored: /cancel names the user whose credit, debit or refund it drops to the admin who typed
     * his id («пользователю User42 (ID 42)»; the id alone asked the admin to remember whose it was). A context of your
     * own may leave it empty; the notice then names the id alone.
     *
     * @param userId the user's Telegram id
     * @return the stored user; empty for one the shop does not know
     */
    default Optional<User> otherUser(long userId) {
        return Optional.empty();
    }
}
