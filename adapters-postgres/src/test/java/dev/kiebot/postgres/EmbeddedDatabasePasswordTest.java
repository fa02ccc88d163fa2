package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server listens on localhost, which every process of the machine reaches: only a connection that
 * gives the password kept in its directory gets in, also on a directory made before there were passwords.
 */
class EmbeddedDatabasePasswordTest {

    @Test
    void aConnectionWithoutTheDirectorysPasswordIsRefused(@TempDir Path tmp) throws Exception {
        Path cluster = tmp.resolve("pg");
        try (EmbeddedDatabase db = EmbeddedDatabase.startIn(cluster, false)) {
            assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), db.user(), "").close())
                    .as("any local user, who knows the port from ps or a scan").isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), db.user(), "postgres").close())
                    .isInstanceOf(SQLException.class);
            assertThat(select(db, db.password(), "SELECT 1")).isEqualTo("1");

            Path kept = cluster.resolve(ClusterPassword.FILE);
            assertThat(Files.readString(kept).strip()).isEqualTo(db.password()).hasSizeGreaterThanOrEqualTo(32);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept))).isEqualTo("rw-------");
            assertThat(cluster.resolveSibling("pg.password")).as("initdb's copy is gone").doesNotExist();
        }
    }

    @Test
    void aDirectoryWhoseServerTrustedEveryLocalConnectionGetsAPasswordAtItsNextStart(@TempDir Path tmp)
            throws Exception {
        Path cluster = tmp.resolve("pg");
        try (EmbeddedDatabase db = EmbeddedDatabase.startIn(cluster, false)) {
            execute(db, db.password(), "CREATE TABLE balances_before (rub int); INSERT INTO balances_before VALUES (150); "
                    + "ALTER ROLE postgres PASSWORD NULL");
        }
        // as an earlier version left it: initdb -A trust, no password on the role, none kept
        Files.delete(cluster.resolve(ClusterPassword.FILE));
        Files.writeString(cluster.resolve(ClusterPassword.CLIENT_AUTHENTICATION_FILE),
                "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n");

        try (EmbeddedDatabase db = EmbeddedDatabase.startIn(cluster, false)) {
            assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), db.user(), "").close())
                    .isInstanceOf(SQLException.class);
            assertThat(select(db, db.password(), "SELECT rub FROM balances_before")).isEqualTo("150");
            assertThat(ClusterPassword.read(cluster)).contains(db.password());
            assertThat(Files.readString(cluster.resolve(ClusterPassword.CLIENT_AUTHENTICATION_FILE)))
                    .doesNotContain("trust");
        }
        try (EmbeddedDatabase again = EmbeddedDatabase.startIn(cluster, false)) {
            assertThat(select(again, ClusterPassword.read(cluster).orElseThrow(), "SELECT rub FROM balances_before"))
                    .as("the password is kept, not made again at every start").isEqualTo("150");
        }
    }

    /** The first column of the first row, connecting with {@code password}. */
    static String select(EmbeddedDatabase db, String password, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), password);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(EmbeddedDatabase db, String password, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), password);
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
