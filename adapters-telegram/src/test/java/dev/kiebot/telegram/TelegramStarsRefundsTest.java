package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.payments.StarsRefundResult;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeTelegramServer.Failure;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** refundStarPayment on the wire: once, CHARGE_ALREADY_REFUNDED as done, errors as failures, drops retried. */
class TelegramStarsRefundsTest {
    private static final long USER = 555_000_222L;
    private FakeTelegramServer fake;
    private TelegramStarsRefunds refunds;

    @BeforeEach
    void setUp() {
        fake = FakeTelegramServer.start();
        refunds = new TelegramStarsRefunds(fake.bot(), ApiCaller.Policy.defaults(), new FakeTicker());
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    @Test
    void aChargeIsRefundedOnceAndAgainItIsAlreadyRefunded() {
        assertThat(refunds.refund(USER, "stx-charge-1")).isEqualTo(new StarsRefundResult.Refunded());
        FakeTelegramServer.Call call = fake.callsTo("refundStarPayment").get(0);
        assertThat(call.param("user_id")).isEqualTo(Long.toString(USER));
        assertThat(call.param("telegram_payment_charge_id")).isEqualTo("stx-charge-1");
        assertThat(fake.refundedCharges()).containsExactly("stx-charge-1");
        assertThat(refunds.refund(USER, "stx-charge-1")).isEqualTo(new StarsRefundResult.AlreadyRefunded());
        assertThat(refunds.refund(USER, "stx-charge-1").done()).isTrue();
    }

    @Test
    void anApiErrorIsAFailureWithItsReasonAndNoToken() {
        fake.failNext("refundStarPayment", 1, Failure.apiError(400, "Bad Request: CHARGE_NOT_FOUND"));
        StarsRefundResult r = refunds.refund(USER, "stx-unknown");
        assertThat(r).isInstanceOfSatisfying(StarsRefundResult.Failed.class, f -> assertThat(f.reason())
                .contains("400", "CHARGE_NOT_FOUND").doesNotContain(fake.token()));
        assertThat(r.done()).isFalse();
        assertThat(fake.refundedCharges()).isEmpty();
        assertThat(refunds.refund(USER, "")).isInstanceOf(StarsRefundResult.Failed.class);
    }

    /** «failed: 400 CHARGE_NOT_FOUND» alone named no cause and no action: the WARN says both. */
    @Test
    void anUnknownChargeIsAWarningSayingWhatItMeansAndWhatToDo() {
        try (LogCapture logs = new LogCapture()) {
            fake.failNext("refundStarPayment", 1, Failure.apiError(400, "Bad Request: CHARGE_NOT_FOUND"));
            refunds.refund(USER, "stx-unknown");

            assertThat(logs.lines()).filteredOn(l -> l.startsWith("WARN ")).singleElement().asString()
                    .contains("CHARGE_NOT_FOUND", "another bot's", "mistyped", "No Stars went back",
                            "ask again with the right one", "***0222")
                    .doesNotContain(Long.toString(USER), fake.token());
        }
    }

    /** By the rule replies use (401, or 404 for a token not of a token's shape): refused for the token, nothing moved. */
    @Test
    void aRefusedBotTokenIsAFailureThatSaysSo() {
        fake.failNext("refundStarPayment", 1, Failure.apiError(401, "Unauthorized"));
        StarsRefundResult r = refunds.refund(USER, "stx-charge-5");
        assertThat(r).isInstanceOfSatisfying(StarsRefundResult.Failed.class, f -> {
            assertThat(f.botTokenRefused()).isTrue();
            assertThat(f.reason()).contains("401").doesNotContain(fake.token());
        });
        fake.failNext("refundStarPayment", 1, Failure.apiError(404, "Not Found"));
        assertThat(refunds.refund(USER, "stx-charge-5")).isEqualTo(new StarsRefundResult.Failed(
                "refundStarPayment failed: 404 Not Found", true));
        assertThat(fake.refundedCharges()).isEmpty();
        fake.failNext("refundStarPayment", 1, Failure.apiError(400, "Bad Request: CHARGE_NOT_FOUND"));
        assertThat(refunds.refund(USER, "stx-charge-5")).isInstanceOfSatisfying(StarsRefundResult.Failed.class,
                f -> assertThat(f.botTokenRefused()).isFalse());
    }

    @Test
    void serverErrorsAreRetriedAndALostAnswerIsAskedAgain() {
        fake.failNext("refundStarPayment", 2, Failure.serverError());
        assertThat(refunds.refund(USER, "stx-charge-2")).isEqualTo(new StarsRefundResult.Refunded());
        assertThat(fake.callsTo("refundStarPayment")).hasSize(3);
        // refunded, then the connection dropped before the answer: the retry learns it is done
        fake.failNext("refundStarPayment", 1, Failure.dropAfter());
        assertThat(refunds.refund(USER, "stx-charge-3")).isEqualTo(new StarsRefundResult.AlreadyRefunded());
        assertThat(fake.refundedCharges()).containsExactly("stx-charge-2", "stx-charge-3");
    }

    @Test
    void anUnreachableTelegramIsAFailureAfterTheRetries() throws Exception {
        // refused connections: the request surely never arrived. A port held bound, not the fake closed: its port,
        // given back, was now and then taken by another fake of the build, and a try that met it was ambiguous
        try (java.net.Socket refusing = FakeTelegramServer.refusingPort()) {
            TelegramStarsRefunds unreachable = new TelegramStarsRefunds(TelegramBots.create(fake.token(),
                    "http://127.0.0.1:" + refusing.getLocalPort()), ApiCaller.Policy.defaults(), new FakeTicker());
            assertThat(unreachable.refund(USER, "stx-charge-4")).isInstanceOf(StarsRefundResult.Failed.class);
        }
        assertThat(fake.refundedCharges()).isEmpty();
    }

    /**
     * Every try went out and no answer said what became of it (the connection dropped after the request, a proxy's
     * 5xx): the refund may be done, so it is not a refusal, which would give the balance back as well.
     */
    @Test
    void noAnswerOnEveryTryIsUnknownNotAFailure() {
        fake.failNext("refundStarPayment", 1000, Failure.dropAfter());
        StarsRefundResult dropped = refunds.refund(USER, "stx-charge-5");
        assertThat(dropped).isInstanceOfSatisfying(StarsRefundResult.Unknown.class, u -> assertThat(u.reason())
                .doesNotContain(fake.token()));
        assertThat(dropped.done()).isFalse();
        fake.failNext("refundStarPayment", 1000, Failure.badGatewayPage());
        assertThat(refunds.refund(USER, "stx-charge-6")).isInstanceOf(StarsRefundResult.Unknown.class);
        fake.failNext("refundStarPayment", 1000, Failure.serverError());
        assertThat(refunds.refund(USER, "stx-charge-7")).isInstanceOf(StarsRefundResult.Unknown.class);
    }

    /**
     * The first try was carried out and its answer lost; the next met a 429 longer than the bot waits. Judged by the
     * last try alone, that was a refusal: the hold was voided and the payer had the Stars and the balance.
     */
    @Test
    void aTryThatMayHaveBeenCarriedOutThenARateLimitIsUnknownNotAFailure() {
        fake.failNext("refundStarPayment", 1, Failure.dropAfter());
        fake.failNext("refundStarPayment", 1, Failure.tooManyRequests(3_600));
        assertThat(refunds.refund(USER, "stx-charge-8")).isInstanceOfSatisfying(StarsRefundResult.Unknown.class,
                u -> assertThat(u.reason()).contains("429").doesNotContain(fake.token()));
        assertThat(fake.callsTo("refundStarPayment")).hasSize(2);
        assertThat(fake.refundedCharges()).containsExactly("stx-charge-8");
    }

    /** The same with Telegram out of reach from the first retry on: refused connections say nothing of the first. */
    @Test
    void aTryThatMayHaveBeenCarriedOutThenRefusedConnectionsIsUnknownNotAFailure() {
        fake.failNext("refundStarPayment", 1, Failure.dropAfter());
        TelegramStarsRefunds unreachableAfterIt = new TelegramStarsRefunds(fake.bot(), ApiCaller.Policy.defaults(),
                pausing(fake::close));
        assertThat(unreachableAfterIt.refund(USER, "stx-charge-9")).isInstanceOfSatisfying(
                StarsRefundResult.Unknown.class, u -> assertThat(u.reason()).doesNotContain(fake.token()));
        assertThat(fake.refundedCharges()).containsExactly("stx-charge-9");
    }

    /**
     * A proxy's 502 can follow a refund done behind it; the retry met refused connections, which say nothing of it.
     * Judged by the last try alone that was a refusal: the hold was voided and the payer had the Stars and the balance.
     */
    @Test
    void aServerErrorThenRefusedConnectionsIsUnknownNotAFailure() {
        fake.failNext("refundStarPayment", 1, Failure.badGatewayPage().closingTheConnection());
        TelegramStarsRefunds unreachableAfterIt = new TelegramStarsRefunds(fake.bot(), ApiCaller.Policy.defaults(),
                pausing(fake::close));
        assertThat(unreachableAfterIt.refund(USER, "stx-charge-11")).isInstanceOfSatisfying(
                StarsRefundResult.Unknown.class, u -> assertThat(u.reason()).contains("502").doesNotContain(fake.token()));
        assertThat(fake.callsTo("refundStarPayment")).hasSize(1);
    }

    /** The same with the retry answered by a 429 longer than the bot waits, or by a refusal of the token. */
    @Test
    void aServerErrorThenALongRateLimitOrARefusedTokenIsUnknownNotAFailure() {
        fake.failNext("refundStarPayment", 1, Failure.serverError());
        fake.failNext("refundStarPayment", 1, Failure.tooManyRequests(3_600));
        assertThat(refunds.refund(USER, "stx-charge-12")).isInstanceOfSatisfying(StarsRefundResult.Unknown.class,
                u -> assertThat(u.reason()).contains("500", "429").doesNotContain(fake.token()));
        fake.failNext("refundStarPayment", 1, Failure.badGatewayPage());
        fake.failNext("refundStarPayment", 1, Failure.apiError(401, "Unauthorized"));
        assertThat(refunds.refund(USER, "stx-charge-13")).isInstanceOfSatisfying(StarsRefundResult.Unknown.class,
                u -> assertThat(u.reason()).contains("502", "401").doesNotContain(fake.token()));
        assertThat(fake.callsTo("refundStarPayment")).hasSize(4);
        assertThat(fake.refundedCharges()).isEmpty();
    }

    /** Something unforeseen thrown once the request went: the refund may be done, so not a refusal either. */
    @Test
    void anUnexpectedErrorAfterTheRequestWentIsUnknownNotAFailure() {
        fake.failNext("refundStarPayment", 1, Failure.dropAfter());
        TelegramStarsRefunds failingBetweenTries = new TelegramStarsRefunds(fake.bot(), ApiCaller.Policy.defaults(),
                pausing(() -> {
                    throw new IllegalStateException("unforeseen");
                }));
        StarsRefundResult r = failingBetweenTries.refund(USER, "stx-charge-10");
        assertThat(r).isInstanceOfSatisfying(StarsRefundResult.Unknown.class,
                u -> assertThat(u.reason()).contains("IllegalStateException").doesNotContain(fake.token()));
        assertThat(fake.refundedCharges()).containsExactly("stx-charge-10");
    }

    /** Virtual time that runs {@code atFirstPause} when the call first waits to try again. */
    private static OutboundLimiter.Ticker pausing(Runnable atFirstPause) {
        FakeTicker time = new FakeTicker();
        AtomicBoolean paused = new AtomicBoolean();
        return new OutboundLimiter.Ticker() {
            @Override
            public long nanos() {
                return time.nanos();
            }

            @Override
            public void sleepNanos(long nanos) {
                if (paused.compareAndSet(false, true)) {
                    atFirstPause.run();
                }
                time.sleepNanos(nanos);
            }
        };
    }
}
