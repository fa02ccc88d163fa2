package dev.kiebot.webhook;

import static dev.kiebot.runtime.testing.E2eWorld.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.runtime.testing.E2eRunner;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.runtime.testing.RunnerScenarios;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scenarios through the webhook runner, plus its HTTP contract. */
class WebhookEndToEndTest extends RunnerScenarios {
    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    protected E2eRunner start(Map<String, String> env, Clock clock) {
        return WebhookRunner.start(scraped(env), clock, world.telegram);
    }

    /** A webhook has a public URL: its /metrics open to METRICS_TOKEN alone, which the scrapes here bring. */
    private static final String METRICS_TOKEN = "e2e-metrics-token-0123456789";

    private static Map<String, String> scraped(Map<String, String> env) {
        Map<String, String> with = new java.util.HashMap<>(env);
        with.put("METRICS_TOKEN", METRICS_TOKEN);
        return with;
    }

    private HttpResponse<String> post(String url, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a body to the webhook the way Telegram does: path {@code /telegram}, the secret in the header. */
    private HttpResponse<String> postUpdate(WebhookRunner w, String body) throws Exception {
        return post(w.base() + "/telegram", body, Map.of(WebhookServer.SECRET_HEADER,
                w.bot().settings().telegram().webhookSecret()));
    }

    private String metrics(WebhookRunner w) {
        try {
            return scrape(w.base()).body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> scrape(String base) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).header("Authorization", "Bearer "
                + METRICS_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** /readyz with its detail, which METRICS_TOKEN opens (anyone else reads the verdict alone). */
    private HttpResponse<String> readiness(String base) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).header("Authorization", "Bearer "
                + METRICS_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The start's last line: how long it took and where the runner listens, with no secret of either door. */
    @Test
    void theStartEndsInOneLineSayingReadyInHowLongAndWhereItListens() {
        dev.kiebot.runtime.testing.LogCapture logs = dev.kiebot.runtime.testing.LogCapture.attach();
        try {
            WebhookRunner w = (WebhookRunner) startRunner(Map.of(), Clock.systemUTC());
            String logger = WebhookServer.class.getName() + " ";
            // "started", not "ready": /readyz is 503 until Telegram took the webhook, which the registrar's line says
            assertThat(logs.lines()).noneMatch(l -> l.startsWith(logger + "ready in "));
            assertThat(logs.lines()).filteredOn(l -> l.startsWith(logger + "started in ")).singleElement().asString()
                    .matches(java.util.regex.Pattern.quote(logger) + "started in \\d+\\.\\d s, ready once setWebhook "
                            + "succeeds: listening on port " + w.server.port() + " for Telegram's updates \\(POST "
                            + "/telegram, registering "
                            + java.util.regex.Pattern.quote(w.bot().settings().telegram().webhookUrl().orElseThrow())
                            + " in the background\\), Kie's callbacks \\(POST /kie/callback/…\\), /healthz, /readyz "
                            + "and /metrics; kiebot \\d+\\.\\d+\\.\\d+\\S* \\(commit ([0-9a-f]{9}|unknown)\\)")
                    .doesNotContain(w.bot().settings().kie().callbackSecret())
                    .doesNotContain(w.bot().settings().telegram().webhookSecret());
        } finally {
            logs.detach();
        }
    }

    @Test
    void aWrongSecretIs401AndNothingHappens() throws Exception {
        WebhookRunner w = (WebhookRunner) startRunner(Map.of(), Clock.systemUTC());
        String start = updates.command(ALICE, "start", "");
        assertThat(post(w.base() + "/telegram/not-the-secret", start, Map.of()).statusCode()).isEqualTo(401);
        assertThat(post(w.base() + "/telegram", start, Map.of(WebhookServer.SECRET_HEADER, "nope")).statusCode())
                .isEqualTo(401);
        assertThat(post(w.base() + "/kie/callback/nope", "{}", Map.of()).statusCode()).isEqualTo(401);
        E2eWorld.sleep(1000);
        assertThat(world.telegram.textsTo(ALICE)).isEmpty();
        assertThat(w.bot().shop().stores().users().find(ALICE)).isEmpty();
    }

    @Test
    void malformedIs400AndOversizedIs413() throws Exception {
        WebhookRunner w = (WebhookRunner) startRunner(Map.of(), Clock.systemUTC());
        assertThat(postUpdate(w, "{not json").statusCode()).isEqualTo(400);
        // well-formed JSON that is no usable update is accepted and ignored: a refusal makes Telegram resend it
        assertThat(postUpdate(w, "{\"no_update_id\":1}").statusCode()).isEqualTo(200);
        assertThat(OversizedPost.statusLine(URI.create(w.base()).getPort(),
                w.bot().settings().telegram().webhookSecret(), 1_100_000)).startsWith("HTTP/1.1 413 ");
        assertThat(postUpdate(w, updates.command(ALICE, "start", "")).statusCode()).isEqualTo(200);
        world.awaitText(ALICE, "Balance");
    }

    @Test
    void aFailingSetWebhookKeepsTheProcessUpUntilTelegramAccepts() throws Exception {
        // Telegram refuses until the runner was seen up and not ready: three refusals armed ahead were used up by
        // the retries within 1.4 s of the start, and a test slower than that read a ready runner
        world.telegram.failWhen("setWebhook", c -> true, FakeTelegramServer.Failure.serverError());
        WebhookServer server = FreePortWebhook.start(scraped(world.env(Map.of())), s -> WebhookServer.start(s, Clock.systemUTC(),
                Duration.ofMillis(200), () -> { }));
        try {
            String base = "http://127.0.0.1:" + server.port();
            assertThat(get(base + "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> notYet = readiness(base);
            assertThat(notYet.statusCode()).isEqualTo(503);
            assertThat(notYet.body()).contains("\"webhook\":false", "\"db\":true",
                    "\"version\":\"" + dev.kiebot.runtime.BuildInfo.current().version() + "\"", "\"commit\":\"");
            await("three attempts refused", () -> world.telegram.callsTo("setWebhook").size() >= 3);
            world.telegram.clearFailures();
            await("registered after retries", () -> server.bot().health().ready());
            HttpResponse<String> ready = readiness(base);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(world.telegram.callsTo("setWebhook").size()).isGreaterThanOrEqualTo(4);
            assertThat(world.telegram.webhookAllowedUpdates()).contains("message", "callback_query",
                    "pre_checkout_query");
            assertThat(get(base + "/metrics").statusCode()).as("a public URL: the token or nothing").isEqualTo(401);
            assertThat(scrape(base).body()).contains("kiebot_updates", "kiebot_provider_credits",
                    "kiebot_catalog_models", "jvm_memory_used_bytes", "kiebot_build_info{commit=\""
                            + dev.kiebot.runtime.BuildInfo.current().commit() + "\",version=\""
                            + dev.kiebot.runtime.BuildInfo.current().version() + "\"} 1");
        } finally {
            server.close();
        }
    }

    @Test
    void twoInstancesOnOneDatabaseKeepEachChatInOrderAndHandleEachUpdateOnce() throws Exception {
        WebhookRunner a = (WebhookRunner) startRunner(Map.of(), Clock.systemUTC());
        WebhookRunner b = (WebhookRunner) startRunner(Map.of(), Clock.systemUTC());
        String secret = a.bot().settings().telegram().webhookSecret();
        assertThat(b.bot().settings().telegram().webhookSecret()).isEqualTo(secret);
        List<String> commands = List.of("start", "balance", "help", "terms", "privacy", "support", "history", "menu");
        List<String> expected = List.of("Hi, User", "💰 Balance", "Here you can make", "Terms of service",
                "Privacy policy", "Support:", "no generations yet", "Main menu");
        for (int i = 0; i < commands.size(); i++) {
            String update = updates.command(ALICE, commands.get(i), "");
            WebhookRunner to = i % 2 == 0 ? a : b;
            assertThat(postUpdate(to, update).statusCode()).isEqualTo(200);
            // a re-delivery to the other instance changes nothing
            WebhookRunner other = to == a ? b : a;
            assertThat(postUpdate(other, update).statusCode()).isEqualTo(200);
        }
        world.awaitText(ALICE, "Main menu");
        E2eWorld.awaitSettled("the commands and their re-deliveries", dev.kiebot.postgres.testing.TestDatabase.jdbi());
        List<String> texts = world.telegram.textsTo(ALICE).stream()
                .filter(t -> !t.startsWith("🎁")).toList();
        assertThat(texts).hasSize(commands.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(texts.get(i)).as("reply %d in order", i).contains(expected.get(i));
        }
    }

    @Test
    void requireWebhookRegisteredGivesUpAfterItsRetries() {
        world.telegram.failNext("setWebhook", 100, FakeTelegramServer.Failure.apiError(400, "Bad Request: bad webhook"));
        java.util.concurrent.CountDownLatch gaveUp = new java.util.concurrent.CountDownLatch(1);
        WebhookServer server = FreePortWebhook.start(world.env(Map.of("REQUIRE_WEBHOOK_REGISTERED", "1")),
                s -> WebhookServer.start(s, Clock.systemUTC(), Duration.ofMillis(10), gaveUp::countDown));
        try {
            await("gave up", () -> gaveUp.getCount() == 0);
            assertThat(world.telegram.callsTo("setWebhook")).hasSize(8);
            assertThat(server.bot().health().ready()).isFalse();
        } finally {
            server.close();
        }
    }

    /**
     * A prompt longer than one Telegram message (Nano Banana takes 5000 characters), sent as a client sends it: two
     * messages in a row. The bot joins them into one prompt, says so, asks the frame shape again, and Kie gets the
     * whole; the end used to be «Please choose with the buttons», the job made of the first 4096 characters.
     */
    @Test
    void aPromptTelegramSentInTwoMessagesReachesKieWhole() {
        WebhookRunner w = (WebhookRunner) startRunner(Map.of(), Clock.systemUTC());
        w.deliver(updates.command(ALICE, "start", ""));
        topUpWithStars(w, ALICE, "charge-split");
        w.deliver(updates.command(ALICE, "menu", ""));
        press(w, ALICE, "Images");
        press(w, ALICE, "Nano Banana ·");
        press(w, ALICE, "▶️ Start");
        world.awaitText(ALICE, "Send the text");
        String first = "a".repeat(4096);
        String end = "b".repeat(500);
        updates.splitText(ALICE, first, end).forEach(w::deliver);
        world.awaitText(ALICE, "I joined them into one");
        press(w, ALICE, "✓ 1:1");
        world.awaitText(ALICE, "Check and confirm: Nano Banana");
        press(w, ALICE, "Generate for");
        await("task created", () -> world.kie.taskIds().size() == 1);
        assertThat(world.kie.requests(dev.kiebot.kie.fake.FakeKieServer.Endpoint.CREATE_TASK).get(0).bodyText())
                .contains(first + end);
    }

    @Test
    void aKieCallbackIsCheckedAgainstKieAndDelivers() throws Exception {
        WebhookRunner w = (WebhookRunner) startRunner(Map.of(), Clock.systemUTC());
        confirmPaidOrder(w, ALICE, "charge-callback");
        // its id, not only its request: the fake records a request before it creates the task
        await("task created", () -> world.kie.taskIds().size() == 1);
        String task = world.kie.taskIds().get(0);
        assertThat(world.kie.requests(dev.kiebot.kie.fake.FakeKieServer.Endpoint.CREATE_TASK).get(0).bodyText())
                .contains("/kie/callback/");
        // a forged "success" for a task Kie still runs changes nothing: the body is never trusted
        String forged = "{\"code\":200,\"msg\":\"ok\",\"data\":{\"taskId\":\"" + task + "\",\"state\":\"success\","
                + "\"resultJson\":\"{\\\"resultUrls\\\":[\\\"https://evil.example/x.png\\\"]}\"}}";
        String cb = w.base() + "/kie/callback/" + w.bot().settings().kie().callbackSecret();
        HttpResponse<String> r = post(cb, forged, Map.of("Content-Type", "application/json"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"code\":200", "success");
        E2eWorld.sleep(500);
        assertThat(world.telegram.callsTo("sendPhoto")).isEmpty();
        world.kie.succeed(task);
        post(cb, forged, Map.of("Content-Type", "application/json"));
        FakeTelegramServer.Call photo = world.telegram.awaitCall("sendPhoto", c -> c.chatId() == ALICE, E2eWorld.WAIT);
        assertThat(photo.toString()).doesNotContain("evil.example");
        // the counter moves when send() returns, a moment after the fake saw the photo
        await("metrics counted the delivery", () -> metrics(w).contains(
                "kiebot_replies_total{kind=\"SendMedia\",outcome=\"sent\"} 1.0"));
        assertThat(metrics(w)).contains("kiebot_provider_calls_total{call=\"submit\",outcome=\"ok\"} 1.0");
    }

    /**
     * Kie's callback for the start-up smoke test's own task is the smoke test's, no job's: the shop's worker does not
     * look for a job holding it, which left an INFO line ("which no job holds") at every start with the smoke test on.
     * A callback for a task no one made still leaves it.
     */
    @Test
    void theSmokeTestsOwnCallbackIsLeftToItAndSaysNothingOfJobs() throws Exception {
        dev.kiebot.runtime.testing.LogCapture logs = dev.kiebot.runtime.testing.LogCapture.attach();
        try {
            WebhookRunner w = (WebhookRunner) startRunner(Map.of("SMOKE_TEST_ON_START", "1", "SMOKE_TEST_MODEL_ID",
                    "google/nano-banana"), Clock.systemUTC());
            await("task created", () -> world.kie.taskIds().size() == 1);
            String task = world.kie.taskIds().get(0);
            world.kie.succeed(task);
            assertThat(world.kie.callBack(task, java.util.Optional.empty(), w.base())).isEqualTo(200);
            await("smoke test passed", () -> logs.lines().stream()
                    .anyMatch(l -> l.contains("smoke test passed: google/nano-banana")));
            String cb = w.base() + "/kie/callback/" + w.bot().settings().kie().callbackSecret();
            post(cb, "{\"code\":200,\"msg\":\"ok\",\"data\":{\"taskId\":\"task-nobody-made\",\"state\":"
                    + "\"success\"}}", Map.of("Content-Type", "application/json"));
            await("the unknown task's line", () -> logs.lines().stream()
                    .anyMatch(l -> l.contains("task-nobody-made, which no job holds")));
            assertThat(logs.lines()).noneMatch(l -> l.contains(task + ", which no job holds"));
        } finally {
            logs.detach();
        }
    }

    /**
     * Kie made the task and answered, but its id never reached the job: the instance that sent it is cut off before
     * Kie's answer gets to it (here it hangs there, as a killed one would stay silent). Started again behind the same
     * public address, the bot gets Kie's signed callback, whose URL names the job: it reads the task from Kie, finds it
     * made for that job, and delivers the result, charged once, with no RECONCILE refund. Before, the callback found
     * no job, and the job was refunded after {@code JobWorker.SUBMIT_WINDOW} with a RECONCILE warning while Kie
     * charged for the result.
     */
    @Test
    void kiesCallbackFindsTheJobOfATaskWhoseIdWasNeverStoredAfterARestart() throws Exception {
        String hmac = "kie-hmac-key-0123456789abcdef";
        Map<String, String> behindOneAddress = Map.of("KIE_CALLBACK_URL", "https://kiebot.example.test",
                "KIE_WEBHOOK_HMAC_KEY", hmac);
        java.util.concurrent.CountDownLatch kiesAnswer = world.kie.holdCreateAnswers();
        WebhookRunner cutOff = (WebhookRunner) startRunner(behindOneAddress, Clock.systemUTC());
        long before = confirmPaidOrder(cutOff, ALICE, "charge-cut-off");
        await("Kie made the task", () -> world.kie.taskIds().size() == 1);
        String task = world.kie.taskIds().get(0);

        WebhookRunner restarted = (WebhookRunner) startRunner(behindOneAddress, Clock.systemUTC());
        dev.kiebot.core.jobs.Job job = lastJob(restarted, ALICE);
        assertThat(job.state()).isEqualTo(dev.kiebot.core.jobs.JobState.SUBMITTING);
        assertThat(job.taskId()).isEmpty();
        world.kie.succeed(task);
        assertThat(world.kie.callBack(task, java.util.Optional.of(hmac), restarted.base())).isEqualTo(200);
        await("delivered", () -> jobState(restarted, ALICE).equals(java.util.Optional.of(
                dev.kiebot.core.jobs.JobState.DELIVERED)));
        world.telegram.awaitCall("sendPhoto", c -> c.chatId() == ALICE, E2eWorld.WAIT);
        assertThat(lastJob(restarted, ALICE).taskId()).contains(task);
        var stores = restarted.bot().shop().stores();
        assertThat(balance(restarted, ALICE)).isEqualTo(before - 312);
        assertThat(stores.ledger().balance(dev.kiebot.core.ledger.AccountId.REVENUE).creditsPosted()).isEqualTo(312);
        assertThat(dev.kiebot.core.ledger.Reconciliation.check(stores.ledger())).isEmpty();

        // the cut-off instance's answer comes at last (a paused process waking): it changes nothing
        kiesAnswer.countDown();
        E2eWorld.sleep(1500);
        assertThat(jobState(restarted, ALICE)).contains(dev.kiebot.core.jobs.JobState.DELIVERED);
        assertThat(world.telegram.callsTo("sendPhoto")).hasSize(1);
        assertThat(world.telegram.textsTo(ALICE)).noneMatch(t -> t.contains("returned to your balance"));
        assertThat(world.kie.count(dev.kiebot.kie.fake.FakeKieServer.Endpoint.CREATE_TASK)).isEqualTo(1);
        assertThat(balance(restarted, ALICE)).isEqualTo(before - 312);
        assertThat(stores.audit().byCorrelation(job.id().display())).extracting(e -> e.action())
                .doesNotContain("gen.reconcile");
    }

    /**
     * Kie makes the task but answers createTask too slowly (here later than the client's 1.5 s): the bot does not know
     * whether the task exists, so it never sends it again and tells the user it waits, the money held. Kie's callback
     * for the task, naming the job, brings the result: delivered and charged once, no refund, no RECONCILE.
     */
    @Test
    void aCreateTaskKieAnswersTooSlowlyWaitsForKiesCallbackAndDeliversChargedOnce() throws Exception {
        java.util.concurrent.CountDownLatch kiesAnswer = world.kie.holdCreateAnswers();
        WebhookRunner w = (WebhookRunner) startRunner(Map.of("KIE_REQUEST_TIMEOUT_MS", "1500"), Clock.systemUTC());
        long before = confirmPaidOrder(w, ALICE, "charge-slow-create");
        await("Kie made the task", () -> world.kie.taskIds().size() == 1);
        String task = world.kie.taskIds().get(0);
        world.awaitText(ALICE, "did not confirm in time");
        dev.kiebot.core.jobs.Job job = lastJob(w, ALICE);
        assertThat(job.state()).isEqualTo(dev.kiebot.core.jobs.JobState.SUBMITTING);
        assertThat(job.taskId()).isEmpty();
        var stores = w.bot().shop().stores();
        assertThat(stores.ledger().holdState(job.holdId()))
                .contains(dev.kiebot.core.ledger.HoldState.PENDING);
        // /status says so too, from the job as PostgreSQL keeps it
        w.deliver(updates.command(ALICE, "status", ""));
        world.awaitMessage(ALICE, t -> t.contains("Running now") && t.contains("did not confirm in time"));

        world.kie.succeed(task);
        assertThat(world.kie.callBack(task, java.util.Optional.empty(), w.base())).isEqualTo(200);
        await("delivered", () -> jobState(w, ALICE).equals(java.util.Optional.of(
                dev.kiebot.core.jobs.JobState.DELIVERED)));
        world.telegram.awaitCall("sendPhoto", c -> c.chatId() == ALICE, E2eWorld.WAIT);
        kiesAnswer.countDown();
        assertThat(lastJob(w, ALICE).taskId()).contains(task);
        assertThat(balance(w, ALICE)).isEqualTo(before - 312);
        assertThat(stores.ledger().balance(dev.kiebot.core.ledger.AccountId.REVENUE).creditsPosted()).isEqualTo(312);
        assertThat(dev.kiebot.core.ledger.Reconciliation.check(stores.ledger())).isEmpty();
        assertThat(world.telegram.callsTo("sendPhoto")).hasSize(1);
        assertThat(world.telegram.textsTo(ALICE)).noneMatch(t -> t.contains("returned to your balance"));
        assertThat(world.kie.count(dev.kiebot.kie.fake.FakeKieServer.Endpoint.CREATE_TASK)).isEqualTo(1);
        assertThat(stores.audit().byCorrelation(job.id().display())).extracting(e -> e.action())
                .contains("gen.awaiting_callback").doesNotContain("gen.reconcile", "gen.failed");
    }

    @Test
    void everyMetricReadmeDocumentsIsScrapedAfterAnEndToEndRun() throws Exception {
        world.kie.autoSucceedAfter(1);
        WebhookRunner w = (WebhookRunner) startRunner(Map.of(), Clock.systemUTC());
        assertThat(post(w.base() + "/telegram", "{}", Map.of()).statusCode()).isEqualTo(401);
        world.telegram.failNext("sendMessage", 1, FakeTelegramServer.Failure.tooManyRequests(1));
        long before = confirmPaidOrder(w, ALICE, "charge-metrics");
        await("delivered", () -> jobState(w, ALICE).equals(java.util.Optional.of(
                dev.kiebot.core.jobs.JobState.DELIVERED)));
        long bob = 5_550_002;
        for (int i = 0; i < 35; i++) {
            w.deliver(updates.text(bob, "hello " + i));
        }
        await("bob limited", () -> metrics(w).contains("kiebot_rate_limited_users_total 1.0"));

        String scraped = metrics(w);
        List<String> documented = documentedMetrics();
        assertThat(documented).hasSizeGreaterThanOrEqualTo(15);
        for (String name : documented) {
            assertThat(scraped.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " ")
                    || l.startsWith(name + "_"))).as("/metrics has " + name).isTrue();
        }
        assertThat(scraped).contains("kiebot_jobs_total{state=\"DELIVERED\"} 1.0",
                "kiebot_generation_duration_seconds_count{model=\"google/nano-banana\",outcome=\"succeeded\"} 1",
                "kiebot_telegram_throttled_total{method=\"sendMessage\"} 1.0",
                "kiebot_money_held_minor 0.0", "kiebot_revenue_minor 312.0",
                "kiebot_updates_handled_total{kind=\"callback\"}",
                "kiebot_update_handling_seconds_bucket{kind=\"command\"");
        assertThat(balance(w, ALICE)).isEqualTo(before - 312);
        HttpResponse<String> ready = readiness(w.base());
        assertThat(ready.body()).contains("\"telegram\":\"ok\"", "\"lastTelegramAnswerAt\":\"20",
                "\"lastKieAnswerAt\":\"20");
        assertThat(get(w.base() + "/health").body()).isEqualTo(get(w.base() + "/healthz").body());
        assertThat(get(w.base() + "/health").statusCode()).isEqualTo(200);
    }

    /**
     * A picture sent as a file comes as the camera wrote it (Telegram re-encodes only photos sent as photos): where it
     * was taken and whose phone it is stay with us, and the picture itself goes to Kie.
     */
    @Test
    void aPictureSentAsAFileReachesKieWithoutItsExif() throws Exception {
        world.kie.autoSucceedAfter(1);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 64,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.io.ByteArrayOutputStream jpg = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpg", jpg);
        byte[] plain = jpg.toByteArray();
        byte[] exif = "Exif\0\0GPSLatitude=55.7558N GPSLongitude=37.6173E Make=Apple Owner=Ivan Petrov"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        java.io.ByteArrayOutputStream withExif = new java.io.ByteArrayOutputStream();
        withExif.write(plain, 0, 2); // SOI, then APP1 before the encoder's APP0
        withExif.write(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) ((exif.length + 2) >> 8), (byte) (exif.length + 2)});
        withExif.write(exif);
        withExif.write(plain, 2, plain.length - 2);
        byte[] bytes = withExif.toByteArray();
        world.telegram.registerFile("doc-exif-file", "documents/IMG_0001.jpg", bytes, (long) bytes.length);
        E2eRunner r = startRunner(Map.of(), Clock.systemUTC());
        r.deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Balance: 1");
        topUpWithStars(r, ALICE, "charge-exif");
        r.deliver(updates.command(ALICE, "menu", ""));
        press(r, ALICE, "Images");
        press(r, ALICE, "From a photo");
        press(r, ALICE, "Nano Banana Edit ·");
        press(r, ALICE, "▶️ Start");
        world.awaitText(ALICE, "a Done button");
        r.deliver(updates.document(ALICE, "doc-exif-file", "IMG_0001.jpg", "image/jpeg", bytes.length));
        press(r, ALICE, "Done");
        world.awaitText(ALICE, "Send the text");
        r.deliver(updates.text(ALICE, "make the sky pink"));
        press(r, ALICE, "✓ 1:1");
        world.awaitText(ALICE, "Check and confirm");
        press(r, ALICE, "Generate for");
        await("delivered", () -> jobState(r, ALICE).equals(java.util.Optional.of(
                dev.kiebot.core.jobs.JobState.DELIVERED)));

        List<dev.kiebot.kie.fake.FakeKieServer.Recorded> uploads = world.kie.requests(
                dev.kiebot.kie.fake.FakeKieServer.Endpoint.UPLOAD);
        assertThat(uploads).hasSize(1);
        String body = new String(uploads.get(0).body(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(body).doesNotContain("GPSLatitude", "Ivan Petrov", "Apple")
                .contains(new String(plain, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    /** The names in README's metrics table. */
    private static List<String> documentedMetrics() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf("### Metrics"));
        section = section.substring(0, section.indexOf("\n## "));
        return section.lines().filter(l -> l.startsWith("| `kiebot_"))
                .map(l -> l.substring(3, l.indexOf('`', 3))).toList();
    }
}
