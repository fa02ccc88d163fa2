package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.request.GetMe;
import com.pengrad.telegrambot.response.GetMeResponse;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelegramBotsTest {
    @Test
    void normalizesTheBaseUrl() {
        assertThat(TelegramBots.normalizeBaseUrl(null)).isEqualTo("https://api.telegram.org");
        assertThat(TelegramBots.normalizeBaseUrl("  ")).isEqualTo("https://api.telegram.org");
        assertThat(TelegramBots.normalizeBaseUrl("https://api.telegram.org/")).isEqualTo("https://api.telegram.org");
        assertThat(TelegramBots.normalizeBaseUrl("http://127.0.0.1:8081/bot")).isEqualTo("http://127.0.0.1:8081");
        assertThatThrownBy(() -> TelegramBots.normalizeBaseUrl("ftp://x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TELEGRAM_API_URL");
        assertThatThrownBy(() -> TelegramBots.create(" ", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void botTalksToTheConfiguredServerAndFileApi() {
        try (FakeTelegramServer fake = FakeTelegramServer.start()) {
            TelegramBot bot = TelegramBots.create(fake.token(), fake.apiUrl() + "/");
            GetMeResponse me = bot.execute(new GetMe());
            assertThat(me.isOk()).isTrue();
            assertThat(me.user().username()).isEqualTo(FakeTelegramServer.DEFAULT_BOT_USERNAME);
            assertThat(fake.callsTo("getMe")).hasSize(1);

            com.pengrad.telegrambot.model.File f = bot.execute(new com.pengrad.telegrambot.request.GetFile("missing")).file();
            assertThat(f).isNull();
            fake.registerFile("f1", new byte[]{7});
            com.pengrad.telegrambot.model.File got = bot.execute(new com.pengrad.telegrambot.request.GetFile("f1")).file();
            assertThat(bot.getFullFilePath(got)).startsWith(fake.apiUrl() + "/file/bot");
        }
    }

    /** A partner's bot names no URL and passes no null: create(token) is the public Bot API's. */
    @Test
    void aBotMadeFromItsTokenAloneTalksToThePublicBotApi() {
        TelegramBot bot = TelegramBots.create("123:abc");
        com.pengrad.telegrambot.model.File file = com.pengrad.telegrambot.utility.BotUtils.fromJson(
                "{\"file_id\":\"f1\",\"file_path\":\"photos/1.jpg\"}", com.pengrad.telegrambot.model.File.class);
        assertThat(bot.getFullFilePath(file)).isEqualTo("https://api.telegram.org/file/bot123:abc/photos/1.jpg");
        assertThatThrownBy(() -> TelegramBots.create(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlySendsThatWouldShowTwiceAskForContinue() {
        assertThat(List.of("sendMessage", "sendPhoto", "sendVideo", "sendInvoice", "sendMediaGroup", "forwardMessage",
                "copyMessage")).allMatch(WireEvidence::isOneShot);
        assertThat(List.of("sendChatAction", "editMessageText", "answerCallbackQuery", "getUpdates", "getMe",
                "setWebhook", "deleteMessage")).noneMatch(WireEvidence::isOneShot);
    }

    @Test
    void clientHasShortTimeoutsAndNoSilentRetries() {
        var client = TelegramBots.httpClient(TelegramBots.Timeouts.defaults());
        assertThat(client.connectTimeoutMillis()).isEqualTo(5_000);
        assertThat(client.readTimeoutMillis()).isEqualTo(15_000);
        assertThat(client.retryOnConnectionFailure()).isFalse();
        assertThat(client.interceptors()).hasSize(3);
        assertThat(client.interceptors().get(0)).isInstanceOf(WireEvidence.class); // sees every failure first
    }

    @Test
    void everyCallIsReportedWithItsMethodAndStatusButNoTokenOrPath() {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (FakeTelegramServer fake = FakeTelegramServer.start()) {
            TelegramBot bot = TelegramBots.create(fake.token(), fake.apiUrl(), TelegramBots.Timeouts.defaults(),
                    (method, status, nanos) -> seen.add(method + " " + status + (nanos > 0 ? "" : " no time")));
            fake.failNext("sendMessage", 1, FakeTelegramServer.Failure.tooManyRequests(3));
            bot.execute(new GetMe());
            bot.execute(new com.pengrad.telegrambot.request.SendMessage(42, "hi"));
            assertThat(seen).containsExactly("getMe 200", "sendMessage 429");
        }
        assertThat(TelegramBots.methodOf("/bot123:abc/sendMessage")).isEqualTo("sendMessage");
        assertThat(TelegramBots.methodOf("/file/bot123:abc/photos/file_7.jpg")).isEqualTo("file");
        assertThat(TelegramBots.methodOf("/bot123:abc/weird-1")).isEqualTo("other");
        assertThat(TelegramBots.methodOf("/bot123:abc/")).isEqualTo("other");
        assertThat(TelegramBots.methodOf("/bot123:abc/sendMessageé")).isEqualTo("other");
        assertThat(TelegramBots.methodOf("/bot123:abc/" + "a".repeat(40))).isEqualTo("a".repeat(40));
        assertThat(TelegramBots.methodOf("/bot123:abc/" + "a".repeat(41))).isEqualTo("other");
    }
}
