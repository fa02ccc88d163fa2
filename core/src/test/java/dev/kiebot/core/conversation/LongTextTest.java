package dev.kiebot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The rule that tells the next part of a text a client split from a message of its own (see {@link LongText}). */
class LongTextTest {
    private static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");

    private static LongText part(int length) {
        return new LongText(10, AT, length, LongText.Use.FIELD, "prompt", length);
    }

    /** Past half of what a message holds, in UTF-16 code units as Telegram counts: a flag is two. */
    @Test
    void aTextPastHalfAMessageMayBeAFirstPart() {
        assertThat(LongText.mayBeFirstPart("a".repeat(2048))).isFalse();
        assertThat(LongText.mayBeFirstPart("a".repeat(2049))).isTrue();
        assertThat(LongText.mayBeFirstPart("🇷🇺".repeat(513))).isTrue();
    }

    /** A later message of the chat, sent in the same second or up to 3 s after; never an earlier or the same one. */
    @Test
    void theNextPartIsALaterMessageWithinTheWindow() {
        LongText first = part(4096);
        assertThat(first.continuedBy(11, AT)).isTrue();
        assertThat(first.continuedBy(13, AT.plusSeconds(3))).isTrue();
        assertThat(first.continuedBy(11, AT.plusSeconds(4))).isFalse();
        assertThat(first.continuedBy(10, AT)).isFalse();
        assertThat(first.continuedBy(9, AT)).isFalse();
        assertThat(first.continuedBy(11, AT.minusSeconds(1))).isFalse();
    }

    /** Cut at the limit, inside a word: joined as is; cut shorter, at a break Telegram dropped: on a new line. */
    @Test
    void aPartCutAtTheLimitIsJoinedAsIsOneCutAtABreakOnANewLine() {
        assertThat(part(4096).join("сло", "во")).isEqualTo("слово");
        assertThat(part(3900).join("конец абзаца.", "Новый")).isEqualTo("конец абзаца.\nНовый");
    }

    /**
     * A session stored while only the menu kept a text nothing asked for ({@code MENU}, the name of that use then) is
     * read with its long text, as the use that is the menu's and every other screen's now; a use the codec does not
     * know leaves the long text out, the state kept.
     */
    @Test
    void aSessionStoredWithTheMenusUseIsReadAsATextNothingAskedFor() {
        String stored = "7;menu;long.message=100&long.sent=" + AT.toEpochMilli()
                + "&long.part=4096&long.use=MENU&long.name=&long.total=4096";
        assertThat(ChatStateCodec.decode(stored).orElseThrow().longText())
                .hasValue(new LongText(100, AT, 4096, LongText.Use.NOT_ASKED, "", 4096));
        ChatSession unknown = ChatStateCodec.decode(stored.replace("MENU", "SOMETHING")).orElseThrow();
        assertThat(unknown.longText()).isEmpty();
        assertThat(unknown.state()).isInstanceOf(ChatState.Menu.class);
        ChatSession now = new ChatSession(7, new ChatState.Menu()).withLongText(ChatStateCodec.decode(stored)
                .orElseThrow().longText());
        assertThat(ChatStateCodec.decode(ChatStateCodec.encode(now))).hasValue(now);
    }
}
