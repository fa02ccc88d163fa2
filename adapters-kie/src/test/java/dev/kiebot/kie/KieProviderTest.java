package dev.kiebot.kie;

import static dev.kiebot.kie.KieTestSupport.KEY;
import static dev.kiebot.kie.KieTestSupport.config;
import static dev.kiebot.kie.KieTestSupport.provider;
import static dev.kiebot.kie.KieTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskOrigin;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.kie.fake.FakeKieServer.Endpoint;
import dev.kiebot.kie.fake.FakeKieServer.Recorded;
import dev.kiebot.kie.fake.FakeKieServer.Reply;
import dev.kiebot.kie.fake.KieTestModels;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KieProviderTest {
    private FakeKieServer kie;
    private KieProvider provider;

    @BeforeEach
    void start() {
        kie = FakeKieServer.start().requireApiKey(KEY);
        provider = provider(kie);
    }

    @AfterEach
    void stop() {
        kie.close();
    }

    @Test
    void jobsSubmitSendsModelCallbackAndTypedInputWithBearerAuth() throws Exception {
        SubmitRequest req = new SubmitRequest(KieTestModels.kling26(),
                Map.of("prompt", "waves at night", "sound", "true", "duration", "10"), Map.of(),
                Optional.of("https://bot.example.test/kie/callback/s3cr3t"), "gen_42");
        String taskId = provider.submit(req);

        assertThat(taskId).isEqualTo("fake-task-1");
        Recorded r = kie.requests(Endpoint.CREATE_TASK).get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.header("Authorization")).contains("Bearer " + KEY);
        assertThat(r.header("Content-Type")).contains("application/json");
        JsonNode body = r.json();
        assertThat(body.get("model").asText()).isEqualTo("kling-2.6/text-to-video");
        assertThat(body.get("callBackUrl").asText()).isEqualTo("https://bot.example.test/kie/callback/s3cr3t");
        assertThat(body.get("input").get("duration").isTextual()).isTrue();
        assertThat(body.get("input").get("sound").isBoolean()).isTrue();
        assertThat(body.get("input").get("prompt").asText()).isEqualTo("waves at night");
    }

    /**
     * Hailuo 2.3 in 1080P, offered as a model of its own (6 s only): the wire names Kie's model and sends the 1080P and
     * the 6 s the catalog fixes, without the user asked for either.
     */
    @Test
    void hailuoTwoThreeIn1080pSendsKiesModelWithItsResolutionAndDuration() throws Exception {
        dev.kiebot.core.catalog.Model m = dev.kiebot.kie.catalog.KieCatalog.fromClasspath()
                .model("hailuo/2-3-image-to-video-pro-1080p").orElseThrow();
        provider.submit(new SubmitRequest(m, Map.of("prompt", "a cat jumps"),
                Map.of("image_url", java.util.List.of("https://files.example.test/cat.jpg")), Optional.empty(), "gen_7"));

        JsonNode body = kie.requests(Endpoint.CREATE_TASK).get(0).json();
        assertThat(body.get("model").asText()).isEqualTo("hailuo/2-3-image-to-video-pro");
        JsonNode input = body.get("input");
        assertThat(input.get("resolution").asText()).isEqualTo("1080P");
        assertThat(input.get("duration").isTextual()).isTrue();
        assertThat(input.get("duration").asText()).isEqualTo("6");
        assertThat(input.get("image_url").asText()).isEqualTo("https://files.example.test/cat.jpg");
        assertThat(input.get("prompt").asText()).isEqualTo("a cat jumps");
    }

    /**
     * Kie keeps a task's create request as sent ({@code data.param}, a JSON string: kie-api.md §1.3): its model and
     * callback URL are read back from there, so a task whose id the bot never stored can be matched to its job by what
     * Kie says, not by a callback's body.
     */
    @Test
    void theOriginOfATaskIsKiesOwnRecordOfItsCreateRequest() throws Exception {
        String url = "https://bot.example.test/kie/callback/s3cr3t?job=gen_42";
        String id = provider.submit(new SubmitRequest(KieTestModels.nanoBanana(), Map.of("prompt", "fox"), Map.of(),
                Optional.of(url), "gen_42"));
        assertThat(provider.origin(KieTestModels.nanoBanana(), id))
                .contains(new TaskOrigin(KieTestModels.nanoBanana().kieModel(), url));
        assertThat(kie.requests(Endpoint.RECORD_INFO)).hasSize(1);

        // Kie's documented example of a record, verbatim but for the callback URL
        kie.enqueue(Endpoint.RECORD_INFO, Reply.ok("{\"code\":200,\"message\":\"success\",\"data\":{\"taskId\":"
                + "\"task_12345678\",\"model\":\"grok-imagine/text-to-image\",\"state\":\"success\",\"param\":"
                + "\"{\\\"model\\\":\\\"grok-imagine/text-to-image\\\",\\\"callBackUrl\\\":\\\"" + url
                + "\\\",\\\"input\\\":{\\\"prompt\\\":\\\"Cinematic portrait...\\\"}}\",\"resultJson\":"
                + "\"{\\\"resultUrls\\\":[\\\"https://example.com/generated-content.jpg\\\"]}\",\"failCode\":\"\","
                + "\"failMsg\":\"\",\"completeTime\":1698765432000,\"createTime\":1698765400000}}"));
        assertThat(provider.origin(KieTestModels.nanoBanana(), "task_12345678"))
                .contains(new TaskOrigin("grok-imagine/text-to-image", url));
        // a record whose request names another model than the record, or has no callback URL, or no request
        kie.enqueue(Endpoint.RECORD_INFO, Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"t\","
                + "\"model\":\"other/model\",\"state\":\"waiting\",\"param\":\"{\\\"model\\\":\\\"google/nano-banana"
                + "\\\",\\\"callBackUrl\\\":\\\"" + url + "\\\"}\"}}"),
                Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"t\",\"state\":\"waiting\","
                        + "\"param\":\"{\\\"model\\\":\\\"google/nano-banana\\\"}\"}}"),
                Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"t\",\"state\":\"waiting\","
                        + "\"param\":\"not json\"}}"));
        assertThat(provider.origin(KieTestModels.nanoBanana(), "t")).isEmpty();
        assertThat(provider.origin(KieTestModels.nanoBanana(), "t")).isEmpty();
        assertThat(provider.origin(KieTestModels.nanoBanana(), "t")).isEmpty();
        // a task Kie does not know is Kie's refusal, not an empty answer
        assertThatThrownBy(() -> provider.origin(KieTestModels.nanoBanana(), "no-such-task"))
                .isInstanceOf(ProviderException.class);
    }

    @Test
    void jobsSubmitWithoutCallbackOmitsIt() throws Exception {
        provider.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox")));
        assertThat(kie.requests(Endpoint.CREATE_TASK).get(0).json().has("callBackUrl")).isFalse();
    }

    @Test
    void configuredCallbackIsUsedWhenTheRequestHasNone() throws Exception {
        KieProvider p = provider(config(kie).callbackUrl("https://bot.example.test/cb").build());
        p.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox")));
        assertThat(kie.requests(Endpoint.CREATE_TASK).get(0).json().get("callBackUrl").asText())
                .isEqualTo("https://bot.example.test/cb");
    }

    @Test
    void baseUrlWithApiV1IsNotDoubled() throws Exception {
        KieProvider p = provider(config(kie).baseUrl(kie.baseUrl() + "/api/v1/").build());
        p.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox")));
        assertThat(kie.requests(Endpoint.CREATE_TASK)).hasSize(1);
        assertThat(kie.requests(Endpoint.OTHER)).isEmpty();
    }

    @Test
    void jobsLifecycleQueuedRunningSucceeded() throws Exception {
        String id = provider.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox")));
        assertThat(provider.status(KieTestModels.nanoBanana(), id)).isInstanceOf(TaskStatus.Queued.class);
        assertThat(provider.status(KieTestModels.nanoBanana(), id)).isInstanceOf(TaskStatus.Running.class);
        kie.succeed(id, "https://tempfile.aiquickdraw.com/a.png", "https://tempfile.aiquickdraw.com/b.png");
        TaskStatus s = provider.status(KieTestModels.nanoBanana(), id);
        assertThat(s).isEqualTo(new TaskStatus.Succeeded(new JobResult(
                List.of("https://tempfile.aiquickdraw.com/a.png", "https://tempfile.aiquickdraw.com/b.png"),
                MediaKind.PHOTO)));
        assertThat(kie.requests(Endpoint.RECORD_INFO).get(0).queryParam("taskId")).contains(id);
    }

    @Test
    void jobsFailureCarriesKieCodeAndMessage() throws Exception {
        String id = provider.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox")));
        kie.fail(id, "422", "Invalid prompt: prompt contains prohibited content");
        TaskStatus s = provider.status(KieTestModels.nanoBanana(), id);
        assertThat(s).isInstanceOf(TaskStatus.Failed.class);
        TaskStatus.Failed f = (TaskStatus.Failed) s;
        assertThat(f.kind()).isEqualTo(ErrorKind.CONTENT_POLICY);
        assertThat(f.detail()).contains("prohibited content");

        String id2 = provider.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox")));
        kie.fail(id2, "", "upstream broke");
        assertThat(((TaskStatus.Failed) provider.status(KieTestModels.nanoBanana(), id2)).kind())
                .isEqualTo(ErrorKind.GENERATION_FAILED);
    }

    @Test
    void mediaKindFollowsCategory() throws Exception {
        String video = provider.submit(request(KieTestModels.kling26(), Map.of("prompt", "x")));
        kie.succeed(video, "https://r/v.mp4");
        assertThat(((TaskStatus.Succeeded) provider.status(KieTestModels.kling26(), video)).result().kind())
                .isEqualTo(MediaKind.VIDEO);
        String audio = provider.submit(request(KieTestModels.elevenLabs(), Map.of("text", "x")));
        kie.succeed(audio, "https://r/a.mp3");
        assertThat(((TaskStatus.Succeeded) provider.status(KieTestModels.elevenLabs(), audio)).result().kind())
                .isEqualTo(MediaKind.AUDIO);
    }

    @Test
    void veoSubmitUsesItsFlatCamelCaseBody() throws Exception {
        SubmitRequest req = new SubmitRequest(KieTestModels.veoFast(), Map.of("prompt", "a dog runs", "duration", "6"),
                Map.of("image_urls", List.of("https://u/1.png")), Optional.of("https://bot.example.test/cb"), "gen_7");
        String id = provider.submit(req);
        JsonNode body = kie.requests(Endpoint.VEO_GENERATE).get(0).json();
        assertThat(body.get("model").asText()).isEqualTo("veo3_fast");
        assertThat(body.get("prompt").asText()).isEqualTo("a dog runs");
        assertThat(body.get("aspectRatio").asText()).isEqualTo("16:9");
        assertThat(body.has("aspect_ratio")).isFalse();
        assertThat(body.get("resolution").asText()).isEqualTo("720p");
        assertThat(body.get("duration").isIntegralNumber()).isTrue();
        assertThat(body.get("imageUrls").get(0).asText()).isEqualTo("https://u/1.png");
        assertThat(body.get("generationType").asText()).isEqualTo("FIRST_AND_LAST_FRAMES_2_VIDEO");
        assertThat(body.get("callBackUrl").asText()).isEqualTo("https://bot.example.test/cb");

        assertThat(provider.status(KieTestModels.veoFast(), id)).isInstanceOf(TaskStatus.Running.class);
        kie.succeed(id, "https://r/veo.mp4");
        assertThat(provider.status(KieTestModels.veoFast(), id))
                .isEqualTo(new TaskStatus.Succeeded(new JobResult(List.of("https://r/veo.mp4"), MediaKind.VIDEO)));
        assertThat(kie.count(Endpoint.VEO_RECORD_INFO)).isEqualTo(2);
    }

    @Test
    void veoWithoutImagesSendsNoGenerationTypeAndFailuresMap() throws Exception {
        String id = provider.submit(request(KieTestModels.veoFast(), Map.of("prompt", "sunset")));
        JsonNode body = kie.requests(Endpoint.VEO_GENERATE).get(0).json();
        assertThat(body.has("imageUrls")).isFalse();
        assertThat(body.has("generationType")).isFalse();
        kie.fail(id, "400", "Your prompt was flagged");
        TaskStatus.Failed f = (TaskStatus.Failed) provider.status(KieTestModels.veoFast(), id);
        assertThat(f.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(f.detail()).contains("flagged");
    }

    /**
     * Veo's record-info refusing the task id (422, e.g. "records are supported within 14 days only") or answering
     * {@code data: null}: Kie has no record of the task. NOT_FOUND, so the shop reads it again only for the grace
     * after the submission and then refunds it (LostAndEmptyTasksTest); read as a bad request or a garbled answer it
     * was read again every 5 s until the 30-minute deadline. A 500 stays transient.
     */
    @Test
    void veoRecordInfoWithoutARecordOfTheTaskIsNotFoundNotATransientFailure() throws Exception {
        String id = provider.submit(request(KieTestModels.veoFast(), Map.of("prompt", "sunset")));
        kie.enqueue(Endpoint.VEO_RECORD_INFO,
                Reply.bodyError(422, "Record-info records are supported within 14 days only"),
                Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":null}"),
                Reply.bodyError(500, "Server Error"));
        assertThatThrownBy(() -> provider.statusOnce(KieTestModels.veoFast(), id))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> provider.statusOnce(KieTestModels.veoFast(), id))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> provider.statusOnce(KieTestModels.veoFast(), id))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.SERVER));
        assertThat(provider.statusOnce(KieTestModels.veoFast(), id)).as("the task itself, read again")
                .isInstanceOf(TaskStatus.Running.class);
    }

    @Test
    void aMarketOrSunoTaskKieRefusesToReadIsNotFoundNotATransientFailure() throws Exception {
        // recordInfo's 422 is "validation error in original request" (kie-api.md): read again, it stays so until the
        // job's deadline, the user waiting out a refund known to be coming
        String market = provider.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "a fox")));
        kie.enqueue(Endpoint.RECORD_INFO, Reply.bodyError(422, "Validation Error"));
        assertThatThrownBy(() -> provider.statusOnce(KieTestModels.nanoBanana(), market))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        String suno = provider.submit(request(KieTestModels.sunoV5(), Map.of("prompt", "lofi")));
        kie.enqueue(Endpoint.SUNO_RECORD_INFO, Reply.bodyError(422, "Validation Error"),
                Reply.bodyError(429, "Rate limit exceeded"));
        assertThatThrownBy(() -> provider.statusOnce(KieTestModels.sunoV5(), suno))
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> provider.statusOnce(KieTestModels.sunoV5(), suno)).as("a 429 stays transient")
                .isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED));
    }

    @Test
    void sunoSubmitAlwaysHasACallbackUrl() throws Exception {
        String id = provider.submit(request(KieTestModels.sunoV5(), Map.of("prompt", "lofi beat", "instrumental", "true")));
        JsonNode body = kie.requests(Endpoint.SUNO_GENERATE).get(0).json();
        assertThat(body.get("model").asText()).isEqualTo("V5");
        assertThat(body.get("customMode").asBoolean()).isFalse();
        assertThat(body.get("customMode").isBoolean()).isTrue();
        assertThat(body.get("instrumental").asBoolean()).isTrue();
        assertThat(body.get("callBackUrl").asText()).isEqualTo(kie.baseUrl()); // placeholder: Kie's own host
        assertThat(id).isEqualTo("fake-task-1");
    }

    @Test
    void sunoLifecycle() throws Exception {
        String id = provider.submit(request(KieTestModels.sunoV5(), Map.of("prompt", "lofi")));
        assertThat(provider.status(KieTestModels.sunoV5(), id)).isInstanceOf(TaskStatus.Queued.class);
        // the first take done, the second still streaming: not final, the first one what the deadline would deliver
        assertThat(provider.status(KieTestModels.sunoV5(), id)).isInstanceOfSatisfying(TaskStatus.PartlyDone.class,
                p -> assertThat(p.soFar().result().urls()).singleElement().asString().endsWith("-first.mp3"));
        kie.succeed(id, "https://r/t1.mp3", "https://r/t2.mp3");
        assertThat(provider.status(KieTestModels.sunoV5(), id)).isEqualTo(new TaskStatus.Succeeded(
                new JobResult(List.of("https://r/t1.mp3", "https://r/t2.mp3"), MediaKind.AUDIO)));

        String bad = provider.submit(request(KieTestModels.sunoV5(), Map.of("prompt", "bad words")));
        kie.fail(bad, "SENSITIVE", "sensitive word");
        assertThat(((TaskStatus.Failed) provider.status(KieTestModels.sunoV5(), bad)).kind())
                .isEqualTo(ErrorKind.CONTENT_POLICY);
        String broken = provider.submit(request(KieTestModels.sunoV5(), Map.of("prompt", "x")));
        kie.fail(broken, "", "audio failed");
        assertThat(((TaskStatus.Failed) provider.status(KieTestModels.sunoV5(), broken)).kind())
                .isEqualTo(ErrorKind.GENERATION_FAILED);
    }

    @Test
    void invalidInputsNeverLeave() {
        assertThatThrownBy(() -> provider.submit(request(KieTestModels.sunoV5(), Map.of("prompt", "a".repeat(600)))))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                    assertThat(e.mayHaveReachedProvider()).isFalse();
                    assertThat(e.getMessage()).contains("input.too_long");
                });
        assertThat(kie.requests()).isEmpty();
    }

    @Test
    void telegramFileUrlsAreRefused() {
        String token = "1234567:AAHk-telegram-secret-token-abcdefghijklm";
        SubmitRequest req = request(KieTestModels.nanoBananaEdit(), Map.of("prompt", "x"),
                Map.of("image_urls", List.of("https://api.telegram.org/file/bot" + token + "/photos/file_1.jpg")));
        assertThatThrownBy(() -> provider.submit(req)).isInstanceOfSatisfying(ProviderException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
                    assertThat(e.getMessage()).doesNotContain(token);
                });
        assertThat(kie.requests()).isEmpty();
    }

    @Test
    void uploadSendsMultipartAndReturnsDownloadUrl() throws Exception {
        byte[] photo = "\u0089PNG fake photo bytes".getBytes(StandardCharsets.ISO_8859_1);
        String url = provider.upload(photo, "file_17.jpg", "image/jpeg");
        assertThat(url).startsWith(kie.baseUrl() + "/files/kiebot/uploads/kb-").endsWith(".jpg");
        FakeKieServer.Upload up = kie.uploads().get(0);
        assertThat(up.bytes()).isEqualTo(photo);
        assertThat(up.uploadPath()).isEqualTo("kiebot/uploads");
        assertThat(up.contentType()).isEqualTo("image/jpeg");
        assertThat(kie.requests(Endpoint.UPLOAD).get(0).header("Authorization")).contains("Bearer " + KEY);
    }

    @Test
    void aLargeUploadIsStreamedNotCopied() throws Exception {
        byte[] photo = new byte[16 * 1024 * 1024];
        for (int i = 0; i < photo.length; i++) {
            photo[i] = (byte) (i * 13);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        provider.upload(photo, "large.jpg", "image/jpeg");
        long allocatedBytes = threads.getCurrentThreadAllocatedBytes() - before;

        FakeKieServer.Upload up = kie.uploads().get(0);
        assertThat(java.util.Arrays.equals(up.bytes(), photo)).isTrue();
        assertThat(kie.requests(Endpoint.UPLOAD).get(0).header("Content-Length")).contains(
                Long.toString(kie.requests(Endpoint.UPLOAD).get(0).body().length));
        // built in one array (a buffer and its copy) the body took twice the photo on the caller's thread
        assertThat(allocatedBytes).as("bytes allocated by the uploading thread").isLessThan(photo.length / 2);
    }

    @Test
    void uploadFallsBackToFileUrlAndFailsOnSuccessFalse() throws Exception {
        kie.enqueue(Endpoint.UPLOAD, Reply.ok("{\"success\":true,\"code\":200,\"msg\":\"ok\",\"data\":{\"fileId\":\"f1\","
                + "\"fileUrl\":\"https://tempfile.redpandaai.co/x/y.png\"}}"));
        assertThat(provider.upload(new byte[] {1, 2, 3}, "y.png", "image/png")).isEqualTo("https://tempfile.redpandaai.co/x/y.png");

        kie.enqueue(Endpoint.UPLOAD, Reply.json(200, "{\"success\":false,\"code\":401,\"msg\":\"Authentication failed: Invalid API Key\"}"));
        assertThatThrownBy(() -> provider.upload(new byte[] {1}, "y.png", "image/png"))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTH));
    }

    @Test
    void noOutgoingRequestEverCarriesATelegramToken() throws Exception {
        String token = "7654321:AAF-Zz_bot-token-that-must-never-leave-xyz";
        String telegramPath = "https://api.telegram.org/file/bot" + token + "/photos/file_42.jpg";
        byte[] bytes = "JFIF user photo".getBytes(StandardCharsets.UTF_8);

        // the Telegram side passes whatever name/mime it got from Telegram; none of it may reach Kie
        String url = provider.upload(bytes, telegramPath, "image/jpeg; name=\"" + token + "\"");
        provider.upload(bytes, "photos/" + token + ".jpg", token);
        String id = provider.submit(request(KieTestModels.nanoBananaEdit(), Map.of("prompt", "make it blue"),
                Map.of("image_urls", List.of(url))));
        provider.status(KieTestModels.nanoBananaEdit(), id);
        provider.credits();

        assertThat(kie.requests()).hasSizeGreaterThanOrEqualTo(5);
        for (Recorded r : kie.requests()) {
            assertThat(r.everything()).doesNotContain(token).doesNotContain("api.telegram.org")
                    .doesNotContainPattern(Redaction.TELEGRAM_TOKEN);
        }
    }

    @Test
    void creditsAreBigDecimal() throws Exception {
        kie.setCredits(new BigDecimal("1234.5"));
        assertThat(provider.credits().orElseThrow()).isEqualByComparingTo("1234.5");
        kie.enqueue(Endpoint.CREDIT, Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":100}"));
        assertThat(provider.credits().orElseThrow()).isEqualByComparingTo("100");
        kie.enqueue(Endpoint.CREDIT, Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":\"6.5\"}"));
        assertThat(provider.credits().orElseThrow()).isEqualByComparingTo("6.5");
    }

    /**
     * A balance Kie could not have is refused, not kept: {@code -1e999999999} read as it came was a number of a billion
     * digits, written out for minutes on an admin's {@code /admin}; one within bounds is kept, a float's noise rounded.
     */
    @Test
    void creditsOutOfBoundsAreMalformed() throws Exception {
        for (String lie : List.of("-1e999999999", "1e20000", "1e-999999999", "\"1234567890123\"",
                "\"0." + "1".repeat(40) + "\"")) {
            kie.enqueue(Endpoint.CREDIT, Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":" + lie + "}"));
            assertThatThrownBy(provider::credits).as(lie).isInstanceOfSatisfying(ProviderException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED_RESPONSE));
        }
        kie.enqueue(Endpoint.CREDIT, Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":999999999999.5}"));
        assertThat(provider.credits().orElseThrow()).isEqualByComparingTo("999999999999.5");
        kie.enqueue(Endpoint.CREDIT, Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":-5}"));
        assertThat(provider.credits().orElseThrow()).isEqualByComparingTo("-5");
        kie.enqueue(Endpoint.CREDIT, Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":99.10000000000001}"));
        assertThat(provider.credits().orElseThrow().toPlainString()).isEqualTo("99.100000");
    }

    @Test
    void wrongKeyIsAuth() {
        KieProvider wrong = provider(KieConfig.builder("another-key-000").baseUrl(kie.baseUrl()).build());
        assertThatThrownBy(wrong::credits).isInstanceOfSatisfying(ProviderException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTH));
    }

    @Test
    void unknownTaskIsNotFound() {
        assertThatThrownBy(() -> provider.status(KieTestModels.nanoBanana(), "nope"))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }
}
