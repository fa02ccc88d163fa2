package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.broadcast.Broadcast;
import dev.kiebot.core.broadcast.BroadcastState;
import dev.kiebot.core.broadcast.Tally;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.MoneyConfirmation;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Plural;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.time.Duration;

import java.util.List;
import java.util.Optional;

/**
 * Admin commands. The conversation only routes here for ids in ADMIN_IDS; every action is audited with the
 * admin's masked id, and every answer is in the admin's language. The dashboard, the searches, Stars refunds,
 * credits and debits, and bans have classes of their own ({@link AdminDashboard}, {@link AdminSearch},
 * {@link StarsRefundDesk}, {@link AdminMoneyDesk}, {@link AdminBans}).
 */
final class AdminConsole {
    /**
     * How long a broadcast draft's «Отправить» stays good: as long as {@link BroadcastWorker#DEFERRED_MAX}, an hour, not
     * a money confirmation's minutes (a long text is read over before it goes), but not the next morning.
     */
    static final Duration DRAFT_VALID = Duration.ofHours(1);
    private final Stores stores;
    private final Texts texts;
    private final Clock clock;
    private final Outbox outbox;
    private final AdminDashboard dashboard;
    private final AdminSearch search;
    private final StarsRefundDesk starsRefunds;
    private final PaySupport support;
    private final AdminLinks links;
    private final AdminBans bans;
    private final AdminPauses pauses;
    private final AdminExport export;
    private final AdminMoneyDesk money;
    private final AdminRefundDesk refunds;
    private final AdminForget forget;
    private final StarsReconciliation reconcile;

    AdminConsole(Stores stores, Pricing pricing, Texts texts, Clock clock, Generations generations, Outbox outbox,
                 AdminDashboard dashboard, AdminSearch search, StarsRefundDesk starsRefunds, PaySupport support,
                 AdminBans bans, AdminLinks links, AdminPauses pauses, AdminExport export, Referrals referrals,
                 StarsReconciliation reconcile, ManualTopUpDesk manual) {
        this.reconcile = reconcile;
        this.stores = stores;
        this.texts = texts;
        this.clock = clock;
        this.outbox = outbox;
        this.dashboard = dashboard;
        this.search = search;
        this.starsRefunds = starsRefunds;
        this.support = support;
        this.bans = bans;
        this.links = links;
        this.pauses = pauses;
        this.export = export;
        this.money = new AdminMoneyDesk(stores, pricing, texts, clock, outbox, referrals);
        this.refunds = new AdminRefundDesk(stores, pricing, texts, clock, generations, outbox);
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
                return starsRefunds.command(admin, chatId, updateId, a);
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
            case "refund" -> {
                return refunds.ask(admin, chatId, updateId, a);
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

    /** Saves a draft and asks for confirmation; nothing is sent from inside this update. */
    private List<Reply> broadcast(User admin, long chatId, String lang, String text) {
        if (text.length() > Broadcast.TEXT_MAX) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.ADMIN_FAILED,
                    texts.get(lang, Msg.ADMIN_BROADCAST_TOO_LONG, Broadcast.TEXT_MAX)), Keyboard.NONE));
        }
        Broadcast b = stores.broadcasts().draft(admin.id(), chatId, text, clock.instant());
        long audience = stores.users().countActive();
        // users known to have blocked the bot, and the banned, are left out when it is queued; the admin sees how
        // many, and why (the banned were counted as having blocked the bot)
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
        // a draft left for an hour is no longer what the admin means to send now (a button found the next morning)
        Optional<Broadcast> stale = stores.broadcasts().find(e.id()).filter(b -> b.state() == BroadcastState.DRAFT)
                .filter(b -> !b.createdAt().plus(DRAFT_VALID).isAfter(clock.instant()));
        if (stale.isPresent() && stores.broadcasts().cancel(e.id())) {
            auditAdmin(admin, "broadcast.expired", "", "broadcast#" + e.id());
            return List.of(show(chatId, e.messageId(), texts.get(lang, Msg.ADMIN_BROADCAST_EXPIRED,
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
                b.recipients()), BroadcastWorker.stopButton(texts, lang, b.id())));
    }

    /**
     * «Начислить» / «Списать» or «Отмена» under a {@code /topup_user} or {@code /debit_user}: {@link AdminMoneyDesk};
     * «💸 Вернуть» or «Отмена» under a {@code /refund}: {@link AdminRefundDesk}; «💸 Вернуть» or «Отмена» under a
     * {@code /refund_stars} or a payment list's button: {@link StarsRefundDesk}.
     */
    public List<Reply> settleMoney(User admin, long chatId, Effect.SettleMoney e) {
        Optional<MoneyConfirmation.Nonce> nonce = MoneyConfirmation.Nonce.read(e.nonce());
        if (nonce.filter(MoneyConfirmation.Nonce::stars).isPresent()) {
            return starsRefunds.settle(admin, chatId, e);
        }
        boolean refund = nonce.filter(MoneyConfirmation.Nonce::refund).isPresent();
        return refund ? refunds.settle(admin, chatId, e) : money.settle(admin, chatId, e);
    }

    /** «Стереть данные» under a {@code /forget}: {@link AdminForget}. */
    public List<Reply> forgetUser(User admin, long chatId, Effect.ForgetUser e) {
        return forget.forget(admin, chatId, e);
    }

    public List<Reply> cancelBroadcast(User admin, long chatId, Effect.CancelBroadcast e) {
        String lang = admin.language();
        if (stores.broadcasts().cancel(e.id())) {
            auditAdmin(admin, "broadcast.cancelled", "", "broadcast#" + e.id());
            return List.of(show(chatId, e.messageId(), texts.get(lang, Msg.ADMIN_BROADCAST_CANCELLED,
                    Texts.numbered(lang, e.id())), Keyboard.NONE));
        }
        // no longer a draft: «⏹ Остановить» under its progress, or the draft's «Отмена» pressed once it was sent
        Optional<Broadcast> running = stores.broadcasts().find(e.id()).filter(b -> b.state() == BroadcastState.QUEUED);
        if (running.isEmpty() || !stores.broadcasts().stop(e.id(), clock.instant())) {
            // over already, or a partner's store that cannot stop one: it runs to its end, its report says so
            return List.of(new Reply.SendText(chatId, texts.get(lang, running.isEmpty() ? Msg.ADMIN_BROADCAST_OVER
                    : Msg.ADMIN_BROADCAST_UNSTOPPABLE, Texts.numbered(lang, e.id())), Keyboard.NONE));
        }
        Tally t = stores.broadcasts().tally(e.id());
        auditAdmin(admin, "broadcast.stopped", t.sent() + " of " + running.get().recipients() + " sent",
                "broadcast#" + e.id());
        String stopped = texts.get(lang, Msg.ADMIN_BROADCAST_STOPPED, Texts.numbered(lang, e.id()),
                Plural.number(lang, t.sent()), Plural.number(lang, running.get().recipients()));
        // the progress message, wherever the button was pressed: it must not go on showing «⏹ Остановить»
        return List.of(show(chatId, running.get().progressMessageId().or(e::messageId), stopped, Keyboard.NONE));
    }

    private static Reply show(long chatId, Optional<Long> messageId, String text, Keyboard keyboard) {
        return messageId.<Reply>map(id -> new Reply.EditText(chatId, id, text, keyboard))
                .orElseGet(() -> new Reply.SendText(chatId, text, keyboard));
    }

    private void auditAdmin(User admin, String action, String detail, String correlation) {
        stores.audit().record(new AuditEvent(clock.instant(), "admin:" + Actor.mask(admin.id()), action, detail,
                Optional.of(correlation)));
    }

}
