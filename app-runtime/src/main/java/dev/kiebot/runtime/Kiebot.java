package dev.kiebot.runtime;

import com.pengrad.telegrambot.TelegramBot;
import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.pacing.BotPacing;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.kie.KieCallbacks;
import dev.kiebot.kie.KieProvider;
import dev.kiebot.core.jobs.PollPolicy;
import dev.kiebot.kie.StubMedia;
import dev.kiebot.kie.StubProvider;
import dev.kiebot.kie.catalog.KieCatalog;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.Readiness;
import dev.kiebot.postgres.SchemaNewerThanBuildException;
import dev.kiebot.postgres.PgAdminMenus;
import dev.kiebot.postgres.EmbeddedDatabase;
import dev.kiebot.postgres.PgBroadcasts;
import dev.kiebot.postgres.PgJobs;
import dev.kiebot.postgres.PgNotifications;
import dev.kiebot.postgres.PgPausedModels;
import dev.kiebot.postgres.PgPendingReplies;
import dev.kiebot.postgres.PgProcessedUpdates;
import dev.kiebot.postgres.PgClock;
import dev.kiebot.postgres.PgStores;
import dev.kiebot.runtime.charts.JFreeChartRenderer;
import dev.kiebot.runtime.config.KieSettings;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.runtime.config.TelegramSettings;
import dev.kiebot.runtime.http.CallTimes;
import dev.kiebot.runtime.http.Health;
import dev.kiebot.runtime.http.HttpEndpoints;
import dev.kiebot.runtime.http.MetricsAccess;
import dev.kiebot.runtime.intake.BotName;
import dev.kiebot.runtime.intake.AdminMenuChats;
import dev.kiebot.runtime.intake.CommandMenu;
import dev.kiebot.runtime.intake.HandlingStall;
import dev.kiebot.runtime.intake.KieCallbackDoor;
import dev.kiebot.runtime.intake.TelegramPolling;
import dev.kiebot.runtime.intake.TelegramWebhookDoor;
import dev.kiebot.runtime.intake.UpdateDispatcher;
import dev.kiebot.runtime.intake.UpdateInbox;
import dev.kiebot.runtime.intake.WebhookRegistrar;
import dev.kiebot.runtime.logging.JsonLines;
import dev.kiebot.runtime.logging.RootLogLevel;
import dev.kiebot.runtime.logging.SecretMasking;
import dev.kiebot.runtime.loops.SafetyPoll;
import dev.kiebot.runtime.metrics.DatabasePoolMetrics;
import dev.kiebot.runtime.metrics.DatabaseSizeMetrics;
import dev.kiebot.runtime.metrics.InboxMetrics;
import dev.kiebot.runtime.metrics.JobsMetrics;
import dev.kiebot.runtime.metrics.MeteredHandling;
import dev.kiebot.runtime.metrics.MeteredMessenger;
import dev.kiebot.runtime.metrics.MeteredProvider;
import dev.kiebot.runtime.metrics.ObservedStores;
import dev.kiebot.runtime.metrics.OverdueHoldsMetrics;
import dev.kiebot.runtime.metrics.OutboxMetrics;
import dev.kiebot.runtime.metrics.TelegramCalls;
import dev.kiebot.runtime.smoke.SmokePlan;
import dev.kiebot.runtime.smoke.SmokeReport;
import dev.kiebot.runtime.smoke.SmokeTest;
import dev.kiebot.runtime.work.AfterCommitCalls;
import dev.kiebot.runtime.work.BackgroundWork;
import dev.kiebot.runtime.work.DatabaseWritesAlert;
import dev.kiebot.runtime.work.RepliesWithOrigin;
import dev.kiebot.runtime.work.ReplySenders;
import dev.kiebot.telegram.BotCommands;
import dev.kiebot.telegram.Downloads;
import dev.kiebot.telegram.TelegramBots;
import dev.kiebot.telegram.TelegramFileSource;
import dev.kiebot.telegram.TelegramMessenger;
import dev.kiebot.telegram.TelegramStarTransactions;
import dev.kiebot.telegram.TelegramStarsRefunds;
import dev.kiebot.telegram.WebhookRegistration;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.util.JavalinBindException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One assembled bot instance, shared by both runners: database and stores, the Telegram and Kie
 * adapters, the core shop, the update inbox and dispatcher, background work, health and
 * metrics. The runners add only their transport (webhook routes or the polling loop).
 */
public final class Kiebot implements AutoCloseable {
    /**
     * Every channel the stores NOTIFY on (a {@code CHANNEL} of adapters-postgres): one not listened to is heard by no
     * other instance (KiebotChannelsTest). The paused models kept in memory (PgStores) subscribed themselves to theirs.
     */
    static final List<String> LISTENED_CHANNELS = List.of(PgProcessedUpdates.CHANNEL, PgPendingReplies.CHANNEL,
            PgJobs.CHANNEL, PgBroadcasts.CHANNEL, PgPausedModels.CHANNEL);
    private static final Logger LOG = LoggerFactory.getLogger(Kiebot.class);
    /** {@code Sku.id()} of a model with no options: not worth a word in the free tier's line. */
    private static final String DEFAULT_SKU = "default";
    /** Update handler threads per instance: chats are independent, one chat is sequential. */
    static final int HANDLER_THREADS = 4;
    /** Threads delivering the outbox: enough to keep Telegram's 30 messages a second busy. */
    static final int SENDER_THREADS = 4;
    static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** setWebhook attempts before giving up, when REQUIRE_WEBHOOK_REGISTERED is set. */
    static final int WEBHOOK_ATTEMPTS_MAX = 8;
    static final Duration WEBHOOK_RETRY_DELAY_MAX = Duration.ofMinutes(1);
    /** How long a failed start waits for the embedded PostgreSQL it was starting to come up and stop again. */
    static final Duration EMBEDDED_STOP_WAIT = Duration.ofSeconds(60);

    private final Settings settings;
    private final Database database;
    private final Shop shop;
    private final TelegramBot bot;
    private final WebhookRegistration registration;
    private final GenerationProvider provider;
    private final KieCallbacks callbacks;
    private final UpdateInbox inbox;
    private final UpdateDispatcher dispatcher;
    private final ReplySenders senders;
    private final AfterCommitCalls afterCommit;
    private final PgNotifications notifications;
    private final BackgroundWork work;
    private final Health health;
    /** The heap's one WARN near -Xmx, before -XX:+ExitOnOutOfMemoryError ends the process. */
    private final HeapWatch heapWatch = HeapWatch.start();
    private final PrometheusMeterRegistry metrics;
    private final Optional<SmokeTest> smoke;
    private final BotName botName;
    private final CommandMenu menu;

    private Kiebot(Settings settings, Database database, Shop shop, TelegramBot bot, WebhookRegistration registration,
                   GenerationProvider provider, KieCallbacks callbacks, UpdateInbox inbox, UpdateDispatcher dispatcher,
                   ReplySenders senders, AfterCommitCalls afterCommit, PgNotifications notifications,
                   BackgroundWork work, Health health, PrometheusMeterRegistry metrics, Optional<SmokeTest> smoke,
                   BotName botName, CommandMenu menu) {
        this.settings = settings;
        this.database = database;
        this.shop = shop;
        this.bot = bot;
        this.registration = registration;
        this.provider = provider;
        this.callbacks = callbacks;
        this.inbox = inbox;
        this.dispatcher = dispatcher;
        this.senders = senders;
        this.afterCommit = afterCommit;
        this.notifications = notifications;
        this.work = work;
        this.health = health;
        this.metrics = metrics;
        this.smoke = smoke;
        this.botName = botName;
        this.menu = menu;
    }

    /**
     * Assembles everything; nothing runs until {@link #startProcessing()}. The database (with the embedded
     * PostgreSQL, the longest part of a start) comes up on a thread of its own while the catalog, metrics and
     * Telegram are set up.
     *
     * @param telegramReadiness what /readyz calls the Telegram condition ("webhook" or "lock")
     */
    public static Kiebot assemble(Settings settings, Clock clock, String telegramReadiness) {
        return assemble(settings, clock, telegramReadiness, KieReads.DOCUMENTED);
    }

    /**
     * {@link #assemble(Settings, Clock, String)} reading a running generation's status at other intervals than
     * Kie's documented backoff: for tests whose fake Kie finishes a task at once.
     */
    public static Kiebot assemble(Settings settings, Clock clock, String telegramReadiness, KieReads kieReads) {
        SecretMasking.register(settings.secrets());
        if (settings.logFormat() == Settings.LogFormat.JSON) {
            JsonLines.use();
        }
        RootLogLevel.set(settings.logLevel());
        LOG.info("starting kiebot instance {}: {}", settings.instanceName(), settings);
        logNotices(settings);
        CompletableFuture<Database> connecting = Database.connectAsync(settings.database());
        try {
            return assemble(settings, clock, telegramReadiness, kieReads.policy(), connecting);
        } catch (RuntimeException e) {
            // whenever the database comes up (or now, if it has), it is closed: nobody else owns it
            CompletableFuture<Void> closed = connecting.thenAccept(Database::close);
            if (settings.database().isEmbedded()) {
                // the process exits next (StartFailure.orExit): an embedded PostgreSQL still starting, a child process,
                // would outlive it and be found as a leftover by the next start, so the failure waits for its stop
                awaitQuietly(closed, EMBEDDED_STOP_WAIT);
            }
            throw e;
        }
    }

    /** The catalog's size in the start's line, counted as the rest of the log counts: «1 model», «90 models». */
    static String modelsInWords(int models) {
        return models == 1 ? "1 model" : models + " models";
    }

    /**
     * The start's line on the free tier in the variables' words: {@code 3 a day per user (FREE_DAILY_LIMIT), 100 a day
     * in all (FREE_DAILY_TOTAL), on z-image, elevenlabs/sound-effect-v2 (duration_seconds=5), …}. It was the records'
     * own text ({@code [SkuRef[modelId=z-image, skuId=default], …]}), and it listed the models with
     * {@code FREE_DAILY_LIMIT=0} too, when nothing is free.
     */
    static String freeTierInWords(FreeTier tier) {
        if (tier.dailyLimit() == 0) {
            return "none (FREE_DAILY_LIMIT=0)";
        }
        if (tier.skus().isEmpty()) {
            return "none (no model of the catalog in it)";
        }
        String total = tier.dailyTotalMax().isPresent()
                ? tier.dailyTotalMax().getAsInt() + " a day in all (FREE_DAILY_TOTAL)"
                : "no total a day (FREE_DAILY_TOTAL)";
        return tier.dailyLimit() + " a day per user (FREE_DAILY_LIMIT), " + total + ", on " + tier.skus().stream()
                .map(sku -> sku.skuId().equals(DEFAULT_SKU) ? sku.modelId() : sku.modelId() + " (" + sku.skuId() + ")")
                .collect(Collectors.joining(", "));
    }
    /**
     * The configuration's notices, a warning each, and the variables set but empty in one INFO line: those are a
     * deployment form's optional fields (Render's blueprint leaves five empty), read as unset as meant, and a warning
     * each at every start (every 15 idle minutes on Render's free plan) taught operators to skip warnings. And an
     * INFO naming the proxy of the JVM's proxy properties, which the bot's downloads follow too; one the JDK would
     * misread (a port that is not one) stops the start.
     */
    static void logNotices(Settings settings) {
        settings.notices().forEach(notice -> LOG.warn("{}", notice));
        // not the environment's but the JVM's (JAVA_OPTS): an operator behind a proxy sees which one downloads take
        try {
            Downloads.proxyFollowed(System.getProperties()).ifPresent(proxy -> LOG.info("{}", proxy));
        } catch (IllegalArgumentException e) {
            throw new StartFailure("JAVA_OPTS: " + e.getMessage());
        }
        if (!settings.setButEmpty().isEmpty()) {
            LOG.info("set but empty, read as unset: {}", String.join(", ", settings.setButEmpty()));
        }
    }

    /** Waits for {@code done}, whatever its outcome, at most {@code patience}. */
    private static void awaitQuietly(CompletableFuture<?> done, Duration patience) {
        try {
            done.get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // its own failure is the database's, not the start's: the start's failure is what the operator reads
        }
    }

    private static Kiebot assemble(Settings settings, Clock clock, String telegramReadiness, PollPolicy kiePolls,
                                   CompletableFuture<Database> connecting) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CallTimes calls = new CallTimes();
        TelegramBot bot = TelegramBots.create(settings.telegram().botToken(), settings.telegram().apiUrl().toString(),
                TelegramBots.Timeouts.defaults(), new TelegramCalls(metrics, calls, clock));
        WebhookRegistration registration = new WebhookRegistration(bot);
        // Telegram's answer (a round trip) and the catalog (parsing and checking) come meanwhile as well
        CompletableFuture<BotName> asking = CompletableFuture.supplyAsync(
                () -> botName(registration, settings), task -> new Thread(task, "telegram-get-me").start());
        Catalog catalog = KieCatalog.fromClasspath();
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        Gauge.builder("kiebot.catalog.models", catalog::size).register(metrics);
        BuildInfo build = BuildInfo.current();
        Gauge.builder("kiebot.build.info", () -> 1).tag("version", build.version()).tag("commit", build.commit())
                .description("always 1: the labels name the build that runs").register(metrics);
        // the outbox paces each chat and the whole bot; the messenger's default keeps only retry_after pauses
        // the bot's pace is the outbox's, and a reply's retries inside the messenger take their turns of it too
        BotPacing botPacing = BotPacing.perSecond(settings.telegram().globalRate());
        TelegramMessenger.Builder messengerBuilder = TelegramMessenger.builder(bot).retriesPacedBy(botPacing::awaitTurn);
        GenerationProvider provider = new MeteredProvider(provider(settings, messengerBuilder), metrics,
                settings.kie().stubbed() ? () -> { } : () -> calls.kieAnswered(clock.instant()));
        TelegramMessenger telegramMessenger = messengerBuilder.build();
        Gauge.builder("kiebot.telegram.held", telegramMessenger, m -> m.telegramInTrouble() ? 1 : 0)
                .description("1 while Telegram itself is in trouble and no message is sent (replies wait in the "
                        + "outbox until a getMe answers)").register(metrics);
        Messenger messenger = new MeteredMessenger(telegramMessenger, metrics);
        AfterCommitCalls afterCommit = new AfterCommitCalls(settings.instanceName(), STOP_GRACE);
        BotName botName = joined(asking);
        Database database = awaitDatabase(connecting);
        PgStores pgStores = PgStores.create(database, clock);
        releaseLeftLeases(database, pgStores.pendingReplies());
        Stores observed = ObservedStores.of(pgStores.asCoreStores(), metrics, clock);
        // each reply keeps the cid of the update or job that queued it, its sender's lines name it
        Stores stores = observed.withPendingReplies(new RepliesWithOrigin(observed.pendingReplies()),
                observed.transactions());
        InboxMetrics.bindTo(metrics, stores.processedUpdates(), clock);
        OutboxMetrics.bindTo(metrics, stores.pendingReplies(), clock);
        DatabasePoolMetrics.bindTo(metrics, database);
        DatabaseSizeMetrics.bindTo(metrics, database);
        JobsMetrics.bindTo(metrics, stores.jobs(), clock);
        Shop.Builder building = Shop.builder().catalog(catalog).pricing(settings.catalog().pricing())
                .freeTierOverride(settings.catalog().freeTierModelIds())
                .freeDailyLimit(settings.catalog().freeDailyLimit())
                .settings(settings.shop()).stores(stores).messenger(messenger).provider(provider)
                .files(new TelegramFileSource(bot)).pollPolicy(kiePolls).clock(clock)
                .starsRefunds(new TelegramStarsRefunds(bot)).starTransactions(new TelegramStarTransactions(bot))
                .charts(new JFreeChartRenderer())
                .manualPayments(settings.manualPayments()).botUsernameFrom(botName::username)
                .texts(settings.texts())
                .broadcastRecipientsRetention(settings.broadcastRecipientsRetention())
                .callbackUrl(settings.kie().stubbed() ? Optional.empty() : settings.kie().callbackUrl())
                .chatPacing(settings.telegram().pacing())
                .botPacing(botPacing)
                .answers(afterCommit.answers()).refundCalls(afterCommit.refunds())
                .workerName(settings.instanceName())
                .storesClock(new PgClock(database.jdbi())).clockSkewRefusedAbove(settings.clockSkewMax())
                // the start's notices say it in the variables' words (and nothing under the stub: Kie bills nothing)
                .warnsOfUncappedGifts(false).warnsOfSalesBelowCost(false);
        if (settings.catalog().freeDailyTotal() > 0) {
            building.freeDailyTotal(settings.catalog().freeDailyTotal());
        }
        if (settings.catalog().welcomeDailyTotal() > 0) {
            building.welcomeDailyTotal(settings.catalog().welcomeDailyTotal());
        }
        settings.personalDataRetention().ifPresent(building::personalDataRetention);
        watchingCredits(building, settings.kie().lowCredits());
        Shop shop;
        try {
            shop = building.build();
        } catch (IllegalArgumentException e) {
            // the shop's own checks of what the settings gave it (FREE_TIER_MODEL_IDS naming an unknown model, say)
            throw new StartFailure(e.getMessage(), e);
        }
        try {
            // before any work: instances sharing the database decide by their own clocks (README, "Scaling")
            shop.clockSkew().checkAtStart();
        } catch (IllegalStateException e) {
            throw new StartFailure(e.getMessage(), e);
        }
        Gauge.builder("kiebot.clock.skew", shop.clockSkew(),
                        skew -> skew.last().map(d -> d.toNanos() / 1e9).orElse(Double.NaN)).baseUnit("seconds")
                .description("how far this machine's clock was ahead of the database's at the last look (every "
                        + "minute; negative: behind)")
                .strongReference(true).register(metrics);
        OverdueHoldsMetrics.bindTo(metrics, shop.overdueHolds(), clock);
        Gauge.builder("kiebot.sales.paused", shop, s -> s.salesPaused().isPresent() ? 1 : 0)
                .description("1 while Kie refuses the shop's account (key, credits, key's cap) and no order went "
                        + "through since: new orders are answered that generations are paused")
                .strongReference(true).register(metrics);
        Gauge.builder("kiebot.kie.down", shop, s -> s.providerDown() ? 1 : 0)
                .description("1 while Kie fails every model's calls (5xx, no answer, the connection refused) and has "
                        + "not answered since the admins were told so")
                .strongReference(true).register(metrics);
        LOG.info("catalog: {}; free tier: {}", modelsInWords(catalog.size()), freeTierInWords(shop.freeTier()));
        SafetyPoll safetyPoll = SafetyPoll.DEFAULT;
        // the menu's descriptions are texts too (command.terms, …): the shop's own where it gave them
        CommandMenu menu = new CommandMenu(new BotCommands(bot), shop.texts(), settings.shop().referral().offered(),
                settings.shop().adminIds(), adminMenuChats(new PgAdminMenus(database.jdbi()), clock));
        MeteredHandling handling = new MeteredHandling(shop.storefront()::handle, metrics);
        UpdateDispatcher dispatcher = new UpdateDispatcher(stores.processedUpdates(), stores.transactions(),
                stores.audit(), json -> botName.translator().parse(json), incoming -> {
                    // an admin Telegram refused his own menu for at start (he had never written) gets it now
                    menu.heardFrom(incoming.actor().userId(), incoming.actor().chatId());
                    handling.accept(incoming);
                },
                shop.storefront()::apologize, shop.storefront()::givenUp, clock, settings.instanceName(),
                HANDLER_THREADS, safetyPoll);
        // the store wakes the handlers once a recorded update is committed (PgNotifications below), so the inbox
        // need not as well: a second wake-up would only send a handler to find nothing
        UpdateInbox inbox = new UpdateInbox(stores.processedUpdates(), clock, metrics);
        ReplySenders senders = new ReplySenders(shop.sender(), SENDER_THREADS, safetyPoll);
        // a lock held by another session (an operator's open transaction) stalls the handlers: said once a spell
        HandlingStall stall = new HandlingStall(stores.processedUpdates(), database::lockHolders, clock);
        // writes the database refuses (a full disk, read-only) are told to the admins straight, the outbox being a
        // table; checked once a beat with the stall
        DatabaseWritesAlert writesAlert = new DatabaseWritesAlert(database.writeRefusals()::refusing, messenger,
                settings.shop().adminIds(), stores.users()::languageOf, shop.texts(), 
                () -> DatabaseWritesAlert.rightOf(database.singletonLock(DatabaseWritesAlert.TELLING_LOCK)));
        BackgroundWork work = new BackgroundWork(shop, provider, clock, safetyPoll, database::releaseIdleConnections,
                Optional.of(() -> {
                    try {
                        writesAlert.run();
                    } finally {
                        stall.check();
                    }
                }));
        Gauge.builder("kiebot.database.writes.failing", database,
                        d -> d.writeRefusals().refusing().isPresent() ? 1 : 0)
                .description("1 while the database refuses writes (SQLState class 53: a full disk, no memory; or "
                        + "25006: read-only), reads still working; 0 otherwise")
                .register(metrics);
        PgNotifications notifications = PgNotifications.start(database, LISTENED_CHANNELS);
        notifications.on(PgProcessedUpdates.CHANNEL, dispatcher::wake);
        notifications.on(PgPendingReplies.CHANNEL, senders::wake);
        notifications.on(PgJobs.CHANNEL, work::wakeJobs);
        notifications.on(PgBroadcasts.CHANNEL, work::wakeBroadcasts);
        FunctionCounter.builder("kiebot.database.restarts", database,
                        d -> d.embedded().map(EmbeddedDatabase::restarts).orElse(0L))
                .description("times the bot's own embedded PostgreSQL was started again after it died")
                .register(metrics);
        FunctionCounter.builder("kiebot.replies.settles.redone", pgStores.pendingReplies(),
                        PgPendingReplies::settlesRedone)
                .description("reply settles a crash of PostgreSQL took back, done again after it")
                .register(metrics);
        FunctionCounter.builder("kiebot.replies.dead.lettered", pgStores.pendingReplies(),
                        PgPendingReplies::deadLettered)
                .description("replies no build read for a day, moved to outbox_dead_letters unsent (each one ERROR)")
                .register(metrics);
        // the schema version as the readiness probe last read it: a newer build migrating the database meanwhile shows
        java.util.concurrent.atomic.AtomicReference<Optional<String>> schemaVersion =
                new java.util.concurrent.atomic.AtomicReference<>(Optional.empty());
        // why the probe last found the database not ready, for /readyz's dbDetail; empty once it is
        java.util.concurrent.atomic.AtomicReference<Optional<String>> databaseFailure =
                new java.util.concurrent.atomic.AtomicReference<>(Optional.empty());
        Health health = new Health(settings.mode().name().toLowerCase(java.util.Locale.ROOT), telegramReadiness,
                databaseProbe(database::readiness, schemaVersion, databaseFailure), calls);
        health.migrated();
        health.schemaVersion(schemaVersion::get);
        health.databaseDetail(databaseFailure::get);
        health.databaseWrites(() -> database.writeRefusals().refusing().isEmpty());
        health.clockSkew(shop.clockSkew()::last, shop.clockSkew().refusedAbove());
        health.sendersHeld(telegramMessenger::telegramInTrouble);
        health.salesPaused(() -> shop.salesPaused().map(Enum::name));
        KieCallbacks callbacks = new KieCallbacks(settings.kie().hmacKey(), clock);
        return new Kiebot(settings, database, shop, bot, registration, provider, callbacks, inbox, dispatcher,
                senders, afterCommit, notifications, work, health, metrics, smokeTest(settings, shop, provider, clock),
                botName, menu);
    }

    /** The chats given an admin's command menu, in the database: which former admins' to clear at a start. */
    private static AdminMenuChats adminMenuChats(PgAdminMenus menus, Clock clock) {
        return new AdminMenuChats() {
            @Override
            public java.util.Set<Long> all() {
                return menus.all();
            }

            @Override
            public void given(long userId) {
                menus.given(userId, clock.instant());
            }

            @Override
            public void cleared(long userId) {
                menus.cleared(userId);
            }
        };
    }

    /**
     * KIE_LOW_CREDITS to the shop: core's upkeep reads the credits and tells the admins below it; {@code 0} turns the
     * alert off (the shop gets no threshold, which it would refuse), and {@code BackgroundWork} reads them for the
     * gauge alone.
     */
    static Shop.Builder watchingCredits(Shop.Builder building, BigDecimal lowCredits) {
        return lowCredits.signum() > 0 ? building.lowCredits(lowCredits) : building;
    }

    /**
     * On its own database the bot is the only instance there can be, so every chat leased to a reply sender was
     * leased by an earlier run, cut off mid-send: its reply goes again at once rather than when the lease ends. On a
     * shared database another instance may be sending.
     */
    private static void releaseLeftLeases(Database database, PgPendingReplies replies) {
        if (!database.wakeups().shared()) {
            // the outbox runs on real time (the shop's pacing clock), whatever the business clock says
            int released = replies.releaseAll(Clock.systemUTC().instant());
            if (released > 0) {
                LOG.info("{} chat(s) had a reply on the wire when the bot last stopped: sending again", released);
            }
        }
    }

    /**
     * Who the bot is, for commands addressed as /start@name in groups and the links into its private chat (a group's
     * button, /invite, /link). A Telegram that cannot be asked is not fatal: the name is asked again in the background
     * once processing starts ({@link BotName#askUntilKnown}). A token Telegram refuses is: nothing the bot does could
     * work with it, and a bot that started anyway would only fail every call, quietly, until someone wondered why it
     * never answers.
     *
     * @throws StartFailure when Telegram refuses the token (401, or 404 for one not of a token's shape)
     */
    private static BotName botName(WebhookRegistration registration, Settings settings) {
        WebhookRegistration.Me me = registration.whoAmI();
        if (me instanceof WebhookRegistration.Me.Known known) {
            return BotName.of(registration, Optional.of(known.identity()), settings.telegram().botId());
        }
        if (me instanceof WebhookRegistration.Me.TokenRefused refused) {
            throw new StartFailure(tokenRefused(refused.code()));
        }
        LOG.warn("getMe failed at start ({}); until Telegram answers it (asked again in the background), the bot's "
                + "username is unknown: /invite gives \"/start r_…\" to type instead of a t.me link and no share "
                + "button, /link gives no ad links, and group commands addressed by @username are taken as this bot's",
                ((WebhookRegistration.Me.Unknown) me).reason());
        return BotName.of(registration, Optional.empty(), settings.telegram().botId());
    }

    /** The line an operator reads when Telegram refuses the bot token, at start or later. */
    public static String tokenRefused(int code) {
        return "Telegram refused the bot token (" + code + "): check TELEGRAM_BOT_TOKEN, e.g. a token revoked in "
                + "@BotFather";
    }

    /** A future's value; its own failure (not the future's wrapper) is what the operator reads. */
    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Kie's API, or the local stub (which also serves the stub's result files to the messenger); a live Kie tells the
     * messenger where its result URLs come from: they reach no further inward than {@code KIE_BASE_URL}'s host (with
     * Kie on the internet, a result named on this machine or the private network is sent as its link, unfetched).
     */
    static GenerationProvider provider(Settings settings, TelegramMessenger.Builder messengerBuilder) {
        if (settings.kie().backend() instanceof KieSettings.Backend.Stub s) {
            StubProvider stub = new StubProvider(s.config());
            messengerBuilder.stubBytes(url -> stub.fetch(url).map(StubMedia.File::bytes));
            LOG.warn("KIE_STUB/DRY_RUN is on: generations are simulated locally, nothing is sent to Kie; balances "
                    + "are still held and posted");
            return stub;
        }
        messengerBuilder.mediaUrlsFrom(kieApi(settings));
        return KieProvider.create(((KieSettings.Backend.Live) settings.kie().backend()).config());
    }

    /** {@code KIE_BASE_URL}: where a live Kie's answers, and the result URLs in them, come from. */
    private static URI kieApi(Settings settings) {
        return URI.create(((KieSettings.Backend.Live) settings.kie().backend()).config().baseUrl());
    }

    /**
     * The database, once up. Its adapter's failures (unreachable, refused, not migratable, its directory locked or
     * unusable) say in their message what is wrong and never hold a password: they stop the start as such.
     */
    private static Database awaitDatabase(CompletableFuture<Database> connecting) {
        try {
            return joined(connecting);
        } catch (SchemaNewerThanBuildException e) {
            // a status of its own: a supervisor restarting a refused rollback only met the same schema again, in a loop
            throw new StartFailure(ProcessEnd.SCHEMA_NEWER_THAN_BUILD, e.getMessage());
        } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
            throw new StartFailure(e.getMessage(), e);
        }
    }

    /** The smoke test's plan is checked now, with the other settings; under KIE_STUB there is none to run. */
    private static Optional<SmokeTest> smokeTest(Settings settings, Shop shop, GenerationProvider provider,
                                                 Clock clock) {
        if (!settings.smokeTestOnStart() || settings.kie().stubbed()) {
            return Optional.empty();
        }
        SmokePlan plan;
        try {
            plan = SmokePlan.of(shop.catalog(), shop.pricing(), settings.smokeTest());
        } catch (IllegalArgumentException e) {
            throw new StartFailure(e.getMessage(), e); // names the SMOKE_TEST_* variable and what is wrong with it
        }
        return Optional.of(new SmokeTest(plan, shop.stores().ledger(), provider, kieApi(settings),
                KieReads.DOCUMENTED.policy(), settings.shop().deadline(plan.model().category()),
                settings.kie().callbackUrl(), clock, settings.instanceName()));
    }

    /**
     * Starts handling recorded updates, delivering replies and the background work, registers the command menu,
     * and starts the smoke test when asked for (in the background: readiness never waits for it).
     */
    public void startProcessing() {
        botName.askUntilKnown();
        dispatcher.start();
        senders.start(settings.instanceName());
        work.start();
        menu.registerInBackground();
        if (smoke.isPresent()) {
            SmokeTest test = smoke.get();
            LOG.info("smoke test: one real generation in the background");
            test.startInBackground(new SmokeReport(test.plan().model().id(), settings.shop().adminIds(),
                    shop.stores().users(), shop.outbox(), shop.texts()));
        } else if (settings.smokeTestOnStart()) {
            LOG.info("smoke test skipped: KIE_STUB/DRY_RUN is on, so nothing would reach Kie");
        }
    }

    /**
     * Stops in order, so nothing is cut off half-way: no new updates are taken and the ones in hand commit, the
     * replies being sent go out (the rest stay queued for the next start), background work finishes its step,
     * and the database stops last.
     */
    @Override
    public void close() {
        botName.close();
        dispatcher.stop(STOP_GRACE);
        senders.stop(STOP_GRACE);
        // the answers to the last updates before the work's close, which waits for their pre-checkout rows to be
        // forgotten: closed after it, an answer still queued went out after that wait, its forgetting maybe after the
        // database closed (the row left, and the next start warning it was not known to have been sent)
        afterCommit.close();
        work.close();
        notifications.close();
        bot.shutdown();
        database.close();
        metrics.close();
        heapWatch.close();
        LOG.info("kiebot instance {} stopped", settings.instanceName());
    }

    /**
     * Completes when the bot's own embedded PostgreSQL died and was left down ({@code EmbeddedDatabase.leftDown}):
     * the runners then exit non-zero ({@link ProcessEnd#fail}). Never completes on a database elsewhere, whose
     * outages the bot waits out.
     */
    public CompletionStage<Void> databaseLeftDown() {
        return database.embedded().map(EmbeddedDatabase::leftDown).orElseGet(CompletableFuture::new);
    }

    /** The HTTP app with {@code /healthz}, {@code /readyz} and {@code /metrics}. */
    public Javalin httpEndpoints() {
        return httpEndpoints(routes -> { });
    }

    /** {@link #httpEndpoints()} and a runner's own routes. */
    public Javalin httpEndpoints(Consumer<RoutesConfig> runnerRoutes) {
        return HttpEndpoints.create(health, metrics, MetricsAccess.of(settings.http().metricsToken(),
                settings.publicUrl()), runnerRoutes, settings.http().connectionsPerAddress(),
                settings.http().headerDeadline());
    }

    /**
     * The seconds since this JVM started, as {@code 1.4}: what a runner's last start line says ("ready in 1.4 s:
     * …"). The JVM's start, not the process's: {@code ./kiebot} execs java in its own process, whose start was the
     * script's, and a first start's "ready in 58.3 s" counted the build and the class-data warm-up before it.
     */
    public static String secondsSinceStart() {
        Duration since = Duration.between(Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()),
                Instant.now());
        return String.format(Locale.ROOT, "%.1f", since.toMillis() / 1000.0);
    }

    /**
     * Starts {@code app} on {@code port}. A port that cannot be bound (another bot or program on it, a port below 1024
     * without the right) stops the start as such: {@code PORT} is what to change.
     */
    public static Javalin listen(Javalin app, int port) {
        return listen(app, Optional.empty(), port);
    }

    /**
     * {@link #listen(Javalin, int)} on {@code bindAddress} only ({@code BIND_ADDRESS}: 127.0.0.1 behind a proxy on
     * this machine); empty: on every interface.
     */
    public static Javalin listen(Javalin app, Optional<String> bindAddress, int port) {
        try {
            return bindAddress.isPresent() ? app.start(bindAddress.get(), port) : app.start(port);
        } catch (JavalinBindException e) {
            throw new StartFailure("cannot listen on " + bindAddress.map(a -> a + ", ").orElse("") + "port " + port
                    + " (" + e.getMessage() + "): stop what uses it, or set PORT to a free port"
                    + bindAddress.map(a -> " (BIND_ADDRESS to an address of this machine)").orElse(""), e);
        }
    }

    /** Long polling of Telegram under the database's singleton lock: the polling runner's way in. */
    public TelegramPolling telegramPolling() {
        return new TelegramPolling(bot, database.singletonLock(TelegramPolling.LOCK_NAME), registration, inbox,
                health, settings.telegram().pollingTakesOverWebhook());
    }

    /** {@code POST /telegram}: the webhook runner's way in for updates. */
    public TelegramWebhookDoor telegramWebhookDoor() {
        return new TelegramWebhookDoor(settings.telegram().webhookSecret(), HttpEndpoints.BODY_BYTES_MAX, inbox,
                metrics);
    }

    /** {@code POST /kie/callback/<token>}: Kie's hint that a task is done. Close it when the server stops. */
    public KieCallbackDoor kieCallbackDoor() {
        return new KieCallbackDoor(settings.kie().callbackSecret(), settings.kie().previousCallbackSecret(), callbacks,
                (taskId, job) -> {
                    // the smoke test's own task is no job's: checked by the worker, it left a line for a task no job
                    // holds
                    if (smoke.filter(test -> test.callbackFor(taskId)).isEmpty()) {
                        shop.worker().checkTask(taskId, job);
                    }
                }, metrics);
    }

    /**
     * Registers the webhook at the public URL in the background, retrying with backoff.
     *
     * @param onGiveUp runs when REQUIRE_WEBHOOK_REGISTERED is set and registration failed for good
     */
    public WebhookRegistrar webhookRegistrar(Duration firstDelay, Runnable onGiveUp) {
        TelegramSettings telegram = settings.telegram();
        String url = telegram.webhookUrl().orElseThrow(() -> new IllegalStateException(
                "the webhook runner needs WEBHOOK_BASE_URL or RENDER_EXTERNAL_URL"));
        return new WebhookRegistrar(registration, url, telegram.webhookSecret(), health, firstDelay,
                WEBHOOK_RETRY_DELAY_MAX, telegram.requireWebhookRegistered() ? WEBHOOK_ATTEMPTS_MAX : 0, onGiveUp,
                metrics);
    }

    public Settings settings() {
        return settings;
    }

    public Database database() {
        return database;
    }

    public Shop shop() {
        return shop;
    }

    public TelegramBot bot() {
        return bot;
    }

    public WebhookRegistration registration() {
        return registration;
    }

    public GenerationProvider provider() {
        return provider;
    }

    public KieCallbacks callbacks() {
        return callbacks;
    }

    public UpdateInbox inbox() {
        return inbox;
    }

    public UpdateDispatcher dispatcher() {
        return dispatcher;
    }

    public BackgroundWork work() {
        return work;
    }

    public Health health() {
        return health;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /**
     * The /readyz probe of the database: whether it is ready, keeping the schema version it read and, when not ready,
     * why ({@link Readiness#detail()}, which names an exception's class, never its message): the reason was dropped,
     * and /readyz said {@code db: false} with none.
     */
    static java.util.function.BooleanSupplier databaseProbe(java.util.function.Supplier<Readiness> readiness,
            java.util.concurrent.atomic.AtomicReference<Optional<String>> schemaVersion,
            java.util.concurrent.atomic.AtomicReference<Optional<String>> failure) {
        return () -> {
            Readiness r = readiness.get();
            r.schemaVersion().ifPresent(v -> schemaVersion.set(Optional.of(v)));
            failure.set(r.ready() ? Optional.empty() : Optional.of(r.detail()));
            return r.ready();
        };
    }
}
