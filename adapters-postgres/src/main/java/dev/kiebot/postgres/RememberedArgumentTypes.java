package dev.kiebot.postgres;

import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.util.List;
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
 * <p>The answer is the one Jdbi would give: the first of the factories behind this one, in Jdbi's own order, that
 * prepares the type. Only unqualified types whose prepared arguments depend on the value alone are remembered (Jdbi's
 * built-in factories for them keep a fixed table of binders, and PostgreSQL's plugin binds {@link OffsetDateTime} with
 * {@code setObject}); any other type is left to the chain as before.
 *
 * <p>They are asked with the {@code Jdbi}'s own configuration, never a statement's: what they prepare may keep the
 * configuration it was made with (Jdbi's primitives read {@code bindingNullToPrimitivesPermitted} from it at every
 * null), and one statement's copy kept for all the others would keep that copy alive and impose its settings on
 * them. A statement whose setting differs from the {@code Jdbi}'s is left to the chain, which then answers with the
 * statement's own.
 *
 * <p>The answer is computed outside the map and put if absent, as Jdbi's own cache does: a factory asked here may
 * look another type up through Jdbi, and so come back here, which a {@code computeIfAbsent} refuses ("Recursive
 * update"); two threads computing the same answer at once is harmless.
 */
final class RememberedArgumentTypes implements QualifiedArgumentFactory.Preparable {
    private static final Set<Type> PLAIN = Set.of(long.class, Long.class, int.class, Integer.class, short.class,
            Short.class, double.class, Double.class, boolean.class, Boolean.class, String.class, OffsetDateTime.class);

    private final ConfigRegistry jdbis;
    private final Map<Type, Optional<Function<Object, Argument>>> prepared = new ConcurrentHashMap<>();

    /** @param jdbis the configuration of the {@code Jdbi} this factory is registered in (not a handle's copy) */
    RememberedArgumentTypes(ConfigRegistry jdbis) {
        this.jdbis = jdbis;
    }

    @Override
    public Optional<Function<Object, Argument>> prepare(QualifiedType<?> type, ConfigRegistry config) {
        Type plain = type.getType();
        if (!type.getQualifiers().isEmpty() || !PLAIN.contains(plain)) {
            return Optional.empty();
        }
        if (plain instanceof Class<?> c && c.isPrimitive()
                && config.get(Arguments.class).isBindingNullToPrimitivesPermitted()
                        != jdbis.get(Arguments.class).isBindingNullToPrimitivesPermitted()) {
            return Optional.empty();
        }
        Optional<Function<Object, Argument>> known = prepared.get(plain);
        if (known == null) {
            known = byThoseBehind(type);
            Optional<Function<Object, Argument>> raced = prepared.putIfAbsent(plain, known);
            if (raced != null) {
                known = raced;
            }
        }
        return known;
    }

    /** What Jdbi's {@code Arguments.prepareFor} would find after this factory, with the {@code Jdbi}'s config. */
    private Optional<Function<Object, Argument>> byThoseBehind(QualifiedType<?> type) {
        List<QualifiedArgumentFactory> factories = List.copyOf(jdbis.get(Arguments.class).getFactories());
        for (QualifiedArgumentFactory factory : factories.subList(factories.indexOf(this) + 1, factories.size())) {
            if (factory instanceof QualifiedArgumentFactory.Preparable other) {
                Optional<Function<Object, Argument>> found = other.prepare(type, jdbis);
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
