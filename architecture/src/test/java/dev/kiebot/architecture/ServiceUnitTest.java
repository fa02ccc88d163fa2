package dev.kiebot.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/kiebot.service} confines the bot: a flaw in it or in a library it uses gets no more than the bot's
 * own files. The unit had none of this (systemd-analyze security: 9.2 UNSAFE): files it made were readable by every
 * local user (umask 022: {@code DATA_DIR} {@code rwxr-xr-x}), it shared the box's {@code /tmp}, and a setuid program
 * could have given it more rights than its user's.
 */
class ServiceUnitTest {
    private static final Path UNIT = Path.of("..", "deploy", "kiebot.service");

    @Test
    void theBotsFilesAreItsUsersAloneAndItCannotGainRights() throws IOException {
        Map<String, String> service = serviceSection();
        assertThat(service).containsEntry("User", "kiebot")
                .as("files and directories it makes (DATA_DIR, a backup) readable by its user alone")
                .containsEntry("UMask", "0077")
                .containsEntry("NoNewPrivileges", "yes")
                .containsEntry("CapabilityBoundingSet", "")
                .containsEntry("PrivateTmp", "yes")
                .containsEntry("PrivateDevices", "yes")
                .containsEntry("RestrictSUIDSGID", "yes");
        assertThat(service.get("ProtectSystem")).isIn("full", "strict");
    }

    @Test
    void nothingTheJvmOrPostgresqlNeedsIsTakenAway() throws IOException {
        Map<String, String> service = serviceSection();
        assertThat(service).as("the JIT writes the code it runs").doesNotContainKey("MemoryDenyWriteExecute")
                .as("the checkout (its data/, target/) and Maven's ~/.m2 are in the user's home")
                .doesNotContainKey("ProtectHome");
        assertThat(service.get("RestrictAddressFamilies")).contains("AF_INET", "AF_INET6", "AF_UNIX");
    }

    /** The {@code [Service]} section's settings, the last one of a name winning as in systemd. */
    private static Map<String, String> serviceSection() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(UNIT)) {
            String l = line.strip();
            if (l.startsWith("[")) {
                section = l;
            } else if (section.equals("[Service]") && !l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
                settings.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
            }
        }
        return settings;
    }
}
