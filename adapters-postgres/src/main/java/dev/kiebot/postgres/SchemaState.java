package dev.kiebot.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a start finds in kiebot's schema before migrating: Flyway's history (whose, and how far it got), or the
 * tables of something else. Read with two short queries, so a restart on an up-to-date schema costs almost
 * nothing.
 *
 * @param schema        the schema looked at ({@code DATABASE_SCHEMA}, else the connection's default)
 * @param applied       versions in Flyway's history, in the order they were applied (empty without a history)
 * @param scripts       the scripts of the history's rows, to tell kiebot's history from another application's
 * @param otherTables   without a history: the tables (and views) already in the schema, sorted, at most
 *                      {@link #TABLES_NAMED_MAX} + 1 of them
 */
record SchemaState(String schema, boolean hasHistory, List<String> applied, List<String> scripts,
                   List<String> otherTables) {
    static final String HISTORY_TABLE = "flyway_schema_history";
    /** The first migration every kiebot schema starts with. */
    static final String FIRST_SCRIPT = "V1__ledger.sql";
    /** The version {@code DATABASE_BASELINE} marks a shared schema with: every migration of kiebot runs after it. */
    static final String BASELINE_VERSION = "0";
    static final int TABLES_NAMED_MAX = 20;

    SchemaState {
        applied = List.copyOf(applied);
        scripts = List.copyOf(scripts);
        otherTables = List.copyOf(otherTables);
    }

    /** @param schema the schema to look at; empty = the connection's current one */
    static SchemaState read(Connection c, Optional<String> schema) throws SQLException {
        String name;
        boolean history;
        try (PreparedStatement st = c.prepareStatement("SELECT s, to_regclass(format('%I.%I', s, ?::text)) IS NOT NULL "
                + "FROM coalesce(?::text, current_schema(), 'public') AS s")) {
            st.setString(1, HISTORY_TABLE);
            st.setString(2, schema.orElse(null));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                name = rs.getString(1);
                history = rs.getBoolean(2);
            }
        }
        if (history) {
            return withHistory(c, name);
        }
        List<String> tables = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT c.relname FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
                + "ORDER BY c.relname LIMIT " + (TABLES_NAMED_MAX + 1))) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return new SchemaState(name, false, List.of(), List.of(), tables);
    }

    private static SchemaState withHistory(Connection c, String schema) throws SQLException {
        List<String> applied = new ArrayList<>();
        List<String> scripts = new ArrayList<>();
        // the schema name was checked to be a plain identifier (or came from current_schema()): quote it anyway
        try (PreparedStatement st = c.prepareStatement("SELECT version, script, success, type FROM "
                + quoted(schema) + "." + HISTORY_TABLE + " ORDER BY installed_rank");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                // Flyway's own marks: the schema it created, and the baseline DATABASE_BASELINE asked for
                boolean mark = "SCHEMA".equals(rs.getString(4))
                        || ("BASELINE".equals(rs.getString(4)) && BASELINE_VERSION.equals(rs.getString(1)));
                if (!mark) {
                    scripts.add(String.valueOf(rs.getString(2)));
                }
                if (rs.getBoolean(3) && rs.getString(1) != null) {
                    applied.add(rs.getString(1));
                }
            }
        }
        return new SchemaState(schema, true, applied, scripts, List.of());
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** A history written by kiebot: empty, kiebot's baseline mark only, or starting with kiebot's first script. */
    boolean historyIsOurs() {
        return scripts.isEmpty() || scripts.get(0).equals(FIRST_SCRIPT);
    }

    /** The newest version applied; empty when none. */
    String newestApplied() {
        return applied.stream().max(BundledMigrations::compare).orElse("");
    }

    /** Tables of something else: no history of ours, yet the schema is not empty. */
    boolean holdsOtherTables() {
        return !hasHistory && !otherTables.isEmpty();
    }

    /** Whether {@code newestBundled} is applied already, so Flyway need not even be loaded. */
    boolean upToDate(String newestBundled) {
        return hasHistory && historyIsOurs() && !newestBundled.isEmpty()
                && BundledMigrations.compare(newestApplied(), newestBundled) == 0;
    }
}
