package dev.kiebot.core.ledger;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A partner's store builds account ids from its rows: a wrong one is refused naming what it was given, so that the
 * row points at itself. Before, the message was only the rule.
 */
class AccountIdTest {
    @Test
    void aBlankOrTooLongIdIsRefusedNamingWhatItWas() {
        assertThatThrownBy(() -> new AccountId(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("account id must be 1-64 characters, not blank; was blank");
        String tooLong = "wallet:" + "9".repeat(60);
        assertThatThrownBy(() -> new AccountId(tooLong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("account id must be 1-64 characters, not blank; was 67 characters: \""
                        + tooLong.substring(0, 64) + "…\"");
    }
}
