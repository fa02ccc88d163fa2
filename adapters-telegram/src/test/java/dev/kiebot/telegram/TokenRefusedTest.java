package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeTelegramServer.Failure;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Found by an operator review: a 401 on a send (the bot token revoked in @BotFather while the bot runs) was a final
 * failure, and a result's link was refused the same way: between revoking the token and restarting with the new one,
 * every reply queued (results, "payment received", refunds' notices) was lost. Now it waits in the outbox like a reply
 * during an outage, and goes once Telegram takes the token again.
 */
class TokenRefusedTest {
    private static final long CHAT = 700_300_400L;
    private static final byte[] PNG = "\u0089PNG fake image bytes".getBytes(StandardCharsets.ISO_8859_1);

    private FakeTelegramServer fake;
    private TelegramMessenger messenger;

    @BeforeEach
    void setUp() {
        fake = FakeTelegramServer.start();
        messenger = TelegramMessenger.builder(fake.bot()).limits(OutboundLimiter.Settings.unlimited())
                .ticker(new FakeTicker()).mediaUrlsFrom(URI.create(fake.apiUrl())).build();
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    @Test
    void aReplyWhoseTokenTelegramRefusesIsDeliveredOnceWhenItTakesItAgain() {
        MutableClock pacing = MutableClock.at("2026-12-05T12:00:00Z");
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmission(AdmissionPolicy.off()), ManualPayments.off(),
                b -> b.messenger(messenger).pacingClock(pacing));
        fake.failNext("sendMessage", 1, Failure.apiError(401, "Unauthorized"));

        h.command(CHAT, "start");

        assertThat(fake.callsTo("sendMessage")).singleElement().satisfies(c -> assertThat(c.status()).isEqualTo(401));
        assertThat(fake.messages(CHAT)).as("nothing went while the token was refused").isEmpty();
        String welcome = fake.callsTo("sendMessage").get(0).text();

        pacing.advance(TelegramMessenger.OUTAGE_RETRY.plusSeconds(1));
        h.deliver();

        assertThat(fake.messages(CHAT)).as(fake.transcript(CHAT)).isNotEmpty()
                .filteredOn(m -> welcome.equals(m.text())).hasSize(1);
        assertThat(fake.messages(CHAT).get(0).text()).as("first in its chat still").isEqualTo(welcome);
    }

    @Test
    void aRefusedTokenDefersEveryKindOfReplyAndTriesNoOtherFormOfAResult() {
        fake.failWhen("*", c -> true, Failure.apiError(401, "Unauthorized"));

        Delivery text = messenger.send(new Reply.SendText(CHAT, "💳 Payment received", Keyboard.NONE));
        Delivery photo = messenger.send(new Reply.SendMedia(CHAT, MediaKind.PHOTO,
                fake.serveMedia("fox.png", PNG, "image/png"), "gen_42", Keyboard.NONE));
        Delivery edit = messenger.send(new Reply.EditText(CHAT, 12, "↩️ Refunded", Keyboard.NONE));

        for (Delivery d : List.of(text, photo, edit)) {
            assertThat(d).isInstanceOfSatisfying(Delivery.Deferred.class,
                    deferred -> assertThat(deferred.retryIn()).isEqualTo(TelegramMessenger.OUTAGE_RETRY));
        }
        assertThat(fake.callsTo("sendPhoto")).as("no upload after the URL").singleElement()
                .satisfies(c -> assertThat(c.isUpload()).isFalse());
        assertThat(fake.callsTo("sendMessage")).as("no link, and no edit sent as a new message: only the text")
                .hasSize(1);
    }

    /** 404 "Not Found" is Telegram's answer to a token not of a token's shape, on the whole bot path. */
    @Test
    void aNotFoundForTheBotsPathIsARefusedTokenToo() {
        fake.failNext("sendMessage", 1, Failure.apiError(404, "Not Found"));

        assertThat(messenger.send(new Reply.SendText(CHAT, "hello", Keyboard.NONE)))
                .isInstanceOf(Delivery.Deferred.class);
    }

    @Test
    void theRefusalIsAnErrorOncePerSpellAndItsEndIsSaid() {
        try (LogCapture logs = new LogCapture()) {
            fake.failWhen("sendMessage", c -> true, Failure.apiError(401, "Unauthorized"));
            messenger.send(new Reply.SendText(CHAT, "one", Keyboard.NONE));
            messenger.send(new Reply.SendText(CHAT + 1, "two", Keyboard.NONE));
            fake.clearFailures();
            assertThat(messenger.send(new Reply.SendText(CHAT, "one", Keyboard.NONE))).isInstanceOf(Delivery.Sent.class);

            assertThat(logs.lines()).filteredOn(l -> l.startsWith("ERROR ")).singleElement().asString()
                    .contains("Telegram refused the bot token (401)", "restart the bot with the new one")
                    .doesNotContain(fake.token());
            assertThat(logs.lines()).anyMatch(l -> l.contains("Telegram takes the bot token again"));
        }
    }
}
