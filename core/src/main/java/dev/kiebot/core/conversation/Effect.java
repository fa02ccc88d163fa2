package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Quote;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.MediaKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Work the conversation asks the storefront to do; the conversation itself never touches a store. Each
 * effect is carried out by a {@link Handler}: adding an effect without handling it does not compile.
 */
public sealed interface Effect {

    /**
     * Carries this effect out with the handler's method for its kind.
     *
     * @return what that method returns
     */
    <R> R apply(Handler<R> handler);

    /**
     * One method per effect. Public only because the storefront's handler, in {@code dev.kiebot.core.shop},
     * implements it: core's to implement, not a partner's. Every new effect adds a method here, so an implementation
     * outside core would stop compiling at core's next version.
     */
    interface Handler<R> {
        R startJob(StartJob e);

        R issueInvoice(IssueInvoice e);

        R acceptTerms(AcceptTerms e);

        R setLanguage(SetLanguage e);

        R cancelJob(CancelJob e);

        R resendJob(ResendJob e);

        R sendOriginal(SendOriginal e);

        R answerPreCheckout(AnswerPreCheckout e);

        R creditStars(CreditStars e);

        R recordStarsRefund(RecordStarsRefund e);

        R setBlocked(SetBlocked e);

        R admin(Admin e);

        R queueBroadcast(QueueBroadcast e);

        R cancelBroadcast(CancelBroadcast e);

        R requestManualTopUp(RequestManualTopUp e);

        R claimManualTopUp(ClaimManualTopUp e);

        R attachReceipt(AttachReceipt e);

        R decideManualTopUp(DecideManualTopUp e);

        R refundStars(RefundStars e);

        R openTicket(OpenTicket e);

        R showInvitation(ShowInvitation e);
    }

    /**
     * Hold {@code price} (or use a free generation) and queue the job.
     *
     * @param price what to hold, 0 when free
     */
    record StartJob(String modelId, String skuId, Map<String, String> values, Map<String, List<String>> files,
                    long price, boolean free) implements Effect {
        public StartJob {
            values = Map.copyOf(values);
            files = Map.copyOf(files);
        }

        /** Carries what the user was quoted on the confirm screen. */
        public static StartJob quoted(String modelId, Map<String, String> values, Map<String, List<String>> files,
                                      Quote quote) {
            return new StartJob(modelId, quote.sku().id(), values, files, quote.charge(), quote.free());
        }

        @Override
        public <R> R apply(Handler<R> h) {
            return h.startJob(this);
        }
    }

    /** Issue a Stars invoice crediting {@code amount} minor units. */
    record IssueInvoice(long stars, long amount) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.issueInvoice(this);
        }
    }

    /** The user accepted the terms (asked for before a first purchase): remembered on the user. */
    record AcceptTerms() implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.acceptTerms(this);
        }
    }

    /** The user chose the language the shop speaks to him in ({@code /language}): one of {@code Texts.LANGUAGES}. */
    record SetLanguage(String language) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.setLanguage(this);
        }
    }

    /** Cancel a queued job and return its money. */
    record CancelJob(JobId job) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.cancelJob(this);
        }
    }

    /** Show the user his invitation link, what it earns and how many friends it brought ({@code /invite}). */
    record ShowInvitation() implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.showInvitation(this);
        }
    }

    /** Send a delivered image again as a file, uncompressed, while the provider still keeps it. */
    record SendOriginal(JobId job) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.sendOriginal(this);
        }
    }

    /** Send a delivered result again (by Telegram file id when known). */
    record ResendJob(JobId job) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.resendJob(this);
        }
    }

    /**
     * Answer the platform's pre-checkout query for a Stars invoice: yes only for an invoice this shop issued to this
     * user, in Stars, for its amount and still payable ({@code Invoice.payableAt}).
     */
    record AnswerPreCheckout(String queryId, String payload, String currency, long totalAmount) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.answerPreCheckout(this);
        }
    }

    /** Credit a completed Stars payment to the wallet, once per {@code chargeId}. */
    record CreditStars(String chargeId, String payload, String currency, long totalAmount) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.creditStars(this);
        }
    }

    /**
     * The platform reports a Stars payment given back: take back what is still available of what it credited, once per
     * {@code chargeId}.
     */
    record RecordStarsRefund(String chargeId, long totalAmount) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.recordStarsRefund(this);
        }
    }

    /** The user blocked the bot, or unblocked it: a blocked user gets no broadcasts and counts as inactive. */
    record SetBlocked(boolean blocked) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.setBlocked(this);
        }
    }

    /** An admin command from a verified admin. */
    record Admin(String command, String args) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.admin(this);
        }
    }

    /** A verified admin confirmed broadcast draft {@code id}; {@code messageId} shows its progress. */
    record QueueBroadcast(long id, Optional<Integer> messageId) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.queueBroadcast(this);
        }
    }

    /** A verified admin dropped broadcast draft {@code id}. */
    record CancelBroadcast(long id, Optional<Integer> messageId) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.cancelBroadcast(this);
        }
    }

    // issue 10

    /** Open a card / SBP top-up request of {@code amount} minor units (within the shop's limits). */
    record RequestManualTopUp(long amount) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.requestManualTopUp(this);
        }
    }

    /** The user says request {@code requestId} is paid. */
    record ClaimManualTopUp(long requestId) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.claimManualTopUp(this);
        }
    }

    /**
     * A receipt for request {@code requestId}: a photo, or a file ({@link MediaKind#DOCUMENT}: an image or a bank's
     * PDF sent as a file, whose id Telegram sends on only as a document).
     */
    record AttachReceipt(long requestId, String fileId, MediaKind kind) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.attachReceipt(this);
        }
    }

    /** A verified admin approves (or declines) manual request {@code requestId}. */
    record DecideManualTopUp(long requestId, boolean approve) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.decideManualTopUp(this);
        }
    }

    /** A verified admin refunds the Stars payment of {@code userId} whose charge has {@code chargeReference}. */
    record RefundStars(long userId, String chargeReference) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.refundStars(this);
        }
    }

    /** The user's payment problem after /paysupport. */
    record OpenTicket(String text) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.openTicket(this);
        }
    }
}
