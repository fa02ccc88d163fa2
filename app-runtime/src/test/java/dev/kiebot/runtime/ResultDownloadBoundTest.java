package dev.kiebot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.telegram.OutboundLimiter;
import dev.kiebot.telegram.TelegramMessenger;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeTelegramServer.Failure;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The messenger the runtime builds downloads a result no further inward than {@code KIE_BASE_URL}'s host: Kie on the
 * internet (here a public address that is never called) naming a result on this machine has it sent as its link,
 * unfetched; a Kie on this machine (the tests' fakes) has it fetched. The result lies on the fake Telegram's media
 * server on 127.0.0.1, which Telegram is told it cannot fetch, so the messenger would download it.
 */
class ResultDownloadBoundTest {
    private static final long CHAT = 42L;
    private static final byte[] PNG = "\u0089PNG a result".getBytes(StandardCharsets.ISO_8859_1);
    private FakeTelegramServer telegram;

    @BeforeEach
    void start() {
        telegram = FakeTelegramServer.start();
        telegram.failWhen("sendPhoto", c -> c.param("photo") != null, Failure.urlNotFetched());
    }

    @AfterEach
    void stop() {
        telegram.close();
    }

    /** The messenger as {@code Kiebot} wires it to its provider for {@code KIE_BASE_URL}. */
    private Messenger messengerForKieAt(String kieBaseUrl) {
        Settings settings = Settings.fromEnv(Map.of("TELEGRAM_BOT_TOKEN", "1234567:AAH1234567890abcdefghijklmnopqrstuv",
                "KIE_API_KEY", "sk-live-abcdef0123456789", "KIE_BASE_URL", kieBaseUrl));
        TelegramMessenger.Builder building = TelegramMessenger.builder(telegram.bot())
                .limits(OutboundLimiter.Settings.unlimited());
        Kiebot.provider(settings, building);
        return building.build();
    }

    @Test
    void aResultOnThisMachineFromAKieOnTheInternetIsSentAsItsLinkUnfetched() {
        String url = telegram.serveMedia("result.png", PNG, "image/png");

        Delivery d = messengerForKieAt("https://203.0.113.7").send(
                new Reply.SendMedia(CHAT, MediaKind.PHOTO, url, "Готово", Keyboard.NONE));

        assertThat(telegram.mediaFetches("result.png")).as("never downloaded").isZero();
        assertThat(telegram.callsTo("sendMessage").get(0).text()).isEqualTo("Готово\n\n" + url);
        assertThat(d).as("delivered as its link, as any failed download: no refund, no second try")
                .isInstanceOf(Delivery.Sent.class);
    }

    @Test
    void aResultOnThisMachineFromAKieOnThisMachineIsUploaded() {
        String url = telegram.serveMedia("result.png", PNG, "image/png");

        Delivery d = messengerForKieAt("http://127.0.0.1:1").send(
                new Reply.SendMedia(CHAT, MediaKind.PHOTO, url, "Готово", Keyboard.NONE));

        assertThat(telegram.mediaFetches("result.png")).isEqualTo(1);
        assertThat(telegram.callsTo("sendPhoto").get(1).upload("photo")).isPresent();
        assertThat(telegram.callsTo("sendMessage")).isEmpty();
        assertThat(d).isInstanceOf(Delivery.Sent.class);
    }
}
