package dev.kiebot.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.intake.ReplayHorizon;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.memory.InMemoryStores;
import dev.kiebot.runtime.http.HttpAnswer;
import dev.kiebot.runtime.http.RequestBody;
import dev.kiebot.runtime.testing.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code POST /telegram} read as an attacker sends it: nothing is read before the secret, nothing past the limit. */
class TelegramWebhookDoorTest {
    private static final String SECRET = "telegram-door-0123456789";
    private static final long MAX = 1_000;
    /** The updates' date: the clock's moment, as Telegram's own are (one dated 1970 is refused as a replay). */
    private static final long DATE = java.time.Instant.parse("2026-11-21T10:00:00Z").getEpochSecond();

    private final MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
    private final ProcessedUpdates store = InMemoryStores.create(clock).processedUpdates();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final TelegramWebhookDoor door = new TelegramWebhookDoor(SECRET, MAX,
            new UpdateInbox(store, clock, metrics), metrics);
    private final AtomicLong read = new AtomicLong();
    /** A body that never ends, as a chunked one may: it declares no length (-1). */
    private final RequestBody endless = () -> new InputStream() {
        @Override
        public int read() {
            read.incrementAndGet();
            return ' ';
        }
    };

    /**
     * An incident drill (review R2): with the secret changed, every update Telegram posted was refused with a DEBUG
     * line, the bot silent. Now a spell of refusals is one WARN naming the variable, however many posts (an attacker's
     * too) it holds; the counter counts each; after a quiet spell the next refusal is told again.
     */
    @Test
    void refusedPostsAreOneWarningASpellNamingTheSecretsVariable() {
        AtomicLong nanos = new AtomicLong();
        TelegramWebhookDoor timed = new TelegramWebhookDoor(SECRET, MAX, new UpdateInbox(store, clock, metrics),
                metrics, nanos::get);
        LogCapture logs = LogCapture.attach();
        try {
            for (int i = 0; i < 50; i++) {
                assertThat(timed.knock("another-secret-0123456789", 2, RequestBody.of("{}".getBytes(
                        StandardCharsets.UTF_8))).status()).isEqualTo(401);
                nanos.addAndGet(java.time.Duration.ofSeconds(10).toNanos());
            }
            assertThat(logs.warnings()).singleElement().asString().startsWith("WARN ").contains(
                    "refused (401)", "TELEGRAM_WEBHOOK_SECRET_TOKEN", "its secret header is not this bot's");
            nanos.addAndGet(TelegramWebhookDoor.REFUSALS_SPELL_ENDS_AFTER.plusSeconds(1).toNanos());
            timed.knock(null, 2, RequestBody.of("{}".getBytes(StandardCharsets.UTF_8)));
            assertThat(logs.warnings()).hasSize(2).last().asString().contains("it brought no secret header");
        } finally {
            logs.detach();
        }
        assertThat(metrics.counter("kiebot.webhook.refused", "reason", "unauthorized").count()).isEqualTo(51);
    }

    /**
     * Every reason is a series at 0 from the start (review L68: {@code kiebot_webhook_refused_total} was missing from
     * a fresh bot's /metrics until its first refusal, and Prometheus' increase() sees no rise into a series' first
     * sample: the first spell of posts refused for a rotated secret, the bot deaf, raised no alert).
     */
    @Test
    void everyRefusalReasonIsCountedFromZeroBeforeTheFirstRefusal() {
        assertThat(TelegramWebhookDoor.REFUSAL_REASONS).allSatisfy(reason -> assertThat(
                metrics.find("kiebot.webhook.refused").tag("reason", reason).counter()).as(reason)
                .isNotNull().extracting(c -> c.count()).isEqualTo(0.0));
    }

    @Test
    void withoutTheSecretNoByteIsRead() {
        assertThat(door.knock(null, -1, endless)).isEqualTo(new HttpAnswer(401, "unauthorized"));
        assertThat(door.knock(SECRET + "x", -1, endless).status()).isEqualTo(401);
        assertThat(read).hasValue(0);
    }

    /**
     * A forged successful_payment for an invoice the attacker was issued would credit him without a Star paid: only
     * the exact secret opens the door, not one in another case, a part of it, it with more after it, or an empty one.
     */
    @Test
    void aSecretThatIsAlmostTheOneRecordsNoForgedPayment() {
        String forged = "{\"update_id\":8,\"message\":{\"message_id\":1,\"date\":" + DATE + ",\"chat\":{\"id\":5,"
                + "\"type\":\"private\"},\"from\":{\"id\":5,\"is_bot\":false,\"first_name\":\"A\"},"
                + "\"successful_payment\":{\"currency\":\"XTR\",\"total_amount\":50,\"invoice_payload\":\"topup:x\","
                + "\"telegram_payment_charge_id\":\"forged\",\"provider_payment_charge_id\":\"\"}}}";
        for (String almost : new String[] {SECRET.toUpperCase(java.util.Locale.ROOT), SECRET.substring(1),
                SECRET.substring(0, SECRET.length() - 1), SECRET + SECRET, "", " " + SECRET + "\u200b"}) {
            assertThat(door.knock(almost, forged.length(), RequestBody.of(forged.getBytes(StandardCharsets.UTF_8))))
                    .as(almost).isEqualTo(new HttpAnswer(401, "unauthorized"));
        }
        assertThat(store.oldestPending()).as("nothing recorded").isEmpty();
        // the same body with the secret itself is taken: it was the secret alone that kept it out
        assertThat(door.knock(SECRET, forged.length(), RequestBody.of(forged.getBytes(StandardCharsets.UTF_8)))
                .status()).isEqualTo(200);
        assertThat(store.oldestPending()).as("recorded").isPresent();
    }

    @Test
    void aBodyWithoutADeclaredLengthIsReadNoFurtherThanTheLimit() {
        assertThat(door.knock(SECRET, -1, endless)).isEqualTo(new HttpAnswer(413, "too_large"));
        assertThat(read).hasValue(MAX + 1);
        assertThat(metrics.counter("kiebot.webhook.refused", "reason", "too_large").count()).isEqualTo(1);
        assertThat(store.oldestPending()).as("nothing recorded").isEmpty();
        // one within the limit, with no length declared either, is recorded
        String update = "{\"update_id\":7,\"message\":{\"message_id\":1,\"date\":" + DATE + ",\"chat\":{\"id\":5,\"type\":\"private\"},"
                + "\"from\":{\"id\":5,\"is_bot\":false,\"first_name\":\"A\"},\"text\":\"hi\"}}";
        assertThat(door.knock(SECRET, -1, RequestBody.of(update.getBytes(StandardCharsets.UTF_8))).status())
                .isEqualTo(200);
        assertThat(store.oldestPending()).as("recorded").isPresent();
    }

    /**
     * A captured update posted again with the secret once the inbox forgot its id ({@code Upkeep.UPDATE_RETENTION}) was
     * new again and handled a second time: dated before core's {@link ReplayHorizon} it is refused and not recorded,
     * with one WARN naming it and its chat masked, whether posted or polled; one dated within is recorded.
     */
    @Test
    void anUpdateDatedBeforeTheReplayHorizonIsRefusedNotRecorded() {
        java.time.Instant horizon = clock.instant().minus(ReplayHorizon.AGE);
        String old = message(21, horizon.minusSeconds(1).getEpochSecond());
        String edited = "{\"update_id\":22,\"edited_message\":{\"message_id\":1,\"date\":" + DATE + ",\"edit_date\":"
                + horizon.minusSeconds(1).getEpochSecond() + ",\"chat\":{\"id\":5550001,\"type\":\"private\"},"
                + "\"from\":{\"id\":5550001,\"is_bot\":false,\"first_name\":\"A\"},\"text\":\"hi\"}}";
        LogCapture logs = LogCapture.attach();
        try {
            assertThat(door.knock(SECRET, -1, RequestBody.of(old.getBytes(StandardCharsets.UTF_8))))
                    .isEqualTo(new HttpAnswer(200, "ok"));
            assertThat(logs.warnings()).singleElement().asString().contains("update 21 refused, not recorded",
                    "chat ***0001").doesNotContain("5550001");
            assertThat(new UpdateInbox(store, clock, metrics).recordAll(java.util.List.of(edited,
                    message(23, horizon.plusSeconds(60).getEpochSecond())))).containsExactly(
                    UpdateInbox.Outcome.REFUSED, UpdateInbox.Outcome.RECORDED);
        } finally {
            logs.detach();
        }
        assertThat(store.record(21, 5_550_001, "{}", clock.instant())).as("21 was not recorded").isTrue();
        assertThat(store.record(22, 5_550_001, "{}", clock.instant())).as("22 was not recorded").isTrue();
        assertThat(store.record(23, 5_550_001, "{}", clock.instant())).as("23 was").isFalse();
        assertThat(metrics.counter("kiebot.updates", "outcome", "refused").count()).isEqualTo(2);
    }

    private static String message(long updateId, long date) {
        return "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":1,\"date\":" + date
                + ",\"chat\":{\"id\":5550001,\"type\":\"private\"},\"from\":{\"id\":5550001,\"is_bot\":false,"
                + "\"first_name\":\"A\"},\"text\":\"hi\"}}";
    }
}
