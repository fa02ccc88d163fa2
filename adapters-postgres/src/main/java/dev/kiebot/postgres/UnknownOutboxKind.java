package dev.kiebot.postgres;

/**
 * An outbox body naming a kind this build does not know: a reply type, follow-up type, chat action or media kind a
 * newer build writes. During a deploy the old and the new build serve one outbox, so the old one meets what the new
 * one queued; the claim gives such a chat back for a while ({@link PgPendingReplies#UNREADABLE_RETRY}) rather than
 * fail. Its message names the kind, never the body (a body holds a user's text).
 */
final class UnknownOutboxKind extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param what  which field's kind ("reply type", "follow-up type", "chat action", …)
     * @param value the value this build does not know
     */
    UnknownOutboxKind(String what, String value) {
        super("unknown " + what + " " + value);
    }
}
