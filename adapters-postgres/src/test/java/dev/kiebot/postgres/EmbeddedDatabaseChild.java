package dev.kiebot.postgres;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * A bot process in miniature, run in a child JVM by {@link EmbeddedDatabaseTest}: starts the embedded database in
 * {@code args[0]}, writes {@code args[2]} into table {@code survivor}, prints {@code ready <postmaster pid>}, then
 * either waits to be killed ({@code args[1]} = {@code wait}; it closes the database and ends when its parent
 * closes its stdin) or
 * exits without closing the database ({@code exit}).
 */
public final class EmbeddedDatabaseChild {
    private EmbeddedDatabaseChild() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        EmbeddedDatabase db = EmbeddedDatabase.startIn(directory, false);
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Statement s = c.createStatement();
             PreparedStatement insert = c.prepareStatement("INSERT INTO survivor (note) VALUES (?)")) {
            s.execute("CREATE TABLE IF NOT EXISTS survivor (note text NOT NULL)");
            insert.setString(1, args[2]);
            insert.executeUpdate();
        }
        String pid = Files.readAllLines(directory.resolve("postmaster.pid"), StandardCharsets.UTF_8).get(0).trim();
        System.out.println("ready " + pid);
        System.out.flush();
        if (args[1].equals("wait")) {
            while (System.in.read() >= 0) {
                // the test kills this JVM; a parent that dies first closes stdin
            }
            db.close();
        }
        System.exit(0);
    }
}
