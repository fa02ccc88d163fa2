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
        // not the fakes' default token: a runner assembled earlier in this JVM registers that one as a secret
        assertThat(SecretMasking.mask("GET https://api.telegram.org/file/bot7654321:AAShapeOnlyTokenForTests_zyxwvutsrqpo/x"))
                .doesNotContain("AAShapeOnly").contains("<redacted-token>");
        assertThat(SecretMasking.mask(null)).isNull();
    }
}
