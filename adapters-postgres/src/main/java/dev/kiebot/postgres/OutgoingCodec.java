package dev.kiebot.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/**
 * A queued reply as JSON for the outbox's {@code body} column: {@code {"reply": {...}, "follow": {...}}}, each
 * with a {@code "type"}. Written and read only here; every kind round-trips (QueuesContract).
 */
final class OutgoingCodec {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A chat action as the build before {@link Activity} stored it: Telegram's word, all that build knew. */
    private static final Map<Activity, String> EARLIER_WORDS = Map.of(Activity.UPLOADING_PHOTO, "upload_photo",
            Activity.UPLOADING_VIDEO, "upload_video", Activity.UPLOADING_AUDIO, "upload_voice",
            Activity.UPLOADING_DOCUMENT, "upload_document");

    private OutgoingCodec() {
    }

    static String encode(Outgoing o) {
        ObjectNode root = JSON.createObjectNode();
        root.set("reply", reply(o.reply()));
        root.set("follow", follow(o.follow()));
        return root.toString();
    }

    /**
     * What every body holding a result of {@code job} contains (jsonb {@code @>}): its follow's type and job, as
     * {@link #encode} writes them, so the outbox is asked about a job's result without a body read back.
     */
    static String resultOf(JobId job) {
        ObjectNode follow = JSON.createObjectNode();
        follow.put("type", Outgoing.Follow.JobResult.class.getSimpleName()).put("job", job.value());
        ObjectNode root = JSON.createObjectNode();
        root.set("follow", follow);
        return root.toString();
    }

    /**
     * @throws UnknownOutboxKind when the body names a kind this build does not know (a newer build's, in a deploy)
     */
    static Outgoing decode(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            return new Outgoing(reply(root.get("reply")), follow(root.get("follow")));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable outbox body", e);
        }
    }

    private static ObjectNode reply(Reply r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", r.getClass().getSimpleName());
        n.put("chat", r.chatId());
        if (r instanceof Reply.SendText t) {
            n.put("text", t.text()).set("keyboard", keyboard(t.keyboard()));
            t.topic().ifPresent(topic -> n.put("topic", topic));
        } else if (r instanceof Reply.EditText e) {
            n.put("message", e.messageId()).put("text", e.text()).set("keyboard", keyboard(e.keyboard()));
        } else if (r instanceof Reply.SendMedia m) {
            n.put("kind", m.kind().name()).put("source", m.source()).put("caption", m.caption())
                    .set("keyboard", keyboard(m.keyboard()));
            m.tooLarge().ifPresent(t -> n.put("tooLarge", t));
        } else if (r instanceof Reply.UploadMedia u) {
            n.put("kind", u.kind().name()).put("content", java.util.Base64.getEncoder().encodeToString(u.content()))
                    .put("fileName", u.fileName()).put("caption", u.caption()).set("keyboard", keyboard(u.keyboard()));
        } else if (r instanceof Reply.SendInvoice i) {
            n.put("title", i.title()).put("description", i.description()).put("payload", i.payload())
                    .put("stars", i.stars());
        } else if (r instanceof Reply.ChatAction a) {
            // with the word an instance of the build before Activity reads, while both serve the outbox in a deploy
            n.put("activity", a.activity().name()).put("action", EARLIER_WORDS.get(a.activity()));
        } else if (r instanceof Reply.AnswerCallback a) {
            n.put("query", a.queryId()).put("alert", a.alert());
            a.text().ifPresent(t -> n.put("text", t));
        } else if (r instanceof Reply.AnswerPreCheckout p) {
            n.put("query", p.queryId()).put("ok", p.ok());
            p.error().ifPresent(t -> n.put("error", t));
        } else {
            throw new IllegalStateException("no outbox form for " + r.getClass().getSimpleName() + ": add it here");
        }
        return n;
    }

    private static Reply reply(JsonNode n) {
        long chat = n.get("chat").asLong();
        return switch (n.get("type").asText()) {
            // "topic" is absent from the rows queued before forum topics were carried
            case "SendText" -> new Reply.SendText(chat, n.get("text").asText(), keyboard(n.get("keyboard")),
                    n.hasNonNull("topic") ? Optional.of(n.get("topic").asLong()) : Optional.empty());
            case "EditText" -> new Reply.EditText(chat, n.get("message").asLong(), n.get("text").asText(),
                    keyboard(n.get("keyboard")));
            case "SendMedia" -> new Reply.SendMedia(chat, mediaKind(n),
                    n.get("source").asText(), n.get("caption").asText(), keyboard(n.get("keyboard")),
                    text(n, "tooLarge"));
            case "UploadMedia" -> new Reply.UploadMedia(chat, mediaKind(n),
                    java.util.Base64.getDecoder().decode(n.get("content").asText()), n.get("fileName").asText(),
                    n.get("caption").asText(), keyboard(n.get("keyboard")));
            case "SendInvoice" -> new Reply.SendInvoice(chat, n.get("title").asText(), n.get("description").asText(),
                    n.get("payload").asText(), n.get("stars").asLong());
            case "ChatAction" -> new Reply.ChatAction(chat, activity(n));
            case "AnswerCallback" -> new Reply.AnswerCallback(chat, n.get("query").asText(), text(n, "text"),
                    n.get("alert").asBoolean());
            case "AnswerPreCheckout" -> new Reply.AnswerPreCheckout(chat, n.get("query").asText(),
                    n.get("ok").asBoolean(), text(n, "error"));
            default -> throw new UnknownOutboxKind("reply type", String.valueOf(n.get("type")));
        };
    }

    /**
     * A chat action's activity: its name, or, in a row queued by a build before {@link Activity} (0.1.0's
     * development), the word that build stored (Telegram's).
     */
    private static Activity activity(JsonNode n) {
        if (n.hasNonNull("activity")) {
            return known(Activity.class, "activity", n.get("activity").asText());
        }
        String action = n.get("action").asText();
        return EARLIER_WORDS.entrySet().stream().filter(e -> e.getValue().equals(action)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new UnknownOutboxKind("chat action", action));
    }

    private static MediaKind mediaKind(JsonNode n) {
        return known(MediaKind.class, "media kind", n.get("kind").asText());
    }

    /** {@code name} as a constant of {@code type}; one a newer build added is a kind this build does not know. */
    private static <E extends Enum<E>> E known(Class<E> type, String what, String name) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new UnknownOutboxKind(what, name);
        }
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }

    private static ArrayNode keyboard(Keyboard k) {
        ArrayNode rows = JSON.createArrayNode();
        for (List<Button> row : k.rows()) {
            ArrayNode r = rows.addArray();
            for (Button b : row) {
                ObjectNode bn = r.addObject().put("text", b.text());
                b.data().ifPresent(d -> bn.put("data", d));
                b.url().ifPresent(u -> bn.put("url", u));
            }
        }
        return rows;
    }

    private static Keyboard keyboard(JsonNode rows) {
        List<List<Button>> out = new ArrayList<>();
        for (JsonNode r : rows) {
            List<Button> row = new ArrayList<>();
            for (JsonNode b : r) {
                row.add(new Button(b.get("text").asText(), text(b, "data"), text(b, "url")));
            }
            out.add(row);
        }
        return new Keyboard(out);
    }

    private static ObjectNode follow(Outgoing.Follow f) {
        ObjectNode n = JSON.createObjectNode();
        if (f instanceof Outgoing.Follow.SentAgain a) {
            // the build before SentAgain reads "Nothing" (a re-send as it sent one: a refused file id only warned),
            // so a deploy's old instance or a rolled-back build sends it rather than passing over the chat
            // (ARCHITECTURE.md, "Two builds on one outbox")
            ObjectNode again = n.put("type", "Nothing").putObject("sentAgain").put("job", a.job().value());
            a.url().ifPresent(u -> again.put("url", u));
            return n;
        }
        n.put("type", f.getClass().getSimpleName());
        if (f instanceof Outgoing.Follow.JobStatus s) {
            n.put("job", s.job().value());
        } else if (f instanceof Outgoing.Follow.JobResult r) {
            n.put("job", r.job().value()).set("fallback", reply(r.fallback()));
        } else if (f instanceof Outgoing.Follow.Tagged t) {
            n.put("tag", t.tag());
        }
        return n;
    }

    private static Outgoing.Follow follow(JsonNode n) {
        return switch (n.get("type").asText()) {
            case "Nothing" -> n.has("sentAgain")
                    ? new Outgoing.Follow.SentAgain(new JobId(n.get("sentAgain").get("job").asLong()),
                            text(n.get("sentAgain"), "url"))
                    : new Outgoing.Follow.Nothing();
            case "JobStatus" -> new Outgoing.Follow.JobStatus(new JobId(n.get("job").asLong()));
            case "JobResult" -> new Outgoing.Follow.JobResult(new JobId(n.get("job").asLong()),
                    reply(n.get("fallback")));
            case "Tagged" -> new Outgoing.Follow.Tagged(n.get("tag").asText());
            default -> throw new UnknownOutboxKind("follow-up type", String.valueOf(n.get("type")));
        };
    }
}
