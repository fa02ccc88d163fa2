package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import java.lang.reflect.Type;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.argument.Arguments;
import org.jdbi.v3.core.argument.QualifiedArgumentFactory;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.qualifier.QualifiedType;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.junit.jupiter.api.Test;

class RememberedArgumentTypesTest {

    /** Answers nothing; notes every type it is asked to prepare. */
    private static final class Asked implements QualifiedArgumentFactory.Preparable {
        final List<Type> types = new ArrayList<>();

        @Override
        public Optional<Function<Object, Argument>> prepare(QualifiedType<?> type, ConfigRegistry config) {
            synchronized (types) {
                types.add(type.getType());
            }
            return Optional.empty();
        }

        @Override
        public Optional<Argument> build(QualifiedType<?> type, Object value, ConfigRegistry config) {
            return Optional.empty();
        }
    }

    private static Jdbi jdbiAsDatabaseMakesIt(Asked asked) {
        Jdbi jdbi = Jdbi.create(() -> {
            throw new SQLException("no connection in this test");
        }).installPlugin(new PostgresPlugin());
        jdbi.getConfig(Arguments.class).register(asked);
        jdbi.getConfig(Arguments.class).register(new RememberedArgumentTypes());
        return jdbi;
    }

    /** What a statement does: a copy of the configuration (handle's, then statement's) prepares the bound type. */
    private static Optional<Function<Object, Argument>> inAStatement(Jdbi jdbi, Type type) {
        return jdbi.getConfig().createCopy().createCopy().get(Arguments.class).prepareFor(type);
    }

    @Test
    void aPlainTypeIsLookedUpInTheChainOnceForAllStatements() {
        Asked asked = new Asked();
        Jdbi jdbi = jdbiAsDatabaseMakesIt(asked);

        for (int statement = 0; statement < 3; statement++) {
            assertThat(inAStatement(jdbi, String.class)).isPresent();
            assertThat(inAStatement(jdbi, long.class)).isPresent();
            assertThat(inAStatement(jdbi, OffsetDateTime.class)).isPresent();
        }

        assertThat(asked.types).containsExactly(String.class, long.class, OffsetDateTime.class);
    }

    @Test
    void theRememberedArgumentIsTheOneJdbisOwnFactoriesPrepare() {
        Jdbi plain = Jdbi.create(() -> {
            throw new SQLException("no connection in this test");
        }).installPlugin(new PostgresPlugin());
        Jdbi remembering = jdbiAsDatabaseMakesIt(new Asked());

        for (Type type : List.of(long.class, Long.class, int.class, Integer.class, short.class, Short.class,
                double.class, Double.class, boolean.class, Boolean.class, String.class, OffsetDateTime.class)) {
            // each Jdbi has its own instances of the built-in factories, and so its own binder objects: the same
            // binder is the same class of binder
            assertThat(inAStatement(remembering, type).orElseThrow().getClass()).as("%s", type)
                    .isEqualTo(inAStatement(plain, type).orElseThrow().getClass());
        }
    }

    @Test
    void anyOtherTypeIsLeftToTheChain() {
        Asked asked = new Asked();
        Jdbi jdbi = jdbiAsDatabaseMakesIt(asked);

        inAStatement(jdbi, Instant.class);
        inAStatement(jdbi, Instant.class);

        assertThat(asked.types).containsExactly(Instant.class, Instant.class);
    }

    @Test
    void theDatabasesJdbiAsksItFirst() {
        assertThat(TestDatabase.jdbi().getConfig(Arguments.class).getFactories().get(0))
                .isInstanceOf(RememberedArgumentTypes.class);
    }

    @Test
    void valuesBoundThroughItRoundTripAsBefore() {
        OffsetDateTime at = OffsetDateTime.of(2026, 12, 7, 9, 0, 0, 123_456_000, ZoneOffset.UTC);
        String back = TestDatabase.jdbi().withHandle(h -> h.createQuery(
                        "SELECT :n::bigint || ' ' || :s || ' ' || :b || ' ' || (:t = '2026-12-07 09:00:00.123456Z'::timestamptz)"
                                + " || ' ' || coalesce(:none, 'null')")
                .bind("n", 42L)
                .bind("s", "текст")
                .bind("b", true)
                .bind("t", at)
                .bind("none", (String) null)
                .mapTo(String.class)
                .one());
        assertThat(back).isEqualTo("42 текст true true null");
    }
}
