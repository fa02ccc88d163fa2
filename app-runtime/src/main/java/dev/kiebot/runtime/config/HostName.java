package dev.kiebot.runtime.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This machine's name, the default of {@code INSTANCE_NAME} when neither it nor {@code HOSTNAME} is set: bash keeps
 * {@code HOSTNAME} to itself (it does not export it), so under {@code ./kiebot} the name was {@code kiebot-<pid>}, a new
 * one at every restart, and the logs and job leases of one box read as many instances. The name is asked of the
 * resolver, which can hang for its own timeout on a bad configuration: past {@link #LOOKUP_WAIT}, or when it fails, the
 * process's id names the instance as before.
 */
final class HostName {
    /** How long the start waits for the resolver's answer. */
    static final Duration LOOKUP_WAIT = Duration.ofSeconds(2);

    private HostName() {
    }

    /** This machine's name, or {@code kiebot-<pid>} when it cannot be had within {@link #LOOKUP_WAIT}. */
    static String local() {
        return of(() -> InetAddress.getLocalHost().getHostName(), LOOKUP_WAIT);
    }

    /** {@code lookup}'s answer within {@code wait}, else (failed, blank, late) {@code kiebot-<pid>}. */
    static String of(Callable<String> lookup, Duration wait) {
        CompletableFuture<String> asked = new CompletableFuture<>();
        Thread asking = new Thread(() -> {
            try {
                asked.complete(lookup.call());
            } catch (Exception | Error e) {
                asked.completeExceptionally(e);
            }
        }, "host-name-lookup");
        asking.setDaemon(true); // a resolver that hangs must not keep the process alive
        asking.start();
        try {
            String name = asked.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (name != null && !name.isBlank()) {
                return name.strip();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the process's id below: a name for this run at least
        }
        return "kiebot-" + ProcessHandle.current().pid();
    }
}
