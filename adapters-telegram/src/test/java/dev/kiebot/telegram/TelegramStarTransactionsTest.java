package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.payments.StarTransaction;
import dev.kiebot.core.payments.StarTransactionsRead;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeTelegramServer.Failure;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** getStarTransactions on the wire: a form-encoded page asked, the documented JSON read, failures as Failed. */
class TelegramStarTransactionsTest {
    private static final long USER = 555_000_222L;
    private static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");
    private FakeTelegramServer fake;
    private TelegramStarTransactions transactions;

    @BeforeEach
    void setUp() {
        fake = FakeTelegramServer.start();
        transactions = new TelegramStarTransactions(fake.bot(), ApiCaller.Policy.defaults(), new FakeTicker());
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    private List<StarTransaction> page(int offset, int limit) {
        StarTransactionsRead r = transactions.page(offset, limit);
        assertThat(r).isInstanceOf(StarTransactionsRead.Page.class);
        return ((StarTransactionsRead.Page) r).transactions();
    }

    @Test
    void aPaymentAndItsRefundAreReadWithTheirUserAndPayload() {
        fake.starPayment("stx-1", USER, "topup:a", 50, AT).starRefund("stx-1", USER, "topup:a", 50, AT.plusSeconds(60));

        assertThat(page(0, 100)).containsExactly(
                StarTransaction.payment("stx-1", USER, "topup:a", 50, AT),
                StarTransaction.refund("stx-1", USER, "topup:a", 50, AT.plusSeconds(60)));
        FakeTelegramServer.Call call = fake.callsTo("getStarTransactions").get(0);
        assertThat(call.param("offset")).isEqualTo("0");
        assertThat(call.param("limit")).isEqualTo("100");
    }

    @Test
    void pagesFollowTheOffsetAndLimit() {
        for (int i = 0; i < 5; i++) {
            fake.starPayment("stx-" + i, USER, "topup:" + i, 10 + i, AT.plusSeconds(i));
        }

        assertThat(page(2, 2)).extracting(StarTransaction::id).containsExactly("stx-2", "stx-3");
        assertThat(page(4, 2)).extracting(StarTransaction::id).containsExactly("stx-4");
        assertThat(page(5, 2)).isEmpty();
    }

    @Test
    void aRefundTheBotAskedIsListedUnderThePaymentsId() {
        fake.starPayment("stx-9", USER, "topup:z", 100, AT);
        new TelegramStarsRefunds(fake.bot(), ApiCaller.Policy.defaults(), new FakeTicker()).refund(USER, "stx-9");

        assertThat(page(0, 100)).extracting(StarTransaction::id, StarTransaction::incoming)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("stx-9", true),
                        org.assertj.core.groups.Tuple.tuple("stx-9", false));
    }

    @Test
    void aRateLimitWithinPatienceIsWaitedOutAndOneBeyondItFails() {
        fake.starPayment("stx-1", USER, "topup:a", 50, AT);
        fake.failNext("getStarTransactions", 1, Failure.tooManyRequests(3));
        assertThat(page(0, 100)).hasSize(1);

        fake.failNext("getStarTransactions", 1, Failure.tooManyRequests(600));
        assertThat(transactions.page(0, 100)).isInstanceOfSatisfying(StarTransactionsRead.Failed.class,
                f -> assertThat(f.reason()).contains("429").doesNotContain(fake.token()));
    }

    @Test
    void anApiErrorOrAnUnreadableAnswerIsAFailureNeverAnException() {
        fake.failNext("getStarTransactions", 1, Failure.apiError(401, "Unauthorized"));
        assertThat(transactions.page(0, 100)).isInstanceOfSatisfying(StarTransactionsRead.Failed.class,
                f -> assertThat(f.reason()).contains("401").doesNotContain(fake.token()));
        fake.failWhen("getStarTransactions", c -> true, Failure.badGatewayPage());
        assertThat(transactions.page(0, 100)).isInstanceOf(StarTransactionsRead.Failed.class);
        assertThat(transactions.page(0, 101)).isInstanceOf(StarTransactionsRead.Failed.class);
    }
}
