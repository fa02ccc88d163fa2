package dev.kiebot.core.reply;

import java.util.ArrayList;
import java.util.List;

/** An inline keyboard: rows of buttons. */
public record Keyboard(List<List<Button>> rows) {
    public static final Keyboard NONE = new Keyboard(List.of());

    /** The rows are copied; a null is refused, naming what to give instead. */
    public Keyboard {
        java.util.Objects.requireNonNull(rows, "Keyboard: rows, Keyboard.NONE for a message without buttons");
        rows = rows.stream().map(List::copyOf).toList();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public static Keyboard of(List<Button> oneRow) {
        return new Keyboard(List.of(oneRow));
    }

    /** Lays buttons out {@code perRow} per row. */
    public static Keyboard grid(List<Button> buttons, int perRow) {
        List<List<Button>> rows = new ArrayList<>();
        for (int i = 0; i < buttons.size(); i += perRow) {
            rows.add(buttons.subList(i, Math.min(buttons.size(), i + perRow)));
        }
        return new Keyboard(rows);
    }

    public Keyboard plus(List<Button> row) {
        List<List<Button>> r = new ArrayList<>(rows);
        r.add(row);
        return new Keyboard(r);
    }

    public List<Button> buttons() {
        return rows.stream().flatMap(List::stream).toList();
    }
}
