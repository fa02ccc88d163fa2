package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rootless Podman and {@code unshare -U}: a directory whose owner is not mapped into the bot's user namespace shows as
 * the overflow id 65534, which nobody in the namespace can be; above {@code DATA_DIR} it is not refused as another
 * user's (a bind mount of a host directory under rootless Podman refused every start). One others may write to still
 * is, and where 65534 is mapped (this box's own {@code nobody}) the owner is taken for what it shows.
 */
class DataDirectoryInAUserNamespaceTest {
    @TempDir
    Path temp;

    @Test
    void aUidMapTellsWhichIdsItMaps() {
        assertThat(ProcessUser.maps(List.of("         0          0 4294967295"), 65534)).as("no namespace").isTrue();
        assertThat(ProcessUser.maps(List.of("     10001      10001          1"), 65534)).as("unshare -U").isFalse();
        assertThat(ProcessUser.maps(List.of("0 1000 1", "1 100000 65536"), 65534)).as("Podman's 65536").isTrue();
        assertThat(ProcessUser.maps(List.of("0 1000 1", "1 100000 65533"), 65534)).isFalse();
    }

    @Test
    void aParentOwnedByAUserOutsideTheNamespaceIsNotRefused() throws Exception {
        assumeTrue(ProcessUser.UID == 0, "only root gives a directory to another user");
        assumeTrue(unshareWorks(), "no user namespaces here (unshare -U refused)");
        Path mount = Files.createDirectory(temp.resolve("host-dir"));
        Files.setAttribute(mount, "unix:uid", 12345); // a host user the namespace below does not map: shows as 65534
        Path data = Files.createDirectory(mount.resolve("data"));

        assertThat(lockInANamespace(data)).isEqualTo("locked");

        Files.setAttribute(mount, "unix:mode", 0777);
        assertThat(lockInANamespace(data)).as("others may still write to it").contains("others may write to " + mount);
    }

    private static boolean unshareWorks() throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("unshare", "--user", "--map-user=0", "--map-group=0", "true")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            return false; // no unshare program (util-linux) here: skipped, not an error
        }
        try {
            p.getInputStream().readAllBytes();
        } catch (IOException e) {
            return false;
        }
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /** Takes the lock of {@code data/pg} in a JVM whose user namespace maps root alone, and says how it went. */
    private static String lockInANamespace(Path data) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("unshare", "--user", "--map-user=0", "--map-group=0", java, "-cp",
                System.getProperty("java.class.path"), LockInANamespace.class.getName(), data.resolve("pg").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** The child's main. */
    static final class LockInANamespace {
        public static void main(String[] args) {
            try (DataDirectoryLock lock = DataDirectoryLock.acquire(Path.of(args[0]))) {
                System.out.println("locked");
            } catch (RuntimeException e) {
                System.out.println(e.getMessage());
            }
        }
    }
}
