package dev.kiebot.core.broadcast;

/**
 * Where a broadcast stands.
 *
 * @param pending  not handed to any sender yet
 * @param sending  handed to a sender, outcome not recorded yet
 * @param failed   failed or abandoned
 */
public record Tally(int recipients, int pending, int sending, int sent, int blocked, int failed) {

    /** Every recipient has an outcome. */
    public boolean finished() {
        return pending == 0 && sending == 0;
    }
}
