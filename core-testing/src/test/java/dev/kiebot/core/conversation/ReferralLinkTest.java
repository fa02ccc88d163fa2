package dev.kiebot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReferralLinkTest {
    @Test
    void aCodesParameterFitsTelegramsStartParameterAndReadsBack() {
        Random random = new Random(7);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String code = ReferralLink.newCode(random);
            assertThat(code).matches("[0-9a-z]{8}");
            String parameter = ReferralLink.parameter(code);
            assertThat(parameter).matches("[A-Za-z0-9_-]{1,64}");
            assertThat(ReferralLink.code(parameter)).contains(code);
            seen.add(code);
        }
        assertThat(seen).as("random, not a sequence").hasSize(1_000);
        assertThatThrownBy(() -> ReferralLink.parameter("42")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anythingElseHoldsNoCode() {
        for (String other : List.of("", "r_", "r_abc", "r_ABCDEFGH", "r_abcdefg!", "r_abcdefghi", "r_abcd efg",
                "m_abcdefghij", "ref_42", "r_1234567")) {
            assertThat(ReferralLink.code(other)).as(other).isEmpty();
        }
    }
}
