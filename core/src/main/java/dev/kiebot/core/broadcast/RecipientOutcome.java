package dev.kiebot.core.broadcast;

/** What became of one recipient; ABANDONED: claimed by an instance that died before saying (never re-sent). */
public enum RecipientOutcome {
    SENT, BLOCKED, FAILED, ABANDONED
}
