package dev.kiebot.kie.fake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.kie.fake.FakeKieServer.Endpoint;
import dev.kiebot.kie.fake.FakeKieServer.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The fake's own behaviour, as other modules rely on it. */
class FakeKieServerTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void autoSucceedServesTheResultFile() throws Exception {
        try (FakeKieServer kie = FakeKieServer.start().autoSucceedAfter(1)) {
            assertThat(kie.baseUrl()).startsWith("http://127.0.0.1:");
            HttpResponse<String> created = post(kie.baseUrl() + "/api/v1/jobs/createTask",
                    "{\"model\":\"google/nano-banana\",\"input\":{\"prompt\":\"x\"}}");
            assertThat(created.body()).contains("\"taskId\":\"fake-task-1\"");
            assertThat(get(kie.baseUrl() + "/api/v1/jobs/recordInfo?taskId=fake-task-1").body())
                    .contains("\"state\":\"waiting\"");
            String second = get(kie.baseUrl() + "/api/v1/jobs/recordInfo?taskId=fake-task-1").body();
            assertThat(second).contains("\"state\":\"success\"");
            String url = kie.task("fake-task-1").urls().get(0);
            HttpResponse<byte[]> file = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Type")).contains("image/png");
            assertThat(kie.count(Endpoint.RECORD_INFO)).isEqualTo(2);
            assertThat(kie.count(Endpoint.FILES)).isEqualTo(1);
            assertThat(kie.taskIds()).containsExactly("fake-task-1");
        }
    }

    @Test
    void scriptedRepliesComeFirstThenDefaults() throws Exception {
        try (FakeKieServer kie = FakeKieServer.start()) {
            kie.enqueue(Endpoint.CREDIT, Reply.error(455, "maintenance"));
            assertThat(get(kie.baseUrl() + "/api/v1/chat/credit").statusCode()).isEqualTo(455);
            assertThat(get(kie.baseUrl() + "/api/v1/chat/credit").body()).contains("\"data\":1000");
            assertThat(get(kie.baseUrl() + "/api/v1/nope").statusCode()).isEqualTo(404);
            assertThat(kie.count(Endpoint.OTHER)).isEqualTo(1);
        }
    }

    @Test
    void sunoRequiresCallbackAndUnknownTasksAre404() throws Exception {
        try (FakeKieServer kie = FakeKieServer.start()) {
            assertThat(post(kie.baseUrl() + "/api/v1/generate", "{\"model\":\"V5\",\"prompt\":\"x\"}").body())
                    .contains("\"code\":422");
            assertThat(get(kie.baseUrl() + "/api/v1/generate/record-info?taskId=zzz").body()).contains("\"code\":404");
            kie.addTask("known", FakeKieServer.Family.SUNO);
            kie.succeed("known");
            assertThat(get(kie.baseUrl() + "/api/v1/generate/record-info?taskId=known").body())
                    .contains("\"status\":\"SUCCESS\"").contains("audioUrl");
            // the shop's placeholder callback is Kie's own host: no callback lands there, and the status says so
            String placeholder = "{\"model\":\"V5\",\"prompt\":\"x\",\"customMode\":false,\"instrumental\":false,"
                    + "\"callBackUrl\":\"" + kie.baseUrl() + "\"}";
            assertThat(post(kie.baseUrl() + "/api/v1/generate", placeholder).body()).contains("fake-task-1");
            String info = kie.baseUrl() + "/api/v1/generate/record-info?taskId=fake-task-1";
            assertThat(get(info).body()).contains("\"status\":\"PENDING\"");
            assertThat(get(info).body()).contains("\"status\":\"CALLBACK_EXCEPTION\"", "\"audioUrl\":\"\"");
            kie.succeed("fake-task-1");
            assertThat(get(info).body()).contains("\"status\":\"CALLBACK_EXCEPTION\"").doesNotContain("\"audioUrl\":\"\"");
        }
    }
}
