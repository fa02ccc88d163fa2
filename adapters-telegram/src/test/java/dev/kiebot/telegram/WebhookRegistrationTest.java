package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeTelegramServer.Failure;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookRegistrationTest {
    private FakeTelegramServer fake;
    private WebhookRegistration registration;

    @BeforeEach
    void setUp() {
        fake = FakeTelegramServer.start();
        registration = new WebhookRegistration(fake.bot());
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    @Test
    void setWebhookSendsUrlSecretAndAllowedUpdates() {
        WebhookRegistration.Result r = registration.setWebhook("https://bot.example.org/tg/hook", "s3cr3t_-AZ09",
                List.of("message", "callback_query", "pre_checkout_query", "my_chat_member"));

        assertThat(r).isEqualTo(new WebhookRegistration.Result(true, "Webhook was set"));
        var call = fake.callsTo("setWebhook").get(0);
        assertThat(call.params()).containsEntry("url", "https://bot.example.org/tg/hook").containsEntry("secret_token", "s3cr3t_-AZ09");
        assertThat(JsonParser.parseString(call.param("allowed_updates")))
                .isEqualTo(JsonParser.parseString("[\"message\",\"callback_query\",\"pre_checkout_query\",\"my_chat_member\"]"));
        assertThat(fake.webhookUrl()).isEqualTo("https://bot.example.org/tg/hook");
        assertThat(fake.webhookSecret()).isEqualTo("s3cr3t_-AZ09");

        WebhookRegistration.WebhookStatus status = registration.getWebhookInfo().orElseThrow();
        assertThat(status.url()).isEqualTo("https://bot.example.org/tg/hook");
        assertThat(status.allowedUpdates()).contains("callback_query");
        assertThat(status.lastErrorMessage()).isEmpty();
    }

    @Test
    void failuresComeBackAsResultsNeverAsExceptions() {
        fake.failNext("setWebhook", 5, Failure.serverError());
        WebhookRegistration.Result r = registration.setWebhook("https://bot.example.org/hook", "abc", List.of("message"));

        assertThat(r.ok()).isFalse();
        assertThat(r.description()).contains("500").doesNotContain(fake.token());

        fake.clearFailures();
        fake.failNext("setWebhook", 1, Failure.badRequest("bad webhook: Failed to resolve host: Name or service not known"));
        WebhookRegistration.Result bad = registration.setWebhook("https://nowhere.invalid/hook", "abc", List.of());
        assertThat(bad.ok()).isFalse();
        assertThat(bad.description()).contains("Failed to resolve host");

        assertThat(registration.setWebhook("https://bot.example.org/hook", "abc", List.of()).ok()).isTrue();
    }

    @Test
    void invalidSecretIsRefusedLocally() {
        assertThat(registration.setWebhook("https://x.org/h", "has spaces!", List.of()).ok()).isFalse();
        assertThat(registration.setWebhook("https://x.org/h", "", List.of()).ok()).isFalse();
        assertThat(fake.callsTo("setWebhook")).isEmpty();
    }

    @Test
    void deleteWebhook() {
        registration.setWebhook("https://x.org/h", "abc", List.of());
        assertThat(registration.deleteWebhook()).isEqualTo(new WebhookRegistration.Result(true, "Webhook was deleted"));
        assertThat(registration.deleteWebhook(true).ok()).isTrue();
        assertThat(fake.callsTo("deleteWebhook").get(1).param("drop_pending_updates")).isEqualTo("true");
        assertThat(fake.webhookUrl()).isEmpty();
    }

    @Test
    void getMeGivesTheUsername() {
        assertThat(registration.getMe()).contains(new WebhookRegistration.BotIdentity(FakeTelegramServer.DEFAULT_BOT_ID,
                FakeTelegramServer.DEFAULT_BOT_USERNAME, "Kie Test Bot"));
    }

    @Test
    void unreachableApi() throws IOException {
        String token = fake.token();
        try (Socket refusing = FakeTelegramServer.refusingPort()) {
            WebhookRegistration registration = unreachable(refusing);
            assertThat(registration.getMe()).isEmpty();
            WebhookRegistration.Result r = registration.deleteWebhook();
            assertThat(r.ok()).isFalse();
            assertThat(r.description()).doesNotContain(token).doesNotContain(token.substring(token.indexOf(':') + 1));
        }
    }

    /**
     * Telegram unreachable: a port held bound and never listening, not the fake closed, whose port, given back, may be
     * taken by another fake of the -T1C build that expects the same token and answers.
     */
    private WebhookRegistration unreachable(Socket refusing) {
        return new WebhookRegistration(TelegramBots.create(fake.token(), "http://127.0.0.1:" + refusing.getLocalPort()));
    }

    @Test
    void wrongTokenIsUnauthorized() {
        WebhookRegistration other = new WebhookRegistration(TelegramBots.create("999:wrong", fake.apiUrl()));
        assertThat(other.getMe()).isEmpty();
        assertThat(other.whoAmI()).isEqualTo(new WebhookRegistration.Me.TokenRefused(401));
        assertThat(other.deleteWebhook().description()).contains("401").contains("Unauthorized");
    }

    /** Telegram answers a token not even of a token's shape with 404: refused as surely as a revoked one. */
    @Test
    void aNotFoundAnswerToGetMeIsARefusedTokenToo() {
        fake.failNext("getMe", 1, Failure.apiError(404, "Not Found"));
        assertThat(registration.whoAmI()).isEqualTo(new WebhookRegistration.Me.TokenRefused(404));
    }

    /** Only the token's refusal is told apart: a Telegram that cannot be asked leaves the bot starting. */
    @Test
    void anUnreachableOrFailingTelegramIsNoRefusal() throws IOException {
        fake.failNext("getMe", 5, Failure.serverError());
        assertThat(registration.whoAmI()).isInstanceOf(WebhookRegistration.Me.Unknown.class)
                .asString().doesNotContain(fake.token());
        fake.clearFailures();
        assertThat(registration.whoAmI()).isInstanceOf(WebhookRegistration.Me.Known.class);
        try (Socket refusing = FakeTelegramServer.refusingPort()) {
            assertThat(unreachable(refusing).whoAmI()).isInstanceOf(WebhookRegistration.Me.Unknown.class);
        }
    }

    /** A status keeps the update types it was made with: a list its maker changes afterwards is not its own. */
    @Test
    void aWebhookStatusKeepsItsOwnCopyOfTheUpdateTypes() {
        List<String> types = new ArrayList<>(List.of("message"));
        WebhookRegistration.WebhookStatus status = new WebhookRegistration.WebhookStatus("https://x", 0,
                Optional.empty(), types);

        types.add("callback_query");

        assertThat(status.allowedUpdates()).containsExactly("message");
    }
}
