package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Category;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Text form of a {@link ChatSession} so every store persists one string. Format:
 * {@code version;type;key=value&key=value} with URL-encoded keys and values. Unreadable text
 * decodes to empty, and the chat starts over at the menu rather than failing.
 *
 * <p>Core's alone: {@link ChatSessions} writes and reads a {@link ChatStates} store's text with it, and the store
 * keeps the text as it is (kiebot's stores: a text column). The format is core's to change, reading the texts an
 * earlier build stored.
 */
public final class ChatStateCodec {
    private static final String ORDER = "order.";
    /** The keys of the long text that may go on ({@link LongText}), which no state key starts with. */
    private static final String LONG = "long.";
    /** The keys of an admin's confirmation waiting for a press ({@link MoneyConfirmation}), which no state key starts with. */
    private static final String MONEY = "money.";
    /** The keys of the receipt album answered ({@link ReceiptAlbum}), which no state key starts with. */
    private static final String ALBUM = "receipt.";
    /** The key of the return just welcomed back ({@link ChatSession#welcomedBack}), which no state key is. */
    private static final String BACK = "welcomed_back";
    /** The keys of the ticket just written ({@link TicketJustOpened}), which no state key starts with. */
    private static final String TICKET = "ticket.";

    private ChatStateCodec() {
    }

    /**
     * The text to store for the chat's session.
     *
     * @param session the session
     * @return one line of text, to keep as it is
     */
    public static String encode(ChatSession session) {
        Map<String, String> p = new LinkedHashMap<>();
        ChatState s = session.state();
        String type;
        if (s instanceof ChatState.Menu) {
            type = "menu";
        } else if (s instanceof ChatState.Browsing b) {
            type = "browsing";
            p.put("category", b.category().name());
            p.put("page", Integer.toString(b.page()));
        } else if (s instanceof ChatState.Viewing v) {
            type = "viewing";
            p.put("model", v.modelId());
        } else if (s instanceof ChatState.Collecting c) {
            type = "collecting";
            p.put("model", c.modelId());
            p.put("field", Integer.toString(c.field()));
            putInputs(p, c.values(), c.files());
        } else if (s instanceof ChatState.Confirming c) {
            type = "confirming";
            p.put("model", c.modelId());
            putInputs(p, c.values(), c.files());
        } else if (s instanceof ChatState.TopUp) {
            type = "topup";
        } else if (s instanceof ChatState.ManualAmount) {
            type = "manual_amount";
        } else if (s instanceof ChatState.ManualReceipt r) {
            type = "manual_receipt";
            p.put("request", Long.toString(r.requestId()));
        } else if (s instanceof ChatState.WritingTicket) {
            type = "ticket";
        } else {
            throw new IllegalArgumentException("unknown state " + s);
        }
        session.waitingOrder().ifPresent(o -> {
            Map<String, String> own = new LinkedHashMap<>();
            own.put("model", o.modelId());
            putInputs(own, o.values(), o.files());
            own.forEach((k, v) -> p.put(ORDER + k, v));
        });
        session.longText().ifPresent(t -> {
            p.put(LONG + "message", Long.toString(t.messageId()));
            p.put(LONG + "sent", Long.toString(t.sentAt().toEpochMilli()));
            p.put(LONG + "part", Integer.toString(t.partLength()));
            p.put(LONG + "use", t.use().name());
            p.put(LONG + "name", t.name());
            p.put(LONG + "total", Integer.toString(t.total()));
        });
        session.money().ifPresent(m -> {
            // a refund's is written so that a build before reads none (it knows only true and false): read as a
            // debit, its buttons would be refused anyway, but no build should take a refund for a debit
            // a Stars refund's likewise: a build before reads none, rather than a debit of what it would have taken
            p.put(MONEY + "credit", m.refund() ? "refund" : m.starsRefund() ? "stars" : Boolean.toString(m.credit()));
            m.job().ifPresent(j -> p.put(MONEY + "job", Long.toString(j)));
            m.charge().ifPresent(c -> p.put(MONEY + "charge", c));
            p.put(MONEY + "user", Long.toString(m.userId()));
            p.put(MONEY + "amount", Long.toString(m.amount()));
            p.put(MONEY + "update", Long.toString(m.updateId()));
            p.put(MONEY + "admin", Long.toString(m.adminId()));
            p.put(MONEY + "expires", Long.toString(m.expiresAt().toEpochMilli()));
            m.refundShown().ifPresent(r -> p.put(MONEY + "shown",
                    (r.running() ? "running" : "finished") + ":" + r.toWallet() + ":" + r.inStars()));
        });
        session.receiptAlbum().ifPresent(a -> {
            p.put(ALBUM + "album", a.album());
            a.requestId().ifPresent(id -> p.put(ALBUM + "request", Long.toString(id)));
        });
        session.welcomedBack().ifPresent(at -> p.put(BACK, Long.toString(at.toEpochMilli())));
        session.ticket().ifPresent(t -> {
            p.put(TICKET + "at", Long.toString(t.at().toEpochMilli()));
            t.album().ifPresent(a -> p.put(TICKET + "album", a));
        });
        StringBuilder sb = new StringBuilder().append(session.version()).append(';').append(type).append(';');
        List<String> pairs = new ArrayList<>();
        p.forEach((k, v) -> pairs.add(enc(k) + "=" + enc(v)));
        return sb.append(String.join("&", pairs)).toString();
    }

    /**
     * The session a stored text holds; empty for text it cannot read (the chat starts at the menu).
     *
     * @param text what {@link #encode} wrote
     * @return the session; never throws for bad text
     */
    @SuppressWarnings("StringSplitter") // the codec's own encoding: it writes no empty pair to drop
    public static Optional<ChatSession> decode(String text) {
        try {
            String[] parts = text.split(";", 3);
            long version = Long.parseLong(parts[0]);
            String type = parts[1];
            Map<String, String> p = new LinkedHashMap<>();
            if (parts.length > 2 && !parts[2].isEmpty()) {
                for (String pair : parts[2].split("&")) {
                    int eq = pair.indexOf('=');
                    p.put(dec(pair.substring(0, eq)), dec(pair.substring(eq + 1)));
                }
            }
            ChatState state = switch (type) {
                case "menu" -> new ChatState.Menu();
                case "browsing" -> new ChatState.Browsing(Category.valueOf(p.get("category")),
                        Integer.parseInt(p.get("page")));
                case "viewing" -> new ChatState.Viewing(require(p, "model"));
                case "collecting" -> new ChatState.Collecting(require(p, "model"), Integer.parseInt(p.get("field")),
                        values(p), files(p));
                case "confirming" -> new ChatState.Confirming(require(p, "model"), values(p), files(p));
                case "topup" -> new ChatState.TopUp();
                case "manual_amount" -> new ChatState.ManualAmount();
                case "manual_receipt" -> new ChatState.ManualReceipt(Long.parseLong(require(p, "request")));
                case "ticket" -> new ChatState.WritingTicket();
                default -> throw new IllegalArgumentException(type);
            };
            return Optional.of(new ChatSession(version, state, waitingOrder(p), longText(p), money(p),
                    receiptAlbum(p), welcomedBack(p), ticket(p)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The order kept for a top-up: its keys are a state's own under this prefix, which no state key starts with. */
    private static Optional<ChatState.Confirming> waitingOrder(Map<String, String> p) {
        if (!p.containsKey(ORDER + "model")) {
            return Optional.empty();
        }
        Map<String, String> own = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (k.startsWith(ORDER)) {
                own.put(k.substring(ORDER.length()), v);
            }
        });
        return Optional.of(new ChatState.Confirming(own.get("model"), values(own), files(own)));
    }

    /** The long text that may go on; one unreadable (a store's text from another version) is none, the state kept. */
    private static Optional<LongText> longText(Map<String, String> p) {
        if (!p.containsKey(LONG + "message")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LongText(Long.parseLong(p.get(LONG + "message")),
                    Instant.ofEpochMilli(Long.parseLong(p.get(LONG + "sent"))), Integer.parseInt(p.get(LONG + "part")),
                    use(require(p, LONG + "use")), require(p, LONG + "name"),
                    Integer.parseInt(p.get(LONG + "total"))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The admin's confirmation waiting for a press; one unreadable is none, the state kept: its buttons are then
     * refused, and nothing moves.
     */
    private static Optional<MoneyConfirmation> money(Map<String, String> p) {
        if (!p.containsKey(MONEY + "user")) {
            return Optional.empty();
        }
        try {
            String credit = require(p, MONEY + "credit");
            boolean refund = credit.equals("refund");
            boolean stars = credit.equals("stars");
            if (!credit.equals("true") && !credit.equals("false") && !refund && !stars) {
                return Optional.empty(); // never a debit read as a credit, nor the other way
            }
            if (refund != p.containsKey(MONEY + "job") || stars != p.containsKey(MONEY + "charge")) {
                return Optional.empty(); // a refund without its job or payment, or one on a credit or debit: none
            }
            return Optional.of(new MoneyConfirmation(credit.equals("true"),
                    Long.parseLong(p.get(MONEY + "user")), Long.parseLong(p.get(MONEY + "amount")),
                    Long.parseLong(p.get(MONEY + "update")), Long.parseLong(p.get(MONEY + "admin")),
                    Instant.ofEpochMilli(Long.parseLong(p.get(MONEY + "expires"))),
                    refund ? java.util.OptionalLong.of(Long.parseLong(p.get(MONEY + "job")))
                            : java.util.OptionalLong.empty(), refundShown(p.get(MONEY + "shown")),
                    stars ? Optional.of(p.get(MONEY + "charge")) : Optional.empty()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * What a refund's screen said: none when not written (kept by a build before, whose press then shows the screen
     * again); one unreadable fails the whole confirmation, as any unreadable key of it does.
     */
    private static Optional<MoneyConfirmation.RefundShown> refundShown(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split(":", -1);
        if (parts.length != 3 || (!parts[0].equals("running") && !parts[0].equals("finished"))) {
            throw new IllegalArgumentException("not what a refund's screen said: " + text);
        }
        return Optional.of(new MoneyConfirmation.RefundShown(parts[0].equals("running"), Long.parseLong(parts[1]),
                Long.parseLong(parts[2])));
    }

    /** The receipt album answered; one unreadable is none, the state kept: the album's next file is answered anew. */
    private static Optional<ReceiptAlbum> receiptAlbum(Map<String, String> p) {
        if (!p.containsKey(ALBUM + "album")) {
            return Optional.empty();
        }
        try {
            String request = p.get(ALBUM + "request");
            return Optional.of(new ReceiptAlbum(p.get(ALBUM + "album"),
                    request == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(request))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The return just welcomed back; one unreadable is none, the state kept. */
    private static Optional<Instant> welcomedBack(Map<String, String> p) {
        try {
            return Optional.ofNullable(p.get(BACK)).map(ms -> Instant.ofEpochMilli(Long.parseLong(ms)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The ticket just written; one unreadable is none, the state kept: a file after it is answered as elsewhere. */
    private static Optional<TicketJustOpened> ticket(Map<String, String> p) {
        try {
            return Optional.ofNullable(p.get(TICKET + "at")).map(ms -> new TicketJustOpened(
                    Instant.ofEpochMilli(Long.parseLong(ms)), Optional.ofNullable(p.get(TICKET + "album"))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A long text's use by its stored name; {@code MENU}, its name when only the menu kept it, is the same use. */
    private static LongText.Use use(String stored) {
        return stored.equals("MENU") ? LongText.Use.NOT_ASKED : LongText.Use.valueOf(stored);
    }

    private static String require(Map<String, String> p, String key) {
        String v = p.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing " + key);
        }
        return v;
    }

    private static void putInputs(Map<String, String> p, Map<String, String> values, Map<String, List<String>> files) {
        values.forEach((k, v) -> p.put("v." + k, v));
        files.forEach((k, v) -> p.put("f." + k, String.join(",", v)));
    }

    private static Map<String, String> values(Map<String, String> p) {
        Map<String, String> out = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (k.startsWith("v.")) {
                out.put(k.substring(2), v);
            }
        });
        return out;
    }

    private static Map<String, List<String>> files(Map<String, String> p) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        p.forEach((k, v) -> {
            if (k.startsWith("f.")) {
                out.put(k.substring(2), v.isEmpty() ? List.of() : Arrays.asList(v.split(",")));
            }
        });
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
