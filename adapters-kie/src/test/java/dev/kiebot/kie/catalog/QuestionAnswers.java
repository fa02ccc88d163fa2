package dev.kiebot.kie.catalog;

import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.MediaType;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import java.util.Optional;

/**
 * A user's answer to each kind of a model's question, as the walks through every model's questions up to the
 * confirmation give it ({@link PhoneRowsTest}, {@link QuestionsInWordsTest}): words, the first option, the default
 * number, a photo, a voice or a video (and ✅ where the field takes more than one file).
 */
final class QuestionAnswers {
    private QuestionAnswers() {
    }

    /**
     * @param question the replies that asked {@code f}
     * @param lang     the language the user writes his words in: {@code ru} or {@code en}
     * @return the shop's replies to the answer
     */
    static List<Reply> answer(ShopHarness h, long user, InputField f, List<Reply> question, String lang) {
        return switch (f.type()) {
            case TEXT -> h.text(user, "ru".equals(lang) ? "кот в шляпе" : "a cat in a hat");
            case ENUM, INT_ENUM, BOOLEAN -> h.press(user, firstOption(question));
            case NUMBER, INTEGER -> h.text(user, f.defaultValue().or(() -> f.min().map(Object::toString)).orElse("1"));
            case IMAGE, IMAGES -> {
                List<Reply> got = h.send(user, new Event.Media(MediaType.PHOTO, "photo-1", 1000, Optional.empty(),
                        Optional.empty()));
                yield f.type() == FieldType.IMAGES && f.fileLimit() > 1 ? h.press(user, ShopHarness.button(got, "✅"))
                        : got;
            }
            case AUDIO -> h.send(user, new Event.Media(MediaType.VOICE, "voice-1", 1000, Optional.of("audio/ogg"),
                    Optional.empty(), 5));
            case VIDEO, VIDEOS -> {
                List<Reply> got = h.send(user, new Event.Media(MediaType.VIDEO, "video-1", 1000,
                        Optional.of("video/mp4"), Optional.empty(), 5));
                yield f.type() == FieldType.VIDEOS && f.fileLimit() > 1 ? h.press(user, ShopHarness.button(got, "✅"))
                        : got;
            }
        };
    }

    /** The keyboard of the last of {@code replies}: none when it is not a text. */
    static Keyboard keyboard(List<Reply> replies) {
        Reply last = replies.get(replies.size() - 1);
        return last instanceof Reply.SendText t ? t.keyboard() : last instanceof Reply.EditText e ? e.keyboard()
                : Keyboard.NONE;
    }

    private static String firstOption(List<Reply> replies) {
        for (Button b : keyboard(replies).buttons()) {
            if (b.data().filter(d -> d.contains("|o|")).isPresent()) {
                return b.data().get();
            }
        }
        throw new AssertionError("no option button in " + replies);
    }
}
