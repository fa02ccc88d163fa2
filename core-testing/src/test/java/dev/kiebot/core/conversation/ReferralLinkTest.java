package dev.kiebot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReferralLinkTest {
    @Test
    void aUsersParameterNamesHimAndFitsTelegramsStartParameter() {
        for (long id : List.of(1L, 42L, 123_456_789L, 7_999_999_999L, Long.MAX_VALUE)) {
            String parameter = ReferralLink.parameter(id);
            assertThat(parameter).matches("[A-Za-z0-9_-]{1,64}");
            assertThat(ReferralLink.inviter(parameter)).contains(id);
        }
        assertThatThrownBy(() -> ReferralLink.parameter(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anythingElseNamesNobody() {
        for (String other : List.of("", "r_", "r_0", "r_-1", "r_ABC", "r_a b", "r_" + "z".repeat(13),
                "r_" + "1".repeat(14), "m_abcdefghij", "ref_42", "42")) {
            assertThat(ReferralLink.inviter(other)).as(other).isEmpty();
        }
    }
}
