package dev.kiebot.kie;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.InputProblem;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the user's inputs (strings) and uploaded file URLs into a model's Kie {@code input} object
 * with the exact wire types of its schema, and checks them against the schema first.
 *
 * <p>Wire types: {@code text}/{@code enum} → JSON string; {@code int_enum}/{@code integer} → JSON
 * integer; {@code number} → JSON number; {@code boolean} → JSON boolean; {@code image}/{@code audio}/
 * {@code video} → URL string; {@code images}/{@code videos} → array of URLs. A field without a value
 * takes its default (asked or not); a field with neither is omitted. Values for names that are not
 * fields of the model are ignored.
 */
public final class InputMapper {
    public static final String REQUIRED = "input.required";
    public static final String NOT_ALLOWED = "input.not_allowed";
    public static final String TOO_LONG = "input.too_long";
    public static final String TOO_MANY_FILES = "input.too_many_files";
    public static final String OUT_OF_RANGE = "input.out_of_range";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private InputMapper() {
    }

    /**
     * Refuses a request whose inputs the model's schema rejects, before anything is sent.
     *
     * @throws ProviderException INVALID_INPUT (not retryable, never reached the provider)
     */
    public static void requireValid(dev.kiebot.core.jobs.SubmitRequest request)
            throws dev.kiebot.core.jobs.ProviderException {
        List<InputProblem> problems = validate(request.model(), request.values(), request.fileUrls());
        if (!problems.isEmpty()) {
            throw new dev.kiebot.core.jobs.ProviderException(dev.kiebot.core.jobs.ErrorKind.INVALID_INPUT,
                    "inputs rejected before sending: " + problems.stream().map(p -> p.field() + ":" + p.messageKey())
                            .collect(java.util.stream.Collectors.joining(", ")), false);
        }
    }

    /** Every problem of the inputs, in field order (at most one per field). */
    public static List<InputProblem> validate(Model model, Map<String, String> values,
                                              Map<String, List<String>> files) {
        List<InputProblem> problems = new ArrayList<>();
        for (InputField f : model.fields()) {
            String problem = problem(f, values, files);
            if (problem != null) {
                problems.add(new InputProblem(f.name(), problem));
            }
        }
        return problems;
    }

    private static String problem(InputField f, Map<String, String> values, Map<String, List<String>> files) {
        if (f.type().isMedia()) {
            List<String> urls = nonBlank(files.get(f.name()));
            if (urls.isEmpty()) {
                return f.required() && f.defaultValue().isEmpty() ? REQUIRED : null;
            }
            return urls.size() > f.fileLimit() ? TOO_MANY_FILES : null;
        }
        String v = values.get(f.name());
        if (v == null || v.isBlank()) {
            return f.required() && f.defaultValue().isEmpty() ? REQUIRED : null;
        }
        return switch (f.type()) {
            case TEXT -> f.maxLength().isPresent() && v.length() > f.maxLength().getAsInt() ? TOO_LONG : null;
            case ENUM, INT_ENUM -> Catalog.choices(f).contains(v.trim()) ? null : NOT_ALLOWED;
            case BOOLEAN -> {
                Optional<Boolean> b = parseBoolean(v);
                if (b.isEmpty()) {
                    yield NOT_ALLOWED;
                }
                yield Catalog.choices(f).contains(b.get().toString()) ? null : NOT_ALLOWED;
            }
            case NUMBER, INTEGER -> {
                Optional<BigDecimal> n = parseNumber(v, f.type() == FieldType.INTEGER);
                if (n.isEmpty()) {
                    yield NOT_ALLOWED;
                }
                if (!f.values().isEmpty() && f.values().stream()
                        .map(s -> parseNumber(s, false)).noneMatch(o -> o.isPresent() && o.get().compareTo(n.get()) == 0)) {
                    yield NOT_ALLOWED;
                }
                boolean below = f.min().map(min -> n.get().compareTo(min) < 0).orElse(false);
                boolean above = f.max().map(max -> n.get().compareTo(max) > 0).orElse(false);
                yield below || above ? OUT_OF_RANGE : null;
            }
            default -> null;
        };
    }

    /**
     * The model's {@code input} object. Call {@link #validate} first: values that cannot be converted
     * to their wire type throw {@link IllegalArgumentException} naming the field.
     */
    public static ObjectNode toInput(Model model, Map<String, String> values, Map<String, List<String>> files) {
        ObjectNode input = NODES.objectNode();
        for (InputField f : model.fields()) {
            Optional<JsonNode> node = f.type().isMedia() ? media(f, files) : scalar(f, values.get(f.name()));
            node.ifPresent(n -> input.set(f.name(), n));
        }
        return input;
    }

    private static Optional<JsonNode> media(InputField f, Map<String, List<String>> files) {
        List<String> urls = nonBlank(files.get(f.name()));
        if (urls.isEmpty()) {
            urls = f.defaultValue().filter(d -> !d.isBlank()).map(List::of).orElse(List.of());
        }
        if (urls.isEmpty()) {
            return Optional.empty();
        }
        if (f.type().isArray()) {
            ArrayNode arr = NODES.arrayNode();
            urls.forEach(arr::add);
            return Optional.of(arr);
        }
        return Optional.of(NODES.textNode(urls.get(0)));
    }

    private static Optional<JsonNode> scalar(InputField f, String raw) {
        String v = raw == null || raw.isBlank() ? f.defaultValue().orElse(null) : raw;
        if (v == null) {
            return Optional.empty();
        }
        return switch (f.type()) {
            case TEXT -> Optional.of(NODES.textNode(v));
            case ENUM -> Optional.of(NODES.textNode(v.trim()));
            case INT_ENUM, INTEGER -> {
                BigDecimal i = parseNumber(v, true).orElseThrow(() -> bad(f, "an integer"));
                yield Optional.of(NODES.numberNode(i.toBigIntegerExact()));
            }
            case NUMBER -> {
                BigDecimal n = parseNumber(v, false).orElseThrow(() -> bad(f, "a number"));
                yield Optional.of(NODES.numberNode(n));
            }
            case BOOLEAN -> Optional.of(NODES.booleanNode(parseBoolean(v).orElseThrow(() -> bad(f, "true or false"))));
            default -> Optional.empty();
        };
    }

    private static IllegalArgumentException bad(InputField f, String expected) {
        return new IllegalArgumentException("field '" + f.name() + "' must be " + expected);
    }

    /** A plain decimal ({@code 5}, {@code -1}, {@code 0.75}); for integers also {@code 5.0}. */
    static Optional<BigDecimal> parseNumber(String s, boolean integer) {
        String t = s.trim();
        if (!t.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)")) {
            return Optional.empty();
        }
        BigDecimal d = new BigDecimal(t.startsWith("+") ? t.substring(1) : t);
        if (integer) {
            try {
                return Optional.of(new BigDecimal(d.toBigIntegerExact()));
            } catch (ArithmeticException e) {
                return Optional.empty();
            }
        }
        return Optional.of(d.scale() < 0 ? d.setScale(0) : d);
    }

    static Optional<Boolean> parseBoolean(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> Optional.of(Boolean.TRUE);
            case "false", "no", "off", "0" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        };
    }

    private static List<String> nonBlank(List<String> urls) {
        if (urls == null) {
            return List.of();
        }
        return urls.stream().filter(u -> u != null && !u.isBlank()).map(String::trim).toList();
    }
}
