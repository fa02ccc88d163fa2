package dev.kiebot.postgres;

/**
 * The database part of {@code /readyz}.
 *
 * @param reachable  a connection could be taken and queried
 * @param migrated   the schema is at the version this build migrates to
 * @param detail     a short explanation without secrets
 */
public record Readiness(boolean reachable, boolean migrated, String detail) {
    public boolean ready() {
        return reachable && migrated;
    }
}
