package dev.kiebot.core.shop;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything a shop must do besides answering updates, started with one call and stopped with one. Answering an
 * update only writes to the stores (the reply queued, the job created, the money held); this carries it out:
 * <ul>
 *   <li><b>replies</b> — the outbox's {@link ReplySender}: nothing reaches a user until it is sent from here;</li>
 *   <li><b>jobs</b> — the {@link JobWorker}: paid generations submitted, polled, delivered, refunded on failure;</li>
 *   <li><b>broadcasts</b> — an admin's {@code /broadcast}, in batches ({@link BroadcastWorker});</li>
 *   <li>every task of {@link Shop#upkeep()} with its period: held money past its deadline back, old rows purged.</li>
 * </ul>
 *
 * <!-- snippet: statements (compiled by the architecture module's PartnerSnippetsTest)
 * abstract Shop.Builder yourBuilder();
 * -->
 * <pre>{@code
 * Shop shop = yourBuilder().freeDailyLimit(0).build();            // every port and setting: see Shop
 * ShopWork work = ShopWork.start(shop, ShopWork.Instances.ONE);   // before updates come in; SEVERAL if another
 *                                                                 // process may share the stores (Instances)
 * // ...                                                          // the updates, through an Inbox (see Shop)
 * work.close();                                                   // after the updates stop, before the database
 * }</pre>
 *
 * <p>Replies queued, jobs created and broadcasts queued through the shop wake their task at once, after their
 * transaction commits: nothing to wire. Only work committed by <em>another process</em> on the same stores needs
 * telling — call {@link #repliesQueued()} / {@link #jobsMoved()} / {@link #broadcastsQueued()} from your database's
 * notifications (PostgreSQL: this project's {@code PgNotifications}); without them each process finds the other's
 * work at its next tick (a broadcast: at its next idle look, {@link Settings#broadcastsIdleEvery()}).
 *
 * <p>Idle, it does not keep asking the database: the outbox and the job worker run when woken, and when their own
 * last run said the next work falls due (a chat paced by the platform gets its next turn, a job's next status read
 * comes), each scheduling its next run for that moment; their periodic ticks ({@link Settings#repliesEvery()},
 * {@link Settings#jobsEvery()}, 5 s by default) are only the safety net under the wake-ups. The broadcasts task asks
 * the database at its tick only while a broadcast is known to be waiting (one queued, or the last batch found some);
 * otherwise once per {@link Settings#broadcastsIdleEvery()} (a minute by default).
 *
 * <p>Bounded: {@link Settings#threads()} named daemon threads, and a queue that holds only the periodic tasks (added
 * once, at start), at most one wake-up per task and at most one timed run each of the outbox and the job worker.
 * Every task catches and logs its own failures and runs again at its next tick (a periodic task that throws is
 * otherwise cancelled without a word).
 */
public final class ShopWork implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ShopWork.class.getName());
    /** Thread names are {@code shop-work-<start>-<thread>}, so a thread dump says whose work a thread does. */
    private static final AtomicInteger STARTS = new AtomicInteger();

    /**
     * Whether this process is the only one working on the shop's stores: it decides what the start does with the
     * chats a reply sender had leased when the previous run stopped. Required at start, as no default is safe for
     * both.
     */
    public enum Instances {
        /**
         * This process alone works on these stores (a database of its own, or only one process ever running): a chat
         * still leased to a reply sender was leased by the previous run, cut off mid-send, so the start ends every
         * lease ({@link dev.kiebot.core.reply.PendingReplies#releaseAll}) and its reply goes again at once, not when
         * the lease ({@link ReplySender#LEASE}) runs out. Your {@code PendingReplies} must implement
         * {@code releaseAll}.
         *
         * <p>Only when nothing else can be sending: a deploy that starts the new process before the old one has
         * stopped (rolling, blue-green, a platform's zero-downtime deploy) has two processes on one database for a
         * while, and is {@link #SEVERAL}. Given {@code ONE} wrongly, the start takes the chats the other process is
         * sending to, and their replies reach the users twice (messages only: no money moves through the outbox).
         * Nothing checks it: this start cannot see the other process.
         */
        ONE,
        /**
         * Other processes may be sending from the same stores at this moment: their leases are left alone, and a chat
         * whose sender died waits until its lease ends. The processes decide by their own clocks, so a shop on a
         * database's stores must be given the stores' clock ({@code Shop.Builder.storesClock}) to start so.
         */
        SEVERAL
    }

    /**
     * How the work runs. {@link #defaults()} suits a shop on a chat platform; change a part with a {@code with}
     * method. Every value is checked when made, with a message saying what is allowed.
     *
     * @param threads       the scheduler's threads ({@value #THREADS_MAX} at most): replies and the broadcast (each
     *                      waits on the chat platform) go out on all of them but one at once, and the job worker, the
     *                      broadcast and the upkeep run one at a time each, so a slow platform never holds up the paid
     *                      jobs
     * @param batch         jobs (and broadcast recipients) per pass; a full pass is followed by another, at most
     *                      {@value Passes#MAX} in one run
     * @param repliesPerRun replies sent in one run at most, so that one busy run cannot keep its thread for ever
     * @param repliesEvery  the outbox's tick, a safety net only: replies queued through this shop wake the outbox, and
     *                      a chat paced by the platform (Telegram: about one message a second) is served at its next
     *                      turn by a run the outbox schedules for it; the tick finds what another process queued
     *                      without a call to {@link ShopWork#repliesQueued()}, and what a lost wake-up left
     * @param jobsEvery     the job worker's tick, a safety net likewise: jobs created through this shop wake the
     *                      worker, and a job's next status read (the shop's {@code PollPolicy}) is made by a run the
     *                      worker schedules for it ({@code Jobs.nextCheckAt}); the tick finds what another process
     *                      did without a call to {@link ShopWork#jobsMoved()}
     * @param broadcastsEvery the broadcasts task's tick: while a broadcast is known to have recipients left (one
     *                      was queued, or the last batch found some), its next batch goes this long after the last,
     *                      the pace of a running broadcast
     * @param broadcastsIdleEvery with no broadcast known to be waiting, how often the broadcasts tick still asks the
     *                      database: broadcasts queued through this shop (or announced by
     *                      {@link ShopWork#broadcastsQueued()}) wake the task, so this only finds what another
     *                      process queued without a word
     * @param stopGrace     how long {@link #close()} waits for the runs in progress before interrupting them
     */
    public record Settings(int threads, int batch, int repliesPerRun, Duration repliesEvery, Duration jobsEvery,
                           Duration broadcastsEvery, Duration broadcastsIdleEvery, Duration stopGrace) {
        /** The default {@code threads}: one for the job worker, two for replies and a broadcast. */
        public static final int THREADS = 3;
        /** The most {@code threads} allowed. */
        public static final int THREADS_MAX = 64;
        /** The default {@code batch}. */
        public static final int BATCH = 20;
        /** The largest {@code batch} allowed. */
        public static final int BATCH_MAX = 1_000;
        /** The default {@code repliesPerRun}. */
        public static final int REPLIES_PER_RUN = 200;
        /** The most {@code repliesPerRun} allowed. */
        public static final int REPLIES_PER_RUN_MAX = 10_000;
        /**
         * The outbox's safety tick. Replies queued here wake the outbox, and a paced chat's next turn is a run timed
         * for it, so the tick only catches what no wake-up announced: replies another process queued without a call
         * to {@link ShopWork#repliesQueued()} (several processes on one database, no notifications wired), or a lost
         * wake-up. 5 s is how late such a reply may go, and costs an idle bot two queries (a claim, then when the
         * next paced reply is due) every 5 s where the 0.5 s tick this replaced asked 4 times a second. kiebot's own
         * runtime polls every 60 s, as it always wires notifications; a partner's bot may not.
         */
        public static final Duration REPLIES_EVERY = Duration.ofSeconds(5);
        /**
         * The job worker's safety tick, as {@link #REPLIES_EVERY}: jobs created here wake the worker and each status
         * read is a run timed for it ({@code Jobs.nextCheckAt}), so the tick only catches a job another process
         * created without a call to {@link ShopWork#jobsMoved()} (it starts within 5 s), or a lost wake-up. Idle,
         * two queries (the lease, then {@code nextCheckAt}) every 5 s, where the 2 s tick this replaced asked one
         * every 2 s.
         */
        public static final Duration JOBS_EVERY = Duration.ofSeconds(5);
        /**
         * A running broadcast's pace: its next batch goes 5 s after the last, so that users' own answers never wait
         * long behind it. Only while one is known to be waiting: idle, see {@link #BROADCASTS_IDLE_EVERY}.
         */
        public static final Duration BROADCASTS_EVERY = Duration.ofSeconds(5);
        /**
         * The broadcasts task's idle look. A broadcast queued through this shop wakes the task, so a look with none
         * known to be waiting only finds one another process queued without a call to
         * {@link ShopWork#broadcastsQueued()}: it starts within a minute, which a broadcast (not an answer a user
         * waits for) can bear, and an idle bot asks once a minute rather than every 5 s. As kiebot's runtime, whose
         * idle broadcast look is its safety poll.
         */
        public static final Duration BROADCASTS_IDLE_EVERY = Duration.ofMinutes(1);
        /** The default {@code stopGrace}. */
        public static final Duration STOP_GRACE = Duration.ofSeconds(5);
        /** A stop that waits longer is a hung stop: a service manager kills the process first. */
        public static final Duration STOP_GRACE_MAX = Duration.ofMinutes(5);
        /** Ticks longer than this leave the work to the wake-ups alone. */
        public static final Duration TICK_MAX = Duration.ofDays(1);

        /**
         * Checks every value against its range (what each one does: see the record's description).
         *
         * @param threads             1 to {@value #THREADS_MAX}
         * @param batch               1 to {@value #BATCH_MAX}
         * @param repliesPerRun       1 to {@value #REPLIES_PER_RUN_MAX}
         * @param repliesEvery        a millisecond to {@link #TICK_MAX}
         * @param jobsEvery           a millisecond to {@link #TICK_MAX}
         * @param broadcastsEvery     a millisecond to {@link #TICK_MAX}
         * @param broadcastsIdleEvery a millisecond to {@link #TICK_MAX}
         * @param stopGrace           zero (interrupt at once) to {@link #STOP_GRACE_MAX}
         * @throws IllegalArgumentException naming every value out of its range, and the range
         */
        public Settings {
            List<String> wrong = new ArrayList<>();
            within(wrong, "threads", threads, 1, THREADS_MAX);
            within(wrong, "batch", batch, 1, BATCH_MAX);
            within(wrong, "repliesPerRun", repliesPerRun, 1, REPLIES_PER_RUN_MAX);
            positive(wrong, "repliesEvery", repliesEvery);
            positive(wrong, "jobsEvery", jobsEvery);
            positive(wrong, "broadcastsEvery", broadcastsEvery);
            positive(wrong, "broadcastsIdleEvery", broadcastsIdleEvery);
            if (stopGrace == null || stopGrace.isNegative() || stopGrace.compareTo(STOP_GRACE_MAX) > 0) {
                wrong.add("stopGrace must be from zero (interrupt at once) to " + STOP_GRACE_MAX + ", e.g. "
                        + STOP_GRACE + "; was " + stopGrace);
            }
            if (!wrong.isEmpty()) {
                throw new IllegalArgumentException("ShopWork.Settings: " + String.join("; ", wrong));
            }
        }

        /**
         * The settings as they were before the idle broadcasts' period came, which takes its default
         * ({@link #BROADCASTS_IDLE_EVERY}): code written against them builds unchanged.
         *
         * @param threads         1 to {@value #THREADS_MAX}
         * @param batch           1 to {@value #BATCH_MAX}
         * @param repliesPerRun   1 to {@value #REPLIES_PER_RUN_MAX}
         * @param repliesEvery    a millisecond to {@link #TICK_MAX}
         * @param jobsEvery       a millisecond to {@link #TICK_MAX}
         * @param broadcastsEvery a millisecond to {@link #TICK_MAX}
         * @param stopGrace       zero (interrupt at once) to {@link #STOP_GRACE_MAX}
         * @throws IllegalArgumentException naming every value out of its range, and the range
         */
        public Settings(int threads, int batch, int repliesPerRun, Duration repliesEvery, Duration jobsEvery,
                        Duration broadcastsEvery, Duration stopGrace) {
            this(threads, batch, repliesPerRun, repliesEvery, jobsEvery, broadcastsEvery, BROADCASTS_IDLE_EVERY,
                    stopGrace);
        }

        /**
         * 3 threads, batches of 20, 200 replies a run; safety ticks of replies and jobs every 5 s, a running
         * broadcast's batches every 5 s and an idle look for broadcasts every minute; 5 s grace.
         *
         * @return the settings {@link ShopWork#start(Shop, Instances)} uses
         */
        public static Settings defaults() {
            return new Settings(THREADS, BATCH, REPLIES_PER_RUN, REPLIES_EVERY, JOBS_EVERY, BROADCASTS_EVERY,
                    BROADCASTS_IDLE_EVERY, STOP_GRACE);
        }

        /**
         * More threads for a busy bot: {@code n - 1} replies (or a broadcast's messages) on the wire at once.
         *
         * @param n 1 to {@value #THREADS_MAX}
         * @return new settings; these are unchanged
         * @throws IllegalArgumentException for a value out of range
         */
        public Settings withThreads(int n) {
            return new Settings(n, batch, repliesPerRun, repliesEvery, jobsEvery,
                    broadcastsEvery, broadcastsIdleEvery, stopGrace);
        }

        /**
         * These settings with another {@code batch} (see the record's parameters).
         *
         * @param n 1 to {@value #BATCH_MAX}
         * @return new settings; these are unchanged
         * @throws IllegalArgumentException for a value out of range
         */
        public Settings withBatch(int n) {
            return new Settings(threads, n, repliesPerRun, repliesEvery, jobsEvery,
                    broadcastsEvery, broadcastsIdleEvery, stopGrace);
        }

        /**
         * These settings with another {@code repliesPerRun} (see the record's parameters).
         *
         * @param n 1 to {@value #REPLIES_PER_RUN_MAX}
         * @return new settings; these are unchanged
         * @throws IllegalArgumentException for a value out of range
         */
        public Settings withRepliesPerRun(int n) {
            return new Settings(threads, batch, n, repliesEvery, jobsEvery,
                    broadcastsEvery, broadcastsIdleEvery, stopGrace);
        }

        /**
         * These settings with another {@code repliesEvery} (see the record's parameters).
         *
         * @param d a millisecond to {@link #TICK_MAX}
         * @return new settings; these are unchanged
         * @throws IllegalArgumentException for a value out of range
         */
        public Settings withRepliesEvery(Duration d) {
            return new Settings(threads, batch, repliesPerRun, d, jobsEvery,
                    broadcastsEvery, broadcastsIdleEvery, stopGrace);
        }

        /**
         * These settings with another {@code jobsEvery} (see the record's parameters).
         *
         * @param d a millisecond to {@link #TICK_MAX}
         * @return new settings; these are unchanged
         * @throws IllegalArgumentException for a value out of range
         */
        public Settings withJobsEvery(Duration d) {
            return new Settings(threads, batch, repliesPerRun, repliesEvery, d,
                    broadcastsEvery, broadcastsIdleEvery, stopGrace);
        }

        /**
         * These settings with another {@code broadcastsEvery} (see the record's parameters).
         *
         * @param d a millisecond to {@link #TICK_MAX}
         * @return new settings; these are unchanged
         * @throws IllegalArgumentException for a value out of range
         */
        public Settings withBroadcastsEvery(Duration d) {
            return new Settings(threads, batch, repliesPerRun, repliesEvery, jobsEvery,
                    d, broadcastsIdleEvery, stopGrace);
        }

        /**
         * These settings with another {@code broadcastsIdleEvery} (see the record's parameters).
         *
         * @param d a millisecond to {@link #TICK_MAX}
         * @return new settings; these are unchanged
         * @throws IllegalArgumentException for a value out of range
         */
        public Settings withBroadcastsIdleEvery(Duration d) {
            return new Settings(threads, batch, repliesPerRun, repliesEvery, jobsEvery,
                    broadcastsEvery, d, stopGrace);
        }

        /**
         * These settings with another {@code stopGrace} (see the record's parameters).
         *
         * @param d zero to {@link #STOP_GRACE_MAX}
         * @return new settings; these are unchanged
         * @throws IllegalArgumentException for a value out of range
         */
        public Settings withStopGrace(Duration d) {
            return new Settings(threads, batch, repliesPerRun, repliesEvery, jobsEvery,
                    broadcastsEvery, broadcastsIdleEvery, d);
        }

        private static void within(List<String> wrong, String name, int value, int min, int max) {
            if (value < min || value > max) {
                wrong.add(name + " must be from " + min + " to " + max + "; was " + value);
            }
        }

        private static void positive(List<String> wrong, String name, Duration d) {
            if (d == null || d.compareTo(Duration.ofMillis(1)) < 0 || d.compareTo(TICK_MAX) > 0) {
                wrong.add(name + " must be from a millisecond to " + TICK_MAX + ", e.g. " + name
                        + "(Duration.ofSeconds(1)); was " + d);
            }
        }
    }

    /**
     * The shop's background work in parts, each run when its caller decides: for a runner that schedules the work on
     * threads of its own instead of {@link ShopWork#start} (kiebot's runtime does, with several reply senders woken by
     * database notifications and a safety poll of its own). A partner's bot starts {@code ShopWork} and needs none of
     * this.
     *
     * <p>The rest of the work such a runner schedules goes through the shop: replies through {@link Shop#sender()}
     * ({@link ReplySender#sendNext()} on each sender thread, {@link ReplySender#settleLeftOvers()} at the stop), expired
     * holds and old rows through {@link Shop#upkeep()}'s tasks. Never beside a started {@code ShopWork} of the same
     * shop: both would send the same broadcasts and take the same jobs, so {@link #of} refuses then, and
     * {@link ShopWork#start} refuses a shop that has {@code Parts}. Each method may be called from any thread, and
     * throws what failed (the database lost, say): the runner's loop catches and logs it, and runs the part again later.
     */
    public static final class Parts {
        private final JobWorker worker;
        private final BroadcastWorker broadcaster;
        private final int batch;
        private final BroadcastLooks broadcastLooks;

        private Parts(Shop shop, int batch, Duration broadcastsIdleEvery, Clock clock) {
            this.worker = shop.worker();
            this.broadcaster = shop.broadcaster();
            this.batch = batch;
            this.broadcastLooks = new BroadcastLooks(broadcaster, batch, broadcastsIdleEvery, clock);
        }

        /**
         * The parts of a shop whose work a runner schedules itself; at most once per shop, and never with
         * {@link ShopWork#start}.
         *
         * @param shop     the built shop
         * @param settings of which only {@link Settings#batch()} and {@link Settings#broadcastsIdleEvery()} apply:
         *                 the threads, the ticks and the stop are the runner's
         * @param clock    what the broadcasts' idle look is timed by (real time in production; a test's own clock)
         * @return the shop's jobs and broadcasts, to run on the runner's own threads
         * @throws IllegalStateException when the shop's {@code ShopWork} was started
         */
        public static Parts of(Shop shop, Settings settings, Clock clock) {
            Objects.requireNonNull(shop, "shop");
            Objects.requireNonNull(settings, "settings: e.g. ShopWork.Settings.defaults()");
            Objects.requireNonNull(clock, "clock: e.g. Clock.systemUTC()");
            shop.outbox().signals().takeForOwnThreads();
            return new Parts(shop, settings.batch(), settings.broadcastsIdleEvery(), clock);
        }

        /**
         * Moves due jobs forward: passes of up to {@code batch} jobs each, another while a pass comes back full, at
         * most {@value Passes#MAX} (so one busy run cannot keep its thread for ever).
         *
         * @return how many jobs the passes took; none means none was due ({@code Jobs.nextCheckAt} says when one is)
         */
        public int advanceJobs() {
            return Passes.run(batch, worker::runOnce);
        }

        /**
         * One run of the broadcasts: batches while a broadcast may be waiting (one was queued, or the last batch took
         * some), else a look at the database only once per {@link Settings#broadcastsIdleEvery()}. Call it on a tick
         * ({@link Settings#broadcastsEvery()} is a running broadcast's pace).
         */
        public void sendBroadcasts() {
            broadcastLooks.run();
        }

        /**
         * A broadcast was queued (here, or by another process): the next {@link #sendBroadcasts()} looks, however
         * recent the last look. Cheap, never blocks.
         */
        public void broadcastsQueued() {
            broadcastLooks.queued();
        }

        /**
         * At the stop: the broadcast finishes the message being sent and gives the rest of its batch back, so the next
         * start continues it; later runs send nothing. Call it before waiting for the runs in progress.
         */
        public void stopBroadcasts() {
            broadcaster.stop();
        }
    }

    /**
     * How long runs interrupted at the end of {@link Settings#stopGrace()} get to end their step before
     * {@link #close()} returns anyway: an interrupted step still writes what it did (a job's task id, a reply's
     * settle), and the stores' database closes right after close returns.
     */
    private static final Duration INTERRUPTED_GRACE = Duration.ofSeconds(5);

    private final Shop shop;
    private final Settings settings;
    private final ScheduledThreadPoolExecutor scheduler;
    private final WorkTask replies;
    private final WorkTask jobs;
    private final WorkTask broadcasts;
    /** The jobs' passes and the broadcasts' looks, as a runner that schedules them itself gets them. */
    private final Parts parts;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ShopWork(Shop shop, Settings settings) {
        this.shop = shop;
        this.settings = settings;
        int start = STARTS.incrementAndGet();
        AtomicInteger threadNumber = new AtomicInteger();
        this.scheduler = new ScheduledThreadPoolExecutor(settings.threads(), run -> {
            // daemon, so that a forgotten close() cannot keep the JVM up
            Thread t = new Thread(run, "shop-work-" + start + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // cancelled periodic tasks leave the queue at once rather than at their next time
        this.scheduler.setRemoveOnCancelPolicy(true);
        // replies and the broadcast wait on the chat platform: together they may be on the wire on every thread but
        // one, which the job worker and the upkeep keep (a broadcast's batch on a slow platform held the last one)
        WorkLane wire = new WorkLane(Math.max(1, settings.threads() - 1));
        this.replies = new WorkTask("replies", this::deliverReplies, settings.repliesEvery(),
                Math.max(1, settings.threads() - 1), Optional.of(wire), scheduler);
        this.jobs = new WorkTask("jobs", this::advanceJobs, settings.jobsEvery(), 1, Optional.empty(), scheduler);
        // with none known to be waiting, a look at the database once per broadcastsIdleEvery (a queued one wakes it)
        this.parts = new Parts(shop, settings.batch(), settings.broadcastsIdleEvery(), Clock.systemUTC());
        this.broadcasts = new WorkTask("broadcasts", parts::sendBroadcasts, Optional.of(wire), scheduler);
    }

    /**
     * {@link #start(Shop, Instances, Settings)} with {@link Settings#defaults()}.
     *
     * @param shop      the built shop, whose work was not started before
     * @param instances whether this process works on the shop's stores alone ({@link Instances})
     * @return the running work: {@link #close()} it after the last update, before the stores' database
     */
    public static ShopWork start(Shop shop, Instances instances) {
        return start(shop, instances, Settings.defaults());
    }

    /**
     * Starts the shop's work: call once the shop is built, before updates come in; {@link #close()} it after they
     * stopped and before the stores' database closes. A shop's work starts once: a new start needs a new
     * {@link Shop}.
     *
     * @param shop      the built shop, whose work was not started before (nor handed out as {@link Parts})
     * @param instances whether this process works on the shop's stores alone ({@link Instances})
     * @param settings  the threads, batches and ticks: {@link Settings#defaults()} and its {@code with} methods
     * @return the running work: {@link #close()} it after the last update, before the stores' database
     * @throws IllegalStateException when this shop's work was started before, {@link Instances#ONE} was given
     *                               and the shop's {@code PendingReplies} cannot end the previous run's leases, or the
     *                               machine's clock is more than {@link ClockSkew#refusedAbove()} (by default
     *                               {@link ClockSkew#REFUSE_ABOVE}) from the stores' ({@link Shop#clockSkew()}),
     *                               or {@link Instances#SEVERAL} was given for stores that survive a restart (a
     *                               database's) and the shop has no stores' clock to compare its own with
     *                               ({@code Shop.Builder.storesClock})
     */
    public static ShopWork start(Shop shop, Instances instances, Settings settings) {
        Objects.requireNonNull(shop, "ShopWork.start: shop, the one Shop.builder()...build() made, never null");
        Objects.requireNonNull(instances, "ShopWork.start: instances, Instances.ONE or Instances.SEVERAL "
                + "(ShopWork.Instances; ONE when this process alone works on the shop's stores)");
        Objects.requireNonNull(settings, "ShopWork.start: settings, e.g. ShopWork.Settings.defaults()");
        if (instances == Instances.SEVERAL && !shop.clockSkew().compares() && shop.stores().transactions().durable()) {
            // the other processes decide by their own clocks, and nothing would say that one is minutes off: copied
            // from a one-process wiring, the shop ran that way until the first refund of an order still being made.
            // ONE is the easy way out, so the message says when it is wrong: a rolling deploy's overlap is SEVERAL
            throw new IllegalStateException("ShopWork.start(shop, Instances.SEVERAL): processes sharing the stores "
                    + "decide a generation's lease and its send's window by their own clocks, and one minutes off "
                    + "refunds orders another is still making, but this shop has no clock to compare its own with "
                    + "(Shop.builder() was given no storesClock). Give it the stores' clock: "
                    + "Shop.builder().storesClock(new PgClock(database.jdbi())) with adapters-postgres, or a "
                    + "StoresClock reading your database's current time; or start with Instances.ONE if no other "
                    + "process works on these stores, not even a deploy's new process started before the old one "
                    + "stopped (ONE ends the other's reply leases, and the replies it is sending go twice)");
        }
        shop.clockSkew().checkAtStart(); // before anything runs on a clock the other instances disagree with
        WorkSignals signals = shop.outbox().signals();
        signals.take(); // before the leases: a second start must not end those of the first one's senders
        try {
            if (instances == Instances.ONE) {
                releasePreviousLeases(shop);
            }
        } catch (RuntimeException e) {
            signals.giveBack();
            throw e;
        }
        sendKeptAnswers(shop);
        ShopWork work = new ShopWork(shop, settings);
        signals.answer(work::repliesQueued, work::jobsMoved, work::broadcastsQueued);
        work.schedule();
        return work;
    }

    /**
     * A pre-checkout's answer the previous run committed and was killed before sending: Telegram waits 10 s for it,
     * so it goes now, before the payment is cancelled. The process is ready about 2 s after it starts, but a host's
     * restart delay (Docker's restart policy, Render's) comes on top, so it is in time after a quick restart only.
     * With several instances too: one that is another's, on its way, goes twice, the same answer (harmless). A store
     * that cannot read them does not stop the start: the answers are lost, as before they were kept.
     */
    private static void sendKeptAnswers(Shop shop) {
        try {
            shop.outbox().sendKeptAnswers();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the pre-checkout answers a previous run kept could not be read: "
                    + "not sent", e);
        }
    }

    /** Before the first send: a reply of the previous run cut off mid-send goes first, not minutes later. */
    private static void releasePreviousLeases(Shop shop) {
        int released;
        try {
            // due on the clock the sender claims by (the shop's pacing clock), whatever the business clock says
            released = shop.stores().pendingReplies().releaseAll(shop.sender().pacingClock().instant());
        } catch (UnsupportedOperationException e) {
            throw new IllegalStateException("ShopWork.start(shop, Instances.ONE) ends the previous run's reply "
                    + "leases, but the shop's PendingReplies cannot: implement PendingReplies.releaseAll, or start "
                    + "with Instances.SEVERAL (a chat cut off mid-send then waits out ReplySender.LEASE)", e);
        }
        if (released > 0) {
            LOG.log(System.Logger.Level.INFO, "{0} chat(s) had a reply on the wire when the shop last stopped: "
                    + "sending again", released);
        }
    }

    private void schedule() {
        every(replies, settings.repliesEvery());
        every(jobs, settings.jobsEvery());
        every(broadcasts, settings.broadcastsEvery());
        // scheduled from core's list, a task a later core adds runs without a change here
        for (Upkeep.Task task : shop.upkeep().tasks()) {
            every(new WorkTask(task.name(), task.run(), scheduler), task.every());
        }
    }

    @SuppressWarnings("FutureReturnValueIgnored") // WorkTask.run catches what a run throws: none ends unseen there
    private void every(WorkTask task, Duration period) {
        // a fixed delay (not rate): a slow run is never followed by a pile of late ones
        scheduler.scheduleWithFixedDelay(task, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Replies were queued by another process on the same stores: send them now, not at the next tick. Those queued
     * through this shop need no call. Cheap, never blocks, harmless after {@link #close()}.
     */
    public void repliesQueued() {
        replies.soon();
    }

    /**
     * Jobs were created, or a job's status should be read again, by another process on the same stores: look at the
     * jobs now. Those created through this shop need no call. Cheap, never blocks, harmless after {@link #close()}.
     */
    public void jobsMoved() {
        jobs.soon();
    }

    /**
     * A broadcast was queued by another process on the same stores: its first batch goes now, not at the next idle
     * look ({@link Settings#broadcastsIdleEvery()}). Those queued through this shop need no call. Cheap, never blocks,
     * harmless after {@link #close()}.
     */
    public void broadcastsQueued() {
        parts.broadcastsQueued(); // before the wake-up: its run, or a tick's, must look
        broadcasts.soon();
    }


    /**
     * Sends due replies until none is due, at most {@link Settings#repliesPerRun()}.
     *
     * @return whether it sent any, and how long until the next chat waiting for its turn falls due (a run is timed
     *         for it), empty when none waits; zero when the run stopped at its limit with replies still due
     */
    private WorkTask.RunOutcome deliverReplies() {
        for (int i = 0; i < settings.repliesPerRun(); i++) {
            if (shop.sender().sendNext() instanceof SendAttempt.NothingDue idle) {
                return new WorkTask.RunOutcome(i > 0, idle.untilNextDue());
            }
        }
        // the rest of a busy outbox goes in the next run, not in this thread's
        return new WorkTask.RunOutcome(true, Optional.of(Duration.ZERO));
    }

    /**
     * Passes of the job worker ({@link Parts#advanceJobs()}), then when the earliest active job may be looked at again.
     *
     * @return whether it took any job, and how long until then on the shop's clock (the one the worker leases by;
     *         zero or less when jobs are due still), empty when no job is active
     */
    private WorkTask.RunOutcome advanceJobs() {
        int taken = parts.advanceJobs();
        Optional<Instant> next = shop.stores().jobs().nextCheckAt();
        return new WorkTask.RunOutcome(taken > 0, next.map(at -> Duration.between(shop.clock().instant(), at)));
    }

    /**
     * Stops after the work in hand, in this order: the broadcast finishes the message being sent and gives the rest
     * of its batch back; no new run starts, and the runs in progress finish their step (a job's, a reply on the
     * wire), interrupted after {@link Settings#stopGrace()} and then given up to 5 s more to end their step; then the
     * replies that went out but whose settle failed are settled, so that the next start does not send them again. Replies and jobs still queued stay in the stores
     * for the next start. The calls to the chat platform that follow committed updates on the shop's own threads (see
     * {@code Shop.Builder.answers}: button answers, an admin's Stars refund) get {@link Settings#stopGrace()} too. The stores' database must still be up: close it after this. A second call does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        shop.outbox().signals().hangUp();
        parts.stopBroadcasts();
        scheduler.shutdown(); // cancels the periodic tasks and refuses wake-ups; the runs in progress go on
        // a timed run may be seconds away: the stop does not wait for it (what it would do waits in the stores)
        replies.cancelTimedRun();
        jobs.cancelTimedRun();
        try {
            if (!scheduler.awaitTermination(settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "the shop's work did not stop within {0}; interrupting it",
                        settings.stopGrace());
                scheduler.shutdownNow();
                if (!scheduler.awaitTermination(INTERRUPTED_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, "the shop's work still runs {0} after it was interrupted: "
                            + "what it writes once the database is closed is lost", INTERRUPTED_GRACE);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            scheduler.shutdownNow();
        }
        // the calls after the last updates' commits (answers, an admin's Stars refund, which writes Telegram's
        // answer): the database is still up for them
        shop.ownPools().ifPresent(pools -> pools.close(settings.stopGrace()));
        // the sent pre-checkout answers' rows, forgotten on a thread of their own: left, the next start would log
        // them as not known to have been sent
        shop.outbox().forgets().awaitHandedOver(settings.stopGrace());
        int unsettled = shop.sender().settleLeftOvers();
        if (unsettled > 0) {
            LOG.log(System.Logger.Level.WARNING, "{0} sent replies left unsettled at the stop; they may go again "
                    + "after the next start", unsettled);
        }
    }
}
