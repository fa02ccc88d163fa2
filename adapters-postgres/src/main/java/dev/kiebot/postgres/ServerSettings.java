package dev.kiebot.postgres;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the embedded server is configured: for a small box running one bot (a few MB of data, a pool of about ten
 * connections, one or two cores), not for a shared database server. Given on the command line at every start,
 * so a changed setting takes effect on the next start without touching {@code postgresql.conf}. Left at
 * PostgreSQL's defaults on purpose: {@code work_mem} (4MB, modest already), autovacuum (it keeps statistics and
 * prevents transaction-id wraparound), WAL and checkpoint settings (crash recovery).
 *
 * @param durable        false trades crash safety for speed (no fsync, no synchronous commit): tests only
 * @param connectionsMax {@code max_connections}
 */
record ServerSettings(boolean durable, int connectionsMax) {
    /**
     * Connections beyond the pool: the polling runner's lock connection, Flyway's two at start, and two for an
     * operator's psql. PostgreSQL keeps 3 of max_connections for superusers, which the bot's user is.
     */
    static final int CONNECTIONS_BEYOND_POOL = 5;
    /** Tests open several pools (second instances, concurrency tests) on one server. */
    static final int CONNECTIONS_FOR_TESTS = 100;

    ServerSettings {
        if (connectionsMax < 4 || connectionsMax > 1_000) {
            throw new IllegalArgumentException("connectionsMax must be in 4..1000, got " + connectionsMax);
        }
    }

    /** Production: durable, connections matched to a pool of {@code poolSize}. */
    static ServerSettings forPool(int poolSize) {
        return new ServerSettings(true, poolSize + CONNECTIONS_BEYOND_POOL);
    }

    private Map<String, String> values() {
        Map<String, String> v = new LinkedHashMap<>();
        // IPv4's loopback alone, where the port was found free and where the bot connects: with "localhost" the
        // server also bound ::1, where the same port may be another process's, and exited on a port found free
        v.put("listen_addresses", Postmaster.LOOPBACK);
        // TCP only: no socket file in /tmp to collide with or to leave behind
        v.put("unix_socket_directories", "");
        v.put("max_connections", Integer.toString(connectionsMax));
        // the bot's data is a few MB and the OS page cache holds what does not fit; this caps what the server
        // keeps resident (the default, 128MB, fills up on a busy day and stays)
        v.put("shared_buffers", "16MB");
        // no surprise reservation of (or failed attempt at) huge pages; 16 MB does not need them
        v.put("huge_pages", "off");
        // VACUUM, CREATE INDEX and each autovacuum worker may use this much; tables are small
        v.put("maintenance_work_mem", "16MB");
        // OLTP on one or two cores: parallel workers only cost processes and /dev/shm segments
        v.put("max_parallel_workers_per_gather", "0");
        v.put("max_parallel_maintenance_workers", "0");
        // no logical replication: without workers the launcher process is not started at all
        v.put("max_logical_replication_workers", "0");
        // the short OLTP queries never pay off compiling; avoids loading LLVM into a backend
        v.put("jit", "off");
        // zonky's default, kept so that timestamps and dates are read the same as before
        v.put("timezone", "UTC");
        // the bot's log adds the time; the pid and severity let ServerLog pick a log level
        v.put("log_line_prefix", "[%p] ");
        // a checkpoint every few minutes is routine, not news for the bot's log
        v.put("log_checkpoints", "off");
        // a power loss or host crash must not corrupt the files nor lose a commit the bot acted on (a reply sent
        // after a payment); zonky's -F had turned fsync off even for the bot's own server
        v.put("fsync", durable ? "on" : "off");
        v.put("synchronous_commit", durable ? "on" : "off");
        v.put("full_page_writes", durable ? "on" : "off");
        return v;
    }

    /** {@code -c name=value} for every setting. */
    List<String> commandLineOptions() {
        List<String> options = new ArrayList<>();
        values().forEach((name, value) -> {
            options.add("-c");
            options.add(name + "=" + value);
        });
        return options;
    }
}
