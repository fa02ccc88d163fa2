package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.reply.Activity;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
}
