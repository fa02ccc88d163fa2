package dev.kiebot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class FakeBotApiTest {
    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> call(FakeBotApi api, String token, String method, String form) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/bot" + token + "/" + method))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return client.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTextRepliesToAChatAndACallbackAnswerOnlyAcknowledgesIt() throws Exception {
        try (FakeBotApi api = FakeBotApi.start()) {
            api.answers().track(100, 2);

            HttpResponse<String> sent = call(api, FakeBotApi.TOKEN, "sendMessage", "chat_id=100&text=menu");
            call(api, FakeBotApi.TOKEN, "answerCallbackQuery", "callback_query_id=" + BenchUpdates.queryId(101, 5));

            assertThat(sent.statusCode()).isEqualTo(200);
            assertThat(sent.body()).startsWith("{\"ok\":true,\"result\":{\"message_id\":").contains("\"chat\":{\"id\":100,");
            assertThat(api.answers().repliedCount()).isEqualTo(1);
            assertThat(api.answers().replySeconds(0)).hasSize(1);
            assertThat(api.answers().acknowledgeSeconds(0)).hasSize(2);
            assertThat(api.callsByMethod()).containsEntry("sendMessage", 1L).containsEntry("answerCallbackQuery", 1L);
        }
    }

    @Test
    void chatsOutsideTheTrackedBurstAreNotRecorded() throws Exception {
        try (FakeBotApi api = FakeBotApi.start()) {
            api.answers().track(100, 2);

            call(api, FakeBotApi.TOKEN, "sendMessage", "chat_id=102&text=hi");

            assertThat(api.answers().repliedCount()).isZero();
        }
    }

    @Test
    void servesQueuedUpdatesToGetUpdatesAndRefusesAnotherToken() throws Exception {
        try (FakeBotApi api = FakeBotApi.start()) {
            api.updates().addAll(List.of(11L), List.of(BenchUpdates.start(11, 100)));

            HttpResponse<String> updates = call(api, FakeBotApi.TOKEN, "getUpdates", "offset=0&limit=100&timeout=0");
            HttpResponse<String> foreign = call(api, "1:other", "getMe", "");

            assertThat(updates.body()).startsWith("{\"ok\":true,\"result\":[{\"update_id\":11,\"message\":");
            assertThat(foreign.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void getWebhookInfoAnswersTheUrlTheBotSetUntilItIsDeleted() throws Exception {
        try (FakeBotApi api = FakeBotApi.start()) {
            String url = "https://bench.example/telegram/hook?a=1&b=\"2\"";

            call(api, FakeBotApi.TOKEN, "setWebhook", "url=" + java.net.URLEncoder.encode(url,
                    java.nio.charset.StandardCharsets.UTF_8) + "&secret_token=s");
            HttpResponse<String> set = call(api, FakeBotApi.TOKEN, "getWebhookInfo", "");
            call(api, FakeBotApi.TOKEN, "deleteWebhook", "");
            HttpResponse<String> deleted = call(api, FakeBotApi.TOKEN, "getWebhookInfo", "");

            assertThat(set.body()).startsWith("{\"ok\":true,\"result\":{\"url\":"
                    + "\"https://bench.example/telegram/hook?a=1&b=\\\"2\\\"\",");
            assertThat(deleted.body()).startsWith("{\"ok\":true,\"result\":{\"url\":\"\",");
        }
    }
}
