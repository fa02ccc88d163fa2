package dev.kiebot.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Renders results: a table with one column per target, and JSON (written by hand: no dependencies). */
final class Report {
    private Report() {
    }

    /** One row per figure, one column per target; a figure a target does not have is "-". */
    static String table(List<Figures> results) {
        Set<String> names = new LinkedHashSet<>();
        results.forEach(f -> names.addAll(f.asMap().keySet()));
        List<List<String>> columns = new ArrayList<>();
        for (Figures f : results) {
            List<String> cells = new ArrayList<>();
            names.forEach(n -> cells.add(format(f.asMap().get(n))));
            columns.add(cells);
        }
        return render(names, columns);
    }

    /**
     * Each round's values of {@code --rounds}, under the table of the medians: a row per figure that is a number
     * in some round (text such as the load average would not fit), after the target's label; a column per
     * target, its cell the rounds' values in round order ("-" for a round without the figure).
     *
     * @param byTarget for each target, its figures of rounds 1, 2, ...
     */
    static String roundsTable(List<List<Figures>> byTarget) {
        Set<String> names = new LinkedHashSet<>();
        names.add("target");
        byTarget.forEach(rounds -> rounds.forEach(f -> f.asMap().forEach((name, v) -> {
            if (v instanceof Number) {
                names.add(name);
            }
        })));
        List<List<String>> columns = new ArrayList<>();
        for (List<Figures> rounds : byTarget) {
            List<String> cells = new ArrayList<>();
            for (String name : names) {
                cells.add(name.equals("target") ? format(rounds.get(0).asMap().get(name))
                        : String.join(" ", rounds.stream().map(f -> format(f.asMap().get(name))).toList()));
            }
            columns.add(cells);
        }
        return render(names, columns);
    }

    /** Names left-aligned, cells right-aligned in columns of 22 characters or the column's widest cell. */
    private static String render(Set<String> names, List<List<String>> columns) {
        int nameWidth = names.stream().mapToInt(String::length).max().orElse(10);
        List<Integer> widths = columns.stream()
                .map(cells -> Math.max(22, cells.stream().mapToInt(String::length).max().orElse(0))).toList();
        StringBuilder sb = new StringBuilder();
        int row = 0;
        for (String name : names) {
            sb.append(String.format(Locale.ROOT, "  %-" + nameWidth + "s", name));
            for (int c = 0; c < columns.size(); c++) {
                sb.append("  ").append(String.format(Locale.ROOT, "%" + widths.get(c) + "s", columns.get(c).get(row)));
            }
            sb.append('\n');
            row++;
        }
        return sb.toString();
    }

    /** Whole numbers as is; others with 3 significant digits at most 2 decimals; NaN as "n/a". */
    static String format(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) {
                return "n/a";
            }
            double a = Math.abs(d);
            return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", d);
        }
        String s = String.valueOf(value);
        return s.length() > 22 ? "…" + s.substring(s.length() - 21) : s;
    }

    static String json(Object value) {
        StringBuilder sb = new StringBuilder();
        writeJson(value, sb, "");
        return sb.append('\n').toString();
    }

    private static void writeJson(Object value, StringBuilder sb, String indent) {
        if (value instanceof Map<?, ?> map) {
            sb.append("{");
            String inner = indent + "  ";
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(i++ == 0 ? "\n" : ",\n").append(inner).append(quote(String.valueOf(e.getKey()))).append(": ");
                writeJson(e.getValue(), sb, inner);
            }
            sb.append(map.isEmpty() ? "}" : "\n" + indent + "}");
        } else if (value instanceof List<?> list) {
            sb.append("[");
            String inner = indent + "  ";
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "\n" : ",\n").append(inner);
                writeJson(list.get(i), sb, inner);
            }
            sb.append(list.isEmpty() ? "]" : "\n" + indent + "]");
        } else if (value instanceof Double d) {
            sb.append(d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.4f", d));
        } else if (value instanceof Number || value instanceof Boolean) {
            sb.append(value);
        } else {
            sb.append(value == null ? "null" : quote(String.valueOf(value)));
        }
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c < 0x20 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return sb.append('"').toString();
    }
}
