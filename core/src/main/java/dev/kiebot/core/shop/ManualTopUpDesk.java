package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.AdminNotice;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.ManualTopUpCreation;
import dev.kiebot.core.payments.ManualTopUpDraft;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.payments.ManualTransition;
import dev.kiebot.core.payments.RequestNotice;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.random.RandomGenerator;

/**
 * Card / SBP top-ups confirmed by an admin: the request with its reference code, "I paid" and the receipt, the
 * admins' messages (one per admin, edited on every admin's side when one decides), the decision and the expiry.
 *
 * <p>Exactly one credit per approved request: the store decides the request first (a compare-and-set, so of two
 * admins pressing at once, a double tap, or an admin racing the expiry only one wins), then the ledger credits
 * it under the request's id. Whoever finds the request approved — the winner, a second press, a press after a
 * restart that came between the two steps — asks the ledger for that same credit, which exists at most once.
 */
final class ManualTopUpDesk {
    /** Reference codes: no letters or digits that read alike (O/0, I/1). */
    static final String REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    static final int REFERENCE_LENGTH = 6;
    /** New codes tried when one is taken, before giving up. */
    static final int REFERENCE_ATTEMPTS = 5;
    /**
     * Open requests one user may have: a second amount while the first waits is fine; more would let one account fill
     * every admin's chat with requests, «I paid» and receipts (each a message per admin), or keep a stock of them for
     * after a ban, which still lets him report his open requests paid (BannedUsers).
     */
    static final int OPEN_MAX = 2;
    /** Receipts of one request forwarded to the admins. */
    static final int RECEIPTS_MAX = 3;
    /**
     * Other requests named in an admin's message as having got the same receipt: enough to see one transfer's receipt
     * sent for several requests, not a list that buries the message.
     */
    static final int SAME_RECEIPT_SHOWN = 3;
    private static final String RECEIPT = "manual.receipt";
    private static final System.Logger LOG = System.getLogger(ManualTopUpDesk.class.getName());

    private final Stores stores;
    private final Pricing pricing;
    private final Texts texts;
    private final CreditNotice creditNotice;
    private final OrderWayBack wayBack;
    private final Referrals referrals;
    private final ShopSettings settings;
    private final ManualPayments manual;
    private final Clock clock;
    private final Outbox outbox;
    private final RandomGenerator random = new SecureRandom();

    ManualTopUpDesk(Stores stores, Pricing pricing, Texts texts, ShopSettings settings, ManualPayments manual,
                    Clock clock, Outbox outbox, Referrals referrals) {
        this.stores = stores;
        this.pricing = pricing;
        this.texts = texts;
        this.creditNotice = new CreditNotice(stores, texts, pricing);
        this.wayBack = new OrderWayBack(stores, texts);
        this.referrals = referrals;
        this.settings = settings;
        this.manual = manual;
        this.clock = clock;
        this.outbox = outbox;
    }

    /** A new request of {@code amount}, keyed by the update that asked for it; the user gets the instructions. */
    List<Reply> request(User user, long chatId, long updateId, long amount) {
        String lang = user.language();
        if (!manual.enabled() || !manual.accepts(amount)) {
            String text = texts.get(lang, Msg.MANUAL_UNAVAILABLE)
                    + (settings.starsOffered() ? " " + texts.get(lang, Msg.MANUAL_TRY_STARS) : "");
            return List.of(new Reply.SendText(chatId, text, home(lang)));
        }
        Instant now = clock.instant();
        ManualTopUpCreation creation = new ManualTopUpCreation.ReferenceTaken();
        for (int attempt = 0; attempt < REFERENCE_ATTEMPTS
                && creation instanceof ManualTopUpCreation.ReferenceTaken; attempt++) {
            creation = stores.manualTopUps().create(new ManualTopUpDraft(UpdateKey.of(updateId, user.id()), user.id(),
                    chatId, amount, newReference(), now, now.plus(manual.expireAfter())), OPEN_MAX);
        }
        if (creation instanceof ManualTopUpCreation.TooManyOpen tooMany) {
            return List.of(new Reply.SendText(chatId, stillOpen(lang, tooMany.open()), paidButtons(lang,
                    tooMany.open())));
        }
        if (!(creation instanceof ManualTopUpCreation.Created created)) {
            throw new IllegalStateException("no free reference code after " + REFERENCE_ATTEMPTS + " attempts");
        }
        ManualTopUp r = created.request();
        audit(user, "manual.requested", AuditNote.MANUAL_REQUESTED.with(pricing.inRecords(r.amount()),
                r.reference()), r);
        Keyboard kb = Keyboard.of(List.of(
                Button.callback(texts.get(lang, Msg.BUTTON_MANUAL_PAID),
                        CallbackData.evergreen(CallbackAction.MANUAL_PAID, Long.toString(r.id()))),
                HomeButton.of(texts, lang)));
        return List.of(new Reply.SendText(chatId, instructions(lang, r), kb));
    }

    /**
     * The refusal of one more request: which of his are open and how they stand, and, when one still waits for the
     * payment, what paying it takes (its code, where to transfer) and that its «Оплачено» is below
     * ({@link #paidButtons}). A user who lost the request's message (cleared the chat, another device) got only the
     * button: with no code and no card or phone he could not pay, and a new request was refused.
     */
    private String stillOpen(String lang, List<ManualTopUp> open) {
        StringBuilder lines = new StringBuilder();
        for (ManualTopUp r : open) {
            lines.append(r.state() == ManualTopUpState.REQUESTED
                    ? texts.get(lang, Msg.MANUAL_OPEN_LINE_CODE, Texts.numbered(lang, r.id()),
                            pricing.format(r.amount(), lang), stateText(lang, r.state()), r.reference())
                    : texts.get(lang, Msg.MANUAL_OPEN_LINE, Texts.numbered(lang, r.id()),
                            pricing.format(r.amount(), lang), stateText(lang, r.state())));
        }
        boolean unpaid = open.stream().anyMatch(r -> r.state() == ManualTopUpState.REQUESTED);
        return texts.get(lang, Msg.MANUAL_TOO_MANY_OPEN, lines.toString(), unpaid ? "\n\n"
                + texts.get(lang, Msg.MANUAL_PAY_TO, where(lang)) + " " + texts.get(lang, Msg.MANUAL_PAID_BELOW) : "");
    }

    /**
     * «Оплачено» of each open request still waiting for the payment, under the refusal: the refusal sends the user to
     * them, and one who lost the request's message (cleared the chat, another device) had no way to reach them.
     */
    private Keyboard paidButtons(String lang, List<ManualTopUp> open) {
        List<List<Button>> rows = new java.util.ArrayList<>();
        for (ManualTopUp r : open) {
            if (r.state() == ManualTopUpState.REQUESTED) {
                rows.add(List.of(Button.callback(texts.get(lang, Msg.BUTTON_MANUAL_PAID_FOR,
                        Texts.numbered(lang, r.id())), CallbackData.evergreen(CallbackAction.MANUAL_PAID,
                        Long.toString(r.id())))));
            }
        }
        rows.add(List.of(HomeButton.of(texts, lang)));
        return new Keyboard(rows);
    }

    private String instructions(String lang, ManualTopUp r) {
        return texts.get(lang, Msg.MANUAL_INSTRUCTIONS, Texts.numbered(lang, r.id()), pricing.format(r.amount(), lang),
                where(lang), r.reference(), manual.expireAfter().toHours());
    }

    /** Where the money goes: the card and the phone for SBP, each on a line of its own after a line break. */
    private String where(String lang) {
        StringBuilder where = new StringBuilder();
        manual.card().ifPresent(card -> where.append("\n").append(texts.get(lang, Msg.MANUAL_CARD, card,
                manual.bank().map(b -> " (" + b + ")").orElse(""),
                manual.cardHolder().map(h -> ", " + h).orElse(""))));
        manual.phone().ifPresent(phone -> where.append("\n").append(texts.get(lang, Msg.MANUAL_PHONE, phone,
                manual.bank().map(b -> " (" + b + ")").orElse(""))));
        return where.toString();
    }

    String newReference() {
        StringBuilder sb = new StringBuilder(REFERENCE_LENGTH);
        for (int i = 0; i < REFERENCE_LENGTH; i++) {
            sb.append(REFERENCE_ALPHABET.charAt(random.nextInt(REFERENCE_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** "I paid": the request waits for an admin, and every admin gets one message about it (once). */
    List<Reply> claim(User user, long chatId, long id) {
        String lang = user.language();
        Optional<ManualTransition> claimed = stores.manualTopUps().find(id).filter(r -> r.userId() == user.id())
                .flatMap(r -> stores.manualTopUps().claimPaid(id));
        if (claimed.isEmpty()) {
            return done(user, chatId, Msg.MANUAL_UNKNOWN, Texts.numbered(lang, id));
        }
        ManualTopUp r = claimed.get().request();
        if (!claimed.get().now()) {
            return r.state() == ManualTopUpState.CLAIMED_PAID ? done(user, chatId, Msg.MANUAL_CLAIMED, Texts.numbered(lang, r.id()))
                    : done(user, chatId, Msg.MANUAL_CLOSED, Texts.numbered(lang, r.id()), stateText(lang, r.state()));
        }
        announce(user, r);
        return done(user, chatId, Msg.MANUAL_CLAIMED, Texts.numbered(lang, r.id()));
    }

    /** Request {@code r} was reported paid just now: recorded, and every admin gets one message about it. */
    private void announce(User user, ManualTopUp r) {
        audit(user, "manual.claimed_paid", AuditNote.MANUAL_CLAIMED_PAID.with(r.reference()), r);
        for (long admin : settings.adminIds()) {
            String adminLang = language(admin);
            outbox.show(admin, tag(r), adminText(adminLang, r), decisionButtons(adminLang, r));
            stores.manualTopUps().addNotice(r.id(), new AdminNotice(admin));
        }
    }

    /**
     * A receipt (a photo or a file): kept with the request, shown to every admin, and their messages say so. At most
     * {@link #RECEIPTS_MAX} per request reach the admins: a correction or two, not a user's flood in every admin's chat
     * (each receipt is a message and an edit per admin, out of the bot's 30 messages a second). A request not yet
     * reported paid takes none and is not reported paid by it (a photo may be anything, and the admins, who hear of a
     * request only once it is paid, would get a receipt of nothing they know): the user gets its «Оплачено». The
     * conversation sends such a file here only after «Оплачено»; this holds whoever sends the effect.
     *
     * <p>A receipt whose content (the platform's {@code uniqueId}) another request got too is taken all the same (a
     * user may well send one receipt twice for the same request, and a refusal would only teach a cheater to crop
     * it), but every admin's message about both requests says so ({@link #adminText}): one transfer's receipt sent
     * for two requests was two approvals and twice the money. The user is not told.
     *
     * @param uniqueId the receipt's content id, when the platform said
     * @param answered an album's file after its first, whose answer spoke for the album: no word of its own
     */
    List<Reply> attachReceipt(User user, long chatId, long id, String fileId, Optional<String> uniqueId,
                              MediaKind kind, boolean answered) {
        String lang = user.language();
        Optional<ManualTopUp> mine = stores.manualTopUps().find(id).filter(r -> r.userId() == user.id());
        long before = mine.map(this::receipts).orElse(0L);
        if (mine.isPresent() && before >= RECEIPTS_MAX) {
            return answered ? List.of() : done(user, chatId, Msg.MANUAL_RECEIPTS_ENOUGH,
                    Texts.numbered(lang, mine.get().id()), RECEIPTS_MAX);
        }
        Optional<ManualTopUp> unpaid = mine.filter(r -> r.state() == ManualTopUpState.REQUESTED);
        if (unpaid.isPresent()) {
            ManualTopUp r = unpaid.get();
            return answered ? List.of() : List.of(new Reply.SendText(chatId, texts.get(lang, Msg.MANUAL_RECEIPT_UNPAID,
                    Texts.numbered(lang, r.id()), pricing.format(r.amount(), lang)), paidButtons(lang, List.of(r))));
        }
        Optional<ManualTopUp> attached = mine.flatMap(r -> stores.manualTopUps().attachReceipt(id, fileId, uniqueId));
        if (attached.isEmpty()) {
            return answered ? List.of() : done(user, chatId, Msg.MANUAL_UNKNOWN, Texts.numbered(lang, id));
        }
        ManualTopUp r = attached.get();
        audit(user, RECEIPT, AuditNote.MANUAL_RECEIPT.with(r.reference()), r);
        for (long admin : settings.adminIds()) {
            outbox.send(new Reply.SendMedia(admin, kind, fileId,
                    texts.get(language(admin), Msg.MANUAL_RECEIPT_CAPTION, Texts.numbered(language(admin), r.id()), r.reference()), Keyboard.NONE));
        }
        showToAdmins(r);
        // the other request's messages, shown before this receipt came, now name this one (edits are idempotent)
        if (uniqueId.isPresent()) {
            stores.manualTopUps().sharingAReceipt(r.id(), SAME_RECEIPT_SHOWN).stream()
                    .filter(other -> other.state().open()).forEach(this::showToAdmins);
        }
        if (answered) {
            return List.of();
        }
        Msg said = before == 0 ? Msg.MANUAL_RECEIPT_RECEIVED : Msg.MANUAL_RECEIPT_ADDED;
        return done(user, chatId, said, Texts.numbered(lang, r.id()));
    }

    /**
     * An admin approves or declines; the one who decided it tells the user, everyone's message shows the end.
     *
     * <p>Only the request the button was made for: request numbers start again on a database restored from a backup,
     * and the «Подтвердить» of a request of the lost day (its money, its user) would credit whoever asked under that
     * number since. The button carries when its request was created ({@link #decisionButtons}); a different request
     * under the number is refused, and nothing moves. A button of a build before carries only the number: it proves
     * nothing, so it decides nothing either; the admin gets the request as it is now (its user, amount and code) with
     * buttons that do, one more tap for the few requests open at the upgrade rather than a credit to a stranger.
     *
     * @param made when the button's request was created; empty for a button of a build before
     */
    List<Reply> decide(User admin, long chatId, long id, Optional<Instant> made, boolean approve, boolean sure) {
        String lang = admin.language();
        Optional<ManualTopUp> numbered = stores.manualTopUps().find(id);
        if (numbered.isPresent() && made.isPresent()
                && numbered.get().createdAt().toEpochMilli() != made.get().toEpochMilli()) {
            ManualTopUp now = numbered.get();
            LOG.log(System.Logger.Level.WARNING, "admin {0} pressed a decision on card request {1} made {2}, but {1}"
                    + " now is another request, made {3} (numbers start again after a restore): refused, nothing moved",
                    Actor.mask(admin.id()), now.display(), made.get(), now.createdAt());
            return say(chatId, lang, Msg.MANUAL_BUTTON_OTHER, Texts.numbered(lang, id));
        }
        if (numbered.isPresent() && made.isEmpty()) {
            ManualTopUp now = numbered.get();
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.MANUAL_BUTTON_OLD, Texts.numbered(lang, id),
                    now.reference()) + "\n\n" + adminText(lang, now), decisionButtons(lang, now)));
        }
        if (!approve && !sure && numbered.filter(r -> r.state().open()).isPresent()) {
            // the user is told «declined» at once and for good: a tap meant for «Подтвердить» must not do it; the
            // request stays open, its buttons with it, until «Да, отклонить»
            ManualTopUp r = numbered.get();
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.MANUAL_DECLINE_ASK, Texts.numbered(lang, r.id()),
                    pricing.format(r.amount(), lang), who(r), Texts.id(r.userId())), Keyboard.of(List.of(Button.callback(
                    texts.get(lang, Msg.BUTTON_DECLINE_SURE), CallbackData.evergreen(CallbackAction.MANUAL_DECLINE,
                            r.id() + ":" + r.createdAt().toEpochMilli() + ":y"))))));
        }
        ManualTopUpState to = approve ? ManualTopUpState.APPROVED : ManualTopUpState.DECLINED;
        Optional<ManualTransition> t = stores.manualTopUps().decide(id, to, admin.id(), clock.instant());
        if (t.isEmpty()) {
            // not the user's words: they send him to /topup for a new request
            return say(chatId, lang, Msg.MANUAL_NOT_FOUND, Texts.numbered(lang, id));
        }
        ManualTopUp r = t.get().request();
        if (r.state() == ManualTopUpState.APPROVED) {
            credit(admin, r);
        } else if (t.get().now()) {
            audit(admin, "manual.declined", AuditNote.MANUAL_DECLINED.with(r.reference()), r);
            String userLang = language(r.userId());
            // /paysupport reaches the admins; a support contact, when the shop has one, is another way
            outbox.send(new Reply.SendText(r.chatId(), texts.get(userLang, Msg.MANUAL_DECLINED_USER, Texts.numbered(userLang, r.id()),
                    pricing.format(r.amount(), userLang)) + settings.support().map(c -> " " + texts.get(userLang,
                    Msg.SUPPORT_ALSO, c)).orElse(""), home(userLang)));
        }
        showToAdmins(r);
        return t.get().now() ? List.of()
                : say(chatId, lang, Msg.MANUAL_ALREADY_DECIDED, Texts.numbered(lang, r.id()), stateText(lang, r.state()));
    }

    /** The credit of an approved request, under its id: created once, found again by every later call. */
    private void credit(User admin, ManualTopUp r) {
        AccountId wallet = AccountId.wallet(r.userId());
        LedgerResult result = stores.ledger().transfer(r.creditId(), AccountId.MANUAL_CLEARING, wallet, r.amount(),
                TransferKind.TOP_UP_MANUAL);
        if (result instanceof LedgerResult.Created) {
            audit(admin, "manual.approved", AuditNote.MANUAL_APPROVED.with(r.reference(), r.amount()), r);
            MoneyLog.moved(stores, pricing, "admin " + Actor.mask(admin.id()) + " approved a transfer", r.userId(),
                    r.amount(), r.creditId());
            outbox.send(creditNotice.to(r.chatId(), language(r.userId()), r.amount(),
                    stores.ledger().balance(wallet).available()));
            referrals.paid(r.userId(), r.amount()).ifPresent(outbox::send);
        } else if (!result.succeeded()) {
            throw new IllegalStateException("credit of manual top-up " + r.display() + " refused: " + result);
        }
    }

    /**
     * Expires requests past their time: the user is told, the admins' messages show it. Each request is expired
     * in a transaction of its own together with its audit line and its messages, so a failure half-way (the
     * database lost while queueing the user's message) leaves that request open for the next pass, never expired
     * with nobody told; one request's trouble does not roll back the others already done.
     *
     * @return how many
     */
    int expire(int limit) {
        int expired = 0;
        while (expired < limit && stores.transactions().inOne(this::expireOne)) {
            expired++;
        }
        return expired;
    }

    /** Inside the caller's transaction: the oldest request due, expired and announced. @return false when none is */
    private boolean expireOne() {
        Instant now = clock.instant();
        List<ManualTopUp> due = stores.manualTopUps().expire(now, 1);
        for (ManualTopUp r : due) {
            stores.audit().record(new AuditEvent(now, "system", "manual.expired",
                    AuditNote.MANUAL_EXPIRED.with(r.reference()),
                    Optional.of("manual" + r.display())));
            notifyUser(r, Msg.MANUAL_EXPIRED_USER, Texts.numbered(language(r.userId()), r.id()),
                    pricing.format(r.amount(), language(r.userId())));
            showToAdmins(r);
        }
        return !due.isEmpty();
    }

    /** Every admin's message about the request shows it as it is now (edits are idempotent). */
    private void showToAdmins(ManualTopUp r) {
        for (AdminNotice n : stores.manualTopUps().notices(r.id())) {
            String lang = language(n.chatId());
            outbox.show(n.chatId(), tag(r), adminText(lang, r), decisionButtons(lang, r));
        }
    }

    /**
     * The user was forgotten ({@code /forget}, {@link AdminForget}): every admin's message about his open requests
     * shows them again, his name blank. The screens about them still queued to the admins went with his data
     * ({@code PersonalData.forget}): his name in each, one went out after the erasure. The admins still decide those
     * requests, so each gets its screen anew: an edit of the message it had, or a new message when none was sent yet.
     * In the erasure's transaction.
     */
    void forgotten(long userId) {
        for (ManualTopUp r : stores.manualTopUps().open(userId, Instant.EPOCH)) {
            showToAdmins(r);
        }
    }

    /** Each admin's one message about the request, edited in place by the outbox. */
    private static String tag(ManualTopUp r) {
        return tag(r.id());
    }

    private static String tag(long requestId) {
        return "manual:" + requestId;
    }

    /**
     * Forgets up to {@code limit} admins' notices of requests closed before {@code closedBefore}, and with each the
     * outbox's tag of that admin's message, in one transaction (a notice gone with its tag kept would leave the tag
     * for ever). Afterwards a stale press on such a request's message is answered as before
     * ({@code MANUAL_ALREADY_DECIDED}), and no admin's message is edited or sent again: it has no notices left.
     *
     * @return how many notices were forgotten
     */
    int forgetClosed(Instant closedBefore, int limit) {
        return stores.transactions().inOne(() -> {
            List<RequestNotice> forgotten = stores.manualTopUps().forgetNotices(closedBefore, limit);
            forgotten.stream().collect(Collectors.groupingBy(RequestNotice::chatId, TreeMap::new,
                            Collectors.mapping(n -> tag(n.requestId()), Collectors.toList())))
                    .forEach((chat, tags) -> stores.pendingReplies().untag(chat, tags));
            return forgotten.size();
        });
    }

    /** The request's user as admins read him: his first name and @username. */
    private String who(ManualTopUp r) {
        return stores.users().find(r.userId()).map(u -> u.firstName() + u.username().map(n -> " @" + n).orElse(""))
                .orElse("?");
    }

    String adminText(String lang, ManualTopUp r) {
        Optional<User> user = stores.users().find(r.userId());
        String who = who(r);
        String decided = r.decidedBy().map(a -> " · " + stores.users().find(a).map(User::firstName)
                .orElse(Long.toString(a))).orElse("");
        // a request made before a ban may still be paid and reported (BannedUsers): the admin deciding it should know
        String banned = r.state().open() && user.flatMap(User::ban).isPresent()
                ? texts.get(lang, Msg.MANUAL_ADMIN_BANNED) : "";
        return texts.get(lang, Msg.MANUAL_ADMIN, Texts.numbered(lang, r.id()), who, Texts.id(r.userId()), pricing.format(r.amount(), lang),
                r.reference(), r.receipt().isPresent() ? "🧾" : "—", stateText(lang, r.state()) + decided) + banned
                + sameReceipt(lang, r);
    }

    /** A line for each other request that got the same receipt (by content, any user's): one payment, two requests? */
    private String sameReceipt(String lang, ManualTopUp r) {
        if (r.receipt().isEmpty()) {
            return "";
        }
        StringBuilder lines = new StringBuilder();
        for (ManualTopUp other : stores.manualTopUps().sharingAReceipt(r.id(), SAME_RECEIPT_SHOWN)) {
            String name = stores.users().find(other.userId()).map(u -> u.firstName() + u.username().map(n -> " @" + n)
                    .orElse("")).orElse("?");
            lines.append(texts.get(lang, Msg.MANUAL_ADMIN_SAME_RECEIPT, Texts.numbered(lang, other.id()), name,
                    Texts.id(other.userId()), stateText(lang, other.state())));
        }
        return lines.toString();
    }

    private Keyboard decisionButtons(String lang, ManualTopUp r) {
        if (!r.state().open()) {
            return Keyboard.NONE;
        }
        // the request's creation proves which request the button is for ({@link #decide}): 36 bytes at most of 64
        String id = r.id() + ":" + r.createdAt().toEpochMilli();
        return Keyboard.of(List.of(
                Button.callback(texts.get(lang, Msg.BUTTON_APPROVE), CallbackData.evergreen(CallbackAction.MANUAL_APPROVE, id)),
                Button.callback(texts.get(lang, Msg.BUTTON_DECLINE), CallbackData.evergreen(CallbackAction.MANUAL_DECLINE, id))));
    }

    String stateText(String lang, ManualTopUpState s) {
        return texts.get(lang, words(s));
    }

    /** How a card / SBP request's state reads, to its user and to admins alike. */
    static Msg words(ManualTopUpState s) {
        return Msg.manualState(s);
    }

    private void notifyUser(ManualTopUp r, Msg msg, Object... args) {
        String lang = language(r.userId());
        outbox.send(new Reply.SendText(r.chatId(), texts.get(lang, msg, args), home(lang)));
    }

    private String language(long userId) {
        return stores.users().languageOf(userId);
    }

    private Keyboard home(String lang) {
        return HomeButton.keyboard(texts, lang);
    }

    private List<Reply> say(long chatId, String lang, Msg msg, Object... args) {
        return List.of(new Reply.SendText(chatId, texts.get(lang, msg, args), Keyboard.NONE));
    }

    /**
     * The user's answer that ends his part (the request reported paid, a receipt taken or one too many, a request
     * unknown or closed), with the way back to an order he pressed «Оплачено» in the middle of ({@link OrderWayBack}):
     * with no button there he found it only at the menu; and «🏠 Меню» under it, as a Russian shop bot puts under a
     * message that ends a step (the persistent menu alone is easy to miss). None for a banned user: the order and the
     * menu are not his to go on with.
     */
    private List<Reply> done(User user, long chatId, Msg msg, Object... args) {
        String lang = user.language();
        if (user.ban().isPresent()) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, msg, args), Keyboard.NONE));
        }
        List<List<Button>> rows = new ArrayList<>();
        List<Button> back = wayBack.button(chatId, lang);
        if (!back.isEmpty()) {
            rows.add(back); // «↩️ Вернуться к генерации» is too long to share a row on a phone
        }
        rows.add(List.of(HomeButton.belowOf(texts, lang))); // the request's number and what comes next stay in sight
        return List.of(new Reply.SendText(chatId, texts.get(lang, msg, args), new Keyboard(rows)));
    }

    /** The receipts a request got, by its audit trail (kept 30 days, longer than any request waits). */
    private long receipts(ManualTopUp r) {
        return stores.audit().byCorrelation(correlation(r)).stream().filter(e -> e.action().equals(RECEIPT)).count();
    }

    private static String correlation(ManualTopUp r) {
        return "manual" + r.display();
    }

    private void audit(User who, String action, String detail, ManualTopUp r) {
        String actor = settings.adminIds().contains(who.id()) && who.id() != r.userId()
                ? "admin:" + Actor.mask(who.id()) : Actor.mask(who.id());
        stores.audit().record(new AuditEvent(clock.instant(), actor, action, detail, Optional.of(correlation(r))));
    }
}
