package dev.kiebot.core.broadcast;

/** What became of one recipient; ABANDONED: claimed by an instance that died before saying (never re-sent). */
public enum RecipientOutcome {
    /** The message went out. */
    SENT,
    /** The user had blocked the bot. */
    BLOCKED,
    /** The platform refused it, or it may not have arrived. */
    FAILED,
    /** Claimed by an instance that died before saying: never sent again. */
    ABANDONED
}
