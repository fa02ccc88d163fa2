package dev.kiebot.core.catalog;

import java.util.Locale;
import java.util.Optional;

/**
 * The type of one input field, as Kie's schema states it. The wire type matters: a duration
 * declared as a string must be sent as {@code "5"}, not {@code 5}.
 */
public enum FieldType {
    /** Free text typed by the user (prompt, negative prompt). */
    TEXT,
    /** One of a fixed list of string values, sent as a JSON string. */
    ENUM,
    /** One of a fixed list of values, sent as a JSON integer. */
    INT_ENUM,
    /** A JSON number within limits. */
    NUMBER,
    /** A JSON integer within limits. */
    INTEGER,
    /** Yes or no, sent as a JSON boolean. */
    BOOLEAN,
    /** One image the user sends, uploaded to Kie; sent as a URL string. */
    IMAGE,
    /** One or more images, sent as a JSON array of URLs. */
    IMAGES,
    /** One audio file, sent as a URL string. */
    AUDIO,
    /** One video file, sent as a URL string. */
    VIDEO,
    /** One or more videos, sent as a JSON array of URLs. */
    VIDEOS;

    /**
     * Whether the user answers with files.
     *
     * @return true for images, audio and videos
     */
    public boolean isMedia() {
        return this == IMAGE || this == IMAGES || this == AUDIO || this == VIDEO || this == VIDEOS;
    }

    /**
     * Whether the user picks one of fixed values (buttons).
     *
     * @return true for the enums and booleans
     */
    public boolean isChoice() {
        return this == ENUM || this == INT_ENUM || this == BOOLEAN;
    }

    /**
     * Whether the field takes several files.
     *
     * @return true for IMAGES and VIDEOS
     */
    public boolean isArray() {
        return this == IMAGES || this == VIDEOS;
    }

    /**
     * The name a catalog file uses.
     *
     * @return the name in lower case ({@code int_enum})
     */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type a catalog file names.
     *
     * @param s a {@link #wireName()}
     * @return the type; empty for an unknown name
     */
    public static Optional<FieldType> parse(String s) {
        for (FieldType t : values()) {
            if (t.wireName().equals(s)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
