package dev.kiebot.core.shop;

/**
 * What core does once a transaction committed (a call to the chat platform, a hand-off to an executor, a
 * wake-up) fails alone: its failure is logged, never thrown into the commit. Thrown there, it reached
 * {@link Transactions#inOne}'s caller as the failure of the work, which had committed: {@link Storefront#serve}
 * apologized «nothing was charged» for an order whose money was held, and an implementation that runs its actions
 * in a loop skipped the ones behind it (an admin's Stars refund among them). Core's own actions are wrapped here,
 * whatever a partner's {@link Transactions} does with an exception.
 */
final class AfterCommit {
    private static final System.Logger LOG = System.getLogger(AfterCommit.class.getName());

    private AfterCommit() {
    }

    /**
     * @param what   what the action does, for the log line: «an answer to chat ***1234's button press»
     * @param action the action
     * @return the action, its {@code RuntimeException} logged instead of thrown
     */
    static Runnable guarded(String what, Runnable action) {
        return () -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, what + " failed after its transaction committed (what it "
                        + "followed stands)", e);
            }
        };
    }
}
