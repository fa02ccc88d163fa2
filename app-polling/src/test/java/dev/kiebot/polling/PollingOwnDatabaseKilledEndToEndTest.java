package dev.kiebot.polling;

import static dev.kiebot.runtime.testing.E2eWorld.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.testing.CleanLogs;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeUpdates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install {@code ./kiebot} gives (the polling runner on its own embedded PostgreSQL) when that server is
 * killed under it, as an operator's {@code kill -9} or a small box's out-of-memory killer would: the bot starts the
 * server again on its port and answers every update that waited at Telegram meanwhile, once, without a restart of
 * its own. Before, it stayed alive and unready, answering nobody, until somebody restarted it.
 * (A reply sent in the last fraction of a second before the kill may go again: the outbox's claims and settles
 * commit without waiting for the disk; the tests wait until PostgreSQL has flushed them before killing.)
 */
@ExtendWith(CleanLogs.class)
@ExtendWith(MigratedTemplate.class)
class PollingOwnDatabaseKilledEndToEndTest {
    private static final long ALICE = 5_560_001;
    private static final long BOB = 5_560_002;
    private static final String BALANCE = "Balance: 1\u00A0₽";
    /**
     * A reply's claim and settle commit without waiting for the disk (the outbox delivers at least once), so what a
     * killed server loses is their last fraction of a second: waited for before a kill, so that the replies already
     * sent are not sent again. PostgreSQL's WAL writer flushes them within three times its 200 ms; the wait ends when
     * it has, however long a busy machine makes that, and gives up only after this.
     */
    private static final Duration ON_DISK_AT_THE_LATEST = Duration.ofSeconds(60);
    /** Telegram's answer to the send the server dies during, given after the kill: its settle comes after it. */
    private final CountDownLatch answerOnTheWire = new CountDownLatch(1);

    private final E2eWorld world = new E2eWorld();
    private final FakeUpdates updates = world.telegram.updates();
    private final HttpClient http = HttpClient.newHttpClient();
    private PollingRunner runner;

    @TempDir
    Path dataDir;

    @AfterEach
    void stop() {
        answerOnTheWire.countDown();
        if (runner != null) {
            runner.close();
        }
        world.close();
    }

    @Test
    void aKilledServerIsStartedAgainAndTheUpdatesThatWaitedAreAnsweredOnce() throws Exception {
        int port = start();
        world.telegram.enqueue(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, BALANCE);
        awaitRepliesSettled();
        awaitCommitsOnDisk();

        long killed = postmasterPid();
        assertThat(ProcessHandle.of(killed).map(ProcessHandle::destroyForcibly)).contains(true);
        world.telegram.enqueue(updates.command(ALICE, "balance", ""));
        world.telegram.enqueue(updates.command(BOB, "start", ""));

        world.awaitText(BOB, BALANCE);
        await("Alice's /balance answered", () -> answers(ALICE, BALANCE) == 2);
        world.telegram.awaitUpdatesConfirmed(E2eWorld.WAIT);
        assertThat(postmasterPid()).as("a new server on the same data").isNotEqualTo(killed);
        await("ready again", () -> readyz(port) == 200);
        assertThat(get(port, "/metrics")).as("what an operator alerts on")
                .contains("kiebot_database_restarts_total 1.0").contains("kiebot_replies_settles_redone_total");
        awaitRepliesSettled(); // a repeat would have been sent by now: nothing is left to send
        assertThat(answers(ALICE, BALANCE)).as("/start and /balance once each").isEqualTo(2);
        assertThat(answers(BOB, BALANCE)).isEqualTo(1);
    }

    /**
     * A reply on the wire when the server dies: its chat was leased to the sender (for ten minutes) in a commit the
     * server kept, and the send's settle cannot reach the dead server. The sender keeps the reply in hand and
     * settles it once the server runs again, so the chat does not wait out the lease and the next reply follows.
     */
    @Test
    void aChatWhoseReplyWasOnTheWireWhenTheServerDiedDoesNotWaitForItsLease() throws Exception {
        start();
        world.telegram.enqueue(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, BALANCE);
        awaitRepliesSettled();
        awaitCommitsOnDisk();

        world.telegram.failNext("sendMessage", 1, FakeTelegramServer.Failure.heldUntil(answerOnTheWire));
        long seen = world.telegram.calls().size();
        world.telegram.enqueue(updates.command(ALICE, "balance", ""));
        // arrived, not yet answered (awaitCall waits for the answer)
        await("the balance on the wire", () -> world.telegram.calls().stream()
                .anyMatch(c -> c.seq() > seen && c.method().equals("sendMessage") && c.chatId() == ALICE));
        awaitCommitsOnDisk(); // the claim, committed before the send, is among them
        long killed = postmasterPid();
        assertThat(ProcessHandle.of(killed).map(ProcessHandle::destroyForcibly)).contains(true);
        answerOnTheWire.countDown();
        world.telegram.enqueue(updates.command(ALICE, "help", ""));

        world.awaitText(ALICE, "Here you can make");
        assertThat(answers(ALICE, "Here you can make")).isEqualTo(1);
        assertThat(answers(ALICE, BALANCE)).as("the welcome and the balance, once each").isEqualTo(2);
    }

    /** Starts the runner on its own database in {@link #dataDir}; @return its HTTP port */
    private int start() {
        runner = E2eWorld.onAFreePort(port -> {
            Map<String, String> env = new HashMap<>(world.env(Map.of("PORT", Integer.toString(port))));
            env.remove("DATABASE_URL");
            env.remove("DATABASE_USER");
            env.remove("DATABASE_PASSWORD");
            env.put("DATA_DIR", dataDir.toString());
            return PollingRunner.start(Settings.fromEnv(env), Clock.systemUTC(), Duration.ofMillis(200), 1);
        });
        await("polling", runner::polling);
        return runner.httpPort().orElseThrow();
    }

    /** Every reply sent and taken off the queue, every update handled: nothing left to commit about them. */
    private void awaitRepliesSettled() {
        E2eWorld.awaitSettled("the replies", runner.bot().database().jdbi());
    }

    /**
     * Until PostgreSQL has flushed to disk all it had committed when called, those commits that did not wait for
     * the disk too: then a kill can take none of them back.
     */
    private void awaitCommitsOnDisk() throws InterruptedException {
        Jdbi jdbi = runner.bot().database().jdbi();
        String committed = jdbi.withHandle(h -> h.createQuery("SELECT pg_current_wal_insert_lsn()::text")
                .mapTo(String.class).one());
        long deadline = System.nanoTime() + ON_DISK_AT_THE_LATEST.toNanos();
        while (!jdbi.withHandle(h -> h.createQuery("SELECT pg_current_wal_flush_lsn() >= CAST(:lsn AS pg_lsn)")
                .bind("lsn", committed).mapTo(Boolean.class).one())) {
            assertThat(System.nanoTime() - deadline).as("WAL up to %s flushed within %s", committed,
                    ON_DISK_AT_THE_LATEST).isNegative();
            Thread.sleep(20);
        }
    }

    /** The running server's pid, from its pid file (first line). */
    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("pg").resolve("postmaster.pid")).get(0).trim());
    }

    private long answers(long chat, String fragment) {
        return world.telegram.textsTo(chat).stream().filter(t -> t.contains(fragment)).count();
    }

    private int readyz(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private String get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
