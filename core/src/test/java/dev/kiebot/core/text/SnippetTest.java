package dev.kiebot.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SnippetTest {
    @Test
    void aTextThatFitsIsKeptAsItIs() {
        assertThat(Snippet.of("рыжая лиса", 10)).isEqualTo("рыжая лиса");
    }

    @Test
    void aLongerTextKeepsItsStartAndAnEllipsisWithinTheLimit() {
        assertThat(Snippet.of("рыжая лиса в снегу", 10)).isEqualTo("рыжая лис…").hasSize(10);
    }

    @Test
    void noSpaceIsLeftBeforeTheEllipsis() {
        assertThat(Snippet.of("рыжая лиса", 7)).isEqualTo("рыжая…");
    }

    /** "🦊" is two chars: cutting between them would leave half an emoji, which Telegram shows as a broken glyph. */
    @Test
    void anEmojiIsNeverCutInHalf() {
        String s = Snippet.of("лиса 🦊🦊", 7);
        assertThat(s).isEqualTo("лиса…");
        assertThat(Snippet.of("🦊🦊🦊", 4)).isEqualTo("🦊…");
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> Snippet.of("x", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
