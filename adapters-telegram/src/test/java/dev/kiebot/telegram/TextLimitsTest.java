package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextLimitsTest {
    @Test
    void shortTextsAreUntouched() {
        assertThat(TextLimits.split("hello", 10)).containsExactly("hello");
        assertThat(TextLimits.truncate("hello", 5)).isEqualTo("hello");
        assertThat(TextLimits.split("", 10)).isEmpty();
        assertThat(TextLimits.truncate(null, 10)).isEmpty();
    }

    @Test
    void splitsPreferLineBreaksThenSpaces() {
        assertThat(TextLimits.split("aaaa bbbb\ncccc dddd", 12)).containsExactly("aaaa bbbb", "cccc dddd");
        assertThat(TextLimits.split("aaaa bbbb cccc dddd", 12)).containsExactly("aaaa bbbb", "cccc dddd");
        assertThat(TextLimits.split("abcdefghijklmnop", 5)).containsExactly("abcde", "fghij", "klmno", "p");
    }

    @Test
    void neverSplitsASurrogatePair() {
        String emoji = "😀"; // two UTF-16 units
        String text = "a" + emoji.repeat(5);
        List<String> parts = TextLimits.split(text, 4);
        assertThat(String.join("", parts)).isEqualTo(text);
        assertThat(parts).allSatisfy(p -> {
            assertThat(p.length()).isLessThanOrEqualTo(4);
            assertThat(Character.isLowSurrogate(p.charAt(0))).isFalse();
            assertThat(Character.isHighSurrogate(p.charAt(p.length() - 1))).isFalse();
        });
        String cut = TextLimits.truncate("ab" + emoji + "cd", 4);
        assertThat(cut).isEqualTo("ab…");
    }

    @Test
    void truncateEndsWithAnEllipsisAndRespectsTheLimit() {
        assertThat(TextLimits.truncate("abcdefgh", 5)).isEqualTo("abcd…").hasSize(5);
    }

    @Test
    void redactionRemovesTokensAndBotPaths() {
        String token = "123456:AAHsecretsecretsecret";
        assertThat(Redaction.redact("GET https://api.telegram.org/bot123456:AAHsecretsecretsecret/getMe", token))
                .isEqualTo("GET https://api.telegram.org/bot<token>/getMe");
        assertThat(Redaction.redact("half AAHsecretsecretsecret here", token)).isEqualTo("half <token> here");
        assertThat(Redaction.redact("http://h/file/bot987:AAx_y-z/documents/a.bin", null)).isEqualTo("http://h/file/bot<token>/documents/a.bin");
        assertThat(Redaction.redact("https://cdn.example.org/bottles/a.png", null)).isEqualTo("https://cdn.example.org/bottles/a.png");
        assertThat(Redaction.describe(new RuntimeException(new java.io.IOException("at /bot1:zz/x")), "1:zz"))
                .isEqualTo("IOException: at /bot<token>/x");
        assertThat(Redaction.describe(new IllegalStateException(), "t")).isEqualTo("IllegalStateException");
    }
}
