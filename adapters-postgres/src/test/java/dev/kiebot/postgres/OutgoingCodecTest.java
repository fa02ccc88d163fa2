package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.reply.Activity;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A chat action's row in the outbox across the change of {@code Reply.ChatAction}'s Telegram word to an
 * {@link Activity}: a row the build before it queued is read after the upgrade, and a row queued now is read by an
 * instance of that build still serving the outbox during a deploy. (Every kind round-trips: QueuesContract.)
 */
class OutgoingCodecTest {
    /** What the build before Activity stored, and what each is now. */
    private static final Map<String, Activity> EARLIER = Map.of("upload_photo", Activity.UPLOADING_PHOTO,
            "upload_video", Activity.UPLOADING_VIDEO, "upload_voice", Activity.UPLOADING_AUDIO,
            "upload_document", Activity.UPLOADING_DOCUMENT);

    @Test
    void aChatActionQueuedByTheBuildBeforeActivityIsReadAsItsActivity() {
        EARLIER.forEach((word, activity) -> assertThat(OutgoingCodec.decode(
                "{\"reply\":{\"type\":\"ChatAction\",\"chat\":42,\"action\":\"" + word + "\"},"
                        + "\"follow\":{\"type\":\"Nothing\"}}"))
                .as(word).isEqualTo(Outgoing.plain(new Reply.ChatAction(42, activity))));
    }

    @Test
    void aChatActionQueuedNowKeepsTheWordTheBuildBeforeReads() throws Exception {
        for (Activity activity : Activity.values()) {
            Outgoing queued = Outgoing.plain(new Reply.ChatAction(42, activity));
            String body = OutgoingCodec.encode(queued);
            JsonNode reply = new ObjectMapper().readTree(body).get("reply");
            assertThat(EARLIER.get(reply.get("action").asText())).as(body).isEqualTo(activity);
            assertThat(OutgoingCodec.decode(body)).isEqualTo(queued);
        }
    }

    /**
     * A history re-send's follow-up (new in this build) is written in the form the build before reads, a plain
     * {@code Nothing}, with the job and URL beside it: that build sends the file as it always did rather than passing
     * over the chat, and this one reads it back whole.
     */
    @Test
    void aSentAgainFollowIsWrittenAsTheBuildBeforesNothingWithItsJobBeside() throws Exception {
        for (Optional<String> url : List.of(Optional.of("https://r/fox.png"), Optional.<String>empty())) {
            Outgoing queued = new Outgoing(new Reply.SendText(42, "t", Keyboard.NONE, Optional.empty()),
                    new Outgoing.Follow.SentAgain(new JobId(7), url));
            String body = OutgoingCodec.encode(queued);
            assertThat(new ObjectMapper().readTree(body).get("follow").get("type").asText()).as(body)
                    .isEqualTo("Nothing");
            assertThat(OutgoingCodec.decode(body)).isEqualTo(queued);
        }
    }

    /**
     * What a newer build may add, each read as a kind this build does not know (so the claim gives the chat back for
     * a while, PgPendingReplies.UNREADABLE_RETRY, and names the kind in its warning), not as any other failure.
     */
    @Test
    void aKindANewerBuildAddedIsUnknownToThisOneByName() {
        String nothing = "\"follow\":{\"type\":\"Nothing\"}}";
        assertThatThrownBy(() -> OutgoingCodec.decode("{\"reply\":{\"type\":\"Poll\",\"chat\":42}," + nothing))
                .isInstanceOf(UnknownOutboxKind.class).hasMessage("unknown reply type \"Poll\"");
        assertThatThrownBy(() -> OutgoingCodec.decode("{\"reply\":{\"type\":\"ChatAction\",\"chat\":42,"
                + "\"activity\":\"CHOOSING_STICKER\",\"action\":null}," + nothing))
                .isInstanceOf(UnknownOutboxKind.class).hasMessage("unknown activity CHOOSING_STICKER");
        assertThatThrownBy(() -> OutgoingCodec.decode("{\"reply\":{\"type\":\"SendMedia\",\"chat\":42,"
                + "\"kind\":\"HOLOGRAM\",\"source\":\"x\",\"caption\":\"\",\"keyboard\":[]}," + nothing))
                .isInstanceOf(UnknownOutboxKind.class).hasMessage("unknown media kind HOLOGRAM");
        assertThatThrownBy(() -> OutgoingCodec.decode("{\"reply\":{\"type\":\"ChatAction\",\"chat\":42,"
                + "\"action\":\"choose_sticker\"}," + nothing))
                .isInstanceOf(UnknownOutboxKind.class).hasMessage("unknown chat action choose_sticker");
        assertThatThrownBy(() -> OutgoingCodec.decode("{\"reply\":{\"type\":\"SendText\",\"chat\":42,"
                + "\"text\":\"t\",\"keyboard\":[]},\"follow\":{\"type\":\"Reaction\"}}"))
                .isInstanceOf(UnknownOutboxKind.class).hasMessage("unknown follow-up type \"Reaction\"");
    }

    /**
     * Any reply of every kind, with any follow-up, read back as it was queued: random labels (any UTF-16 unit a
     * string may hold short of a lone surrogate, quotes and escapes among them), keyboards of 0-5 rows, present and
     * absent options, seeded so a failure repeats; read as encoded and with its keys in jsonb's order.
     */
    @Test
    void anyReplyRoundTrips() throws Exception {
        for (long seed = 0; seed < 2_000; seed++) {
            Random random = new Random(seed);
            Outgoing queued = new Outgoing(anyReply(random), anyFollow(random));
            String body = OutgoingCodec.encode(queued);
            assertThat(OutgoingCodec.decode(body)).as("seed %d: %s", seed, body).isEqualTo(queued);
            String stored = asJsonbKeepsIt(body);
            assertThat(OutgoingCodec.decode(stored)).as("seed %d, as jsonb gives it back: %s", seed, stored)
                    .isEqualTo(queued);
        }
    }

    /**
     * A body as PostgreSQL's jsonb gives it back: each object's keys shortest first, then by their bytes (so a
     * reply's "chat" and "text" come before its "type"), which is how every row is read.
     */
    private static String asJsonbKeepsIt(String body) throws Exception {
        return jsonbOrder(new ObjectMapper().readTree(body)).toString();
    }

    private static JsonNode jsonbOrder(JsonNode node) {
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory
                    .instance.arrayNode();
            node.forEach(element -> out.add(jsonbOrder(element)));
            return out;
        }
        if (!node.isObject()) {
            return node;
        }
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        names.sort(java.util.Comparator.comparingInt((String name) -> name.getBytes(
                java.nio.charset.StandardCharsets.UTF_8).length).thenComparing(java.util.Comparator.naturalOrder()));
        com.fasterxml.jackson.databind.node.ObjectNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode();
        names.forEach(name -> out.set(name, jsonbOrder(node.get(name))));
        return out;
    }

    private static Reply anyReply(Random random) {
        long chat = random.nextBoolean() ? random.nextLong() : random.nextInt(1_000);
        return switch (random.nextInt(8)) {
            case 0 -> new Reply.SendText(chat, anyText(random), anyKeyboard(random),
                    random.nextBoolean() ? Optional.of(random.nextLong()) : Optional.empty());
            case 1 -> new Reply.EditText(chat, random.nextInt(1 << 30), anyText(random), anyKeyboard(random));
            case 2 -> new Reply.SendMedia(chat, anyOf(random, MediaKind.values()), anyText(random), anyText(random),
                    anyKeyboard(random), random.nextBoolean() ? Optional.of(anyText(random)) : Optional.empty());
            case 3 -> {
                byte[] content = new byte[random.nextInt(40)];
                random.nextBytes(content);
                yield new Reply.UploadMedia(chat, anyOf(random, MediaKind.values()), content, anyText(random),
                        anyText(random), anyKeyboard(random));
            }
            case 4 -> new Reply.SendInvoice(chat, anyText(random), anyText(random), anyText(random),
                    1 + random.nextInt(100_000));
            case 5 -> new Reply.ChatAction(chat, anyOf(random, Activity.values()));
            case 6 -> new Reply.AnswerCallback(chat, anyText(random),
                    random.nextBoolean() ? Optional.of(anyText(random)) : Optional.empty(), random.nextBoolean());
            default -> new Reply.AnswerPreCheckout(chat, anyText(random), random.nextBoolean(),
                    random.nextBoolean() ? Optional.of(anyText(random)) : Optional.empty());
        };
    }

    private static Outgoing.Follow anyFollow(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> new Outgoing.Follow.Nothing();
            case 1 -> new Outgoing.Follow.JobStatus(new JobId(1 + (random.nextLong() >>> 2)));
            case 2 -> new Outgoing.Follow.JobResult(new JobId(random.nextInt(1_000_000)), anyReply(random));
            case 3 -> new Outgoing.Follow.Tagged(anyText(random));
            default -> new Outgoing.Follow.SentAgain(new JobId(random.nextInt(1_000_000)),
                    random.nextBoolean() ? Optional.of(anyText(random)) : Optional.empty());
        };
    }

    private static Keyboard anyKeyboard(Random random) {
        List<List<Button>> rows = new ArrayList<>();
        for (int r = random.nextInt(6); r > 0; r--) {
            List<Button> row = new ArrayList<>();
            for (int b = 1 + random.nextInt(3); b > 0; b--) {
                row.add(random.nextBoolean() ? Button.callback(anyText(random), "d" + random.nextInt(1_000))
                        : Button.link(anyText(random), "https://t.me/" + random.nextInt(1_000)));
            }
            rows.add(row);
        }
        return rows.isEmpty() && random.nextBoolean() ? Keyboard.NONE : new Keyboard(rows);
    }

    /** A string of 0-12 characters: letters, Cyrillic, quotes, backslashes, controls, emoji (a whole pair). */
    private static String anyText(Random random) {
        String[] pieces = {"a", "Я", "\"", "\\", "/", "\n", "\t", "\u0000", "\u001f", "🦊", "null", " ", "{", "]", "ё"};
        StringBuilder text = new StringBuilder();
        for (int n = random.nextInt(13); n > 0; n--) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }

    private static <T> T anyOf(Random random, T[] values) {
        return values[random.nextInt(values.length)];
    }
}
