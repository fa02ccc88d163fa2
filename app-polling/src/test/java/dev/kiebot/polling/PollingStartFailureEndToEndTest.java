package dev.kiebot.polling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.runtime.StartFailure;
import dev.kiebot.runtime.testing.CleanLogs;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.testing.ShippedClassPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PollingMain} in a JVM of its own, as {@code ./kiebot} and the image start it, when its start cannot succeed:
 * it exits with status 2, and its last line, an ERROR, says what to fix; no stack trace, no secret. Three of its
 * starts bring up an embedded database on a fresh DATA_DIR before they fail (a failed start waits for it, to stop it):
 * each child copies the {@link MigratedTemplate} rather than running {@code initdb} and every migration: it looks in
 * the embedded PostgreSQL's cache under {@code java.io.tmpdir}, {@code /tmp} in this JVM and in the child alike
 * unless set.
 */
@ExtendWith(MigratedTemplate.class)
class PollingStartFailureEndToEndTest {
    /**
     * How long a start that fails may run before it is taken for hung: no speed requirement (a start has no bound of
     * its own). Two minutes were too few on a box whose cores other builds held: creating the data directory alone
     * took 46 s there.
     */
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    @TempDir
    Path dataDir;
    private E2eWorld world;

    @BeforeEach
    void fakes() {
        world = new E2eWorld();
    }

    @AfterEach
    void close() {
        world.close();
    }

    /** A token revoked in @BotFather: getMe 401 at start, and the embedded database it was starting is stopped. */
    @Test
    void aBotTokenTelegramRefusesEndsTheStartWithOneLineAndStatus2() throws Exception {
        String token = world.telegram.token();
        String revoked = token.substring(0, token.indexOf(':') + 1) + "AARevokedInBotFather_abcdefghijklm";
        String log = failedStart(Map.of("TELEGRAM_BOT_TOKEN", revoked));
        assertThat(lastLine(log)).contains("ERROR", "cannot start (exit status 2): Telegram refused the bot token "
                + "(401): check TELEGRAM_BOT_TOKEN, e.g. a token revoked in @BotFather");
        assertThat(log).doesNotContain(revoked.substring(revoked.indexOf(':') + 1));
        assertThat(Files.exists(dataDir.resolve("pg").resolve("postmaster.pid")))
                .as("the embedded PostgreSQL the start was bringing up is stopped, not left behind").isFalse();
    }

    /**
     * A webhook set for the bot (production's, the token tried locally): the start leaves it and ends with status 6,
     * which the systemd unit does not restart on (a restart finds the same webhook), its last line naming the host.
     */
    @Test
    void aWebhookSetForTheBotEndsTheStartWithStatus6AndIsLeftAlone() throws Exception {
        String production = "https://kiebot-prod.onrender.com/telegram";
        new dev.kiebot.telegram.WebhookRegistration(world.telegram.bot()).setWebhook(production, "s3cret", null);
        String log = failedStart(Map.of(), List.of(), true, dev.kiebot.runtime.ProcessEnd.WEBHOOK_IS_SET);
        assertThat(lastLine(log)).contains("ERROR", "cannot start (exit status 6): a webhook is set for this bot "
                + "token, at kiebot-prod.onrender.com: polling would delete it", "POLLING_TAKES_OVER_WEBHOOK=1");
        assertThat(world.telegram.webhookUrl()).isEqualTo(production);
        assertThat(Files.exists(dataDir.resolve("pg").resolve("postmaster.pid"))).isFalse();
        assertThat(Files.readString(Path.of("..", "deploy", "kiebot.service")))
                .as("the unit does not restart it").contains("RestartPreventExitStatus=6");
    }

    /** The embedded database cannot start (its DATA_DIR is a file): one line naming it, status 2. */
    @Test
    void aDatabaseThatCannotStartEndsTheStartWithOneLineAndStatus2() throws Exception {
        Path notADirectory = Files.writeString(dataDir.resolve("data"), "a file, not a directory");
        String log = failedStart(Map.of("DATA_DIR", notADirectory.toString()));
        assertThat(lastLine(log)).contains("ERROR", "cannot start (exit status 2): ",
                notADirectory.resolve("pg").toString());
    }

    /** A configuration problem, as ever status 2: now one line, listing it. */
    @Test
    void aWrongSettingEndsTheStartWithOneLineAndStatus2() throws Exception {
        String log = failedStart(Map.of("KIE_LOW_CREDITS", "-5"));
        assertThat(log.lines().filter(l -> !l.isBlank()).toList()).singleElement().asString()
                .contains("cannot start (exit status 2): the configuration has 1 problem(s); fix the environment "
                        + "and restart: KIE_LOW_CREDITS must be 0 or more, got -5");
    }

    /**
     * debian:12-slim sets no LANG, and Java 17 then writes ASCII by default: the log's Russian words and ₽ and the
     * usage's «amount in ₽» came out as "?". Both are written in UTF-8 whatever the locale.
     */
    @Test
    void withoutALocaleTheLogAndACommandStillWriteUtf8() throws Exception {
        // with Kie live and no FREE_DAILY_TOTAL the start's notices say "take 5·N a day" before getMe is refused
        String token = world.telegram.token();
        String revoked = token.substring(0, token.indexOf(':') + 1) + "AARevokedInBotFather_abcdefghijklm";
        String log = failedStart(Map.of("TELEGRAM_BOT_TOKEN", revoked, "KIE_STUB", "0", "KIE_API_KEY",
                E2eWorld.KIE_KEY, "KIE_BASE_URL", world.kie.baseUrl(), "KIE_UPLOAD_URL", world.kie.uploadUrl()),
                List.of(), false);
        assertThat(log).contains("take 5·N a day");
        String usage = failedStart(Map.of(), List.of("no-such-command"), false);
        assertThat(usage).contains("usage: kiebot", "amount in ₽");
    }

    private String failedStart(Map<String, String> extra) throws IOException, InterruptedException {
        return failedStart(extra, List.of(), true);
    }

    private String failedStart(Map<String, String> extra, List<String> args, boolean withLocale)
            throws IOException, InterruptedException {
        return failedStart(extra, args, withLocale, StartFailure.STATUS);
    }

    /**
     * The runner's output (standard output and error), after it exited with {@code status} (2: every start that
     * failed, but for a few a supervisor must tell apart) and without a stack trace.
     *
     * @param args       the runner's arguments (an operator command)
     * @param withLocale whether the runner keeps this process's LANG (without: the POSIX locale, as a slim image's)
     */
    private String failedStart(Map<String, String> extra, List<String> args, boolean withLocale, int status)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(dataDir.getParent(), "runner", ".log");
        try {
            List<String> command = new java.util.ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-cp", ShippedClassPath.of(),
                    PollingMain.class.getName()));
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            List<String> kept = withLocale ? List.of("PATH", "HOME", "USER", "LANG", "TMPDIR")
                    : List.of("PATH", "HOME", "USER", "TMPDIR");
            env.keySet().removeIf(k -> !kept.contains(k));
            Map<String, String> bot = new HashMap<>(Map.of("TELEGRAM_BOT_TOKEN", world.telegram.token(),
                    "TELEGRAM_API_URL", world.telegram.apiUrl(), "KIE_STUB", "1", "DATA_DIR", dataDir.toString(),
                    "INSTANCE_NAME", "start-failure"));
            bot.putAll(extra);
            env.putAll(bot);
            CleanLogs.forbid(E2eWorld.secretsOf(bot));
            Process child = pb.start();
            if (!child.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("still running after " + PATIENCE + ":\n" + Files.readString(log));
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as(output).isEqualTo(status);
            assertThat(output).as("no stack trace").doesNotContain("\tat ", "Exception in thread");
            CleanLogs.assertClean(output.lines().toList());
            return output;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String lastLine(String output) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        return lines.get(lines.size() - 1);
    }
}
