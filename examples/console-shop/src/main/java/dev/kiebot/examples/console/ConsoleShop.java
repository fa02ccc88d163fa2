package dev.kiebot.examples.console;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.PollPolicy;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.payments.StarsRefundResult;
import dev.kiebot.core.reply.FileSource;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.ShopWork;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.DatabaseSettings;
import dev.kiebot.postgres.PgStores;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * core embedded in a "bot" whose chat is the console, in the order a real one starts and stops: the database, the
 * shop over its stores, its background work ({@link ShopWork}), then the updates; at the stop the other way round. {@link Main} talks to
 * it from the terminal; {@code ConsoleShopTest} runs a generation through it, restarts it and finds the money and
 * the history still there.
 */
public final class ConsoleShop implements AutoCloseable {
    /** The console has one user; a chat platform says who wrote. */
    static final long USER = 42;

    private final Database database;
    private final Shop shop;
    private final ShopWork work;
    private final ConsoleMessenger messenger;
    /** A console has no update ids; Telegram's are unique, and these are too, across restarts. */
    private long updateId = System.currentTimeMillis();
    private boolean stopped;

    private ConsoleShop(Database database, Shop shop, ShopWork work, ConsoleMessenger messenger) {
        this.database = database;
        this.shop = shop;
        this.work = work;
        this.messenger = messenger;
    }

    /**
     * Starts the shop on {@code where} (migrating its schema on the first start), its background work running.
     *
     * @param out where the bot's side of the chat is printed
     */
    public static ConsoleShop start(DatabaseSettings where, PrintStream out) {
        Clock clock = Clock.systemUTC();
        // the embedded PostgreSQL (without a URL) starts here; it, and the pool, stop only with close()
        Database database = Database.connect(where);
        try {
            PgStores stores = PgStores.create(database, clock);
            ConsoleMessenger messenger = new ConsoleMessenger(out);
            Shop shop = build(stores, messenger, clock);
            // Everything besides the updates: the outbox, the job worker, the broadcasts, core's upkeep. On its own
            // embedded database this process is the only one there can be (ONE: a reply the last run had on the
            // wire goes again at once); with a DATABASE_URL another may be sending (SEVERAL). Replies, jobs and
            // broadcasts committed here wake the work by themselves; several processes on one DATABASE_URL would also
            // call work.repliesQueued() / work.jobsMoved() / work.broadcastsQueued() from PgNotifications.
            ShopWork work = ShopWork.start(shop,
                    database.wakeups().shared() ? ShopWork.Instances.SEVERAL : ShopWork.Instances.ONE);
            return new ConsoleShop(database, shop, work, messenger);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static Shop build(PgStores stores, ConsoleMessenger messenger, Clock clock) {
        // a welcome bonus of 10 ₽ pays for a generation; no free uses, so the ledger is exercised
        ShopSettings settings = ShopSettings.defaults().withWelcomeBonus(1_000);
        return Shop.builder()
                .catalog(ExampleCatalog.create())
                // required, as no currency can be assumed: 78 rubles per provider's dollar, sold at twice its price
                // (a dollar shop: new Pricing(BigDecimal.ONE, new BigDecimal("2"), "USD"), with its withStars to match)
                .pricing(new Pricing(new BigDecimal("78"), new BigDecimal("2"), "RUB"))
                .stores(stores.asCoreStores())
                .messenger(messenger)
                .provider(new InstantProvider())
                .files(ConsoleShop::noFiles)
                // this shop sells no Stars and has no admins to look at charts
                .starsRefunds((user, charge) -> new StarsRefundResult.Failed("the console takes no Stars"))
                .charts(chart -> {
                    throw new UnsupportedOperationException("the console draws no charts");
                })
                .clock(clock)
                .settings(settings)
                .freeDailyLimit(0)
                // names this process in job leases: with several on one database, each takes its own jobs
                .workerName("console-shop")
                // the instant provider is done at once; for Kie, kiebot's PollSchedule::delayAfter
                .pollPolicy(PollPolicy.every(Duration.ZERO))
                .chatPacing(new ChatPacing(Duration.ZERO, 1)) // a console needs no pacing; Telegram does (the default)
                .build();
    }

    private static FileSource.DownloadedFile noFiles(String fileId) throws IOException {
        throw new IOException("this example takes no files");
    }

    /**
     * What your adapter does with every update from the chat platform: the update is handled in one transaction
     * (the answer queued with it) and this returns; the shop's work delivers the answer.
     *
     * @throws IllegalStateException once the shop is stopping
     */
    public synchronized void user(Event event) {
        if (stopped) {
            throw new IllegalStateException("the shop is stopping: no more updates");
        }
        Actor actor = new Actor(USER, USER, "Ann", Optional.empty(), Optional.of("en"));
        shop.storefront().serve(new Incoming(++updateId, actor, event));
    }

    /**
     * A press of the newest button whose label contains {@code label}, once it is on screen (waiting up to
     * {@code patience}: the shop's work delivers the answers).
     *
     * @throws IllegalStateException when no such button came
     */
    public void tap(String label, Duration patience) {
        user(new Event.Callback("tap-" + System.nanoTime(), messenger.tap(label, patience), Optional.of(1)));
    }

    /** The user's balance in kopecks, as the ledger has it. */
    public long balance() {
        return shop.stores().ledger().balance(AccountId.wallet(USER)).available();
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
