package dev.kiebot.bench;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PostgreSQL server of the shared-database mode ({@code --shared-database}): started apart from the bot, by a
 * runner jar's {@code EmbeddedDatabase serve}, and reached by {@code DATABASE_URL} as on Render, so the bot
 * listens for notifications and keeps its pool as it does against any external database. It lives through the
 * bot's restart. Its postgres processes belong to the measured tree (marked by their data dir); the small JVM
 * that started them does not (its command line names only the parent directory).
 */
final class SharedServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on localhost:(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Process process;
    private final Path directory;
    private final int port;

    private SharedServer(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /** Starts the server in {@code directory} from {@code jar}; its output goes to {@code log}. */
    static SharedServer start(Path java, Path jar, Path directory, Path log) throws InterruptedException {
        List<String> command = List.of(java.toString(), "-Xmx64m", "-cp", jar.toAbsolutePath().toString(),
                "dev.kiebot.postgres.EmbeddedDatabase", "serve", directory.toAbsolutePath().toString());
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new BenchFailure("cannot start the shared database " + command + ": " + e.getMessage());
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Integer> port = portIn(log);
            if (port.isPresent()) {
                return new SharedServer(p, directory.toAbsolutePath(), port.get());
            }
            if (!p.isAlive()) {
                throw new BenchFailure("the shared database exited with " + p.exitValue() + "; see " + log);
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new BenchFailure("the shared database did not start within " + START_TIMEOUT + "; see " + log);
    }

    private static Optional<Integer> portIn(Path log) {
        try {
            Matcher m = LISTENING.matcher(Files.readString(log));
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * What the bot is given, as an operator would give it: with the password the server's directory keeps
     * ({@code pg/kiebot.password}); a jar from before passwords made none, and its server trusts localhost.
     */
    String databaseUrl() {
        Path passwordFile = directory.resolve("pg").resolve("kiebot.password");
        String password;
        try {
            password = Files.exists(passwordFile) ? ":" + Files.readString(passwordFile).strip() : "";
        } catch (IOException e) {
            throw new BenchFailure("cannot read the shared database's password in " + passwordFile + ": "
                    + e.getMessage());
        }
        return "postgres://postgres" + password + "@localhost:" + port + "/postgres";
    }

    /** On the command line of the server's postgres processes only. */
    String treeMarker() {
        return directory.resolve("pg").toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
        }
    }
}
