package dev.kiebot.core.reply;

import java.util.ArrayList;
import java.util.List;

/**
 * An inline keyboard: rows of buttons.
 *
 * @param rows the rows, top to bottom, each left to right; unmodifiable copies
 */
public record Keyboard(List<List<Button>> rows) {
    /** No buttons: a message without a keyboard. */
    public static final Keyboard NONE = new Keyboard(List.of());

    /**
     * The rows are copied; a null is refused, naming what to give instead.
     *
     * @param rows the rows of buttons, never null ({@link #NONE} for none)
     */
    public Keyboard {
        java.util.Objects.requireNonNull(rows, "Keyboard: rows, Keyboard.NONE for a message without buttons");
        rows = rows.stream().map(List::copyOf).toList();
    }

    /**
     * Whether there is no row.
     *
     * @return true for {@link #NONE} and any keyboard without rows
     */
    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /**
     * A keyboard of one row.
     *
     * @param oneRow the buttons, left to right
     * @return the keyboard
     */
    public static Keyboard of(List<Button> oneRow) {
        return new Keyboard(List.of(oneRow));
    }

    /**
     * Lays buttons out {@code perRow} per row.
     *
     * @param buttons in reading order
     * @param perRow  buttons per row, more than 0; the last row may have fewer
     * @return the keyboard
     */
    public static Keyboard grid(List<Button> buttons, int perRow) {
        List<List<Button>> rows = new ArrayList<>();
        for (int i = 0; i < buttons.size(); i += perRow) {
            rows.add(buttons.subList(i, Math.min(buttons.size(), i + perRow)));
        }
        return new Keyboard(rows);
    }

    /**
     * This keyboard with one more row at the bottom.
     *
     * @param row the buttons of the new row
     * @return a new keyboard; this one is unchanged
     */
    public Keyboard plus(List<Button> row) {
        List<List<Button>> r = new ArrayList<>(rows);
        r.add(row);
        return new Keyboard(r);
    }

    /**
     * Every button, row by row.
     *
     * @return the buttons in reading order
     */
    public List<Button> buttons() {
        return rows.stream().flatMap(List::stream).toList();
    }
}
