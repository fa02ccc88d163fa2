package dev.kiebot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.runtime.config.ConfigException;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.testing.ShippedClassPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a child JVM, as a runner's main starts: whatever stops the start, the operator reads one line saying what to fix
 * and the process exits with status 2; no stack trace for a failure that says all in its message.
 */
class StartFailureTest {
    private static final long WAIT_SECONDS = 60;
    private static final String TOKEN = "1234567:AAH1234567890abcdefghijklmnopqrstuv";
    /** Not token-shaped to the log's masking (5 digits), so only its registration can mask it. */
    private static final String MALFORMED_TOKEN = "12345:cut-short-token";
    private static final String KIE_KEY = "kie0123456789abcdef0123456789abcd";

    /** The child: a start that fails the way {@code args[0]} says, through {@link StartFailure#orExit}. */
    public static final class Child {
        public static void main(String[] args) {
            StartFailure.orExit(() -> switch (args[0]) {
                case "config" -> Settings.fromEnv(Map.of("TELEGRAM_BOT_TOKEN", TOKEN, "KIE_STUB", "1",
                        "FX_RATE", "5000000", "PRICING_MARKUP", "150"));
                // a token cut short, and the Kie key pasted into a URL variable: each would have been quoted
                case "secrets" -> Settings.fromEnv(Map.of("TELEGRAM_BOT_TOKEN", MALFORMED_TOKEN, "KIE_API_KEY", KIE_KEY,
                        "KIE_CALLBACK_URL", KIE_KEY, "TELEGRAM_GLOBAL_RATE", MALFORMED_TOKEN,
                        "KIE_UPLOAD_PATH", MALFORMED_TOKEN));
                case "quoting" -> quotingTheSecrets();
                case "start" -> throw new StartFailure("Telegram refused the bot token (401): check TELEGRAM_BOT_TOKEN");
                default -> throw new IllegalStateException("the catalog is broken:\n  - a\n  - b");
            });
            System.out.println("started, which it must not");
        }

        /** A refused configuration, then a failure whose words (a library's, say) quote the secrets it was given. */
        private static Settings quotingTheSecrets() {
            try {
                return Settings.fromEnv(Map.of("TELEGRAM_BOT_TOKEN", MALFORMED_TOKEN, "KIE_API_KEY", KIE_KEY,
                        "FX_RATE", "-3"));
            } catch (ConfigException e) {
                throw new IllegalStateException("the client refused token " + MALFORMED_TOKEN + " and key " + KIE_KEY,
                        e);
            }
        }
    }

    @Test
    void aWrongConfigurationIsOneLineListingEveryProblemAndStatus2(@TempDir Path tmp) throws Exception {
        List<String> lines = failedStart("config", tmp);
        assertThat(lines).singleElement().asString().contains("ERROR", "cannot start (exit status 2): the "
                + "configuration has 2 problem(s); fix the environment and restart: FX_RATE must be at most 1000000, "
                + "got 5000000; PRICING_MARKUP must be at most 100, got 150");
    }

    @Test
    void aStartFailureIsItsOwnLineAndStatus2(@TempDir Path tmp) throws Exception {
        assertThat(failedStart("start", tmp)).singleElement().asString()
                .endsWith("cannot start (exit status 2): Telegram refused the bot token (401): check TELEGRAM_BOT_TOKEN");
    }

    /** The secrets the environment holds appear in no problem, however they were refused. */
    @Test
    void aRefusedConfigurationQuotesNeitherTheBotTokenNorTheKieKey(@TempDir Path tmp) throws Exception {
        List<String> lines = failedStart("secrets", tmp);
        assertThat(lines).singleElement().asString().contains("cannot start (exit status 2)",
                "TELEGRAM_BOT_TOKEN does not look like a bot token",
                "KIE_CALLBACK_URL must start with https:// (or http://)",
                "TELEGRAM_GLOBAL_RATE must be an integer, got '<redacted>'", "uploadPath");
        assertThat(String.join("\n", lines)).doesNotContain(MALFORMED_TOKEN, "cut-short-token", KIE_KEY);
    }

    /** Masked from the moment the environment is read: the start's every line, its stack trace too, ends no better. */
    @Test
    void noLineOfAFailedStartShowsTheSecretsOfItsEnvironment(@TempDir Path tmp) throws Exception {
        String output = failedStartOutput("quoting", tmp);
        assertThat(output).contains("WARN", "ERROR", "the client refused token <redacted> and key <redacted>")
                .doesNotContain(MALFORMED_TOKEN, "cut-short-token", KIE_KEY);
    }

    /**
     * A failure nobody foresaw ends in one line as well, naming its type; its stack trace comes first, at WARN: a bug
     * at start may not show again when the operator restarts with more logging.
     */
    @Test
    void anyOtherFailureEndsInOneLineWithItsTypeAfterItsTraceAndStatus2(@TempDir Path tmp) throws Exception {
        String output = failedStartOutput("other", tmp);
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines.get(0)).contains("WARN", "the start failed here");
        assertThat(output).contains("java.lang.IllegalStateException: the catalog is broken", "\tat ");
        assertThat(lines.get(lines.size() - 1)).contains("ERROR").endsWith("cannot start (exit status 2): "
                + "IllegalStateException: the catalog is broken: - a - b (where: the stack trace above)");
    }

    @Test
    void theLineOfEachKindOfFailure() {
        assertThat(StartFailure.line(new ConfigException(List.of("A must be 1", "B must be 2"))))
                .isEqualTo("the configuration has 2 problem(s); fix the environment and restart: A must be 1; B must be 2");
        assertThat(StartFailure.line(new StartFailure("cannot connect to the database at db:5432: refused")))
                .isEqualTo("cannot connect to the database at db:5432: refused");
        assertThat(StartFailure.line(new NullPointerException()))
                .isEqualTo("NullPointerException (where: the stack trace above)");
        assertThat(StartFailure.expected(new StartFailure("x"))).isTrue();
        assertThat(StartFailure.expected(new ConfigException(List.of("x")))).isTrue();
        assertThat(StartFailure.expected(new IllegalStateException("x"))).isFalse();
    }

    /** The child's lines, after it exited with status 2 and printed no stack trace. */
    private static List<String> failedStart(String how, Path tmp) throws Exception {
        String output = failedStartOutput(how, tmp);
        assertThat(output).as("no stack trace").doesNotContain("\tat ", "Exception in thread");
        return output.lines().filter(l -> !l.isBlank()).toList();
    }

    /** The child's output (standard output and error together), after it exited with status 2. */
    private static String failedStartOutput(String how, Path tmp) throws Exception {
        Path out = tmp.resolve("out.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", ShippedClassPath.of(), Child.class.getName(), how)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(output).isEqualTo(StartFailure.STATUS);
        return output;
    }
}
