package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.support.SupportTicket;
import dev.kiebot.core.support.TicketAnswer;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.ShownTime;
import dev.kiebot.core.text.Snippet;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /paysupport} tickets: the user's problem is kept, every admin gets it with the user's last payments and
 * generations and a Refund button for each Stars payment not refunded yet (credited or not: one that credited
 * nothing is marked so), and the user is told it arrived; with no admins, that nobody can read it in the bot.
 * {@code /tickets} lists the newest tickets to an admin, and shows one again as it first arrived: a ticket sent to
 * admins who missed it, or stored before there were any, is not lost to them. At most {@link #NOTIFIED_PER_DAY_MAX}
 * of a user's tickets a day reach the admins as messages; later ones are kept for {@code /tickets} and the user is
 * told so. {@code /reply <number> <text>} answers a ticket in its user's chat with the bot (a user without a username
 * has no other way to be reached), and the other admins see the answer, so a ticket is not answered twice.
 */
final class PaySupport {
    /** Payments and generations shown with a ticket. */
    static final int SHOWN = 5;
    /** A user's newest wallet transfers among which his online payments are looked for. */
    static final int ONLINE_LOOKED_AT = 50;
    /** Tickets {@code /tickets} lists. */
    static final int LISTED = 10;
    /** How much of a ticket's text its line in a list shows. */
    static final int LINE_TEXT_MAX = 80;
    /**
     * A user's tickets in 24 hours that reach every admin as a message. Each is a long message per admin out of the
     * bot's 30 messages a second, so a user writing ticket after ticket (the rate limit lets through one every few
     * seconds) would fill every admin's chat and slow every other user's replies; three cover a problem and two
     * corrections.
     */
    static final int NOTIFIED_PER_DAY_MAX = 3;
    /** The audit action of an answer, under the ticket's correlation id. */
    static final String ANSWERED = "support.answered";
    /** How much of an answer {@code /tickets <number>} shows under the ticket. */
    static final int ANSWER_SHOWN_MAX = 300;
    /**
     * Files of a ticket that reach the admins, the one it was written under included: a screenshot or two of the
     * problem, not a flood.
     */
    static final int FILES_MAX = 3;
    /**
     * The audit action of a file sent with a ticket or after it, under the ticket's correlation id: they are counted
     * by it.
     */
    static final String FILE = "support.file";
    private static final System.Logger LOG = System.getLogger(PaySupport.class.getName());

    private final Stores stores;
    private final Catalog catalog;
    private final Pricing pricing;
    private final Texts texts;
    private final ShopSettings settings;
    private final Clock clock;
    private final Outbox outbox;
    private final StarsRefundDesk refunds;
    private final TransferWords transfers;

    PaySupport(Stores stores, Catalog catalog, Pricing pricing, Texts texts, ShopSettings settings, Clock clock,
               Outbox outbox, StarsRefundDesk refunds) {
        this.stores = stores;
        this.catalog = catalog;
        this.pricing = pricing;
        this.texts = texts;
        this.settings = settings;
        this.clock = clock;
        this.outbox = outbox;
        this.refunds = refunds;
        this.transfers = new TransferWords(stores, texts, pricing, settings);
    }

    /** @param file the file the ticket was written under, sent to the admins after it when Telegram can resend it */
    List<Reply> open(User user, long chatId, long updateId, String text, Optional<Event.Media> file) {
        boolean notify = settings.adminIds().isEmpty() || !enoughToday(user.id());
        SupportTicket ticket = stores.supportTickets().open(UpdateKey.of(updateId, user.id()), user.id(), text,
                clock.instant());
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(user.id()), "support.ticket",
                text.length() + " characters" + file.map(f -> ", with a " + f.type().name().toLowerCase(Locale.ROOT))
                        .orElse("") + (notify ? "" : "; not sent to the admins: "
                        + NOTIFIED_PER_DAY_MAX + " tickets in 24 h already"),
                Optional.of(correlation(ticket))));
        String lang = user.language();
        if (settings.adminIds().isEmpty()) {
            return List.of(new Reply.SendText(chatId, unread(lang, ticket), HomeButton.below(texts, lang)));
        }
        if (notify) {
            Optional<MediaKind> attachment = attached(file);
            // the file written under the ticket is one of its FILES_MAX: counted as the files sent after it are
            attachment.ifPresent(kind -> stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(user.id()),
                    FILE, "a " + file.get().type().name().toLowerCase(Locale.ROOT) + " sent with the ticket",
                    Optional.of(correlation(ticket)))));
            for (long admin : settings.adminIds()) {
                String adminLang = stores.users().languageOf(admin);
                outbox.send(forAdmin(adminLang, admin, ticket, user));
                attachment.ifPresent(kind -> outbox.send(new Reply.SendMedia(admin, kind, file.get().fileId(),
                        texts.get(adminLang, Msg.TICKET_ATTACHMENT, Texts.numbered(adminLang, ticket.id())),
                        Keyboard.NONE)));
            }
        }
        return List.of(new Reply.SendText(chatId, texts.get(lang, notify ? Msg.TICKET_RECEIVED : Msg.TICKET_KEPT,
                Texts.numbered(lang, ticket.id())) + settings.support().map(c -> " " + texts.get(lang, Msg.SUPPORT_ALSO, c)).orElse(""),
                HomeButton.below(texts, lang)));
    }

    /**
     * How a user's file is sent on by its id: Telegram resends an id only as its own kind, and a voice message, a
     * round video, a sticker or a GIF has none among a reply's kinds (and no caption to be a ticket but a voice's).
     */
    private static Optional<MediaKind> attached(Optional<Event.Media> file) {
        return file.flatMap(f -> switch (f.type()) {
            case PHOTO -> Optional.of(MediaKind.PHOTO);
            case DOCUMENT -> Optional.of(MediaKind.DOCUMENT);
            case AUDIO -> Optional.of(MediaKind.AUDIO);
            case VIDEO -> Optional.of(MediaKind.VIDEO);
            case VOICE, VIDEO_NOTE, STICKER, ANIMATION -> Optional.empty();
        });
    }

    /** «№ 12» or «№12», as a Russian admin reads a number ({@link Texts#numbered}), taken as "#12". */
    static String numberSigned(String args) {
        return args.replaceFirst("^№\\s*", "#");
    }

    private static String correlation(SupportTicket ticket) {
        return "ticket" + ticket.display();
    }

    /**
     * {@code /reply <number> <text>}: the admin's text goes to the ticket's user, in the chat he wrote from, under a
     * heading in his language with the way to write again; the other admins get it too. A user who blocked the bot
     * gets nothing (Telegram would refuse it), and the admin is told so.
     */
    List<Reply> answer(User admin, long chatId, String args) {
        String lang = admin.language();
        String[] parts = numberSigned(args).split("\\s+", 2);
        if (parts.length < 2 || !parts[0].matches("#?\\d{1,18}")) {
            return List.of(text(chatId, texts.get(lang, Msg.ADMIN_USAGE, texts.get(lang, Msg.USAGE_REPLY))));
        }
        long number = Long.parseLong(parts[0].startsWith("#") ? parts[0].substring(1) : parts[0]);
        Optional<SupportTicket> found = stores.supportTickets().find(number);
        Optional<User> user = found.flatMap(t -> stores.users().find(t.userId()));
        if (found.isEmpty() || user.isEmpty()) {
            return List.of(text(chatId, texts.get(lang, Msg.TICKET_NOT_FOUND, Texts.numbered(lang, number))));
        }
        SupportTicket ticket = found.get();
        String answer = parts[1].strip();
        if (answer.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c))) {
            // no-break spaces alone: an empty answer would reach the user and mark the ticket answered
            return List.of(text(chatId, texts.get(lang, Msg.ADMIN_USAGE, texts.get(lang, Msg.USAGE_REPLY))));
        }
        if (answer.length() > TicketAnswer.TEXT_MAX) {
            return List.of(text(chatId, texts.get(lang, Msg.ADMIN_FAILED,
                    texts.get(lang, Msg.TICKET_ANSWER_TOO_LONG, answer.length(), TicketAnswer.TEXT_MAX))));
        }
        User to = user.get();
        if (to.blocked()) {
            return List.of(text(chatId, texts.get(lang, Msg.TICKET_ANSWER_BLOCKED, Texts.numbered(lang, ticket.id()), to.firstName())));
        }
        String toLang = to.language();
        // the admin's words are joined, not formatted: braces in them are his, not placeholders
        outbox.send(new Reply.SendText(to.id(), texts.get(toLang, Msg.TICKET_ANSWER, Texts.numbered(toLang, ticket.id())) + "\n\n"
                + answer + "\n\n" + texts.get(toLang, Msg.TICKET_ANSWER_MORE), HomeButton.below(texts, toLang)));
        stores.supportTickets().answered(new TicketAnswer(ticket.id(), admin.id(), answer, clock.instant()));
        stores.audit().record(new AuditEvent(clock.instant(), "admin:" + Actor.mask(admin.id()), ANSWERED,
                answer.length() + " characters", Optional.of(correlation(ticket))));
        for (long other : settings.adminIds()) {
            if (other != admin.id()) {
                String otherLang = stores.users().languageOf(other);
                outbox.send(text(other, texts.get(otherLang, Msg.TICKET_ANSWERED_BY, Texts.numbered(otherLang, ticket.id()),
                        admin.firstName()) + "\n\n" + answer));
            }
        }
        return List.of(text(chatId, texts.get(lang, Msg.TICKET_ANSWER_SENT, Texts.numbered(lang, ticket.id()), to.firstName())));
    }


    /** Whether the user's tickets of the last 24 hours have reached the admins as often as a day allows. */
    private boolean enoughToday(long userId) {
        return enoughBefore(stores.supportTickets().recent(userId, NOTIFIED_PER_DAY_MAX), clock.instant());
    }

    /** Whether {@code latest}, a user's newest tickets before {@code at}, reached the admins as often as a day allows. */
    private static boolean enoughBefore(List<SupportTicket> latest, Instant at) {
        return latest.size() >= NOTIFIED_PER_DAY_MAX
                && latest.get(NOTIFIED_PER_DAY_MAX - 1).createdAt().isAfter(at.minus(Duration.ofDays(1)));
    }

    /**
     * A file sent right after the user's newest ticket (the conversation's {@code TicketJustOpened}): sent on to every
     * admin under the ticket's number, as a file written under the ticket is, and the user told so. At most
     * {@link #FILES_MAX} a ticket, the one written under it included (each is a message per admin); a ticket that did not reach the admins as a message
     * (over {@link #NOTIFIED_PER_DAY_MAX} a day, no admins) takes none, as it took no file written under it, and the
     * user learns that this one was not sent.
     *
     * @param answered an album's file after its first, whose answer spoke for the album: no word of its own
     */
    List<Reply> addFile(User user, long chatId, Event.Media file, boolean answered) {
        String lang = user.language();
        List<SupportTicket> latest = stores.supportTickets().recent(user.id(), NOTIFIED_PER_DAY_MAX + 1);
        Optional<MediaKind> kind = attached(Optional.of(file));
        if (latest.isEmpty() || kind.isEmpty()) {
            return answered ? List.of() : List.of(toUser(chatId, lang, texts.get(lang, Msg.UNSUPPORTED_MESSAGE)));
        }
        SupportTicket ticket = latest.get(0);
        String number = Texts.numbered(lang, ticket.id());
        boolean reached = !settings.adminIds().isEmpty()
                && !enoughBefore(latest.subList(1, latest.size()), ticket.createdAt());
        if (!reached) {
            return answered ? List.of()
                    : List.of(toUser(chatId, lang, texts.get(lang, Msg.TICKET_FILE_NOT_SENT, number)));
        }
        long sent = stores.audit().byCorrelation(correlation(ticket)).stream()
                .filter(e -> e.action().equals(FILE)).count();
        if (sent >= FILES_MAX) {
            return answered ? List.of() : List.of(toUser(chatId, lang, texts.get(lang, Msg.TICKET_FILES_ENOUGH, number,
                    FILES_MAX)));
        }
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(user.id()), FILE,
                "a " + file.type().name().toLowerCase(Locale.ROOT) + " sent after the ticket",
                Optional.of(correlation(ticket))));
        for (long admin : settings.adminIds()) {
            String adminLang = stores.users().languageOf(admin);
            outbox.send(new Reply.SendMedia(admin, kind.get(), file.fileId(), texts.get(adminLang,
                    Msg.TICKET_ATTACHMENT, Texts.numbered(adminLang, ticket.id())), Keyboard.NONE));
        }
        return answered ? List.of() : List.of(new Reply.SendText(chatId, texts.get(lang, Msg.TICKET_FILE_ADDED,
                number), HomeButton.keyboard(texts, lang)));
    }

    /**
     * With no admins the ticket reached nobody, and nothing in the bot shows it later: the user is told so (and
     * where to write, when the shop has a contact) instead of "has reached support", and the operator is told
     * to name admins. The ticket is kept all the same: the store holds it for whoever looks it up.
     */
    private String unread(String lang, SupportTicket ticket) {
        LOG.log(System.Logger.Level.WARNING, "support ticket {0} reached nobody: no admin ids in ShopSettings; it is "
                + "stored and its user was told nobody can read it in the bot. Name admins (ShopSettings.withAdmins, "
                + "ADMIN_IDS in kiebot) so that the next tickets reach them; /tickets shows them the stored ones",
                ticket.display());
        return texts.get(lang, Msg.TICKET_UNREAD, Texts.numbered(lang, ticket.id()))
                + settings.support().map(c -> " " + texts.get(lang, Msg.TICKET_WRITE_TO, c)).orElse("");
    }

    /**
     * {@code /tickets}: the newest tickets, one line each; {@code /tickets <number>}: that ticket as it reached the
     * admins, with its user's payments, generations and Refund buttons as they are now.
     */
    List<Reply> tickets(User admin, long chatId, String args) {
        String lang = admin.language();
        args = numberSigned(args);
        if (args.isEmpty()) {
            return List.of(text(chatId, list(lang)));
        }
        if (!args.matches("#?\\d{1,18}")) {
            return List.of(text(chatId, texts.get(lang, Msg.ADMIN_USAGE, texts.get(lang, Msg.USAGE_TICKETS))));
        }
        long number = Long.parseLong(args.startsWith("#") ? args.substring(1) : args);
        Optional<SupportTicket> ticket = stores.supportTickets().find(number);
        Optional<User> user = ticket.flatMap(t -> stores.users().find(t.userId()));
        if (ticket.isEmpty() || user.isEmpty()) {
            return List.of(text(chatId, texts.get(lang, Msg.TICKET_NOT_FOUND, Texts.numbered(lang, number))));
        }
        return List.of(forAdmin(lang, chatId, ticket.get(), user.get()));
    }

    private String list(String lang) {
        List<SupportTicket> latest = stores.supportTickets().latest(LISTED);
        if (latest.isEmpty()) {
            return texts.get(lang, Msg.TICKET_LIST_NONE);
        }
        StringBuilder sb = new StringBuilder(texts.get(lang, Msg.TICKET_LIST_TITLE, latest.size()));
        for (SupportTicket t : latest) {
            sb.append("\n").append(line(lang, t, stores.users().find(t.userId())));
        }
        return sb.append("\n\n").append(texts.get(lang, Msg.TICKET_LIST_HINT)).toString();
    }

    /** A ticket in a list: its number, when, whose ({@code u}: its user, as found), and its text's start on one line. */
    String line(String lang, SupportTicket t, Optional<User> u) {
        String shown = Snippet.of(t.flattened(), LINE_TEXT_MAX);
        String answered = stores.supportTickets().answers(t.id()).isEmpty() ? "" : "✉️ ";
        return answered + texts.get(lang, Msg.TICKET_LINE, Texts.numbered(lang, t.id()),
                ShownTime.minute(t.createdAt(), settings.zone()), u.map(User::firstName).orElse("—"),
                handle(u.flatMap(User::username)), Texts.id(t.userId()), shown);
    }

    /** "@name, " before the id when the user has a username; nothing (not a bare "-") when not. */
    private static String handle(Optional<String> username) {
        return username.map(n -> "@" + n + ", ").orElse("");
    }

    private static Reply text(long chatId, String text) {
        return new Reply.SendText(chatId, text, Keyboard.NONE);
    }

    /** A user's answer that ends his part: «🏠 Меню» under it, the way on (the persistent menu is easy to miss). */
    private Reply toUser(long chatId, String lang, String text) {
        return new Reply.SendText(chatId, text, HomeButton.keyboard(texts, lang));
    }

    /**
     * A user's newest payments through a partner's own provider and their refunds: the wallet's transfers of those
     * kinds among its newest {@link #ONLINE_LOOKED_AT}, at most {@link #SHOWN}.
     */
    static List<Transfer> onlinePayments(Stores stores, long userId) {
        return stores.ledger().recent(AccountId.wallet(userId), ONLINE_LOOKED_AT).stream()
                .filter(t -> t.kind() == TransferKind.TOP_UP_EXTERNAL || t.kind() == TransferKind.EXTERNAL_REFUND)
                .limit(SHOWN)
                .toList();
    }

    private Reply forAdmin(String lang, long admin, SupportTicket ticket, User user) {
        StringBuilder sb = new StringBuilder(texts.get(lang, Msg.TICKET_ADMIN, Texts.numbered(lang, ticket.id()), user.firstName(),
                handle(user.username()), Texts.id(user.id()), ticket.quoted()));
        List<StarsRefundDesk.Listed> stars = refunds.payments(lang, user.id(), SHOWN);
        List<ManualTopUp> manual = stores.manualTopUps().recent(user.id(), SHOWN);
        List<Transfer> online = onlinePayments(stores, user.id());
        sb.append("\n\n").append(texts.get(lang, Msg.TICKET_PAYMENTS));
        if (stars.isEmpty() && manual.isEmpty() && online.isEmpty()) {
            sb.append(" —");
        }
        for (StarsRefundDesk.Listed p : stars) {
            sb.append("\n• ").append(p.line());
        }
        for (ManualTopUp m : manual) {
            sb.append("\n• ").append(texts.get(lang, Msg.TICKET_MANUAL_LINE, Texts.numbered(lang, m.id()), pricing.format(m.amount(), lang),
                    m.reference(), texts.get(lang, ManualTopUpDesk.words(m.state()))));
        }
        Map<String, String> named = new HashMap<>();
        for (Transfer t : online) {
            sb.append("\n• ").append(transfers.line(lang, t, named));
        }
        List<Job> jobs = stores.jobs().recent(user.id(), SHOWN);
        sb.append("\n\n").append(texts.get(lang, Msg.TICKET_GENERATIONS)).append(jobs.isEmpty() ? " —" : "");
        for (Job j : jobs) {
            sb.append("\n• ").append(AdminSearch.ownJobLine(catalog, texts, pricing, stores.ledger(), lang,
                    j));
        }
        sb.append("\n");
        for (TicketAnswer a : stores.supportTickets().answers(ticket.id())) {
            String who = stores.users().find(a.adminId()).map(User::firstName).orElse("—");
            sb.append("\n").append(texts.get(lang, Msg.TICKET_ANSWERED_LINE,
                    ShownTime.minute(a.at(), settings.zone()), who, Texts.id(a.adminId())))
                    .append("\n").append(SupportTicket.quote(Snippet.of(a.text(), ANSWER_SHOWN_MAX)));
        }
        sb.append("\n").append(texts.get(lang, Msg.TICKET_REPLY_HINT, Long.toString(ticket.id())));
        return new Reply.SendText(admin, sb.toString(), Keyboard.grid(StarsRefundDesk.buttons(stars), 1));
    }
}
