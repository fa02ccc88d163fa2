package dev.kiebot.core.users;

import java.time.LocalDate;
import java.util.OptionalInt;

/**
 * Free generations per user per day (port), and the day's count of welcome bonuses. Never touches the money ledger (a
 * free generation moves no money on a wallet; the welcome bonus is the caller's transfer); the limits hold under
 * concurrency.
 */
public interface FreeUsage {
    /**
     * Uses one free generation for {@code key} (the job id) if the user used fewer than {@code limit} that day and,
     * with a {@code totalMax}, every user together fewer than it. Idempotent per key: a key that took a use says so
     * again, whatever the counts are now. Both limits hold under concurrency (two users' last uses of the day's total
     * at once: one of them).
     *
     * @param userId   the user
     * @param day      the shop's day ({@code ShopSettings.zone()})
     * @param limit    free uses a user gets a day
     * @param totalMax free uses all users together get that day; empty for no cap
     * @param key      the job's id: what {@link #release} names
     * @return whether the use is the key's (taken now or before)
     */
    boolean tryUse(long userId, LocalDate day, int limit, OptionalInt totalMax, String key);

    /**
     * {@link #tryUse(long, LocalDate, int, OptionalInt, String)} with no cap on every user's uses together. A default
     * because it is sound: that call, which every store implements.
     *
     * @param userId the user
     * @param day    the shop's day
     * @param limit  free uses a user gets a day
     * @param key    the job's id
     * @return whether the use is the key's
     */
    default boolean tryUse(long userId, LocalDate day, int limit, String key) {
        return tryUse(userId, day, limit, OptionalInt.empty(), key);
    }

    /**
     * Free generations every user together used that day (released ones not counted).
     *
     * @param day the shop's day
     * @return how many
     */
    int usedByAll(LocalDate day);

    /**
     * Gives back the free use taken under {@code key} (the free job failed). Only that key's: a key released before,
     * or one that took no use that day, changes nothing — a failure handled twice must not free a second use.
     *
     * @param userId the user
     * @param day    the day the use was taken on
     * @param key    the job's id
     */
    void release(long userId, LocalDate day, String key);

    /**
     * Counts one more welcome bonus on {@code day} if fewer than {@code max} were counted that day, every new user
     * together (the runners' WELCOME_DAILY_TOTAL): fresh Telegram accounts cost nothing, and each bonus is money the
     * shop's provider account pays out. Holds under concurrency, also for instances on one database (two new users at
     * the day's last one: one of them). Called in the new user's transaction, before his bonus is transferred in it;
     * a store that joins the caller's transaction ({@code Stores}) counts nothing for one rolled back.
     *
     * @param day the shop's day
     * @param max welcome bonuses a day, every new user together
     * @return whether it was counted (the caller gives the bonus); false with {@code max} of 0 or less
     */
    boolean tryWelcome(LocalDate day, int max);

    /**
     * Welcome bonuses {@link #tryWelcome} counted on {@code day}.
     *
     * @param day the shop's day
     * @return how many
     */
    int welcomed(LocalDate day);

    /**
     * How many free generations the user has used on {@code day} (taken and not released).
     *
     * @param userId the user
     * @param day    the shop's day
     * @return how many
     */
    int used(long userId, LocalDate day);

    /**
     * Forgets the uses and the welcome counts of every day before {@code day} (retention): past days are never asked
     * again, and a row a day would otherwise stay for ever.
     *
     * @param day the first day kept
     * @return the uses forgotten (not the welcome counts)
     */
    int purge(LocalDate day);
}
