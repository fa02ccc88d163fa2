package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.ledger.PostedTotal;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Plural;
import dev.kiebot.core.text.Texts;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code /export [YYYY-MM]}: a month's money that came into wallets from outside and went back out, as a CSV file for
 * the operator's books (a self-employed seller registers each payment he received and issues its receipt): Stars,
 * card / SBP transfers an admin confirmed, {@code /topup_user}, a partner's provider; Stars refunds, {@code /debit_user},
 * a provider's refunds. Bonuses are not money received and are left out. Times and the month are the shop's zone's;
 * the file is written as the admin's spreadsheet reads it (Russian: «;» between columns and a decimal comma).
 */
final class AdminExport {
    /** Paid money reaching a wallet. */
    static final Set<TransferKind> IN = EnumSet.of(TransferKind.TOP_UP_STARS, TransferKind.TOP_UP_MANUAL,
            TransferKind.TOP_UP_EXTERNAL);
    /**
     * Money going back to where it came from: a Stars refund's part the wallet no longer held
     * ({@link TransferKind#STARS_REFUND_LOSS}) went back to the user in Stars as much as the part taken back did.
     */
    static final Set<TransferKind> OUT = EnumSet.of(TransferKind.STARS_REFUND, TransferKind.DEBIT_MANUAL,
            TransferKind.EXTERNAL_REFUND, TransferKind.STARS_REFUND_LOSS);
    private static final Set<TransferKind> MONEY = EnumSet.of(TransferKind.TOP_UP_STARS, TransferKind.TOP_UP_MANUAL,
            TransferKind.TOP_UP_EXTERNAL, TransferKind.STARS_REFUND, TransferKind.DEBIT_MANUAL,
            TransferKind.EXTERNAL_REFUND, TransferKind.STARS_REFUND_LOSS);
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    /**
     * The most payments one file holds: about 110 bytes each, some 6 MB, far under the 50 MB Telegram takes from a
     * bot, and a month's rows held at once in memory, then as the outbox's file. A month with more is cut, and the
     * caption says so; its totals are still the whole month's.
     */
    static final int ROWS_MAX = 50_000;
    /** A file cut short of {@link #ROWS_MAX} rows at this size: a partner's own names of payments may be long. */
    static final int BYTES_MAX = 20 * 1024 * 1024;
    /** Excel reads a file without it as its own code page and shows Cyrillic as garbage. */
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private final Stores stores;
    private final Pricing pricing;
    private final Texts texts;
    private final ShopSettings settings;
    private final Clock clock;
    private final int rowsMax;

    AdminExport(Stores stores, Pricing pricing, Texts texts, ShopSettings settings, Clock clock) {
        this(stores, pricing, texts, settings, clock, ROWS_MAX);
    }

    /** @param rowsMax the most payments a file holds ({@link #ROWS_MAX}; fewer in tests) */
    AdminExport(Stores stores, Pricing pricing, Texts texts, ShopSettings settings, Clock clock, int rowsMax) {
        this.rowsMax = rowsMax;
        this.stores = stores;
        this.pricing = pricing;
        this.texts = texts;
        this.settings = settings;
        this.clock = clock;
    }

    /** @param args empty for this month, or the month as {@code 2026-11} */
    List<Reply> export(long chatId, String lang, String args) {
        Optional<YearMonth> month = month(args);
        if (month.isEmpty()) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.USAGE_EXPORT), Keyboard.NONE));
        }
        ZoneId zone = settings.zone();
        Instant from = month.get().atDay(1).atStartOfDay(zone).toInstant();
        Instant to = month.get().plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
        List<Transfer> moved = stores.ledger().posted(MONEY, from, to, rowsMax);
        if (moved.isEmpty()) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.EXPORT_NONE, inWords(month.get(), lang)),
                    Keyboard.NONE));
        }
        Csv csv = Csv.of(lang);
        // a name of the shop's own (Shop.builder().texts) may hold the separator or a quote: each stays one cell
        StringBuilder file = new StringBuilder(BYTE_ORDER_MARK).append(Arrays.stream(texts.get(lang, Msg.EXPORT_HEADER)
                .split(",", -1)).map(csv::text).collect(Collectors.joining(csv.separator()))).append("\r\n");
        int rows = 0;
        for (Transfer t : moved) {
            if (file.length() > BYTES_MAX) {
                break;
            }
            rows++;
            boolean incoming = IN.contains(t.kind());
            String user = (incoming ? t.credit() : t.debit()).walletOwner().orElseGet(() -> payer(t));
            file.append(String.join(csv.separator(), WHEN.format(t.createdAt().atZone(zone)),
                    csv.text(texts.get(lang, Msg.statement(t.kind()))), user,
                    csv.amount(incoming ? t.amount() : -t.amount()), pricing.currency(), csv.text(t.id()), stars(t)))
                    .append("\r\n");
        }
        // the whole month's totals, counted by the store, whether or not the file holds every payment
        PostedTotal in = stores.ledger().postedTotal(IN, from, to);
        PostedTotal out = stores.ledger().postedTotal(OUT, from, to);
        long all = in.count() + out.count();
        String caption = texts.get(lang, Msg.EXPORT_CAPTION, inWords(month.get(), lang),
                pricing.format(in.amount(), lang), pricing.format(out.amount(), lang), all);
        if (rows < all) {
            // the month's count grouped as the caption's is («из 60 000», not «из 60000» under «60 000 операций»)
            caption += "\n" + texts.get(lang, Msg.EXPORT_CUT, rows, Plural.number(lang, all));
        }
        return List.of(new Reply.UploadMedia(chatId, MediaKind.DOCUMENT,
                file.toString().getBytes(StandardCharsets.UTF_8), "payments-" + month.get() + ".csv", caption,
                Keyboard.NONE));
    }

    /**
     * The Stars a row moved, its last column («⭐»; empty for money that was not Stars): a Stars top-up the Stars the
     * payer paid, its refund as many going back (a minus). A refund that took back part of the credit and booked the
     * rest as the shop's loss shows the Stars once, on the refund's row; a loss that took nothing back (all spent) shows
     * them on its own row. A row whose charge the store does not know (a test's top-up, a database without it) leaves
     * the cell empty.
     */
    private String stars(Transfer t) {
        String id = TakeBack.baseOf(t.id());
        return switch (t.kind()) {
            case TOP_UP_STARS -> chargeOf(id, TopUps.creditId("")).map(c -> Long.toString(c.stars())).orElse("");
            case STARS_REFUND -> chargeOf(StarsRefundAttempts.chargeOfHold(id).map(StarsRefundAttempts::reportedId)
                    .orElse(id), StarsRefundAttempts.reportedId("")).map(c -> Long.toString(-c.stars())).orElse("");
            case STARS_REFUND_LOSS -> chargeOf(id, StarsRefundAttempts.lossId(""))
                    .filter(c -> t.amount() >= c.amount()).map(c -> Long.toString(-c.stars())).orElse("");
            default -> "";
        };
    }

    /** The charge a ledger id names after {@code prefix}; empty for another id, or a charge the store lacks. */
    private Optional<dev.kiebot.core.payments.StarsCharge> chargeOf(String id, String prefix) {
        return id.startsWith(prefix) && id.length() > prefix.length()
                ? stores.payments().charge(id.substring(prefix.length())) : Optional.empty();
    }

    /**
     * Whose payment a row that touches no wallet is about: a Stars refund's loss names its charge, whose payer the
     * store keeps; empty for any other.
     */
    private String payer(Transfer t) {
        return t.kind() == TransferKind.STARS_REFUND_LOSS
                ? StarsRefundAttempts.chargeOfLoss(t.id()).flatMap(stores.payments()::charge)
                .map(c -> String.valueOf(c.userId())).orElse("") : "";
    }

    /** «ноябрь 2026», "November 2026": «за 2026-11» was a machine's format inside a sentence. */
    static String inWords(YearMonth month, String lang) {
        return DateTimeFormatter.ofPattern("LLLL yyyy", Locale.forLanguageTag(lang)).format(month);
    }

    private Optional<YearMonth> month(String args) {
        if (args.isBlank()) {
            return Optional.of(YearMonth.from(clock.instant().atZone(settings.zone())));
        }
        try {
            return Optional.of(YearMonth.parse(args.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** How a spreadsheet of the admin's language splits columns and writes a decimal. */
    private record Csv(String separator, char decimalMark) {
        static Csv of(String lang) {
            return "ru".equals(lang) ? new Csv(";", ',') : new Csv(",", '.');
        }

        /** Minor units as a plain decimal, no grouping and no currency sign: a spreadsheet sums it as a number. */
        String amount(long minor) {
            return BigDecimal.valueOf(minor, 2).toPlainString().replace('.', decimalMark);
        }

        /**
         * Quoted when it holds the separator, a quote or a line break (RFC 4180); one that a spreadsheet would take for
         * a formula (a partner's provider names its payments) starts with an apostrophe, so it stays text.
         */
        String text(String value) {
            String cell = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
            boolean quote = cell.contains(separator) || cell.contains("\"") || cell.contains("\n");
            return quote ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
        }
    }
}
