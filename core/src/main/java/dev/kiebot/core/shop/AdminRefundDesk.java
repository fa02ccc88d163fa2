package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.ChatSessions;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.MoneyConfirmation;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An admin's {@code /refund <job>}. The command moves nothing: it shows the job, whose it is (id, name), its state and
 * what would come back (to the balance, and what the user already has back in Stars), under «💸 Вернуть» and «Отмена»,
 * kept in the admin's chat session as {@code /topup_user}'s is ({@link MoneyConfirmation} naming the job, expiring
 * after {@link MoneyConfirmation#VALID}). Job numbers run across all users and a bare {@code 999} is {@code gen_999}:
 * one digit off refunded another user's job at once and told him, and stopped a running one for good.
 *
 * <p>The confirmation keeps what its screen said the press does ({@link MoneyConfirmation.RefundShown}: stop a job under
 * way, or give so much to the balance and so much against what the user has back in Stars); a press that finds the job
 * changed meanwhile (finished, a lesser result charged less; Telegram reported the Stars refund that paid it) moves
 * nothing and draws the screen again with the new figures, to be pressed again.
 *
 * <p>The press carries the refund out as the command did before, reading the job anew: a finished job is refunded by
 * one transfer keyed by its hold, so a second press (or a second /refund) finds it and moves nothing; one under way is
 * stopped. A press of a confirmation this chat no longer keeps (pressed, cancelled, replaced, shown in another admin's
 * chat) or one expired moves nothing and says why. What needs no confirmation (an unknown job, a free or failed one, one
 * refunded already) is answered at once.
 */
final class AdminRefundDesk {
    private final Stores stores;
    private final Pricing pricing;
    private final Texts texts;
    private final Clock clock;
    private final Generations generations;
    private final Outbox outbox;
    private final Reconciliations reconciliations;

    AdminRefundDesk(Stores stores, Pricing pricing, Texts texts, Clock clock, Generations generations, Outbox outbox) {
        this.stores = stores;
        this.pricing = pricing;
        this.texts = texts;
        this.clock = clock;
        this.generations = generations;
        this.outbox = outbox;
        this.reconciliations = new Reconciliations(stores, clock);
    }

    /** {@code /refund}: the confirmation to press, or why there is nothing to confirm. */
    List<Reply> ask(User admin, long chatId, long updateId, String args) {
        String lang = admin.language();
        Optional<JobId> id = JobId.parse(args);
        if (id.isEmpty()) {
            return List.of(text(chatId, texts.get(lang, Msg.ADMIN_USAGE, texts.get(lang, Msg.USAGE_REFUND))));
        }
        Optional<Job> job = stores.jobs().find(id.get());
        if (job.isEmpty()) {
            // a well-formed number answered with the format had the admin retype a command that was right
            return List.of(text(chatId, texts.get(lang, Msg.FIND_JOB_NOT_FOUND, id.get().display())));
        }
        Job j = job.get();
        Optional<String> refused = refusedAtOnce(lang, j);
        if (refused.isPresent()) {
            return List.of(text(chatId, refused.get()));
        }
        return confirmation(admin, chatId, updateId, j, Optional.empty(), Optional.empty());
    }

    /**
     * The confirmation of {@code j}'s refund, kept in the admin's chat session with what it says the press does
     * ({@link MoneyConfirmation.RefundShown}): sent as a new message, or drawn again in place of the one pressed
     * ({@code messageId}) when the job changed since it was drawn ({@code changed}, the warning above it).
     */
    private List<Reply> confirmation(User admin, long chatId, long updateId, Job j, Optional<Long> messageId,
                                     Optional<String> changed) {
        String lang = admin.language();
        String back;
        Msg ask;
        MoneyConfirmation.RefundShown says;
        if (finished(j)) {
            JobRefundParts parts = generations.refundPreview(j);
            if (!parts.refunded()) {
                // refunded already (or nothing charged): the press would move nothing, which the refund itself says
                String t = refund(admin, lang, j);
                return messageId.isPresent() ? show(chatId, messageId, t) : List.of(text(chatId, t));
            }
            back = back(lang, parts);
            ask = Msg.ADMIN_REFUND_CONFIRM;
            says = new MoneyConfirmation.RefundShown(false, parts.toWallet(), parts.inStars());
        } else {
            says = runningSays(j);
            back = j.free() ? texts.get(lang, Msg.ADMIN_REFUND_BACK_FREE)
                    : back(lang, new JobRefundParts(says.toWallet(), says.inStars()));
            ask = Msg.ADMIN_REFUND_CONFIRM_RUNNING;
        }
        MoneyConfirmation shown = new MoneyConfirmation(false, j.userId(), j.price(), updateId, admin.id(),
                clock.instant().plus(MoneyConfirmation.VALID), OptionalLong.of(j.id().value()), Optional.of(says));
        // kept as a credit's is (AdminMoneyDesk): in place of any confirmation shown before, pressed only here
        ChatSessions sessions = new ChatSessions(stores.chatStates());
        ChatSession session = sessions.load(chatId).orElseGet(ChatSession::initial);
        sessions.save(chatId, session.withMoney(Optional.of(shown)));
        String who = stores.users().find(j.userId())
                .map(u -> texts.get(lang, Msg.ADMIN_MONEY_WHO, Texts.id(u.id()), u.firstName(), AdminSearch.handle(u)))
                .orElse(Long.toString(j.userId()));
        String t = changed.orElse("") + texts.get(lang, ask, j.id().display(), who,
                texts.get(lang, AdminSearch.stateWords(j.state())), back, MoneyConfirmation.VALID.toMinutes());
        Keyboard buttons = Keyboard.of(List.of(
                Button.callback(texts.get(lang, Msg.BUTTON_REFUND),
                        CallbackData.evergreen(CallbackAction.MOVE_MONEY, shown.nonce())),
                Button.callback(texts.get(lang, Msg.BUTTON_CANCEL),
                        CallbackData.evergreen(CallbackAction.DROP_MONEY, shown.nonce()))));
        return List.of(messageId.<Reply>map(id -> new Reply.EditText(chatId, id, t, buttons))
                .orElseGet(() -> new Reply.SendText(chatId, t, buttons)));
    }

    /** Where the refund goes: to the balance, or part of it (or all) against Stars refunds' losses. */
    private String back(String lang, JobRefundParts parts) {
        return parts.inStars() > 0 ? texts.get(lang, Msg.ADMIN_REFUND_BACK_PARTS,
                pricing.format(parts.total(), lang), parts.toAdmin(texts, pricing, lang))
                : texts.get(lang, Msg.ADMIN_REFUND_BACK, pricing.format(parts.toWallet(), lang));
    }

    /**
     * What the screen of a job under way says: it is stopped, its price back (a free one's, none), less what its hold
     * owes of Stars refunds reported while it ran, which the void sends against the loss ({@link JobRefundParts#ofVoid}):
     * the whole price «на баланс» was shown of such a job.
     */
    private MoneyConfirmation.RefundShown runningSays(Job j) {
        if (j.free()) {
            return new MoneyConfirmation.RefundShown(true, 0, 0);
        }
        JobRefundParts parts = JobRefundParts.ofVoidAhead(stores, j.holdId(), j.price());
        return new MoneyConfirmation.RefundShown(true, parts.toWallet(), parts.inStars());
    }

    /**
     * What the press would do now, in the screen's terms: a finished job's preview read anew, a running one's price.
     * Read without the user's turn: the press's refund takes it and reads anew, and a report that comes between this
     * and that is what {@code refundAfterCharge}'s own turn keeps right (the done message says what moved).
     */
    private MoneyConfirmation.RefundShown says(Job j) {
        if (!finished(j)) {
            return runningSays(j);
        }
        JobRefundParts parts = generations.refundPreview(j);
        return new MoneyConfirmation.RefundShown(false, parts.toWallet(), parts.inStars());
    }

    /**
     * A press under a {@code /refund}'s confirmation: the refund is made when the nonce is the one this chat kept and
     * it has not expired; anything else moves nothing and says why.
     */
    List<Reply> settle(User admin, long chatId, Effect.SettleMoney e) {
        String lang = admin.language();
        Optional<MoneyConfirmation> shown = e.kept().filter(MoneyConfirmation::refund)
                .filter(m -> m.nonce().equals(e.nonce()) && m.adminId() == admin.id());
        if (shown.isEmpty()) {
            return show(chatId, e.messageId(), texts.get(lang, Msg.ADMIN_REFUND_GONE));
        }
        MoneyConfirmation m = shown.get();
        String job = new JobId(m.job().getAsLong()).display();
        if (!e.move()) {
            return show(chatId, e.messageId(), texts.get(lang, Msg.ADMIN_MONEY_DROPPED_REFUND, job,
                    AdminSearch.named(texts, stores, lang, m.userId())));
        }
        if (!clock.instant().isBefore(m.expiresAt())) {
            return show(chatId, e.messageId(), texts.get(lang, Msg.ADMIN_REFUND_EXPIRED,
                    MoneyConfirmation.VALID.toMinutes(), job));
        }
        Optional<Job> j = stores.jobs().find(new JobId(m.job().getAsLong()));
        if (j.isEmpty()) {
            return show(chatId, e.messageId(), texts.get(lang, Msg.FIND_JOB_NOT_FOUND, job));
        }
        Optional<String> refused = refusedAtOnce(lang, j.get());
        if (refused.isPresent()) {
            return show(chatId, e.messageId(), refused.get());
        }
        // the job changed since the screen was drawn (it finished, for less; Telegram reported the Stars refund that
        // paid it): the press moved what the job said then, not what the admin read. Nothing moves: the screen is
        // drawn again with the new figures, to be pressed again (a screen kept by a build before said nothing kept)
        if (!m.refundShown().equals(Optional.of(says(j.get())))) {
            return confirmation(admin, chatId, m.updateId(), j.get(), e.messageId(),
                    Optional.of(texts.get(lang, Msg.ADMIN_REFUND_REDRAWN, job) + "\n\n"));
        }
        return show(chatId, e.messageId(), refund(admin, lang, j.get()));
    }

    /**
     * Why {@link Generations#refundAfterCharge} refused a finished job as expired: nothing was charged for it, its result
     * cost nothing or it was delivered unpaid (past {@link #refusedAtOnce}'s look meanwhile). The ledger's «the hold
     * expired already» had the admin look for a hold, of a job posted for 0 whose hold had done its work.
     */
    private String nothingCharged(String lang, Job j) {
        return texts.get(lang, generations.deliveredUnpaid(j) ? Msg.ADMIN_REFUND_UNPAID
                : Msg.ADMIN_REFUND_NOTHING_CHARGED);
    }

    private static boolean finished(Job j) {
        return j.state() == JobState.SUCCEEDED || j.state() == JobState.DELIVERED;
    }

    /** What no refund can come of: a free job finished, one delivered unpaid, one failed (refunded then). */
    private Optional<String> refusedAtOnce(String lang, Job j) {
        // a free job still under way is stopped, as a paid one is (its free use comes back): refused before it looked
        // at the state, the admin could not stop a free job gone wrong at all
        if (j.free() && (j.state() == JobState.SUCCEEDED || j.state().isTerminal())) {
            return Optional.of(texts.get(lang, Msg.ADMIN_FAILED, texts.get(lang, Msg.ADMIN_REFUND_FREE)));
        }
        if (finished(j) && generations.deliveredUnpaid(j)) {
            // «the hold expired already», the ledger's words, had him look for a hold: nothing was taken for it
            return Optional.of(texts.get(lang, Msg.ADMIN_FAILED, texts.get(lang, Msg.ADMIN_REFUND_UNPAID)));
        }
        if (j.state() == JobState.FAILED) {
            return Optional.of(texts.get(lang, Msg.ADMIN_FAILED, texts.get(lang, Msg.ADMIN_REFUND_FAILED_JOB)));
        }
        return Optional.empty();
    }

    /**
     * A paid job's money back. A finished job is refunded by one transfer keyed by its hold, so a second refund finds
     * it and moves nothing. A job still under way is stopped through {@link Generations#fail}: its hold is voided, and
     * the ledger decides a race with the result arriving (post or void, never both); when the job got past the point
     * of stopping meanwhile, the admin is told its state and may refund it as a finished one. A free job under way is
     * stopped the same way, which gives its free use back.
     */
    private String refund(User admin, String lang, Job j) {
        String price = pricing.format(j.price(), lang);
        if (finished(j)) {
            LedgerResult r = generations.refundAfterCharge(j, "admin " + Actor.mask(admin.id()));
            audit(admin, AuditNote.refundAdmin(r).with(j.id().display()), j.id().display());
            if (r instanceof LedgerResult.Rejected rejected) {
                return texts.get(lang, Msg.ADMIN_FAILED, rejected.reason() == LedgerResult.Reason.ALREADY_EXPIRED
                        ? nothingCharged(lang, j) : LedgerRefusals.toAdmin(texts, lang, rejected));
            }
            // what came back to his wallet: what was charged (a lesser result, less), less what he has back in Stars;
            // the part he has back in Stars is said apart («возвращено 0 ₽» was all the admin read of it)
            JobRefundParts parts = JobRefundParts.of(stores.ledger(), j.holdId(), j.userId());
            if (parts.inStars() > 0) {
                return refundedInStars(lang, j, parts, r instanceof LedgerResult.Exists);
            }
            long back = Generations.refundedToWallet(j, r);
            String backWords = pricing.format(back, lang);
            if (r instanceof LedgerResult.Exists) {
                return texts.get(lang, Msg.ADMIN_REFUND_ALREADY, j.id().display(), backWords,
                        AdminSearch.named(texts, stores, lang, j.userId()));
            }
            // which generation: the user may have several, and «money returned» alone names none of them
            if (back > 0) {
                stores.users().find(j.userId()).ifPresent(u -> notify(u, texts.get(u.language(),
                        Msg.JOB_REFUNDED_BY_SUPPORT, j.id().display(), generations.title(j),
                        pricing.format(back, u.language()))));
            }
            return texts.get(lang, Msg.ADMIN_DONE, texts.get(lang, Msg.ADMIN_REFUNDED, j.id().display(), backWords,
                    AdminSearch.named(texts, stores, lang, j.userId())));
        }
        Optional<Job> failed = generations.fail(j.id(), Msg.ERROR_STOPPED_BY_SUPPORT.key(),
                JobNote.STOPPED_BY_ADMIN.with());
        failed.ifPresent(f -> reconcileStopped(j, f));
        boolean done = failed.isPresent();
        AuditNote stopped = done ? AuditNote.REFUND_ADMIN_STOPPED : AuditNote.REFUND_ADMIN_NOT_STOPPED;
        audit(admin, stopped.with(j.id().display()), j.id().display());
        if (done) {
            return texts.get(lang, Msg.ADMIN_DONE, j.free()
                    ? texts.get(lang, Msg.ADMIN_REFUND_STOPPED_FREE, j.id().display(),
                            AdminSearch.named(texts, stores, lang, j.userId()))
                    : texts.get(lang, Msg.ADMIN_REFUND_STOPPED, j.id().display(), price,
                            AdminSearch.named(texts, stores, lang, j.userId())));
        }
        JobState now = stores.jobs().find(j.id()).map(Job::state).orElse(j.state());
        return texts.get(lang, Msg.ADMIN_FAILED, texts.get(lang, Msg.ADMIN_REFUND_CHANGED, j.id().display(),
                texts.get(lang, AdminSearch.stateWords(now))));
    }

    /**
     * A refund of which some or all went against a Stars refund's loss: the admin reads how much reached the balance
     * and how much the user already had back in Stars, and the user, told even when nothing reached his balance, reads
     * that his money came back in Stars, not that it vanished.
     */
    private String refundedInStars(String lang, Job j, JobRefundParts parts, boolean before) {
        String total = pricing.format(parts.total(), lang);
        if (before) {
            return texts.get(lang, Msg.ADMIN_REFUND_ALREADY_IN_STARS, j.id().display(),
                    AdminSearch.named(texts, stores, lang, j.userId()),
                    parts.toAdmin(texts, pricing, lang));
        }
        stores.users().find(j.userId()).ifPresent(u -> notify(u, texts.get(u.language(),
                Msg.JOB_REFUNDED_BY_SUPPORT_IN_STARS, j.id().display(), generations.title(j),
                pricing.format(parts.total(), u.language()), parts.toUser(texts, pricing, u.language()))));
        return texts.get(lang, Msg.ADMIN_DONE, texts.get(lang, Msg.ADMIN_REFUNDED_IN_STARS, j.id().display(),
                AdminSearch.named(texts, stores, lang, j.userId()), total, parts.toAdmin(texts, pricing, lang)));
    }

    /**
     * A job an admin stopped while Kie had it (a task, or a createTask Kie did not confirm) goes on the operator's
     * list of tasks to settle with Kie by hand: Kie may still make it and charge the shop for a refunded order.
     */
    private void reconcileStopped(Job before, Job failed) {
        if (failed.taskId().isPresent()) {
            reconciliations.reconcile(failed, JobNote.STOPPED_AT_KIE.with(failed.taskId().get()));
        } else if (before.state() == JobState.SUBMITTING) {
            reconciliations.reconcile(failed, JobNote.STOPPED_AWAITING_KIE.with());
        }
    }

    private static Reply text(long chatId, String text) {
        return new Reply.SendText(chatId, text, Keyboard.NONE);
    }

    /** The confirmation's message says what came of it, its buttons gone; a new message when it is not known. */
    private static List<Reply> show(long chatId, Optional<Long> messageId, String text) {
        return List.of(messageId.<Reply>map(id -> new Reply.EditText(chatId, id, text, Keyboard.NONE))
                .orElseGet(() -> text(chatId, text)));
    }

    private void notify(User user, String text) {
        outbox.send(new Reply.SendText(user.id(), text, Keyboard.NONE));
    }

    private void audit(User admin, String detail, String correlation) {
        stores.audit().record(new AuditEvent(clock.instant(), "admin:" + Actor.mask(admin.id()), "refund.admin",
                detail, Optional.of(correlation)));
    }
}
