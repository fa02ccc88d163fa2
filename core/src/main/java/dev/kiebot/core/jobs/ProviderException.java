package dev.kiebot.core.jobs;

/**
 * A provider call failed.
 *
 * @see ErrorKind
 */
public final class ProviderException extends Exception {
    private static final long serialVersionUID = 1L;
    /** What went wrong, which decides what the shop does with the job ({@link ErrorKind}). */
    private final ErrorKind kind;
    /** False only when the request surely did not arrive: then a task's creation may be sent again. */
    private final boolean mayHaveReachedProvider;

    /**
     * A failed call, as the adapter understood it.
     *
     * @param kind                   what went wrong: decides what the shop does with the job ({@link ErrorKind})
     * @param detail                 provider's message (never contains secrets)
     * @param mayHaveReachedProvider false only when the request surely did not arrive (connect
     *                               failure, 429/433/455 answer): only then may createTask be retried
     */
    public ProviderException(ErrorKind kind, String detail, boolean mayHaveReachedProvider) {
        super(kind + ": " + detail);
        this.kind = kind;
        this.mayHaveReachedProvider = mayHaveReachedProvider;
    }

    /**
     * What went wrong, which decides what the shop does with the job ({@link ErrorKind}).
     *
     * @return the kind given
     */
    public ErrorKind kind() {
        return kind;
    }

    /**
     * False only when the request surely did not arrive: then a task's creation may be sent again.
     *
     * @return as given
     */
    public boolean mayHaveReachedProvider() {
        return mayHaveReachedProvider;
    }
}
