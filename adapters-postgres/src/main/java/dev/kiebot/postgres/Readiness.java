package dev.kiebot.postgres;

import java.util.Optional;

/**
 * The database part of {@code /readyz}.
 *
 * @param reachable  a connection could be taken and queried
 * @param migrated   the schema is at the version this build migrates to
 * @param detail     a short explanation without secrets
 * @param schemaVersion the newest migration Flyway's history holds as applied; empty when unreachable or none
 */
public record Readiness(boolean reachable, boolean migrated, String detail, Optional<String> schemaVersion) {
    public boolean ready() {
        return reachable && migrated;
    }
}
