package dev.kiebot.core.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ChatPacingTest {
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    /** An outbox takes a turn further ahead than the longest interval for one set before the clock stepped back. */
    @Test
    void noIntervalLongerThanTheLongest() {
        assertThat(new ChatPacing(ChatPacing.INTERVAL_MAX, 1).afterSending(TokenBucket.full(1, T0), T0).dueAt())
                .isEqualTo(T0.plus(ChatPacing.INTERVAL_MAX));
        assertThatThrownBy(() -> new ChatPacing(ChatPacing.INTERVAL_MAX.plusMillis(1), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT1M");
    }

    @Test
    void aBurstGoesAtOnceThenOneAnInterval() {
        ChatPacing pacing = ChatPacing.telegramDefaults();
        TokenBucket bucket = pacing.fresh(T0);
        Instant[] due = new Instant[5];
        Instant at = T0;
        for (int i = 0; i < 5; i++) {
            ChatPacing.Paced p = pacing.afterSending(bucket, at);
            bucket = p.bucket();
            due[i] = p.dueAt();
            at = p.dueAt().isAfter(at) ? p.dueAt() : at;
        }
        assertThat(due[0]).isEqualTo(T0);
        assertThat(due[1]).isEqualTo(T0);
        assertThat(due[2]).as("the third of the burst: the next one waits a second").isEqualTo(T0.plusSeconds(1));
        assertThat(due[3]).isEqualTo(T0.plusSeconds(2));
        assertThat(due[4]).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void aQuietChatGetsItsBurstBack() {
        ChatPacing pacing = new ChatPacing(Duration.ofSeconds(1), 3);
        TokenBucket bucket = pacing.fresh(T0);
        for (int i = 0; i < 3; i++) {
            bucket = pacing.afterSending(bucket, T0).bucket();
        }
        ChatPacing.Paced later = pacing.afterSending(bucket, T0.plusSeconds(60));
        assertThat(later.dueAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(later.bucket().tokens()).isEqualTo(2.0);
    }

    @Test
    void noIntervalMeansNoPacing() {
        ChatPacing off = new ChatPacing(Duration.ZERO, 1);
        TokenBucket b = off.fresh(T0);
        for (int i = 0; i < 100; i++) {
            ChatPacing.Paced p = off.afterSending(b, T0);
            assertThat(p.dueAt()).isEqualTo(T0);
            b = p.bucket();
        }
    }

    /**
     * A chat action («uploading a photo…») is not a message: the message after it goes at once, where two messages
     * keep their interval. Before, the action took a turn and the result behind it waited a second.
     */
    @Test
    void aChatActionTakesNoTurnTwoMessagesKeepTheirInterval() {
        ChatPacing pacing = new ChatPacing(Duration.ofSeconds(1), 1);
        ChatPacing.Paced action = pacing.afterAction(pacing.fresh(T0), T0);
        assertThat(action.dueAt()).as("the message after the action").isEqualTo(T0);
        ChatPacing.Paced message = pacing.afterSending(action.bucket(), T0);
        assertThat(message.dueAt()).as("the message after that message").isEqualTo(T0.plusSeconds(1));

        ChatPacing.Paced actionWhileWaiting = pacing.afterAction(message.bucket(), T0);
        assertThat(actionWhileWaiting.dueAt()).as("an action moves no message's turn, earlier or later")
                .isEqualTo(T0.plusSeconds(1));
        assertThat(pacing.afterSending(actionWhileWaiting.bucket(), T0.plusSeconds(1)).dueAt())
                .isEqualTo(T0.plusSeconds(2));
        assertThat(new ChatPacing(Duration.ZERO, 1).afterAction(pacing.fresh(T0), T0).dueAt()).isEqualTo(T0);
    }
}
