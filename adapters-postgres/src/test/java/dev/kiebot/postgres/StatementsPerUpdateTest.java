package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.Inbox;
import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.postgres.testing.CountingSocketFactory;
import dev.kiebot.postgres.testing.StatementsSeen;
import dev.kiebot.postgres.testing.TestDatabase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.statement.SqlLogger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Statements and round trips per handled update, counted, not timed (issue 13; BENCHMARKS.md sections 18 and 68):
 * the benchmark's burst mix, each update from a new user (/start, the evergreen menu button, the images button),
 * through core's {@link Inbox} on the PostgreSQL stores, as the runners handle them: the intake's record, then the
 * handling transaction (claim, handling, done mark, COMMIT), then the outbox's delivery. Statements are Jdbi's (a
 * counting {@link SqlLogger}); round trips are read off the wire ({@link CountingSocketFactory}: a Sync or a simple
 * Query each, BEGIN riding on the first statement, COMMIT one of its own).
 *
 * <p>The counts are pinned: a change that adds a statement or a round trip to a handled update fails here, and one
 * that takes one away updates the pin (and BENCHMARKS.md). Run it alone to see each update's statements:
 * {@code mvn -B -o -q -T1 test -pl core,core-testing,adapters-postgres -Djacoco.skip=true
 * -Dtest=StatementsPerUpdateTest -Dsurefire.failIfNoSpecifiedTests=false -Dkiebot.statements.print=true}.
 */
class StatementsPerUpdateTest {
    /** New users per kind counted (after as many to warm up): the counts are the same for each. */
    private static final int USERS_PER_KIND = 6;
    private static final String START = "start";
    private static final String MENU = "*|m";
    private static final String IMAGES = "*|c|IMAGE";

    private static Database counted;
    private static volatile Thread counting;
    private static final List<String> SQL = new ArrayList<>();

    @BeforeAll
    static void countingPool() {
        DatabaseSettings s = TestDatabase.settings();
        String url = s.jdbcUrl().orElseThrow();
        String wire = url + (url.contains("?") ? "&" : "?") + "sslmode=disable&socketFactory="
                + CountingSocketFactory.class.getName();
        counted = Database.connect(new DatabaseSettings(Optional.of(wire), s.user(), s.password(), s.dataDir(), 2,
                s.schema(), s.baseline()));
        StatementsSeen.by(counted.jdbi(), context -> {
            if (Thread.currentThread() != counting) {
                return; // a background thread's (the wake-ups' NOTIFY)
            }
            synchronized (SQL) {
                SQL.add(context.getRenderedSql());
            }
        });
    }

    @AfterAll
    static void close() {
        counted.close();
    }

    /** One phase of one update: Jdbi's statements, and the round trips on the wire. */
    record Cost(int statements, long roundTrips, List<String> sql) {
        @Override
        public String toString() {
            return statements + " statements, " + roundTrips + " round trips";
        }
    }

    /** The three phases of one handled update. */
    record Costs(Cost record, Cost handling, Cost delivery) {
    }

    @Test
    void aHandledUpdateOfTheBurstsMixCostsThePinnedStatementsAndRoundTrips() {
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(
                Set.of(ShopHarness.ADMIN)), ShopHarness.MANUAL, UnaryOperator.identity(), clock -> {
                    TestDatabase.truncateAll();
                    return PgStores.create(counted, clock).asCoreStores();
                });
        Inbox inbox = new Inbox(h.shop, StatementsPerUpdateTest::translated);
        long[] next = {1_000};
        Map<String, Costs> per = new LinkedHashMap<>();
        for (String kind : List.of(START, MENU, IMAGES)) {
            for (int i = 0; i < USERS_PER_KIND; i++) { // warm-up: the pool's connections opened, statements prepared
                handled(h, inbox, kind, next[0]++);
            }
            Costs first = handled(h, inbox, kind, next[0]++);
            for (int i = 1; i < USERS_PER_KIND; i++) {
                Costs c = handled(h, inbox, kind, next[0]++);
                assertThat(List.of(c.record().statements(), c.record().roundTrips(), c.handling().statements(),
                        c.handling().roundTrips(), c.delivery().statements(), c.delivery().roundTrips()))
                        .as("every new user's %s costs the same", kind)
                        .isEqualTo(List.of(first.record().statements(), first.record().roundTrips(),
                                first.handling().statements(), first.handling().roundTrips(),
                                first.delivery().statements(), first.delivery().roundTrips()));
            }
            per.put(kind, first);
        }
        if (Boolean.getBoolean("kiebot.statements.print")) {
            per.forEach((kind, c) -> {
                System.out.printf("%s: record %s; handling %s; delivery %s%n", kind, c.record(), c.handling(),
                        c.delivery());
                c.handling().sql().forEach(q -> System.out.println("  handling: " + oneLine(q)));
                c.delivery().sql().forEach(q -> System.out.println("  delivery: " + oneLine(q)));
            });
        }
        // the pins: the record's Jdbi statements (none: its group commit runs on the connection) and round trips;
        // the handling transaction's statements and round trips (its COMMIT one of them); the delivery's (the claim,
        // the settle, then the drain's claim that finds none and its look for the next due reply)
        // (/start and the images button: 10 → 9 and 8 → 7 statements, 11 → 10 and 9 → 8 round trips, since the paused
        // models are kept in memory, read again only on a pause or resume heard of, or after a minute: PgPausedModels)
        assertThat(pins(per.get(START))).as("/start of a new user").isEqualTo(List.of(0, 1L, 9, 10L, 4, 4L));
        assertThat(pins(per.get(MENU))).as("the menu button of a new user").isEqualTo(List.of(0, 1L, 7, 8L, 4, 4L));
        assertThat(pins(per.get(IMAGES))).as("the images button of a new user")
                .isEqualTo(List.of(0, 1L, 7, 8L, 4, 4L));
    }

    private static List<Object> pins(Costs c) {
        return List.of(c.record().statements(), c.record().roundTrips(), c.handling().statements(),
                c.handling().roundTrips(), c.delivery().statements(), c.delivery().roundTrips());
    }

    private static Costs handled(ShopHarness h, Inbox inbox, String kind, long updateId) {
        long chat = 5_000_000 + updateId;
        Cost record = counting(() -> assertThat(inbox.record(updateId, chat, kind)).isTrue());
        Cost handling = counting(() -> assertThat(inbox.handleOne()).isTrue());
        h.messenger.drain();
        Cost delivery = counting(() -> assertThat(h.deliver()).isPositive());
        if (Boolean.getBoolean("kiebot.statements.trace")) {
            System.out.println(kind + " " + updateId + ": handling " + handling + "; delivery " + delivery);
            handling.sql().forEach(q -> System.out.println("  handling: " + oneLine(q)));
            delivery.sql().forEach(q -> System.out.println("  delivery: " + oneLine(q)));
        }
        return new Costs(record, handling, delivery);
    }

    private static Cost counting(Runnable phase) {
        synchronized (SQL) {
            SQL.clear();
        }
        long trips = CountingSocketFactory.ROUND_TRIPS.get();
        CountingSocketFactory.SENT.clear();
        counting = Thread.currentThread();
        CountingSocketFactory.count(counting);
        phase.run();
        CountingSocketFactory.count(null);
        counting = null;
        if (Boolean.getBoolean("kiebot.statements.trace")) {
            CountingSocketFactory.SENT.forEach(q -> System.out.println("    wire " + oneLine(q)));
        }
        synchronized (SQL) {
            return new Cost(SQL.size(), CountingSocketFactory.ROUND_TRIPS.get() - trips, List.copyOf(SQL));
        }
    }

    private static Optional<Incoming> translated(PendingUpdate u) {
        Event event = u.payload().equals(START) ? new Event.Command("start", "")
                : new Event.Callback("q" + u.updateId(), u.payload(), Optional.of(7L));
        return Optional.of(new Incoming(u.updateId(), ShopHarness.actor(u.chatId(), "ru"), event));
    }

    private static String oneLine(String sql) {
        String s = sql.replaceAll("\\s+", " ").trim();
        return s.length() > 110 ? s.substring(0, 110) + "…" : s;
    }
}
