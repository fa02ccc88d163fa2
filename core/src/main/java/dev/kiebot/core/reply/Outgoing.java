package dev.kiebot.core.reply;

import dev.kiebot.core.jobs.JobId;
import java.util.Objects;
import java.util.Optional;

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
         * A file of a delivered result sent again at the user's asking (a history re-send) by the platform's file id
         * kept when it first came ({@code Delivery.Sent.fileIds}): should the platform refuse the id
         * ({@link Delivery.Failed}: Telegram's "wrong file identifier"), the file goes by {@code url}, the
         * provider's, while the provider keeps it (a day), and after that, or with no URL known, the user is told the
         * file is gone. Without it he was left without an answer to his press.
         *
         * @param job the job whose file it is
         * @param url the provider's URL of the same file; empty when it cannot be told which of the job's it is
         */
        record SentAgain(JobId job, Optional<String> url) implements Follow {
            /**
             * Checks the values.
             *
             * @param job never null
             * @param url never null: {@code Optional.empty()} when no URL is known
             * @throws NullPointerException naming the component left null
             */
            public SentAgain {
                Objects.requireNonNull(job, "Follow.SentAgain: job, the job whose file it is");
                Objects.requireNonNull(url, "Follow.SentAgain: url, Optional.empty() when none is known");
            }
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
