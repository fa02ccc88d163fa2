package dev.kiebot.core.conversation;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An admin's {@code /topup_user} or {@code /debit_user} shown for confirmation and not pressed yet: nothing moves
 * until «Начислить» / «Списать» is pressed on it. A typo (50000 for 500, another user's id) was credited the moment
 * it was sent; now the admin reads whom, how much and the balance first, as a user confirms a paid generation.
 *
 * <p>Kept in the admin's {@link ChatSession}, so every instance sees it and a restart keeps it, and only the chat it was
 * shown in can press it. One at a time: a newer command's confirmation replaces it, and the older message's buttons
 * are refused; /cancel drops it the same way. Its buttons carry {@link #nonce()}; the money moves under a ledger id made of the same command update
 * and admin, so it moves once however often they are pressed.
 *
 * <p>Core's own: written by the shop's admin desk, stored through {@link ChatStateCodec}; a partner neither builds nor
 * reads it.
 *
 * @param credit    true for {@code /topup_user} (money onto the wallet), false for {@code /debit_user} (off it)
 * @param userId    whose wallet
 * @param amount    how much, in minor units, above 0
 * @param updateId  the admin's command update: with {@code adminId}, what names this confirmation and its transfer
 * @param adminId   the admin who gave the command
 * @param expiresAt when a press no longer moves anything ({@link #VALID} after the command)
 * @param job       for an admin's {@code /refund}: the job whose money goes back (its number), {@code credit} false and
 *                  {@code amount} what it was charged; empty for a credit or debit. A refund given at once to the job
 *                  one digit off paid another user and told him, and stopped a running one for good
 * @param refundShown for an admin's {@code /refund}: what its screen said the press does ({@link RefundShown}), which
 *                  the press compares with what it would do now; empty for a credit or debit, and for a refund's kept
 *                  by a build before this one (its press shows the screen again, moving nothing)
 * @param charge    for an admin's {@code /refund_stars} (or a payment list's «💸 Вернуть»): Telegram's id of the Stars
 *                  payment given back, {@code credit} false and {@code amount} what leaves the balance (0 for a
 *                  payment that credited nothing); empty otherwise. Telegram gave the Stars back at the command or the
 *                  list's tap, at once and for good, and a list's buttons one under another were alike
 */
public record MoneyConfirmation(boolean credit, long userId, long amount, long updateId, long adminId,
                                Instant expiresAt, OptionalLong job, Optional<RefundShown> refundShown,
                                Optional<String> charge) {
    /** How long a confirmation may be pressed: long enough to check the user, short enough not to be found days on. */
    public static final Duration VALID = Duration.ofMinutes(10);
    /** The form of {@link #nonce()}: {@code c}, {@code d}, {@code r} or {@code s}, the command update, the admin. */
    private static final Pattern NONCE = Pattern.compile("([cdrs]):(\\d{1,19}):(\\d{1,19})");

    /**
     * Checks that nothing is null.
     *
     * @param credit    credit or debit
     * @param userId    whose wallet
     * @param amount    how much, in minor units
     * @param updateId  the command update
     * @param adminId   the admin
     * @param expiresAt when it expires, never null
     * @param job       the job of a {@code /refund}; empty for a credit or debit
     * @param refundShown what a {@code /refund}'s screen said; empty for a credit or debit
     * @param charge    the Stars payment of a {@code /refund_stars}; empty for anything else
     * @throws NullPointerException for a null {@code expiresAt}, {@code job}, {@code refundShown} or {@code charge}
     * @throws IllegalArgumentException for a refund said to be a credit, what a screen said on a credit or debit, or
     *                                  naming both a job and a payment
     */
    public MoneyConfirmation {
        Objects.requireNonNull(expiresAt, "expiresAt: the command's time plus MoneyConfirmation.VALID");
        Objects.requireNonNull(job, "job: empty for a credit or debit");
        Objects.requireNonNull(refundShown, "refundShown: empty for a credit or debit");
        Objects.requireNonNull(charge, "charge: empty for anything but a Stars refund");
        if (credit && (job.isPresent() || charge.isPresent())) {
            throw new IllegalArgumentException("a refund's confirmation is no credit");
        }
        if (refundShown.isPresent() && job.isEmpty()) {
            throw new IllegalArgumentException("what a refund's screen said, on a credit or debit");
        }
        if (job.isPresent() && charge.isPresent()) {
            throw new IllegalArgumentException("a confirmation names a job or a Stars payment, not both");
        }
    }

    /**
     * A credit, debit or {@code /refund}'s confirmation.
     *
     * @param credit      credit or debit
     * @param userId      whose wallet
     * @param amount      how much, in minor units
     * @param updateId    the command update
     * @param adminId     the admin
     * @param expiresAt   when it expires, never null
     * @param job         the job of a {@code /refund}; empty for a credit or debit
     * @param refundShown what a {@code /refund}'s screen said; empty for a credit or debit
     */
    public MoneyConfirmation(boolean credit, long userId, long amount, long updateId, long adminId,
                             Instant expiresAt, OptionalLong job, Optional<RefundShown> refundShown) {
        this(credit, userId, amount, updateId, adminId, expiresAt, job, refundShown, Optional.empty());
    }

    /**
     * A {@code /refund}'s confirmation as a build before this one kept it: without what its screen said.
     *
     * @param credit    false
     * @param userId    whose wallet
     * @param amount    what the job was charged
     * @param updateId  the command update
     * @param adminId   the admin
     * @param expiresAt when it expires, never null
     * @param job       the job
     */
    public MoneyConfirmation(boolean credit, long userId, long amount, long updateId, long adminId,
                             Instant expiresAt, OptionalLong job) {
        this(credit, userId, amount, updateId, adminId, expiresAt, job, Optional.empty(), Optional.empty());
    }

    /**
     * What a {@code /refund}'s screen said its press does: stop a job under way and give its price back, or give a
     * finished job's charge back, so much to the balance and so much against what the user has back in Stars. The
     * job may change between the screen and the press (it finishes, a lesser result charged less; Telegram reports the
     * Stars refund that paid it): the press that finds it would do otherwise moves nothing and shows the screen again
     * with the new figures, to be pressed again. Before, it moved what the job's state said then, not what the admin
     * read.
     *
     * @param running  true when the screen offered to stop a job under way
     * @param toWallet what the screen said reaches the balance, minor units
     * @param inStars  what the screen said the user has back in Stars already, minor units
     */
    public record RefundShown(boolean running, long toWallet, long inStars) {
    }

    /**
     * A credit or debit's confirmation.
     *
     * @param credit    credit or debit
     * @param userId    whose wallet
     * @param amount    how much, in minor units
     * @param updateId  the command update
     * @param adminId   the admin
     * @param expiresAt when it expires, never null
     */
    public MoneyConfirmation(boolean credit, long userId, long amount, long updateId, long adminId,
                             Instant expiresAt) {
        this(credit, userId, amount, updateId, adminId, expiresAt, OptionalLong.empty(), Optional.empty(),
                Optional.empty());
    }

    /**
     * Whether this is a {@code /refund}'s confirmation.
     *
     * @return true when it names a job
     */
    public boolean refund() {
        return job.isPresent();
    }

    /**
     * Whether this is a {@code /refund_stars}'s confirmation.
     *
     * @return true when it names a Stars payment
     */
    public boolean starsRefund() {
        return charge.isPresent();
    }

    /**
     * What the confirmation's buttons carry: {@code c:<update>:<admin>}, {@code d:}, {@code r:} (a {@code /refund}) or
     * {@code s:} (a {@code /refund_stars}), at most 41 characters.
     *
     * @return the nonce
     */
    public String nonce() {
        return new Nonce(credit, updateId, adminId, refund(), starsRefund()).text();
    }

    /**
     * What a confirmation's buttons carry, read back: the command it names whether or not a chat keeps it still (its
     * transfer may have been made). Written and read here only.
     *
     * @param credit   true for {@code /topup_user}
     * @param updateId the admin's command update
     * @param adminId  the admin who gave it
     * @param refund   true for a {@code /refund} ({@code credit} false)
     * @param stars    true for a {@code /refund_stars} ({@code credit} and {@code refund} false)
     */
    public record Nonce(boolean credit, long updateId, long adminId, boolean refund, boolean stars) {
        /**
         * A credit, debit or {@code /refund}'s nonce.
         *
         * @param credit   true for {@code /topup_user}
         * @param updateId the admin's command update
         * @param adminId  the admin who gave it
         * @param refund   true for a {@code /refund}
         */
        public Nonce(boolean credit, long updateId, long adminId, boolean refund) {
            this(credit, updateId, adminId, refund, false);
        }

        /**
         * A credit or debit's nonce.
         *
         * @param credit   true for {@code /topup_user}
         * @param updateId the admin's command update
         * @param adminId  the admin who gave it
         */
        public Nonce(boolean credit, long updateId, long adminId) {
            this(credit, updateId, adminId, false, false);
        }

        /**
         * Reads a button's nonce.
         *
         * @param text what the button carried
         * @return the command it names; empty for anything not of the form {@link MoneyConfirmation#nonce()} writes
         */
        public static Optional<Nonce> read(String text) {
            Matcher m = NONCE.matcher(text);
            if (!m.matches()) {
                return Optional.empty();
            }
            // an update's id is read as a user's: 19 digits at most, none past a long
            Optional<Long> updateId = TypedUserId.read(m.group(2));
            Optional<Long> adminId = TypedUserId.read(m.group(3));
            return updateId.isPresent() && adminId.isPresent()
                    ? Optional.of(new Nonce(m.group(1).equals("c"), updateId.get(), adminId.get(),
                    m.group(1).equals("r"), m.group(1).equals("s"))) : Optional.empty();
        }

        /** @return {@code c:}, {@code d:}, {@code r:} or {@code s:}, then {@code <update>:<admin>}: at most 41 characters */
        String text() {
            return (stars ? "s" : refund ? "r" : credit ? "c" : "d") + ":" + updateId + ":" + adminId;
        }
    }
}
