package dev.kiebot.examples.console;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.Inbox;
import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.jobs.PollPolicy;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.reply.FileSource;
import dev.kiebot.core.reports.ChartRenderer;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.ShopWork;
import dev.kiebot.core.shop.StoresClock;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.DatabaseSettings;
import dev.kiebot.postgres.PgClock;
import dev.kiebot.postgres.PgStores;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * core embedded in a "bot" whose chat is the console, in the order a real one starts and stops: the database, the
 * shop over its stores, its background work ({@link ShopWork}), then the updates, each recorded once before it is
 * handled (core's {@link Inbox}); at the stop the other way round. {@link Main} talks to
 * it from the terminal; {@code ConsoleShopTest} runs a generation through it, restarts it and finds the money and
 * the history still there.
 */
public final class ConsoleShop implements AutoCloseable {
    /** The console has one user; a chat platform says who wrote. */
    static final long USER = 42;
    private static final Actor ANN = new Actor(USER, USER, "Ann", Optional.empty(), Optional.of("en"));

    private final Database database;
    private final Shop shop;
    private final ShopWork work;
    private final Inbox inbox;
    private final ConsoleMessenger messenger;
    /** A console has no update ids; Telegram's are unique, and these are too, across restarts. */
    private long updateId = System.currentTimeMillis();
    private boolean stopped;

    private ConsoleShop(Database database, Shop shop, ShopWork work, Inbox inbox, ConsoleMessenger messenger) {
        this.database = database;
        this.shop = shop;
        this.work = work;
        this.inbox = inbox;
        this.messenger = messenger;
    }

    /**
     * Starts the shop on {@code where} (migrating its schema on the first start), its background work running.
     *
     * @param out where the bot's side of the chat is printed
     */
    public static ConsoleShop start(DatabaseSettings where, PrintStream out) {
        return start(where, out, ConsoleShop::incoming);
    }

    /** {@link #start(DatabaseSettings, PrintStream)}, the recorded updates read by {@code translate} (tests). */
    static ConsoleShop start(DatabaseSettings where, PrintStream out,
                             Function<PendingUpdate, Optional<Incoming>> translate) {
        Clock clock = Clock.systemUTC();
        // the embedded PostgreSQL (without a URL) starts here; it, and the pool, stop only with close()
        Database database = Database.connect(where);
        try {
            PgStores stores = PgStores.create(database, clock);
            ConsoleMessenger messenger = new ConsoleMessenger(out);
            Shop shop = build(stores, messenger, clock, new PgClock(database.jdbi()));
            // Everything besides the updates: the outbox, the job worker, the broadcasts, core's upkeep. On its own
            // embedded database this process is the only one there can be (ONE: a reply the last run had on the
            // wire goes again at once); with a DATABASE_URL another may be sending (SEVERAL). Replies, jobs and
            // broadcasts committed here wake the work by themselves; several processes on one DATABASE_URL would also
            // call work.repliesQueued() / work.jobsMoved() / work.broadcastsQueued() from PgNotifications.
            ShopWork work = ShopWork.start(shop,
                    database.wakeups().shared() ? ShopWork.Instances.SEVERAL : ShopWork.Instances.ONE);
            Inbox inbox = new Inbox(shop, translate);
            try {
                inbox.handleWaiting(); // what the last run recorded but did not handle (it stopped in between)
            } catch (Throwable e) {
                // an Error too (an update's InternalError, say): left running, the work's threads and the database
                // outlived the failed start, and the next start on this data directory found it in use
                work.close();
                throw e;
            }
            return new ConsoleShop(database, shop, work, inbox, messenger);
        } catch (Throwable e) {
            database.close();
            throw e;
        }
    }

    private static Shop build(PgStores stores, ConsoleMessenger messenger, Clock clock, StoresClock storesClock) {
        // a welcome bonus of 10 ₽ pays for a generation, at most 50 bonuses a day for all new users together
        // (welcomeDailyTotal below): each is paid from your provider account, and new accounts cost nothing to make.
        // No free uses, so the ledger is exercised.
        // The admins: the platform user ids that may use /admin, /find, /broadcast, /tickets and the top-up and refund
        // commands, and that get the support tickets and payment alerts. Read yours from your configuration (kiebot's
        // runners: ADMIN_IDS); Set.of() is a shop with none. Here the console's one user, so that /admin can be tried.
        // no Stars in a console: /topup offers the payment page below instead of invoices that cannot be paid
        ShopSettings settings = ShopSettings.defaults().withWelcomeBonus(1_000).withAdmins(Set.of(USER)).withoutStars();
        return Shop.builder()
                .catalog(ExampleCatalog.create())
                // required, as no currency can be assumed: 78 rubles per provider's dollar, sold at twice its price
                // (a dollar shop: new Pricing(BigDecimal.ONE, new BigDecimal("2"), "USD"); one that sells Stars says
                // what a Star credits in dollars with withStars)
                .pricing(new Pricing(new BigDecimal("78"), new BigDecimal("2"), "RUB"))
                // The Stars store: this shop sells none (withoutStars above), so it keeps none. Payments.none() keeps
                // nothing and refuses every write, and build() refuses it should the settings ever sell Stars. On
                // stores of your own it is the Stars store you need not write; PgStores comes with one, used here
                // only by a shop that sells Stars
                .stores(stores.asCoreStores().withPayments(Payments.none()))
                .messenger(messenger)
                .provider(new InstantProvider())
                // Where a user tops up: a payment page of yours, which /topup and «➕ Top up» show as a «💳 Pay online»
                // link button. Made from the id alone at every /topup, inside its transaction: no call to the network.
                // The user sees the address and may change it: no secret in it, and your page decides whom a payment
                // credits. Your provider's notification, once verified, goes to shop.externalTopUps().credit(...)
                .topUpLink(userId -> URI.create("https://pay.example.invalid/topup?user=" + userId))
                .providerName("Console AI")  // the admins' alerts and dashboard name it (kiebot's runner: Kie)
                .files(ConsoleShop::noFiles)
                // no starsRefunds: the settings sell no Stars (withoutStars), so there is nothing to give back;
                // /admin shows its figures without the chart (a ChartRenderer draws it)
                .charts(ChartRenderer.none())
                .clock(clock)
                // The database server's clock: compared with this machine's at ShopWork.start (refused 2 minutes
                // apart) and every minute (a WARNING above 30 s). Processes sharing one database decide job leases by
                // their own clocks, and one minutes off refunds orders another is still making; give it whenever
                // several may share your stores (kiebot's runners do; the limit: clockSkewRefusedAbove)
                .storesClock(storesClock)
                .settings(settings)
                .welcomeDailyTotal(50)
                .freeDailyLimit(0)
                // names this process in job leases, for an operator to tell the processes on one database apart. It
                // does not share the jobs out: every process leases whichever due job no other holds (PgJobs' SKIP
                // LOCKED), whatever its name; give each process its own (kiebot's runner: INSTANCE_NAME)
                .workerName("console-shop")
                // How long the job worker waits before it reads a running task's status again. Each read is a call to
                // the provider, and its tasks run for seconds to minutes: never Duration.ZERO (a read after every
                // other, as long as the task runs). The instant provider is done at the first read, 2 s after the
                // submission. For Kie, adapters-kie's PollSchedule::delayAfter (2-3 s at first, up to 30 s later).
                .pollPolicy(PollPolicy.every(Duration.ofSeconds(2)))
                // Pacing OFF: a console takes every reply at once. Telegram does not (about a message a second per
                // chat, 429s past it): on a real platform leave the call out for ChatPacing.telegramDefaults()
                .chatPacing(new ChatPacing(Duration.ZERO, 1))
                // Left out: answers(...) and refundCalls(...). The answers to button presses and an admin's Stars
                // refunds then go to the shop's own few daemon threads, never the one handling the update (which
                // would hold its database connection until the platform answered); work.close() waits for them
                .build();
    }

    private static FileSource.DownloadedFile noFiles(String fileId) throws IOException {
        throw new IOException("this example takes no files");
    }

    /** The console's user typed something: a new update. */
    public synchronized void user(Event event) {
        update(++updateId, event);
    }

    /**
     * What your adapter does with every update the chat platform delivers: records it, then handles it in one
     * transaction (the answer queued with it) and returns; the shop's work delivers the answer. The same update id
     * again (a re-delivery) is dropped.
     *
     * @throws IllegalStateException once the shop is stopping
     */
    public synchronized void update(long id, Event event) {
        if (stopped) {
            throw new IllegalStateException("the shop is stopping: no more updates");
        }
        if (inbox.record(id, USER, rawUpdate(event))) {
            // the answer before the next prompt; a real door only records, and the threads of
            // inbox.start(threads, InboxThreads.SAFETY_TICK) handle it (and try a failed one again after a pause)
            inbox.handleWaiting();
        }
    }

    /** The console's raw update, what your platform sends (Telegram: its JSON): kept as text until it is handled. */
    private static String rawUpdate(Event event) {
        if (event instanceof Event.Command c) {
            return "command\t" + c.name() + "\t" + c.args();
        } else if (event instanceof Event.Text t) {
            return "text\t" + t.text();
        } else if (event instanceof Event.Callback b) {
            return "button\t" + b.queryId() + "\t" + b.data();
        }
        throw new IllegalArgumentException("the console sends commands, text and button presses, not " + event);
    }

    /**
     * A recorded update in core's terms: your translation (kiebot's: adapters-telegram's {@code UpdateTranslator}).
     * Empty for one the shop has nothing to do with; it is marked done.
     */
    private static Optional<Incoming> incoming(PendingUpdate u) {
        String kind = u.payload().split("\t", 2)[0];
        String[] f = u.payload().split("\t", kind.equals("text") ? 2 : 3); // the last field keeps any tab typed
        Event event = switch (kind) {
            case "command" -> new Event.Command(f[1], f[2]);
            case "text" -> new Event.Text(f[1]);
            case "button" -> new Event.Callback(f[1], f[2], Optional.of(1L));
            default -> null;
        };
        // received when recorded: core skips answers to button presses older than the platform's window
        return Optional.ofNullable(event).map(e -> new Incoming(u.updateId(), ANN, e).receivedAt(u.recordedAt()));
    }

    /**
     * A press of the newest button whose label contains {@code label}, once it is on screen (waiting up to
     * {@code patience}: the shop's work delivers the answers).
     *
     * @throws IllegalStateException when no such button came
     */
    public void tap(String label, Duration patience) {
        user(new Event.Callback("tap-" + System.nanoTime(), messenger.tap(label, patience), Optional.of(1L)));
    }

    /** The user's balance in kopecks, as the ledger has it. */
    public long balance() {
        return shop.stores().ledger().balance(AccountId.wallet(USER)).available();
    }

    /** The shop itself (tests). */
    Shop shop() {
        return shop;
    }

    public String formatMoney(long kopecks) {
        return shop.pricing().format(kopecks, "en");
    }

    /**
     * Stops in order, so that nothing is cut off half-way: no more updates (the one in hand commits first), then the
     * shop's work finishes what it holds ({@link ShopWork#close()}), then the database, last: everything before it still writes to it.
     * Safe to call twice (the console's end and its shutdown hook).
     */
    @Override
    public void close() {
        synchronized (this) { // waits for the update in hand
            if (stopped) {
                return;
            }
            stopped = true;
        }
        try {
            work.close();
        } finally {
            database.close();
        }
    }
}
