package dev.kiebot.runtime.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretMaskingTest {
    @Test
    void registeredSecretsAndTokenShapesAreMasked() {
        SecretMasking.register(List.of("my-kie-key-123", "abc"));
        assertThat(SecretMasking.mask("key my-kie-key-123 used")).isEqualTo("key <redacted> used");
        assertThat(SecretMasking.mask("abc stays, too short to register")).startsWith("abc");
        assertThat(SecretMasking.mask("GET https://api.telegram.org/file/bot1234567:AAFakeTokenForTests_abcdefghijklmnop/x"))
                .doesNotContain("AAFakeToken").contains("<redacted-token>");
        assertThat(SecretMasking.mask(null)).isNull();
    }
}
