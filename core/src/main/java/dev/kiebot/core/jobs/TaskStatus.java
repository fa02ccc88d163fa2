package dev.kiebot.core.jobs;

/** A provider task's status in provider-neutral terms. */
public sealed interface TaskStatus {
    record Queued() implements TaskStatus {
    }

    record Running() implements TaskStatus {
    }

    record Succeeded(JobResult result) implements TaskStatus {
    }

    /** @param kind why; {@code detail} is the provider's message (for logs, and for the user when INVALID_INPUT) */
    record Failed(ErrorKind kind, String detail) implements TaskStatus {
    }

    default boolean isFinal() {
        return this instanceof Succeeded || this instanceof Failed;
    }
}
