package dev.kiebot.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskStatusTest {
    /**
     * A partner's provider answering a done task with no URL as a success had the user charged and handed nothing:
     * the shop completes every {@code Succeeded}. Such an answer is {@code ResultMissing}, read again, then refunded.
     */
    @Test
    void aSuccessWithoutResultUrlsCannotBeMadeAndSaysWhatToReturn() {
        assertThatThrownBy(() -> new TaskStatus.Succeeded(new JobResult(List.of(), MediaKind.PHOTO)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TaskStatus.ResultMissing");
        assertThatThrownBy(() -> new TaskStatus.Succeeded(null)).isInstanceOf(NullPointerException.class);
        assertThat(new TaskStatus.Succeeded(new JobResult(List.of("https://r/1.png"), MediaKind.PHOTO)).isFinal())
                .isTrue();
    }
}
