package dev.kiebot.runtime.cli;

import dev.kiebot.core.catalog.Pricing;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The rows of a balances file carried over from an earlier bot: {@code user id, amount in ₽, note}, one per line,
 * a header line allowed, any cell optionally in double quotes (a comma inside it, {@code ""} for a quote). Every
 * problem is listed with its line, so a file is fixed in one go.
 */
final class BalanceRows {
    /** Far above any real balance, far below what minor units in a {@code long} hold. */
    static final BigDecimal AMOUNT_MAX = new BigDecimal("1000000000");
    static final int NOTE_CHARS_MAX = 200;
    static final int ROWS_MAX = 1_000_000;

    /**
     * One balance to credit. {@code id} is the ledger transfer's id: a hash of the row's fields, so the same row
     * credits once however often a file containing it is imported.
     */
    record Row(int line, long userId, long amount, String note, String id) {
    }

    /** The rows, and the problems (with line numbers) that stop an import before anything is credited. */
    record Parsed(List<Row> rows, List<String> problems) {
    }

    private BalanceRows() {
    }

    static Parsed parse(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (lines.size() > ROWS_MAX) {
            return new Parsed(List.of(), List.of("more than " + ROWS_MAX + " lines: split the file"));
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = i == 0 ? lines.get(i).replace("\uFEFF", "") : lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                List<String> cells = cells(line);
                if (i == 0 && isHeader(cells)) {
                    continue;
                }
                rows.add(row(i + 1, cells));
            } catch (IllegalArgumentException e) {
                problems.add("line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Parsed(rows, problems);
    }

    /**
     * Whether a first line is a header: its first cell, unquoted and trimmed, is a word, no digit in it. Read from the
     * line's first character, {@code "111","150"} (every cell quoted, as spreadsheets may save it) was a header and
     * its balance was lost without a word; any first line with a digit or an empty first cell is a row, or a problem.
     */
    private static boolean isHeader(List<String> cells) {
        String first = cells.get(0).strip();
        return !first.isEmpty() && first.chars().noneMatch(Character::isDigit);
    }

    private static Row row(int line, List<String> cells) {
        if (cells.size() < 2 || cells.size() > 3) {
            throw new IllegalArgumentException("expected user id, amount in ₽, note; got " + cells.size()
                    + " field(s)");
        }
        String user = cells.get(0).strip();
        if (!user.matches("\\d{1,18}")) {
            throw new IllegalArgumentException("the user id must be a Telegram user id (digits)");
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(cells.get(1).strip().replace(" ", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the amount must be a number like 150 or 150.50");
        }
        if (amount.signum() <= 0 || amount.compareTo(AMOUNT_MAX) > 0 || amount.stripTrailingZeros().scale()
                > Pricing.MINOR_DIGITS) {
            throw new IllegalArgumentException("the amount must be more than 0 and at most "
                    + AMOUNT_MAX.toPlainString() + ", with at most 2 decimals");
        }
        String note = cells.size() == 3 ? cells.get(2).strip() : "";
        if (note.length() > NOTE_CHARS_MAX) {
            throw new IllegalArgumentException("the note is longer than " + NOTE_CHARS_MAX + " characters");
        }
        long userId = Long.parseLong(user);
        long minor = Pricing.minor(amount);
        return new Row(line, userId, minor, note, "import:" + hash(userId + "," + minor + "," + note));
    }

    /** Splits at commas outside double quotes. */
    static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cell.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("a quote is not closed");
        }
        cells.add(cell.toString());
        return cells;
    }

    private static String hash(String row) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(row.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
