package dev.kiebot.bench;

/** The benchmark cannot go on (a child that does not start, a missing jar); the message says why. */
final class BenchFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BenchFailure(String message) {
        super(message);
    }
}
