package dev.kiebot.postgres;

/**
 * The database kiebot was pointed at holds another application's tables or Flyway history; the message names
 * them and what to do (a new database, {@code DATABASE_SCHEMA}, or {@code DATABASE_BASELINE}).
 */
public final class ForeignSchemaException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public ForeignSchemaException(String message) {
        super(message);
    }
}
