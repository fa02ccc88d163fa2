package dev.kiebot.runtime.intake;

import static dev.kiebot.runtime.testing.E2eWorld.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.telegram.WebhookRegistration;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Found by an operator review: getMe was asked at start only (2-3 tries within a second); when it failed, the bot's
 * username stayed unknown for the run, and /invite and /link made no links until a restart. It is asked again in the
 * background until Telegram answers, and what reads it reads it at each use.
 */
class BotNameTest {
    private final FakeTelegramServer telegram = FakeTelegramServer.start();

    @AfterEach
    void stop() {
        telegram.close();
    }

    @Test
    void aNameUnknownAtStartIsAskedAgainUntilTelegramAnswersAndThenUsed() {
        telegram.failWhen("getMe", c -> true, FakeTelegramServer.Failure.serverError());
        WebhookRegistration registration = new WebhookRegistration(telegram.bot());
        assertThat(registration.whoAmI()).as("the start's own ask fails").isInstanceOf(WebhookRegistration.Me.Unknown.class);
        try (BotName name = BotName.of(registration, Optional.empty(), telegram.botId(), Duration.ofMillis(20),
                Duration.ofMillis(80))) {
            name.askUntilKnown();
            await("getMe asked again", () -> telegram.callsTo("getMe").size() >= 4);
            assertThat(name.username()).isEmpty();
            assertThat(name.translator().botUsername()).isEmpty();

            telegram.clearFailures();

            await("the name learned", () -> name.username().isPresent());
            assertThat(name.username()).contains(telegram.botUsername());
            assertThat(name.translator().botUsername()).contains(telegram.botUsername());
        }
    }

    @Test
    void aNameKnownAtStartIsNotAskedAgain() {
        WebhookRegistration registration = new WebhookRegistration(telegram.bot());
        Optional<WebhookRegistration.BotIdentity> known = registration.getMe();
        telegram.clearCalls();
        try (BotName name = BotName.of(registration, known, telegram.botId(), Duration.ofMillis(1),
                Duration.ofMillis(1))) {
            name.askUntilKnown();
            assertThat(name.username()).contains(telegram.botUsername());
            assertThat(telegram.callsTo("getMe")).isEmpty();
        }
    }
}
