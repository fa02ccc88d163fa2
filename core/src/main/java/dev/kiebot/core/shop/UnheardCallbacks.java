package dev.kiebot.core.shop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A callback address set, and no provider callback arriving: jobs still finish, each by its own status reads, a poll
 * interval later than a callback would have brought them (seconds to a minute), and nothing said so (drill R2: the
 * address reached nobody, and only a flat {@code kiebot_kie_callbacks_total} showed it to who looked). After
 * {@link #IN_A_ROW} jobs in a row finished by a status read that told Kie's final word, over {@link #SPELL_AT_LEAST}
 * at least, with no callback since the first of them, one WARNING names the callback address's settings and what to
 * check; the first callback after it ends the spell with one INFO line. A callback counts whatever task it names (an
 * unknown one too: it shows the address reaches the bot). Per process: with two instances behind a balancer that
 * sends every callback to the other, this one would say it (its reads winning a race with the other's callbacks);
 * the message says to look at the counter of all instances. Thread-safe.
 */
final class UnheardCallbacks {
    /** Under the worker's name, as every other line of a job's reads. */
    private static final System.Logger LOG = System.getLogger(JobWorker.class.getName());
    /** Jobs in a row finished by status reads: fewer is a callback slower than one poll now and then. */
    static final int IN_A_ROW = 5;
    /** And over at least this long: a burst of quick jobs whose reads beat their callbacks is no silence. */
    static final Duration SPELL_AT_LEAST = Duration.ofMinutes(30);

    private final boolean addressSet;
    private final Clock clock;
    /** Guarded by this. */
    private int finishedByReads;
    /** When the first job of the row finished; guarded by this. */
    private Instant since;
    /** Whether the spell was said; guarded by this. */
    private boolean said;

    /** @param addressSet whether the provider is given a callback address (none: every job finishes by reads) */
    UnheardCallbacks(boolean addressSet, Clock clock) {
        this.addressSet = addressSet;
        this.clock = clock;
    }

    /** A status read in the job's own turn (no callback's) told the task's end: done or failed at the provider. */
    void finishedByRead() {
        if (!addressSet) {
            return;
        }
        Instant now = clock.instant();
        int jobs;
        Instant first;
        synchronized (this) {
            if (finishedByReads++ == 0) {
                since = now;
            }
            if (said || finishedByReads < IN_A_ROW || now.isBefore(since.plus(SPELL_AT_LEAST))) {
                return;
            }
            said = true;
            jobs = finishedByReads;
            first = since;
        }
        LOG.log(System.Logger.Level.WARNING, "jobs finish by status reads only: {0} in a row since {1}, and no Kie "
                + "callback came meanwhile, though a callback address is set (kiebot''s runners: KIE_CALLBACK_URL, "
                + "else the webhook runner''s WEBHOOK_BASE_URL): check that Kie can reach it from the internet (a "
                + "public https address, no firewall or proxy refusing Kie), that its path still carries "
                + "KIE_CALLBACK_SECRET, and kiebot_kie_callbacks_total on every instance (flat: none arrives; rising "
                + "elsewhere: the balancer sends them to another instance). Results still come, a poll later; said "
                + "once until a callback arrives", jobs, first);
    }

    /** A provider callback reached the worker: the address works, a spell of silence is over. */
    void callbackCame() {
        if (!addressSet) {
            return;
        }
        int jobs;
        Instant first;
        boolean wasSaid;
        synchronized (this) {
            jobs = finishedByReads;
            first = since;
            wasSaid = said;
            finishedByReads = 0;
            since = null;
            said = false;
        }
        if (wasSaid) {
            LOG.log(System.Logger.Level.INFO, "a Kie callback came: the callback address reaches the bot again, after "
                    + "{0} jobs finished by status reads only since {1}", jobs, first);
        }
    }
}
