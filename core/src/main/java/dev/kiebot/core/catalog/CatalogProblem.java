package dev.kiebot.core.catalog;

/**
 * One reason a catalog cannot be loaded.
 *
 * @param where the model id (or {@code file:line}) the problem is about
 * @param what  what is wrong and what to do
 */
public record CatalogProblem(String where, String what) {
    @Override
    public String toString() {
        return where + ": " + what;
    }
}
