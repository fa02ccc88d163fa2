package dev.kiebot.core.payments;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A shop given no way to read the platform's Stars transactions reads a failure that names the builder call to give
 * one, not a page of none (which the Stars check would take for a platform that saw no payment).
 */
class NoStarTransactionsTest {

    @Test
    void readingThemFailsNamingTheBuilderCall() {
        assertThat(StarTransactions.none().page(0, StarTransactions.PAGE_MAX)).isInstanceOfSatisfying(
                StarTransactionsRead.Failed.class,
                failed -> assertThat(failed.reason()).contains("Shop.builder().starTransactions"));
    }
}
