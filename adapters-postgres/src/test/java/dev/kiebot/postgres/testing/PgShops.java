package dev.kiebot.postgres.testing;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.util.Set;
import java.util.function.UnaryOperator;

/** The shop the PostgreSQL money tests start: core's harness on empty stores of the test database. */
public final class PgShops {
    private PgShops() {
    }

    /**
     * The test catalog with the harness's admin, no admission limit (the races send many updates of one user at once)
     * and manual top-ups, on freshly emptied PostgreSQL stores, after the admin and {@code user} pressed /start.
     */
    public static ShopHarness startedByAdminAnd(long user) {
        return new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL, UnaryOperator.identity(),
                TestDatabase::emptyStores).startedByAdminAnd(user);
    }
}
