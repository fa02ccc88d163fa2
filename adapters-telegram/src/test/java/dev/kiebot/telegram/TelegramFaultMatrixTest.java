package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeTelegramServer.Call;
import dev.kiebot.telegram.fake.FakeTelegramServer.Failure;
import dev.kiebot.telegram.fake.FakeTelegramServer.FakeMessage;
import dev.kiebot.telegram.fake.ReplyFaults.Fault;
import dev.kiebot.telegram.fake.ReplyFaults.ReplyKind;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault matrix: one Telegram fault on each kind of reply, through the real OkHttp client against
 * the fake Bot API. Whatever the fault, the chat ends up showing the reply exactly once. The fake never tells
 * the client what it did: a drop before the body and a drop after the work look alike except for what the
 * client itself saw on the wire (whether its body left).
 */
class TelegramFaultMatrixTest {
    private static final long CHAT = 700_100_200L;
    private static final byte[] PNG = "\u0089PNG fake image bytes".getBytes(StandardCharsets.ISO_8859_1);
    private static final String TEXT = "💳 Refund: 12 ₽ returned to your balance";
    private static final String CAPTION = "gen_42: a red fox";
    private static final Keyboard AGAIN = Keyboard.of(List.of(Button.callback("Again", "v1:a:gen_42")));

    /**
     * A chat's 429 waited out on the sender's thread (up to ApiCaller.INLINE_RETRY_AFTER_MAX; longer: deferred); the
     * fake ticker lets the wait pass at once.
     */
    private static final int RETRY_AFTER_SECONDS = 1;

    private FakeTelegramServer fake;
    private FakeTicker ticker;
    private TelegramMessenger messenger;

    @BeforeEach
    void setUp() {
        fake = FakeTelegramServer.start();
        ticker = new FakeTicker();
        messenger = TelegramMessenger.builder(fake.bot()).limits(OutboundLimiter.Settings.unlimited()).ticker(ticker)
                .mediaUrlsFrom(URI.create(fake.apiUrl())).build(); // the media lie on the fake, on 127.0.0.1
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("dev.kiebot.telegram.fake.ReplyFaults#everyReplyUnderEveryFault")
    void everyReplyArrivesExactlyOnce(ReplyKind kind, Fault fault) {
        Reply reply = prepare(kind);
        fake.failNext(kind.method, 1, fault.failure(RETRY_AFTER_SECONDS));

        Delivery d = messenger.send(reply);

        List<FakeMessage> chat = fake.messages(CHAT);
        switch (kind) {
            case SEND_MESSAGE -> assertThat(chat).as(fake.transcript(CHAT)).singleElement()
                    .satisfies(m -> assertThat(m.text()).isEqualTo(TEXT));
            case SEND_PHOTO -> assertThat(chat).as(fake.transcript(CHAT)).singleElement().satisfies(m -> {
                assertThat(m.kind()).isEqualTo("photo"); // no link on top of it
                assertThat(m.text()).isEqualTo(CAPTION);
            });
            case EDIT_MESSAGE_TEXT -> assertThat(chat).as(fake.transcript(CHAT)).singleElement()
                    .satisfies(m -> assertThat(m.text()).isEqualTo(TEXT));
        }
        boolean sendAfterItsBodyLeft = fault == Fault.DROP_AFTER && kind != ReplyKind.EDIT_MESSAGE_TEXT;
        if (sendAfterItsBodyLeft) {
            // arrived, but the client cannot know: reported as possibly delivered, never repeated
            assertThat(d).isInstanceOf(Delivery.Uncertain.class);
            assertThat(((Delivery.Uncertain) d).reason()).contains("may have been delivered");
            assertThat(fake.callsTo(kind.method)).hasSize(1);
        } else {
            assertThat(d).as(fake.transcript(CHAT)).isInstanceOf(Delivery.Sent.class);
            assertThat(d.messageId()).contains((long) chat.get(0).messageId());
            assertThat(fake.callsTo(kind.method)).hasSize(2); // the faulty attempt and one retry
        }
        if (kind != ReplyKind.SEND_MESSAGE) {
            assertThat(fake.callsTo("sendMessage")).isEmpty(); // no link, no replacement message
        }
    }

    /** Puts the chat in its starting state and returns the reply to send under the fault. */
    private Reply prepare(ReplyKind kind) {
        return switch (kind) {
            case SEND_MESSAGE -> new Reply.SendText(CHAT, TEXT, AGAIN);
            case SEND_PHOTO -> new Reply.SendMedia(CHAT, MediaKind.PHOTO, fake.serveMedia("fox.png", PNG, "image/png"),
                    CAPTION, AGAIN);
            case EDIT_MESSAGE_TEXT -> {
                long status = messenger.send(new Reply.SendText(CHAT, "⏳ В очереди", Keyboard.NONE)).messageId()
                        .orElseThrow();
                fake.clearCalls();
                yield new Reply.EditText(CHAT, status, TEXT, Keyboard.NONE);
            }
        };
    }

    // ---- beyond one fault ---------------------------------------------------------------------------

    @Test
    void aStatusEditThatKeepsFailingBecomesOneNewMessage() {
        long status = messenger.send(new Reply.SendText(CHAT, "⏳ В очереди", Keyboard.NONE)).messageId()
                .orElseThrow();
        fake.failWhen("editMessageText", c -> true, Failure.serverError());

        Delivery d = messenger.send(new Reply.EditText(CHAT, status, TEXT, AGAIN));

        assertThat(fake.messages(CHAT)).extracting(FakeMessage::text).containsExactly("⏳ В очереди", TEXT);
        assertThat(fake.callsTo("sendMessage")).hasSize(2); // the status, then its replacement once
        assertThat(fake.callsTo("sendMessage").get(1).buttons()).isNotEmpty();
        assertThat(d.messageId()).isEqualTo(fake.callsTo("sendMessage").get(1).messageId().map(Integer::longValue));
        assertThat(fake.callsTo("editMessageText")).hasSizeGreaterThan(1); // retried before giving up
        assertThat(ticker.sleeps().stream().reduce(Duration.ZERO, Duration::plus))
                .isLessThanOrEqualTo(Duration.ofSeconds(ApiCaller.TRANSIENT_RETRY_BUDGET_SECONDS));
    }

    @Test
    void aMediaWhoseUrlTelegramRejectsFallsBackToUploadThenToALinkEachOnce() {
        String url = fake.serveMedia("fox.png", PNG, "image/png");
        fake.failWhen("sendPhoto", c -> c.param("photo") != null, Failure.badRequest("wrong file identifier/HTTP URL specified"));
        fake.failNext("sendPhoto", 1, Failure.serverError()); // the first upload meets a hiccup and is retried
        fake.failWhen("sendPhoto", Call::isUpload, Failure.badRequest("IMAGE_PROCESS_FAILED"));

        Delivery d = messenger.send(new Reply.SendMedia(CHAT, MediaKind.PHOTO, url, CAPTION, AGAIN));

        List<Call> photos = fake.callsTo("sendPhoto");
        assertThat(photos).extracting(Call::isUpload).containsExactly(false, true, true);
        assertThat(photos).extracting(Call::status).containsExactly(400, 500, 400);
        assertThat(fake.messages(CHAT)).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo("text");
            assertThat(m.text()).isEqualTo(CAPTION + "\n\n" + url);
        });
        assertThat(d).isInstanceOf(Delivery.Sent.class);
    }

    @Test
    void aPhotoThatMayHaveArrivedIsNotFollowedByALink() {
        String url = fake.serveMedia("fox.png", PNG, "image/png");
        fake.failWhen("sendPhoto", c -> true, Failure.dropAfter());

        Delivery d = messenger.send(new Reply.SendMedia(CHAT, MediaKind.PHOTO, url, CAPTION, AGAIN));

        assertThat(d).isInstanceOf(Delivery.Uncertain.class);
        assertThat(fake.callsTo("sendPhoto")).hasSize(1);
        assertThat(fake.callsTo("sendMessage")).isEmpty();
        assertThat(fake.messages(CHAT)).extracting(FakeMessage::kind).containsExactly("photo");
    }

    @Test
    void aSendThatNeverGetsThroughFallsBackToTheLinkOnlyAfterTheBudget() {
        String url = fake.serveMedia("fox.png", PNG, "image/png");
        fake.failWhen("sendPhoto", c -> true, Failure.dropBefore());

        Delivery d = messenger.send(new Reply.SendMedia(CHAT, MediaKind.PHOTO, url, CAPTION, AGAIN));

        assertThat(fake.callsTo("sendPhoto")).hasSizeGreaterThan(1).allSatisfy(c -> assertThat(c.dropped()).isTrue());
        assertThat(fake.messages(CHAT)).singleElement().satisfies(m -> assertThat(m.text()).endsWith(url));
        assertThat(d).isInstanceOf(Delivery.Sent.class);
    }

    /**
     * Telegram down for longer than the retry budget: the photo never got through, and neither did its link, so the
     * reply is deferred (the shop sends it again later, whole) rather than dropped as failed.
     */
    @Test
    void aResultWhileTelegramIsDownIsDeferredWhenItsLinkCannotGoEither() {
        String url = fake.serveMedia("fox.png", PNG, "image/png");
        fake.failWhen("*", c -> true, Failure.badGatewayPage());

        Delivery d = messenger.send(new Reply.SendMedia(CHAT, MediaKind.PHOTO, url, CAPTION, AGAIN));

        assertThat(d).isInstanceOfSatisfying(Delivery.Deferred.class,
                deferred -> assertThat(deferred.retryIn()).isEqualTo(TelegramMessenger.OUTAGE_RETRY));
        assertThat(fake.callsTo("sendPhoto")).hasSizeGreaterThan(1);
        assertThat(fake.callsTo("sendMessage")).as("its link was tried").isNotEmpty();
        assertThat(fake.messages(CHAT)).isEmpty();
    }

    @Test
    void aServerThatIgnoresExpectContinueCostsTwoShortWaitsThenSendsGoWithoutIt() {
        fake.answerExpectContinue(false); // like a bare telegram-bot-api: it waits for the body
        TelegramBots.Timeouts shortWait = new TelegramBots.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(15),
                Duration.ofSeconds(120), Duration.ofMillis(200));
        TelegramMessenger m = TelegramMessenger.builder(TelegramBots.create(fake.token(), fake.apiUrl(), shortWait))
                .limits(OutboundLimiter.Settings.unlimited()).ticker(ticker).build();

        Delivery first = m.send(new Reply.SendText(CHAT, "one", Keyboard.NONE));
        Delivery second = m.send(new Reply.SendText(CHAT, "two", Keyboard.NONE));

        assertThat(first).isInstanceOf(Delivery.Sent.class);
        assertThat(second).isInstanceOf(Delivery.Sent.class);
        assertThat(fake.messages(CHAT)).extracting(FakeMessage::text).containsExactly("one", "two");
        assertThat(ticker.sleeps()).hasSize(WireEvidence.CONTINUE_TIMEOUTS_IN_A_ROW_MAX); // one backoff per cut wait
    }

    /**
     * A server that answered "100 Continue" supports it: cuts in a row later (a pooled connection gone dead, a line
     * stalled for seconds, as a month of uptime surely meets) leave sends asking for it. They stopped asking for the
     * rest of the process's life before, every send after a drop then ambiguous.
     */
    @Test
    void cutsInARowFromAServerThatAnsweredExpectContinueLeaveSendsAskingForIt() throws IOException {
        TelegramBots.Timeouts shortWait = new TelegramBots.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(15),
                Duration.ofSeconds(120), Duration.ofMillis(200));
        OkHttpClient client = TelegramBots.httpClient(shortWait);
        WireEvidence evidence = (WireEvidence) client.interceptors().get(0);
        sendMessage(client, "before the stall");

        fake.answerExpectContinue(false); // no "100 Continue" comes back for a while
        for (int i = 0; i < WireEvidence.CONTINUE_TIMEOUTS_IN_A_ROW_MAX + 1; i++) {
            String text = "cut " + i;
            assertThatThrownBy(() -> sendMessage(client, text)).isInstanceOf(WireEvidence.Unsent.class);
        }
        fake.answerExpectContinue(true);
        sendMessage(client, "after the stall");

        assertThat(evidence.asksForContinue()).isTrue();
        assertThat(fake.messages(CHAT)).extracting(FakeMessage::text)
                .containsExactly("before the stall", "after the stall");
    }

    /**
     * A server that stalled the first two sends after a start, before it had ever answered "100 Continue" (a Telegram
     * hiccup at boot), turned the asking off for the process's life, though it answers it: every later send whose
     * connection dropped after it was written was ambiguous. One send asks again {@link WireEvidence#ASK_AGAIN_AFTER}
     * later; answered, every send asks again.
     */
    @Test
    void aServerThatStalledTheFirstSendsIsAskedAgainLaterAndSendsAskAgain() throws IOException {
        AtomicLong nanos = new AtomicLong();
        OkHttpClient client = clientOf(new WireEvidence(Duration.ofMillis(200), nanos::get));
        WireEvidence evidence = (WireEvidence) client.interceptors().get(0);
        fake.answerExpectContinue(false); // Telegram stalls at the start
        for (int i = 0; i < WireEvidence.CONTINUE_TIMEOUTS_IN_A_ROW_MAX; i++) {
            String text = "cut " + i;
            assertThatThrownBy(() -> sendMessage(client, text)).isInstanceOf(WireEvidence.Unsent.class);
        }
        assertThat(evidence.asksForContinue()).isFalse();
        fake.answerExpectContinue(true); // and answers "100 Continue" from then on
        sendMessage(client, "before the try");
        assertThat(evidence.asksForContinue()).as("not asked again yet").isFalse();

        nanos.addAndGet(WireEvidence.ASK_AGAIN_AFTER.toNanos());
        sendMessage(client, "the try");
        sendMessage(client, "after the try");

        assertThat(evidence.asksForContinue()).isTrue();
        assertThat(fake.messages(CHAT)).extracting(FakeMessage::text)
                .containsExactly("before the try", "the try", "after the try");
    }

    /**
     * Asking again is bounded: against a server that never answers "100 Continue" (a bare telegram-bot-api) one send a
     * try waits for it and is cut (surely unsent, sent again by the messenger), the sends between go at once, and each
     * try cut waits twice as long for the next.
     */
    @Test
    void aServerThatNeverAnswersExpectContinueCostsOneCutATryNotOneASend() throws IOException {
        AtomicLong nanos = new AtomicLong();
        OkHttpClient client = clientOf(new WireEvidence(Duration.ofMillis(200), nanos::get));
        fake.answerExpectContinue(false);
        for (int i = 0; i < WireEvidence.CONTINUE_TIMEOUTS_IN_A_ROW_MAX; i++) {
            String text = "cut " + i;
            assertThatThrownBy(() -> sendMessage(client, text)).isInstanceOf(WireEvidence.Unsent.class);
        }

        nanos.addAndGet(WireEvidence.ASK_AGAIN_AFTER.toNanos());
        assertThatThrownBy(() -> sendMessage(client, "the first try")).as("asked, and cut")
                .isInstanceOf(WireEvidence.Unsent.class);
        sendMessage(client, "one");
        nanos.addAndGet(WireEvidence.ASK_AGAIN_AFTER.toNanos());
        sendMessage(client, "two"); // the next try is twice as far
        nanos.addAndGet(WireEvidence.ASK_AGAIN_AFTER.toNanos());
        assertThatThrownBy(() -> sendMessage(client, "the second try")).isInstanceOf(WireEvidence.Unsent.class);
        sendMessage(client, "three");

        assertThat(fake.messages(CHAT)).extracting(FakeMessage::text).containsExactly("one", "two", "three");
    }

    /** A bare client with {@code evidence} as {@link TelegramBots#httpClient} installs it. */
    private static OkHttpClient clientOf(WireEvidence evidence) {
        return new OkHttpClient.Builder().retryOnConnectionFailure(false).addInterceptor(evidence)
                .eventListenerFactory(evidence.listeners()).build();
    }

    private void sendMessage(OkHttpClient client, String text) throws IOException {
        Request request = new Request.Builder().url(fake.apiUrl() + "/bot" + fake.token() + "/sendMessage")
                .post(new FormBody.Builder().add("chat_id", Long.toString(CHAT)).add("text", text).build()).build();
        try (Response response = client.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
        }
    }
}
