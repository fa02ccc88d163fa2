package dev.kiebot.polling;

import static dev.kiebot.runtime.testing.E2eWorld.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.FirstUpdateRecordingRefused;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.Kiebot;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.testing.E2eRunner;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.runtime.testing.RunnerScenarios;
import dev.kiebot.testing.JvmStalls;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The scenarios through the long-polling runner, plus its singleton lock and shutdown. */
class PollingEndToEndTest extends RunnerScenarios {

    /** The polling runner as the scenarios drive it: updates go into the fake Bot API's getUpdates queue. */
    static final class Polling implements E2eRunner {
        final PollingRunner runner;
        final E2eWorld world;

        Polling(PollingRunner runner, E2eWorld world) {
            this.runner = runner;
            this.world = world;
        }

        @Override
        public Kiebot bot() {
            return runner.bot();
        }

        @Override
        public void deliver(String updateJson) {
            world.telegram.enqueue(updateJson);
        }

        @Override
        public void close() {
            runner.close();
        }
    }

    /** The polling loop's pauses after a failure, ten times Telegram's pace: the scenarios go through several. */
    static final PollingBackoff QUICK_PAUSES = PollingBackoff.TELEGRAM.faster(10);

    @Override
    protected E2eRunner start(Map<String, String> env, Clock clock) {
        Polling p = new Polling(PollingRunner.start(Settings.fromEnv(env), clock, Duration.ofMillis(200), 1,
                QUICK_PAUSES, E2eWorld.KIE_READS), world);
        await("lock and polling", p.runner::polling);
        return p;
    }

    /** How long the first instance's close may take in {@link #aSecondInstanceWaitsAndTakesOverWhenTheFirstStops}. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(30);

    /** Also what each start's last line says: ready and where it listens, or a standby; the standby's ready later. */
    @Test
    void aSecondInstanceWaitsAndTakesOverWhenTheFirstStops() throws InterruptedException {
        dev.kiebot.runtime.testing.LogCapture logs = dev.kiebot.runtime.testing.LogCapture.attach();
        Polling first = E2eWorld.onAFreePort(free -> (Polling) startRunner(Map.of("PORT", Integer.toString(free)),
                Clock.systemUTC()));
        int port = first.runner.httpPort().orElseThrow();
        PollingRunner second = PollingRunner.start(Settings.fromEnv(world.env(Map.of())), Clock.systemUTC(),
                Duration.ofMillis(200), 1);
        try {
            // each start's last line comes from its polling thread, the standby's at its first look at the lock
            // (a connection of its own): once it is there, the standby has looked and found the lock taken
            await("both start lines", () -> startLines(logs).size() >= 2);
            assertThat(first.runner.polling()).isTrue();
            assertThat(second.polling()).as("standby instance must not poll").isFalse();
            assertThat(second.bot().health().ready()).isFalse();
            assertThat(startLines(logs)).hasSize(2).anyMatch(l -> l.matches("ready in \\d+\\.\\d s: polling Telegram "
                    + "\\(getUpdates\\); /healthz, /readyz and /metrics on port " + port
                    + "; kiebot \\d+\\.\\d+\\.\\d+\\S* \\(commit ([0-9a-f]{9}|unknown)\\)"))
                    .anyMatch(l -> l.matches("started in \\d+\\.\\d s as a standby: another instance polls Telegram, "
                            + "this one takes over when it stops; no health server \\(PORT is not set\\)"));
            // the first stops on a thread of its own, as at a SIGTERM (ProcessEnd's hook): the standby takes the lock
            // while the close still waits for the rest, so the bound runs from the stop's start. It is the wait's own
            // (less the JVM's stalls): a wait of WAIT gave up before a separate 30 s check was reached.
            // what the close threw is kept and thrown here: on its own thread it was lost, and a failing close passed
            AtomicReference<Throwable> stopFailed = new AtomicReference<>();
            Thread stopping = new Thread(() -> {
                try {
                    first.close();
                } catch (RuntimeException | Error e) { // all it can throw
                    stopFailed.set(e);
                }
            }, "first-instance-stop");
            stopping.start();
            try {
                await("the takeover, within 30 s of the first's stop", Duration.ofSeconds(30), second::polling);
            } finally {
                // the close is bounded to a few seconds: a hung one fails the test rather than hang it
                stopping.join(STOP_BOUND.toMillis());
            }
            assertThat(stopping.isAlive()).as("the first's close, within " + STOP_BOUND).isFalse();
            if (stopFailed.get() instanceof Error e) {
                throw e;
            }
            if (stopFailed.get() instanceof RuntimeException e) {
                throw e;
            }
            second.bot().shop().storefront();
            world.telegram.enqueue(updates.command(ALICE, "start", ""));
            world.awaitText(ALICE, "Balance: 1\u00A0₽");
            assertThat(startLines(logs)).as("the standby is ready once it polls").hasSize(3)
                    .filteredOn(l -> l.startsWith("ready in ")).hasSize(2);
        } finally {
            second.close();
            logs.detach();
        }
    }

    /**
     * Found by an operator review: the start's "ready in" line came before the first getUpdates, and was followed at
     * once by "polling failed" when Telegram could not be asked. It comes with Telegram's first answer.
     */
    @Test
    void theReadyLineWaitsForTelegramsFirstAnswer() {
        dev.kiebot.runtime.testing.LogCapture logs = dev.kiebot.runtime.testing.LogCapture.attach();
        world.telegram.failNext("getUpdates", 1, dev.kiebot.telegram.fake.FakeTelegramServer.Failure.serverError());
        try {
            E2eRunner p = startRunner(Map.of(), Clock.systemUTC()); // closed by the scenarios after each test
            p.deliver(updates.command(ALICE, "start", ""));
            world.awaitText(ALICE, "Balance");
            await("the start line", () -> !startLines(logs).isEmpty());
            String logger = PollingRunner.class.getName() + " ";
            java.util.List<String> lines = logs.lines().stream().filter(l -> l.startsWith(logger))
                    .map(l -> l.substring(logger.length())).toList();
            int failed = java.util.stream.IntStream.range(0, lines.size())
                    .filter(i -> lines.get(i).startsWith("polling failed")).findFirst().orElseThrow();
            int ready = java.util.stream.IntStream.range(0, lines.size())
                    .filter(i -> lines.get(i).startsWith("ready in ")).findFirst().orElseThrow();
            assertThat(ready).as(String.join("\n", lines)).isGreaterThan(failed);
        } finally {
            logs.detach();
        }
    }

    /** The runners' last start lines, without the logger's name. */
    private static java.util.List<String> startLines(dev.kiebot.runtime.testing.LogCapture logs) {
        String logger = PollingRunner.class.getName() + " ";
        return logs.lines().stream().filter(l -> l.startsWith(logger)).map(l -> l.substring(logger.length()))
                .filter(l -> l.startsWith("ready in ") || l.startsWith("started in ")).toList();
    }

    @Test
    void a409BacksOffInsteadOfSpinningAndRecovers() {
        world.telegram.failNext("getUpdates", 3, dev.kiebot.telegram.fake.FakeTelegramServer.Failure.apiError(409,
                "Conflict: terminated by other getUpdates request"));
        Polling p = (Polling) startRunner(Map.of(), Clock.systemUTC());
        p.deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Balance");
        // 3 conflicts cost 3 pauses (1 + 2 + 4 s at Telegram's pace): far fewer calls than a spinning loop would make
        assertThat(world.telegram.callsTo("getUpdates").stream().filter(c -> c.status() == 409)).hasSize(3);
        assertThat(world.telegram.callsTo("getWebhookInfo")).as("at start, and at each 409").hasSize(4);
        assertThat(world.telegram.callsTo("deleteWebhook")).as("no webhook to delete").isEmpty();
    }

    /**
     * Found by an operator review: a polling start with the production token (README's first command) deleted the
     * production webhook, and the bot behind it heard nothing while its /readyz said ready. The start refuses instead,
     * naming the webhook's host, with a status of its own, and leaves the webhook as it was.
     */
    @Test
    void aWebhookSetForTheBotStopsTheStartWithStatus6AndIsLeftAlone() {
        String production = "https://kiebot-prod.onrender.com/telegram";
        new dev.kiebot.telegram.WebhookRegistration(world.telegram.bot()).setWebhook(production, "s3cret", null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> startRunner(Map.of(), Clock.systemUTC()))
                .isInstanceOfSatisfying(dev.kiebot.runtime.StartFailure.class, e -> assertThat(e.status())
                        .isEqualTo(dev.kiebot.runtime.ProcessEnd.WEBHOOK_IS_SET))
                .hasMessageContaining("a webhook is set for this bot token, at kiebot-prod.onrender.com");
        assertThat(world.telegram.webhookUrl()).isEqualTo(production);
        assertThat(world.telegram.callsTo("deleteWebhook")).isEmpty();
        assertThat(world.telegram.callsTo("getUpdates")).isEmpty();
    }

    /** With POLLING_TAKES_OVER_WEBHOOK=1 the webhook is deleted, with a WARN naming its host, and polling works. */
    @Test
    void theTakeoverDeletesTheWebhookAndSaysSo() {
        dev.kiebot.runtime.testing.LogCapture logs = dev.kiebot.runtime.testing.LogCapture.attach();
        try {
            new dev.kiebot.telegram.WebhookRegistration(world.telegram.bot())
                    .setWebhook("https://old-host.example.com/telegram", "s3cret", null);
            E2eRunner p = startRunner(Map.of("POLLING_TAKES_OVER_WEBHOOK", "1"), Clock.systemUTC());
            assertThat(world.telegram.webhookUrl()).isEmpty();
            p.deliver(updates.command(ALICE, "start", ""));
            world.awaitText(ALICE, "Balance");
            assertThat(logs.warnings()).anyMatch(l -> l.startsWith("WARN ") && l.contains(
                    "POLLING_TAKES_OVER_WEBHOOK is on: deleted the webhook at old-host.example.com"));
        } finally {
            logs.detach();
        }
    }

    /**
     * A webhook set while the bot polls (the webhook runner started with the same token): getUpdates answers 409, and
     * the loop stops on it, leaving it set (the old 409 path deleted it once the pause reached 8 s), and tells the
     * main, which exits with status 6.
     */
    @Test
    void aWebhookSetWhileTheBotPollsStopsTheLoopAndIsLeftAlone() throws InterruptedException {
        java.util.concurrent.CountDownLatch told = new java.util.concurrent.CountDownLatch(1);
        dev.kiebot.runtime.testing.LogCapture logs = dev.kiebot.runtime.testing.LogCapture.attach();
        PollingRunner runner = PollingRunner.start(Settings.fromEnv(world.env(Map.of())), Clock.systemUTC(),
                Duration.ofMillis(200), 1, QUICK_PAUSES, E2eWorld.KIE_READS, told::countDown);
        try {
            await("polling", runner::polling);
            String production = "https://kiebot-prod.onrender.com/telegram";
            new dev.kiebot.telegram.WebhookRegistration(world.telegram.bot()).setWebhook(production, "s3cret", null);
            assertThat(told.await(E2eWorld.WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(world.telegram.webhookUrl()).isEqualTo(production);
            assertThat(world.telegram.callsTo("deleteWebhook")).isEmpty();
            assertThat(runner.polling()).as("/readyz: not ready").isFalse();
            assertThat(logs.warnings()).anyMatch(l -> l.startsWith("ERROR ") && l.contains("getUpdates 409: a webhook "
                    + "is set for this bot token, at kiebot-prod.onrender.com") && l.endsWith("; polling stops"));
        } finally {
            runner.close();
            logs.detach();
        }
    }

    /**
     * Found by an operator review: under POLLING_TAKES_OVER_WEBHOOK each 409 deleted the webhook again, and the webhook
     * runner, looking every 5 minutes, set it again: the two took the bot's updates from each other for good, each
     * half-working, with no more than WARNs. The takeover is the start's only: a webhook set while the bot polls is
     * left alone, named as the other runner's in one ERROR, and the loop stops for status 6.
     */
    @Test
    void underTheTakeoverAWebhookSetAgainWhileTheBotPollsStopsTheLoopNamingTheFight() throws InterruptedException {
        String production = "https://kiebot-prod.onrender.com/telegram";
        new dev.kiebot.telegram.WebhookRegistration(world.telegram.bot()).setWebhook(production, "s3cret", null);
        java.util.concurrent.CountDownLatch told = new java.util.concurrent.CountDownLatch(1);
        dev.kiebot.runtime.testing.LogCapture logs = dev.kiebot.runtime.testing.LogCapture.attach();
        PollingRunner runner = PollingRunner.start(Settings.fromEnv(world.env(Map.of("POLLING_TAKES_OVER_WEBHOOK",
                "1"))), Clock.systemUTC(), Duration.ofMillis(200), 1, QUICK_PAUSES, E2eWorld.KIE_READS,
                told::countDown);
        try {
            assertThat(world.telegram.webhookUrl()).as("taken over at the start").isEmpty();
            await("polling", runner::polling);
            new dev.kiebot.telegram.WebhookRegistration(world.telegram.bot()).setWebhook(production, "s3cret", null);
            assertThat(told.await(E2eWorld.WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(world.telegram.webhookUrl()).as("not deleted again").isEqualTo(production);
            assertThat(world.telegram.callsTo("deleteWebhook")).as("the start's only").hasSize(1);
            assertThat(runner.polling()).as("/readyz: not ready").isFalse();
            assertThat(logs.warnings()).filteredOn(l -> l.contains("getUpdates 409")).singleElement().asString()
                    .startsWith("ERROR ").contains("getUpdates 409: a webhook was set for this bot token while this runner polls, at "
                            + "kiebot-prod.onrender.com", "WEBHOOK_BASE_URL", "Stop one of them",
                            "unset POLLING_TAKES_OVER_WEBHOOK").endsWith("; polling stops");
        } finally {
            runner.close();
            logs.detach();
        }
    }

    /**
     * Timed less the time the JVM was kept from running ({@link JvmStalls}): on a box whose two cores were busy with
     * other builds the close took over ten seconds of the clock while it waited for nothing of its own.
     */
    @Test
    void closingStopsWithinTenSeconds() {
        Polling p = (Polling) startRunner(Map.of(), Clock.systemUTC());
        p.deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Balance");
        try (JvmStalls stalls = JvmStalls.count()) {
            long t0 = System.nanoTime();
            p.close();
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(stalls.unstalled(took)).as("%s, of which the JVM was kept from running %s", took,
                    stalls.stalled()).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void offsetsAreConfirmedOnlyAfterRecording() {
        Polling p = (Polling) startRunner(Map.of(), Clock.systemUTC());
        p.deliver(updates.command(ALICE, "start", ""));
        world.telegram.awaitUpdatesConfirmed(E2eWorld.WAIT);
        await("recorded", () -> !p.bot().shop().stores().jobs().recent(ALICE, 1).isEmpty()
                || world.telegram.lastTextTo(ALICE).isPresent());
        assertThat(world.telegram.lastTextTo(ALICE)).isPresent();
    }

    @Test
    void pollingGoesOnWhenRecordingFailsAndTheUpdateIsHandledOnce() {
        Polling p = (Polling) startRunner(Map.of(), Clock.systemUTC());
        Jdbi db = TestDatabase.jdbi();
        // the database refuses the first recording (as if it were briefly down), and counts the attempts
        try (FirstUpdateRecordingRefused refused = FirstUpdateRecordingRefused.install()) {
            long id = world.telegram.enqueue(updates.command(ALICE, "start", ""));
            world.awaitText(ALICE, "Balance: 1\u00A0₽");
            assertThat(refused.attempts()).as("the first recording failed, a later one succeeded").isEqualTo(2);
            assertThat(p.runner.polling()).isTrue();
            p.deliver(updates.command(ALICE, "balance", ""));
            await("the next update handled", () -> world.telegram.textsTo(ALICE).stream()
                    .filter(t -> t.contains("Balance: 1\u00A0₽")).count() == 2);
            world.telegram.awaitUpdatesConfirmed(E2eWorld.WAIT);
            long rows = db.withHandle(h -> h.createQuery("SELECT count(*) FROM processed_updates WHERE update_id = :id")
                    .bind("id", id).mapTo(Long.class).one());
            assertThat(rows).isEqualTo(1);
            assertThat(world.telegram.textsTo(ALICE).stream().filter(t -> t.contains("Balance: 1\u00A0₽")))
                    .as("/start answered once, /balance once").hasSize(2);
        }
    }

    @Test
    void readyzSaysTelegramIsUnreachableAfterGetUpdatesKeepsFailingAndReadyAgainWhenItAnswers() throws Exception {
        Polling p = E2eWorld.onAFreePort(free -> (Polling) startRunner(Map.of("PORT", Integer.toString(free)),
                Clock.systemUTC()));
        int port = p.runner.httpPort().orElseThrow();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI readyz = java.net.URI.create("http://127.0.0.1:" + port + "/readyz");
        await("ready", () -> p.bot().health().ready());
        // getUpdates fails until the test has read /readyz's 503: three failures armed ahead were over within 1.4 s
        // (a pause and the next long poll), and a test slower than that read a ready runner. So the failures may be
        // more than three when it reads; that the third is the one that turns /readyz is TelegramPollingTest's
        world.telegram.failWhen("getUpdates", c -> true,
                dev.kiebot.telegram.fake.FakeTelegramServer.Failure.serverError());
        await("unreachable", () -> !p.bot().health().ready());
        java.net.http.HttpResponse<String> down = http.send(java.net.http.HttpRequest.newBuilder(readyz).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("\"lock\":true", "\"lastTelegramAnswerAt\":\"20");
        java.util.regex.Matcher unreachable = java.util.regex.Pattern.compile("\"telegram\":\"unreachable: (\\d+) "
                + "getUpdates calls failed in a row, the last: getUpdates failed: 500").matcher(down.body());
        assertThat(unreachable.find()).as(down.body()).isTrue();
        assertThat(Integer.parseInt(unreachable.group(1)))
                .isGreaterThanOrEqualTo(dev.kiebot.runtime.intake.TelegramPolling.UNREACHABLE_AFTER_FAILURES);
        world.telegram.clearFailures();
        await("reachable again", () -> p.bot().health().ready());
        p.deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Balance");
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(readyz).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                + "/health")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    /**
     * The token revoked while the bot polls: one ERROR line saying what to check, not one per retry (every 30 s for
     * as long as nobody looks), and polling goes on by itself once Telegram takes the token again.
     */
    @Test
    void aTokenRefusedWhilePollingIsOneErrorLineAndPollingGoesOnOnceItIsAcceptedAgain() {
        dev.kiebot.runtime.testing.LogCapture logs = dev.kiebot.runtime.testing.LogCapture.attach();
        try {
            Polling p = (Polling) startRunner(Map.of(), Clock.systemUTC());
            world.telegram.failNext("getUpdates", 3,
                    dev.kiebot.telegram.fake.FakeTelegramServer.Failure.apiError(401, "Unauthorized"));
            await("the token accepted again", () -> logs.lines().stream()
                    .anyMatch(l -> l.contains("Telegram accepts the bot token again")));
            assertThat(logs.warnings()).filteredOn(l -> l.contains("bot token"))
                    .singleElement().asString().startsWith("ERROR ")
                    .contains("Telegram refused the bot token (401): check TELEGRAM_BOT_TOKEN");
            assertThat(logs.warnings()).noneMatch(l -> l.contains("polling failed"));
            p.deliver(updates.command(ALICE, "start", ""));
            world.awaitText(ALICE, "Balance");
        } finally {
            logs.detach();
        }
    }

    @Test
    void anEarlierBotsVariableWithoutEffectIsNamedInTheLogWithoutItsValue() {
        dev.kiebot.runtime.testing.LogCapture logs = dev.kiebot.runtime.testing.LogCapture.attach();
        try {
            startRunner(Map.of("REDIS_URL", "redis://:hunter2-redis@cache:6379/0", "ADMIN_ID", "777",
                    "ADMIN_IDS", ""), Clock.systemUTC());
            assertThat(logs.lines()).anyMatch(l -> l.contains("REDIS_URL is set but has no effect here: PostgreSQL"))
                    .anyMatch(l -> l.contains("ADMIN_ID (an earlier bot's name) is read as ADMIN_IDS"))
                    .noneMatch(l -> l.contains("hunter2"));
        } finally {
            logs.detach();
        }
    }
}
