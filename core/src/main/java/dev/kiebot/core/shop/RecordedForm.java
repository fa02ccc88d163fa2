package dev.kiebot.core.shop;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The English form of a note the bot records (a job's failure, a payment not credited): written in the log and the
 * stored rows, where a developer looks, and read back to say it in an admin's words. One form does both, so a note
 * cannot be written in words its reader no longer knows. {@code %s} stands for any text, {@code %d} for a number.
 */
final class RecordedForm {
    private final String form;
    private final Pattern pattern;

    RecordedForm(String form) {
        this.form = form;
        StringBuilder regex = new StringBuilder();
        Matcher holes = Pattern.compile("%[sd]").matcher(form);
        int last = 0;
        while (holes.find()) {
            regex.append(Pattern.quote(form.substring(last, holes.start())))
                    .append(holes.group().equals("%d") ? "(-?\\d+)" : "(.*)");
            last = holes.end();
        }
        this.pattern = Pattern.compile(regex.append(Pattern.quote(form.substring(last))).toString(), Pattern.DOTALL);
    }

    /** The note with {@code values} in its holes, in order. */
    String with(Object... values) {
        return form.replace("%d", "%s").formatted(values);
    }

    /** The values of a note written in this form; empty when {@code recorded} is not. */
    Optional<List<String>> read(String recorded) {
        Matcher m = pattern.matcher(recorded);
        if (!m.matches()) {
            return Optional.empty();
        }
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= m.groupCount(); i++) {
            values.add(m.group(i));
        }
        return Optional.of(values);
    }
}
