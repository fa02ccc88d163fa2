package dev.kiebot.core.intake;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.shop.ConnectionLoss;
import dev.kiebot.core.shop.Contention;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Transactions;
import dev.kiebot.core.shop.Upkeep;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The way in for a partner's updates: each update id is recorded once before it is handled, so a platform's
 * re-delivery (Telegram sends an update again when it missed the answer to a webhook call, or polling did not confirm
 * its offset) is dropped instead of being handled a second time; then each is claimed, handled and marked done in ONE
 * transaction, and one whose handling fails is answered with one apology, unless the failure was not its own.
 * {@code Storefront.serve} would handle an update twice: it handles whatever it is given.
 *
 * <p>The record is the shop's {@link ProcessedUpdates} (in PostgreSQL with adapters-postgres' {@code PgProcessedUpdates},
 * in your database if you write the stores, proved by core-testing's {@code QueuesContract}); never in memory, or after
 * a restart a re-delivery would be new again. kiebot's runtime does the same in {@code UpdateInbox} (the door) and
 * {@code UpdateDispatcher} (the handler threads, which add metrics and wake-ups): its loop is this one, built from
 * {@link Parts} with a {@link Watch} of its own ({@link #Inbox(Parts, Watch)}), so the rules below are written once.
 *
 * <p>What a failed handling leads to (it was rolled back whole, nothing of it kept):
 * <ul>
 *   <li>a lost database connection ({@link ConnectionLoss}): thrown, the update left pending, handled again from the
 *       same state once the database answers (an apology would give it up: a Stars payment's would be kept as not
 *       credited, for an admin's refund);</li>
 *   <li>a deadlock or serialization failure past your {@link Transactions}' own retries ({@link Contention}): another
 *       transaction's timing, so thrown, the update left pending, {@link #CONTENDED_TRIES_MAX} times in a row and
 *       until {@link #CONTENDED_FOR_MIN} has passed since the first (a burst of lock conflicts could spend its tries
 *       within a second); then given up (one that always meets it would hold its chat for good);</li>
 *   <li>an {@code Error}: thrown, the update left pending, as it may be the process's (memory short for a moment),
 *       {@link #ERROR_TRIES_MAX} times in a row; then it is the update's, given up. A {@code StackOverflowError} is the
 *       update's at once (too deep to handle): given up;</li>
 *   <li>anything else (a bug, bad data): given up. An update your {@code translate} cannot read (it throws) is given
 *       up with no apology: there is nobody to address one to.</li>
 * </ul>
 * Given up: answered with the storefront's apology and marked done, in a transaction of their own, after claiming the
 * update again ({@link ProcessedUpdates#reclaim}): the rollback freed its chat, so another handler may have handled it
 * meanwhile, and the user gets one answer. The counts in a row are kept in this object, bounded
 * ({@link FailuresInARow}, {@link #TRACKED_MAX} updates of each kind), forgotten once an update is handled or given
 * up: make one {@code Inbox} per process and share it among your handler threads ({@link #start} starts them). After a
 * restart an update is tried the full count again.
 *
 * <!-- snippet: statements (compiled by the architecture module's PartnerSnippetsTest)
 * Shop shop; long updateId; long chatId; String raw;
 * abstract Optional<Incoming> yourTranslation(String payload);
 * -->
 * <pre>{@code
 * Inbox inbox = new Inbox(shop, pending -> yourTranslation(pending.payload()));  // one per process
 * InboxThreads handlers = inbox.start(4, InboxThreads.SAFETY_TICK);             // after ShopWork.start
 * inbox.record(updateId, chatId, raw);                // your door, for every update: record, then answer
 * handlers.close();                                   // after the door stops, before ShopWork.close()
 * }</pre>
 *
 * <p>Watch it from your metrics: {@link ProcessedUpdates#oldestPending()} says when the oldest update not handled yet
 * came in (kiebot's gauge {@code kiebot_inbox_oldest_pending_seconds}); one that grows is an inbox stuck behind an
 * update that keeps failing, or handler threads that stopped.
 */
public final class Inbox {
    private static final System.Logger LOG = System.getLogger(Inbox.class.getName());
    /**
     * Failed tries in a row of an update whose transaction met a deadlock (or a serialization failure) past its own
     * retries each time, left pending before it is given up at the next, once {@link #CONTENDED_FOR_MIN} has passed
     * too. kiebot's runtime's {@code UpdateDispatcher} gives up by these two ({@link FailuresInARow.Tries#spent}).
     */
    public static final int CONTENDED_TRIES_MAX = 10;
    /**
     * The least time from a contended update's first failed try to the one it is given up at: such an update is
     * claimed again at once (no pause), so its tries alone could all be spent within one burst of lock conflicts, and
     * a Stars payment given up (kept as not credited, for an admin's refund).
     */
    public static final Duration CONTENDED_FOR_MIN = Duration.ofSeconds(30);
    /**
     * Failed tries in a row of an update whose handling threw an {@code Error} (not an exception), left pending before
     * it is given up at the next: one that comes back on the same update is the update's (a library that throws
     * {@code InternalError} on its data), and thrown on for ever it stayed first in the inbox and failed every
     * {@link #handleWaiting}. Given up at the next try however soon it comes (the failing call is thrown on, so the
     * caller pauses). kiebot's runtime's {@code UpdateDispatcher}: the same.
     */
    public static final int ERROR_TRIES_MAX = 3;
    /**
     * Failed give-ups in a row of an update whose handling failed and whose apology's transaction failed too (other
     * than by a lost connection), left pending before it is marked done with no answer at the next: an apology that
     * keeps failing (a store refusing the chat's writes) left it first in the inbox for ever, claimed ahead of every
     * other chat's update. Given up only once {@link #CONTENDED_FOR_MIN} has passed since the first too: a store
     * problem of a moment (a statement or lock timeout) that fails a Stars payment's handling fails its apology too
     * (which keeps the payment as not credited), and given up within that moment the payment was neither credited nor
     * kept. kiebot's runtime's {@code UpdateDispatcher}: the same.
     */
    public static final int APOLOGY_TRIES_MAX = 3;
    /**
     * The audit action of an update given up with no answer ({@code markGivenUp}), under its code {@code upd_<id>}
     * (what {@code /find upd_<id>} shows). Its detail: the user's id, then, for a Stars payment, its charge id, its
     * amount in Stars and its currency, separated by spaces ({@code 42 ch-1 50 XTR}).
     */
    public static final String GIVEN_UP = "update.given_up";
    /**
     * The audit action of a Stars payment given up, kept without the admins' alert, on a shop that keeps no Stars
     * payments ({@code Payments.none()}), under {@code pay:<charge id>} (what {@code /find <charge id>} shows): the only
     * trace of the charge but the {@link #GIVEN_UP} line, as no store keeps it and no alert was queued. Not
     * {@code payment.anomaly}, which says the admins were told, so that the same charge come again still tells them.
     * Its detail: the user's id, the amount in Stars and its currency, and the update ({@code 42 50 XTR; update 7}).
     */
    public static final String GIVEN_UP_KEPT_NOWHERE = "payment.given_up_kept_nowhere";
    /** Updates whose failures in a row are counted at once, per kind: those still failing, a few at most. */
    public static final int TRACKED_MAX = 256;
    /**
     * How long an update may keep failing with a class 53 SQLState (insufficient resources: a full disk, no memory, a
     * configuration limit) before the inbox logs an ERROR for it, once. Such an update is left pending and tried again
     * without limit ({@link ConnectionLoss}), rightly while the database is short for everyone; but an update that
     * itself is what the database cannot take (a statement that runs it out of memory or locks) would hold its chat for
     * good with only the outage's one warning. An hour is far past a full disk noticed and freed by an operator who
     * saw that warning.
     */
    public static final Duration SHORT_OF_RESOURCES_TOLD_AFTER = Duration.ofHours(1);

    private final Parts parts;
    private final Watch watch;
    private final ProcessedUpdates updates;
    private final Transactions transactions;
    private final Function<PendingUpdate, Optional<Incoming>> translate;
    private final Clock clock;
    /** Contended tries in a row: counted apart from the Errors, so that the two do not add up to a give-up. */
    private final FailuresInARow contended = new FailuresInARow(TRACKED_MAX);
    private final FailuresInARow errors = new FailuresInARow(TRACKED_MAX);
    private final FailuresInARow apologies = new FailuresInARow(TRACKED_MAX);
    /** Tries in a row cut off by a class 53 SQLState ({@link #SHORT_OF_RESOURCES_TOLD_AFTER}). */
    private final FailuresInARow shortOfResources = new FailuresInARow(TRACKED_MAX);
    /** Updates already told of ({@link #SHORT_OF_RESOURCES_TOLD_AFTER}), until handled; bounded as the counts are. */
    private final Set<Long> toldShortOfResources = ConcurrentHashMap.newKeySet();
    /** The handler threads {@link #start}ed and not closed: a new update wakes them. */
    private final List<InboxThreads> started = new CopyOnWriteArrayList<>();

    /**
     * An inbox handing the updates recorded in the shop's stores to its storefront, each translated first.
     *
     * @param shop      the shop whose {@code stores()} keep the updates and whose storefront handles them
     * @param translate your platform's update (as recorded) in core's terms; empty for one the shop has nothing to do
     *                  with, which is then marked done. One whose {@code receivedAt} it leaves empty is taken as
     *                  received when it was recorded ({@link PendingUpdate#recordedAt}), as the runtime's are: answers
     *                  to button presses older than the platform's window are skipped, not sent late. One whose
     *                  actor is in another chat than {@link #record}'s {@code chatId} is handled in the recorded
     *                  chat's turn and answered in the actor's, with a WARNING naming both (masked), once per pair
     *                  of chats and for a few pairs at most
     */
    public Inbox(Shop shop, Function<PendingUpdate, Optional<Incoming>> translate) {
        this(Parts.of(Objects.requireNonNull(shop, "new Inbox: shop, the one Shop.builder()...build() made (its "
                        + "stores keep the updates), never null"),
                // an update answered in another chat than the one it was recorded under is warned of, once a pair
                TranslatedChat.checked(Objects.requireNonNull(translate, "new Inbox: translate, your platform's "
                        + "update in core's terms (pending -> Optional.of(new Incoming(...)), Optional.empty() for "
                        + "one the shop has nothing to do with), never null"))), new Watch() { });
    }

    /**
     * The same loop over parts of your choosing, watched your way: for a runner that brings its own handler threads
     * (it calls {@link #handleOne} from them), wraps the storefront's calls (metrics, say) and keeps its own log.
     * kiebot's runtime's {@code UpdateDispatcher} is one. Share one among your handler threads, as the other.
     *
     * @param parts what the loop claims, handles, answers and gives up with
     * @param watch what the loop tells you, and how a contended update is left ({@link Watch#pauseAfterContention})
     */
    public Inbox(Parts parts, Watch watch) {
        this.parts = Objects.requireNonNull(parts, "parts: Inbox.Parts.of(shop, translate), or your own");
        this.watch = Objects.requireNonNull(watch, "watch: new Inbox.Watch() { } for core's log");
        this.updates = parts.updates();
        this.transactions = parts.transactions();
        this.translate = parts.translate();
        this.clock = parts.clock();
    }

    /**
     * What an {@link Inbox} works with: the shop's stores and clock, your translation, and the storefront's three
     * calls, which you may wrap (a timer around {@code handle}, say) but not replace by other work: {@code handle}
     * runs inside the claim's transaction, {@code apologize} and {@code givenUp} inside the give-up's.
     *
     * @param updates      the shop's inbox ({@code stores().processedUpdates()})
     * @param transactions the shop's transactions
     * @param audit        the shop's audit trail: an update given up with no answer is recorded there
     *                     ({@code Inbox.markGivenUp})
     * @param clock        the shop's clock
     * @param translate    as {@link Inbox#Inbox(Shop, Function)}'s
     * @param handle       the storefront's {@code handle}
     * @param apologize    the storefront's {@code apologize}
     * @param givenUp      the storefront's {@code givenUp}: the update and whether to alert the admins
     *                     ({@code Inbox.markGivenUp} tries with, then without)
     */
    public record Parts(ProcessedUpdates updates, Transactions transactions, Audit audit, Clock clock,
                        Function<PendingUpdate, Optional<Incoming>> translate, Consumer<Incoming> handle,
                        Consumer<Incoming> apologize, BiConsumer<Incoming, Boolean> givenUp) {
        /**
         * Checks that every part is there.
         *
         * @param updates      never null
         * @param transactions never null
         * @param audit        never null
         * @param clock        never null
         * @param translate    never null
         * @param handle       never null
         * @param apologize    never null
         * @param givenUp      never null
         * @throws NullPointerException for a part missing, naming it
         */
        public Parts {
            Objects.requireNonNull(updates, "updates");
            Objects.requireNonNull(transactions, "transactions");
            Objects.requireNonNull(audit, "audit");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(translate, "translate: your platform's update in core's terms");
            Objects.requireNonNull(handle, "handle: the storefront's");
            Objects.requireNonNull(apologize, "apologize: the storefront's");
            Objects.requireNonNull(givenUp, "givenUp: the storefront's");
        }

        /**
         * The shop's stores, clock and storefront as they are, with your translation.
         *
         * @param shop      the shop whose stores keep the updates and whose storefront handles them
         * @param translate as {@link Inbox#Inbox(Shop, Function)}'s
         * @return the parts {@link Inbox#Inbox(Shop, Function)} works with
         */
        public static Parts of(Shop shop, Function<PendingUpdate, Optional<Incoming>> translate) {
            Objects.requireNonNull(shop, "shop");
            return new Parts(shop.stores().processedUpdates(), shop.stores().transactions(), shop.stores().audit(),
                    shop.clock(), translate, in -> shop.storefront().handle(in), in -> shop.storefront().apologize(in),
                    (in, alertAdmins) -> shop.storefront().givenUp(in, alertAdmins));
        }
    }

    /**
     * What the loop tells as it goes, for a runner's log and context; each default is what {@link Inbox#Inbox(Shop,
     * Function)} does (core's log, through {@code System.Logger}). Called on the handler's thread, cheap: nothing
     * here may touch the stores (the happy path asks the database nothing more than the claim, the handling and the
     * done mark). A watch that throws fails the update in hand as its handling would. Each default is sound for a
     * watch of yours that leaves it out: a watch only tells (and picks how a contended update is left, counted and
     * given up alike either way); the loop's tries, rollbacks and give-ups are the same.
     */
    public interface Watch {
        /**
         * An update was claimed, its handling about to begin, inside the claim's transaction (again if your
         * {@link Transactions} runs it again): put its code in your log's context, say.
         *
         * @param update the update claimed
         */
        default void claimed(PendingUpdate update) {
        }

        /** {@link Inbox#handleOne} ends, returning or throwing, whatever was claimed: clear what {@link #claimed} set. */
        default void finished() {
        }

        /**
         * Whether an update whose transaction met contention, left pending for a later try, is thrown, so the caller
         * pauses before its next call (true, the default: {@link InboxThreads} pause), or counted as one handled and
         * claimed again at the next call (false: a loop whose throw means "the database is away", backing off and
         * logging an outage, when the database answers and the update is free at once). Either way its tries are
         * counted, and it is given up only after {@link #CONTENDED_TRIES_MAX} and {@link #CONTENDED_FOR_MIN}.
         *
         * @return true to throw it (the default), false to count it as handled
         */
        default boolean pauseAfterContention() {
            return true;
        }

        /**
         * A failed try of the update (its handling contended or threw an {@code Error}, or its apology failed),
         * rolled back, to be tried again.
         *
         * @param updateId the update's id
         * @param failure  what failed the try: its message may quote the update
         * @param count    its failed tries of that kind in a row, this one among them
         * @param triesMax the tries of that kind before it is given up
         */
        default void leftPending(long updateId, Throwable failure, int count, int triesMax) {
            LOG.log(System.Logger.Level.WARNING, "upd_" + updateId + ": handling failed; rolled back, to be tried "
                    + "again (" + count + " of " + triesMax + ")");
        }

        /**
         * The update's handling failed (rolled back) and it is given up: its apology comes next.
         *
         * @param update  the update given up
         * @param failure what failed its handling: its message may quote the update
         */
        default void givingUp(PendingUpdate update, Throwable failure) {
            if (failure instanceof Error && !(failure instanceof StackOverflowError)) {
                LOG.log(System.Logger.Level.ERROR, "upd_" + update.updateId() + ": handling threw an Error "
                        + (ERROR_TRIES_MAX + 1) + " times in a row; rolled back, given up", failure);
            } else {
                LOG.log(System.Logger.Level.ERROR, "upd_" + update.updateId() + ": handling failed; rolled back",
                        failure);
            }
        }

        /**
         * Its apology failed past its tries: it is marked done with no answer next ({@code Inbox.markGivenUp}).
         *
         * @param update         the update given up
         * @param apologyFailure what failed its apology's last try
         */
        default void givenUpWithoutAnswer(PendingUpdate update, Throwable apologyFailure) {
            LOG.log(System.Logger.Level.ERROR, "upd_" + update.updateId() + " (chat " + Actor.mask(update.chatId())
                    + "): its apology failed more than " + APOLOGY_TRIES_MAX + " times in a row, for "
                    + CONTENDED_FOR_MIN.toSeconds() + " s or more (" + apologyFailure.getClass().getName()
                    + "); given up without an answer, marked done");
        }

        /**
         * The give-up committed.
         *
         * @param update     the update given up
         * @param apologized empty when another handler finished the update after the rollback (no apology); else
         *                   whether an apology was queued (none for an update your translation cannot read, or finds
         *                   nothing for the shop in)
         */
        default void gaveUp(PendingUpdate update, Optional<Boolean> apologized) {
        }
    }

    /**
     * The platform's door (webhook or long polling): keeps the update durably. Answer the platform only after this
     * returns (Telegram: the webhook's 200, the next poll's offset), so that an update not kept comes again.
     *
     * @param updateId  the platform's id of the update, unique across the bot, not per chat or per user (Telegram's
     *                  are): an id recorded before, for any chat, is a re-delivery, dropped and never answered. A
     *                  platform whose ids count per conversation maps them to ids of its own first (see
     *                  {@link Incoming#updateId()})
     * @param chatId    its chat: a chat's updates are handled one at a time, in order; the chat its translation's
     *                  actor is in, where it is answered
     * @param rawUpdate the update as the platform sent it, never null, handed to {@code translate} when it is handled
     *                  with a NUL (raw, or JSON's {@code \u0000}) read as U+FFFD ({@link ArrivedUpdate#withoutNul}):
     *                  PostgreSQL text cannot hold one
     * @return false for an update id recorded before: a re-delivery, to drop
     * @throws NullPointerException for a null {@code rawUpdate}, saying what to give
     * @see #record(long, long, String, Instant) the door for an update carrying its own date, which refuses one dated
     *      before the replay horizon
     */
    public boolean record(long updateId, long chatId, String rawUpdate) {
        Objects.requireNonNull(rawUpdate, "Inbox.record: rawUpdate, the update as your platform sent it (its JSON, "
                + "say), never null");
        return kept(updateId, chatId, rawUpdate);
    }

    /**
     * The platform's door for an update that carries its own date (Telegram: a message's {@code date}, an edit's
     * {@code edit_date}, a membership change's {@code date}): as {@link #record(long, long, String)}, but one dated
     * before the replay horizon ({@link ReplayHorizon}, by the shop's clock) is refused: not recorded, never handled,
     * told in one WARNING naming it and its chat masked. The store forgets a handled update's id after
     * {@code Upkeep.UPDATE_RETENTION}, and a captured update posted again after that was new again, handled a second
     * time. Kinds without a date of their own (a button press, a pre-checkout) go through the three-argument form.
     *
     * @param updateId  the platform's id of the update, as {@link #record(long, long, String)} takes it
     * @param chatId    its chat, as {@link #record(long, long, String)} takes it
     * @param rawUpdate the update as the platform sent it, never null
     * @param sentAt    the update's own date, never null
     * @return false for an update id recorded before (a re-delivery) or an update dated before the horizon: to drop,
     *         answered to the platform as accepted (a refusal only makes it send the update again)
     * @throws NullPointerException for a null {@code rawUpdate} or {@code sentAt}, saying what to give
     */
    public boolean record(long updateId, long chatId, String rawUpdate, Instant sentAt) {
        Objects.requireNonNull(rawUpdate, "Inbox.record: rawUpdate, the update as your platform sent it (its JSON, "
                + "say), never null");
        Objects.requireNonNull(sentAt, "Inbox.record: sentAt, the update's own date, never null; for a kind without "
                + "one call record(updateId, chatId, rawUpdate)");
        Instant now = clock.instant();
        if (ReplayHorizon.refuses(sentAt, now)) {
            LOG.log(System.Logger.Level.WARNING, "upd_" + updateId + " refused, not recorded: dated " + sentAt + ", "
                    + Duration.between(sentAt, now).toDays() + " days before it came, past the replay horizon ("
                    + ReplayHorizon.AGE.toDays() + " days: the inbox forgets handled ids after "
                    + Upkeep.UPDATE_RETENTION.toDays() + "; chat " + Actor.mask(chatId) + "). A captured update "
                    + "posted again (whoever posted it holds your door's secret), or this machine's clock is days "
                    + "ahead");
            return false;
        }
        return kept(updateId, chatId, rawUpdate);
    }

    private boolean kept(long updateId, long chatId, String rawUpdate) {
        boolean recorded = updates.record(updateId, chatId, ArrivedUpdate.withoutNul(rawUpdate), clock.instant());
        if (recorded) {
            started.forEach(InboxThreads::wake);
        }
        return recorded;
    }

    /**
     * Starts handler threads that handle what waits now, then each update {@link #record} keeps, and try again after
     * a pause an update whose handling failed and was left pending (a lost connection, a deadlock, an {@code Error}),
     * with no new update needed: your door then only records. Start them after {@code ShopWork}, close them before
     * it. Several processes on the same stores: call {@link InboxThreads#wake()} when another one recorded
     * (adapters-postgres: {@code PgNotifications} on {@code PgProcessedUpdates.CHANNEL}), or its updates wait for
     * the tick.
     *
     * @param threads    1 to {@value InboxThreads#THREADS_MAX}: updates of that many chats handled at once
     * @param safetyTick how often an idle thread looks on its own, for what no wake-up announced:
     *                   {@link InboxThreads#SAFETY_TICK} (5 s), or longer; {@link InboxThreads#TICK_MIN} (100 ms)
     *                   to {@link InboxThreads#TICK_MAX} (a day)
     * @return the threads, running; close them to stop
     * @throws IllegalArgumentException for threads or a tick out of range (a tick below {@link InboxThreads#TICK_MIN}
     *                                  among them)
     */
    public InboxThreads start(int threads, Duration safetyTick) {
        InboxThreads handlers = new InboxThreads(this, threads, safetyTick);
        started.add(handlers);
        handlers.startThreads();
        return handlers;
    }

    /** The threads were closed: no longer woken. */
    void stopped(InboxThreads handlers) {
        started.remove(handlers);
    }

    /**
     * Handles the recorded updates until none is waiting, each as {@link #handleOne} does. A console calls it right
     * after recording; a real door only records, and the threads of {@link #start} handle: {@code claimNext} gives
     * each thread another chat, and a chat's updates one at a time, in order. Called from threads of your own, call
     * it at start too, and again after a pause when it threw: nothing else tries a pending update again.
     *
     * @return how many were handled (or given up)
     * @throws RuntimeException as {@link #handleOne}: the update in hand stays pending; call again after a pause
     * @throws Error            as {@link #handleOne}: a handler thread of yours catches it too, or it dies with it
     */
    public int handleWaiting() {
        int handled = 0;
        while (handleOne()) {
            handled++;
        }
        return handled;
    }

    /**
     * One update, all-or-nothing: claimed, handled and marked done in ONE transaction (the chat's new state, the money,
     * the queued replies and the done mark commit together or not at all), or, after a failure, given up or left
     * pending as the class says.
     *
     * @return false if none was waiting
     * @throws RuntimeException when the database could not be reached or its connection was lost
     *                          ({@link ConnectionLoss#in} is true), or the update's transaction kept meeting a deadlock
     *                          ({@link Contention#in}, {@link #CONTENDED_TRIES_MAX} times in a row or fewer, or less
     *                          than {@link #CONTENDED_FOR_MIN} from the first; returned as one handled instead
     *                          when the {@link Watch#pauseAfterContention} says not to pause): the update
     *                          stays pending; or when the apology could not be stored either, up to
     *                          {@link #APOLOGY_TRIES_MAX} times in a row or less than {@link #CONTENDED_FOR_MIN}
     *                          from the first (then the update is marked done with no answer), or even that done mark could not be: the update stays pending
     * @throws Error            what handling the update threw, other than a {@code StackOverflowError}: the update
     *                          stays pending, up to {@link #ERROR_TRIES_MAX} times in a row
     */
    public boolean handleOne() {
        try {
            return claimAndHandle();
        } finally {
            watch.finished();
        }
    }

    private boolean claimAndHandle() {
        AtomicReference<PendingUpdate> claimed = new AtomicReference<>(); // the update, for the apology below
        boolean handled;
        try {
            // claimNext holds the update's chat until the commit (or the rollback)
            handled = transactions.inOne(() -> updates.claimNext().map(u -> {
                claimed.set(u);
                watch.claimed(u);
                translated(u, translate).ifPresent(parts.handle());
                updates.done(u.updateId(), clock.instant()); // commits with the handling, or neither does
                return true;
            }).orElse(false));
        } catch (RuntimeException | StackOverflowError e) {
            // a stack overflow is this update's (too deep to handle), not the process's: given up like a bug's
            // exception, or, rolled back, it would stay first in its chat for good and fail every handleWaiting
            PendingUpdate u = claimed.get();
            if (u == null || ConnectionLoss.in(e)) {
                // before any claim (the database away, say), or rolled back with the session: nothing changed, the
                // update is handled again from the same state once the database answers
                if (u != null) {
                    tellWhenShortOfResourcesLong(u.updateId(), e);
                }
                throw e;
            }
            if (Contention.in(e) && leftForLater(contended, u.updateId(), e, CONTENDED_TRIES_MAX,
                    CONTENDED_FOR_MIN)) {
                // another transaction's timing, not the update's fault: the next claim handles it (an apology would
                // keep a Stars payment not credited); bounded, so one that always meets it does not hold its chat.
                // Thrown so that the caller pauses, or, for a watch that says not to, claimed again at the next call
                if (watch.pauseAfterContention()) {
                    throw e;
                }
                return true;
            }
            watch.givingUp(u, e);
            giveUp(u);
            return true;
        } catch (Error e) {
            PendingUpdate u = claimed.get();
            if (u == null || leftForLater(errors, u.updateId(), e, ERROR_TRIES_MAX, Duration.ZERO)) {
                throw e; // maybe the process's: the update stays pending, for the next call
            }
            watch.givingUp(u, e);
            giveUp(u);
            return true;
        }
        if (handled) {
            forget(claimed.get().updateId()); // after the commit: its earlier failures no longer count
        }
        return handled;
    }

    /**
     * Counts a failed try of the update in {@code tries}.
     *
     * @return true to leave it pending for a later try; false once its tries are spent
     *         ({@link FailuresInARow.Tries#spent}), to be given up
     */
    private boolean leftForLater(FailuresInARow tries, long updateId, Throwable failure, int triesMax,
                                 Duration forMin) {
        FailuresInARow.Tries inARow = tries.count(updateId, clock.instant());
        if (inARow.spent(triesMax, forMin)) {
            return false;
        }
        watch.leftPending(updateId, failure, inARow.count(), triesMax);
        return true;
    }

    /**
     * The handling was rolled back: answer the update with an apology and mark it done, in a transaction of their own,
     * or the chat stays stuck behind it. The rollback freed its chat, so another handler may have claimed it meanwhile:
     * {@code reclaim} waits for that one, and is empty when it handled the update (or apologized) already, so the user
     * gets one answer. When the database itself is away this throws too and the update waits, its counts kept, for a
     * later try. When the apology's transaction fails otherwise, that is a failure of the update, thrown (the caller
     * pauses) {@link #APOLOGY_TRIES_MAX} times in a row and until {@link #CONTENDED_FOR_MIN} has passed since the
     * first; then the update is marked done with no answer ({@code markGivenUp}), or it stayed first in the inbox
     * for ever. If even that cannot be written, it is thrown: the update stays pending and the caller pauses before
     * its next call.
     */
    private void giveUp(PendingUpdate failed) {
        Optional<Boolean> apologized;
        try {
            apologized = transactions.inOne(() -> updates.reclaim(failed.updateId()).map(still -> {
                Optional<Incoming> in = toApologizeFor(still, translate);
                in.ifPresent(parts.apologize());
                updates.done(still.updateId(), clock.instant());
                return in.isPresent();
            }));
        } catch (RuntimeException | Error e) {
            if (ConnectionLoss.in(e) || leftForLater(apologies, failed.updateId(), e, APOLOGY_TRIES_MAX,
                    CONTENDED_FOR_MIN)) {
                throw e;
            }
            watch.givenUpWithoutAnswer(failed, e);
            markGivenUp(transactions, updates, parts.audit(), parts.givenUp(), failed, translate, clock.instant());
            forget(failed.updateId());
            return;
        }
        forget(failed.updateId());
        watch.gaveUp(failed, apologized); // after the commit: until the reclaim, another handler may have finished it
    }

    /**
     * Marks an update given up with no answer done (its apology's transaction kept failing), with an audit line
     * {@link #GIVEN_UP} under {@code upd_<id>} and what the shop keeps of it ({@code Storefront.givenUp}: a Stars
     * payment's charge kept as not credited, refundable, and the admins' alert of it queued, once per charge) in the
     * same transaction: an ERROR line in the log was all that
     * was left of it, and a Stars payment's charge, neither credited nor kept as not credited, could not be refunded
     * ({@code /refund_stars} did not know it). If that transaction fails (but by a lost connection), a Stars payment
     * is tried again without the admins' alert (the outbox may be the store that failed the apology, and with the
     * alert it lost the charge and its line too), then the update is marked done alone, the smallest write, or it
     * stayed first in the inbox for ever; each fallback is logged at ERROR. kiebot's runtime's
     * {@code UpdateDispatcher} gives up by this too.
     *
     * @param transactions the shop's transactions
     * @param updates      the shop's inbox
     * @param audit        the shop's audit trail
     * @param givenUp      what the shop keeps of it, in that transaction: the storefront's {@code givenUp}, with
     *                     whether to alert the admins
     * @param failed       the update given up
     * @param translate    as the constructor's: the payment's charge id and amount, and the user (the chat's id when
     *                     it cannot read the update)
     * @param now          the moment of the line and the done mark
     * @throws RuntimeException when even the done mark alone cannot be written, or the connection was lost
     *                          ({@link ConnectionLoss#in}): the update stays pending
     */
    private static void markGivenUp(Transactions transactions, ProcessedUpdates updates, Audit audit,
                                    BiConsumer<Incoming, Boolean> givenUp, PendingUpdate failed,
                                    Function<PendingUpdate, Optional<Incoming>> translate, Instant now) {
        Optional<Incoming> in;
        try {
            in = translate.apply(failed);
        } catch (RuntimeException e) {
            in = Optional.empty(); // bad data: the line says the chat (the failure's type was logged before)
        }
        long user = in.map(i -> i.actor().userId()).orElse(failed.chatId());
        // only a Stars payment has an alert to leave out (Storefront.givenUp): anything else has no middle write
        boolean paid = in.map(Incoming::event).filter(Event.SuccessfulPayment.class::isInstance).isPresent();
        String detail = String.valueOf(user) + in.map(Incoming::event)
                .filter(Event.SuccessfulPayment.class::isInstance).map(Event.SuccessfulPayment.class::cast)
                .map(p -> " " + p.chargeId() + " " + p.totalAmount() + " " + p.currency()).orElse("");
        Optional<Incoming> read = in;
        String named = "upd_" + failed.updateId() + " (chat " + Actor.mask(failed.chatId()) + ")";
        String withAlert;
        try {
            keptGivenUp(transactions, updates, audit, givenUp, failed, read, user, detail, true, now);
            return;
        } catch (RuntimeException | Error e) {
            if (ConnectionLoss.in(e)) {
                throw e;
            }
            if (!paid) {
                LOG.log(System.Logger.Level.ERROR, named + ": its given-up line could not be recorded ("
                        + e.getClass().getName() + "); marked done alone");
                markedDoneAlone(transactions, updates, failed, now);
                return;
            }
            withAlert = named + ": its given-up payment could not be kept with the admins' alert ("
                    + e.getClass().getName() + ")";
        }
        try {
            keptGivenUp(transactions, updates, audit, givenUp, failed, read, user, detail, false, now);
        } catch (RuntimeException | Error e) {
            if (ConnectionLoss.in(e)) {
                throw e;
            }
            LOG.log(System.Logger.Level.ERROR, withAlert + ", nor without it (" + e.getClass().getName()
                    + "); marked done alone, its charge kept nowhere");
            markedDoneAlone(transactions, updates, failed, now);
            return;
        }
        // logged once it is known where it was kept: a shop that keeps no Stars payments kept only its audit lines
        String charge = read.map(Incoming::event).filter(Event.SuccessfulPayment.class::isInstance)
                .map(Event.SuccessfulPayment.class::cast).map(Event.SuccessfulPayment::chargeId).orElse("");
        boolean nowhere = !charge.isBlank() && audit.byCorrelation("pay:" + charge).stream()
                .anyMatch(e -> e.action().equals(GIVEN_UP_KEPT_NOWHERE));
        LOG.log(System.Logger.Level.ERROR, withAlert + (nowhere ? "; kept nowhere but the audit (the shop keeps no "
                + "Stars payments): give the Stars back by hand, /find " + charge : "; kept without it"));
    }

    /** The given-up line, what the shop keeps of it (with the admins' alert or not) and the done mark, in one. */
    private static void keptGivenUp(Transactions transactions, ProcessedUpdates updates, Audit audit,
                                    BiConsumer<Incoming, Boolean> givenUp, PendingUpdate failed,
                                    Optional<Incoming> read, long user, String detail, boolean alertAdmins,
                                    Instant now) {
        transactions.inOne(() -> updates.reclaim(failed.updateId()).map(still -> {
            audit.record(new AuditEvent(now, Actor.mask(user), GIVEN_UP, detail,
                    Optional.of("upd_" + failed.updateId())));
            read.ifPresent(i -> givenUp.accept(i, alertAdmins));
            updates.done(still.updateId(), now);
            return true;
        }));
    }

    private static void markedDoneAlone(Transactions transactions, ProcessedUpdates updates, PendingUpdate failed,
                                        Instant now) {
        transactions.inOne(() -> updates.reclaim(failed.updateId()).map(still -> {
            updates.done(still.updateId(), now);
            return true;
        }));
    }

    /**
     * How an update given up is translated for its apology: one {@code translate} throws on (bad data, likely what
     * failed its handling) is given up with no apology (nobody to address one to), or, thrown on, it was never marked
     * done and stayed first in its chat, failing every {@link #handleWaiting}.
     *
     * @param u         the update given up, as reclaimed
     * @param translate as the constructor's
     * @return the update in core's terms, to apologize to; empty for none, when {@code translate} throws or finds
     *         nothing for the shop in it
     */
    private static Optional<Incoming> toApologizeFor(PendingUpdate u,
                                                     Function<PendingUpdate, Optional<Incoming>> translate) {
        try {
            return translated(u, translate);
        } catch (RuntimeException e) {
            // its message may quote the update: the type only (the handling's failure was logged before)
            LOG.log(System.Logger.Level.WARNING, "upd_" + u.updateId() + ": cannot be translated for an apology ("
                    + e.getClass().getName() + "); given up with none");
            return Optional.empty();
        }
    }

    /**
     * {@code translate}'s update, received when it was recorded unless the translation said otherwise: left unknown,
     * the shop takes the handling's moment, and a button press that waited in the inbox (a restart, a backlog) is
     * answered after the platform's window, in vain.
     */
    private static Optional<Incoming> translated(PendingUpdate u,
                                                 Function<PendingUpdate, Optional<Incoming>> translate) {
        return translate.apply(u).map(in -> in.receivedAt().isPresent() ? in : in.receivedAt(u.recordedAt()));
    }

    private void forget(long updateId) {
        contended.forget(updateId);
        errors.forget(updateId);
        apologies.forget(updateId);
        shortOfResources.forget(updateId);
        toldShortOfResources.remove(updateId);
    }

    /**
     * An ERROR, once, for an update whose tries have been cut off by a class 53 SQLState for longer than
     * {@link #SHORT_OF_RESOURCES_TOLD_AFTER}: still left pending (the database may be short for everyone, a disk not
     * freed yet), but an operator who missed the outage's warning, or whose database is fine otherwise, learns of it.
     */
    private void tellWhenShortOfResourcesLong(long updateId, Throwable e) {
        Optional<String> state = shortOfResourcesState(e);
        if (state.isEmpty()) {
            return;
        }
        FailuresInARow.Tries tries = shortOfResources.count(updateId, clock.instant());
        if (Duration.between(tries.first(), tries.last()).compareTo(SHORT_OF_RESOURCES_TOLD_AFTER) < 0) {
            return;
        }
        if (toldShortOfResources.size() >= TRACKED_MAX) {
            toldShortOfResources.clear(); // a few updates at most are ever told of; told again rather than kept for ever
        }
        if (toldShortOfResources.add(updateId)) {
            LOG.log(System.Logger.Level.ERROR, "update {0} has been cut off by SQLState {1} (the database short of "
                    + "resources: disk, memory or a configuration limit) at each of its {2} tries since {3}, and is "
                    + "still left pending, holding its chat: free space on the database's disk if it is full; if the "
                    + "database is otherwise fine, this update is what it cannot take", Long.toString(updateId), state.get(), tries.count(), tries.first());
        }
    }

    /** The first class 53 SQLState (insufficient resources) in {@code e}'s cause chain. */
    private static Optional<String> shortOfResourcesState(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState().startsWith("53") ? Optional.of(sql.getSQLState()) : Optional.empty();
            }
        }
        return Optional.empty();
    }
}
