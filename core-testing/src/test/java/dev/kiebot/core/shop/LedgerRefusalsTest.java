package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import org.junit.jupiter.api.Test;

/**
 * A ledger's refusal in the admin's words ({@link LedgerRefusals}): an amount out of bounds is his to correct, any
 * other refusal is the ledger's, said as such; a refusal recorded without a reason one can read says so. No test
 * reached either (PIT, 2026-12-08: no coverage).
 */
class LedgerRefusalsTest {
    private final Texts texts = new Texts();

    @Test
    void anAmountOutOfBoundsIsTheAdminsToCorrectAnyOtherRefusalTheLedgers() {
        assertThat(LedgerRefusals.toAdmin(texts, "en", new LedgerResult.Rejected(LedgerResult.Reason.INVALID_AMOUNT,
                "0"))).isEqualTo(texts.get("en", Msg.ADMIN_AMOUNT_INVALID)).isEqualTo("the amount is out of bounds");
        assertThat(LedgerRefusals.toAdmin(texts, "en", new LedgerResult.Rejected(LedgerResult.Reason.SAME_ACCOUNT,
                "w:42"))).isEqualTo("the ledger refused the transfer: a transfer from an account to itself");
    }

    @Test
    void aRecordedRefusalReadsInWordsAndAnUnreadableOneSaysSo() {
        assertThat(LedgerRefusals.words(texts, "en", "Rejected[reason=SAME_ACCOUNT, detail=w:42]"))
                .isEqualTo("a transfer from an account to itself");
        assertThat(LedgerRefusals.words(texts, "en", "something else"))
                .isEqualTo("the ledger refused, no reason recorded");
    }
}
