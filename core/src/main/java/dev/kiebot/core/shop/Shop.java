package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Conversation;
import dev.kiebot.core.reply.BotLinks;
import dev.kiebot.core.reply.FileSource;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.PollPolicy;
import dev.kiebot.core.pacing.BotPacing;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.payments.TopUpLink;
import dev.kiebot.core.payments.StarTransactions;
import dev.kiebot.core.payments.StarsRefunds;
import dev.kiebot.core.reports.ChartRenderer;
import dev.kiebot.core.text.TextOverrides;
import dev.kiebot.core.text.Texts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The assembled core: what a runner (or a partner's bot) needs, and the one entry point of the library.
 * {@link #builder()} requires every port and setting the shop cannot guess — the catalog, the stores, a
 * messenger, a generation provider, a file source, Stars refunds (unless the settings sell no Stars), a chart
 * renderer, a clock, the shop
 * settings, the pricing (there is no currency to assume) and how many free generations a user gets a day — and {@link Builder#build()}
 * names everything missing at once. Nothing falls back to memory: a shop that takes money must be told
 * where its ledger lives, and stores in memory ({@link Transactions#durable()} false, or any one store that is
 * {@link KeptInMemory}) are refused unless the builder is told the shop is a test's ({@link Builder#inMemoryForTests()}); nor is anything given away by default: free
 * generations are paid by your provider account, so {@link Builder#freeDailyLimit} has no default ({@code 0}: none; kiebot's runners give
 * {@link FreeTier#DEFAULT_DAILY_LIMIT}). The poll policy and the worker name have documented defaults.
 *
 * <!-- snippet: statements (compiled by the architecture module's PartnerSnippetsTest)
 * import dev.kiebot.core.conversation.Incoming;
 * import dev.kiebot.core.intake.Inbox;
 * import dev.kiebot.core.intake.InboxThreads;
 * Catalog catalog; Pricing pricing; Stores stores; Messenger messenger; GenerationProvider provider;
 * FileSource files; StarsRefunds refunds; ChartRenderer charts; long updateId; long chatId; String raw;
 * abstract Optional<Incoming> yourTranslation(String payload);
 * -->
 * <pre>{@code
 * Shop shop = Shop.builder().catalog(catalog).pricing(pricing).stores(stores).messenger(messenger).provider(provider)
 *         .files(files).starsRefunds(refunds).charts(charts).clock(Clock.systemUTC())
 *         .settings(ShopSettings.defaults()).freeDailyLimit(0).build();
 * ShopWork work = ShopWork.start(shop, ShopWork.Instances.ONE); // replies, jobs, broadcasts, upkeep; SEVERAL
 *                                                               // if another process may share the stores
 * Inbox inbox = new Inbox(shop, pending -> yourTranslation(pending.payload()));  // updates, each handled once
 * InboxThreads handlers = inbox.start(4, InboxThreads.SAFETY_TICK);
 * inbox.record(updateId, chatId, raw);       // for every update your door authenticated (a re-delivery: dropped)
 * handlers.close();                          // once the updates stopped, then
 * work.close();                              // before the database
 * }</pre>
 *
 * <p>{@link ShopWork} runs everything besides the updates: the outbox ({@link #sender()}), the job worker
 * ({@link #worker()}), the broadcasts and {@link #upkeep()}. A runner that schedules that work on threads of its own
 * (kiebot's runtime does, with several sender threads and database notifications) takes the jobs and the broadcasts
 * from {@link ShopWork.Parts}, the replies from {@link #sender()} and the timers from {@link #upkeep()}.
 *
 * <p>The {@code examples/console-shop} module shows a complete embedding.
 */
public final class Shop {
    /**
     * The most a Star may credit, in US dollars at the pricing's rate ({@link Pricing#inUsd}): {@link Builder#build()}
     * refuses a shop selling Stars above it. A Star earns its seller about $0.013 and kiebot's 1.50 RUB is about
     * $0.019, so a shop crediting several times that pays its Stars top-ups out of its own pocket: a unit mistake.
     */
    public static final BigDecimal STAR_CREDIT_MAX_USD = new BigDecimal("0.10");
    /**
     * The least a Star may credit, in US dollars at the pricing's rate ({@link Pricing#inUsd}): {@link Builder#build()}
     * refuses a shop selling Stars below it. A tenth of a cent is under a tenth of what a Star earns its seller (about
     * $0.013) and about a twentieth of kiebot's 1.50 RUB ($0.019): a shop crediting less keeps nine tenths of what
     * its users paid, which no price means, while a rate typed a hundred times too low (1 kopeck for 150, $0.0001)
     * credits them a hundredth, silently. A dollar shop's smallest rate, a cent, is above it.
     */
    public static final BigDecimal STAR_CREDIT_MIN_USD = new BigDecimal("0.001");
    private static final System.Logger LOG = System.getLogger(Shop.class.getName());
    private final Storefront storefront;
    private final JobWorker worker;
    private final BroadcastWorker broadcaster;
    private final ReplySender sender;
    private final Generations generations;
    private final Outbox outbox;
    private final Stores stores;
    private final Catalog catalog;
    private final FreeTier freeTier;
    private final Pricing pricing;
    private final Texts texts;
    private final ManualTopUpDesk manualTopUps;
    private final ExternalTopUps externalTopUps;
    private final Backlogs backlogs;
    private final Optional<LowCredits> lowCredits;
    private final ProviderCredits credits;
    private final Clock clock;
    /** The shop's day ({@code ShopSettings.zone()}): the free uses' and welcome bonuses' days the cleanup cuts back. */
    private final java.time.ZoneId zone;
    /** The threads of the calls after a commit, when the builder was given no executor: {@link ShopWork} closes them. */
    private final Optional<AfterCommitPools> ownPools;
    /** How long a finished broadcast keeps its recipients: {@link Builder#broadcastRecipientsRetention}. */
    private final java.time.Duration broadcastRecipientsRetention;
    /** The machine's clock against the stores': {@link Builder#storesClock}. */
    private final ClockSkew clockSkew;
    /** How long personal texts are kept, unless till {@code /forget}: {@link Builder#personalDataRetention}. */
    private final Optional<java.time.Duration> personalDataRetention;

    /** Only {@link Builder#build()} makes a shop: its checks and the wiring of the parts cannot be skipped. */
    private Shop(Storefront storefront, JobWorker worker, BroadcastWorker broadcaster, ReplySender sender,
                 Generations generations, Outbox outbox, Stores stores, Catalog catalog, FreeTier freeTier,
                 Pricing pricing, Texts texts, ManualTopUpDesk manualTopUps, ExternalTopUps externalTopUps,
                 Backlogs backlogs, Optional<LowCredits> lowCredits, ProviderCredits credits, Clock clock,
                 java.time.ZoneId zone, Optional<AfterCommitPools> ownPools,
                 java.time.Duration broadcastRecipientsRetention, ClockSkew clockSkew,
                 Optional<java.time.Duration> personalDataRetention) {
        this.storefront = storefront;
        this.worker = worker;
        this.broadcaster = broadcaster;
        this.sender = sender;
        this.generations = generations;
        this.outbox = outbox;
        this.stores = stores;
        this.catalog = catalog;
        this.freeTier = freeTier;
        this.pricing = pricing;
        this.texts = texts;
        this.manualTopUps = manualTopUps;
        this.externalTopUps = externalTopUps;
        this.backlogs = backlogs;
        this.lowCredits = lowCredits;
        this.credits = credits;
        this.clock = clock;
        this.zone = zone;
        this.ownPools = ownPools;
        this.broadcastRecipientsRetention = broadcastRecipientsRetention;
        this.clockSkew = clockSkew;
        this.personalDataRetention = personalDataRetention;
    }

    /**
     * Handles every update: {@link Storefront#serve}.
     *
     * @return the shop's one storefront, safe to call from several threads (see {@link Storefront#serve} for the order
     *         it needs per chat)
     */
    public Storefront storefront() {
        return storefront;
    }

    /**
     * Submits and polls generation jobs; takes a provider's callback through {@link JobWorker#checkTask}.
     *
     * @return the shop's one job worker, which {@link ShopWork} already runs
     */
    public JobWorker worker() {
        return worker;
    }

    /** Sends queued broadcasts in batches: {@link ShopWork} runs it, or a runner through {@link ShopWork.Parts}. */
    BroadcastWorker broadcaster() {
        return broadcaster;
    }

    /**
     * Delivers the outbox under the pacing. {@link ShopWork} runs it: call it yourself only in a test
     * ({@link ReplySender#drain}) or from a runner that schedules the work on threads of its own.
     *
     * @return the shop's one reply sender
     */
    public ReplySender sender() {
        return sender;
    }

    /**
     * The jobs' money: holds, charges and refunds. Not public: its charge and refund act on nobody's proof; a partner's
     * jobs move through {@link #storefront()} and {@link #worker()}, which re-reads the provider's word.
     */
    Generations generations() {
        return generations;
    }

    /**
     * Queues replies and wakes whoever sends them.
     *
     * @return the shop's outbox, for a message of your own (an alert to your admins): {@link Outbox#send}
     */
    public Outbox outbox() {
        return outbox;
    }

    /**
     * The stores the shop was built with.
     *
     * @return those given to {@link Builder#stores}, unwrapped: a write through them bypasses the shop's rules (a
     *         bare ledger transfer writes no audit line and tells nobody), so read through them, and move money through
     *         the shop ({@link #externalTopUps()})
     */
    public Stores stores() {
        return stores;
    }

    /**
     * The models on sale.
     *
     * @return the catalog given to {@link Builder#catalog}, whole: an admin's pause ({@code PausedModels}) is kept in
     *         the stores, not here
     */
    public Catalog catalog() {
        return catalog;
    }

    /**
     * The free daily allowance, derived once at build time.
     *
     * @return which models are free, how many a user gets a day and, if capped, the whole shop's day
     */
    public FreeTier freeTier() {
        return freeTier;
    }

    /**
     * How a provider's price becomes the user's.
     *
     * @return the pricing given to {@link Builder#pricing}: its currency is the one of every amount in the ledger
     */
    public Pricing pricing() {
        return pricing;
    }

    /**
     * The texts the shop speaks: kiebot's, naming {@link Builder#providerName}, with {@link Builder#texts} in place of
     * theirs.
     *
     * @return the shop's texts, for a message of your own to its users or admins ({@link #outbox()}) that reads as the
     *         shop's do
     */
    public Texts texts() {
        return texts;
    }

    /** Manual top-ups an admin confirms; their expiry runs with {@link #upkeep()}. */
    ManualTopUpDesk manualTopUps() {
        return manualTopUps;
    }

    /**
     * Credits payments your own provider took ({@link ExternalTopUps#credit}), and takes back those it gave back
     * ({@link ExternalTopUps#refunded}), once each: call them only from your code, after verifying the provider's
     * notification. No update of the shop's reaches them.
     *
     * @return the shop's door for payments of your own provider
     */
    public ExternalTopUps externalTopUps() {
        return externalTopUps;
    }

    /**
     * The business clock (days, expiries, statements).
     *
     * @return the clock given to {@link Builder#clock}; the replies' pacing runs on {@link Builder#pacingClock}
     */
    public Clock clock() {
        return clock;
    }


    /**
     * Whether new orders are paused because the provider refused the shop's own account (its key, its credits, its
     * key's spending cap) and no order went through since: the kind of the refusal, empty while orders sell. Per
     * instance; the admins are told of such a spell once as it starts and once as it ends. For a gauge or a health
     * page.
     *
     * @return {@link dev.kiebot.core.jobs.ErrorKind#AUTH}, {@code OUT_OF_CREDITS} or {@code KEY_LIMIT}, or empty
     */
    public Optional<dev.kiebot.core.jobs.ErrorKind> salesPaused() {
        return generations.providerRefusing();
    }

    /**
     * Whether the provider fails every model's calls (5xx, no answer, the connection refused) and this instance told
     * the admins so, or saw it told, and has not heard the provider answer since. Per instance. For a gauge.
     *
     * @return true from the alert «Kie не отвечает» until the provider answers a call again
     */
    public boolean providerDown() {
        return generations.providerDown();
    }

    /** The admins told of replies that stop leaving and generations nobody checks; run by {@link #upkeep()}. */
    Backlogs backlogs() {
        return backlogs;
    }

    /** The shop's own threads for the calls after a commit (none when the builder was given executors). */
    Optional<AfterCommitPools> ownPools() {
        return ownPools;
    }

    /** The watch of the provider's balance, when the shop was given a threshold; run by {@link #upkeep()}. */
    Optional<LowCredits> lowCredits() {
        return lowCredits;
    }

    /** The provider's balance as last read, which the dashboard shows; read by {@link #upkeep()}. */
    ProviderCredits credits() {
        return credits;
    }

    /**
     * What must run on a timer besides updates, replies and jobs: {@link Upkeep#tasks()} with their periods.
     *
     * @return a new view of the shop's timed work on each call ({@link ShopWork} schedules it already)
     */
    public Upkeep upkeep() {
        return new Upkeep(this, clock, zone, broadcastRecipientsRetention, personalDataRetention);
    }

    /**
     * How far the machine's clock is from the stores' ({@link Builder#storesClock}): checked by {@link ShopWork#start}
     * and every minute by the upkeep; a runner of yours that starts the work otherwise calls
     * {@link ClockSkew#checkAtStart()} itself, and may show {@link ClockSkew#last()} as a gauge.
     *
     * @return the shop's one measure; one that measures nothing when the builder was given no stores' clock
     */
    public ClockSkew clockSkew() {
        return clockSkew;
    }

    /**
     * The holds the sweep of expired holds ({@link JobWorker#sweepExpiredHolds}, the upkeep's {@code expiries} task)
     * leaves past their deadline: read once after each sweep, and one WARNING through {@link System.Logger} when one
     * stays overdue longer than {@link OverdueHolds#WARN_AFTER} (a session holding its lock, or more holds due than a
     * sweep takes), an INFO once none does. A runner may show {@link OverdueHolds#oldestPastDeadline} as a gauge.
     *
     * @return the shop's one watch of them
     */
    public OverdueHolds overdueHolds() {
        return worker.overdueHolds();
    }

    /**
     * A new builder with nothing required set: see {@link Builder}.
     *
     * @return an empty builder, for one shop
     */
    public static Builder builder() {
        return new Builder();
    }

    /** An absolute http or https URI with a host: the only kind a provider can post a task's end to. */
    private static boolean isWebAddress(String url) {
        try {
            java.net.URI uri = new java.net.URI(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static void require(List<String> missing, Object value, String what) {
        if (value == null) {
            missing.add(what);
        }
    }

    /**
     * Collects the shop's ports and settings; each setter says whether it is required or what it defaults to.
     * {@link #build()} checks them all at once and wires the shop. Not thread-safe, and for one shop: the setters
     * only record what they are given, and a second {@code build()} after one that made a shop is refused (it made a
     * second shop with daemon threads of its own, beside the first).
     */
    public static final class Builder {
        private Catalog catalog;
        /** No default: a default rate is some currency's, and a shop in another would charge that many times over. */
        private Pricing pricing;
        private Optional<java.util.List<String>> freeTierOverride = Optional.empty();
        /** No default: free generations cost the shop's provider account, so the partner says how many. */
        private Integer freeDailyLimit;
        private java.util.OptionalInt freeDailyTotal = java.util.OptionalInt.empty();
        private java.util.OptionalInt welcomeDailyTotal = java.util.OptionalInt.empty();
        private boolean warnsOfUncappedGifts = true;
        private boolean warnsOfSalesBelowCost = true;
        private ShopSettings settings;
        private Stores stores;
        /** Off unless said: a shop on stores that forget at a restart loses everyone's money with them. */
        private boolean inMemoryForTests;
        private Messenger messenger;
        private GenerationProvider provider;
        private FileSource files;
        private PollPolicy pollPolicy = PollPolicy.every(java.time.Duration.ofSeconds(5));
        private Clock clock;
        private Optional<String> callbackUrl = Optional.empty();
        private String workerName = "worker";
        private Optional<Executor> answers = Optional.empty();
        private Optional<Executor> refundCalls = Optional.empty();
        private Optional<Executor> answerForgets = Optional.empty();
        private ChatPacing chatPacing = ChatPacing.telegramDefaults();
        private BotPacing botPacing = BotPacing.telegramDefaults();
        private Clock pacingClock = Clock.systemUTC();
        private StarsRefunds starsRefunds;
        private StarTransactions starTransactions = StarTransactions.none();
        private ChartRenderer charts;
        private ManualPayments manualPayments = ManualPayments.off();
        private Optional<TopUpLink> topUpLink = Optional.empty();
        private java.util.function.Supplier<Optional<String>> botUsername = Optional::empty;
        /** Empty: Telegram's, made from {@link #botUsername}. */
        private Optional<BotLinks> botLinks = Optional.empty();
        /** Whether {@link #build()} made a shop already: a second one is refused. */
        private boolean built;
        private String providerName = Texts.PROVIDER_DEFAULT;
        private TextOverrides ownTexts = TextOverrides.none();
        /** Off unless given: a partner's provider may have no balance to read (its credits() a stand-in). */
        private Optional<java.math.BigDecimal> lowCredits = Optional.empty();
        private java.time.Duration broadcastRecipientsRetention = Upkeep.BROADCAST_RECIPIENTS_RETENTION;
        /** Kept until {@code /forget} unless given. */
        private Optional<java.time.Duration> personalDataRetention = Optional.empty();
        /** None unless given: stores in memory share the machine's clock. */
        private Optional<StoresClock> storesClock = Optional.empty();
        private java.time.Duration clockSkewRefusedAbove = ClockSkew.REFUSE_ABOVE;

        /** An empty builder, every setting at its default; {@link Shop#builder()} is the usual way to get one. */
        public Builder() {
        }

        /**
         * The models on sale (required): {@code Catalog.of(models)} of your own, or Kie's models as kiebot sells them
         * (their prices and labels too): {@code KieCatalog.fromClasspath()} of adapters-kie, a module to depend on.
         *
         * @param c every model the shop may sell, each with a {@code ru} and an {@code en} title and description
         * @return this builder
         */
        public Builder catalog(Catalog c) {
            this.catalog = c;
            return this;
        }

        /**
         * How the provider's USD price becomes the user's (required): {@code new Pricing(fxRate, markup, currency)},
         * e.g. {@code new Pricing(BigDecimal.ONE, new BigDecimal("2"), "USD")} sells at twice the provider's price in
         * dollars. {@link Pricing#defaults()} is kiebot's runner's: 78 rubles per dollar, twice the price, in ₽.
         *
         * @param p the rate, the markup and the currency whose minor units every amount of the shop is in
         * @return this builder
         */
        public Builder pricing(Pricing p) {
            this.pricing = p;
            return this;
        }

        /**
         * FREE_TIER_MODEL_IDS: exactly five model ids instead of the five cheapest models.
         *
         * @param ids five ids of the catalog's models ({@link #build()} names a wrong one); empty (the default) for
         *            the five cheapest
         * @return this builder
         */
        public Builder freeTierOverride(Optional<java.util.List<String>> ids) {
            this.freeTierOverride = ids;
            return this;
        }

        /**
         * Free generations a user gets a day (required; the runners' FREE_DAILY_LIMIT): {@code 0} for a shop that
         * only sells, or e.g. {@link FreeTier#DEFAULT_DAILY_LIMIT}. Every user gets them, of the five cheapest models
         * unless {@link #freeTierOverride} names others, and your provider account pays for them.
         *
         * @param limit free generations per user per day of {@link ShopSettings#zone()}; 0 for none
         * @return this builder
         */
        public Builder freeDailyLimit(int limit) {
            this.freeDailyLimit = limit;
            return this;
        }

        /**
         * Free generations the whole shop gives a day, to every user together (the runners' FREE_DAILY_TOTAL; default:
         * no cap). New Telegram accounts cost nothing, so {@link #freeDailyLimit} alone lets a crowd of them take as
         * many as it likes of what your provider account pays for; once the day's total is given out, every screen
         * shows no free generation left and the price, until the day ends ({@link ShopSettings#zone()}).
         *
         * @param max free generations a day for all users together; leave the call out for no cap
         * @return this builder
         */
        public Builder freeDailyTotal(int max) {
            this.freeDailyTotal = java.util.OptionalInt.of(max);
            return this;
        }

        /**
         * Welcome bonuses ({@link ShopSettings#welcomeBonus()}) the whole shop gives a day, to every new user together
         * (the runners' WELCOME_DAILY_TOTAL; default: no cap). A new Telegram account costs nothing, and each bonus is
         * spent on what your provider account pays for; once the day's are given out, a new user gets none (and is
         * not told of one), not later either, until the day ends ({@link ShopSettings#zone()}), and the admins are
         * told once that day.
         *
         * @param max welcome bonuses a day for all new users together, more than 0 ({@link #build()} refuses less);
         *            leave the call out for no cap
         * @return this builder
         */
        public Builder welcomeDailyTotal(int max) {
            this.welcomeDailyTotal = java.util.OptionalInt.of(max);
            return this;
        }

        /**
         * Whether {@link #build()} logs its warning for each {@link UncappedGift} (the default: it does). A runner
         * that says the same at its own start, in the words of its own settings (kiebot's names its variables), gives
         * false, so that its operator reads it once.
         *
         * @param warns false: {@link #build()} says nothing of uncapped gifts
         * @return this builder
         */
        public Builder warnsOfUncappedGifts(boolean warns) {
            this.warnsOfUncappedGifts = warns;
            return this;
        }

        /**
         * Whether {@link #build()} logs its warning for a {@link #pricing} that sells below the provider's price
         * ({@link Pricing#sellsBelowCost()}; the default: it does). False for a promotion that means it, or a runner
         * that says it at its own start in the words of its settings (kiebot's names PRICING_MARKUP).
         *
         * @param warns false: {@link #build()} says nothing of a markup below 1
         * @return this builder
         */
        public Builder warnsOfSalesBelowCost(boolean warns) {
            this.warnsOfSalesBelowCost = warns;
            return this;
        }

        /**
         * The operator's settings (required): {@link ShopSettings#defaults()} with your admins and support contact; a
         * shop whose prices are not in rubles also says what a Star credits in its currency
         * ({@link ShopSettings#withStars}): the defaults' 150 minor units are 1.50 RUB, and {@link #build()} refuses
         * them in another currency.
         *
         * @param s the admins, support contact, zone, bonuses, Stars packs and deadlines
         * @return this builder
         */
        public Builder settings(ShopSettings s) {
            this.settings = s;
            return this;
        }

        /**
         * Every store (required), each passing core-testing's contract tests; they must survive a restart: nothing
         * here falls back to memory, and {@link #build()} refuses stores whose {@link Transactions#durable()} says
         * no ({@code core-testing}'s {@code InMemoryStores}) unless told {@link #inMemoryForTests()}, and so it
         * refuses a store that says it keeps everything in memory ({@link KeptInMemory}: {@code core-testing}'s
         * in-memory stores) mixed into a database's ({@code pgStores.withLedger(new InMemoryLedger(clock))}), naming
         * it, also behind a decorator ({@code ForwardingLedger}, {@code ForwardingJobs}, a store that carries the
         * mark and answers for the one it forwards to). It does not see a store of yours in memory without the mark,
         * nor one behind a decorator of yours that neither says so nor extends core's: the stores as a whole must be
         * durable.
         *
         * @param s every store, and the transactions they join: e.g. {@code PgStores.create(db, clock).asCoreStores()}
         * @return this builder
         */
        public Builder stores(Stores s) {
            this.stores = s;
            return this;
        }

        /**
         * Says that this shop is a test's and may run on stores in memory ({@code core-testing}'s
         * {@code InMemoryStores}, whose {@link Transactions#durable()} says no, or one of its stores, a
         * {@link KeptInMemory}, among others). Without it {@link #build()} refuses them: a shop on memory loses every balance, job and payment when its process stops, and undoes no write of a
         * failed update. Never call it in a shop that serves real users.
         *
         * @return this builder
         */
        public Builder inMemoryForTests() {
            this.inMemoryForTests = true;
            return this;
        }

        /**
         * Sends the replies to your chat platform (required).
         *
         * @param m your platform's adapter; called from the reply sender's threads, never inside a transaction
         * @return this builder
         */
        public Builder messenger(Messenger m) {
            this.messenger = m;
            return this;
        }

        /**
         * The AI service that runs the generations (required).
         *
         * @param p your provider's adapter; called from the job worker's threads, a callback's thread (the runner's
         *          door for the provider's callbacks) and the admins' dashboard thread, never inside a transaction
         * @return this builder
         */
        public Builder provider(GenerationProvider p) {
            this.provider = p;
            return this;
        }

        /**
         * The AI service's name as the admins read it in alerts, {@code /find} and the dashboard («кредиты Kie», «задача
         * Kie»); {@value dev.kiebot.core.text.Texts#PROVIDER_DEFAULT} unless given. Users' texts say «нейросеть».
         *
         * @param name a short brand name; {@link #build()} refuses one the texts cannot carry, saying why
         * @return this builder
         */
        public Builder providerName(String name) {
            this.providerName = name;
            return this;
        }

        /**
         * The shop's own texts in place of kiebot's, per language: its terms ({@code /terms}) and privacy policy
         * ({@code /privacy}), which Telegram requires of a bot that takes payments and which name the seller, its
         * welcome or help. Default: {@link TextOverrides#none()}, kiebot's texts; {@link #build()} refuses a text in
         * another language than {@code ru} and {@code en}, for a key that is no {@code Msg}'s, blank, or without
         * exactly the placeholders of the text it replaces, naming each.
         *
         * @param t e.g. {@code TextOverrides.builder().text("ru", Msg.TERMS, "…").build()}
         * @return this builder
         */
        public Builder texts(TextOverrides t) {
            this.ownTexts = t;
            return this;
        }

        /**
         * Tells the admins when the provider's balance ({@link GenerationProvider#credits()}) is below {@code threshold}
         * (kiebot's runners: KIE_LOW_CREDITS, 2000 credits): read every {@link Upkeep#CREDITS_EVERY}, told at most every
         * {@link Upkeep#CREDITS_ALERT_EVERY} by all instances on the stores together (audit action
         * {@code alert.credits_low}). Default: not watched, and {@link Upkeep#tasks()} has no {@code credits} task;
         * {@link #build()} refuses a threshold of 0 or less (leave the call out for no alert).
         *
         * @param threshold a balance in your provider's own units (Kie: credits), not the shop's currency
         * @return this builder
         * @throws NullPointerException for a null threshold
         */
        public Builder lowCredits(java.math.BigDecimal threshold) {
            this.lowCredits = Optional.of(java.util.Objects.requireNonNull(threshold,
                    "lowCredits: a balance more than 0, or leave the call out for no alert"));
            return this;
        }

        /**
         * The stores' server's clock (PostgreSQL: adapters-postgres's {@code new PgClock(jdbi)}, its
         * {@code clock_timestamp()}), which the shop compares with its own clock ({@link #clock}) at
         * {@link ShopWork#start} and every minute
         * ({@link ClockSkew}): instances sharing the stores decide by their own clocks, and two minutes apart one
         * refunds orders the other is still making. Default: none, nothing compared (one instance alone, or stores in
         * memory). Give it whenever several processes may share the stores: {@code ShopWork.start(shop,
         * Instances.SEVERAL)} refuses a shop on a database's stores without it.
         *
         * @param c the stores' clock
         * @return this builder
         * @throws NullPointerException for a null clock
         */
        public Builder storesClock(StoresClock c) {
            this.storesClock = Optional.of(java.util.Objects.requireNonNull(c, "storesClock"));
            return this;
        }

        /**
         * How far the machine's clock may be from the stores' ({@link #storesClock}) before {@link ShopWork#start}
         * refuses to start ({@link ClockSkew#checkAtStart()}). Default {@link ClockSkew#REFUSE_ABOVE}, two minutes.
         * The way out when the stores' server's own clock is the one off: every instance is refused then, until it
         * is synced. What a higher limit (or none) risks: while two instances share the stores (several, or a
         * deploy's overlap), one this far off takes the other's 90-second job leases and ends its five-minute send
         * windows, refunding orders the provider is still making and charging for. The WARNING above
         * {@link ClockSkew#WARN_ABOVE} still comes.
         *
         * @param limit more than zero, or {@link java.time.Duration#ZERO} for a start never refused (kiebot's runner:
         *              {@code CLOCK_SKEW_MAX_SECONDS})
         * @return this builder
         * @throws NullPointerException for a null limit; a negative one is refused by {@link #build()}
         */
        public Builder clockSkewRefusedAbove(java.time.Duration limit) {
            this.clockSkewRefusedAbove = java.util.Objects.requireNonNull(limit, "clockSkewRefusedAbove");
            return this;
        }

        /**
         * How long a finished broadcast keeps its recipients (one row per user it went to) before the upkeep's hourly
         * cleanup forgets them; its report reads the same afterwards, from the counts kept when it finished
         * ({@link dev.kiebot.core.broadcast.Broadcasts#forgetRecipients}). Default
         * {@link Upkeep#BROADCAST_RECIPIENTS_RETENTION} (30 days); {@link #build()} refuses less than a day.
         *
         * @param retention from the broadcast's end (kiebot's runner: {@code BROADCAST_RECIPIENTS_RETENTION_DAYS})
         * @return this builder
         * @throws NullPointerException for a null retention
         */
        public Builder broadcastRecipientsRetention(java.time.Duration retention) {
            this.broadcastRecipientsRetention = java.util.Objects.requireNonNull(retention,
                    "broadcastRecipientsRetention: a day or more, or leave the call out for 30 days");
            return this;
        }

        /**
         * How long personal texts are kept: the inputs, results and delivered files of finished generations ordered
         * longer ago, the texts of support requests asked and last answered longer ago and of their answers, and the
         * receipts of card / SBP requests closed longer ago are blanked by the upkeep's hourly cleanup, in bounded
         * passes, as {@code /forget} blanks one user's ({@link dev.kiebot.core.users.PersonalData#forgetOlder}).
         * Money rows, a generation under way and an open request are never touched; «Ещё раз» under a blanked
         * generation asks for its description, as after {@code /forget}. Default: kept until {@code /forget};
         * {@link #build()} refuses less than a day.
         *
         * @param retention from the order, the request's last answer or the top-up's close (kiebot's runner:
         *                  {@code PERSONAL_DATA_DAYS})
         * @return this builder
         * @throws NullPointerException for a null retention
         */
        public Builder personalDataRetention(java.time.Duration retention) {
            this.personalDataRetention = Optional.of(java.util.Objects.requireNonNull(retention,
                    "personalDataRetention: a day or more, or leave the call out to keep them until /forget"));
            return this;
        }

        /**
         * Downloads the files users send as a model's input (required).
         *
         * @param f your platform's file download; called by the job worker before it submits a job
         * @return this builder
         */
        public Builder files(FileSource f) {
            this.files = f;
            return this;
        }

        /**
         * How long until a job's next status read (default: every 5 s; for Kie, its {@code PollSchedule::delayAfter}).
         *
         * @param p the delay after each read of a job's status
         * @return this builder
         */
        public Builder pollPolicy(PollPolicy p) {
            this.pollPolicy = p;
            return this;
        }

        /**
         * The business clock (required): {@code Clock.systemUTC()}; tests pass one they move.
         *
         * @param c what every stored instant, deadline and day is read from
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /**
         * Where the provider should report completion; without it jobs are polled only. Each task is sent it with
         * its job named in it ({@code ?job=gen_12&made=…}, {@link dev.kiebot.core.jobs.CallbackUrl}). The address is
         * public, so guard it: put a secret of yours in its path (kiebot's runner: {@code /kie/callback/<token>},
         * {@code KIE_CALLBACK_SECRET}) and answer a call without it with 404, reading nothing of its body; for Kie,
         * check each call with adapters-kie's {@code KieCallbacks.check(body, headers)} (Kie's HMAC signature,
         * {@code X-Webhook-Signature}, when it is given the key), which also reads the task id. Then hand the task id
         * and that {@code job} parameter to {@code shop.worker().checkTask(taskId, Optional.ofNullable(job))}. It reads
         * the task from the provider for every call rather than trusting the call's body: run it on a bounded pool of
         * your own (a few threads behind a bounded queue, the call answered 503 when it is full, as the runner's
         * {@code KieCallbackDoor} does), never on the thread that answers the request, so that a flood of calls costs
         * no more provider reads than the pool takes. The job named lets a task whose id was never stored (the
         * process cut off after the provider's answer) reach its job, see {@code GenerationProvider.origin}; the
         * polling goes on either way, so a lost or refused callback only delays a result. {@link #build()} refuses an
         * address that is not an absolute http(s) one.
         *
         * @param url the address your provider posts to, reachable from the internet; empty (the default) to poll only
         * @return this builder
         */
        public Builder callbackUrl(Optional<String> url) {
            this.callbackUrl = url;
            return this;
        }

        /**
         * Names this instance's worker in job leases (e.g. the INSTANCE_NAME; default {@code worker}): give each
         * process on one database its own. {@link #build()} refuses a blank one.
         *
         * @param name this process's name as the job leases record it
         * @return this builder
         */
        public Builder workerName(String name) {
            this.workerName = name;
            return this;
        }

        /**
         * Where calls to Telegram that follow a committed update run: answers to button presses, and Stars refunds
         * unless {@link #refundCalls} says otherwise. Default: the shop's own daemon threads (two for answers, one for
         * refunds, each behind a bounded queue: a call that cannot be queued is dropped and logged), which
         * {@link ShopWork#close()} waits for; never the thread that handles the update, which would keep its database
         * connection and {@link Storefront#serve} until the platform answered. A call that fails is logged: the update
         * it follows committed. A runner that schedules the work on threads of its own ({@link ShopWork.Parts}) has no
         * {@code ShopWork} to close them: idle, they end by themselves, and a refund cut off by the process's exit
         * keeps its hold for its deadline; give executors of your own to wait for them at your stop.
         *
         * @param executor where those calls run: a bounded pool of your own, closed after the updates stop and before
         *                 {@link ShopWork#close()}, which then waits for the sent pre-checkout answers' rows to be
         *                 forgotten (and so before the database, as a refund writes Telegram's answer); {@code Runnable::run} runs them on the
         *                 committing thread, inside {@code serve} (a test's, to see the answer when serve returns)
         * @return this builder
         * @throws NullPointerException for a null executor
         */
        public Builder answers(Executor executor) {
            this.answers = Optional.of(java.util.Objects.requireNonNull(executor,
                    "answers: an Executor, or leave the call out for the shop's own threads"));
            return this;
        }

        /**
         * Where a sent pre-checkout answer is forgotten (default: a thread of the shop's own, {@link AnswerForgets}):
         * this package's tests give {@code Runnable::run} to read the store when the answer returns.
         */
        Builder answerForgets(Executor executor) {
            this.answerForgets = Optional.of(java.util.Objects.requireNonNull(executor, "answerForgets"));
            return this;
        }

        /**
         * Where a Stars refund an admin asked for calls Telegram, once the admin's update has committed (default: the
         * executor given to {@link #answers}, else a thread of the shop's own, apart from its answers'). A refund may
         * wait out Telegram's retries for seconds; on an executor of its own it does not hold up the answers to other
         * users' button presses, which matter only for about 15 s.
         *
         * @param executor where the refund calls run
         * @return this builder
         * @throws NullPointerException for a null executor
         */
        public Builder refundCalls(Executor executor) {
            this.refundCalls = Optional.of(java.util.Objects.requireNonNull(executor,
                    "refundCalls: an Executor, or leave the call out to use answers'"));
            return this;
        }

        /**
         * How fast one chat may receive messages (TELEGRAM_CHAT_INTERVAL_MS, TELEGRAM_CHAT_BURST).
         *
         * @param pacing per chat; default {@link ChatPacing#telegramDefaults()}; a test that drains after each update
         *               gives {@code new ChatPacing(Duration.ZERO, 1)}
         * @return this builder
         */
        public Builder chatPacing(ChatPacing pacing) {
            this.chatPacing = pacing;
            return this;
        }

        /**
         * How fast the whole bot may send messages (TELEGRAM_GLOBAL_RATE; Telegram: 30 a second).
         *
         * @param pacing for this process; default {@link BotPacing#telegramDefaults()}
         * @return this builder
         */
        public Builder botPacing(BotPacing pacing) {
            this.botPacing = pacing;
            return this;
        }

        /**
         * Real time for pacing, whatever {@link #clock} says (tests move the business clock, not Telegram's).
         *
         * @param c the clock the pacing and the outbox's due times run on; default {@code Clock.systemUTC()}
         * @return this builder
         */
        public Builder pacingClock(Clock c) {
            this.pacingClock = c;
            return this;
        }

        /**
         * Gives Stars payments back (Telegram's refundStarPayment: adapters-telegram's
         * {@code new TelegramStarsRefunds(bot)}). Required when the {@link #settings} sell Stars packages; a shop whose
         * settings say {@code ShopSettings.withoutStars()} (a platform without Stars, where every Stars invoice would
         * fail) leaves the call out and gets {@link StarsRefunds#none()}, as no Stars payment can reach it.
         *
         * @param r your platform's refund call, or {@link StarsRefunds#none()}
         * @return this builder
         */
        public Builder starsRefunds(StarsRefunds r) {
            this.starsRefunds = r;
            return this;
        }

        /**
         * Reads the bot's Stars transactions as the platform keeps them (Telegram's getStarTransactions:
         * adapters-telegram's {@code new TelegramStarTransactions(bot)}), for the admins' {@code /reconcile_stars},
         * which credits the payments the shop's records lack (a database restored from an older backup). Optional:
         * left out, {@link StarTransactions#none()}, and {@code /reconcile_stars} answers that it cannot read them.
         *
         * @param t your platform's list of Stars transactions
         * @return this builder
         * @throws NullPointerException for null
         */
        public Builder starTransactions(StarTransactions t) {
            this.starTransactions = java.util.Objects.requireNonNull(t,
                    "starTransactions: your platform's list, or leave the call out for StarTransactions.none()");
            return this;
        }

        /**
         * Draws the admins' chart (a charting library outside core).
         *
         * @param c the renderer; {@link ChartRenderer#none()} for the figures as text alone
         * @return this builder
         */
        public Builder charts(ChartRenderer c) {
            this.charts = c;
            return this;
        }

        /**
         * Card / SBP top-ups confirmed by an admin; off unless a card or phone is given. On, {@link #build} requires
         * at least one admin in the {@link #settings}.
         *
         * @param m where users transfer to; default {@link ManualPayments#off()}
         * @return this builder
         */
        public Builder manualPayments(ManualPayments m) {
            this.manualPayments = m;
            return this;
        }

        /**
         * A payment page of your own for top-ups: {@code /topup} (and «➕ Пополнить») shows it to each user as a link
         * button, «💳 Оплатить онлайн» / "💳 Pay online", with a line saying so, beside the Stars packs and the card /
         * SBP button when those are offered too. For a shop whose own payment provider credits through
         * {@link Shop#externalTopUps()}: without it, a shop {@code withoutStars()} and without {@link #manualPayments}
         * tells its users that the balance cannot be topped up in the bot. Default: none.
         *
         * @param link the user's page by the user's id, e.g. {@code userId -> URI.create("https://pay.example.com/
         *             topup?user=" + userId)}: it is shown to the user, so put no secret in it (see {@link TopUpLink})
         * @return this builder
         * @throws NullPointerException for a null link
         */
        public Builder topUpLink(TopUpLink link) {
            this.topUpLink = Optional.of(java.util.Objects.requireNonNull(link,
                    "topUpLink: your payment page by the user's id, or leave the call out for none"));
            return this;
        }

        /**
         * The bot's username (Telegram's {@code getMe}), for the button that takes a group's member to the bot's
         * private chat, the only kind of chat the shop serves; without it the group hears the text alone. Telegram's
         * links are made of it; a shop given {@link #botLinks} of its own does not use it.
         *
         * @param username without the {@code @}; empty (the default) when it is not known
         * @return this builder
         */
        public Builder botUsername(Optional<String> username) {
            this.botUsername = username == null ? null : () -> username;
            return this;
        }

        /**
         * The bot's username as known at each moment, read whenever a link to the bot's private chat is made (the
         * group's button, {@code /invite}'s link and share button, an admin's {@code /link}): for a runner that could
         * not ask Telegram at start and learns it later. Until it gives one, those say the command to type instead.
         *
         * @param username gives the username without the {@code @}, or empty while it is not known; never null
         * @return this builder
         */
        public Builder botUsernameFrom(java.util.function.Supplier<Optional<String>> username) {
            this.botUsername = username;
            return this;
        }

        /**
         * The links into the bot that users get (a group's button to the private chat, {@code /invite}'s link and
         * share button, an admin's {@code /link}), for a bot on another platform than Telegram: see {@link BotLinks}.
         * Default: {@code BotLinks.telegram} of the {@link #botUsername}, which is then not used by the shop.
         *
         * @param links your platform's links into your bot
         * @return this builder
         * @throws NullPointerException for null links
         */
        public Builder botLinks(BotLinks links) {
            this.botLinks = Optional.of(java.util.Objects.requireNonNull(links,
                    "botLinks: your platform's links into the bot, or leave the call out for Telegram's"));
            return this;
        }

        /** The refusal of a Star worth more than {@link #STAR_CREDIT_MAX_USD}: the value, its worth, what to set. */
        private static String tooMuchAStar(long minorUnitsPerStar, BigDecimal usd, Pricing pricing) {
            return aStarsWorth(minorUnitsPerStar, usd, pricing) + ": more than $" + STAR_CREDIT_MAX_USD.toPlainString()
                    + " a Star, while a Star earns its seller about $0.013, so every Stars top-up would be paid mostly "
                    + "out of the shop's pocket (minor units of " + pricing.currency() + ": 150 is 1.50). "
                    + whatToSet(pricing);
        }

        /** The refusal of a Star worth less than {@link #STAR_CREDIT_MIN_USD}: the value, its worth, what to set. */
        private static String tooLittleAStar(long minorUnitsPerStar, BigDecimal usd, Pricing pricing) {
            return aStarsWorth(minorUnitsPerStar, usd, pricing) + ": less than $" + STAR_CREDIT_MIN_USD.toPlainString()
                    + " a Star, while a Star earns its seller about $0.013, so every Stars top-up would credit the "
                    + "user a small part of what he paid (minor units of " + pricing.currency() + ": 150 is 1.50, 1 "
                    + "is 0.01). " + whatToSet(pricing);
        }

        private static String aStarsWorth(long minorUnitsPerStar, BigDecimal usd, Pricing pricing) {
            return "Shop.builder(): one Star credits " + minorUnitsPerStar + " minor units of " + pricing.currency()
                    + ", $" + dollars(minorUnitsPerStar, usd, pricing) + " at pricing's fxRate of " + pricing.fxRate().stripTrailingZeros()
                    .toPlainString() + " " + pricing.currency() + " per US dollar";
        }

        /**
         * A Star's worth in dollars as said: {@link Pricing#inUsd}'s four places, at least two; when those round to
         * nothing (1.50 at a million to the dollar, $0.0000015, read "$0.00"), two significant digits of its value.
         */
        private static String dollars(long minorUnitsPerStar, BigDecimal usd, Pricing pricing) {
            if (usd.signum() == 0 && minorUnitsPerStar > 0) {
                return BigDecimal.valueOf(minorUnitsPerStar, Pricing.MINOR_DIGITS)
                        .divide(pricing.fxRate(), new java.math.MathContext(2, RoundingMode.HALF_UP))
                        .stripTrailingZeros().toPlainString();
            }
            return usd.stripTrailingZeros().setScale(Math.max(2, usd.stripTrailingZeros().scale())).toPlainString();
        }

        private static String whatToSet(Pricing pricing) {
            Pricing rubles = Pricing.defaults();
            // kiebot's own rate (1.50 RUB a Star at 78 RUB per dollar) in the shop's currency: a value that works
            long like = Math.max(1, BigDecimal.valueOf(ShopSettings.defaults().starPrice()).multiply(pricing.fxRate())
                    .divide(rubles.fxRate(), 0, RoundingMode.HALF_UP).longValueExact());
            return "Say what a Star is worth in " + pricing.currency()
                    + " with settings.withStars(packages, minorUnitsPerStar): " + like + " credits what kiebot's "
                    + "1.50 RUB a Star does at " + rubles.fxRate().stripTrailingZeros().toPlainString()
                    + " RUB per dollar "
                    + "(kiebot's runner: STAR_PRICE_RUB, in " + pricing.currency() + " despite its name)";
        }

        /**
         * Checks every setting at once and wires the shop. Build one shop per set of stores and process: its work is
         * started once ({@link ShopWork#start}). A free daily limit without a {@link #freeDailyTotal} or a welcome bonus
         * without a {@link #welcomeDailyTotal} is allowed, and logged as a warning ({@link UncappedGift}; not with
         * {@link #warnsOfUncappedGifts} false): new accounts cost nothing to make, and each one's gift is paid from
         * your provider account. So is a markup below 1 ({@link Pricing#sellsBelowCost()}; not with
         * {@link #warnsOfSalesBelowCost} false): a promotion may mean it, a typo loses money on every sale.
         *
         * @return the shop, ready to serve once its {@link ShopWork} is started
         * @throws IllegalStateException    when this builder built a shop already (one that threw did not count);
         *                                  naming every missing port or setting; for stores in memory without
         *                                  {@link #inMemoryForTests()}; for Stars sold at a rate that credits more
         *                                  than $0.10 a Star at the pricing's fxRate (a Star earns its seller about
         *                                  $0.013: a unit mistake, not a promotion), or less than $0.001 (a hundred
         *                                  times too low, say), naming the value and what to set
         * @throws IllegalArgumentException when the free tier cannot be made (naming the builder call to change), the
         *                                  callbackUrl is not an absolute http(s) address, the workerName is blank,
         *                                  the welcomeDailyTotal or the lowCredits is not more than 0, the
         *                                  broadcastRecipientsRetention is less than a day, or a text of
         *                                  the {@link #texts} cannot stand for kiebot's (naming each)
         */
        public Shop build() {
            if (built) {
                // a second shop over the same ports: its own daemon threads (answers, refunds) and its own outbox
                // signals, so a ShopWork started for one leaves the other's replies unsent
                throw new IllegalStateException("Shop.builder().build() was called a second time on the same builder: "
                        + "a builder makes one shop (build once, and share that Shop: its storefront, sender and "
                        + "worker serve every thread); for another shop, start from a new Shop.builder()");
            }
            List<String> missing = new ArrayList<>();
            require(missing, catalog, "catalog (Catalog.of(models) of your models, or Kie's models as kiebot sells "
                    + "them: adapters-kie's KieCatalog.fromClasspath())");
            require(missing, stores, "stores (adapters-postgres' PgStores.create(database, clock).asCoreStores(), "
                    + "or your own, each passing core-testing's contract tests)");
            require(missing, messenger, "messenger (your platform's Messenger: adapters-telegram's "
                    + "TelegramMessenger.builder(bot).build())");
            require(missing, provider, "provider (a GenerationProvider: adapters-kie's KieProvider.create("
                    + "KieConfig.builder(apiKey).build()), or your own)");
            require(missing, files, "files (your platform's FileSource: adapters-telegram's "
                    + "new TelegramFileSource(bot))");
            require(missing, clock, "clock (e.g. Clock.systemUTC())");
            require(missing, pricing, "pricing (new Pricing(fxRate, markup, currency): your currency's units per US "
                    + "dollar, your multiplier over the provider's price and the ISO code, e.g. new Pricing(BigDecimal.ONE, "
                    + "new BigDecimal(\"2\"), \"USD\"), or Pricing.defaults() for kiebot's 78 RUB per USD x2)");
            require(missing, settings, "settings (ShopSettings, e.g. ShopSettings.defaults() with your admins)");
            require(missing, freeDailyLimit, "freeDailyLimit (free generations a user gets a day, paid by your "
                    + "provider account: 0 for none, FreeTier.DEFAULT_DAILY_LIMIT for kiebot's "
                    + FreeTier.DEFAULT_DAILY_LIMIT + ")");
            if (settings == null || settings.starsOffered()) {
                require(missing, starsRefunds, "starsRefunds (your platform's refund of a Stars payment: adapters-"
                        + "telegram's new TelegramStarsRefunds(bot), or, in a shop that sells no Stars, "
                        + "settings.withoutStars() and the call left out)");
            }
            require(missing, charts, "charts (ChartRenderer.none() for the admins' figures as text alone, or a "
                    + "renderer of your own: app-runtime's JFreeChartRenderer draws them with JFreeChart)");
            // a setting with a default given null: named here, not a bare NullPointerException at the first update
            require(missing, freeTierOverride,
                    "freeTierOverride (given null: Optional.empty() for the cheapest models)");
            require(missing, pollPolicy, "pollPolicy (given null: leave the call out for a status read every 5 s)");
            require(missing, callbackUrl, "callbackUrl (given null: Optional.empty() for none)");
            require(missing, workerName, "workerName (given null: leave the call out for \"worker\")");
            require(missing, chatPacing,
                    "chatPacing (given null: leave the call out for ChatPacing.telegramDefaults())");
            require(missing, botPacing, "botPacing (given null: leave the call out for BotPacing.telegramDefaults())");
            require(missing, pacingClock, "pacingClock (given null: leave the call out for Clock.systemUTC())");
            require(missing, manualPayments, "manualPayments (given null: ManualPayments.off() for no card top-ups)");
            require(missing, botUsername, "botUsername (given null: Optional.empty() when it is not known)");
            require(missing, ownTexts, "texts (given null: leave the call out for kiebot's texts)");
            if (!missing.isEmpty()) {
                throw new IllegalStateException("Shop.builder() is missing: " + String.join("; ", missing));
            }
            if (!stores.transactions().durable() && !inMemoryForTests) {
                // a rule of the type, not of the docs: copied from a test's wiring, memory would pass every check
                // until the first restart took every balance with it
                throw new IllegalStateException("Shop.builder(): the stores keep everything in memory (their "
                        + "Transactions.durable() is false, as core-testing's InMemoryStores' is): every balance, job "
                        + "and payment is lost when the process stops. Give stores on a database, e.g. "
                        + "PgStores.create(database, clock).asCoreStores() of adapters-postgres, or your own; in a "
                        + "test, say so with .inMemoryForTests()");
            }
            List<String> inMemory = stores.keptInMemory();
            if (!inMemory.isEmpty() && !inMemoryForTests) {
                // durable() speaks for the stores as a whole: one store in memory among a database's (an in-memory
                // ledger given with withLedger) passed it, and that store's rows were gone at the first restart
                throw new IllegalStateException("Shop.builder(): the stores' transactions are durable, but "
                        + String.join(", ", inMemory) + " keep" + (inMemory.size() == 1 ? "s" : "")
                        + " everything in memory (KeptInMemory, as core-testing's in-memory stores do): what "
                        + (inMemory.size() == 1 ? "it keeps" : "they keep") + " is lost when the process stops. Give "
                        + "the database's own (PgStores.create(database, clock).asCoreStores() of adapters-postgres "
                        + "has every one), or a store of yours that keeps its rows there; in a test, say so with "
                        + ".inMemoryForTests()");
            }
            refuseStarsWithNoStarsStore();
            if (manualPayments.enabled() && settings.adminIds().isEmpty()) {
                // a card / SBP top-up is credited only when an admin confirms it: with nobody to ask, the user's
                // transfer reached the card and was never credited
                throw new IllegalStateException("Shop.builder(): manualPayments offers card / SBP top-ups, which an "
                        + "admin confirms, but the settings name no admin: give them with "
                        + "ShopSettings.withAdmins(...), or leave manualPayments off (ManualPayments.off())");
            }
            List<String> wrong = new ArrayList<>();
            callbackUrl.filter(url -> !isWebAddress(url)).ifPresent(url -> wrong.add("callbackUrl must be an "
                    + "absolute http(s) address the provider can reach, e.g. Optional.of(\"https://bot.example.com/kie/"
                    + "callback\"), or Optional.empty() to poll only; was \"" + url + "\""));
            if (welcomeDailyTotal.isPresent() && welcomeDailyTotal.getAsInt() <= 0) {
                wrong.add("welcomeDailyTotal (kiebot's runner: WELCOME_DAILY_TOTAL) must be more than 0 welcome "
                        + "bonuses a day for all new users together, got " + welcomeDailyTotal.getAsInt()
                        + "; leave the call out for no cap, or give no bonus with settings.withWelcomeBonus(0)");
            }
            if (broadcastRecipientsRetention.compareTo(java.time.Duration.ofDays(1)) < 0) {
                wrong.add("broadcastRecipientsRetention (kiebot's runner: BROADCAST_RECIPIENTS_RETENTION_DAYS) must "
                        + "be a day or more, got " + broadcastRecipientsRetention
                        + "; leave the call out for 30 days");
            }
            if (clockSkewRefusedAbove.isNegative()) {
                wrong.add("clockSkewRefusedAbove (kiebot's runner: CLOCK_SKEW_MAX_SECONDS) must be 0 (never refuse a "
                        + "start) or more, got " + clockSkewRefusedAbove + "; leave the call out for 2 minutes");
            }
            personalDataRetention.filter(r -> r.compareTo(java.time.Duration.ofDays(1)) < 0).ifPresent(r -> wrong.add(
                    "personalDataRetention (kiebot's runner: PERSONAL_DATA_DAYS) must be a day or more, got " + r
                    + "; leave the call out to keep personal texts until /forget"));
            lowCredits.filter(t -> t.signum() <= 0).ifPresent(t -> wrong.add("lowCredits (kiebot's runner: "
                    + "KIE_LOW_CREDITS) must be a balance more than 0, got " + t.toPlainString()
                    + "; leave the call out for no alert"));
            if (workerName.isBlank()) {
                // the name is what an operator reads in a job's lease to tell the processes on one database apart
                wrong.add("workerName must name this process (e.g. its host or INSTANCE_NAME), or leave the call out "
                        + "for \"worker\"; was blank");
            }
            if (!wrong.isEmpty()) {
                // found here rather than at the first paid job: every submit would carry the bad address, and the
                // provider refuse each order after the user paid for it
                throw new IllegalArgumentException("Shop.builder(): " + String.join("; ", wrong));
            }
            ShopSettings rubles = ShopSettings.defaults();
            BigDecimal aStar = pricing.inUsd(settings.starPrice());
            if (settings.starsOffered() && aStar.compareTo(STAR_CREDIT_MAX_USD) > 0) {
                // refused, not warned of as a markup below 1 is: a promotion lowers prices or gives a bonus, it does
                // not credit several times what a Star brings in; such a rate is a unit mistake (150, kiebot's 1.50
                // RUB, copied into a dollar shop is $1.50, a hundred times a Star's worth)
                throw new IllegalStateException(tooMuchAStar(settings.starPrice(), aStar, pricing));
            }
            if (settings.starsOffered() && aStar.compareTo(STAR_CREDIT_MIN_USD) < 0) {
                // refused as too much a Star is: no price credits a tenth of what a Star brings in; such a rate is a
                // unit mistake (1 typed for 150, or 0.01 for 1.5), and the user paid a hundred times what it credits
                throw new IllegalStateException(tooLittleAStar(settings.starPrice(), aStar, pricing));
            }
            if (!Pricing.defaults().currency().equals(pricing.currency()) && settings.starPrice() == rubles.starPrice()
                    && settings.starsPackages().equals(rubles.starsPackages())) {
                // ShopSettings.defaults() credits 150 minor units a Star: 1.50 RUB, but in another currency 1.50 of
                // it, many times what a Star brings in, paid out of the shop's pocket on every top-up. Judged by value
                // (a record cannot say whether withStars was called): packs of your own pass whatever the price
                throw new IllegalStateException("Shop.builder(): prices are in " + pricing.currency() + ", but one "
                        + "Star credits " + settings.starPrice() + " minor units, ShopSettings.defaults()' rate in "
                        + Pricing.defaults().currency() + ": say what a Star is worth in " + pricing.currency()
                        + " with settings.withStars(packages, minorUnitsPerStar)");
            }
            Stores s = stores;
            Texts named;
            try {
                named = new Texts(providerName == null ? "" : providerName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Shop.builder().providerName: " + e.getMessage(), e);
            }
            Texts texts;
            try {
                texts = named.with(ownTexts);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Shop.builder().texts: " + e.getMessage(), e);
            }
            FreeTier freeTier;
            try {
                freeTier = FreeTier.derive(catalog, pricing, freeTierOverride, freeDailyLimit);
                if (freeDailyTotal.isPresent()) {
                    freeTier = freeTier.withDailyTotalMax(freeDailyTotal.getAsInt());
                }
            } catch (IllegalArgumentException e) {
                // FreeTier's message names the builder call first (and the runner's variable after it)
                throw new IllegalArgumentException("Shop.builder(): the free tier is wrong: " + e.getMessage()
                        + "; freeDailyLimit(0) gives nothing free", e);
            }
            if (warnsOfUncappedGifts) {
                warnOfUncappedGifts();
            }
            if (warnsOfSalesBelowCost && pricing.sellsBelowCost()) {
                // allowed, as the gifts are (a promotion may mean it), but a typo would lose money on every sale
                LOG.log(System.Logger.Level.WARNING, "Shop.builder(): pricing's markup is "
                        + pricing.markup().toPlainString() + ", below 1 (kiebot's runner: PRICING_MARKUP): every paid "
                        + "generation costs your provider account more than the user pays for it; give 1 or more (2 "
                        + "doubles the provider's price), or, if selling below cost is meant, "
                        + ".warnsOfSalesBelowCost(false)");
            }
            // threads only when the builder was given no executor for answers: refunds then go to answers' executor
            Optional<AfterCommitPools> ownPools = answers.isEmpty() ? Optional.of(new AfterCommitPools())
                    : Optional.empty();
            Executor answering = answers.or(() -> ownPools.map(AfterCommitPools::answers)).orElseThrow();
            Executor refunding = refundCalls.or(() -> answers).or(() -> ownPools.map(AfterCommitPools::refunds))
                    .orElseThrow();
            Outbox outbox = new Outbox(messenger, s, clock, pacingClock, answering, botPacing, new WorkSignals(),
                    new AnswerForgets(s, answerForgets.orElseGet(AnswerForgets::ownThread)), texts);
            Generations generations = new Generations(s, catalog, pricing, freeTier, texts, settings, clock, outbox,
                    provider);
            Backlogs backlogs = new Backlogs(s, settings, texts, clock, pacingClock, outbox);
            ProviderCredits credits = new ProviderCredits(provider, clock);
            long downloadBytesMax = files.downloadBytesMax();
            if (downloadBytesMax <= 0) {
                throw new IllegalArgumentException("files: downloadBytesMax() is " + downloadBytesMax + ", which refuses "
                        + "every file a user sends; return the largest file your platform lets the bot download, in "
                        + "bytes (FileSource.DOWNLOAD_BYTES_MAX, Telegram's 20 MB, by default)");
            }
            Conversation conversation = new Conversation(catalog, pricing, freeTier, texts, settings, manualPayments,
                    topUpLink, downloadBytesMax);
            BotAddress bot = BotAddress.of(botLinks.orElseGet(() -> BotLinks.telegram(botUsername)));
            Referrals referrals = new Referrals(s, pricing, texts, settings.referral(), bot, clock,
                    conversation::works);
            TopUps topUps = new TopUps(s, pricing, texts, settings, clock, referrals, welcomeDailyTotal, outbox);
            StarsRefunds refundsCall = starsRefunds == null ? StarsRefunds.none() : starsRefunds;
            StarsRefundDesk refunds = new StarsRefundDesk(s, refundsCall, pricing, texts, clock, settings,
                    outbox, refunding, referrals);
            PaySupport support = new PaySupport(s, catalog, pricing, texts, settings, clock, outbox, refunds);
            ManualTopUpDesk manual = new ManualTopUpDesk(s, pricing, texts, settings, manualPayments, clock, outbox,
                    referrals);
            AdminConsole admin = new AdminConsole(s, pricing, texts, clock, generations, outbox,
                    new AdminDashboard(s, catalog, pricing, texts, settings, clock, credits, charts, freeTier,
                            backlogs, welcomeDailyTotal),
                    new AdminSearch(s, catalog, pricing, texts, settings, refunds, support), refunds, support,
                    new AdminBans(s, texts, clock, settings.zone(), settings.adminIds(), outbox),
                    new AdminLinks(catalog, texts, bot), new AdminPauses(s, catalog, texts, clock),
                    new AdminExport(s, pricing, texts, settings, clock), referrals,
                    new StarsReconciliation(s, starTransactions, topUps, pricing, settings, texts, clock, outbox,
                            refunding), manual);
            Effects effects = new Effects(s, pricing, texts, outbox, generations, topUps, admin, new Effects.Desks(
                    manual, refunds, support, referrals), clock, settings.zone(), settings.adminIds());
            Storefront storefront = new Storefront(s, texts, settings, clock, outbox, conversation, topUps, effects,
                    bot, referrals, freeTier, generations.unsent());
            JobWorker worker = new JobWorker(workerName, s, catalog, provider, files, generations, pollPolicy, outbox,
                    texts, clock, callbackUrl, refunds);
            BroadcastWorker broadcaster = new BroadcastWorker(s, outbox, texts, clock);
            ReplySender sender = new ReplySender(s, messenger, chatPacing, botPacing, pacingClock,
                    generations, outbox.signals());
            Shop shop = new Shop(storefront, worker, broadcaster, sender, generations, outbox, s, catalog, freeTier,
                    pricing, texts, manual, new ExternalTopUps(s, pricing, texts, settings, clock, outbox, referrals),
                    backlogs, lowCredits.map(threshold -> new LowCredits(s, settings, texts, clock, outbox, credits,
                            threshold, generations)), credits, clock, settings.zone(), ownPools,
                    broadcastRecipientsRetention, new ClockSkew(clock, storesClock, clockSkewRefusedAbove), personalDataRetention);
            built = true;
            return shop;
        }

        /**
         * {@link Payments#none()} keeps no Stars payment: in a shop that sells Stars, every invoice's payment would
         * fail to be recorded after Telegram took the Stars. Asked of the store ({@link Payments#keepsStars()}), not
         * by identity: a partner's decorator of {@code Payments.none()} (metering its calls) keeps none either.
         */
        private void refuseStarsWithNoStarsStore() {
            if (settings.starsOffered() && !stores.payments().keepsStars()) {
                throw new IllegalStateException("Shop.builder(): the stores' payments keep no Stars payment "
                        + "(keepsStars() is false: Payments.none(), or a store that forwards to it: "
                        + stores.payments() + "), but the settings sell Stars packages " + settings.starsPackages()
                        + ": say the shop sells none with settings.withoutStars(), or give a Payments store of your "
                        + "own (passing core-testing's StoresContract and ChargeLockContract)");
            }
        }

        /** Allowed (a small audience may mean it), but said at every build: the provider account pays for each. */
        private void warnOfUncappedGifts() {
            for (UncappedGift gift : UncappedGift.in(settings.welcomeBonus(), freeDailyLimit,
                    freeDailyTotal.orElse(0), welcomeDailyTotal.orElse(0))) {
                LOG.log(System.Logger.Level.WARNING, switch (gift) {
                    case FREE_USES -> "Shop.builder(): freeDailyLimit gives every user " + freeDailyLimit
                            + " free generations a day and no freeDailyTotal caps them (kiebot's runner: "
                            + "FREE_DAILY_TOTAL): new accounts cost nothing to make, and N of them take "
                            + freeDailyLimit + "·N a day paid from your provider account; give .freeDailyTotal(n) "
                            + "(free generations a day, every user together), or freeDailyLimit(0) for none";
                    case WELCOME_BONUS -> "Shop.builder(): settings.withWelcomeBonus gives every new account "
                            + pricing.format(settings.welcomeBonus(), "en") + " and no welcomeDailyTotal caps it "
                            + "(kiebot's runner: WELCOME_DAILY_TOTAL): new accounts cost nothing to make, and every "
                            + "bonus is spent on what your provider account pays for; give .welcomeDailyTotal(n) "
                            + "(welcome bonuses a day, every new user together)";
                });
            }
        }
    }
}
