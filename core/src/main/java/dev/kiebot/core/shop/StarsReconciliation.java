package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.StarTransaction;
import dev.kiebot.core.payments.StarTransactions;
import dev.kiebot.core.payments.StarTransactionsRead;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import dev.kiebot.core.users.Users;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * {@code /reconcile_stars [days]}: Telegram's list of the bot's Stars transactions against the ledger. After a restore
 * from a backup the payments Telegram took since the backup are nowhere in the shop's records; each one of an invoice
 * the shop knows is credited here exactly as its {@code successful_payment} would have been ({@link TopUps#credit},
 * under the same ledger id {@code stars:<charge id>}), so a late real {@code successful_payment}, or a second
 * reconciliation, credits nothing more. A payment Telegram gave back is not credited, nor is one whose invoice the
 * shop does not know (listed for the admin to decide), nor one kept as not credited before (its Stars may be on their
 * way back: {@code /refund_stars}).
 *
 * <p>An invoice issued after the backup is lost with it, yet its payment is the very one a restore leaves unknown. A
 * payment with no invoice on record is credited by its pack ({@link #invoiceByPack}) when it proves itself ours: its payload
 * is of the form only this bot issues ({@code topup:<uuid>}; no one else can issue an invoice of this bot, and
 * Telegram lists only this bot's transactions, read with its token), and its Stars are those of exactly one pack the
 * shop sells now, whose amount it is credited. Its invoice is kept again as it must have been (that user, those
 * Stars, that amount), so the payment goes the one way every payment goes ({@link TopUps#credit}: the same ledger id,
 * the same notice, and a late {@code successful_payment} of it credits nothing), and an audit line
 * ({@link #CREDITED_BY_PACK}) says the amount came from the pack, not from an invoice. A payload of another form, or
 * Stars of no pack sold now (repriced or removed since), stay listed for the admin, as before.
 *
 * <p>A payer the restored store lacks (his first update came after the backup) is created as his first {@code /start}
 * creates him, without the welcome bonus ({@link #payer}), and credited so; the admin's answer says he was created.
 *
 * <p>Telegram is read once the admin's update has committed, outside any transaction, on the executor Stars refunds
 * use; the whole list is read before anything is credited, so a read that fails (a 429 beyond patience, Telegram
 * unreachable) credits nothing. Each payment is then credited in a transaction of its own: a failure stops there, and
 * what was credited before it stays credited (and is not credited again by the next run).
 */
final class StarsReconciliation {
    static final int DAYS_DEFAULT = 7;
    /** The longest look back: Telegram's list is read from its start, a page at a time. */
    static final int DAYS_MAX = 90;
    /** Pages of {@link StarTransactions#PAGE_MAX} read at most: 2 000 transactions, some 20 calls to Telegram. */
    static final int PAGES_MAX = 20;
    /** Payments named one by one in the answer, of each kind; the rest are counted ({@link Msg#RECONCILE_MORE}). */
    static final int LISTED_MAX = 10;

    /** The audit action of a payment credited by its pack, its invoice not on record ({@link #invoiceByPack}). */
    static final String CREDITED_BY_PACK = "topup.stars_by_pack";
    /** The payload {@link TopUps#invoice} gives each invoice: {@code topup:} and a random UUID. */
    private static final String PAYLOAD_PREFIX = "topup:";

    private static final System.Logger LOG = System.getLogger(StarsReconciliation.class.getName());

    private final Stores stores;
    private final StarTransactions telegram;
    private final TopUps topUps;
    private final Pricing pricing;
    private final ShopSettings settings;
    private final Texts texts;
    private final Clock clock;
    private final Outbox outbox;
    private final Executor afterCommit;
    private final int pagesMax;

    StarsReconciliation(Stores stores, StarTransactions telegram, TopUps topUps, Pricing pricing, ShopSettings settings,
                        Texts texts, Clock clock, Outbox outbox, Executor afterCommit) {
        this(stores, telegram, topUps, pricing, settings, texts, clock, outbox, afterCommit, PAGES_MAX);
    }

    /** @param pagesMax pages read at most ({@link #PAGES_MAX}; fewer in tests) */
    StarsReconciliation(Stores stores, StarTransactions telegram, TopUps topUps, Pricing pricing, ShopSettings settings,
                        Texts texts, Clock clock, Outbox outbox, Executor afterCommit, int pagesMax) {
        this.stores = stores;
        this.telegram = telegram;
        this.topUps = topUps;
        this.pricing = pricing;
        this.settings = settings;
        this.texts = texts;
        this.clock = clock;
        this.outbox = outbox;
        this.afterCommit = afterCommit;
        this.pagesMax = pagesMax;
    }

    /** The admin's command: answered at once, and Telegram read once his update has committed. */
    List<Reply> command(User admin, long chatId, String args) {
        String lang = admin.language();
        Optional<Integer> days = days(args);
        if (days.isEmpty()) {
            return say(chatId, texts.get(lang, Msg.ADMIN_USAGE, texts.get(lang, Msg.USAGE_RECONCILE_STARS, DAYS_MAX)));
        }
        String what = "the Stars reconciliation asked by admin " + Actor.mask(admin.id());
        stores.transactions().afterCommit(AfterCommit.guarded(what, () -> afterCommit.execute(
                AfterCommit.guarded(what, () -> run(admin, chatId, days.get())))));
        return say(chatId, texts.get(lang, Msg.RECONCILE_STARTED, days.get()));
    }

    static Optional<Integer> days(String args) {
        String a = args.strip();
        if (a.isEmpty()) {
            return Optional.of(DAYS_DEFAULT);
        }
        if (!a.matches("\\d{1,3}")) {
            return Optional.empty();
        }
        int d = Integer.parseInt(a);
        return d >= 1 && d <= DAYS_MAX ? Optional.of(d) : Optional.empty();
    }

    /** Outside any transaction: reads Telegram's list, credits what the ledger lacks, answers the admin. */
    void run(User admin, long chatId, int days) {
        String lang = admin.language();
        Instant since = clock.instant().minus(Duration.ofDays(days));
        Listing listing = read(since);
        if (listing.failure().isPresent()) {
            LOG.log(System.Logger.Level.WARNING, "Stars reconciliation: Telegram's list could not be read, nothing "
                    + "credited: {0}", listing.failure().get());
            stores.transactions().inOne(() -> {
                outbox.send(new Reply.SendText(chatId, texts.get(lang, Msg.RECONCILE_FAILED, listing.failure().get()),
                        Keyboard.NONE));
                return null;
            });
            return;
        }
        Tally tally = new Tally();
        Optional<Stop> stopped = Optional.empty();
        for (StarTransaction paid : listing.payments().values()) {
            try {
                Outcome outcome = stores.transactions().inOne(() -> settle(admin, paid, listing.refunded()));
                tally.add(paid, outcome);
            } catch (RuntimeException e) {
                // this payment's transaction rolled back: nothing of it is credited, and a next run credits it once
                LOG.log(System.Logger.Level.ERROR, "Stars reconciliation stopped at a payment of user "
                        + Actor.mask(paid.userId().orElse(0L)), e);
                stopped = Optional.of(new Stop(paid.id(), e.getClass().getSimpleName()));
                break;
            }
        }
        String answer = answer(lang, days, listing, tally, stopped);
        LOG.log(System.Logger.Level.INFO, "Stars reconciliation of {0} day(s): {1} payment(s), {2} credited, {3} known, "
                + "{4} skipped", days, listing.payments().size(), tally.creditedPayments.size(), tally.known,
                tally.skipped());
        stores.transactions().inOne(() -> {
            outbox.send(new Reply.SendText(chatId, answer, Keyboard.NONE));
            return null;
        });
    }

    /** Telegram's list read whole (or up to {@link #pagesMax} pages), or why it could not be. */
    record Listing(Map<String, StarTransaction> payments, Set<String> refunded, int read, boolean cut,
                   Optional<String> failure) {
    }

    private Listing read(Instant since) {
        Map<String, StarTransaction> payments = new LinkedHashMap<>();
        Set<String> refunded = new HashSet<>();
        int read = 0;
        for (int page = 0; page < pagesMax; page++) {
            StarTransactionsRead r = telegram.page(page * StarTransactions.PAGE_MAX, StarTransactions.PAGE_MAX);
            if (r instanceof StarTransactionsRead.Failed failed) {
                return new Listing(Map.of(), Set.of(), read, false, Optional.of(failed.reason()));
            }
            List<StarTransaction> got = ((StarTransactionsRead.Page) r).transactions();
            read += got.size();
            for (StarTransaction t : got) {
                if (t.userId().isEmpty() || t.invoicePayload().isEmpty()) {
                    continue; // not a user's payment of an invoice: a withdrawal, paid media, a gift
                }
                if (!t.incoming()) {
                    refunded.add(t.id()); // a refund of whenever: the payment it gave back is not credited
                } else if (!t.at().isBefore(since)) {
                    payments.putIfAbsent(t.id(), t);
                }
            }
            if (got.size() < StarTransactions.PAGE_MAX || newestFirstAndAllBefore(got, since)) {
                return new Listing(payments, refunded, read, false, Optional.empty());
            }
        }
        return new Listing(payments, refunded, read, true, Optional.empty());
    }

    /**
     * Whether a page lists newest first and holds nothing since the look-back began: the pages after it hold older
     * ones still. Telegram's documentation says the list is "in chronological order" without saying which way; read
     * the other way, every page up to the end (or {@link #pagesMax}) is read.
     */
    private static boolean newestFirstAndAllBefore(List<StarTransaction> page, Instant since) {
        return page.get(0).at().isAfter(page.get(page.size() - 1).at())
                && page.stream().allMatch(t -> t.at().isBefore(since));
    }

    /** What became of one payment Telegram lists. */
    sealed interface Outcome {
        /**
         * @param byPack       credited by its pack, its invoice not on record
         * @param payerCreated its payer was not in the store and was created for it ({@link #payer})
         */
        record Credited(long amount, boolean byPack, boolean payerCreated) implements Outcome {
        }

        record Known() implements Outcome {
        }

        record Skipped(Msg why) implements Outcome {
        }
    }

    /**
     * Whether Telegram reported a refund of the charge while the shop did not know it (its audit line, written by
     * {@code TopUps.refunded}): a refund that came after this run read Telegram's list, before this payment's turn,
     * would otherwise be credited with its Stars already back.
     */
    private boolean refundReportedUnknown(String chargeId) {
        return stores.audit().byCorrelation("pay:" + chargeId).stream()
                .anyMatch(e -> e.action().equals("refund.stars_unknown"));
    }

    /** In the payment's own transaction: credited as its {@code successful_payment} would have been, or why not. */
    private Outcome settle(User admin, StarTransaction paid, Set<String> refunded) {
        String chargeId = paid.id();
        long userId = paid.userId().orElseThrow();
        String payload = paid.invoicePayload().orElseThrow();
        // the charge's id locked before the refund's check below, until this credit commits: Telegram's report of its
        // refund handled at this moment takes the same lock (TopUps.refunded), so it finds this credit and takes it
        // back, or this finds its audit line and credits nothing; apart, both went ahead (credited, Stars returned)
        stores.payments().lockCharge(chargeId);
        if (stores.ledger().find(TopUps.creditId(chargeId)).isPresent()) {
            return new Outcome.Known();
        }
        if (stores.payments().uncredited(chargeId).isPresent()) {
            return new Outcome.Skipped(Msg.RECONCILE_KEPT);
        }
        if (refunded.contains(chargeId) || refundReportedUnknown(chargeId)) {
            return new Outcome.Skipped(Msg.RECONCILE_REFUNDED);
        }
        Optional<Invoice> invoice = stores.payments().invoice(payload);
        boolean byPack = invoice.isEmpty();
        Optional<Long> packAmount = Optional.empty();
        if (byPack) {
            if (!ours(payload)) {
                return new Outcome.Skipped(Msg.RECONCILE_NO_INVOICE);
            }
            packAmount = packAmount(paid.stars());
            if (packAmount.isEmpty()) {
                return new Outcome.Skipped(Msg.RECONCILE_NO_PACK);
            }
        } else if (invoice.get().userId() != userId || invoice.get().stars() != paid.stars()) {
            return new Outcome.Skipped(Msg.RECONCILE_NOT_MATCHED);
        }
        Users.Seen payer = payer(userId);
        if (byPack) {
            invoice = Optional.of(invoiceByPack(paid, packAmount.get()));
        }
        // the user's chat is his private chat, whose id is his: the credit's notice goes there as the payment's would
        List<Reply> notices = topUps.credit(payer.user(), userId, 0, new Effect.CreditStars(chargeId, payload,
                TopUps.STARS, paid.stars()));
        outbox.sendAll(notices);
        if (stores.ledger().find(TopUps.creditId(chargeId)).isEmpty()) {
            return new Outcome.Skipped(Msg.RECONCILE_NOT_CREDITED); // an anomaly: kept, audited, the admins alerted
        }
        if (notices.isEmpty()) {
            // credited without a word: by its successful_payment or another admin's run, committed since the read above
            return new Outcome.Known();
        }
        if (byPack) {
            stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(userId), CREDITED_BY_PACK,
                    AuditNote.TOPUP_STARS_BY_PACK.with(paid.stars(), invoice.get().amount(), Actor.mask(admin.id())),
                    Optional.of(chargeId)));
        }
        if (payer.created()) {
            LOG.log(System.Logger.Level.INFO, "Stars reconciliation: user {0}, payer of a charge Telegram lists, was "
                    + "not in the store (lost with a restore): created as his first /start creates him, without the "
                    + "welcome bonus", Actor.mask(userId));
        }
        return new Outcome.Credited(invoice.get().amount(), byPack, payer.created());
    }

    /**
     * The payer as stored, or created as his first {@code /start} creates him when the store lacks him: a restore
     * from a backup older than his first update loses him with his invoice and payment, and Telegram's transaction
     * names him by id alone (the payment went to his private chat, whose id is his). He is created with no name nor
     * language (his next update gives them: {@code Users.seen} refreshes them) and <em>without</em> the welcome bonus:
     * it was given at his lost first sight, and spent or not with the rest of what the restore lost; this credits
     * what he paid, which Telegram's list proves, not a gift it cannot (given again, a bonus he may have spent
     * already on the provider's work would be the shop's twice). Created here, his next {@code /start} is no first
     * sight either: no bonus then. His referrer and his terms' acceptance were lost with him; he is asked to accept
     * the terms again before his next purchase.
     */
    private Users.Seen payer(long userId) {
        Optional<User> known = stores.users().find(userId);
        if (known.isPresent()) {
            return new Users.Seen(known.get(), false);
        }
        return stores.users().seen(userId, "", Optional.empty(), Optional.empty(), clock.instant());
    }

    /** Whether a payload is of the form {@link TopUps#invoice} gives: {@code topup:} and a UUID, nothing else. */
    static boolean ours(String payload) {
        if (!payload.startsWith(PAYLOAD_PREFIX)) {
            return false;
        }
        String id = payload.substring(PAYLOAD_PREFIX.length());
        try {
            // UUID.fromString reads "1-1-1-1-1" too: only the canonical 36 characters it writes back are ours
            return UUID.fromString(id).toString().equals(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The amount of the one pack the shop sells now for these Stars; empty for none (repriced, removed) or two. */
    private Optional<Long> packAmount(long stars) {
        long packs = settings.starsPackages().stream().filter(p -> p == stars).count();
        return packs == 1 ? Optional.of(stars * settings.starPrice()) : Optional.empty();
    }

    /**
     * The invoice a payment with none on record must have been: of its payer, for its Stars, at its pack's amount
     * today, issued no later than it was paid. Kept so the payment is credited as every payment is, and marked paid
     * by it in the same transaction: no pre-checkout can be answered yes to it. A payload kept meanwhile (its
     * {@code successful_payment}, another run) stays as it is ({@code Payments.saveInvoice}), and is read back.
     */
    private Invoice invoiceByPack(StarTransaction paid, long amount) {
        String payload = paid.invoicePayload().orElseThrow();
        stores.payments().saveInvoice(new Invoice(payload, paid.userId().orElseThrow(), paid.stars(), amount,
                paid.at()));
        return stores.payments().invoice(payload).orElseThrow();
    }

    private static final class Tally {
        long creditedAmount;
        int known;
        final Map<Msg, List<StarTransaction>> skipped = new LinkedHashMap<>();
        final List<Outcome.Credited> credits = new ArrayList<>();
        final List<StarTransaction> creditedPayments = new ArrayList<>();

        void add(StarTransaction paid, Outcome outcome) {
            if (outcome instanceof Outcome.Credited c) {
                creditedPayments.add(paid);
                credits.add(c);
                creditedAmount += c.amount();
            } else if (outcome instanceof Outcome.Skipped s) {
                skipped.computeIfAbsent(s.why(), w -> new ArrayList<>()).add(paid);
            } else {
                known++;
            }
        }

        int skipped() {
            return skipped.values().stream().mapToInt(List::size).sum();
        }
    }

    /** A payment whose transaction failed, and the failure's name: the run stopped there. */
    private record Stop(String chargeId, String failure) {
    }

    private String answer(String lang, int days, Listing listing, Tally tally, Optional<Stop> stopped) {
        StringBuilder text = new StringBuilder(texts.get(lang, Msg.RECONCILE_SUMMARY, days, listing.payments().size(),
                tally.creditedPayments.size(), pricing.format(tally.creditedAmount, lang), tally.known, tally.skipped()));
        // each payer looked up once however many lines name him: the admin reads «User42 (ID 42)», not a bare number
        Map<Long, String> named = new HashMap<>();
        Function<StarTransaction, String> who = p -> named.computeIfAbsent(p.userId().orElseThrow(),
                id -> AdminSearch.named(texts, stores, lang, id));
        List<String> creditedLines = new ArrayList<>();
        for (int i = 0; i < tally.creditedPayments.size(); i++) {
            StarTransaction p = tally.creditedPayments.get(i);
            Outcome.Credited c = tally.credits.get(i);
            creditedLines.add(texts.get(lang, c.byPack() ? Msg.RECONCILE_CREDITED_BY_PACK : Msg.RECONCILE_CREDITED,
                    who.apply(p), p.stars(), pricing.format(c.amount(), lang), p.id())
                    + (c.payerCreated() ? " " + texts.get(lang, Msg.RECONCILE_PAYER_CREATED) : ""));
        }
        appendListed(text, lang, creditedLines);
        for (Map.Entry<Msg, List<StarTransaction>> kind : tally.skipped.entrySet()) {
            // the bare id last, for the command a line suggests (/topup_user <id>)
            appendListed(text, lang, kind.getValue().stream().map(p -> texts.get(lang, kind.getKey(),
                    who.apply(p), p.stars(), p.id(), String.valueOf(p.userId().orElseThrow()))).toList());
        }
        if (listing.cut()) {
            text.append("\n").append(texts.get(lang, Msg.RECONCILE_CUT, listing.read()));
        }
        stopped.ifPresent(s -> text.append("\n").append(texts.get(lang, Msg.RECONCILE_STOPPED, s.chargeId(),
                s.failure())));
        return text.toString();
    }

    private void appendListed(StringBuilder text, String lang, List<String> lines) {
        lines.stream().limit(LISTED_MAX).forEach(l -> text.append("\n").append(l));
        if (lines.size() > LISTED_MAX) {
            text.append("\n").append(texts.get(lang, Msg.RECONCILE_MORE, lines.size() - LISTED_MAX));
        }
    }

    private static List<Reply> say(long chatId, String text) {
        return List.of(new Reply.SendText(chatId, text, Keyboard.NONE));
    }
}
