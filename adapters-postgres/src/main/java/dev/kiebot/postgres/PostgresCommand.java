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
 *
 * <p>A user id without a name (OpenShift's random uid, {@code DynamicUser=yes} without nss-systemd, a
 * {@code runAsUser} the image does not know) runs the server as it is, which never asks for its name, but
 * {@code initdb} and single-user {@code postgres} each stop at once on PostgreSQL's {@code get_user_name_or_exit}
 * («could not look up effective user ID»), whatever {@code -U} says: they run in a user namespace too, where the id
 * shows as the overflow id 65534, {@code nobody}, which has a name, and owns the files it owns outside (they show as
 * 65534 as well). Where namespaces are refused (a container's default seccomp profile), they are not run at all: the
 * start stops before them, naming the two ways out.
 */
final class PostgresCommand {
    private static final long PROBE_WAIT_MILLIS = 10_000;
    private static final Optional<Path> SETSID = firstExecutable("/usr/bin/setsid", "/bin/setsid");
    private static final Optional<Path> UNSHARE = firstExecutable("/usr/bin/unshare", "/bin/unshare");

    private PostgresCommand() {
    }

    /**
     * @param ownSession true for the server, false for short-lived tools ({@code initdb}, single-user
     *     {@code postgres}), which look this user's name up
     * @throws IllegalStateException as root, or for a tool as a user without a name, where user namespaces are not
     *     available
     */
    static List<String> of(Path program, List<String> arguments, boolean ownSession) {
        List<String> command = new ArrayList<>();
        if (ownSession) {
            SETSID.ifPresent(p -> command.add(p.toString()));
        }
        if (RootPolicy.RUNNING_AS_ROOT) {
            command.add(RootPolicy.unshare().toString());
            command.add("-U");
        } else if (!ownSession && ProcessUser.NAMELESS) {
            command.add(NamelessPolicy.unshare(program).toString());
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

    /** Probed once per JVM, and only by a user without a name. */
    private static final class NamelessPolicy {
        static final boolean USER_NAMESPACES = userNamespacesWork();

        static Path unshare(Path program) {
            if (!USER_NAMESPACES) {
                throw new IllegalStateException("user id " + ProcessUser.UID + " has no name (no entry in "
                        + "/etc/passwd), which PostgreSQL's " + program.getFileName() + " needs to make the embedded "
                        + "database (or give it a password), and user namespaces (unshare -U), in which it would "
                        + "have one, are not allowed here: run the bot as a user the system knows (OpenShift: add an "
                        + "/etc/passwd entry for the random uid, as its guidelines for images say; systemd: "
                        + "nss-systemd for DynamicUser=yes), or set DATABASE_URL");
            }
            return UNSHARE.orElseThrow();
        }
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
    }

    private static boolean userNamespacesWork() {
        return UNSHARE.isPresent()
                && QuickCommand.succeeds(List.of(UNSHARE.get().toString(), "-U", "true"), PROBE_WAIT_MILLIS);
    }
}
