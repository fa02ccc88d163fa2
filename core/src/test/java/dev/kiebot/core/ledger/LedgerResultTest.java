package dev.kiebot.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LedgerResultTest {

    @Test
    void aRefusalAsLoggedShowsNoUsersIdWhole() {
        // Referrals logged a refused invitation bonus as it is: "referral:5550001", the friend's id unmasked
        LedgerResult refused = new LedgerResult.Rejected(LedgerResult.Reason.ID_ALREADY_FAILED,
                "referral:5550001 from wallet:123456789012");

        assertThat(refused.toString()).isEqualTo(
                "Rejected[reason=ID_ALREADY_FAILED, detail=referral:***0001 from wallet:***9012]");
        assertThat(new LedgerResult.Rejected(LedgerResult.Reason.INVALID_AMOUNT, "0").toString())
                .as("a short number is no id").contains("detail=0]");
        assertThat(new LedgerResult.Rejected(LedgerResult.Reason.INVALID_AMOUNT, null).toString())
                .contains("detail=null");
    }
}
