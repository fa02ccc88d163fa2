package dev.kiebot.postgres;

/**
 * The database's schema was migrated by a newer kiebot than this one (an older build started on it: a rollback); the
 * message names both versions and what to do. Its own type so that a runner can exit with a status of its own: a
 * restart meets the same schema, so a supervisor must not start it again and again.
 */
public final class SchemaNewerThanBuildException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public SchemaNewerThanBuildException(String message) {
        super(message);
    }
}
