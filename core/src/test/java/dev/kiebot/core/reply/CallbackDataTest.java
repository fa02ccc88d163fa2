package dev.kiebot.core.reply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ChatStateCodec;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.catalog.Catalog;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CallbackDataTest {
    @Test
    void roundTrips() {
        assertThat(CallbackData.parse(CallbackData.current(12, "o", "3")))
                .contains(new CallbackData(java.util.Optional.of(12L), "o", "3"));
        CallbackData e = CallbackData.parse(CallbackData.evergreen("v", "kling/v2-5-turbo-image-to-video-pro")).orElseThrow();
        assertThat(e.isEvergreen()).isTrue();
        assertThat(e.arg()).isEqualTo("kling/v2-5-turbo-image-to-video-pro");
    }

    @Test
    void theLongestModelIdFitsIn64Bytes() {
        String id = "m".repeat(Catalog.MAX_MODEL_ID_LENGTH);
        assertThat(CallbackData.evergreen("v", id).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64);
        assertThatThrownBy(() -> CallbackData.evergreen("v", "m".repeat(70))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void garbageIsEmpty() {
        for (String bad : new String[] {null, "", "|", "x|y", "12", "-1|m", "*|", "é".repeat(40)}) {
            assertThat(CallbackData.parse(bad)).as(String.valueOf(bad)).isEmpty();
        }
        // well formed but longer than any button's data can be: a bad client's, not ours
        assertThat(CallbackData.parse("*|m|" + "x".repeat(60))).isPresent();
        assertThat(CallbackData.parse("*|m|" + "x".repeat(61))).isEmpty();
    }

    @Test
    void unreadableStoredStateStartsOver() {
        assertThat(ChatStateCodec.decode("garbage")).isEmpty();
        assertThat(ChatStateCodec.decode("3;collecting;model=x")).isEmpty();
        assertThat(ChatStateCodec.decode("3;browsing;category=FOOD&page=1")).isEmpty();
    }
}
