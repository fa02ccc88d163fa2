package dev.kiebot.core.reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A partner's messenger builds these. */
class DeliveryTest {
    /**
     * The message went out: an answer that threw would be taken for the shop's failure and the message sent again,
     * and a null message id failed the settling of the send instead.
     */
    @Test
    void aSentWithNullsReadsAsNone() {
        Delivery.Sent sent = new Delivery.Sent(null, null);

        assertThat(sent.messageId()).isEmpty();
        assertThat(((Delivery) sent).messageId()).isEmpty();
        assertThat(sent.fileIds()).isEmpty();
    }

    @Test
    void aDeferredWithoutItsFieldsSaysWhatToGive() {
        assertThatThrownBy(() -> new Delivery.Deferred(null, "429"))
                .hasMessageContaining("retryIn, how long to wait");
        assertThatThrownBy(() -> new Delivery.Deferred(java.time.Duration.ZERO, "429", null))
                .hasMessageContaining("rest, Optional.empty()");
        assertThat(new Delivery.Deferred(java.time.Duration.ZERO, "429").rest()).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> new Delivery.Deferred(java.time.Duration.ZERO, "429", Optional.empty(), null))
                .hasMessageContaining("cause, Cause.PACE when the platform asked to wait");
    }

    /**
     * A partner's messenger built before the cause existed keeps its meaning (the platform's trouble: warned of);
     * one that marks a 429 as the platform's pace says so with one call.
     */
    @Test
    void aDeferredIsThePlatformsTroubleUnlessMarkedAsItsPace() {
        java.time.Duration wait = java.time.Duration.ofSeconds(30);
        assertThat(new Delivery.Deferred(wait, "unreachable").cause()).isEqualTo(Delivery.Deferred.Cause.TROUBLE);
        assertThat(new Delivery.Deferred(wait, "unreachable", Optional.empty()).cause())
                .isEqualTo(Delivery.Deferred.Cause.TROUBLE);
        assertThat(Delivery.Deferred.pacedByPlatform(wait, "429"))
                .isEqualTo(new Delivery.Deferred(wait, "429", Optional.empty(), Delivery.Deferred.Cause.PACE));
    }

    /** A null reason reached the shop's log as "null", and a partner's messenger learned nothing of what to give. */
    @Test
    void aFailedOrUncertainWithoutAReasonSaysWhatToGive() {
        assertThatThrownBy(() -> new Delivery.Failed(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Delivery.Failed: reason")
                .hasMessageContaining("class name");
        assertThatThrownBy(() -> new Delivery.Uncertain(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("Delivery.Uncertain: reason");
    }
}
