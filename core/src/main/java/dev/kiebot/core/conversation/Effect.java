package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Quote;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.MediaKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Work the conversation asks the storefront to do; the conversation itself never touches a store. Each
 * effect is carried out by a {@link Handler}: adding an effect without handling it does not compile.
 */
public sealed interface Effect {

    /**
     * Carries this effect out with the handler's method for its kind.
     *
     * @param <R>     what the handler answers
     * @param handler the handler whose method for this kind of effect runs
     * @return what that method returns
     */
    <R> R apply(Handler<R> handler);

    /**
     * One method per effect. Public only because the storefront's handler, in {@code dev.kiebot.core.shop},
     * implements it: core's to implement, not a partner's. Every new effect adds a method here, so an implementation
     * outside core would stop compiling at core's next version.
     *
     * @param <R> what each method answers (the storefront's: the replies to send)
     */
    interface Handler<R> {
        /**
         * Carries out {@link StartJob}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R startJob(StartJob e);

        /**
         * Carries out {@link IssueInvoice}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R issueInvoice(IssueInvoice e);

        /**
         * Carries out {@link AcceptTerms}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R acceptTerms(AcceptTerms e);

        /**
         * Carries out {@link SetLanguage}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R setLanguage(SetLanguage e);

        /**
         * Carries out {@link CancelJob}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R cancelJob(CancelJob e);

        /**
         * Carries out {@link ResendJob}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R resendJob(ResendJob e);

        /**
         * Carries out {@link SendOriginal}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R sendOriginal(SendOriginal e);

        /**
         * Carries out {@link AnswerPreCheckout}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R answerPreCheckout(AnswerPreCheckout e);

        /**
         * Carries out {@link CreditStars}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R creditStars(CreditStars e);

        /**
         * Carries out {@link RecordStarsRefund}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R recordStarsRefund(RecordStarsRefund e);

        /**
         * Carries out {@link SetBlocked}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R setBlocked(SetBlocked e);

        /**
         * Carries out {@link Admin}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R admin(Admin e);

        /**
         * Carries out {@link QueueBroadcast}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R queueBroadcast(QueueBroadcast e);

        /**
         * Carries out {@link CancelBroadcast}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R cancelBroadcast(CancelBroadcast e);

        /**
         * Carries out {@link RequestManualTopUp}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R requestManualTopUp(RequestManualTopUp e);

        /**
         * Carries out {@link ClaimManualTopUp}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R claimManualTopUp(ClaimManualTopUp e);

        /**
         * Carries out {@link AttachReceipt}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R attachReceipt(AttachReceipt e);

        /**
         * Carries out {@link DecideManualTopUp}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R decideManualTopUp(DecideManualTopUp e);

        /**
         * Carries out {@link RefundStars}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R refundStars(RefundStars e);

        /**
         * Carries out {@link ForgetUser}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R forgetUser(ForgetUser e);

        /**
         * Carries out {@link OpenTicket}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R openTicket(OpenTicket e);

        /**
         * Carries out {@link AddToTicket}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R addToTicket(AddToTicket e);

        /**
         * Carries out {@link ShowInvitation}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R showInvitation(ShowInvitation e);

        /**
         * Carries out {@link SettleMoney}.
         *
         * @param e the effect
         * @return what this handler answers for it
         */
        R settleMoney(SettleMoney e);
    }

    /**
     * Hold {@code price} (or use a free generation) and queue the job.
     *
     * @param modelId the model ordered
     * @param skuId   the priced variant the quote was for
     * @param values  the fields' answers, by field name
     * @param files   the file fields' answers: the platform's file ids, by field name
     * @param price   what to hold, in minor units; 0 when free
     * @param free    whether the job uses one of the user's free generations instead of money
     */
    record StartJob(String modelId, String skuId, Map<String, String> values, Map<String, List<String>> files,
                    long price, boolean free) implements Effect {
        /**
         * Copies the maps.
         *
         * @param modelId the model ordered
         * @param skuId   the priced variant
         * @param values  copied
         * @param files   copied (the lists within are kept as given)
         * @param price   minor units; 0 when free
         * @param free    whether it is a free generation
         */
        public StartJob {
            values = Map.copyOf(values);
            files = Map.copyOf(files);
        }

        /**
         * Carries what the user was quoted on the confirm screen. The job's values name every option of the variant
         * quoted, those the user was never asked too: left out, they took the catalog's default at the send, and a
         * deploy that changed it between the hold and the send asked the provider for another variant than paid for.
         *
         * @param modelId the model ordered
         * @param values  the fields' answers
         * @param files   the file fields' answers
         * @param quote   what the confirm screen showed: the variant, the charge, whether free
         * @return the effect, holding the quote's charge, its values with the quoted variant's options
         */
        public static StartJob quoted(String modelId, Map<String, String> values, Map<String, List<String>> files,
                                      Quote quote) {
            Map<String, String> paid = new HashMap<>(values);
            paid.putAll(quote.sku().options());
            return new StartJob(modelId, quote.sku().id(), paid, files, quote.charge(), quote.free());
        }

        @Override
        public <R> R apply(Handler<R> h) {
            return h.startJob(this);
        }
    }

    /**
     * Issue a Stars invoice crediting {@code amount} minor units.
     *
     * @param stars  the price in Stars
     * @param amount what the payment credits, in minor units
     */
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

    /**
     * The user chose the language the shop speaks to him in ({@code /language}): one of {@code Texts.LANGUAGES}.
     *
     * @param language {@code ru} or {@code en}
     */
    record SetLanguage(String language) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.setLanguage(this);
        }
    }

    /**
     * Cancel a queued job and return its money.
     *
     * @param job the user's job
     */
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

    /**
     * Send a delivered image again as a file, uncompressed, while the provider still keeps it.
     *
     * @param job the user's delivered job
     */
    record SendOriginal(JobId job) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.sendOriginal(this);
        }
    }

    /**
     * Send a delivered result again (by Telegram file id when known).
     *
     * @param job the user's delivered job
     */
    record ResendJob(JobId job) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.resendJob(this);
        }
    }

    /**
     * Answer the platform's pre-checkout query for a Stars invoice: yes only for an invoice this shop issued to this
     * user, in Stars, for its amount and still payable ({@code Invoice.payableAt}).
     *
     * @param queryId     the platform's id of the question
     * @param payload     the invoice's payload as the platform brought it back
     * @param currency    as the platform said ({@code XTR} for Stars)
     * @param totalAmount Stars
     */
    record AnswerPreCheckout(String queryId, String payload, String currency, long totalAmount) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.answerPreCheckout(this);
        }
    }

    /**
     * Credit a completed Stars payment to the wallet, once per {@code chargeId}.
     *
     * @param chargeId    the platform's id of the charge
     * @param payload     the invoice's payload
     * @param currency    as the platform said ({@code XTR} for Stars)
     * @param totalAmount Stars paid
     */
    record CreditStars(String chargeId, String payload, String currency, long totalAmount) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.creditStars(this);
        }
    }

    /**
     * The platform reports a Stars payment given back: take back what is still available of what it credited, once per
     * {@code chargeId}.
     *
     * @param chargeId    the platform's id of the charge given back
     * @param totalAmount Stars given back
     */
    record RecordStarsRefund(String chargeId, long totalAmount) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.recordStarsRefund(this);
        }
    }

    /**
     * The user blocked the bot, or unblocked it: a blocked user gets no broadcasts and counts as inactive.
     *
     * @param blocked true when blocked
     */
    record SetBlocked(boolean blocked) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.setBlocked(this);
        }
    }

    /**
     * An admin command from a verified admin.
     *
     * @param command the command's name, lower-case without the slash
     * @param args    the rest of its message, {@code ""} for none
     */
    record Admin(String command, String args) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.admin(this);
        }
    }

    /**
     * A verified admin confirmed broadcast draft {@code id}; {@code messageId} shows its progress.
     *
     * @param id        the draft's id
     * @param made      when the draft the button was made for was made, as the button says: draft numbers start again
     *                  on a restored database, and a button of the lost day must not send whichever draft took its
     *                  number since; empty for a button of a build before
     * @param messageId the message whose button was pressed, edited to show the progress; empty when not known
     */
    record QueueBroadcast(long id, Optional<Instant> made, Optional<Long> messageId) implements Effect {
        /**
         * Checks that nothing is null.
         *
         * @param id        the draft's id
         * @param made      never null
         * @param messageId never null
         */
        public QueueBroadcast {
            Objects.requireNonNull(made, "made");
            Objects.requireNonNull(messageId, "messageId");
        }


        @Override
        public <R> R apply(Handler<R> h) {
            return h.queueBroadcast(this);
        }
    }

    /**
     * A verified admin dropped broadcast draft {@code id}.
     *
     * @param id        the draft's id
     * @param messageId the message whose button was pressed, edited to say so; empty when not known
     */
    record CancelBroadcast(long id, Optional<Long> messageId) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.cancelBroadcast(this);
        }
    }

    /**
     * A verified admin pressed «Начислить» / «Списать» ({@code move}) or «Отмена» under the confirmation of a
     * {@code /topup_user} or {@code /debit_user}: the money moves only when {@code nonce} is the confirmation his chat
     * kept ({@link ChatSession#money()}, handed over as {@code kept}) and it has not expired; a nonce whose transfer
     * was made is told as done.
     *
     * @param nonce     what the button carried ({@link MoneyConfirmation#nonce()})
     * @param move      true for the money to move, false to cancel
     * @param messageId the confirmation's message, edited to say what came of it; empty when not known
     * @param kept      the confirmation the chat kept under {@code nonce}, which the conversation took off the session
     *                  it writes (gone whatever the press does); empty when it kept none under it (pressed before,
     *                  cancelled, replaced, shown in another chat, forged)
     */
    record SettleMoney(String nonce, boolean move, Optional<Long> messageId, Optional<MoneyConfirmation> kept)
            implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.settleMoney(this);
        }
    }

    // issue 10

    /**
     * Open a card / SBP top-up request of {@code amount} minor units (within the shop's limits).
     *
     * @param amount minor units
     */
    record RequestManualTopUp(long amount) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.requestManualTopUp(this);
        }
    }

    /**
     * The user says request {@code requestId} is paid.
     *
     * @param requestId the request's id
     */
    record ClaimManualTopUp(long requestId) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.claimManualTopUp(this);
        }
    }

    /**
     * A receipt for request {@code requestId}: a photo, or a file ({@link MediaKind#DOCUMENT}: an image or a bank's
     * PDF sent as a file, whose id Telegram sends on only as a document). A request not yet reported paid is not
     * reported paid by it (a stray photo would tell every admin of money that never went): the user gets the request's
     * «Оплачено» button and sends the receipt again after it.
     *
     * @param requestId the request's id
     * @param fileId    the platform's file id of the receipt
     * @param kind      how to send it on to the admins: a photo or a document
     * @param answered  true for an album's file after its first, whose answer spoke for the whole album
     *                  ({@link ReceiptAlbum}): sent on to the admins with no word of its own to the user
     * @param uniqueId  the platform's id of the receipt's content ({@link Event.Media#uniqueId()}), when it said: the
     *                  same receipt sent for another request is pointed out to the admins
     */
    record AttachReceipt(long requestId, String fileId, MediaKind kind, boolean answered, Optional<String> uniqueId)
            implements Effect {
        /**
         * Checks that nothing is null.
         *
         * @param requestId the request's id
         * @param fileId    never null
         * @param kind      never null
         * @param answered  an album's file after its first
         * @param uniqueId  never null; {@code Optional.empty()} when not known
         */
        public AttachReceipt {
            Objects.requireNonNull(fileId, "AttachReceipt: fileId");
            Objects.requireNonNull(kind, "AttachReceipt: kind, a photo or a document");
            Objects.requireNonNull(uniqueId, "AttachReceipt: uniqueId, Optional.empty() when not known");
        }

        /**
         * A receipt whose content's id is not known (the form before receipts were compared).
         *
         * @param requestId the request's id
         * @param fileId    the platform's file id of the receipt
         * @param kind      a photo or a document
         * @param answered  an album's file after its first
         */
        public AttachReceipt(long requestId, String fileId, MediaKind kind, boolean answered) {
            this(requestId, fileId, kind, answered, Optional.empty());
        }

        /**
         * A receipt the user is answered for.
         *
         * @param requestId the request's id
         * @param fileId    the platform's file id of the receipt
         * @param kind      a photo or a document
         */
        public AttachReceipt(long requestId, String fileId, MediaKind kind) {
            this(requestId, fileId, kind, false);
        }

        @Override
        public <R> R apply(Handler<R> h) {
            return h.attachReceipt(this);
        }
    }

    /**
     * A verified admin approves (or declines) manual request {@code requestId}.
     *
     * @param requestId the request's id
     * @param made      when the request the button was made for was created, as the button says: request numbers start
     *                  again on a restored database, and a button of the lost day must not decide whichever request
     *                  took its number since; empty for a button of a build before, which says nothing of it
     * @param approve   true to credit it, false to decline it
     * @param sure      a decline the admin confirmed: one press of «Отклонить» only asks, as a mis-tap would tell the
     *                  user «declined» for good
     */
    record DecideManualTopUp(long requestId, Optional<Instant> made, boolean approve, boolean sure) implements Effect {
        /**
         * Checks that nothing is null.
         *
         * @param requestId the request's id
         * @param made      never null
         * @param approve   true to credit it
         * @param sure      a decline confirmed
         */
        public DecideManualTopUp {
            Objects.requireNonNull(made, "made");
        }

        /**
         * A decision not confirmed: a decline then only asks.
         *
         * @param requestId the request's id
         * @param made      never null
         * @param approve   true to credit it
         */
        public DecideManualTopUp(long requestId, Optional<Instant> made, boolean approve) {
            this(requestId, made, approve, false);
        }

        @Override
        public <R> R apply(Handler<R> h) {
            return h.decideManualTopUp(this);
        }
    }

    /**
     * A verified admin pressed a payment list's «💸 Вернуть» for the Stars payment of {@code userId} whose charge has
     * {@code chargeReference}: the payment is shown for confirmation ({@link MoneyConfirmation}); nothing moves until
     * its own «💸 Вернуть» is pressed ({@link SettleMoney}).
     *
     * @param userId          the paying user
     * @param chargeReference the short reference of the charge the admin's button carried
     */
    record RefundStars(long userId, String chargeReference) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.refundStars(this);
        }
    }

    /**
     * A verified admin erases the personal data of {@code userId}, as his {@code /forget} showed.
     *
     * @param userId    the user whose data goes
     * @param messageId the confirmation's message, to say there what came of it; empty when not known
     * @param asked     when the {@code /forget} was answered, as its button says (it expires); empty for a button of
     *                  a build before, which then erases nothing
     * @param cancel    «Отмена» under it: nothing is erased
     */
    record ForgetUser(long userId, Optional<Long> messageId, Optional<Instant> asked, boolean cancel) implements Effect {
        /**
         * Checks that nothing is null.
         *
         * @param userId    the user whose data goes
         * @param messageId never null
         * @param asked     never null
         * @param cancel    «Отмена»
         */
        public ForgetUser {
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(asked, "asked");
        }

        /**
         * A press with no time on it (a button of a build before): it erases nothing.
         *
         * @param userId    the user whose data goes
         * @param messageId the confirmation's message
         */
        public ForgetUser(long userId, Optional<Long> messageId) {
            this(userId, messageId, Optional.empty(), false);
        }

        @Override
        public <R> R apply(Handler<R> h) {
            return h.forgetUser(this);
        }
    }

    /**
     * The user's payment problem after /paysupport.
     *
     * @param text what the user wrote
     * @param file the file he wrote it under (a screenshot of a payment, a receipt), which the admins get with the
     *             ticket; empty when he wrote text
     */
    record OpenTicket(String text, Optional<Event.Media> file) implements Effect {
        /**
         * A ticket written as text.
         *
         * @param text what the user wrote
         */
        public OpenTicket(String text) {
            this(text, Optional.empty());
        }

        @Override
        public <R> R apply(Handler<R> h) {
            return h.openTicket(this);
        }
    }

    /**
     * A photo or a file sent right after the user's /paysupport ticket ({@link TicketJustOpened}): the ticket's, sent on
     * to the admins under its number. It used to be taken for a card / SBP request's receipt.
     *
     * @param file     the file as the user sent it
     * @param answered true for an album's file after its first, whose answer spoke for the whole album: sent on with
     *                 no word of its own to the user
     */
    record AddToTicket(Event.Media file, boolean answered) implements Effect {
        @Override
        public <R> R apply(Handler<R> h) {
            return h.addToTicket(this);
        }
    }
}
