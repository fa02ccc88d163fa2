package dev.kiebot.postgres;

import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.argument.Arguments;
import org.jdbi.v3.core.argument.QualifiedArgumentFactory;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.qualifier.QualifiedType;

/**
 * Remembers, for the plain types the stores bind (numbers, booleans, text, timestamps), which argument Jdbi's own
 * factories prepare, so that a statement finds it at once.
 *
 * <p>Why: Jdbi copies its whole configuration for every handle and again for every statement, and a copy of
 * {@link Arguments} starts with an empty cache of prepared factories; so each statement, for each type it binds,
 * asks the thirty-odd registered factories in turn until one answers (BENCHMARKS.md sections 33 and 64: about a
 * seventh of the handlers' JVM time). This factory is registered last, so Jdbi asks it first; it lives in the
 * {@code Jdbi}'s configuration and is shared by every copy, and so is what it remembers.
 *
 * <p>The answer is the one Jdbi would give: the first of the other factories, in Jdbi's own order, that prepares the
 * type. Only unqualified types whose prepared arguments depend on the value alone are remembered (Jdbi's built-in
 * factories for them keep a fixed table of binders, and PostgreSQL's plugin binds {@link OffsetDateTime} with
 * {@code setObject}); any other type is left to the chain as before.
 */
final class RememberedArgumentTypes implements QualifiedArgumentFactory.Preparable {
    private static final Set<Type> PLAIN = Set.of(long.class, Long.class, int.class, Integer.class, short.class,
            Short.class, double.class, Double.class, boolean.class, Boolean.class, String.class, OffsetDateTime.class);

    private final Map<Type, Optional<Function<Object, Argument>>> prepared = new ConcurrentHashMap<>();

    @Override
    public Optional<Function<Object, Argument>> prepare(QualifiedType<?> type, ConfigRegistry config) {
        if (!type.getQualifiers().isEmpty() || !PLAIN.contains(type.getType())) {
            return Optional.empty();
        }
        return prepared.computeIfAbsent(type.getType(), t -> byTheOthers(type, config));
    }

    /** What Jdbi's {@code Arguments.prepareFor} would find without this factory. */
    private Optional<Function<Object, Argument>> byTheOthers(QualifiedType<?> type, ConfigRegistry config) {
        for (QualifiedArgumentFactory factory : config.get(Arguments.class).getFactories()) {
            if (factory != this && factory instanceof QualifiedArgumentFactory.Preparable other) {
                Optional<Function<Object, Argument>> found = other.prepare(type, config);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<Argument> build(QualifiedType<?> type, Object value, ConfigRegistry config) {
        return prepare(type, config).map(f -> f.apply(value));
    }
}
