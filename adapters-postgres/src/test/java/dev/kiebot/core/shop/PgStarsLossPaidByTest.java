package dev.kiebot.core.shop;

import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.postgres.testing.PgShops;

/**
 * {@code StarsLossPaidByTest}'s scenarios through the real PostgreSQL stores: the wallet's transfers read in their
 * order there, each hold's post, void or expiry a row of its own. A Stars payment A (75 ₽) refunded by Telegram after
 * its credit was spent, all of it the shop's loss: a job refunded after it goes back against that loss only for what
 * A's credit paid of it ({@link CreditsOnWallet}); what a card top-up B paid reaches the wallet.
 */
class PgStarsLossPaidByTest extends StarsLossPaidByTest {
    @Override
    ShopHarness started(long user) {
        return PgShops.startedByAdminAnd(user);
    }
}
