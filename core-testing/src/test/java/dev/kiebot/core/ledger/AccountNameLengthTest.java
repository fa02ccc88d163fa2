package dev.kiebot.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** An account's name is 1-64 characters: the longest allowed names an account, one more is refused. */
class AccountNameLengthTest {

    @Test
    void aNameOfSixtyFourCharactersIsAnAccountAndOneMoreIsRefused() {
        String longest = "expense:" + "x".repeat(56);

        assertThat(new AccountId(longest).value()).hasSize(64);
        assertThatThrownBy(() -> new AccountId(longest + "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65 characters");
    }
}
