package dev.kiebot.core.shop;

import java.util.EnumSet;
import java.util.Set;

/**
 * A gift the shop hands out with no cap for the whole shop a day. New accounts on a chat platform cost nothing to
 * make, and what each one is given is paid for from the shop's provider account: without a day's total for every user
 * together, N accounts take N times the allowance every day. Allowed (a small audience may mean it), but said:
 * {@link Shop.Builder#build()} logs a warning for each, and kiebot's runner says the same at its start in the words of
 * its variables. One rule, so that the two never disagree.
 */
public enum UncappedGift {
    /** Free generations a user gets a day ({@code freeDailyLimit}) without {@code freeDailyTotal}. */
    FREE_USES,
    /** A welcome bonus ({@code ShopSettings.withWelcomeBonus}) without {@code welcomeDailyTotal}. */
    WELCOME_BONUS;

    /**
     * The gifts these settings give without a day's total.
     *
     * @param welcomeBonus      minor units credited to every new user, 0 for none
     * @param freeDailyLimit    free generations a user gets a day, 0 for none
     * @param freeDailyTotal    free generations a day for every user together, 0 for no cap
     * @param welcomeDailyTotal welcome bonuses a day for every new user together, 0 for no cap
     * @return empty when every gift given is capped (or none is given)
     */
    public static Set<UncappedGift> in(long welcomeBonus, int freeDailyLimit, int freeDailyTotal,
                                       int welcomeDailyTotal) {
        Set<UncappedGift> uncapped = EnumSet.noneOf(UncappedGift.class);
        if (freeDailyLimit > 0 && freeDailyTotal <= 0) {
            uncapped.add(FREE_USES);
        }
        if (welcomeBonus > 0 && welcomeDailyTotal <= 0) {
            uncapped.add(WELCOME_BONUS);
        }
        return uncapped;
    }
}
