package dev.kiebot.postgres.testing;

import dev.kiebot.postgres.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base for tests of two bot instances: an empty database and two independent pools on it. */
public abstract class TwoInstances {
    protected Database instanceA;
    protected Database instanceB;

    @BeforeEach
    void openTwoInstances() {
        TestDatabase.truncateAll();
        instanceA = TestDatabase.newPool(3);
        instanceB = TestDatabase.newPool(3);
    }

    @AfterEach
    void closeTwoInstances() {
        instanceA.close();
        instanceB.close();
    }
}
