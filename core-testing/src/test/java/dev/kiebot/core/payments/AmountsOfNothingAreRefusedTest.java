package dev.kiebot.core.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What a payment record says moved or is owed is at least the least amount: a Stars refund owed from a running
 * generation's hold, a refund of a partner's payment due, a card top-up asked for (minor units), a Stars transaction
 * read from the platform (Stars). One of nothing is refused when made, so that nothing is kept, sent back or settled
 * for nothing; one of the least is kept.
 */
class AmountsOfNothingAreRefusedTest {
    private static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void aStarsRefundOwedOfNothingIsRefusedAndOfOneMinorUnitIsKept() {
        assertThatThrownBy(() -> new HeldStarsRefund("charge-1", "gen_1", 42, 0, AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amount must be positive");
        assertThat(new HeldStarsRefund("charge-1", "gen_1", 42, 1, AT).amount()).isEqualTo(1);
    }

    @Test
    void aRefundDueOfNothingIsNotRecordedAndOfOneMinorUnitIs() {
        assertThatThrownBy(() -> new ExternalRefundDue("external:stripe:pi_1", "external-refund:stripe:pi_1 re_1", 0,
                AT)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be above 0");
        assertThat(new ExternalRefundDue("external:stripe:pi_1", "external-refund:stripe:pi_1 re_1", 1, AT).due())
                .isEqualTo(1);
    }

    @Test
    void aCardTopUpAskedForNothingIsRefusedAndForOneMinorUnitIsKept() {
        Instant expires = AT.plus(Duration.ofHours(48));
        assertThatThrownBy(() -> new ManualTopUpDraft("upd_1:42", 42, 42, 0, "K7Q2", AT, expires))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive amount");
        assertThat(new ManualTopUpDraft("upd_1:42", 42, 42, 1, "K7Q2", AT, expires).amount()).isEqualTo(1);
    }

    @Test
    void aStarsTransactionOfNoStarIsRefusedAndOfOneIsKept() {
        assertThatThrownBy(() -> StarTransaction.payment("charge-1", 42, "topup:1", 0, AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one Star");
        assertThat(StarTransaction.refund("charge-1", 42, "topup:1", 1, AT).stars()).isEqualTo(1);
    }
}
