package dev.kiebot.postgres;

import java.util.List;

/** What a migration test reads back after migrating into a schema of its own: which of the indexes it names exist. */
final class MigratedIndexes {
    private MigratedIndexes() {
    }

    /** @return those of {@code names} that are indexes in {@code schema}, in name order */
    static List<String> named(Database db, String schema, List<String> names) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT c.relname FROM pg_index i "
                        + "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname = :schema AND c.relname = ANY(:names) ORDER BY c.relname")
                .bind("schema", schema)
                .bindArray("names", String.class, names)
                .mapTo(String.class)
                .list());
    }
}
