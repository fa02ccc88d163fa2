package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.ProviderException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;

/**
 * What a shop must run on a timer besides answering updates, delivering replies and moving jobs: money held for jobs
 * that will never finish goes back, card / SBP requests nobody confirmed expire, the tables that only grow are
 * cut back, and the admins are told when replies stop leaving or generations stop being checked, and (when the shop
 * was given a threshold) when the provider's balance runs low. Left out, nothing fails loudly: users' money stays
 * held and the database grows. {@link #tasks()} lists
 * each with how often to run it; the runners and the console example schedule exactly these, each on a thread that
 * catches its failures (a periodic task that throws is never run again).
 */
public final class Upkeep {
    /** Expired holds voided and unconfirmed requests expired this often: a minute is late enough for nobody. */
    public static final Duration EXPIRIES_EVERY = Duration.ofMinutes(1);
    /** Stuck replies and late generations looked for this often ({@code Backlogs}): a minute late is nothing. */
    public static final Duration BACKLOGS_EVERY = Duration.ofMinutes(1);
    /**
     * The provider's balance read this often when the shop watches it ({@code Shop.Builder.lowCredits}): one cheap
     * call, and ten minutes of orders spend little of a balance worth warning about.
     */
    public static final Duration CREDITS_EVERY = Duration.ofMinutes(10);
    /**
     * Low credits are told at most this often, by all instances together: a reminder a few times a day until they are
     * topped up, not one every ten minutes.
     */
    public static final Duration CREDITS_ALERT_EVERY = Duration.ofHours(6);
    /**
     * The name of the task that reads the provider's balance, among {@link #tasks()} only when the shop watches it: a
     * runner that shows the balance on its own (a gauge) reads it itself only when the shop does not.
     */
    public static final String CREDITS_TASK = "credits";
    /**
     * Handled updates, old audit events, free-use counts, finished broadcasts' recipients, closed card requests'
     * admin notices and the outbox's old dead letters purged this often.
     */
    public static final Duration CLEANUP_EVERY = Duration.ofHours(1);
    /** Handled updates are remembered this long against a platform's re-delivery. */
    public static final Duration UPDATE_RETENTION = Duration.ofDays(7);
    /**
     * Handled updates forgotten per pass (one bounded statement); a full pass is followed by another, at most 10 a run:
     * an hour of 100,000 updates a day is 4,200, and a backlog (the first run after a long stop) is caught up over
     * the next runs rather than in one statement holding a week of rows.
     */
    public static final int UPDATES_PER_PASS_MAX = 5_000;
    /** Audit events are kept this long ({@code /find} reads them); the ledger and the jobs are never purged. */
    public static final Duration EVENT_RETENTION = Duration.ofDays(30);
    /**
     * A finished broadcast's recipients (a row per user it went to) are kept this long by default
     * ({@code Shop.Builder.broadcastRecipientsRetention}); its report is read from the counts kept when it finished.
     */
    public static final Duration BROADCAST_RECIPIENTS_RETENTION = Duration.ofDays(30);
    /** Recipients of finished broadcasts forgotten per pass; a full pass is followed by another, at most 10 a run. */
    public static final int BROADCAST_RECIPIENTS_PER_PASS_MAX = 5_000;
    /**
     * Admins' notices of a card / SBP request (a row per request per admin) and the outbox's tags of their messages
     * are kept this long after the request closed (decided or expired); an open one's are kept whatever its age. Once
     * closed, a request's messages are edited once more, by replies queued at the close, which read the tag when they
     * leave: a month outlasts any outbox backlog (a Telegram outage, a chat's retries) by far, and is as long as the
     * audit trail ({@link #EVENT_RETENTION}) an admin checks a request by. Nothing reads them later.
     */
    public static final Duration ADMIN_NOTICE_RETENTION = Duration.ofDays(30);
    /** Admins' notices forgotten per pass (one transaction); a full pass is followed by another, at most 10 a run. */
    public static final int ADMIN_NOTICES_PER_PASS_MAX = 500;
    /**
     * Replies the outbox moved aside unsent ({@link dev.kiebot.core.reply.PendingReplies#forgetDeadLetters}: kiebot's
     * {@code outbox_dead_letters}, a body no build read a day after it was queued) are kept this long after they were
     * moved. Each holds a reply's body as queued (a user's words quoted back, a name in an admin's notice), read by
     * the operator only, whom one ERROR and a metric tell of it the moment it is moved: he reads it, tells the user
     * what it said if it matters, and deletes it. A month leaves him time for that after a holiday, and is as long as
     * the audit trail ({@link #EVENT_RETENTION}) he reads its job and user by; past it the message is stale to its
     * user and the row is personal data nobody reads (kept for ever before).
     */
    public static final Duration DEAD_LETTER_RETENTION = Duration.ofDays(30);
    /**
     * Dead letters forgotten per pass (one bounded statement); a full pass is followed by another, at most 10 a run.
     * Each is one ERROR, so there are few: a pass of 500 clears any backlog in its first run.
     */
    public static final int DEAD_LETTERS_PER_PASS_MAX = 500;
    /**
     * Finished generations, support requests and top-up requests whose personal texts are blanked per pass when the
     * shop keeps them for a while only ({@code Shop.Builder.personalDataRetention}); a full pass is followed by
     * another, at most {@link #PERSONAL_TEXTS_PASSES_MAX} a run. Each pass is its own transaction, its rows locked
     * for its length only: 2,000 generations were 0.3 s at a year's data (kiebot's PostgreSQL, 2 shared cores).
     */
    public static final int PERSONAL_TEXTS_PER_PASS_MAX = 2_000;
    /**
     * Passes of personal texts in one run at most. Up to date, a run is one short pass (the hour's finished
     * generations); set for the first time after a year, the backlog is the year's: 1.3 million generations were
     * 5,000 an hour in passes of 500, at most 10 a run (260 hours); 500,000 an hour now, about 90 s of each hourly
     * run, so three runs.
     */
    public static final int PERSONAL_TEXTS_PASSES_MAX = 250;
    /** Free uses and welcome bonuses are counted per day; a month of them is kept for the admins' questions. */
    public static final Duration FREE_USE_RETENTION = Duration.ofDays(30);
    /** Expired holds voided per run at most; the rest wait a minute for the next. */
    public static final int HOLDS_PER_SWEEP_MAX = 100;
    /** Card / SBP requests expired per pass; a full pass is followed by another, at most 10 in one run. */
    public static final int MANUAL_EXPIRED_PER_PASS_MAX = 50;

    /**
     * One periodic task: run {@code run} every {@code every}, catching what it throws.
     *
     * @param name  what logs and thread dumps call it ({@code expiries}, {@code cleanup}, {@code backlogs},
     *              {@value #CREDITS_TASK})
     * @param every the delay from the end of one run to the start of the next
     * @param run   the work; it may throw (the database lost, say): catch and log it, and run it again at its next
     *              time, as {@link ShopWork} does (a periodic task that throws is otherwise never run again)
     */
    public record Task(String name, Duration every, Runnable run) {
    }

    /**
     * What one cleanup removed.
     *
     * @param updates  handled update ids older than {@link #UPDATE_RETENTION}
     * @param events   audit events older than {@link #EVENT_RETENTION}
     * @param freeUses free uses of days older than {@link #FREE_USE_RETENTION}
     * @param broadcastRecipients recipients of broadcasts finished longer ago than the shop's retention
     *                            ({@link #BROADCAST_RECIPIENTS_RETENTION} unless the builder was given another)
     * @param adminNotices admins' notices (and their messages' tags) of card / SBP requests closed longer ago than
     *                     {@link #ADMIN_NOTICE_RETENTION}
     * @param deadLetters  replies the outbox moved aside unsent longer ago than {@link #DEAD_LETTER_RETENTION}
     * @param personalTexts finished generations, support requests and top-up requests whose personal texts were
     *                      blanked, older than the shop's {@code personalDataRetention} (none when it keeps them)
     */
    public record Cleaned(int updates, int events, int freeUses, int broadcastRecipients, int adminNotices,
                          int deadLetters, int personalTexts) {
        /**
         * Nothing of personal texts: what a cleanup removed before they could be kept for a while only.
         *
         * @param updates             handled update ids older than {@link #UPDATE_RETENTION}
         * @param events              audit events older than {@link #EVENT_RETENTION}
         * @param freeUses            free uses of days older than {@link #FREE_USE_RETENTION}
         * @param broadcastRecipients recipients of broadcasts finished longer ago than the shop's retention
         * @param adminNotices        admins' notices of card / SBP requests closed longer ago than
         *                            {@link #ADMIN_NOTICE_RETENTION}
         * @param deadLetters         replies the outbox moved aside unsent longer ago than
         *                            {@link #DEAD_LETTER_RETENTION}
         */
        public Cleaned(int updates, int events, int freeUses, int broadcastRecipients, int adminNotices,
                       int deadLetters) {
            this(updates, events, freeUses, broadcastRecipients, adminNotices, deadLetters, 0);
        }

        /**
         * Nothing of dead letters: what a cleanup removed before the outbox's dead letters were forgotten.
         *
         * @param updates             handled update ids older than {@link #UPDATE_RETENTION}
         * @param events              audit events older than {@link #EVENT_RETENTION}
         * @param freeUses            free uses of days older than {@link #FREE_USE_RETENTION}
         * @param broadcastRecipients recipients of broadcasts finished longer ago than the shop's retention
         * @param adminNotices        admins' notices of card / SBP requests closed longer ago than
         *                            {@link #ADMIN_NOTICE_RETENTION}
         */
        public Cleaned(int updates, int events, int freeUses, int broadcastRecipients, int adminNotices) {
            this(updates, events, freeUses, broadcastRecipients, adminNotices, 0, 0);
        }

        /**
         * Nothing of admins' notices: what a cleanup removed before they were forgotten.
         *
         * @param updates             handled update ids older than {@link #UPDATE_RETENTION}
         * @param events              audit events older than {@link #EVENT_RETENTION}
         * @param freeUses            free uses of days older than {@link #FREE_USE_RETENTION}
         * @param broadcastRecipients recipients of broadcasts finished longer ago than the shop's retention
         */
        public Cleaned(int updates, int events, int freeUses, int broadcastRecipients) {
            this(updates, events, freeUses, broadcastRecipients, 0, 0, 0);
        }

        /**
         * Nothing of broadcasts: what a cleanup removed before broadcasts' recipients were forgotten.
         *
         * @param updates  handled update ids older than {@link #UPDATE_RETENTION}
         * @param events   audit events older than {@link #EVENT_RETENTION}
         * @param freeUses free uses of days older than {@link #FREE_USE_RETENTION}
         */
        public Cleaned(int updates, int events, int freeUses) {
            this(updates, events, freeUses, 0, 0, 0, 0);
        }
    }

    private static final System.Logger LOG = System.getLogger(Upkeep.class.getName());

    private final Shop shop;
    private final Clock clock;
    private final ZoneId zone;
    private final Duration broadcastRecipientsRetention;
    private final Optional<Duration> personalDataRetention;

    /**
     * @param zone                         the shop's day ({@code ShopSettings.zone()}), in which free uses and welcome
     *                                     bonuses are counted
     * @param broadcastRecipientsRetention how long after its end a broadcast keeps its recipients
     * @param personalDataRetention        how long personal texts are kept; empty: until {@code /forget}
     */
    Upkeep(Shop shop, Clock clock, ZoneId zone, Duration broadcastRecipientsRetention,
           Optional<Duration> personalDataRetention) {
        this.shop = shop;
        this.clock = clock;
        this.zone = zone;
        this.broadcastRecipientsRetention = broadcastRecipientsRetention;
        this.personalDataRetention = personalDataRetention;
    }

    /**
     * Every task the shop needs on a timer, with its period: {@code expiries}, {@code cleanup}, {@code backlogs}, and
     * {@code credits} when the shop watches its provider's balance ({@code Shop.Builder.lowCredits}).
     *
     * @return the tasks, each to be scheduled with a fixed delay of its {@link Task#every()}; unmodifiable
     */
    public List<Task> tasks() {
        List<Task> tasks = new ArrayList<>(List.of(new Task("expiries", EXPIRIES_EVERY, this::expire),
                new Task("cleanup", CLEANUP_EVERY, this::cleanup),
                new Task("backlogs", BACKLOGS_EVERY, shop.backlogs()::watch)));
        shop.lowCredits().ifPresent(low -> tasks.add(new Task(CREDITS_TASK, CREDITS_EVERY, low::watch)));
        return List.copyOf(tasks);
    }

    /**
     * Reads the provider's balance now, on the calling thread, for the admins' dashboard: {@code /admin} shows the
     * balance last read and how long ago, and never waits for the provider (it is drawn while an admin's update holds
     * a handler). The {@code credits} task reads it every {@link #CREDITS_EVERY} when the shop watches it
     * ({@code Shop.Builder.lowCredits}); a shop without the watch whose provider has a balance may call this on a
     * schedule of its own. Without either, each {@code /admin} has it read for the next one.
     *
     * @return the balance, in the provider's own units; empty when the provider has none to read
     * @throws ProviderException the read failed (the dashboard shows the last balance read, or this failure's kind)
     */
    public Optional<BigDecimal> readCredits() throws ProviderException {
        return shop.credits().read();
    }

    /**
     * Compares the machine's clock with the stores' ({@link Shop#clockSkew()}, a WARNING when they part), then voids
     * expired holds (their jobs fail with a notice; a hold the sweep keeps leaving is a WARNING once it is overdue
     * longer than {@link OverdueHolds#WARN_AFTER}: {@link Shop#overdueHolds()}), then expires unconfirmed requests, then drops the
     * pre-checkout answers kept past Telegram's window (a call that threw leaves one, useless once Telegram cancelled
     * the payment; logged as the start logs it), each step even when the one before failed.
     */
    public void expire() {
        shop.clockSkew().watch(); // the minute's look at the machine's clock against the stores' (never throws)
        try {
            shop.worker().sweepExpiredHolds(HOLDS_PER_SWEEP_MAX);
        } finally {
            try {
                expireManualTopUps();
            } finally {
                shop.outbox().dropKeptAnswersPastWindow();
            }
        }
    }

    /**
     * Card / SBP requests past their time expire and their users are told, in bounded passes (a no-op when card
     * top-ups are off).
     *
     * @return how many expired
     */
    public int expireManualTopUps() {
        return Passes.run(MANUAL_EXPIRED_PER_PASS_MAX, shop.manualTopUps()::expire);
    }

    /**
     * Forgets handled updates, audit events, free uses, finished broadcasts' recipients, admins' notices of closed
     * card / SBP requests and the outbox's dead letters past their retention, each in bounded passes where it can be
     * large, and blanks the personal texts older than the shop's {@code personalDataRetention} when it has one; the
     * ledger and jobs are kept.
     *
     * @return how many of each were removed (also logged)
     */
    public Cleaned cleanup() {
        Instant now = clock.instant();
        Instant handledBefore = now.minus(UPDATE_RETENTION);
        int updates = Passes.run(UPDATES_PER_PASS_MAX,
                n -> shop.stores().processedUpdates().purge(handledBefore, n));
        int events = shop.stores().audit().purge(now.minus(EVENT_RETENTION));
        // the days free uses and welcome bonuses are counted by are the shop's (FREE_DAY_ZONE), not UTC's: cut on one
        int freeUses = shop.stores().freeUsage().purge(now.minus(FREE_USE_RETENTION).atZone(zone).toLocalDate());
        Instant finishedBefore = now.minus(broadcastRecipientsRetention);
        int recipients = Passes.run(BROADCAST_RECIPIENTS_PER_PASS_MAX,
                n -> shop.stores().broadcasts().forgetRecipients(finishedBefore, n));
        Instant closedBefore = now.minus(ADMIN_NOTICE_RETENTION);
        int notices = Passes.run(ADMIN_NOTICES_PER_PASS_MAX, n -> shop.manualTopUps().forgetClosed(closedBefore, n));
        Instant movedBefore = now.minus(DEAD_LETTER_RETENTION);
        int deadLetters = Passes.run(DEAD_LETTERS_PER_PASS_MAX,
                n -> shop.stores().pendingReplies().forgetDeadLetters(movedBefore, n));
        int personalTexts = personalDataRetention.map(kept -> {
            Instant olderThan = now.minus(kept);
            // each pass in its own transaction: a pass is bounded, and one that fails leaves the ones before done
            return Passes.run(PERSONAL_TEXTS_PER_PASS_MAX, PERSONAL_TEXTS_PASSES_MAX, n -> shop.stores().transactions()
                    .inOne(() -> shop.stores().personalData().forgetOlder(olderThan, n)));
        }).orElse(0);
        // a pass that removed nothing is DEBUG: an idle bot wrote it every hour and at every start (review L68: the
        // only line of an idle bot's hour), and what is worth a line is what went
        boolean removed = updates + events + freeUses + recipients + notices + deadLetters + personalTexts > 0;
        LOG.log(removed ? System.Logger.Level.INFO : System.Logger.Level.DEBUG, "cleanup: {0} handled updates, {1} audit events, {2} free uses, "
                + "{3} recipients of finished broadcasts, {4} admins'' notices of closed card requests, "
                + "{5} dead letters of the outbox removed, {6} generations and requests of their personal texts blanked",
                updates, events, freeUses, recipients, notices, deadLetters, personalTexts);
        return new Cleaned(updates, events, freeUses, recipients, notices, deadLetters, personalTexts);
    }
}
