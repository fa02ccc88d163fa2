package dev.kiebot.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kiebot}, run in a copy of the repository's layout with stand-ins for {@code mvn} and {@code java}: it builds
 * only when a source is newer than the jar (build output, {@code .git} and the data directory are no sources: they
 * rebuilt the bot at every start), and Maven's output goes to stderr, so that stdout is the bot's alone. The copy lives
 * in a path with spaces, and the script is run from another directory, as an operator may.
 */
class KiebotScriptTest {
    private static final Path SCRIPT = Path.of("..", "kiebot");
    private static final String BOT_LINE = "the bot's own line";
    /** A variable's value taken in the script: {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-default}}. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]*)");
    private static final String MAVEN_LINE = "[INFO] maven's chatter";
    private static final Instant JAR_TIME = Instant.now().minusSeconds(3600);
    /** The stand-in java's answer to {@code -version}, on stderr as the real one's. */
    private static final String VERSION_17 =
            "[ \"$1\" = -version ] && { echo 'openjdk version \"17.0.9\" 2023-10-17' >&2; exit 0; }\n";

    @TempDir
    Path temp;
    private Path repo;
    private Path calls;

    private record Run(String stdout, String stderr, List<String> mavenCalls) {
    }

    @BeforeEach
    void layout() throws IOException {
        repo = Files.createDirectories(temp.resolve("my bots").resolve("kiebot"));
        Files.copy(SCRIPT, repo.resolve("kiebot"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(repo.resolve("small-box.jvm"), "-Xmx128m\n");
        file("pom.xml", JAR_TIME.minusSeconds(60));
        file("core/src/main/java/dev/kiebot/core/Shop.java", JAR_TIME.minusSeconds(60));
        file("app-polling/target/app-polling.jar", JAR_TIME);
        calls = repo.resolve("calls");
        Path bin = Files.createDirectories(repo.resolve("stand-ins"));
        executable(bin.resolve("mvn"), "#!/bin/sh\necho \"" + MAVEN_LINE + "\"\necho \"$*\" >> '" + calls + "'\n");
        // the unpacking and the class-data warm-up run silenced by the script; only the bot itself speaks
        executable(bin.resolve("java"), "#!/bin/sh\n" + VERSION_17 + "for a in \"$@\"; do case \"$a\" in warm-up|unpack) exit 0;; "
                + "esac; done\necho \"" + BOT_LINE + "\"\n");
    }

    /**
     * What the script reads of the environment ({@code $NAME}, {@code ${NAME:-…}}) README's configuration names: the
     * bot's variables in its table, the script's own ({@code JAVA_OPTS}, {@code TMPDIR}…) below it. {@code TMPDIR},
     * where the embedded PostgreSQL's 100 MB go, was said only in the sections on running anywhere.
     */
    @Test
    void everyVariableTheScriptReadsIsNamedInReadmesConfiguration() throws IOException {
        Set<String> read = new TreeSet<>();
        for (String line : Files.readAllLines(SCRIPT)) {
            Matcher m = VARIABLE.matcher(line.strip().startsWith("#") ? "" : line);
            while (m.find()) {
                read.add(m.group(1));
            }
        }
        assertThat(read).as("variables ./kiebot reads").contains("BOT_MODE", "DATA_DIR", "JAVA_OPTS", "TMPDIR");
        String readme = Files.readString(Path.of("..", "README.md"));
        String configuration = readme.substring(readme.indexOf("## Configuration"));
        configuration = configuration.substring(0, configuration.indexOf("\n## ", 1));
        Set<String> unnamed = new TreeSet<>();
        for (String variable : read) {
            if (!configuration.contains("`" + variable + "`")) {
                unnamed.add(variable);
            }
        }
        assertThat(unnamed).as("read by ./kiebot but not named in README's Configuration").isEmpty();
    }

    @Test
    void aJavaOlderThan17IsNamedBeforeAnythingIsBuiltOrStarted() throws Exception {
        file("core/src/main/java/dev/kiebot/core/Shop.java", JAR_TIME.plusSeconds(60));
        executable(repo.resolve("stand-ins/java"), "#!/bin/sh\n[ \"$1\" = -version ] && { echo 'openjdk version "
                + "\"11.0.21\" 2023-10-17' >&2; exit 0; }\necho \"" + BOT_LINE + "\"\n");

        Run run = runFailing(Map.of());
        assertThat(run.stderr()).contains("needs Java 17 or newer", "is 11.0.21");
        assertThat(run.stdout()).isEmpty();
        assertThat(run.mavenCalls()).as("Maven of an old JDK fails with 'release version 17 not supported'").isEmpty();
    }

    @Test
    void aJavaOfTheOldNumberingIsReadAsItsRealVersion() throws Exception {
        executable(repo.resolve("stand-ins/java"), "#!/bin/sh\n[ \"$1\" = -version ] && { echo 'java version "
                + "\"1.8.0_392\"' >&2; exit 0; }\necho \"" + BOT_LINE + "\"\n");

        assertThat(runFailing(Map.of()).stderr()).contains("needs Java 17 or newer", "is 1.8.0_392");
    }

    @Test
    void aBuildWithoutMavenOnThePathSaysSo() throws Exception {
        file("core/src/main/java/dev/kiebot/core/Shop.java", JAR_TIME.plusSeconds(60));
        Files.delete(repo.resolve("stand-ins/mvn"));
        Path onlyJava = Files.createDirectories(temp.resolve("only java"));
        Files.copy(repo.resolve("stand-ins/java"), onlyJava.resolve("java"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String tool : List.of("sh", "sed", "dirname", "cut", "find")) {
            Path found = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(onlyJava.resolve(tool), Files.exists(found) ? found : Path.of("/bin", tool));
        }

        Run run = runFailing(Map.of("PATH", onlyJava.toString()));
        assertThat(run.stderr()).contains("Maven is not on PATH");
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void buildOutputGitAndDataNewerThanTheJarAreNoReasonToBuild() throws Exception {
        Instant later = JAR_TIME.plusSeconds(60);
        file("core/target/classes/META-INF/maven/pom.properties", later);
        file("architecture/target/generated-test-sources/Generated.java", later);
        file("app-polling/target/maven-archiver/pom.properties", later);
        file(".git/modules/x.properties", later);
        file("data/pg/postgresql.properties", later);

        Run run = run();
        assertThat(run.mavenCalls()).as("nothing but build output, .git and data changed").isEmpty();
        assertThat(run.stdout()).isEqualTo(BOT_LINE + "\n");
    }

    @Test
    void aSourceNewerThanTheJarBuildsAndMavensOutputGoesToStderr() throws Exception {
        file("core/src/main/java/dev/kiebot/core/Shop.java", JAR_TIME.plusSeconds(60));

        Run run = run();
        assertThat(run.mavenCalls()).singleElement().asString().contains("package");
        assertThat(run.stdout()).as("stdout is the bot's").isEqualTo(BOT_LINE + "\n");
        assertThat(run.stderr()).contains(MAVEN_LINE);
    }

    /**
     * Maven's own Guava calls sun.misc.Unsafe's memory methods, and on JDK 24+ every build said four lines of WARNING
     * about it. Maven on a JDK 23+ is told to allow them quietly; a JDK 17 refuses that flag and would not start, so it
     * is not given it. The caller's MAVEN_OPTS comes after, so it wins.
     */
    @Test
    void mavenOnAJdkThatWarnsOfUnsafeIsToldToAllowItAndOnJdk17IsNot() throws Exception {
        file("core/src/main/java/dev/kiebot/core/Shop.java", JAR_TIME.plusSeconds(60));
        executable(repo.resolve("stand-ins/mvn"), "#!/bin/sh\necho \"MAVEN_OPTS=$MAVEN_OPTS\" >> '" + calls + "'\n");

        assertThat(run().mavenCalls()).as("on 17").containsExactly("MAVEN_OPTS=");

        Files.delete(calls);
        executable(repo.resolve("stand-ins/java"), "#!/bin/sh\n[ \"$1\" = -version ] && { echo 'openjdk version "
                + "\"25.0.1\" 2025-10-21 LTS' >&2; exit 0; }\necho \"" + BOT_LINE + "\"\n");
        assertThat(run(Path.of("").toAbsolutePath(), Map.of("MAVEN_OPTS", "-Xmx1g")).mavenCalls()).as("on 25")
                .containsExactly("MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow -Xmx1g");
    }

    /**
     * A first start (or one after a change) builds and then makes the class-data archive, silently: about 48 s of
     * nothing on the screen. Each step says so on stderr before it; a start with both up to date says nothing.
     */
    @Test
    void aBuildAndTheArchiveAreAnnouncedOnStderrAndAnUpToDateStartIsQuiet() throws Exception {
        file("core/src/main/java/dev/kiebot/core/Shop.java", JAR_TIME.plusSeconds(60));

        Run fresh = run();
        assertThat(fresh.stderr()).contains("kiebot: building the bot (a source changed)",
                "kiebot: preparing the embedded database and the start-up archive (once per build");
        assertThat(fresh.stdout()).isEqualTo(BOT_LINE + "\n");

        file("core/src/main/java/dev/kiebot/core/Shop.java", JAR_TIME.minusSeconds(60));
        archiveMadeBy("openjdk version \"17.0.9\" 2023-10-17");
        Run again = run();
        assertThat(again.mavenCalls()).as("the calls of the first run only").hasSize(1);
        assertThat(again.stderr()).isEmpty();
    }

    /**
     * An archive another java made (a JDK upgraded or switched) is refused by this one without a word, and the JDK's
     * own archive with it: every start paid the class loading the archive is there to save.
     */
    @Test
    void anArchiveAnotherJavaMadeIsMadeAgain() throws Exception {
        archiveMadeBy("openjdk version \"25.0.1\" 2025-10-21");

        Run run = run();
        assertThat(run.stderr()).contains("kiebot: preparing the embedded database and the start-up archive");
        assertThat(run.stdout()).isEqualTo(BOT_LINE + "\n");
    }

    /** The JVM prints JAVA_TOOL_OPTIONS before the version: a quoted value in it was read as the version. */
    @Test
    void aQuotedJavaToolOptionIsNotTakenForTheVersion() throws Exception {
        archiveMadeBy("openjdk version \"17.0.9\" 2023-10-17");
        executable(repo.resolve("stand-ins/java"), "#!/bin/sh\n[ \"$1\" = -version ] && { echo 'Picked up "
                + "JAVA_TOOL_OPTIONS: -Duser.name=\"ops team\"' >&2; echo 'openjdk version \"17.0.9\" 2023-10-17' >&2; "
                + "exit 0; }\necho \"" + BOT_LINE + "\"\n");

        Run run = run();
        assertThat(run.stdout()).isEqualTo(BOT_LINE + "\n");
        assertThat(run.stderr()).as("the same java made the archive: nothing to prepare").isEmpty();
    }

    /** Maven builds with JAVA_HOME's java when it is set; the bot ran on PATH's, another JDK. */
    @Test
    void theBotRunsOnTheJavaMavenBuildsWith() throws Exception {
        archiveMadeBy("openjdk version \"17.0.9\" 2023-10-17");
        Path home = Files.createDirectories(temp.resolve("jdk").resolve("bin"));
        executable(home.resolve("java"), "#!/bin/sh\n" + VERSION_17 + "echo \"JAVA_HOME's java\"\n");

        Run run = run(Path.of("").toAbsolutePath(), Map.of("JAVA_HOME", home.getParent().toString()));
        assertThat(run.stdout()).isEqualTo("JAVA_HOME's java\n");
    }

    /** A JAVA_HOME of an old JDK, or of none, is named as the one to fix: PATH's java was right already. */
    @Test
    void aJavaHomeOfAnOldJdkOrOfNoneIsNamed() throws Exception {
        Path home = Files.createDirectories(temp.resolve("jdk11").resolve("bin"));
        executable(home.resolve("java"), "#!/bin/sh\n[ \"$1\" = -version ] && { echo 'openjdk version \"11.0.21\" "
                + "2023-10-17' >&2; exit 0; }\necho \"" + BOT_LINE + "\"\n");
        assertThat(runFailing(Map.of("JAVA_HOME", home.getParent().toString())).stderr())
                .contains("JAVA_HOME's java", "is 11.0.21", "point JAVA_HOME at a JDK 17+ or unset it");

        Path empty = Files.createDirectories(temp.resolve("not a jdk"));
        Run run = runFailing(Map.of("JAVA_HOME", empty.toString()));
        assertThat(run.stderr()).contains("has no bin/java", "point JAVA_HOME at a JDK 17+ or unset it");
        assertThat(run.mavenCalls()).isEmpty();
    }

    @Test
    void runFromAnotherDirectoryRelativePathsAreTheCallersAndTheDataStaysInTheCheckout() throws Exception {
        // the archive of an earlier run: its path, with the checkout's spaces, must reach java as one argument
        archiveMadeBy("openjdk version \"17.0.9\" 2023-10-17");
        executable(repo.resolve("stand-ins/java"), "#!/bin/sh\n" + VERSION_17 + "for a in \"$@\"; do case \"$a\" in warm-up|unpack) exit 0;; "
                + "esac; done\necho \"cwd=$(pwd)\"\necho \"data=$DATA_DIR\"\nfor a in \"$@\"; do echo \"arg=$a\"; done\n");
        Path caller = Files.createDirectories(temp.resolve("operator's dir"));

        Run run = run(caller, "import-balances", "balances.csv");
        List<String> lines = run.stdout().lines().toList();
        assertThat(lines).as("a relative path given to the script is the caller's, as in any command")
                .startsWith("cwd=" + caller.toRealPath(), "data=" + repo.toRealPath().resolve("data"))
                .endsWith("arg=-jar", "arg=" + repo.toRealPath().resolve("app-polling/target/app-polling.jar"),
                        "arg=import-balances", "arg=balances.csv")
                .contains("arg=@" + repo.toRealPath().resolve("small-box.jvm"),
                        // a crash's report where the operator looks and, DATA_DIR being rwx------, no one else reads
                        "arg=-XX:ErrorFile=" + repo.toRealPath().resolve("data") + "/hs_err_pid%p.log",
                        "arg=-XX:SharedArchiveFile=" + repo.toRealPath().resolve("app-polling/target/app-polling.jsa"));
    }

    @Test
    void theBotIsToldTheModeTheScriptPicked() throws Exception {
        executable(repo.resolve("stand-ins/java"), "#!/bin/sh\n" + VERSION_17 + "for a in \"$@\"; do case \"$a\" in warm-up|unpack) exit 0;; "
                + "esac; done\necho \"mode=$BOT_MODE\"\n");

        // a public URL (an earlier bot's WEBHOOK_URL, say) makes the bot's own default webhook: /readyz said
        // "webhook" while the script ran the polling runner
        Run run = run(Path.of("").toAbsolutePath(), Map.of("WEBHOOK_BASE_URL", "https://bot.example.com"));
        assertThat(run.stdout()).isEqualTo("mode=polling\n");
    }

    /**
     * The JVM on Linux takes /tmp for java.io.tmpdir whatever TMPDIR says, and the embedded PostgreSQL's binaries and
     * template (about 100 MB) are kept there: in RAM where /tmp is a tmpfs. The script hands TMPDIR on, to the unpack,
     * the warm-up and the bot alike (a cache they disagree on is unpacked again at the start).
     */
    @Test
    void theTemporaryDirectoryIsTmpdirForTheUnpackTheWarmUpAndTheBot() throws Exception {
        executable(repo.resolve("stand-ins/java"), "#!/bin/sh\n" + VERSION_17 + "for a in \"$@\"; do case \"$a\" in "
                + "-Djava.io.tmpdir=*) echo \"$a\" >> \"" + repo.resolve("tmpdirs") + "\";; esac; done\n");
        Path tmp = Files.createDirectories(temp.resolve("the bot's tmp"));

        run(Path.of("").toAbsolutePath(), Map.of("TMPDIR", tmp.toString()));
        assertThat(Files.readAllLines(repo.resolve("tmpdirs"))).as("unpack, warm-up, bot")
                .containsExactly("-Djava.io.tmpdir=" + tmp, "-Djava.io.tmpdir=" + tmp, "-Djava.io.tmpdir=" + tmp);

        Files.delete(repo.resolve("tmpdirs"));
        String inherited = System.getenv("TMPDIR");
        run(Path.of("").toAbsolutePath(), Map.of());
        assertThat(Files.readAllLines(repo.resolve("tmpdirs"))).as("TMPDIR unset (or the test's own)").hasSize(3)
                .containsOnly("-Djava.io.tmpdir=" + (inherited == null || inherited.isEmpty() ? "/tmp" : inherited));
    }

    private Run run(String... args) throws IOException, InterruptedException {
        return run(Path.of("").toAbsolutePath(), args);
    }

    private Run run(Path caller, String... args) throws IOException, InterruptedException {
        return run(caller, Map.of(), args);
    }

    private Run runFailing(Map<String, String> variables) throws IOException, InterruptedException {
        Process script = start(Path.of("").toAbsolutePath(), variables);
        assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(script.exitValue()).isEqualTo(2);
        return new Run(Files.readString(repo.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(repo.resolve("stderr"), StandardCharsets.UTF_8),
                Files.exists(calls) ? Files.readAllLines(calls) : List.of());
    }

    private Run run(Path caller, Map<String, String> variables, String... args)
            throws IOException, InterruptedException {
        Process script = start(caller, variables, args);
        assertThat(script.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(repo.resolve("stderr"), StandardCharsets.UTF_8);
        assertThat(script.exitValue()).as(stderr).isZero();
        return new Run(Files.readString(repo.resolve("stdout"), StandardCharsets.UTF_8), stderr,
                Files.exists(calls) ? Files.readAllLines(calls) : List.of());
    }

    private Process start(Path caller, Map<String, String> variables, String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("/bin/bash", repo.resolve("kiebot").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(caller.toFile())
                .redirectOutput(repo.resolve("stdout").toFile()).redirectError(repo.resolve("stderr").toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> !List.of("HOME", "USER", "LANG", "TMPDIR").contains(k));
        env.put("PATH", repo.resolve("stand-ins") + ":" + System.getenv("PATH"));
        env.putAll(variables);
        return pb.start();
    }

    /** A class-data archive of an earlier run, newer than the jar, and what the java that made it said of itself. */
    private void archiveMadeBy(String javaSaid) throws IOException {
        file("app-polling/target/app-polling.jsa", JAR_TIME.plusSeconds(1));
        Files.writeString(repo.resolve("app-polling/target/app-polling.jsa.java"), javaSaid + "\n");
    }

    private void file(String path, Instant modified) throws IOException {
        Path f = repo.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
        Files.setLastModifiedTime(f, FileTime.from(modified));
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
