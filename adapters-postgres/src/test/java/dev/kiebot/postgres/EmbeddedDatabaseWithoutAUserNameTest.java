package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenShift's random uid (group 0, no entry in {@code /etc/passwd}) and {@code DynamicUser=yes} without nss-systemd:
 * {@code initdb} and single-user {@code postgres} stopped at once («could not look up effective user ID»), so neither
 * a new data directory nor a copy of the template (whose password single-user mode sets) could be made; the server
 * itself never asked. The bot started in a child JVM as such a uid makes both, and starts a directory made earlier by
 * a user with a name; the superuser stays {@code postgres}.
 */
class EmbeddedDatabaseWithoutAUserNameTest {
    /** In OpenShift's range of random uids; the box has no entry for it (checked). */
    private static final int NAMELESS_UID = 1_000_680_000;

    @TempDir
    Path temp;

    @Test
    void aUserIdWithoutANameMakesItsDatabaseAndACopyOfTheTemplate() throws Exception {
        assumeTrue(ProcessUser.UID == 0, "only root starts a process as another uid");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "no setpriv (util-linux) here");
        assumeTrue(Files.readAllLines(Path.of("/etc/passwd")).stream()
                .noneMatch(l -> l.split(":").length > 2 && l.split(":")[2].equals(String.valueOf(NAMELESS_UID))));
        assumeTrue(QuickCommand.succeeds(List.of("/usr/bin/setpriv", "--reuid=" + NAMELESS_UID, "--regid=0",
                "--clear-groups", "unshare", "-U", "true"), 30_000), "no user namespaces for a user here");
        Files.setAttribute(temp, "unix:mode", 0755); // the child's way in: its own directory below
        Path home = Files.createDirectory(temp.resolve("home"));
        // made by a user with a name (root, as nobody in its namespace), then given to the nameless uid, as a
        // DATA_DIR made before the uid changed would be
        Path existing = home.resolve("existing").resolve("pg");
        try (EmbeddedDatabase db = EmbeddedDatabase.startIn(existing, false)) {
            NamelessBot.query(db, "CREATE TABLE made_by_root (x int)");
        }
        // and the template in the child's cache, as EmbeddedDatabase unpack makes it: a copy without its password
        Path childCache = home.resolve("tmp").resolve("embedded-pg-" + NAMELESS_UID);
        Path template = ClusterTemplate.location(PostgresBinaries.unpackedUnder(PostgresBinaries.defaultCacheRoot()),
                childCache);
        Files.createDirectories(childCache);
        DirectoryTree.copy(existing, template);
        Files.delete(template.resolve(ClusterPassword.FILE));
        Files.writeString(template.resolve(ClusterTemplate.MARKER), "made by the test\n");
        giveAway(home);
        Files.setAttribute(childCache, "unix:mode", 0700);

        Process child = run(List.of("/usr/bin/setpriv", "--reuid=" + NAMELESS_UID, "--regid=0", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // an operator's name for the JVM's user.name (which says "?" without it) hides nothing
                "-Duser.name=kiebot",
                "-Djava.io.tmpdir=" + home.resolve("tmp"), "-cp", readableClassPath(), NamelessBot.class.getName(),
                home.toString()));
        String out = outputOnceEnded(child);

        assertThat(out).contains("user.name kiebot")
                .contains("a copy of the template: postgres") // not initdb's: it has the template's table
                .contains("made by initdb: postgres")
                .contains("made earlier: postgres, survivor");
        assertThat(child.exitValue()).as(out).isZero();
        assertThat(out).contains("made by initdb, started again: postgres")
                .contains("a copy of the template, started again: postgres");
        // what initdb and single-user postgres made in their namespace (as nobody there) is the uid's own on disk,
        // as the server, run without a namespace, needs it at every start
        for (String made : List.of("fresh", "copied")) {
            Path pg = home.resolve(made).resolve("pg");
            assertThat(Files.getAttribute(pg, "unix:mode")).as(made).isEqualTo(040700);
            assertThat(Files.getAttribute(pg.resolve(ClusterPassword.FILE), "unix:mode")).as(made)
                    .isEqualTo(0100600);
            try (Stream<Path> walk = Files.walk(pg)) {
                assertThat(walk.filter(p -> !ownedByTheNamelessUid(p))).as(made).isEmpty();
            }
        }
    }

    /**
     * Where user namespaces are refused (a container's default seccomp profile; here, an unshare that fails, bound
     * over the real one in a mount namespace of the child's own), the start stops before initdb runs, saying why and
     * the two ways out, and leaves no half-made directory behind.
     */
    @Test
    void whereUserNamespacesAreRefusedTheStartStopsBeforeInitdbNamingTheWaysOut() throws Exception {
        assumeTrue(ProcessUser.UID == 0, "only root starts a process as another uid");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "no setpriv (util-linux) here");
        assumeTrue(Files.readAllLines(Path.of("/etc/passwd")).stream()
                .noneMatch(l -> l.split(":").length > 2 && l.split(":")[2].equals(String.valueOf(NAMELESS_UID))));
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/unshare")) && QuickCommand.succeeds(List.of(
                "/usr/bin/unshare", "-m", "--propagation", "private", "mount", "--bind", "/bin/false",
                "/usr/bin/unshare"), 30_000), "no mount namespaces here");
        Files.setAttribute(temp, "unix:mode", 0755);
        Path home = Files.createDirectory(temp.resolve("home"));
        Files.createDirectories(home.resolve("tmp"));
        giveAway(home);

        Process child = run(List.of("/usr/bin/unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount --bind /bin/false /usr/bin/unshare && exec \"$@\"", "sh",
                "/usr/bin/setpriv", "--reuid=" + NAMELESS_UID, "--regid=0", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + home.resolve("tmp"), "-cp", readableClassPath(), NamelessBot.class.getName(),
                home.toString(), "refused"));
        String out = outputOnceEnded(child);

        assertThat(child.exitValue()).as(out).isEqualTo(3);
        assertThat(out).contains("user.name ?")
                .contains("refused: user id " + NAMELESS_UID + " has no name")
                .contains("user namespaces (unshare -U)")
                .contains("/etc/passwd entry for the random uid")
                .contains("or set DATABASE_URL")
                .doesNotContain("could not look up effective user ID"); // initdb never ran
        try (Stream<Path> left = Files.list(home.resolve("fresh"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsOnly("pg.lock");
        }
    }

    private static boolean ownedByTheNamelessUid(Path p) {
        try {
            return Files.getAttribute(p, "unix:uid").equals(NAMELESS_UID);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Process run(List<String> command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve("child.out").toFile()).start();
    }

    /**
     * The child's output once it ended; one that hangs is killed with its servers: reading its output before waiting
     * blocked for as long as it lived, so a hung child held the build (Surefire sets no time limit) instead of
     * failing this test.
     */
    private String outputOnceEnded(Process child) throws Exception {
        boolean ended = child.waitFor(240, TimeUnit.SECONDS);
        if (!ended) {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly().waitFor();
        }
        String out = Files.readString(temp.resolve("child.out"), StandardCharsets.UTF_8);
        assertThat(ended).as(out).isTrue();
        return out;
    }

    private static void giveAway(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Files.setAttribute(p, "unix:uid", NAMELESS_UID);
            }
        }
        Files.setAttribute(root, "unix:mode", 0700);
    }

    /** The class path copied where the child may read it: Maven's repository is in root's home ({@code rwx------}). */
    private String readableClassPath() throws IOException {
        Path copies = Files.createDirectory(temp.resolve("class-path"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path from = Path.of(entry);
            if (!Files.exists(from)) {
                continue;
            }
            Path to = copies.resolve(i++ + "-" + from.getFileName());
            if (Files.isDirectory(from)) {
                DirectoryTree.copy(from, to);
            } else {
                Files.copy(from, to);
            }
            entries.add(to.toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** The child's main: starts the three databases in {@code args[0]} and says whom it connected as. */
    static final class NamelessBot {
        public static void main(String[] args) throws Exception {
            Path home = Path.of(args[0]);
            System.out.println("user.name " + System.getProperty("user.name"));
            if (args.length > 1 && args[1].equals("refused")) {
                try (EmbeddedDatabase db = EmbeddedDatabase.startIn(home.resolve("fresh").resolve("pg"), false)) {
                    System.out.println("started, though namespaces are refused");
                    System.exit(1);
                } catch (IllegalStateException e) {
                    System.out.println("refused: " + e.getMessage());
                    System.exit(3);
                }
            }
            try {
                // first: without the fix the copy's password (single-user postgres) failed, then initdb in its stead
                try (EmbeddedDatabase db = EmbeddedDatabase.startIn(home.resolve("copied").resolve("pg"),
                        new ServerSettings(false, ServerSettings.CONNECTIONS_FOR_TESTS), true,
                        PostgresBinaries.defaultCacheRoot())) {
                    System.out.println("a copy of the template: " + query(db, "SELECT count(*) FROM made_by_root"));
                }
                try (EmbeddedDatabase db = EmbeddedDatabase.startIn(home.resolve("fresh").resolve("pg"), false)) {
                    System.out.println("made by initdb: " + query(db, "SELECT 1"));
                }
                // a restart on what the namespace made: the server, outside it, owns and reads every file
                try (EmbeddedDatabase db = EmbeddedDatabase.startIn(home.resolve("fresh").resolve("pg"), false)) {
                    System.out.println("made by initdb, started again: " + query(db, "SELECT 1"));
                }
                try (EmbeddedDatabase db = EmbeddedDatabase.startIn(home.resolve("copied").resolve("pg"),
                        new ServerSettings(false, ServerSettings.CONNECTIONS_FOR_TESTS), true,
                        PostgresBinaries.defaultCacheRoot())) {
                    System.out.println("a copy of the template, started again: "
                            + query(db, "SELECT count(*) FROM made_by_root"));
                }
                try (EmbeddedDatabase db = EmbeddedDatabase.startIn(home.resolve("existing").resolve("pg"), false)) {
                    System.out.println("made earlier: " + query(db, "CREATE TABLE survivor (x int)") + ", survivor");
                }
            } catch (RuntimeException e) {
                e.printStackTrace(System.out);
                System.exit(1);
            }
        }

        /** Runs {@code sql}, then says who the connection is. */
        static String query(EmbeddedDatabase db, String sql) throws Exception {
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                 Statement s = c.createStatement()) {
                s.execute(sql);
                try (ResultSet r = s.executeQuery("SELECT current_user")) {
                    r.next();
                    return r.getString(1);
                }
            }
        }
    }
}
