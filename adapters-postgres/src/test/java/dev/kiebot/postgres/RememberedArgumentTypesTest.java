package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.argument.Arguments;
import org.jdbi.v3.core.argument.NullArgument;
import org.jdbi.v3.core.argument.QualifiedArgumentFactory;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.generic.GenericType;
import org.jdbi.v3.core.qualifier.QualifiedType;
import org.jdbi.v3.core.statement.StatementException;
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
        jdbi.getConfig(Arguments.class).register(new RememberedArgumentTypes(jdbi.getConfig()));
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

    @Test
    void aStatementsOwnSettingForNullPrimitivesHoldsWhicheverStatementCameFirst() {
        Jdbi jdbi = jdbiAsDatabaseMakesIt(new Asked());
        ConfigRegistry forbidding = jdbi.getConfig().createCopy();
        forbidding.get(Arguments.class).setBindingNullToPrimitivesPermitted(false);

        // a handle forbidding nulls for primitives prepares a long first; then a statement of the Jdbi as it is
        Function<Object, Argument> strict = forbidding.createCopy().get(Arguments.class).prepareFor(long.class)
                .orElseThrow();
        Function<Object, Argument> usual = inAStatement(jdbi, long.class).orElseThrow();

        // as Jdbi alone answers: each with its own statement's setting, not the first one's
        assertThatThrownBy(() -> strict.apply(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(usual.apply(null)).isInstanceOf(NullArgument.class);
        Function<Object, Argument> strictAfter = forbidding.createCopy().get(Arguments.class).prepareFor(int.class)
                .orElseThrow();
        assertThat(inAStatement(jdbi, int.class)).isPresent();
        assertThatThrownBy(() -> strictAfter.apply(null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Looks a long up through Jdbi while it is itself asked to prepare one (once), then answers nothing. */
    private static final class LookingUpWhileAsked implements QualifiedArgumentFactory.Preparable {
        private final ThreadLocal<Boolean> inside = ThreadLocal.withInitial(() -> false);

        @Override
        public Optional<Function<Object, Argument>> prepare(QualifiedType<?> type, ConfigRegistry config) {
            if (type.getType() == long.class && !inside.get()) {
                inside.set(true);
                try {
                    config.get(Arguments.class).prepareFor(long.class);
                } finally {
                    inside.set(false);
                }
            }
            return Optional.empty();
        }

        @Override
        public Optional<Argument> build(QualifiedType<?> type, Object value, ConfigRegistry config) {
            return Optional.empty();
        }
    }

    @Test
    void aFactoryThatLooksATypeUpThroughJdbiWhileAskedIsAnswered() {
        Jdbi jdbi = Jdbi.create(() -> {
            throw new SQLException("no connection in this test");
        }).installPlugin(new PostgresPlugin());
        jdbi.getConfig(Arguments.class).register(new LookingUpWhileAsked());
        jdbi.getConfig(Arguments.class).register(new RememberedArgumentTypes(jdbi.getConfig()));

        assertThat(inAStatement(jdbi, long.class).orElseThrow().apply(7L)).isNotNull();
    }

    /** Each plain type's null (and an empty Optional of it) into a column of its type, and one into another's. */
    private static String nullsInTypedColumns(Jdbi jdbi) {
        try (Handle h = jdbi.open()) {
            h.execute("CREATE TEMPORARY TABLE typed_nulls (i8 bigint, i4 integer, i2 smallint, f8 double precision,"
                    + " b boolean, t text, v varchar(10), ts timestamptz)");
            StringBuilder back = new StringBuilder();
            for (boolean optional : List.of(false, true)) {
                var insert = h.createUpdate("INSERT INTO typed_nulls VALUES (:i8, :i4, :i2, :f8, :b, :t, :v, :ts)");
                if (optional) {
                    insert.bindByType("i8", Optional.empty(), new GenericType<Optional<Long>>() { })
                            .bindByType("i4", Optional.empty(), new GenericType<Optional<Integer>>() { })
                            .bindByType("i2", Optional.empty(), new GenericType<Optional<Short>>() { })
                            .bindByType("f8", Optional.empty(), new GenericType<Optional<Double>>() { })
                            .bindByType("b", Optional.empty(), new GenericType<Optional<Boolean>>() { })
                            .bindByType("t", Optional.empty(), new GenericType<Optional<String>>() { })
                            .bindByType("v", Optional.empty(), new GenericType<Optional<String>>() { })
                            .bindByType("ts", Optional.empty(), new GenericType<Optional<OffsetDateTime>>() { });
                } else {
                    insert.bind("i8", (Long) null).bind("i4", (Integer) null).bind("i2", (Short) null)
                            .bind("f8", (Double) null).bind("b", (Boolean) null).bind("t", (String) null)
                            .bind("v", (String) null).bindByType("ts", null, OffsetDateTime.class);
                }
                insert.execute();
            }
            h.createUpdate("INSERT INTO typed_nulls VALUES (:i8, :i4, :i2, :f8, :b, :t, :v, :ts)")
                    .bind("i8", 9_000_000_000L).bind("i4", 7).bind("i2", (short) 3).bind("f8", 0.1)
                    .bind("b", true).bind("t", "текст").bind("v", (String) null)
                    .bind("ts", OffsetDateTime.of(2026, 12, 7, 9, 0, 0, 123_456_000, ZoneOffset.ofHours(3)))
                    .execute();
            h.createQuery("SELECT concat_ws('|', coalesce(i8::text, 'null'), coalesce(i4::text, 'null'),"
                            + " coalesce(i2::text, 'null'), coalesce(f8::text, 'null'), coalesce(b::text, 'null'),"
                            + " coalesce(t, 'null'), coalesce(v, 'null'), coalesce((ts AT TIME ZONE 'UTC')::text, 'null'))"
                            + " FROM typed_nulls ORDER BY i8 NULLS FIRST")
                    .mapTo(String.class).forEach(row -> back.append(row).append('\n'));
            for (String crossed : List.of("i8", "ts", "b")) {
                try {
                    h.createUpdate("INSERT INTO typed_nulls (" + crossed + ") VALUES (:x)").bind("x", (String) null)
                            .execute();
                    back.append(crossed).append(" <- a null String: taken\n");
                } catch (StatementException e) {
                    back.append(crossed).append(" <- a null String: ")
                            .append(((java.sql.SQLException) e.getCause()).getSQLState()).append('\n');
                }
            }
            h.execute("DROP TABLE typed_nulls");
            return back.toString();
        }
    }

    @Test
    void nullsOfEveryPlainTypeGoIntoTypedColumnsAsWithoutIt() {
        Jdbi without = Jdbi.create(TestDatabase.get().dataSource()).installPlugin(new PostgresPlugin());

        String before = nullsInTypedColumns(without);
        String after = nullsInTypedColumns(TestDatabase.jdbi());

        assertThat(after).isEqualTo(before).isEqualTo("""
                null|null|null|null|null|null|null|null
                null|null|null|null|null|null|null|null
                9000000000|7|3|0.1|true|текст|null|2026-12-07 06:00:00.123456
                i8 <- a null String: 42804
                ts <- a null String: 42804
                b <- a null String: 42804
                """);
    }
}
