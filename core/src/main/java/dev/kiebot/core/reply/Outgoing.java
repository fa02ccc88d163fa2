package dev.kiebot.core.reply;

import dev.kiebot.core.jobs.JobId;

/**
 * A reply waiting in its chat's queue, and what follows once it is sent. A store of your own keeps both parts as they
 * are ({@code PendingReplies.append}) and gives them back unchanged with the claim.
 *
 * @param reply  what to send
 * @param follow what the sender does with the outcome
 */
public record Outgoing(Reply reply, Follow follow) {

    /**
     * A reply with nothing to do after it is sent.
     *
     * @param reply what to send
     * @return the queued form
     */
    public static Outgoing plain(Reply reply) {
        return new Outgoing(reply, new Follow.Nothing());
    }

    /**
     * The chat the reply goes to.
     *
     * @return {@code reply().chatId()}
     */
    public long chatId() {
        return reply.chatId();
    }

    /** What the sender does once the reply went out. */
    public sealed interface Follow {
        /** Nothing more. */
        record Nothing() implements Follow {
        }

        /**
         * The job's status (a text): edits its status message when it has one, else sends one and keeps its id.
         *
         * @param job the job whose status it is
         */
        record JobStatus(JobId job) implements Follow {
        }

        /**
         * A result of the job: keeps its file ids; when it surely did not arrive, {@code fallback} goes instead.
         *
         * @param job      the job whose result it is
         * @param fallback what goes instead when the media surely did not arrive: a text with the result's link
         */
        record JobResult(JobId job, Reply fallback) implements Follow {
        }

        /**
         * A message edited later by {@code tag}: edits the tagged message when there is one, else sends and tags.
         *
         * @param tag the name of the screen within its chat ({@code PendingReplies.tag})
         */
        record Tagged(String tag) implements Follow {
        }
    }
}
