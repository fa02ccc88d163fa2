package dev.kiebot.postgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line that runs a PostgreSQL program on this host. PostgreSQL refuses to run as root; when this
 * process is root (CI, a container without {@code USER}) the program runs in a user namespace
 * ({@code unshare -U}), where it is an unprivileged user owning the same files. The server also gets a session
 * of its own ({@code setsid}), so that a Ctrl-C in the terminal reaches only the bot, whose shutdown stops the
 * server last, instead of stopping the server under the bot's feet. Each wrapper execs the next program, so the
 * process started is the server itself (same pid).
 */
final class PostgresCommand {
    private static final long PROBE_WAIT_MILLIS = 10_000;
    private static final Optional<Path> SETSID = firstExecutable("/usr/bin/setsid", "/bin/setsid");
    private static final Optional<Path> UNSHARE = firstExecutable("/usr/bin/unshare", "/bin/unshare");

    private PostgresCommand() {
    }

    /**
     * @param ownSession true for the server, false for short-lived tools such as initdb
     * @throws IllegalStateException as root where user namespaces are not available
     */
    static List<String> of(Path program, List<String> arguments, boolean ownSession) {
        List<String> command = new ArrayList<>();
        if (ownSession) {
            SETSID.ifPresent(p -> command.add(p.toString()));
        }
        if (RootPolicy.RUNNING_AS_ROOT) {
            command.add(RootPolicy.unshare().toString());
            command.add("-U");
        }
        command.add(program.toString());
        command.addAll(arguments);
        return command;
    }

    /** Fails early, with advice, where the server could not run at all. */
    static void checkRunnable() {
        if (RootPolicy.RUNNING_AS_ROOT) {
            RootPolicy.unshare();
        }
    }

    private static Optional<Path> firstExecutable(String... candidates) {
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Probed once per JVM. */
    private static final class RootPolicy {
        static final boolean RUNNING_AS_ROOT = ProcessUser.isRoot();
        static final boolean USER_NAMESPACES = RUNNING_AS_ROOT && userNamespacesWork();

        static Path unshare() {
            if (!USER_NAMESPACES) {
                throw new IllegalStateException("the embedded PostgreSQL cannot run as root without user "
                        + "namespaces (unshare -U): run the process as a non-root user (e.g. USER in the "
                        + "Dockerfile) or set DATABASE_URL");
            }
            return UNSHARE.orElseThrow();
        }

        private static boolean userNamespacesWork() {
            return UNSHARE.isPresent()
                    && QuickCommand.succeeds(List.of(UNSHARE.get().toString(), "-U", "true"), PROBE_WAIT_MILLIS);
        }
    }
}
