package dev.kiebot.core.reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A partner makes a message of their own for {@code shop.outbox().send}: a null is refused there, saying what to give. */
class ReplyTest {
    @Test
    void aTextOfYourOwnWithoutItsFieldsSaysWhatToGive() {
        assertThatThrownBy(() -> new Reply.SendText(7, "hi", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("keyboard, Keyboard.NONE");
        assertThatThrownBy(() -> new Reply.SendText(7, null, Keyboard.NONE))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("text, the message");
        assertThat(new Reply.SendText(7, "hi", Keyboard.NONE).topic()).isEmpty();
    }

    @Test
    void aButtonOrKeyboardOfYourOwnWithANullSaysWhatToGive() {
        assertThatThrownBy(() -> Button.callback(null, "x"))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("text, the label");
        assertThatThrownBy(() -> new Button("Open", null, java.util.Optional.of("https://example.com")))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("data, Optional.empty()");
        assertThatThrownBy(() -> new Keyboard(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Keyboard.NONE");
    }
}
