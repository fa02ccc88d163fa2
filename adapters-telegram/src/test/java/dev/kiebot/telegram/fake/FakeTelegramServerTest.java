package dev.kiebot.telegram.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.UpdatesListener;
import com.pengrad.telegrambot.model.Update;
import com.pengrad.telegrambot.request.GetUpdates;
import com.pengrad.telegrambot.request.SendDocument;
import com.pengrad.telegrambot.request.SetWebhook;
import com.pengrad.telegrambot.response.GetUpdatesResponse;
import com.sun.net.httpserver.HttpServer;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.telegram.UpdateTranslator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeTelegramServerTest {
    /** Each task on a thread of its own: the common pool has one worker on two cores, and these tasks block. */
    private static final Executor ELSEWHERE = task -> new Thread(task, "elsewhere").start();

    private FakeTelegramServer fake;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        fake = FakeTelegramServer.start();
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    @Test
    void pengradLongPollingReceivesQueuedUpdatesAndConfirmsThem() throws Exception {
        TelegramBot bot = fake.bot();
        List<Update> received = new CopyOnWriteArrayList<>();
        long first = fake.enqueue(fake.updates().text(42, "hello"));
        try {
            bot.setUpdatesListener(updates -> {
                received.addAll(updates);
                return UpdatesListener.CONFIRMED_UPDATES_ALL;
            }, e -> { }, new GetUpdates().timeout(30));

            long second = fake.enqueue(fake.updates().callback(42, 100, "v1:menu"));
            fake.awaitUpdatesConfirmed(Duration.ofSeconds(5));

            assertThat(received).extracting(Update::updateId).containsExactly((int) first, (int) second);
            UpdateTranslator t = new UpdateTranslator(fake.botUsername(), fake.botId());
            assertThat(((Event.Text) t.translate(received.get(0)).orElseThrow().event()).text()).isEqualTo("hello");
            assertThat(t.translate(received.get(1)).orElseThrow().event()).isInstanceOf(Event.Callback.class);
            // the listener confirmed with offset = last + 1
            fake.awaitCall("getUpdates", c -> Long.toString(second + 1).equals(c.param("offset")), Duration.ofSeconds(5));
        } finally {
            bot.removeGetUpdatesListener();
            bot.shutdown();
        }
    }

    /** Telegram sends a file id on only as what it is: a user's document given to sendPhoto is refused. */
    @Test
    void aFileAUserSentGoesOnOnlyAsWhatItIs() {
        fake.enqueue(fake.updates().document(42, "user-pdf", "receipt.pdf", "application/pdf", 60_000));
        fake.enqueue(fake.updates().photo(42, "user-photo", 60_000, null));
        TelegramBot bot = fake.bot();
        try {
            assertThat(bot.execute(new com.pengrad.telegrambot.request.SendPhoto(7, "user-pdf")).description())
                    .isEqualTo("Bad Request: type of file mismatch");
            assertThat(bot.execute(new SendDocument(7, "user-photo")).isOk()).isFalse();
            assertThat(bot.execute(new SendDocument(7, "user-pdf")).isOk()).isTrue();
            assertThat(bot.execute(new com.pengrad.telegrambot.request.SendPhoto(7, "user-photo")).isOk()).isTrue();
        } finally {
            bot.shutdown();
        }
    }

    @Test
    void commandMenusAreKeptPerLanguageAndCheckedAsTelegramDoes() {
        TelegramBot bot = fake.bot();
        try {
            assertThat(bot.execute(new com.pengrad.telegrambot.request.SetMyCommands(
                    new com.pengrad.telegrambot.model.BotCommand("menu", "Главное меню")).languageCode("ru")).isOk())
                    .isTrue();
            assertThat(bot.execute(new com.pengrad.telegrambot.request.SetMyCommands(
                    new com.pengrad.telegrambot.model.BotCommand("Menu!", "bad"))).isOk()).isFalse();
            assertThat(bot.execute(new com.pengrad.telegrambot.request.SetMyCommands(
                    new com.pengrad.telegrambot.model.BotCommand("menu", ""))).isOk()).isFalse();
            assertThat(fake.commands("ru")).containsExactly(new FakeTelegramServer.FakeCommand("menu", "Главное меню"));
            assertThat(fake.commands("")).isEmpty();
            assertThat(bot.execute(new com.pengrad.telegrambot.request.GetMyCommands().languageCode("ru")).commands())
                    .extracting(com.pengrad.telegrambot.model.BotCommand::command).containsExactly("menu");
        } finally {
            bot.shutdown();
        }
    }

    @Test
    void getUpdatesHonoursOffsetLimitAndTimeout() {
        TelegramBot bot = fake.bot();
        long a = fake.enqueue(fake.updates().text(1, "a"));
        long b = fake.enqueue(fake.updates().text(1, "b"));
        fake.enqueue("{\"message\":{\"message_id\":1,\"chat\":{\"id\":1,\"type\":\"private\"},\"date\":0,\"text\":\"c\"}}");

        GetUpdatesResponse r = bot.execute(new GetUpdates().limit(2));
        assertThat(r.updates()).extracting(Update::updateId).containsExactly((int) a, (int) b);
        assertThat(fake.pendingUpdates()).isEqualTo(3); // nothing confirmed yet

        GetUpdatesResponse r2 = bot.execute(new GetUpdates().offset((int) b + 1));
        assertThat(r2.updates()).hasSize(1);
        assertThat(r2.updates().get(0).message().text()).isEqualTo("c");
        assertThat(fake.pendingUpdates()).isEqualTo(1);

        fake.longPollCap(Duration.ofMillis(200));
        long start = System.nanoTime();
        GetUpdatesResponse empty = bot.execute(new GetUpdates().offset(r2.updates().get(0).updateId() + 1).timeout(30));
        assertThat(empty.updates()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }

    @Test
    void longPollReturnsAsSoonAsAnUpdateArrives() throws Exception {
        fake.longPollCap(Duration.ofSeconds(20));
        TelegramBot bot = fake.bot();
        CompletableFuture<GetUpdatesResponse> poll = CompletableFuture.supplyAsync(() -> bot.execute(new GetUpdates().timeout(20)), ELSEWHERE);
        waitUntilPolling();
        fake.enqueue(fake.updates().text(5, "wake up"));
        assertThat(poll.get(5, TimeUnit.SECONDS).updates()).hasSize(1);
    }

    @Test
    void conflictsLikeTheRealServer() throws Exception {
        TelegramBot bot = fake.bot();
        assertThat(bot.execute(new SetWebhook().url("https://x.org/hook")).isOk()).isTrue();
        GetUpdatesResponse r = bot.execute(new GetUpdates());
        assertThat(r.isOk()).isFalse();
        assertThat(r.errorCode()).isEqualTo(409);
        assertThat(r.description()).contains("webhook is active");

        bot.execute(new com.pengrad.telegrambot.request.DeleteWebhook());
        fake.longPollCap(Duration.ofSeconds(20));
        CompletableFuture<GetUpdatesResponse> older = CompletableFuture.supplyAsync(() -> bot.execute(new GetUpdates().timeout(20)), ELSEWHERE);
        waitUntilPolling();
        CompletableFuture<GetUpdatesResponse> newer = CompletableFuture.supplyAsync(() -> bot.execute(new GetUpdates().timeout(1)), ELSEWHERE);
        GetUpdatesResponse terminated = older.get(5, TimeUnit.SECONDS);
        assertThat(terminated.errorCode()).isEqualTo(409);
        assertThat(terminated.description()).contains("terminated by other getUpdates request");
        fake.enqueue(fake.updates().text(1, "x"));
        assertThat(newer.get(5, TimeUnit.SECONDS).isOk()).isTrue();
    }

    @Test
    void deliversUpdatesToTheRegisteredWebhookWithTheSecret() throws Exception {
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicReference<String> secret = new AtomicReference<>();
        AtomicReference<String> body = new AtomicReference<>();
        hook.createContext("/tg", ex -> {
            secret.set(ex.getRequestHeaders().getFirst("X-Telegram-Bot-Api-Secret-Token"));
            body.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hook.start();
        try {
            fake.bot().execute(new SetWebhook().url("http://127.0.0.1:" + hook.getAddress().getPort() + "/tg").secretToken("s3cret"));
            String update = fake.updates().text(9, "via webhook");
            assertThat(fake.deliverToWebhook(update)).isEqualTo(200);
            assertThat(secret.get()).isEqualTo("s3cret");
            assertThat(body.get()).isEqualTo(update);
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void acceptsFormJsonQueryAndMultipartBodies() throws Exception {
        String base = fake.apiUrl() + "/bot" + fake.token() + "/";
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "sendMessage"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("chat_id=7&text=a+%26+b%3D%E2%9C%93")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(base + "sendMessage"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"chat_id\":7,\"text\":\"json\",\"reply_markup\":{\"inline_keyboard\":[[{\"text\":\"b\",\"callback_data\":\"d\"}]]}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(base + "sendMessage?chat_id=7&text=query")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(List.of(form.statusCode(), json.statusCode(), get.statusCode())).containsOnly(200);
        assertThat(fake.textsTo(7)).containsExactly("a & b=✓", "json", "query");
        assertThat(fake.callsTo("sendMessage").get(1).callbackData("b")).contains("d");
        assertThat(form.body()).contains("\"ok\":true").contains("\"message_id\"");

        byte[] pdf = "%PDF-1.4 fake".getBytes(StandardCharsets.ISO_8859_1);
        var sent = fake.bot().execute(new SendDocument(7L, pdf).fileName("report.pdf").contentType("application/pdf").caption("here"));
        assertThat(sent.isOk()).isTrue();
        FakeTelegramServer.Call upload = fake.callsTo("sendDocument").get(0);
        assertThat(upload.caption()).isEqualTo("here");
        assertThat(upload.upload("document")).hasValueSatisfying(u -> {
            assertThat(u.bytes()).isEqualTo(pdf);
            assertThat(u.fileName()).isEqualTo("report.pdf");
            assertThat(u.contentType()).isEqualTo("application/pdf");
        });
        // the uploaded file can be fetched back through getFile
        assertThat(fake.fileContent(sent.message().document().fileId())).hasValue(pdf);
    }

    @Test
    void wrongTokenUnknownMethodAndValidation() throws Exception {
        HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(URI.create(fake.apiUrl() + "/bot1:nope/getMe"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).isEqualTo("{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");

        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(fake.apiUrl() + "/bot" + fake.token() + "/fooBar"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);

        var tooLong = fake.bot().execute(new com.pengrad.telegrambot.request.SendMessage(7L, "x".repeat(4097)));
        assertThat(tooLong.description()).isEqualTo("Bad Request: message is too long");
        var empty = fake.bot().execute(new com.pengrad.telegrambot.request.SendMessage(7L, ""));
        assertThat(empty.description()).isEqualTo("Bad Request: message text is empty");
        var badData = fake.bot().execute(new com.pengrad.telegrambot.request.SendMessage(7L, "k").replyMarkup(
                new com.pengrad.telegrambot.model.request.InlineKeyboardMarkup(
                        new com.pengrad.telegrambot.model.request.InlineKeyboardButton("b").callbackData("x".repeat(65)))));
        assertThat(badData.description()).contains("BUTTON_DATA_INVALID");
    }

    @Test
    void scriptedFailuresApplyInOrderThenStop() {
        fake.failNext("getMe", 1, FakeTelegramServer.Failure.tooManyRequests(2));
        var limited = fake.bot().execute(new com.pengrad.telegrambot.request.GetMe());
        assertThat(limited.errorCode()).isEqualTo(429);
        assertThat(limited.parameters().retryAfter()).isEqualTo(2);
        assertThat(limited.description()).isEqualTo("Too Many Requests: retry after 2");
        assertThat(fake.bot().execute(new com.pengrad.telegrambot.request.GetMe()).isOk()).isTrue();
    }

    @Test
    void awaitCallExplainsWhatItSawOnTimeout() {
        fake.bot().execute(new com.pengrad.telegrambot.request.SendMessage(7L, "something else"));
        assertThatThrownBy(() -> fake.awaitCall("sendMessage", c -> "expected".equals(c.text()), Duration.ofMillis(100)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("sendMessage").hasMessageContaining("something else");
        assertThat(fake.transcript(7)).contains("sendMessage: something else");
        long mark = fake.lastSeq();
        fake.bot().execute(new com.pengrad.telegrambot.request.SendMessage(7L, "next"));
        assertThat(fake.awaitTextTo(7, mark, Duration.ofSeconds(2)).text()).isEqualTo("next");
        assertThat(fake.messages(7)).extracting(FakeTelegramServer.FakeMessage::text).containsExactly("something else", "next");
    }

    // ---- the wire under faults -----------------------------------------------------------------------

    private static final String FORM = "chat_id=7&text=hello";

    /** Sends a sendMessage head (optionally waiting for "100 Continue") on a raw socket. */
    private Socket sendMessageHead(boolean expectContinue) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), URI.create(fake.apiUrl()).getPort());
        s.setSoTimeout(5_000);
        String head = "POST /bot" + fake.token() + "/sendMessage HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + FORM.length() + "\r\n"
                + (expectContinue ? "Expect: 100-continue\r\n" : "") + "\r\n";
        s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    /** Everything the server sends until it closes the connection (or {@code quietMillis} of silence). */
    private static String readUntilClosedOrQuiet(Socket s, int quietMillis) throws IOException {
        s.setSoTimeout(quietMillis);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            got.write("<quiet>".getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            got.write("<reset>".getBytes(StandardCharsets.ISO_8859_1));
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void continueIsSentOnlyWhenTheBodyIsRead() throws Exception {
        try (Socket s = sendMessageHead(true)) {
            byte[] interim = s.getInputStream().readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
            assertThat(new String(interim, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(FORM.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            fake.awaitCalls("sendMessage", 1, Duration.ofSeconds(5));
        }
        assertThat(fake.messages(7)).extracting(FakeTelegramServer.FakeMessage::text).containsExactly("hello");
    }

    @Test
    void dropBeforeClosesWithoutContinueAndDoesNothing() throws Exception {
        fake.failNext("sendMessage", 1, FakeTelegramServer.Failure.dropBefore());
        try (Socket s = sendMessageHead(true)) {
            assertThat(readUntilClosedOrQuiet(s, 5_000)).doesNotContain("100 Continue").doesNotContain("<quiet>");
        }
        FakeTelegramServer.Call call = fake.awaitCalls("sendMessage", 1, Duration.ofSeconds(5)).get(0);
        assertThat(call.dropped()).isTrue();
        assertThat(call.text()).isNull(); // the body was never read
        assertThat(fake.messages(7)).isEmpty();
    }

    /** Another chat's call arriving first passes untouched: the fault waits for the chat it is aimed at. */
    @Test
    void aFaultAimedAtAChatLetsOtherChatsCallsPass() {
        fake.failNextTo(8, "sendMessage", 1, FakeTelegramServer.Failure.serverError());
        assertThat(fake.bot().execute(new com.pengrad.telegrambot.request.SendMessage(7L, "to seven")).isOk()).isTrue();
        var aimed = fake.bot().execute(new com.pengrad.telegrambot.request.SendMessage(8L, "to eight"));
        assertThat(aimed.errorCode()).isEqualTo(500);
        assertThat(fake.bot().execute(new com.pengrad.telegrambot.request.SendMessage(8L, "again")).isOk())
                .as("once").isTrue();
        assertThat(fake.messages(8)).extracting(FakeTelegramServer.FakeMessage::text).containsExactly("again");
    }

    /**
     * An aimed drop before the body reads the body of a request that sent it without waiting (it cannot tell) and
     * does nothing with it; one that waits for "100 Continue" holds its chat back, passes, and leaves it armed.
     */
    @Test
    void anAimedDropBeforeTheBodyDropsOnlyARequestThatSentItsBodyUnasked() throws Exception {
        fake.failNextTo(7, "sendMessage", 1, FakeTelegramServer.Failure.dropBefore());
        try (Socket s = sendMessageHead(true)) {
            s.getInputStream().readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
            s.getOutputStream().write(FORM.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            byte[] status = s.getInputStream().readNBytes("HTTP/1.1 200".length());
            assertThat(new String(status, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
        }
        try (Socket s = sendMessageHead(false)) {
            s.getOutputStream().write(FORM.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            assertThat(readUntilClosedOrQuiet(s, 5_000)).doesNotContain("HTTP/1.1").doesNotContain("<quiet>");
        }
        List<FakeTelegramServer.Call> calls = fake.awaitCalls("sendMessage", 2, Duration.ofSeconds(5));
        assertThat(calls.get(0).ok()).isTrue();
        assertThat(calls.get(1).dropped()).isTrue();
        assertThat(calls.get(1).chatId()).as("the dropped call shows its chat").isEqualTo(7);
        assertThat(fake.messages(7)).extracting(FakeTelegramServer.FakeMessage::text).as("the dropped one did nothing")
                .containsExactly("hello");
    }

    @Test
    void aHeldCallIsAnsweredOnceReleasedAndNotBefore() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        fake.failNext("sendMessage", 1, FakeTelegramServer.Failure.heldUntil(release));
        CompletableFuture<Boolean> sent = CompletableFuture.supplyAsync(() -> fake.bot()
                .execute(new com.pengrad.telegrambot.request.SendMessage(7L, "held")).isOk(), ELSEWHERE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fake.callsTo("sendMessage").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(fake.callsTo("sendMessage")).singleElement()
                .satisfies(c -> assertThat(c.answered()).as("on the wire").isFalse());
        assertThat(sent).isNotDone();
        release.countDown();
        assertThat(sent.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(fake.messages(7)).extracting(FakeTelegramServer.FakeMessage::text).containsExactly("held");
    }

    @Test
    void dropAfterDoesTheWorkThenClosesWithoutAnAnswer() throws Exception {
        fake.failNext("sendMessage", 1, FakeTelegramServer.Failure.dropAfter());
        try (Socket s = sendMessageHead(false)) {
            s.getOutputStream().write(FORM.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            assertThat(readUntilClosedOrQuiet(s, 5_000)).doesNotContain("HTTP/1.1").doesNotContain("<quiet>");
        }
        FakeTelegramServer.Call call = fake.callsTo("sendMessage").get(0);
        assertThat(call.dropped()).isTrue();
        assertThat(call.messageId()).isPresent();
        assertThat(fake.messages(7)).extracting(FakeTelegramServer.FakeMessage::text).containsExactly("hello");
        assertThat(fake.textsTo(7)).isEmpty(); // no successful answer was sent
    }

    @Test
    void disconnectReadsTheRequestButDoesNothing() throws Exception {
        fake.failNext("sendMessage", 1, FakeTelegramServer.Failure.disconnect());
        try (Socket s = sendMessageHead(true)) {
            s.getInputStream().readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
            s.getOutputStream().write(FORM.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            assertThat(readUntilClosedOrQuiet(s, 5_000)).doesNotContain("HTTP/1.1").doesNotContain("<quiet>");
        }
        assertThat(fake.callsTo("sendMessage").get(0).text()).isEqualTo("hello");
        assertThat(fake.messages(7)).isEmpty();
    }

    @Test
    void badGatewayIsNginxsHtmlPage() throws Exception {
        fake.failNext("sendMessage", 1, FakeTelegramServer.Failure.badGatewayPage());
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(fake.apiUrl() + "/bot" + fake.token() + "/sendMessage"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(FORM)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(r.body()).contains("<title>502 Bad Gateway</title>");
        assertThat(fake.messages(7)).isEmpty();
    }

    @Test
    void withoutContinueTheServerWaitsForTheBody() throws Exception {
        fake.answerExpectContinue(false);
        try (Socket s = sendMessageHead(true)) {
            assertThat(readUntilClosedOrQuiet(s, 300)).isEqualTo("<quiet>");
            s.getOutputStream().write(FORM.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.setSoTimeout(5_000);
            byte[] status = s.getInputStream().readNBytes("HTTP/1.1 200".length());
            assertThat(new String(status, StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
        }
        assertThat(fake.messages(7)).hasSize(1);
    }

    private void waitUntilPolling() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int before = fake.callsTo("getUpdates").size();
        while (fake.callsTo("getUpdates").stream().filter(c -> !c.answered()).count() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no poll open (" + before + " polls so far)");
            }
            Thread.sleep(5);
        }
    }
}
