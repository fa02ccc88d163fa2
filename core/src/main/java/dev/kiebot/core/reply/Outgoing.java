package dev.kiebot.core.reply;

import dev.kiebot.core.jobs.JobId;

/**
 * A reply waiting in its chat's queue, and what follows once it is sent.
 *
 * @param follow what the sender does with the outcome
 */
public record Outgoing(Reply reply, Follow follow) {

    public static Outgoing plain(Reply reply) {
        return new Outgoing(reply, new Follow.Nothing());
    }

    public long chatId() {
        return reply.chatId();
    }

    /** What the sender does once the reply went out. */
    public sealed interface Follow {
        /** Nothing more. */
        record Nothing() implements Follow {
        }

        /** The job's status (a text): edits its status message when it has one, else sends one and keeps its id. */
        record JobStatus(JobId job) implements Follow {
        }

        /** A result of the job: keeps its file ids; when it surely did not arrive, {@code fallback} goes instead. */
        record JobResult(JobId job, Reply fallback) implements Follow {
        }

        /** A message edited later by {@code tag}: edits the tagged message when there is one, else sends and tags. */
        record Tagged(String tag) implements Follow {
        }
    }
}
