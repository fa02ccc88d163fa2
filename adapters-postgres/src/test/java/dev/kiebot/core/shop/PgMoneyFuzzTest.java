package dev.kiebot.core.shop;

import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.postgres.testing.TestDatabase;
import java.util.function.UnaryOperator;

/**
 * {@code MoneyFuzzTest}'s first walks through the real PostgreSQL stores: the wallet's transfers read back in their
 * order there, each hold's post, void or expiry a row of its own, the refunds' turns taken by the database.
 */
class PgMoneyFuzzTest extends MoneyFuzzTest {
    @Override
    ShopHarness shop() {
        return new ShopHarness(TestCatalog.catalog(), SETTINGS, ShopHarness.MANUAL, UnaryOperator.identity(),
                TestDatabase::emptyStores);
    }

    @Override
    int walks() {
        return Integer.getInteger("moneyFuzz.pgWalks", 4);
    }
}
