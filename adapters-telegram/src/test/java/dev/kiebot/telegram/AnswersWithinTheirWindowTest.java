package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeTelegramServer.Failure;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Telegram takes a button's answer for about 15 s: an answer is tried within that and then dropped (a failure, never a
 * deferral), not retried for half a minute of an outage or a minute of a 429 to meet "query is too old" while the
 * answers behind it wait for its thread.
 */
class AnswersWithinTheirWindowTest {
    private static final long CHAT = 700_300_401L;
    private static final Duration WINDOW = Duration.ofSeconds(14);

    private FakeTelegramServer fake;
    private FakeTicker ticker;
    private TelegramMessenger messenger;

    @BeforeEach
    void setUp() {
        fake = FakeTelegramServer.start();
        ticker = new FakeTicker();
        messenger = TelegramMessenger.builder(fake.bot()).limits(OutboundLimiter.Settings.unlimited()).ticker(ticker)
                .build();
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    private Delivery press(String query) {
        return messenger.send(new Reply.AnswerCallback(CHAT, query, Optional.empty(), false));
    }

    @Test
    void anUnreachableTelegramIsTriedWithinTheWindowOnly() {
        fake.failNext("answerCallbackQuery", 1_000, Failure.serverError());
        long start = ticker.nanos();

        assertThat(press("outage")).isInstanceOf(Delivery.Failed.class);

        assertThat(fake.callsTo("answerCallbackQuery").size()).isGreaterThan(1);
        assertThat(ticker.elapsedSince(start)).isLessThan(WINDOW);
    }

    @Test
    void aRateLimitLongerThanTheWindowIsNotWaitedOut() {
        fake.failNext("answerCallbackQuery", 1, Failure.tooManyRequests(30));
        long start = ticker.nanos();

        assertThat(press("limited")).isInstanceOf(Delivery.Failed.class);

        assertThat(fake.callsTo("answerCallbackQuery")).hasSize(1);
        assertThat(ticker.elapsedSince(start)).isLessThan(WINDOW);
        fake.failNext("answerCallbackQuery", 1, Failure.tooManyRequests(2));
        assertThat(press("briefly limited")).as("a short one still is").isInstanceOf(Delivery.Sent.class);
    }

    /** A pre-checkout's answer likewise (Telegram waits 10 s for it, then fails the payment itself). */
    @Test
    void aPreCheckoutsAnswerIsTriedWithinTheWindowOnly() {
        fake.failWhen("answerPreCheckoutQuery", c -> true, Failure.disconnect());
        long start = ticker.nanos();

        assertThat(messenger.send(new Reply.AnswerPreCheckout(CHAT, "p", true, Optional.empty())))
                .as("read and never answered: Telegram may have taken it").isInstanceOf(Delivery.Uncertain.class);

        assertThat(fake.callsTo("answerPreCheckoutQuery").size()).isGreaterThan(1);
        assertThat(ticker.elapsedSince(start)).isLessThan(Duration.ofSeconds(10));
    }

    /** A pre-checkout's answer only a 5xx met: the proxy may have answered it after the Bot API took it. */
    @Test
    void aPreCheckoutsAnswerMetBy5xxMayHaveGone() {
        fake.failWhen("answerPreCheckoutQuery", c -> true, Failure.badGatewayPage());

        assertThat(messenger.send(new Reply.AnswerPreCheckout(CHAT, "p", true, Optional.empty())))
                .isInstanceOf(Delivery.Uncertain.class);
    }

    @Test
    void aRefusedTokenIsNoDeferral() {
        fake.failNext("answerCallbackQuery", 1, Failure.apiError(401, "Unauthorized"));
        assertThat(press("token")).isInstanceOf(Delivery.Failed.class);
        assertThat(fake.callsTo("answerCallbackQuery")).hasSize(1);
    }
}
