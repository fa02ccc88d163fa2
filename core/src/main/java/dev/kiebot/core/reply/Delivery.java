package dev.kiebot.core.reply;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one reply: your {@link Messenger}'s answer. A {@link Sent} takes a null for "none": the message
 * went out, and an answer that threw would be taken for a failure of the shop and the message sent again. The others
 * say that it did not arrive, so they refuse a null with what to give instead.
 */
public sealed interface Delivery {
    /**
     * It went out: the platform took the message (or the edit, or the action).
     *
     * @param messageId the platform's id of the sent or edited message, when there is one: a job's status is edited
     *                  in it later, and a button pressed on it comes back in {@code Event.Callback.messageId}
     * @param fileIds   the platform's ids of sent media (Telegram file ids), kept for history re-sends: a result sent
     *                  again comes back to {@link Messenger#send} as a {@code Reply.SendMedia} whose {@code source} is
     *                  one of them. A platform without file ids gives an opaque reference of its own that its
     *                  messenger can send again (a key of your own store, say), or none: an empty list keeps the
     *                  source URL the shop sent, the provider's, which may expire (Kie keeps a result for a day or
     *                  so), and a re-send after that finds the file gone
     */
    record Sent(Optional<Long> messageId, List<String> fileIds) implements Delivery {
        /**
         * A null {@code messageId} or {@code fileIds} reads as none: see {@link Delivery}.
         *
         * @param messageId as the record's description says; null or empty when the platform gave none
         * @param fileIds   as the record's description says; null or empty for a text; copied
         */
        public Sent {
            messageId = messageId == null ? Optional.empty() : messageId;
            fileIds = fileIds == null ? List.of() : List.copyOf(fileIds);
        }
    }

    /** The user blocked the bot (403): they are marked inactive. */
    record Blocked() implements Delivery {
    }

    /**
     * It could not be delivered after the adapter's own retries; it surely did not arrive. The shop logs it and does
     * not send it again (only a job's result goes once more, as a text with its link, and a file sent again by its
     * file id, by the provider's URL: {@link Outgoing.Follow.SentAgain}): retry inside the adapter.
     *
     * @param reason a word for the log: the platform's error, or the exception's class name when it has no message
     */
    record Failed(String reason) implements Delivery {
        /**
         * Checks the reason.
         *
         * @param reason as the record's description says; never null
         * @throws NullPointerException for a null reason
         */
        public Failed {
            Objects.requireNonNull(reason, "Delivery.Failed: reason, a word for the log (e.g. the platform's error, "
                    + "or the exception's class name when it has no message)");
        }
    }

    /**
     * It surely did not arrive, and may yet: the platform could not be reached (a network failure, its 5xx, for
     * longer than the adapter's own retries), or asked to wait longer than the adapter waits (Telegram's 429 with a
     * long {@code retry_after}). The shop keeps the reply first in its chat's queue and sends it again after
     * {@code retryIn} (longer for a reply deferred again and again: the waits double up to two minutes), in no other
     * form (a result's link would meet the same outage or the same wait); nothing else goes to that chat before it.
     * A reply still deferred after {@code ReplySender.DEFERRED_MAX} is dropped as failed.
     * For what is answered at once rather than queued (a button's answer, a pre-checkout's), it counts as failed.
     *
     * <p>A reply the platform takes as several messages (a text longer than one message holds) may stop part way:
     * then {@code rest} is what is still to go, and only that is sent again (with the reply's keyboard and what
     * follows it), in its place in the queue; sent whole again, the messages that had gone out came twice.
     *
     * <p>{@code cause} says whether the wait is the platform's trouble or its pace. A platform that cannot be reached
     * is worth an operator's look, and the shop logs a reply's first deferral as a warning; a chat the platform asks
     * to slow down (Telegram's 429 for a busy chat) is routine, and a warning per reply buried the ones that need an
     * operator: answer {@link Cause#PACE} for it, and the shop logs it at debug (its messenger says it once, if at
     * all). A reply given up after {@code ReplySender.DEFERRED_MAX} is logged as an error either way.
     *
     * @param retryIn how long to wait before the next try (zero or more)
     * @param reason  a word for the log: why it could not go now
     * @param rest    what is still to go when part of the reply went out already; empty: none of it did
     * @param cause   why it waits: the platform's trouble, or its pace
     */
    record Deferred(Duration retryIn, String reason, Optional<Reply> rest, Cause cause) implements Delivery {
        /** Why a reply waits: what tells an operator's warning from a routine line. */
        public enum Cause {
            /**
             * The platform could not take it: unreachable, its 5xx, the bot's token refused, a stop, or not known
             * (a messenger's throw). What a {@code Deferred} made without a cause means.
             */
            TROUBLE,
            /**
             * The platform took the call and asked to wait before the next (Telegram's 429 with its
             * {@code retry_after}): its pace for a busy chat, no fault of anybody's.
             */
            PACE
        }

        /**
         * Checks the values.
         *
         * @param retryIn zero or more, e.g. the platform's {@code retry_after}
         * @param reason  never null
         * @param rest    never null: {@code Optional.empty()} when none of the reply went out
         * @param cause   never null: {@link Cause#TROUBLE} unless the platform asked for the wait
         * @throws NullPointerException     naming the component left null, and what to give instead
         * @throws IllegalArgumentException for a negative {@code retryIn}
         */
        public Deferred {
            Objects.requireNonNull(retryIn, "Delivery.Deferred: retryIn, how long to wait, e.g. the platform's "
                    + "retry_after (Duration.ZERO: at the sender's next turn)");
            Objects.requireNonNull(reason, "Delivery.Deferred: reason, a word for the log");
            Objects.requireNonNull(rest, "Delivery.Deferred: rest, Optional.empty() when none of the reply went out");
            Objects.requireNonNull(cause, "Delivery.Deferred: cause, Cause.PACE when the platform asked to wait "
                    + "(a 429), Cause.TROUBLE otherwise");
            if (retryIn.isNegative()) {
                throw new IllegalArgumentException("retryIn must be zero or more, got " + retryIn);
            }
        }

        /**
         * The platform's trouble ({@link Cause#TROUBLE}).
         *
         * @param retryIn zero or more, e.g. the platform's {@code retry_after}
         * @param reason  a word for the log
         * @param rest    what is still to go; {@code Optional.empty()} when none of the reply went out
         */
        public Deferred(Duration retryIn, String reason, Optional<Reply> rest) {
            this(retryIn, reason, rest, Cause.TROUBLE);
        }

        /**
         * Nothing of the reply went out; the platform's trouble ({@link Cause#TROUBLE}).
         *
         * @param retryIn zero or more, e.g. the platform's {@code retry_after}
         * @param reason  a word for the log
         */
        public Deferred(Duration retryIn, String reason) {
            this(retryIn, reason, Optional.empty());
        }

        /**
         * Nothing of the reply went out, and the platform asked to wait ({@link Cause#PACE}: a 429).
         *
         * @param retryIn zero or more: the platform's {@code retry_after}
         * @param reason  a word for the log
         * @return the deferral
         */
        public static Deferred pacedByPlatform(Duration retryIn, String reason) {
            return new Deferred(retryIn, reason, Optional.empty(), Cause.PACE);
        }
    }

    /**
     * Media whose source is gone: neither the platform nor the adapter could fetch its URL, and the URL's host
     * answered that the file is not there (HTTP 404 or 410). It surely did not arrive and never will, nor would its
     * link. For a job's result the shop gives the job's price back (once per job: the transfer an admin's
     * {@code /refund} makes) and tells the user, instead of sending a link that leads nowhere; for a file sent again
     * on the user's asking (an original, a history re-send) it tells him the file is gone. Answer {@code Failed}
     * rather than this when the file may still be there.
     *
     * @param reason a word for the log, e.g. the URL's HTTP status
     */
    record Gone(String reason) implements Delivery {
        /**
         * Checks the reason.
         *
         * @param reason as the record's description says; never null
         * @throws NullPointerException for a null reason
         */
        public Gone {
            Objects.requireNonNull(reason, "Delivery.Gone: reason, a word for the log (e.g. the URL's HTTP status)");
        }
    }

    /**
     * It may or may not have arrived (the connection dropped after the request was sent): sending it again,
     * or the same thing in another form, could show the user two copies. Settled so, it is not sent again; but when
     * the messenger holds right after it ({@link Messenger#heldFor}: the platform went down with it in flight), the
     * shop sends it once more when the platform is back (a duplicate beats no answer; a job's result is then marked as
     * maybe sent, never refunded as not delivered, and goes once more at most).
     *
     * @param reason a word for the log: the network error, or the exception's class name when it has no message
     */
    record Uncertain(String reason) implements Delivery {
        /**
         * Checks the reason.
         *
         * @param reason as the record's description says; never null
         * @throws NullPointerException for a null reason
         */
        public Uncertain {
            Objects.requireNonNull(reason, "Delivery.Uncertain: reason, a word for the log (e.g. the network error, "
                    + "or the exception's class name when it has no message)");
        }
    }

    /**
     * The platform's id of the message sent or edited: only a {@link Sent} may have one.
     *
     * @return the {@link Sent}'s message id; empty for every other outcome, and for a {@code Sent} without one
     */
    default Optional<Long> messageId() {
        return this instanceof Sent s ? s.messageId() : Optional.empty();
    }
}
