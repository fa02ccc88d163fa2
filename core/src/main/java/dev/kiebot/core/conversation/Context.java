package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.ledger.StatementLine;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Read-only facts the conversation needs about the user; reads only, no writes. */
public interface Context {
    /** The user whose update this is, as stored (created on his first update). */
    User user();

    /** Available wallet balance in minor units. */
    long balance();

    /**
     * Free generations the user used today, as they count: all of his allowance once the shop's day's total is given
     * out ({@link #freeGivenOutToAll()}).
     */
    int freeUsedToday();

    /**
     * Whether the shop gave out today's total of free generations for every user together (FREE_DAILY_TOTAL), so that
     * the screens say why nothing free is left for a user who used none. A context of your own may leave it false.
     */
    default boolean freeGivenOutToAll() {
        return false;
    }

    /** The welcome bonus credited while handling this very update (a new user's first one), if any. */
    default Optional<Long> welcomeBonus() {
        return Optional.empty();
    }

    /** Whether the user is one of {@code ShopSettings.adminIds()}. */
    boolean admin();

    /** A job by its id, whoever's it is: the conversation shows it only to its user or an admin. */
    Optional<Job> job(JobId id);

    /** The user's newest jobs, newest first, at most {@code limit} ({@code /history}). */
    List<Job> recentJobs(int limit);

    /**
     * Whether a paid job's price came back after it was charged (an admin's {@code /refund} of a delivered job, or a
     * result whose file was gone at the provider): {@code /history} then says so instead of its price. A context of
     * your own may leave it false; the line then shows the price as charged.
     */
    default boolean refundedAfterCharge(Job job) {
        return false;
    }

    /** Wallet money on hold for running generations (minor units). */
    long reserved();

    /** The wallet's newest money movements, newest first. */
    List<StatementLine> statement(int limit);
    /** Now, by the shop's clock. */
    Instant now();

    /** How long a job of this model usually takes, learnt from the shop's history ({@code ExpectedTime}). */
    Duration expectedTime(Model model);

    /** Whether an admin took the model off sale for a while ({@code /pause}): its card says so and takes no order. */
    boolean paused(String modelId);

    /** The models with the most delivered jobs created since {@code since}, most first. */
    List<String> mostDelivered(Instant since, int limit);
}
