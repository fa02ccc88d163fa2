package dev.kiebot.runtime.cli;

import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.DatabaseSettings;
import dev.kiebot.postgres.PgStores;
import dev.kiebot.postgres.SchemaNewerThanBuildException;
import dev.kiebot.runtime.BuildInfo;
import dev.kiebot.runtime.ProcessEnd;
import dev.kiebot.runtime.config.ConfigException;
import dev.kiebot.runtime.config.Settings;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Operator commands, run from either runner jar instead of the bot ({@code java -jar app-polling.jar
 * import-balances balances.csv}, or {@code ./kiebot import-balances balances.csv}). They read only the variables
 * they need ({@code DATABASE_*}, {@code DATA_DIR}).
 */
public final class Commands {
    static final String USAGE = """
            usage: kiebot <command>
              import-balances <file.csv>   credit balances carried over from an earlier bot, each row once
                                           (rows: user id, amount in ₽, note); prints a summary
              --version                    print which build this is (version and commit) and exit
              warm-up                      walk the start-up path (and handle three sample updates on a
                                           throwaway embedded database) and exit, for a class-data archive
                                           (java -XX:ArchiveClassesAtExit=app.jsa -jar app.jar warm-up)""";

    private Commands() {
    }

    /**
     * Writes to the process's standard output and error in UTF-8, whatever the locale: Java 17's {@code System.out}
     * follows LANG, which a slim image leaves unset, and printed the usage's ₽ as "?".
     *
     * @return the process exit code: 0 done, 1 failed, 2 wrong usage or configuration, 7
     *         ({@link ProcessEnd#SCHEMA_NEWER_THAN_BUILD}) a database a newer build migrated, as the runners' start
     */
    public static int run(List<String> args) {
        return run(args, Settings.environment(), utf8(FileDescriptor.out), utf8(FileDescriptor.err));
    }

    private static PrintStream utf8(FileDescriptor stream) {
        return new PrintStream(new FileOutputStream(stream), true, StandardCharsets.UTF_8);
    }

    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        try {
            return command(args, environment, out, err);
        } catch (SchemaNewerThanBuildException e) {
            // one rule with the runners' start (README, "Upgrading from an earlier build"; the systemd unit): a script
            // running an older jar's command after an upgrade tells it from a failed run of the command itself
            err.println("cannot run: " + e.getMessage());
            return ProcessEnd.SCHEMA_NEWER_THAN_BUILD;
        }
    }

    private static int command(List<String> args, Map<String, String> environment, PrintStream out,
                               PrintStream err) {
        if (args.size() == 2 && args.get(0).equals("import-balances")) {
            try {
                return importBalances(Path.of(args.get(1)), Settings.databaseFromEnv(environment), out, err);
            } catch (ConfigException e) {
                err.println(e.getMessage());
                return 2;
            }
        }
        if (args.equals(List.of("--version"))) {
            out.println(BuildInfo.current().describe());
            return 0;
        }
        if (args.equals(List.of("warm-up"))) {
            return warmUp(out, err);
        }
        err.println(USAGE);
        return 2;
    }

    private static int warmUp(PrintStream out, PrintStream err) {
        try {
            int missing = WarmUp.run();
            Optional<String> skipped = SampleHandling.run();
            out.println("warm-up done" + (missing == 0 ? "" : "; " + missing + " class(es) missing")
                    + skipped.map(why -> "; the database part skipped: " + why).orElse(""));
            return missing == 0 ? 0 : 1;
        } catch (IOException | RuntimeException e) {
            err.println("warm-up failed: " + e);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int importBalances(Path csv, DatabaseSettings database, PrintStream out, PrintStream err) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("cannot read " + csv + ": " + e.getMessage());
            return 1;
        }
        BalanceRows.Parsed parsed = BalanceRows.parse(lines);
        if (!parsed.problems().isEmpty()) {
            err.println(csv + ": nothing credited; fix these lines and run again:");
            parsed.problems().forEach(p -> err.println("  " + p));
            return 1;
        }
        try (Database db = Database.connect(database)) {
            BalanceImport.Summary s = new BalanceImport(PgStores.create(db, Clock.systemUTC()).asCoreStores()
                    .ledger()).credit(parsed.rows());
            out.println("import-balances " + csv.getFileName() + ": " + s.text());
            s.refused().forEach(r -> err.println("  refused " + r));
            return s.refused().isEmpty() ? 0 : 1;
        } catch (SchemaNewerThanBuildException e) {
            throw e; // its own status, in run
        } catch (IllegalStateException e) {
            err.println("cannot import: " + e.getMessage());
            return 1;
        }
    }
}
