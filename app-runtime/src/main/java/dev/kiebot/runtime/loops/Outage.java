package dev.kiebot.runtime.loops;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A loop's view of an outage of what it depends on (the database, Telegram): the first failed attempt is logged
 * as a warning, the attempts after it only at debug level, and the end of the outage once, with how long it
 * lasted and how many attempts failed. Several threads of one loop share one outage, so a 20-second database
 * outage costs each loop two lines, not one per attempt and thread. Thread-safe.
 */
public final class Outage {
    private final Logger log;
    private final String what;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong startedNanos = new AtomicLong();

    /** @param what the work that fails, as a log line names it ("taking updates") */
    public Outage(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    /** An attempt failed; {@code retryInMillis} says when the next one comes. Names only the failure's type. */
    public void failed(Throwable e, long retryInMillis) {
        failed(DatabaseState.reason(e), retryInMillis);
    }

    /** An attempt failed for {@code reason}, which must name no content (no update, no user, no secret). */
    public void failed(String reason, long retryInMillis) {
        failed(reason, "retrying until it works, next in " + retryInMillis + " ms");
    }

    /** An attempt failed; {@code next} says what comes of it ("polling finds the result"). Names the failure's type. */
    public void failed(Throwable e, String next) {
        failed(DatabaseState.reason(e), next);
    }

    /** An attempt made by someone else failed, and they will try again (Telegram delivers a refused update again). */
    public void failedForTheSender(Throwable e) {
        failed(DatabaseState.reason(e), "the sender tries again");
    }

    private void failed(String reason, String next) {
        if (failures.getAndIncrement() == 0) {
            startedNanos.set(System.nanoTime());
            log.warn("{} failed ({}); {}", what, reason, next);
        } else {
            log.debug("{} failed again ({}); {}", what, reason, next);
        }
    }

    /** An attempt worked: if an outage was going on, it is over. */
    public void over() {
        if (failures.get() == 0) {
            return; // the common case, without a write
        }
        int failed = failures.getAndSet(0);
        if (failed > 0) {
            long millis = (System.nanoTime() - startedNanos.get()) / 1_000_000;
            // "1 attempts failed" was most of these lines: an outage of one failed attempt is the common one
            log.info("{} works again, {} ms after its first failed attempt; {} failed", what, millis,
                    failed == 1 ? "1 attempt" : failed + " attempts");
        }
    }

    /** Whether an outage is going on (the last attempt failed). */
    public boolean ongoing() {
        return failures.get() > 0;
    }
}
