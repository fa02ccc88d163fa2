package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import java.util.Arrays;
import java.util.Optional;

/**
 * Half of a long section of the menu, by what the user brings: a description alone, or a file (a photo to animate
 * or edit). The video section had 44 models on 6 pages, 20 of them needing a photo and spread over every page: a user
 * with no photo paged through them, one with a photo looked for «по фото» among 44. A model that takes photos but
 * does without them (Veo 3.1 with an optional first frame) stands on the description's shelf: a description is all
 * it needs.
 */
enum Shelf {
    /** Models that make it from a text alone. */
    BY_DESCRIPTION("t"),
    /** Models that need a file of the user's: a photo (or a video, a recording) they work from. */
    BY_FILE("f");

    private final String code;

    Shelf(String code) {
        this.code = code;
    }

    /** The shelf's part of a page button's data, never changed once buttons carry it. */
    String code() {
        return code;
    }

    static Optional<Shelf> ofCode(String code) {
        return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst();
    }

    static Shelf of(Model m) {
        return needsFile(m) ? BY_FILE : BY_DESCRIPTION;
    }

    /**
     * Whether the model cannot start without a file of the user's: one of the fields it asks is a required file.
     * A loop over the model's fields, not {@link Model#askedFields()}: a section's page asks this of every model of the
     * section three times over (which shelves, which models on this one, whether the other needs a video), and the
     * asked fields' list and stream made each time were the images button's largest allocation (BENCHMARKS.md, 73).
     */
    static boolean needsFile(Model m) {
        for (InputField f : m.fields()) {
            if (f.ask() && f.required() && f.type().isMedia()) {
                return true;
            }
        }
        return false;
    }

    /** Whether one of the files the model cannot do without is a video. */
    static boolean needsVideo(Model m) {
        for (InputField f : m.fields()) {
            if (f.ask() && f.required() && (f.type() == FieldType.VIDEO || f.type() == FieldType.VIDEOS)) {
                return true;
            }
        }
        return false;
    }
}
