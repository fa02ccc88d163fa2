package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.broadcast.Broadcast;
import dev.kiebot.core.broadcast.Tally;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Plural;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;

import java.util.List;
import java.util.Optional;

/**
 * Admin commands. The conversation only routes here for ids in ADMIN_IDS; every action is audited with the
 * admin's masked id, and every answer is in the admin's language. The dashboard, the searches, Stars refunds,
 * credits and debits, and bans have classes of their own ({@link AdminDashboard}, {@link AdminSearch},
 * {@link StarsRefundDesk}, {@link AdminMoneyDesk}, {@link AdminBans}).
 */
final class AdminConsole {
    private final Stores stores;
    private final Pricing pricing;
    private final Texts texts;
    private final Clock clock;
    private final Generations generations;
    private final Outbox outbox;
    private final AdminDashboard dashboard;
    private final AdminSearch search;
    private final StarsRefundDesk starsRefunds;
    private final PaySupport support;
    private final AdminLinks links;
    private final AdminBans bans;
    private final AdminPauses pauses;
    private final AdminExport export;
    private final Reconciliations reconciliations;
    private final AdminMoneyDesk money;
    private final AdminForget forget;
    private final StarsReconciliation reconcile;

    AdminConsole(Stores stores, Pricing pricing, Texts texts, Clock clock, Generations generations, Outbox outbox,
                 AdminDashboard dashboard, AdminSearch search, StarsRefundDesk starsRefunds, PaySupport support,
                 AdminBans bans, AdminLinks links, AdminPauses pauses, AdminExport export, Referrals referrals,
                 StarsReconciliation reconcile, ManualTopUpDesk manual) {
        this.reconcile = reconcile;
        this.stores = stores;
        this.pricing = pricing;
        this.texts = texts;
        this.clock = clock;
        this.generations = generations;
        this.outbox = outbox;
        this.dashboard = dashboard;
        this.search = search;
        this.starsRefunds = starsRefunds;
        this.support = support;
        this.bans = bans;
        this.links = links;
        this.pauses = pauses;
        this.export = export;
        this.reconciliations = new Reconciliations(stores, clock);
        this.money = new AdminMoneyDesk(stores, pricing, texts, clock, outbox, referrals);
        this.forget = new AdminForget(stores, texts, clock, manual);
    }

    public List<Reply> handle(User admin, long chatId, long updateId, String command, String args) {
        String lang = admin.language();
        String a = args.strip();
        switch (command) {
            case "broadcast" -> {
                if (!a.isEmpty()) {
                    return broadcast(admin, chatId, lang, a);
                }
            }
            case "admin" -> {
                Reply figures = text(chatId, dashboard.text(lang));
                // without charts the chart's caption would only say the dashboard's figures again
                return dashboard.draws() ? List.of(figures, dashboard.chart(chatId, lang, AdminDashboard.CHART_DAYS))
                        : List.of(figures);
            }
            case "chart" -> {
                int days = AdminDashboard.days(a);
                return List.of(days < 0 ? text(chatId, usage(lang, "/chart [1-" + AdminDashboard.CHART_DAYS_MAX + "]"))
                        : dashboard.chart(chatId, lang, days));
            }
            case "refund_stars" -> {
                return starsRefunds.command(admin, chatId, a);
            }
            case "tickets" -> {
                return support.tickets(admin, chatId, a);
            }
            case "reply" -> {
                return support.answer(admin, chatId, a);
            }
            case "export" -> {
                return export.export(chatId, lang, a);
            }
            case "reconcile_stars" -> {
                return reconcile.command(admin, chatId, a);
            }
            case "forget" -> {
                return forget.ask(admin, chatId, a);
            }
            case "topup_user", "debit_user" -> {
                return money.ask(admin, chatId, updateId, command.equals("topup_user"), a);
            }
            default -> {
                // the commands answered by one text below
            }
        }
        String reply = switch (command) {
            case "find" -> a.isEmpty() ? usage(lang, texts.get(lang, Msg.USAGE_FIND))
                    : search.find(lang, a);
            case "users" -> search.users(lang, a);
            case "refund" -> refund(admin, lang, a);
            case "ban" -> bans.ban(admin, lang, a);
            case "unban" -> bans.unban(admin, lang, a);
            case "link" -> links.links(lang, a);
            case "pause" -> pauses.pause(admin, lang, a);
            case "resume" -> pauses.resume(admin, lang, a);
            case "broadcast" -> usage(lang, texts.get(lang, Msg.USAGE_BROADCAST));
            default -> usage(lang, "/admin");
        };
        return List.of(text(chatId, reply));
    }

    private static Reply text(long chatId, String text) {
        return new Reply.SendText(chatId, text, Keyboard.NONE);
    }

    private String usage(String lang, String format) {
        return texts.get(lang, Msg.ADMIN_USAGE, format);
    }

    /**
     * A paid job's money back. A finished job is refunded by one transfer keyed by its hold, so a second /refund
     * finds it and moves nothing. A job still under way is stopped through {@link Generations#fail}: its hold is
     * voided, and the ledger decides a race with the result arriving (post or void, never both); when the job
     * got past the point of stopping meanwhile, the admin is told its state and may refund it as a finished one. A
     * free job under way is stopped the same way, which gives its free use back; a finished free one has nothing to
     * refund.
     */
    private String refund(User admin, String lang, String args) {
        Optional<JobId> id = JobId.parse(args);
        if (id.isEmpty()) {
            return usage(lang, texts.get(lang, Msg.USAGE_REFUND));
        }
        Optional<Job> job = stores.jobs().find(id.get());
        if (job.isEmpty()) {
            // a well-formed number answered with the format had the admin retype a command that was right
            return texts.get(lang, Msg.FIND_JOB_NOT_FOUND, id.get().display());
        }
        Job j = job.get();
        String price = pricing.format(j.price(), lang);
        // a free job still under way is stopped below, as a paid one is (its free use comes back): refused before
        // it looked at the state, the admin could not stop a free job gone wrong at all
        if (j.free() && (j.state() == JobState.SUCCEEDED || j.state().isTerminal())) {
            return texts.get(lang, Msg.ADMIN_FAILED, texts.get(lang, Msg.ADMIN_REFUND_FREE));
        }
        if (j.state() == JobState.SUCCEEDED || j.state() == JobState.DELIVERED) {
            if (generations.deliveredUnpaid(j)) {
                // «the hold expired already», the ledger's words, had him look for a hold: nothing was taken for it
                return texts.get(lang, Msg.ADMIN_FAILED, texts.get(lang, Msg.ADMIN_REFUND_UNPAID));
            }
            LedgerResult r = generations.refundAfterCharge(j, "admin " + Actor.mask(admin.id()));
            auditAdmin(admin, "refund.admin", AuditNote.refundAdmin(r).with(j.id().display()), j.id().display());
            if (r instanceof LedgerResult.Rejected rejected) {
                return texts.get(lang, Msg.ADMIN_FAILED, LedgerRefusals.toAdmin(texts, lang, rejected));
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
                return texts.get(lang, Msg.ADMIN_REFUND_ALREADY, j.id().display(), backWords, j.userId());
            }
            // which generation: the user may have several, and «money returned» alone names none of them
            if (back > 0) {
                stores.users().find(j.userId()).ifPresent(u -> notify(u, texts.get(u.language(),
                        Msg.JOB_REFUNDED_BY_SUPPORT, j.id().display(), generations.title(j),
                        pricing.format(back, u.language()))));
            }
            return texts.get(lang, Msg.ADMIN_DONE, texts.get(lang, Msg.ADMIN_REFUNDED, j.id().display(), backWords,
                    j.userId()));
        }
        if (j.state() == JobState.FAILED) {
            return texts.get(lang, Msg.ADMIN_FAILED, texts.get(lang, Msg.ADMIN_REFUND_FAILED_JOB));
        }
        Optional<Job> failed = generations.fail(j.id(), Msg.ERROR_STOPPED_BY_SUPPORT.key(),
                JobNote.STOPPED_BY_ADMIN.with());
        failed.ifPresent(f -> reconcileStopped(j, f));
        boolean done = failed.isPresent();
        AuditNote stopped = done ? AuditNote.REFUND_ADMIN_STOPPED : AuditNote.REFUND_ADMIN_NOT_STOPPED;
        auditAdmin(admin, "refund.admin", stopped.with(j.id().display()), j.id().display());
        if (done) {
            return texts.get(lang, Msg.ADMIN_DONE, j.free()
                    ? texts.get(lang, Msg.ADMIN_REFUND_STOPPED_FREE, j.id().display(), j.userId())
                    : texts.get(lang, Msg.ADMIN_REFUND_STOPPED, j.id().display(), price, j.userId()));
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
            return texts.get(lang, Msg.ADMIN_REFUND_ALREADY_IN_STARS, j.id().display(), j.userId(),
                    parts.toAdmin(texts, pricing, lang));
        }
        stores.users().find(j.userId()).ifPresent(u -> notify(u, texts.get(u.language(),
                Msg.JOB_REFUNDED_BY_SUPPORT_IN_STARS, j.id().display(), generations.title(j),
                pricing.format(parts.total(), u.language()), parts.toUser(texts, pricing, u.language()))));
        return texts.get(lang, Msg.ADMIN_DONE, texts.get(lang, Msg.ADMIN_REFUNDED_IN_STARS, j.id().display(),
                j.userId(), total, parts.toAdmin(texts, pricing, lang)));
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

    /** Saves a draft and asks for confirmation; nothing is sent from inside this update. */
    private List<Reply> broadcast(User admin, long chatId, String lang, String text) {
        if (text.length() > Broadcast.TEXT_MAX) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.ADMIN_FAILED,
                    texts.get(lang, Msg.ADMIN_BROADCAST_TOO_LONG, Broadcast.TEXT_MAX)), Keyboard.NONE));
        }
        Broadcast b = stores.broadcasts().draft(admin.id(), chatId, text, clock.instant());
        long audience = stores.users().countActive();
        // users known to have blocked the bot are left out when it is queued; the admin sees how many
        long skipped = stores.users().count() - audience;
        auditAdmin(admin, "broadcast.draft", audience + " recipients", "broadcast" + b.display());
        // the admin's text goes last: placeholders after it would be looked for inside it
        return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.ADMIN_BROADCAST_CONFIRM, Texts.numbered(lang, b.id()), audience,
                Plural.number(lang, skipped), text), Keyboard.of(List.of(
                Button.callback(texts.get(lang, Msg.BUTTON_BROADCAST_SEND, audience),
                        CallbackData.evergreen(CallbackAction.SEND_BROADCAST,
                                b.id() + ":" + b.createdAt().toEpochMilli())),
                Button.callback(texts.get(lang, Msg.BUTTON_CANCEL), CallbackData.evergreen(CallbackAction.DROP_BROADCAST, Long.toString(b.id())))))));
    }

    /** The admin confirmed: the broadcast becomes durable background work, once, and this update ends. */
    public List<Reply> queueBroadcast(User admin, long chatId, Effect.QueueBroadcast e) {
        String lang = admin.language();
        // draft numbers start again on a restored database: the «Отправить» of a draft of the lost day sends no other
        // (one of the build before says nothing of it, and moves no money: taken as before)
        if (e.made().isPresent() && stores.broadcasts().find(e.id())
                .filter(b -> b.createdAt().toEpochMilli() != e.made().get().toEpochMilli()).isPresent()) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.ADMIN_BROADCAST_OTHER,
                    Texts.numbered(lang, e.id())), Keyboard.NONE));
        }
        Optional<Broadcast> queued = stores.broadcasts().queue(e.id(), e.messageId(), clock.instant());
        if (queued.isEmpty()) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.ADMIN_BROADCAST_NOT_DRAFT, Texts.numbered(lang, e.id())),
                    Keyboard.NONE));
        }
        outbox.signals().broadcastQueued(stores.transactions()); // its first batch goes now, not at an idle look
        Broadcast b = queued.get();
        Tally t = stores.broadcasts().tally(b.id());
        auditAdmin(admin, "broadcast.queued", b.recipients() + " recipients, " + t.skipped() + " skipped",
                "broadcast" + b.display());
        return List.of(show(chatId, e.messageId(), BroadcastWorker.report(texts, lang, Msg.ADMIN_BROADCAST_PROGRESS, b, t,
                b.recipients())));
    }

    /** «Начислить» / «Списать» or «Отмена» under a {@code /topup_user} or {@code /debit_user}: {@link AdminMoneyDesk}. */
    public List<Reply> settleMoney(User admin, long chatId, Effect.SettleMoney e) {
        return money.settle(admin, chatId, e);
    }

    /** «Стереть данные» under a {@code /forget}: {@link AdminForget}. */
    public List<Reply> forgetUser(User admin, long chatId, Effect.ForgetUser e) {
        return forget.forget(admin, chatId, e.userId(), e.messageId());
    }

    public List<Reply> cancelBroadcast(User admin, long chatId, Effect.CancelBroadcast e) {
        String lang = admin.language();
        if (!stores.broadcasts().cancel(e.id())) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.ADMIN_BROADCAST_NOT_DRAFT, Texts.numbered(lang, e.id())),
                    Keyboard.NONE));
        }
        auditAdmin(admin, "broadcast.cancelled", "", "broadcast#" + e.id());
        return List.of(show(chatId, e.messageId(), texts.get(lang, Msg.ADMIN_BROADCAST_CANCELLED, Texts.numbered(lang, e.id()))));
    }

    private static Reply show(long chatId, Optional<Long> messageId, String text) {
        return messageId.<Reply>map(id -> new Reply.EditText(chatId, id, text, Keyboard.NONE))
                .orElseGet(() -> new Reply.SendText(chatId, text, Keyboard.NONE));
    }

    private void notify(User user, String text) {
        outbox.send(new Reply.SendText(user.id(), text, Keyboard.NONE));
    }

    private void auditAdmin(User admin, String action, String detail, String correlation) {
        stores.audit().record(new AuditEvent(clock.instant(), "admin:" + Actor.mask(admin.id()), action, detail,
                Optional.of(correlation)));
    }

}
