package dev.kiebot.runtime;

import dev.kiebot.core.jobs.PollPolicy;
import dev.kiebot.kie.PollSchedule;
import java.time.Duration;

/**
 * How often a running generation's status is read from Kie. A runner passes it through without knowing core's
 * {@code PollPolicy} (a runner is a transport: the runtime offers it what it needs).
 *
 * @param policy the delay before each read
 */
public record KieReads(PollPolicy policy) {
    /** Kie's documented backoff: every 2-3 s at first, then up to every 30 s ({@code PollSchedule}). */
    public static final KieReads DOCUMENTED = new KieReads(PollSchedule::delayAfter);

    public KieReads {
        java.util.Objects.requireNonNull(policy, "KieReads: the policy, e.g. KieReads.DOCUMENTED");
    }

    /**
     * The same delay before every read: for tests whose fake Kie finishes a task when told, so that they need not
     * wait the 2-3 s of a first read.
     */
    public static KieReads every(Duration delay) {
        return new KieReads(PollPolicy.every(delay));
    }
}
