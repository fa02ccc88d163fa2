package dev.kiebot.polling;

import static dev.kiebot.runtime.testing.E2eWorld.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.testing.CleanLogs;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.telegram.fake.FakeUpdates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The polling runner through a twenty-second database outage (issue 14, finding 4). The runner gets a database of
 * its own on the test PostgreSQL, so the outage is real for it (no connection is allowed, every session is ended)
 * while the shared test database stays up. Through the outage the runner stays alive and says it is not ready;
 * afterwards it takes the singleton lock again, polls again, and handles each update that waited at Telegram once.
 */
@ExtendWith(CleanLogs.class)
class PollingDatabaseOutageEndToEndTest {
    private static final long ALICE = 5_550_001;
    private static final long BOB = 5_550_002;
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    /** Far beyond the two seconds /readyz must answer in, far below the pool's 15 s wait it once took. */
    private static final Duration READYZ_PATIENCE = Duration.ofSeconds(5);
    private static final String DATABASE = "kiebot_outage";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(READYZ_PATIENCE).build();
    private E2eWorld world;
    private FakeUpdates updates;
    private PollingRunner runner;
    /** What the bot logged from the start of the outage on. */
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void ownDatabase() {
        world = new E2eWorld();
        updates = world.telegram.updates();
        admin().useHandle(h -> {
            h.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            h.execute("CREATE DATABASE " + DATABASE);
        });
    }

    @AfterEach
    void stop() {
        try {
            if (runner != null) {
                runner.close();
            }
            root().detachAppender(logs);
            world.close();
        } finally {
            admin().useHandle(h -> {
                h.execute("ALTER DATABASE " + DATABASE + " ALLOW_CONNECTIONS true");
                h.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            });
        }
    }

    private static Jdbi admin() {
        return TestDatabase.jdbi();
    }

    /** The test database's URL with the outage database's name in place of its own. */
    private static String outageDatabaseUrl() {
        String url = TestDatabase.settings().jdbcUrl().orElseThrow();
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        return base.substring(0, base.lastIndexOf('/') + 1) + DATABASE + (query < 0 ? "" : url.substring(query));
    }

    private void databaseDown() {
        admin().useHandle(h -> {
            h.execute("ALTER DATABASE " + DATABASE + " ALLOW_CONNECTIONS false");
            h.createQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :db")
                    .bind("db", DATABASE).mapTo(Long.class).one();
        });
    }

    private void databaseUp() {
        admin().useHandle(h -> h.execute("ALTER DATABASE " + DATABASE + " ALLOW_CONNECTIONS true"));
    }

    private record Readyz(int status, String body, Duration took) {
    }

    private Readyz readyz(int port) {
        long t0 = System.nanoTime();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                .timeout(READYZ_PATIENCE).GET().build();
        try {
            HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
            return new Readyz(r.statusCode(), r.body(), Duration.ofNanos(System.nanoTime() - t0));
        } catch (HttpTimeoutException e) {
            throw new AssertionError("/readyz did not answer within " + READYZ_PATIENCE, e);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private long answers(long chat, String fragment) {
        return world.telegram.textsTo(chat).stream().filter(t -> t.contains(fragment)).count();
    }

    @Test
    void aTwentySecondOutageIsReportedThenEveryUpdateThatWaitedAtTelegramIsHandledOnce() {
        runner = E2eWorld.onAFreePort(free -> PollingRunner.start(Settings.fromEnv(world.env(Map.of("DATABASE_URL",
                outageDatabaseUrl(), "PORT", Integer.toString(free)))), Clock.systemUTC(), Duration.ofMillis(200), 1));
        int port = runner.httpPort().orElseThrow();
        await("lock and polling", runner::polling);
        assertThat(readyz(port).status()).isEqualTo(200);
        world.telegram.enqueue(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Balance: 1\u00A0₽");

        logs.start();
        root().addAppender(logs);
        long downAt = System.nanoTime();
        databaseDown();
        List<Long> waiting = new ArrayList<>();
        waiting.add(world.telegram.enqueue(updates.command(ALICE, "balance", "")));
        waiting.add(world.telegram.enqueue(updates.command(BOB, "start", "")));
        waiting.add(world.telegram.enqueue(updates.command(ALICE, "help", "")));
        List<Readyz> duringOutage = new ArrayList<>();
        while (System.nanoTime() - downAt < OUTAGE.toNanos()) {
            duringOutage.add(readyz(port));
            E2eWorld.sleep(500);
        }
        databaseUp();
        long upAt = System.nanoTime();

        // the first probe may still have seen the database; from the moment it is known to be down, it stays not ready
        List<Readyz> afterNoticed = duringOutage.stream().dropWhile(r -> r.status() == 200).toList();
        assertThat(afterNoticed).as("readiness noticed the outage").isNotEmpty()
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(503));
        assertThat(afterNoticed.get(afterNoticed.size() - 1).body()).contains("\"ready\":false", "\"db\":false",
                "\"lock\":false");
        await("ready again", () -> readyz(port).status() == 200);
        await("polling again", runner::polling);
        await("Alice's waiting updates handled", () -> answers(ALICE, "Balance: 1\u00A0₽") == 2
                && answers(ALICE, "Here you can make") == 1);
        world.awaitText(BOB, "Balance: 1\u00A0₽");
        world.telegram.awaitUpdatesConfirmed(E2eWorld.WAIT);
        long readyAgainMillis = Duration.ofNanos(System.nanoTime() - upAt).toMillis();

        Jdbi own = Jdbi.create(outageDatabaseUrl(), TestDatabase.settings().user(), TestDatabase.settings().password());
        E2eWorld.awaitSettled("the updates that waited out the outage", own);
        assertThat(answers(ALICE, "Balance: 1\u00A0₽")).as("/start and /balance once each").isEqualTo(2);
        assertThat(answers(ALICE, "Here you can make")).isEqualTo(1);
        assertThat(answers(BOB, "Balance: 1\u00A0₽")).isEqualTo(1);
        for (long id : waiting) {
            assertThat(count(own, "SELECT count(*) FROM processed_updates WHERE update_id = " + id)).isEqualTo(1);
        }
        // the runner's only advisory lock on its database is the polling lock
        assertThat(count(own, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"))
                .as("the singleton lock is held again").isEqualTo(1);
        assertOutageLoggedOncePerLoop(readyAgainMillis, duringOutage);
    }

    private static long count(Jdbi db, String sql) {
        return db.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static Logger root() {
        return (Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /**
     * Each loop warns about the outage when it starts, not at every attempt: no warning of the bot's repeats with
     * the same text and subject (a second one at most, when a thread of a loop fails again just after another
     * thread of it saw the database back). PostgreSQL's own log, relayed, is not the bot's and has a line for
     * every refused connection.
     */
    private void assertOutageLoggedOncePerLoop(long readyAgainMillis, List<Readyz> probes) {
        Map<String, Integer> warnings = new TreeMap<>();
        List<ILoggingEvent> events;
        synchronized (logs) {
            events = List.copyOf(logs.list);
        }
        for (ILoggingEvent e : events) {
            if (e.getLevel().isGreaterOrEqual(Level.WARN) && e.getLoggerName().startsWith("dev.kiebot")
                    && !e.getLoggerName().equals("dev.kiebot.postgres.server")) {
                Object[] args = e.getArgumentArray();
                String subject = args == null || args.length == 0 ? "" : String.valueOf(args[0]);
                warnings.merge(e.getLoggerName() + " | " + e.getMessage() + " | " + subject, 1, Integer::sum);
            }
        }
        long slowest = probes.stream().mapToLong(r -> r.took().toMillis()).max().orElse(0);
        System.out.printf("outage: /readyz answered in at most %d ms during it; handled again %d ms after it; "
                + "warnings %s%n", slowest, readyAgainMillis, warnings);
        assertThat(warnings).isNotEmpty().allSatisfy((warning, count) -> assertThat(count)
                .as("logged %d times: %s", count, warning).isLessThanOrEqualTo(2));
    }
}
