package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.jobs.DeliveredFile;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.reply.Activity;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.time.ZoneId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Carries out the conversation's effects for one update and says what came of them. One handler method per
 * effect ({@link Effect.Handler}): an effect nobody carries out does not compile.
 */
final class Effects {
    /** How long after a result the provider surely still serves its file (kie-api.md: "typically 24 hours"). */
    static final Duration ORIGINAL_KEPT = Duration.ofHours(24);
    private static final System.Logger LOG = System.getLogger(Effects.class.getName());

    private final Stores stores;
    private final Pricing pricing;
    private final Texts texts;
    private final Outbox outbox;
    private final Generations generations;
    private final TopUps topUps;
    private final AdminConsole admin;
    private final Desks desks;
    private final Clock clock;
    /** The shop's: where a day of the free allowance starts. */
    private final ZoneId zone;
    /** ADMIN_IDS: who may run the admins' effects, whichever screen emitted one. */
    private final Set<Long> adminIds;

    /** The services of issue 10's effects: manual top-ups, Stars refunds and payment support. */
    record Desks(ManualTopUpDesk manual, StarsRefundDesk starsRefunds, PaySupport support, Referrals referrals) {
    }

    Effects(Stores stores, Pricing pricing, Texts texts, Outbox outbox, Generations generations, TopUps topUps,
            AdminConsole admin, Desks desks, Clock clock, ZoneId zone, Set<Long> adminIds) {
        this.stores = stores;
        this.pricing = pricing;
        this.texts = texts;
        this.outbox = outbox;
        this.generations = generations;
        this.topUps = topUps;
        this.admin = admin;
        this.desks = desks;
        this.clock = clock;
        this.zone = zone;
        this.adminIds = Set.copyOf(adminIds);
    }

    /** @return the replies the effect produced */
    List<Reply> run(Effect effect, User user, long chatId, long updateId) {
        return effect.apply(new ForUpdate(user, chatId, updateId));
    }

    private final class ForUpdate implements Effect.Handler<List<Reply>> {
        private final User user;
        private final long chatId;
        private final long updateId;
        private final String lang;

        ForUpdate(User user, long chatId, long updateId) {
            this.user = user;
            this.chatId = chatId;
            this.updateId = updateId;
            this.lang = user.language();
        }

        private List<Reply> say(Msg msg, Keyboard keyboard, Object... args) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, msg, args), keyboard));
        }

        private Keyboard home() {
            return HomeButton.keyboard(texts, lang);
        }

        /**
         * An admin's effect, run only for an admin. The conversation emits these for admins alone, but a screen or a
         * partner's path that emitted one for anyone would otherwise credit, decide, refund or broadcast for him: the
         * place that runs them checks too, and a refusal is logged (it is a bug or an attack, never a user's mistake).
         */
        private List<Reply> adminOnly(Effect e, Supplier<List<Reply>> work) {
            if (adminIds.contains(user.id())) {
                return work.get();
            }
            LOG.log(System.Logger.Level.WARNING, "{0} refused: user {1} is not an admin",
                    e.getClass().getSimpleName(), Actor.mask(user.id()));
            return List.of();
        }

        @Override
        public List<Reply> startJob(Effect.StartJob e) {
            Generations.Start result = generations.start(user, chatId, e);
            if (result instanceof Generations.Start.Insufficient i) {
                return say(Msg.INSUFFICIENT_FUNDS, Keyboard.of(List.of(
                        Button.callback(texts.get(lang, Msg.MENU_TOPUP), CallbackData.evergreen(CallbackAction.TOP_UP)),
                        HomeButton.of(texts, lang))),
                        pricing.format(i.price(), lang), pricing.format(i.balance(), lang),
                        pricing.format(i.price() - i.balance(), lang));
            }
            if (result instanceof Generations.Start.FreeLimitReached) {
                return say(Msg.FREE_LIMIT_REACHED, home(), texts.newDay(lang, zone, clock.instant()));
            }
            if (result instanceof Generations.Start.Paused) {
                return say(Msg.JOB_PAUSED, home());
            }
            if (result instanceof Generations.Start.ModelPaused) {
                return say(Msg.JOB_MODEL_PAUSED, home());
            }
            if (!(result instanceof Generations.Start.Started started)) {
                return say(Msg.MODEL_UNKNOWN, home());
            }
            Job job = started.job();
            String paid = texts.get(lang, Msg.CONFIRM_PRICE, job.free() ? texts.get(lang, Msg.MODEL_PRICE_FREE)
                    : pricing.format(job.price(), lang));
            String text = texts.get(lang, Msg.JOB_QUEUED, job.id().display(), generations.title(job), paid);
            Keyboard cancel = Keyboard.of(List.of(Button.callback(texts.get(lang, Msg.BUTTON_CANCEL_JOB),
                    CallbackData.evergreen(CallbackAction.CANCEL_JOB, job.id().display()))));
            // sent now, not with the other replies, so its message id is kept for later edits
            outbox.status(job, text, cancel);
            return List.of();
        }

        @Override
        public List<Reply> issueInvoice(Effect.IssueInvoice e) {
            return List.of(topUps.invoice(user, chatId, e));
        }

        @Override
        public List<Reply> acceptTerms(Effect.AcceptTerms e) {
            stores.users().acceptTerms(user.id());
            return List.of();
        }

        @Override
        public List<Reply> setLanguage(Effect.SetLanguage e) {
            stores.users().setLanguage(user.id(), e.language());
            return List.of();
        }

        @Override
        public List<Reply> cancelJob(Effect.CancelJob e) {
            if (generations.failUnsent(e.job(), Msg.JOB_CANCELLED.key(), "cancelled by user").isPresent()) {
                return List.of(); // its failure's notice says it is cancelled and what came back
            }
            // too late: a stale «✖ Отменить» (under a status message of hours ago) of a job that ended answers what
            // happened to it; «уже генерируется» of a delivered job, or of one refunded long ago, said it still ran
            Msg answer = stores.jobs().find(e.job()).map(this::tooLateToCancel).orElse(Msg.JOB_NOT_CANCELLABLE);
            String id = e.job().display();
            // a result noted dropped (his block) never reached the chat: «прислан в этот чат» was untrue; «📤» sends it
            // «🏠 Меню» under each answer: it ends the job's story, and the persistent menu alone is easy to miss; the
            // menu comes below it, so what became of the job and its money stays in the chat
            return say(answer, answer != Msg.JOB_CANCEL_DONE_NOT_SENT ? HomeButton.below(texts, lang)
                    : new Keyboard(List.of(List.of(Button.callback(texts.get(lang, Msg.BUTTON_RESEND, id),
                            CallbackData.evergreen(CallbackAction.RESEND, id))),
                            List.of(HomeButton.belowOf(texts, lang)))),
                    id);
        }

        private Msg tooLateToCancel(Job job) {
            return switch (job.state()) {
                case CREATED, HELD, SUBMITTING, SUBMITTED, RUNNING -> Msg.JOB_NOT_CANCELLABLE;
                case SUCCEEDED, DELIVERED -> refundedAfterCharge(job) ? Msg.JOB_CANCEL_DONE_REFUNDED
                        : generations.unsent().mayNotHaveReached(job) ? Msg.JOB_CANCEL_DONE_NOT_SENT
                        : Msg.JOB_CANCEL_DONE;
                case FAILED -> failedAs(job);
            };
        }

        private Msg failedAs(Job job) {
            String reason = job.failure().orElse("");
            if (reason.equals(Msg.JOB_CANCELLED.key())) {
                return Msg.JOB_CANCEL_ALREADY;
            }
            if (reason.equals(Msg.INSUFFICIENT_FUNDS.key()) || reason.equals(Msg.FREE_LIMIT_REACHED.key())) {
                // the ledger refused its hold, or no free use was left: nothing was taken, nothing came back
                return Msg.JOB_CANCEL_NOT_CHARGED;
            }
            return job.free() ? Msg.JOB_CANCEL_FAILED_FREE : Msg.JOB_CANCEL_FAILED;
        }

        /**
         * Its price came back after it was charged ({@code StoreContext.refundedAfterCharge}): a support refund to the
         * balance, or one sent wholly against a Stars refund's loss, which has no {@code refund:<hold>} (the user has
         * it back in Stars) and was answered «уже готова» as if nothing came back.
         */
        private boolean refundedAfterCharge(Job job) {
            return !job.free() && (stores.ledger().find(Ledger.refundId(job.holdId())).isPresent()
                    || JobRefundParts.of(stores.ledger(), job.holdId(), job.userId()).inStars() > 0);
        }

        @Override
        public List<Reply> resendJob(Effect.ResendJob e) {
            return resend(chatId, lang, e.job());
        }

        @Override
        public List<Reply> sendOriginal(Effect.SendOriginal e) {
            return original(chatId, lang, e.job());
        }

        @Override
        public List<Reply> answerPreCheckout(Effect.AnswerPreCheckout e) {
            return List.of(topUps.preCheckout(user, chatId, e));
        }

        @Override
        public List<Reply> creditStars(Effect.CreditStars e) {
            return topUps.credit(user, chatId, updateId, e);
        }

        @Override
        public List<Reply> recordStarsRefund(Effect.RecordStarsRefund e) {
            return topUps.refunded(user, chatId, e);
        }

        @Override
        public List<Reply> setBlocked(Effect.SetBlocked e) {
            stores.users().setBlocked(user.id(), e.blocked());
            // back: the storefront tells him of the results that never reached him, as at any return (Storefront)
            return List.of();
        }

        @Override
        public List<Reply> admin(Effect.Admin e) {
            return adminOnly(e, () -> admin.handle(user, chatId, updateId, e.command(), e.args()));
        }

        @Override
        public List<Reply> queueBroadcast(Effect.QueueBroadcast e) {
            return adminOnly(e, () -> admin.queueBroadcast(user, chatId, e));
        }

        @Override
        public List<Reply> cancelBroadcast(Effect.CancelBroadcast e) {
            return adminOnly(e, () -> admin.cancelBroadcast(user, chatId, e));
        }

        /**
         * Checked here as the other admins' effects are: the conversation answers anyone else's press «only for
         * admins» before it emits this, by the same admins, so the check refuses only a path that emitted it for
         * another user (an admin removed since, whose chat still keeps his confirmation, would have moved money).
         */
        @Override
        public List<Reply> settleMoney(Effect.SettleMoney e) {
            return adminOnly(e, () -> admin.settleMoney(user, chatId, e));
        }

        // issue 10

        @Override
        public List<Reply> requestManualTopUp(Effect.RequestManualTopUp e) {
            return desks.manual().request(user, chatId, updateId, e.amount());
        }

        @Override
        public List<Reply> claimManualTopUp(Effect.ClaimManualTopUp e) {
            return desks.manual().claim(user, chatId, e.requestId());
        }

        @Override
        public List<Reply> attachReceipt(Effect.AttachReceipt e) {
            return desks.manual().attachReceipt(user, chatId, e.requestId(), e.fileId(), e.uniqueId(), e.kind(),
                    e.answered());
        }

        @Override
        public List<Reply> decideManualTopUp(Effect.DecideManualTopUp e) {
            return adminOnly(e, () -> desks.manual().decide(user, chatId, e.requestId(), e.made(), e.approve(), e.sure()));
        }

        @Override
        public List<Reply> refundStars(Effect.RefundStars e) {
            return adminOnly(e, () -> desks.starsRefunds().confirmByReference(user, chatId, updateId, e.userId(),
                    e.chargeReference()));
        }

        @Override
        public List<Reply> forgetUser(Effect.ForgetUser e) {
            return adminOnly(e, () -> admin.forgetUser(user, chatId, e));
        }

        @Override
        public List<Reply> openTicket(Effect.OpenTicket e) {
            return desks.support().open(user, chatId, updateId, e.text(), e.file());
        }

        @Override
        public List<Reply> addToTicket(Effect.AddToTicket e) {
            return desks.support().addFile(user, chatId, e.file(), e.answered());
        }

        @Override
        public List<Reply> showInvitation(Effect.ShowInvitation e) {
            return List.of(desks.referrals().invitation(user, chatId));
        }
    }

    /**
     * A delivered image as a file: Telegram recompresses a photo (a 4K picture arrives about 2560 pixels wide), a
     * document arrives as the model made it. Only from the provider's own URLs (the photo Telegram keeps is the
     * compressed one), which it keeps at least {@link #ORIGINAL_KEPT} (kie-api.md: 24 h at worst): after that the
     * user is told so rather than sent a dead link. A result that never reached him goes first as the result it is
     * ({@link UnsentResults#original}): documents sent by URL keep nothing, and it still looked never sent. Of a job
     * he got in part, only what reached him goes ({@link UnsentResults#originals}), as {@link #resend} sends only what
     * he has, and he is told where the rest is.
     */
    private List<Reply> original(long chatId, String lang, JobId id) {
        Optional<Job> job = stores.jobs().find(id).filter(j -> j.state() == JobState.DELIVERED);
        Optional<JobResult> result = job.flatMap(Job::result).filter(r -> r.kind() == MediaKind.PHOTO);
        if (result.isEmpty()) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.JOB_NOT_FOUND, id.display()), Keyboard.NONE));
        }
        if (result.get().urls().isEmpty()) {
            return erased(chatId, lang, job.get());
        }
        Instant done = job.get().succeededAt().orElse(job.get().createdAt());
        if (clock.instant().isAfter(done.plus(ORIGINAL_KEPT))) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.ORIGINAL_GONE, id.display()),
                    generations.againOrHome(job.get())));
        }
        if (generations.unsent().original(job.get())) {
            return List.of(); // it never reached him: the result first, kept as sent, its button under it
        }
        List<String> urls = generations.unsent().originals(job.get());
        Optional<Reply> leftOut = generations.unsent().originalsLeftOut(job.get(), chatId, lang, urls.size());
        if (urls.isEmpty() && leftOut.isEmpty()) {
            // given back, and none of it reached him: sent now, he would have it and the money
            return List.of(new Reply.SendText(chatId, texts.get(lang, UnsentResults.givenBack(job.get()),
                    id.display(), generations.title(job.get())), generations.againOrHome(job.get())));
        }
        List<Reply> out = new ArrayList<>();
        if (!urls.isEmpty()) {
            out.add(new Reply.ChatAction(chatId, Activity.UPLOADING_DOCUMENT));
        }
        for (String url : urls) {
            out.add(new Reply.SendMedia(chatId, MediaKind.DOCUMENT, url, generations.caption(job.get()),
                    Keyboard.NONE, generations.tooLarge(lang)));
        }
        leftOut.ifPresent(out::add);
        return out;
    }

    /**
     * A generation whose files /forget erased (its result kept, with no URL): said so, for «📤 Получить» and «📎 Файлом»
     * alike; before, the one sent nothing past the press's toast and the other said the money was given back.
     */
    private List<Reply> erased(long chatId, String lang, Job job) {
        return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.JOB_FILES_ERASED, job.id().display()),
                generations.againOrHome(job)));
    }

    /**
     * A delivered result again: by Telegram file id when known (no size limits, no download), else by URL. A file id
     * goes with the provider's URL of the same file, which goes instead should Telegram refuse the id
     * ({@link Generations#fileIdRefused}); queued here, in order, as the ids follow-up needs.
     */
    private List<Reply> resend(long chatId, String lang, JobId id) {
        Optional<Job> job = stores.jobs().find(id);
        if (job.isEmpty() || job.get().result().isEmpty()) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.JOB_NOT_FOUND, id.display()), Keyboard.NONE));
        }
        Job j = job.get();
        if (generations.unsent().resend(j)) {
            // what never reached him goes as the result it is, refunded should its file be gone (or its links erased)
            // and none have come: asked before "erased", which left a result he paid for and never got unrefunded
            return List.of();
        }
        if (j.result().get().urls().isEmpty()) {
            return erased(chatId, lang, j);
        }
        // as under the result when it came: a result sent again was the one message of it with no «🔁 Ещё раз»
        Keyboard buttons = generations.underResult(j);
        List<DeliveredFile> kept = stores.jobs().deliveredFiles(id);
        List<String> all = j.result().get().urls();
        if (kept.isEmpty()) {
            List<Reply> out = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                out.add(new Reply.SendMedia(chatId, j.result().get().kind(), all.get(i),
                        generations.caption(j, i + 1, all.size()), buttons, generations.tooLarge(lang)));
            }
            return out;
        }
        List<Optional<String>> urls = sameFiles(j, kept);
        for (int i = 0; i < kept.size(); i++) {
            String source = kept.get(i).source();
            // captioned as when it came («вариант 2 из 2»): a song's two versions sent again read apart
            Reply.SendMedia media = new Reply.SendMedia(chatId, j.result().get().kind(), source,
                    variantCaption(j, all, kept.size(), i, urls.get(i)), buttons, generations.tooLarge(lang));
            if (source.contains("://")) {
                outbox.send(media); // went as its link: a URL again, answered as gone should it be
            } else {
                outbox.sentAgain(j, media, urls.get(i));
            }
        }
        return List.of();
    }

    /**
     * The caption of the {@code i}-th of {@code keptCount} files kept of a result of {@code all}: its variant told by
     * its URL when that is one of a kind in the result, else by its place when every file was kept; the plain caption
     * when neither tells which variant it is.
     */
    private String variantCaption(Job j, List<String> all, int keptCount, int i, Optional<String> url) {
        if (all.size() < 2) {
            return generations.caption(j);
        }
        int at = url.map(all::indexOf).orElse(-1);
        if (at >= 0 && at == all.lastIndexOf(url.get())) {
            return generations.caption(j, at + 1, all.size());
        }
        return keptCount == all.size() ? generations.caption(j, i + 1, all.size()) : generations.caption(j);
    }

    /**
     * The provider's URL of each file {@code kept}, one for one: the URL kept beside it. A file kept by a build that
     * kept no URL beside its id is paired by order, as that build did: with the files that reached him, in the
     * result's order ({@link UnsentResults#originals}: what «📎 Файлом» sends), when there are as many; a job of one
     * file has one URL whatever was kept; else its URL cannot be told (empty). Of such a job, a file that reached him
     * after a later one (at his «📤» after a block) is paired with another file's URL of the job: the limit the URLs
     * kept beside the ids end.
     */
    private List<Optional<String>> sameFiles(Job j, List<DeliveredFile> kept) {
        if (kept.stream().allMatch(f -> f.url().isPresent())) {
            return kept.stream().map(DeliveredFile::url).toList();
        }
        List<String> reached = generations.unsent().originals(j);
        List<String> all = j.result().get().urls();
        List<Optional<String>> urls = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            Optional<String> byOrder = reached.size() == kept.size() ? Optional.of(reached.get(i))
                    : all.size() == 1 ? Optional.of(all.get(0)) : Optional.empty();
            urls.add(kept.get(i).url().or(() -> byOrder));
        }
        return urls;
    }
}
