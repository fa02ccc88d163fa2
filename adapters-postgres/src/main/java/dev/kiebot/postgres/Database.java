package dev.kiebot.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.kiebot.core.intake.SingletonLock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Arguments;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's entry point to PostgreSQL: a HikariCP pool, Flyway migrations applied at start when the schema
 * is behind this build ({@link SchemaUpgrade}), and a Jdbi
 * instance the stores share. Without a {@code DATABASE_URL} it starts (and on {@link #close()} stops) the
 * embedded database.
 *
 * <pre>{@code
 * Database db = Database.connect(DatabaseSettings.embedded(Path.of("data")));   // or fromUrl(databaseUrl)
 * PgStores stores = PgStores.create(db, Clock.systemUTC());
 * }</pre>
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    static final String APPLICATION_NAME = "kiebot";
    /** A pooled connection unused this long is closed (down to one); HikariCP's smallest allowed is 10 s. */
    static final long IDLE_CONNECTION_MILLIS = 30_000;
    /**
     * How long a pooled connection waits for the server's answer before it gives up (and the pool opens another).
     * The bot's statements take milliseconds, but one sent into a connection that died without a word (a NAT or
     * proxy forgot it) would wait until TCP gives up retransmitting, about 15 minutes, holding a handler, a reply
     * sender or the webhook's intake all that time. Longer than the about one minute a row lock of a vanished
     * instance can last (the server's keepalives below end its session). A {@code socketTimeout} in the
     * {@code DATABASE_URL} wins; Flyway's migrations use connections of their own, without it.
     */
    static final int POOLED_SOCKET_TIMEOUT_SECONDS = 90;
    /**
     * Run on every new connection: the server probes a quiet client after 30 s, every 10 s, and gives up after 3
     * unanswered probes. A bot host that died without closing its connections (power, network, a container torn
     * down) otherwise keeps its sessions — the chat it was handling, a job it was sending, the polling lock — for
     * the operating system's default of about two hours. {@code SET} after connecting, not a startup option, which
     * poolers refuse; on the embedded server (localhost) it costs nothing.
     */
    static final String SERVER_KEEPALIVE_SQL = "SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; "
            + "SET tcp_keepalives_count = 3";
    /**
     * The longest a pooled connection's statement waits for a lock another session holds, then fails with SQLState
     * 55P03, which core's {@code ConnectionLoss} takes as the database not taking the work now: the update stays
     * pending and its handler backs off, logging it once ("taking updates failed (…, SQLState 55P03 …)"). Unbounded, an
     * operator's forgotten {@code BEGIN; SELECT … FOR UPDATE} on {@code users} (or a {@code LOCK TABLE outbox_chats})
     * stalled every handler without a line in the log. The bot's own transactions hold their locks for milliseconds;
     * an instance that vanished mid-transaction holds them until the server's keepalives end its session (about one
     * minute), which a handler now waits out in several tries. Only the pool's connections: the session advisory lock
     * of {@link PgSingletonLock} and the listener ({@link #openDedicatedConnection}) and Flyway's migrations (its own
     * connections, {@link SchemaUpgrade}), which may rightly wait longer, have none.
     */
    public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(15);
    /** How long a request for a pooled connection waits for one before it fails (HikariCP's connection timeout). */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(15);

    private final DatabaseSettings settings;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Optional<EmbeddedDatabase> embedded;
    private final Wakeups wakeups;
    /** How much of a failed statement's SQL its exception message keeps. */
    static final int SQL_IN_MESSAGE_CHARS_MAX = 200;
    private final String expectedSchemaVersion;
    private final PoolUse poolUse;
    private final WriteRefusals writeRefusals = new WriteRefusals();
    /** The readiness probe's connections: a refusal heard as a statement's connection's is ({@link WriteRefusals}). */
    private final ConnectionFactory probeConnections;
    private final ProbeFailures probeFailures;

    private Database(DatabaseSettings settings, HikariDataSource dataSource, Optional<EmbeddedDatabase> embedded,
                     String expectedSchemaVersion, PoolUse poolUse) {
        this.settings = settings;
        this.poolUse = poolUse;
        this.dataSource = dataSource;
        this.embedded = embedded;
        // the embedded server this instance started is its own (the data directory is locked): nobody to notify
        this.wakeups = embedded.isPresent() ? Wakeups.ownDatabase() : Wakeups.sharedDatabase();
        this.expectedSchemaVersion = expectedSchemaVersion;
        // a connection the server refuses (53300, too many) and a refused COMMIT are no statement's: heard apart
        this.jdbi = Jdbi.create(writeRefusals.hearingConnections(dataSource)).installPlugin(new PostgresPlugin());
        // after every other factory, so asked first: a statement's copy of the config finds its types' arguments
        this.jdbi.getConfig(Arguments.class).register(new RememberedArgumentTypes(this.jdbi.getConfig()));
        this.probeConnections = writeRefusals.hearingConnections(dataSource);
        this.probeFailures = new ProbeFailures(settings.user(), System::nanoTime);
        this.jdbi.setTransactionHandler(writeRefusals.hearingCommits(this.jdbi.getTransactionHandler()));
        // a failed statement's exception (and so any log line that prints it) names the SQL but never the values
        // bound to it: those are users' prompts, names and payloads
        this.jdbi.getConfig(StatementExceptions.class).setMessageRendering(Database::statementOnly);
        // every statement's outcome tells whether the database refuses writes (a full disk, read-only), which the
        // readiness probe, a read, cannot
        this.jdbi.getConfig(SqlStatements.class).setSqlLogger(writeRefusals);
    }

    /** Whether the database refuses the bot's writes now (a full disk, a read-only database): see the class. */
    public WriteRefusals writeRefusals() {
        return writeRefusals;
    }

    /** The driver's message and the start of the SQL, without the bound values Jdbi would add by default. */
    static String statementOnly(StatementException e) {
        String sql = Optional.ofNullable(e.getStatementContext()).map(c -> c.getRawSql()).orElse("");
        return e.getShortMessage() + " [statement: \"" + (sql.length() > SQL_IN_MESSAGE_CHARS_MAX
                ? sql.substring(0, SQL_IN_MESSAGE_CHARS_MAX) + "…" : sql) + "\"]";
    }

    /**
     * Connects (starting the embedded database when {@code settings} has no URL), migrates and returns a ready
     * database.
     *
     * @throws IllegalStateException when the database cannot be reached or migrated (the message has no password)
     */
    public static Database connect(DatabaseSettings settings) {
        Optional<EmbeddedDatabase> embedded = Optional.empty();
        DatabaseSettings effective = settings;
        if (settings.isEmbedded()) {
            EmbeddedDatabase e = EmbeddedDatabase.start(settings.dataDir(), settings.poolSize(),
                    settings.schema().isEmpty());
            embedded = Optional.of(e);
            effective = settings.at(e.jdbcUrl(), e.user(), e.password());
        } else {
            // a database elsewhere may take its time to answer (or never): the operator sees where the bot is waiting
            LOG.info("connecting to the database at {}", settings.address());
        }
        try {
            return open(effective, embedded, LOCK_TIMEOUT, CONNECTION_TIMEOUT);
        } catch (RuntimeException e) {
            embedded.ifPresent(EmbeddedDatabase::close);
            throw e;
        }
    }

    /**
     * {@link #connect(DatabaseSettings)} on a thread of its own: starting the embedded database and migrating take
     * most of a start, and need nothing else of the bot, so they can run while it loads its catalog. The caller
     * owns the database the future completes with and must close it, also when it gives up waiting
     * ({@code future.thenAccept(Database::close)}).
     */
    public static CompletableFuture<Database> connectAsync(DatabaseSettings settings) {
        return CompletableFuture.supplyAsync(() -> connect(settings),
                task -> new Thread(task, "database-connect").start());
    }

    /** Connects to an already running embedded database (which the caller keeps owning). */
    public static Database connect(EmbeddedDatabase embedded, DatabaseSettings settings) {
        return open(settings.at(embedded.jdbcUrl(), embedded.user(), embedded.password()), Optional.empty(),
                LOCK_TIMEOUT, CONNECTION_TIMEOUT);
    }

    /** A database elsewhere ({@code settings} with a URL) whose pooled statements wait {@code lockTimeout} (tests). */
    static Database connect(DatabaseSettings settings, Duration lockTimeout) {
        return open(settings, Optional.empty(), lockTimeout, CONNECTION_TIMEOUT);
    }

    /** A database elsewhere whose pool gives up on a connection after {@code connectionTimeout} (tests). */
    static Database connectWaiting(DatabaseSettings settings, Duration connectionTimeout) {
        return open(settings, Optional.empty(), LOCK_TIMEOUT, connectionTimeout);
    }

    /** Run on every new pooled connection: the keepalives, and {@code lockTimeout} ({@link #LOCK_TIMEOUT}). */
    static String pooledConnectionSql(Duration lockTimeout) {
        return SERVER_KEEPALIVE_SQL + "; SET lock_timeout = '" + lockTimeout.toMillis() + "ms'";
    }

    private static Database open(DatabaseSettings s, Optional<EmbeddedDatabase> embedded, Duration lockTimeout,
                                 Duration connectionTimeout) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(s.jdbcUrl().orElseThrow());
        if (!s.user().isEmpty()) {
            config.setUsername(s.user());
        }
        if (!s.password().isEmpty()) {
            config.setPassword(s.password());
        }
        config.setMaximumPoolSize(s.poolSize());
        // each connection is a PostgreSQL backend of 10-20 MB resident: when the bot idles, the pool shrinks to one,
        // and on its own embedded server to none (releaseIdleConnections): the next statement opens one in a few
        // milliseconds there, where a server elsewhere costs this box nothing and a new connection a TLS handshake
        config.setMinimumIdle(embedded.isPresent() ? 0 : 1);
        config.setIdleTimeout(IDLE_CONNECTION_MILLIS);
        config.setPoolName("kiebot-db");
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setInitializationFailTimeout(30_000);
        config.setAutoCommit(true);
        config.setConnectionInitSql(pooledConnectionSql(lockTimeout));
        PoolUse poolUse = new PoolUse();
        config.setMetricsTrackerFactory((poolName, stats) -> poolUse);
        config.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        config.addDataSourceProperty("tcpKeepAlive", "true");
        // PostgreSQL's "Detail:" quotes row values (a duplicate key, a failing row): not in our exceptions or logs
        config.addDataSourceProperty("logServerErrorDetail", "false");
        config.addDataSourceProperty("connectTimeout", "10");
        config.addDataSourceProperty("socketTimeout", Integer.toString(POOLED_SOCKET_TIMEOUT_SECONDS));
        s.schema().ifPresent(config::setSchema);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            // the README promises a line saying what to check: the server's words alone ("Connection refused") left
            // the operator to guess which setting they were about
            throw new IllegalStateException("cannot connect to the database at " + s.address() + ": "
                    + withoutUser(rootMessage(e), s.user()) + (embedded.isPresent() ? "" : "; " + WHAT_TO_CHECK), e);
        }
        try {
            String version = SchemaUpgrade.toNewest(ds, s);
            LOG.info("database ready at {}{} (schema version {})", s.address(),
                    s.schema().map(n -> ", schema " + n).orElse(""), version);
            return new Database(s, ds, embedded, version, poolUse);
        } catch (ForeignSchemaException | SchemaNewerThanBuildException e) {
            ds.close();
            throw e;
        } catch (RuntimeException e) {
            ds.close();
            throw new IllegalStateException("cannot migrate the database at " + s.address() + ": "
                    + withoutUser(rootMessage(e), s.user()), e);
        }
    }

    /** What an operator checks when a database at {@code DATABASE_URL} cannot be reached. */
    static final String WHAT_TO_CHECK = "check DATABASE_URL (host, port, credentials) and that the server is up";

    /**
     * The server's message without the user it quotes ({@code password authentication failed for user "…"}): the
     * user is part of the credentials, which no line of the bot shows.
     */
    static String withoutUser(String message, String user) {
        return user.isEmpty() ? message : message.replace("\"" + user + "\"", "\"<user>\"");
    }

    /**
     * The innermost cause's words. A host that does not resolve says only its name ("dpg-abc123-a"): named as an
     * unknown host, since Render's internal database URL used from outside Render is the usual cause.
     */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof java.net.UnknownHostException) {
            return "unknown host " + t.getMessage() + " (the name does not resolve from here: an internal URL used "
                    + "from outside its network?)";
        }
        return String.valueOf(t.getMessage());
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The settings actually used (for the embedded database: its local URL). */
    public DatabaseSettings settings() {
        return settings;
    }

    /** Who is woken when the stores commit work; subscribe before the stores are used. */
    public Wakeups wakeups() {
        return wakeups;
    }

    /** The embedded database this instance started, if any. */
    public Optional<EmbeddedDatabase> embedded() {
        return embedded;
    }

    /**
     * The lock that lets one instance at a time do {@code name}'s work (the polling runner's getUpdates): on a
     * shared database a session advisory lock ({@link PgSingletonLock}); on this instance's own embedded database,
     * which no other process can open, a lock that is simply held, without a connection of its own.
     */
    public SingletonLock singletonLock(String name) {
        return wakeups.shared() ? new PgSingletonLock(this, name) : new OwnDatabaseLock();
    }

    /**
     * A new connection outside the pool, e.g. for a session advisory lock that must live as long as the
     * connection. The caller closes it.
     */
    public Connection openDedicatedConnection(String applicationName) throws SQLException {
        Properties props = new Properties();
        if (!settings.user().isEmpty()) {
            props.setProperty("user", settings.user());
        }
        if (!settings.password().isEmpty()) {
            props.setProperty("password", settings.password());
        }
        props.setProperty("ApplicationName", applicationName);
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("connectTimeout", "10");
        props.setProperty("socketTimeout", "30");
        settings.schema().ifPresent(name -> props.setProperty("currentSchema", name));
        Connection c = DriverManager.getConnection(settings.jdbcUrl().orElseThrow(), props);
        try (Statement st = c.createStatement()) {
            st.execute(SERVER_KEEPALIVE_SQL);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * On the embedded server this instance started, closes the pooled connections if none is in use and none was
     * taken or given back for {@code quietFor}: each is a PostgreSQL backend of 15-19 MB resident on this box, and the
     * next statement opens one again in a few milliseconds (a bot at work keeps its connections and their prepared
     * statements). For an idle instance, once its minute's looks at the database are over: HikariCP's own idle
     * timeout (30 s) is longer than the time between looks of a few loops, so it never closed the last one. A
     * connection taken between the check and the eviction is closed when it is given back. On a database elsewhere
     * nothing is closed: its backends cost this box nothing, and a new connection there costs a TLS handshake the
     * next user would wait for.
     *
     * @return how many idle connections were closed
     */
    public int releaseIdleConnections(Duration quietFor) {
        HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
        if (embedded.isEmpty() || pool == null || pool.getActiveConnections() > 0
                || pool.getThreadsAwaitingConnection() > 0 || !poolUse.quietFor(quietFor)) {
            return 0;
        }
        int idle = pool.getIdleConnections();
        if (idle > 0) {
            pool.softEvictConnections();
        }
        return idle;
    }

    /**
     * Requests for a pooled connection that waited the pool's whole connection timeout and failed (a handler's update
     * rolled back, a reply not settled), since the pool started: a thread waits only while it waits, so between two
     * scrapes of the waiting threads such a request is gone; this count keeps it (the runtime's
     * {@code kiebot_database_connection_timeouts_total}).
     */
    public long connectionTimeouts() {
        return poolUse.timeouts();
    }

    /**
     * The sessions holding locks that the bot's pooled connections ({@code application_name} {@value
     * #APPLICATION_NAME}) wait for now, longest-open transaction first, at most {@value #LOCK_HOLDERS_MAX}: for the log
     * line that tells an operator why updates stall. Empty when none waits. One statement, with a 5 s timeout.
     */
    public List<LockHolder> lockHolders() {
        return jdbi.withHandle(h -> h.createQuery("SELECT b.pid, b.application_name, b.state, b.xact_start, "
                        + "b.query_start, count(*) AS waiting FROM pg_stat_activity w "
                        + "CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS bp(pid) "
                        + "JOIN pg_stat_activity b ON b.pid = bp.pid "
                        + "WHERE w.datname = current_database() AND w.application_name = :app "
                        + "AND w.wait_event_type = 'Lock' "
                        + "GROUP BY b.pid, b.application_name, b.state, b.xact_start, b.query_start "
                        + "ORDER BY b.xact_start NULLS LAST, b.pid LIMIT " + LOCK_HOLDERS_MAX)
                .setQueryTimeout(5)
                .bind("app", APPLICATION_NAME)
                .map((rs, ctx) -> new LockHolder(rs.getInt("pid"),
                        Optional.ofNullable(rs.getString("application_name")).orElse(""),
                        Optional.ofNullable(rs.getString("state")),
                        Sql.optionalInstant(rs, "xact_start"), Sql.optionalInstant(rs, "query_start"),
                        rs.getInt("waiting")))
                .list());
    }

    /** Lock holders a log line names at most. */
    static final int LOCK_HOLDERS_MAX = 5;

    /**
     * Database reachable and every migration of this build applied; for {@code /readyz}. A probe that cannot reach it
     * is logged once a spell ({@link ProbeFailures}); its connection refused for want of connections (53300) is a
     * write refusal ({@link #writeRefusals()}), as a handler's is: taken straight from the pool, it was neither.
     */
    public Readiness readiness() {
        try (Connection c = probeConnections.openConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(5);
            String version = null;
            try (ResultSet rs = st.executeQuery("SELECT version FROM flyway_schema_history "
                    + "WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
                if (rs.next()) {
                    version = rs.getString(1);
                }
            }
            boolean migrated = expectedSchemaVersion.equals(version);
            probeFailures.worked();
            return new Readiness(true, migrated, migrated ? "schema version " + version
                    : "schema version " + version + ", expected " + expectedSchemaVersion, Optional.ofNullable(version));
        } catch (SQLException | RuntimeException e) {
            probeFailures.failed(e);
            return new Readiness(false, false, "database unreachable: " + e.getClass().getSimpleName(),
                    Optional.empty());
        }
    }

    @Override
    public void close() {
        dataSource.close();
        embedded.ifPresent(EmbeddedDatabase::close);
    }
}
