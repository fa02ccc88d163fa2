package dev.kiebot.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile's build stage copies the pom of every module the root {@code pom.xml} builds by default before it
 * fetches the dependencies: with one missing, Maven refuses the whole reactor ("Child module … does not exist"), the
 * step fetched nothing (its failure is ignored, it is only a cache), and every image build downloaded everything
 * again in the build step. A module added to {@code <modules>} and not to the Dockerfile fails here, not in a
 * slow, cache-less image build. Its ENTRYPOINT checks BOT_MODE before it names a jar after it.
 */
class DockerfileTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Pattern MODULE = Pattern.compile("<module>\\s*([^<]+?)\\s*</module>");

    @Test
    void theBuildStageCopiesThePomOfEveryModuleOfTheReactor() throws IOException {
        List<String> modules = defaultModules();
        assertThat(modules).as("the root pom's modules, read from ../pom.xml").contains("core", "core-testing",
                "examples/console-shop", "architecture");
        String build = buildStage();
        List<String> missing = new ArrayList<>();
        for (String module : modules) {
            if (!build.contains("COPY " + module + "/pom.xml " + module + "/\n")) {
                missing.add("COPY " + module + "/pom.xml " + module + "/");
            }
        }
        assertThat(missing).as("lines the Dockerfile's build stage lacks before its dependency:go-offline").isEmpty();
    }

    /**
     * The image's ENTRYPOINT, run by {@code sh} as Docker runs it, with a stand-in {@code java}: a BOT_MODE naming no
     * runner is said as such and exits 2, as {@code ./kiebot} does ({@code Polling} was "Unable to access jarfile
     * /app/app-Polling.jar"); a right one starts its jar with the operator's arguments.
     */
    @Test
    void theEntrypointRefusesABotModeNamingNoRunner(@TempDir Path bin) throws Exception {
        List<String> entrypoint = entrypoint();
        // what tini starts (tini itself is not on this machine)
        entrypoint = entrypoint.subList(entrypoint.indexOf("--") + 1, entrypoint.size());
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\necho \"java $*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        Run wrong = run(entrypoint, bin, "Polling");
        assertThat(wrong.status()).isEqualTo(2);
        assertThat(wrong.output()).isEqualTo("BOT_MODE must be polling or webhook, got 'Polling'\n");
        Run right = run(entrypoint, bin, "polling", "import-balances", "/import/b.csv");
        assertThat(right.status()).isZero();
        assertThat(right.output()).startsWith("java @/app/small-box.jvm").endsWith(
                "-jar /app/app-polling.jar import-balances /import/b.csv\n");
    }

    /**
     * A JVM crash's report ({@code hs_err_pid<pid>.log}, which may quote memory near the crash: a token, a password)
     * goes to DATA_DIR, the bot's user's and rwx------: left to the JVM it went to the working directory, {@code /app},
     * which is root's, so to {@code /tmp}, made with the umask (022: readable by everyone). JAVA_OPTS still wins.
     */
    @Test
    void aCrashReportGoesToTheDataDirBeforeTheOperatorsOptions(@TempDir Path bin) throws Exception {
        List<String> entrypoint = entrypoint();
        entrypoint = entrypoint.subList(entrypoint.indexOf("--") + 1, entrypoint.size());
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<String> args = run(entrypoint, bin, "webhook").output().lines().toList();
        assertThat(args).startsWith("@/app/small-box.jvm", "-XX:ErrorFile=/app/data/hs_err_pid%p.log");
    }

    /**
     * Java was the container's PID 1: the embedded PostgreSQL's backends, orphaned when their postmaster was killed,
     * are reparented to PID 1, and java never reaped them (zombies until the container stopped). tini, installed by
     * the runtime stage, is PID 1 and starts the rest; it hands SIGTERM to its child alone (no -g: the bot stops its
     * database last).
     */
    @Test
    void theContainersPid1IsTiniWhichTheRuntimeStageInstalls() throws IOException {
        List<String> entrypoint = entrypoint();
        assertThat(entrypoint.get(0)).isIn("tini", "/usr/bin/tini");
        assertThat(entrypoint.subList(0, entrypoint.indexOf("--") + 1)).doesNotContain("-g");
        assertThat(entrypoint.subList(entrypoint.indexOf("--") + 1, entrypoint.size())).startsWith("sh", "-c");
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        String runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM "));
        assertThat(runtime.lines().filter(l -> l.contains("apt-get install"))).singleElement().asString()
                .containsPattern("\\btini\\b");
    }

    /**
     * The image's DATA_DIR ({@code /app/data}) is the bot's user's, in a directory of root's: the bot refuses a DATA_DIR
     * whose parent is another user's ({@code DataDirectoryLock}), and with {@code /app} left to uid 10001 (made the
     * bot's for the warm-up's class-data archives) the image run as any other uid ({@code docker run -u}, Kubernetes'
     * {@code runAsUser}, OpenShift's random uid) with a volume at {@code /app/data} refused to start.
     */
    @Test
    void theDataDirsParentInTheImageIsRootsAndTheBotRunsAsItsUser() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        List<String> runtime = dockerfile.substring(dockerfile.lastIndexOf("\nFROM ")).lines().toList();
        int givenToTheBot = lastIndexOf(runtime, l -> l.contains("chown -R kiebot /app"));
        int takenBack = lastIndexOf(runtime, l -> l.equals("RUN chown root:root /app"));
        assertThat(givenToTheBot).as("the build gives /app to the bot's user for the warm-up").isNotNegative();
        assertThat(takenBack).as("and takes /app itself back for root after it").isGreaterThan(givenToTheBot);
        assertThat(lastIndexOf(runtime, l -> l.startsWith("RUN ") && l.contains("java ")))
                .as("the warm-up runs before").isLessThan(takenBack);
        assertThat(runtime.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b)).contains("USER kiebot");
        assertThat(runtime).contains("ENV BOT_MODE=webhook \\").anyMatch(l -> l.strip().startsWith("DATA_DIR=/app/data"));
    }

    private static int lastIndexOf(List<String> lines, Predicate<String> match) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (match.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** The ENTRYPOINT's exec form, as its list of words. */
    private static List<String> entrypoint() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        String line = dockerfile.lines().filter(l -> l.startsWith("ENTRYPOINT ")).reduce((a, b) -> b).orElseThrow();
        List<String> entrypoint = new ArrayList<>();
        new ObjectMapper().readTree(line.substring("ENTRYPOINT ".length())).forEach(n -> entrypoint.add(n.asText()));
        return entrypoint;
    }

    private record Run(int status, String output) {
    }

    private static Run run(List<String> entrypoint, Path bin, String mode, String... args) throws Exception {
        List<String> command = new ArrayList<>(entrypoint);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("BOT_MODE", mode);
        pb.environment().put("JAVA_OPTS", "");
        pb.environment().put("DATA_DIR", "/app/data"); // the image's ENV
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), output);
    }

    /** The root pom's {@code <modules>} outside its profiles: what {@code mvn package} builds in the image. */
    static List<String> defaultModules() throws IOException {
        String pom = COMMENT.matcher(Files.readString(ROOT.resolve("pom.xml"))).replaceAll("");
        int profiles = pom.indexOf("<profiles>");
        String main = profiles < 0 ? pom : pom.substring(0, profiles);
        List<String> modules = new ArrayList<>();
        Matcher m = MODULE.matcher(main);
        while (m.find()) {
            modules.add(m.group(1));
        }
        return modules;
    }

    /** The build stage up to the step that fetches the dependencies. */
    private static String buildStage() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        int goOffline = dockerfile.indexOf("dependency:go-offline");
        assertThat(goOffline).as("the Dockerfile fetches the dependencies in a step of their own").isPositive();
        return dockerfile.substring(0, goOffline);
    }
}
