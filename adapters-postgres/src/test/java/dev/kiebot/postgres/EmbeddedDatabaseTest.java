package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default without DATABASE_URL: data under DATA_DIR/pg survives restarts, kills and a JVM that just exits. */
class EmbeddedDatabaseTest {
    /** Generous: a loaded CI machine starting a JVM and PostgreSQL. Not a speed requirement. */
    private static final long AWAIT_MILLIS = 120_000;
    /** Three quick attempts, so that a test of giving up does not wait the default's minute. */
    private static final RestartingPostmaster.Policy QUICK_RESTARTS = new RestartingPostmaster.Policy(3,
            Duration.ofMillis(10), Duration.ofMillis(40), 5, Duration.ofMinutes(10));

    private final List<Process> children = new ArrayList<>();
    private final List<ChildBot> childBots = new ArrayList<>();

    /** Leaves no server running when a test failed before its restart stopped the child's server. */
    @AfterEach
    void stopChildren() {
        children.forEach(Process::destroyForcibly);
        for (ChildBot bot : childBots) {
            ProcessHandle.of(bot.postmasterPid()).filter(ProcessHandle::isAlive)
                    .ifPresent(pm -> PostmasterShutdown.stop(pm, bot.directory()));
        }
    }

    @Test
    void dataWrittenBeforeARestartIsReadBackAfterIt(@TempDir Path dataDir) {
        DatabaseSettings settings = DatabaseSettings.embedded(dataDir).withPoolSize(2);
        try (Database db = Database.connect(settings)) {
            assertThat(db.embedded()).isPresent();
            assertThat(db.readiness().ready()).isTrue();
            new PgUsers(db.jdbi()).seen(42, "Ann", Optional.of("ann"), Optional.of("en"),
                    Instant.parse("2026-11-21T10:00:00Z"));
            try (dev.kiebot.core.intake.SingletonLock lock = db.singletonLock("kiebot-polling")) {
                assertThat(lock.tryAcquire()).as("nobody else can open this database").isTrue();
                assertThat(lock.isHeld()).isTrue();
                int lockSessions = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE application_name = 'kiebot-singleton-lock'").mapTo(Integer.class).one());
                assertThat(lockSessions).as("no PostgreSQL backend kept for the lock").isZero();
            }
        }
        assertThat(dataDir.resolve("pg").resolve("PG_VERSION")).exists();
        try (Database again = Database.connect(settings)) {
            assertThat(new PgUsers(again.jdbi()).find(42)).isPresent().get()
                    .extracting(u -> u.firstName()).isEqualTo("Ann");
            assertThat(again.readiness().ready()).isTrue();
        }
    }

    @Test
    void onItsOwnServerAnIdlePoolLetsItsBackendsGoButNotWhileOneIsInUse(@TempDir Path dataDir) throws Exception {
        try (Database db = Database.connect(DatabaseSettings.embedded(dataDir).withPoolSize(3))) {
            List<Integer> pids = new ArrayList<>();
            try (Connection a = db.dataSource().getConnection(); Connection b = db.dataSource().getConnection()) {
                pids.add(backendOf(a));
                pids.add(backendOf(b));
                assertThat(db.releaseIdleConnections(Duration.ZERO)).as("both in use").isZero();
            }
            assertThat(living(db, pids)).as("kept while in use").isEqualTo(2);
            db.jdbi().useHandle(h -> assertThat(db.releaseIdleConnections(Duration.ZERO)).as("one in use").isZero());
            assertThat(living(db, pids)).isEqualTo(2);
            assertThat(db.releaseIdleConnections(Duration.ofMinutes(1))).as("used a moment ago: at work").isZero();
            assertThat(living(db, pids)).isEqualTo(2);

            Thread.sleep(200);
            assertThat(db.releaseIdleConnections(Duration.ofMillis(150))).as("the two, and any the migrations left")
                    .isGreaterThanOrEqualTo(2);
            int next = db.jdbi().withHandle(h -> h.createQuery("SELECT pg_backend_pid()").mapTo(Integer.class).one());
            assertThat(next).as("a new backend for the next statement").isNotIn(pids);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (living(db, pids) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(living(db, pids)).as("the idle pool's PostgreSQL backends ended").isZero();
        }
    }

    /** Also: the line saying it started is INFO, the documented default of a single instance, not a warning. */
    @Test
    void theBotsServerSyncsToDiskAndHasConnectionsForItsPoolAndAFewMore(@TempDir Path dataDir) throws Exception {
        try (LoggedLines lines = LoggedLines.of(EmbeddedDatabase.class);
             EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, 4)) {
            assertThat(lines.levelsOf("No DATABASE_URL: using the embedded PostgreSQL (localhost:" + db.port() + ")"))
                    .containsExactly(ch.qos.logback.classic.Level.INFO);
            assertThat(show(db, "fsync")).isEqualTo("on");
            assertThat(show(db, "synchronous_commit")).isEqualTo("on");
            assertThat(show(db, "full_page_writes")).isEqualTo("on");
            assertThat(show(db, "max_connections")).isEqualTo(String.valueOf(4 + ServerSettings.CONNECTIONS_BEYOND_POOL));
            assertThat(show(db, "shared_buffers")).isEqualTo("16MB");
            assertThat(show(db, "TimeZone")).isIn("UTC", "Etc/UTC");
        }
    }

    @Test
    void aSecondStartOnTheSameDirectoryFailsAndLeavesTheFirstServerRunning(@TempDir Path dataDir) throws Exception {
        try (EmbeddedDatabase first = EmbeddedDatabase.startIn(dataDir.resolve("pg"), false)) {
            assertThat(Files.exists(first.directory().resolve("postmaster.pid"))).isTrue();
            assertThatThrownBy(() -> EmbeddedDatabase.startIn(dataDir.resolve("pg"), false).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another bot process");
            // the failed attempt did not drop the lock: another process still finds the directory in use
            Process other = childJvm(dataDir.resolve("pg"), "exit", "second process", dataDir.resolve("other.log"));
            assertThat(other.waitFor(AWAIT_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(other.exitValue()).isNotZero();
            assertThat(dataDir.resolve("other.log")).content().contains("in use by another bot process");
            assertThat(show(first, "server_version")).startsWith("16.");
        }
    }

    @Test
    void aServerLeftRunningByAKilledBotIsStoppedByTheNextStartAndTheDataIsKept(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pg");
        ChildBot child = startChild(tmp, dir, "wait", "written before kill -9");
        child.process().destroyForcibly().waitFor();
        assertThat(ProcessHandle.of(child.postmasterPid()).map(ProcessHandle::isAlive)).contains(true);

        try (EmbeddedDatabase restarted = EmbeddedDatabase.startIn(dir, false)) {
            assertThat(notes(restarted)).containsExactly("written before kill -9");
            awaitGone(child.postmasterPid());
        }
    }

    @Test
    void aServerKilledWhileTheBotRunsIsStartedAgainOnItsPortWithItsData(@TempDir Path tmp) throws Exception {
        // durable, as the bot's: without synchronous commit the row could still be in the killed server's memory
        try (EmbeddedDatabase db = EmbeddedDatabase.startIn(tmp.resolve("pg"), true)) {
            execute(db, "CREATE TABLE survivor (note text)", "INSERT INTO survivor VALUES ('written before kill -9')");
            long killed = db.server().pid();
            int port = db.port();
            String epoch = epoch(db);

            assertThat(ProcessSignal.KILL.sendTo(killed)).isTrue();
            awaitGone(killed);

            assertThat(awaitNotes(db)).containsExactly("written before kill -9");
            assertThat(epoch(db)).as("the epoch the outbox's claims report").isNotEqualTo(epoch);
            assertThat(db.server().pid()).as("a new server").isNotEqualTo(killed);
            assertThat(db.port()).as("where the pool connects").isEqualTo(port);
            assertThat(db.restarts()).isEqualTo(1);
            assertThat(db.leftDown()).isNotCompleted();
        }
    }

    /**
     * A backend killed (the OOM killer's usual choice) makes PostgreSQL end every session and recover in place, with
     * the same postmaster: nothing restarts it, yet commits that had not reached the disk are lost as well. The
     * epoch the outbox's claims report moves, which is how its senders learn of it ({@link UnflushedSettles}).
     */
    @Test
    void aBackendKilledMakesTheServerRecoverInPlaceUnderANewEpoch(@TempDir Path tmp) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.startIn(tmp.resolve("pg"), true)) {
            String epoch = epoch(db);
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
                int backend = backendOf(c);
                assertThat(ProcessSignal.KILL.sendTo(backend)).isTrue();
                awaitGone(backend);
            }
            String after = awaitAnswer(db, d -> {
                String now = epoch(d);
                if (now.equals(epoch)) {
                    throw new SQLException("not recovered yet", "57P03");
                }
                return now;
            });
            assertThat(after).isNotEqualTo(epoch);
            assertThat(db.restarts()).as("the same postmaster").isZero();
        }
    }

    @Test
    void aServerThatCannotStartAgainIsLeftDownAfterItsAttemptsAndCloseStillEnds(@TempDir Path tmp)
            throws Exception {
        Path dir = tmp.resolve("pg");
        try (EmbeddedDatabase db = EmbeddedDatabase.startIn(dir, new ServerSettings(false, 10), false,
                PostgresBinaries.defaultCacheRoot(), QUICK_RESTARTS)) {
            // a directory PostgreSQL no longer takes for its own: every start refuses it
            Files.move(dir.resolve("PG_VERSION"), tmp.resolve("PG_VERSION.moved"));
            long killed = db.server().pid();
            assertThat(ProcessSignal.KILL.sendTo(killed)).isTrue();

            long deadline = System.nanoTime() + AWAIT_MILLIS * 1_000_000;
            while (!db.server().gaveUp() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(db.server().gaveUp()).as("left down after " + QUICK_RESTARTS.attemptsMax() + " attempts")
                    .isTrue();
            assertThat(db.leftDown()).as("what a runner exits on").isCompleted();
            assertThat(db.server().pid()).isEqualTo(killed);
        }
    }

    @Test
    void aServerThatDiesTooOftenIsLeftDown(@TempDir Path tmp) throws Exception {
        RestartingPostmaster.Policy twoExits = new RestartingPostmaster.Policy(3, Duration.ofMillis(10),
                Duration.ofMillis(40), 2, Duration.ofMinutes(10));
        try (EmbeddedDatabase db = EmbeddedDatabase.startIn(tmp.resolve("pg"), new ServerSettings(false, 10), false,
                PostgresBinaries.defaultCacheRoot(), twoExits)) {
            long first = db.server().pid();
            assertThat(ProcessSignal.KILL.sendTo(first)).isTrue();
            long deadline = System.nanoTime() + AWAIT_MILLIS * 1_000_000;
            while (db.server().pid() == first && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long second = db.server().pid();
            assertThat(second).as("the first exit: started again").isNotEqualTo(first);
            assertThat(show(db, "server_version")).startsWith("16.");

            assertThat(ProcessSignal.KILL.sendTo(second)).isTrue();
            while (!db.server().gaveUp() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(db.server().gaveUp()).as("the second exit within the window: left down").isTrue();
            assertThat(db.server().pid()).isEqualTo(second);
        }
    }

    @Test
    void closeStopsTheServerForGoodNothingStartsItAgain(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pg");
        EmbeddedDatabase db = EmbeddedDatabase.startIn(dir, new ServerSettings(false, 10), false,
                PostgresBinaries.defaultCacheRoot(), QUICK_RESTARTS);
        long pid = db.server().pid();
        db.close();
        awaitGone(pid);
        Thread.sleep(QUICK_RESTARTS.delayMax().toMillis() * QUICK_RESTARTS.attemptsMax() + 1_000);
        assertThat(dir.resolve("postmaster.pid")).as("no server was started after close").doesNotExist();
        assertThat(db.leftDown()).as("closed is not left down").isNotCompleted();
    }

    @Test
    void onlyCloseStopsTheServerNotTheJvmExitingSoTheBotsShutdownCanUseItToTheEnd(@TempDir Path tmp)
            throws Exception {
        Path dir = tmp.resolve("pg");
        ChildBot child = startChild(tmp, dir, "exit", "written before exit");
        assertThat(child.process().waitFor(AWAIT_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(child.process().exitValue()).isZero();
        // every shutdown hook of the child JVM has run, and none of them stopped the server
        assertThat(ProcessHandle.of(child.postmasterPid()).map(ProcessHandle::isAlive)).contains(true);

        try (EmbeddedDatabase restarted = EmbeddedDatabase.startIn(dir, false)) {
            assertThat(notes(restarted)).containsExactly("written before exit");
            awaitGone(child.postmasterPid());
        }
    }

    @Test
    void aPidFileNamingAnotherLiveProgramIsStaleThatProgramIsLeftAlone(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pg");
        EmbeddedDatabase.startIn(dir, false).close();
        Process unrelated = new ProcessBuilder("sleep", "600").start();
        children.add(unrelated);
        Files.writeString(dir.resolve("postmaster.pid"), unrelated.pid() + "\n" + dir + "\n");

        try (EmbeddedDatabase db = EmbeddedDatabase.startIn(dir, false)) {
            assertThat(show(db, "server_version")).startsWith("16.");
            assertThat(unrelated.isAlive()).isTrue();
        }
    }

    /**
     * After a reboot (or a container's restart) the stale pid file's pid may belong to another PostgreSQL, a system
     * server or one of its backends. It started after the server the file records, so it cannot be that server: the
     * file is removed and the start succeeds on its own, the other server left alone. Before, PostgreSQL refused to
     * start ("lock file already exists") at every start until an operator deleted the file.
     */
    @Test
    void aPidFileNamingAnotherPostgresYoungerThanItsServerIsStale(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pg");
        EmbeddedDatabase.startIn(dir, false).close();
        try (EmbeddedDatabase other = EmbeddedDatabase.startIn(tmp.resolve("other"), false)) {
            long otherPid = other.server().pid();
            long anHourAgo = Instant.now().minus(Duration.ofHours(1)).getEpochSecond();
            Files.writeString(dir.resolve("postmaster.pid"), otherPid + "\n" + dir + "\n" + anHourAgo + "\n5432\n");

            try (EmbeddedDatabase db = EmbeddedDatabase.startIn(dir, false)) {
                assertThat(show(db, "server_version")).startsWith("16.");
            }
            assertThat(ProcessHandle.of(otherPid).map(ProcessHandle::isAlive)).contains(true);
        }
    }

    @Test
    void aPidFileOfAProcessThatIsGoneIsLeftToPostgres(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("pg");
        EmbeddedDatabase.startIn(dir, false).close();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(dir.resolve("postmaster.pid"), gone.pid() + "\n" + dir + "\n");
        assertThat(LeftoverPostmaster.inspect(dir)).isEqualTo(LeftoverPostmaster.Finding.STALE);

        try (EmbeddedDatabase db = EmbeddedDatabase.startIn(dir, false)) {
            assertThat(show(db, "server_version")).startsWith("16.");
        }
    }

    @Test
    void anInitdbInterruptedByAKillIsRedoneAndANonEmptyForeignDirectoryIsRefused(@TempDir Path tmp)
            throws Exception {
        Path dir = tmp.resolve("pg");
        Files.createDirectories(tmp.resolve("pg.initdb").resolve("base"));
        Files.writeString(tmp.resolve("pg.initdb").resolve("PG_VERSION"), "16\n");
        try (EmbeddedDatabase db = EmbeddedDatabase.startIn(dir, false)) {
            assertThat(show(db, "server_version")).startsWith("16.");
        }
        assertThat(tmp.resolve("pg.initdb")).doesNotExist();

        Path foreign = tmp.resolve("photos");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("cat.jpg"), "meow");
        assertThatThrownBy(() -> EmbeddedDatabase.startIn(foreign, false).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("neither empty nor a PostgreSQL data directory");
        assertThat(foreign.resolve("cat.jpg")).hasContent("meow");
    }

    @Test
    void startAsyncCompletesWithARunningDatabaseTheCallerCloses(@TempDir Path dataDir) throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.startAsync(dataDir, 2).get(AWAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            assertThat(show(db, "server_version")).startsWith("16.");
        }
        try (Database db = Database.connectAsync(DatabaseSettings.embedded(dataDir).withPoolSize(2))
                .get(AWAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            assertThat(db.readiness().ready()).isTrue();
        }
    }

    @Test
    void startAsyncReportsAFailureThroughTheFuture(@TempDir Path tmp) throws Exception {
        Path notADirectory = tmp.resolve("file");
        Files.writeString(notADirectory, "x");
        assertThat(EmbeddedDatabase.startAsync(notADirectory, 2))
                .failsWithin(AWAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Test
    void serveRunsAServerOthersReachByItsPortAndStopsItOnSigterm(@TempDir Path tmp) throws Exception {
        Path output = tmp.resolve("serve.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedDatabase.class.getName(), "serve",
                tmp.resolve("server").toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        children.add(p);
        java.util.regex.Pattern listening = java.util.regex.Pattern.compile("listening on localhost:(\\d+)");
        long deadline = System.nanoTime() + AWAIT_MILLIS * 1_000_000;
        Optional<String> port = Optional.empty();
        while (port.isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            java.util.regex.Matcher m = listening.matcher(Files.readString(output));
            port = m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }
        assertThat(port).as(Files.readString(output)).isPresent();
        String password = Files.readString(tmp.resolve("server").resolve("pg").resolve(ClusterPassword.FILE)).strip();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port.get() + "/postgres",
                "postgres", password);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW fsync")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("served durably, like the bot's own server").isEqualTo("on");
        }
        long postmaster = Long.parseLong(Files.readAllLines(tmp.resolve("server").resolve("pg")
                .resolve("postmaster.pid")).get(0).trim());
        p.destroy();
        assertThat(p.waitFor(AWAIT_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
        awaitGone(postmaster);
    }

    private record ChildBot(Process process, Path directory, long postmasterPid) {
    }

    /** A child JVM running {@link EmbeddedDatabaseChild}, once it has written its row and said "ready". */
    private ChildBot startChild(Path tmp, Path dir, String mode, String note) throws Exception {
        Path output = tmp.resolve("child-" + mode + ".log");
        Process p = childJvm(dir, mode, note, output);
        long deadline = System.nanoTime() + AWAIT_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline) {
            Optional<String> ready = Files.readAllLines(output, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith("ready ")).findFirst();
            if (ready.isPresent()) {
                ChildBot bot = new ChildBot(p, dir, Long.parseLong(ready.get().substring("ready ".length()).trim()));
                childBots.add(bot);
                return bot;
            }
            if (!p.isAlive()) {
                throw new AssertionError("child JVM exited before it was ready:\n" + Files.readString(output));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("child JVM not ready:\n" + Files.readString(output));
    }

    private Process childJvm(Path dir, String mode, String note, Path output) throws IOException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedDatabaseChild.class.getName(),
                dir.toString(), mode, note)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        children.add(p);
        return p;
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT_MILLIS * 1_000_000;
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    }

    private static List<String> notes(EmbeddedDatabase db) throws SQLException {
        List<String> notes = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT note FROM survivor")) {
            while (rs.next()) {
                notes.add(rs.getString(1));
            }
        }
        return notes;
    }

    private static void execute(EmbeddedDatabase db, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** The notes, once the server answers again. */
    private static List<String> awaitNotes(EmbeddedDatabase db) throws Exception {
        return awaitAnswer(db, EmbeddedDatabaseTest::notes);
    }

    /** What a query on a fresh connection reads. */
    private interface Read<T> {
        T from(EmbeddedDatabase db) throws SQLException;
    }

    /** What {@code read} reads, once the server answers again. */
    private static <T> T awaitAnswer(EmbeddedDatabase db, Read<T> read) throws Exception {
        long deadline = System.nanoTime() + AWAIT_MILLIS * 1_000_000;
        while (true) {
            try {
                return read.from(db);
            } catch (SQLException e) {
                // 08: no connection (not listening yet); 57P03: listening, still replaying its WAL
                boolean starting = e.getSQLState().startsWith("08") || e.getSQLState().equals("57P03");
                if (System.nanoTime() > deadline || !starting) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** The epoch each outbox claim reports ({@link UnflushedSettles}): moved by a crash recovery. */
    private static String epoch(EmbeddedDatabase db) throws SQLException {
        return one(db, "SELECT CAST(" + PgPendingReplies.SERVER_EPOCH + " AS text)");
    }

    private static String one(EmbeddedDatabase db, String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String show(EmbeddedDatabase db, String setting) throws SQLException {
        return one(db, "SHOW " + setting);
    }

    private static int backendOf(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int living(Database db, List<Integer> pids) {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE pid IN (<pids>)").bindList("pids", pids)
                .mapTo(Integer.class).one());
    }
}
