package dev.kiebot.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.DatabaseSettings;
import dev.kiebot.postgres.PgStores;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.ProcessEnd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands: {@code import-balances <csv>} credits each row once through the ledger, however often it
 * is run; {@code warm-up} walks the start path for a class-data archive.
 */
class CommandsTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void empty() {
        TestDatabase.truncateAll();
    }

    private int run(String... args) {
        return run(Map.of(), args);
    }

    private int run(Map<String, String> more, String... args) {
        DatabaseSettings db = TestDatabase.settings();
        Map<String, String> env = new java.util.HashMap<>(Map.of("DATABASE_URL", db.jdbcUrl().orElseThrow(),
                "DATABASE_USER", db.user(), "DATABASE_PASSWORD", db.password(), "DATABASE_POOL_SIZE", "2"));
        env.putAll(more);
        out.reset();
        err.reset();
        return Commands.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path file(String... lines) throws IOException {
        return Files.write(dir.resolve("balances.csv"), List.of(lines), StandardCharsets.UTF_8);
    }

    private static Ledger ledger() {
        return PgStores.create(TestDatabase.get(), Clock.systemUTC()).asCoreStores().ledger();
    }

    private static long balance(long user) {
        return ledger().balance(AccountId.wallet(user)).available();
    }

    @Test
    void twiceCreditsEachRowOnceAndTheSecondRunSaysSo() throws IOException {
        Path csv = file("user_id,amount_rub,note", "111,150.50,carried over", "222, 1 000 ,\"v23, card\"",
                "333,0.01,");

        assertThat(run("import-balances", csv.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("import-balances balances.csv: 3 row(s): credited 3 (1150.51 ₽), already imported 0");
        assertThat(run("import-balances", csv.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("3 row(s): credited 0 (0.00 ₽), already imported 3, refused 0");

        assertThat(balance(111)).isEqualTo(15_050);
        assertThat(balance(222)).isEqualTo(100_000);
        assertThat(balance(333)).isEqualTo(1);
        // carried over, not a top-up: it would count as his first payment when a friend's link brings him later
        assertThat(ledger().transfers(AccountId.wallet(222))).singleElement().satisfies(t -> {
            assertThat(t.id()).startsWith("import:");
            assertThat(t.kind()).isEqualTo(TransferKind.CARRIED_OVER);
        });
        assertThat(Reconciliation.check(ledger())).isEmpty();
    }

    @Test
    void aRowRepeatedInTheFileOrInAnotherFileIsCreditedOnce() throws IOException {
        assertThat(run("import-balances", file("111,10,bonus", "111,10,bonus", "111,10,second bonus").toString()))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("credited 2 (20.00 ₽), already imported 1");
        assertThat(run("import-balances", file("444,5,new", "111, 10.00 ,bonus").toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("credited 1 (5.00 ₽), already imported 1");
        assertThat(balance(111)).isEqualTo(2_000);
    }

    @Test
    void aRowAnEarlierVersionCreditedAsATopUpIsAlreadyImported() throws IOException {
        Path csv = file("111,150,carried over", "222,10,");
        BalanceRows.Row earlier = BalanceRows.parse(List.of("111,150,carried over")).rows().get(0);
        ledger().transfer(earlier.id(), AccountId.MANUAL_CLEARING, AccountId.wallet(111), 15_000,
                TransferKind.TOP_UP_MANUAL);

        assertThat(run("import-balances", csv.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("2 row(s): credited 1 (10.00 ₽), already imported 1, refused 0");
        assertThat(balance(111)).isEqualTo(15_000);
    }

    @Test
    void aFileWithBadLinesCreditsNothingAndNamesEachLine() throws IOException {
        Path csv = file("111,150,ok", "bob,10,x", "222,-5,x", "333,1.234,x", "444,\"unclosed,x", "555");

        assertThat(run("import-balances", csv.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nothing credited",
                "line 2: the user id must be", "line 3: the amount must be more than 0",
                "line 4: the amount must be more than 0 and at most 1000000000, with at most 2 decimals",
                "line 5: a quote is not closed", "line 6: expected user id, amount in ₽, note; got 1");
        assertThat(balance(111)).isZero();
    }

    @Test
    void aFirstRowWithEveryCellQuotedIsCreditedNotTakenForAHeader() throws IOException {
        // LibreOffice's «quote all text cells», after a BOM: the line begins with a quote, its first cell is a number
        Path csv = file("\uFEFF\"111\",\"150\",\"carried over\"", "\"222\",\"10\",\"carried over\"");

        assertThat(run("import-balances", csv.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 row(s): credited 2 (160.00 ₽)");
        assertThat(balance(111)).isEqualTo(15_000);
        assertThat(balance(222)).isEqualTo(1_000);
    }

    @Test
    void aFirstLineThatIsNeitherAHeaderNorARowIsReportedAndAQuotedHeaderIsSkipped() throws IOException {
        assertThat(run("import-balances", file(",150,x", "222,10,x").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nothing credited", "line 1: the user id must be");
        assertThat(run("import-balances", file("\"111\",\"a lot\"", "222,10,x").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 1: the amount must be a number");
        assertThat(run("import-balances", file("user2,amount", "222,10,x").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 1: the user id must be");
        assertThat(balance(222)).isZero();

        assertThat(run("import-balances", file("\"user_id\",\"amount_rub\",\"note\"", "222,10,x").toString()))
                .isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 row(s): credited 1 (10.00 ₽)");
    }

    @Test
    void versionPrintsTheBuildAndStartsNothing() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).strip())
                .matches("kiebot \\d+\\.\\d+\\.\\d+\\S* \\(commit ([0-9a-f]{9}|unknown)\\)");
    }

    @Test
    void wrongUsageAndAMissingFileAreExplained() {
        assertThat(run("import-balances")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: kiebot <command>", "import-balances");
        assertThat(run("import-balances", dir.resolve("missing.csv").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot read");
    }

    /**
     * An operator command on a database a newer build migrated (an older jar run after an upgrade, or after a rollback)
     * ends with the runner's own status for it, 7, which README's "Upgrading from an earlier build" and the systemd
     * unit rely on: it said 1, as any failed import, a status a script could not tell from a refused row.
     */
    @Test
    void aDatabaseANewerBuildMigratedEndsTheCommandWithTheRunnersStatusForIt() throws IOException {
        String schema = "kiebot_newer_cli_" + System.nanoTime() % 100_000;
        try {
            try (Database db = Database.connect(TestDatabase.settings().withPoolSize(2).withSchema(schema))) {
                db.jdbi().useHandle(h -> h.execute("INSERT INTO flyway_schema_history (installed_rank, version, "
                        + "description, type, script, checksum, installed_by, execution_time, success) VALUES "
                        + "(1000, '999', 'from a newer build', 'SQL', 'V999__newer.sql', 1, 'x', 1, true)"));
            }
            Path csv = file("user_id,amount_rub,note", "111,150.50,carried over");

            assertThat(run(Map.of("DATABASE_SCHEMA", schema), "import-balances", csv.toString()))
                    .isEqualTo(ProcessEnd.SCHEMA_NEWER_THAN_BUILD);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("the database's schema is at version 999, newer than this build's");
        } finally {
            TestDatabase.jdbi().useHandle(h -> h.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE"));
        }
    }

    @Test
    void warmUpWalksTheStartPathAndHandlesSampleUpdatesOnADatabaseItDeletes() throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = warmUpDirectories(tmp);
        assertThat(run("warm-up")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("warm-up done").doesNotContain("missing")
                .doesNotContain("skipped");
        // another build on the machine may be warming up at the same time, with a directory of its own that comes
        // and goes within seconds: only one that stays, and was not there before, is this warm-up's leftover
        List<Path> left = warmUpDirectories(tmp);
        for (int i = 0; i < 60 && !newIn(left, before).isEmpty(); i++) {
            Thread.sleep(500);
            left = warmUpDirectories(tmp);
        }
        assertThat(newIn(left, before)).as("its throwaway database is gone").isEmpty();
    }

    private static List<Path> newIn(List<Path> now, List<Path> before) {
        return now.stream().filter(p -> !before.contains(p)).toList();
    }

    private static List<Path> warmUpDirectories(Path tmp) throws IOException {
        try (var list = Files.list(tmp)) {
            return list.filter(p -> p.getFileName().toString().startsWith("kiebot-warm-up")).sorted().toList();
        }
    }
}
