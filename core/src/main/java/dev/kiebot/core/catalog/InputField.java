package dev.kiebot.core.catalog;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One field of a model's Kie {@code input} object.
 *
 * @param name      the exact Kie field name ({@code prompt}, {@code image_urls}, ...)
 * @param type      wire type
 * @param required  Kie rejects the task without it
 * @param values    allowed values for choice types (as strings; booleans are "true"/"false")
 * @param defaultValue the value used when the user skips the field
 * @param min       lower limit for numbers
 * @param max       upper limit for numbers
 * @param maxLength longest text accepted (characters); for audio and video fields the longest
 *                  clip accepted (seconds), which is what makes per-second prices fixed: the length the
 *                  messenger reports is the sender's word, so the job worker measures the file before it
 *                  goes out (WAV, MP3 and Ogg Opus or Vorbis are read; any other clip is refunded, so a video field's
 *                  limit is refused when the catalog is built)
 * @param maxItems  most files for array media fields
 * @param ask       whether the bot asks the user for this field; unasked optional fields take
 *                  their default or are omitted
 * @param labels    what a person reads for the field instead of its name (label, hint, value labels)
 * @param maxBytes  for media fields, the largest file the provider takes for this field, where it says (Kie's
 *                  grok-imagine image-to-video: 10 MB an image): a larger one is refused when the user sends it, its
 *                  limit said, before any money moves; empty for the messenger's own limit alone
 */
public record InputField(
        String name,
        FieldType type,
        boolean required,
        List<String> values,
        Optional<String> defaultValue,
        Optional<BigDecimal> min,
        Optional<BigDecimal> max,
        OptionalInt maxLength,
        OptionalInt maxItems,
        boolean ask,
        FieldLabels labels,
        OptionalLong maxBytes) {

    /**
     * Checks that nothing is null and copies the values.
     *
     * @param name         never null
     * @param type         never null
     * @param required     whether the provider needs it
     * @param values       copied
     * @param defaultValue never null; empty for none
     * @param min          never null; empty for none
     * @param max          never null; empty for none
     * @param maxLength    never null; empty for none
     * @param maxItems     never null; empty for none
     * @param ask          whether the bot asks for it
     * @param labels       never null
     * @param maxBytes     never null; empty for none; above 0
     * @throws NullPointerException     for a null part
     * @throws IllegalArgumentException for a {@code maxBytes} of 0 or less
     */
    public InputField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        values = List.copyOf(values);
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(maxLength, "maxLength");
        Objects.requireNonNull(maxItems, "maxItems");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(maxBytes, "maxBytes");
        if (maxBytes.isPresent() && maxBytes.getAsLong() <= 0) {
            throw new IllegalArgumentException("maxBytes must be above 0, was " + maxBytes.getAsLong());
        }
    }

    /**
     * A field with words and no byte limit of its own.
     *
     * @param name         the provider's field name
     * @param type         wire type
     * @param required     whether the provider needs it
     * @param values       allowed values for choice types
     * @param defaultValue the value used when the user skips it
     * @param min          lower limit for numbers
     * @param max          upper limit for numbers
     * @param maxLength    longest text, or clip in seconds
     * @param maxItems     most files
     * @param ask          whether the bot asks for it
     * @param labels       the label, hint and value labels
     */
    public InputField(String name, FieldType type, boolean required, List<String> values, Optional<String> defaultValue,
                      Optional<BigDecimal> min, Optional<BigDecimal> max, OptionalInt maxLength, OptionalInt maxItems,
                      boolean ask, FieldLabels labels) {
        this(name, type, required, values, defaultValue, min, max, maxLength, maxItems, ask, labels,
                OptionalLong.empty());
    }

    /**
     * A field without words yet ({@link #withLabels} gives them; a catalog refuses a field without).
     *
     * @param name         the provider's field name
     * @param type         wire type
     * @param required     whether the provider needs it
     * @param values       allowed values for choice types
     * @param defaultValue the value used when the user skips it
     * @param min          lower limit for numbers
     * @param max          upper limit for numbers
     * @param maxLength    longest text, or clip in seconds
     * @param maxItems     most files
     * @param ask          whether the bot asks for it
     */
    public InputField(String name, FieldType type, boolean required, List<String> values, Optional<String> defaultValue,
                      Optional<BigDecimal> min, Optional<BigDecimal> max, OptionalInt maxLength, OptionalInt maxItems,
                      boolean ask) {
        this(name, type, required, values, defaultValue, min, max, maxLength, maxItems, ask, FieldLabels.NONE);
    }

    /**
     * The same field with these words.
     *
     * @param words the label, hint and value labels
     * @return a new field; this one is unchanged
     */
    public InputField withLabels(FieldLabels words) {
        return new InputField(name, type, required, values, defaultValue, min, max, maxLength, maxItems, ask, words,
                maxBytes);
    }

    /**
     * The same field taking files of at most {@code bytes} each.
     *
     * @param bytes above 0
     * @return a new field; this one is unchanged
     */
    public InputField withMaxBytes(long bytes) {
        return new InputField(name, type, required, values, defaultValue, min, max, maxLength, maxItems, ask, labels,
                OptionalLong.of(bytes));
    }

    /**
     * The label of a value as a person reads it: its own label, or the value itself when it explains itself.
     *
     * @param value    the raw value
     * @param language {@code ru} or {@code en}
     * @return what the user reads for it
     */
    public String valueLabel(String value, String language) {
        return labels.value(value).map(o -> o.label(language)).filter(l -> !l.isBlank()).orElse(value);
    }

    /** The name of the description most models take. */
    public static final String PROMPT = "prompt";

    /**
     * A required text prompt with a length limit, the most common field.
     *
     * @param maxLength the longest prompt, in characters
     * @return the field, without words yet
     */
    public static InputField prompt(int maxLength) {
        return new InputField(PROMPT, FieldType.TEXT, true, List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.of(maxLength), OptionalInt.empty(), true);
    }

    /**
     * A choice among string values, asked.
     *
     * @param name         the provider's field name
     * @param required     whether the provider needs it
     * @param values       the allowed values
     * @param defaultValue one of them, taken when the user skips
     * @return the field, without words yet
     */
    public static InputField choice(String name, boolean required, List<String> values, String defaultValue) {
        return new InputField(name, FieldType.ENUM, required, values, Optional.of(defaultValue), Optional.empty(),
                Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), true);
    }

    /**
     * One or more images, asked.
     *
     * @param name     the provider's field name
     * @param required whether the provider needs it
     * @param maxItems the most images
     * @return the field, without words yet
     */
    public static InputField images(String name, boolean required, int maxItems) {
        return new InputField(name, FieldType.IMAGES, required, List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.empty(), OptionalInt.of(maxItems), true);
    }

    /**
     * How many files this field takes at most (1 for single media fields).
     *
     * @return the most files
     */
    public int fileLimit() {
        return type.isArray() ? maxItems.orElse(1) : 1;
    }
}
