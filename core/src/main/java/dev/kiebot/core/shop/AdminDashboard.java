package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.PostedTotal;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.reports.ChartRenderer;
import dev.kiebot.core.reports.DashboardFigures;
import dev.kiebot.core.reports.DayFigures;
import dev.kiebot.core.reports.ShopChart;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Plural;
import dev.kiebot.core.text.ShownTime;
import dev.kiebot.core.text.Texts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What {@code /admin} and {@code /chart} show: the shop's figures (the store's aggregates, the money held now
 * from the ledger, Kie's credits) and the chart of revenue and generations per day.
 */
final class AdminDashboard {
    static final int CHART_DAYS = 30;
    static final int CHART_DAYS_MAX = 90;
    private static final System.Logger LOG = System.getLogger(AdminDashboard.class.getName());
    /** A reading of the provider's balance younger than this is not asked again by a view. */
    static final Duration CREDITS_FRESH = Duration.ofMinutes(1);
    private final Stores stores;
    private final Catalog catalog;
    private final Pricing pricing;
    private final Texts texts;
    private final ShopSettings settings;
    private final Clock clock;
    /** The provider's balance as last read: shown without waiting for the provider. */
    private final ProviderCredits credits;
    private final ChartRenderer charts;
    private final FreeTier freeTier;
    private final Backlogs backlogs;
    /** WELCOME_DAILY_TOTAL: welcome bonuses a day, every new user together; empty for no cap. */
    private final OptionalInt welcomeDailyTotal;
    AdminDashboard(Stores stores, Catalog catalog, Pricing pricing, Texts texts, ShopSettings settings, Clock clock,
                   ProviderCredits credits, ChartRenderer charts, FreeTier freeTier, Backlogs backlogs,
                   OptionalInt welcomeDailyTotal) {
        this.stores = stores;
        this.welcomeDailyTotal = welcomeDailyTotal;
        this.backlogs = backlogs;
        this.freeTier = freeTier;
        this.catalog = catalog;
        this.pricing = pricing;
        this.texts = texts;
        this.settings = settings;
        this.clock = clock;
        this.credits = credits;
        this.charts = charts;
    }

    private LocalDate today() {
        return clock.instant().atZone(settings.zone()).toLocalDate();
    }

    String text(String lang) {
        Instant now = clock.instant();
        DashboardFigures f = stores.figures().dashboard(now, today().atStartOfDay(settings.zone()).toInstant());
        // what running generations and Stars refunds under way hold on wallets
        long held = stores.ledger().balance(AccountId.REVENUE).creditsPending()
                + stores.ledger().balance(AccountId.STARS_CLEARING).creditsPending();
        DashboardFigures.Outcomes g = f.generations24h();
        List<String> lines = new ArrayList<>();
        lines.add(texts.get(lang, Msg.DASHBOARD_USERS, count(lang, f.usersTotal()), count(lang, f.usersNewToday()),
                count(lang, f.usersActive24h())));
        lines.add(texts.get(lang, Msg.DASHBOARD_GENERATIONS, count(lang, g.delivered()), count(lang, g.refunded()),
                count(lang, g.running()), percent(lang, g.failureRatePercent())));
        // what the admins are alerted of when it is far behind (Backlogs), seen here before it is
        Backlogs.Behind behind = backlogs.behind();
        // one short line while nothing waits, as it mostly is: «без задержки» three times took two lines of a phone
        lines.add(caughtUp(behind.updates()) && caughtUp(behind.replies()) && caughtUp(behind.checks())
                ? texts.get(lang, Msg.DASHBOARD_BACKLOG_CLEAR)
                : texts.get(lang, Msg.DASHBOARD_BACKLOG, delay(lang, behind.updates()),
                        delay(lang, behind.replies()), delay(lang, behind.checks())));
        java.util.Map<String, java.time.Instant> paused = f.failing24h().isEmpty() ? java.util.Map.of()
                : stores.pausedModels().all();
        for (DashboardFigures.ModelFailures m : f.failing24h()) {
            String reason = FailureWords.ofFailingModel(texts, lang, m.reason());
            // what the admin can do about it, or that it is done
            String action = paused.containsKey(m.modelId()) ? texts.get(lang, Msg.DASHBOARD_FAILING_PAUSED)
                    : "/pause " + m.modelId();
            // of one failure, its reason is not «the most frequent»
            lines.add(texts.get(lang, m.failed() == 1 ? Msg.DASHBOARD_FAILING_ONE : Msg.DASHBOARD_FAILING,
                    title(lang, m.modelId()), m.failed(), reason, action));
        }
        if (freeTier.offered()) {
            // what the provider account paid for today that users did not, and how close the bot's cap is
            int free = stores.freeUsage().usedByAll(today());
            lines.add(freeTier.dailyTotalMax().isPresent()
                    ? texts.get(lang, Msg.DASHBOARD_FREE_CAPPED, count(lang, free),
                            count(lang, freeTier.dailyTotalMax().getAsInt()))
                    : texts.get(lang, Msg.DASHBOARD_FREE, count(lang, free)));
        }
        if (settings.welcomeBonus() > 0) {
            lines.add(welcomes(lang, now));
        }
        lines.add(texts.get(lang, Msg.DASHBOARD_REVENUE, money(lang, f.revenueToday()), money(lang, f.revenue7d()),
                money(lang, f.revenue30d())));
        lines.add(texts.get(lang, Msg.DASHBOARD_HELD, money(lang, held)));
        lines.add(texts.get(lang, Msg.DASHBOARD_TOPUPS, f.stars7d().count(), money(lang, f.stars7d().amount()),
                f.manual7d().count(), money(lang, f.manual7d().amount())));
        if (f.external7d().count() > 0) {
            // only a partner's shop has a provider of its own: kiebot's admins would read a line of zeros forever
            lines.add(texts.get(lang, Msg.DASHBOARD_TOPUPS_EXTERNAL, f.external7d().count(),
                    money(lang, f.external7d().amount())));
        }
        lines.add(texts.get(lang, Msg.DASHBOARD_PENDING, count(lang, f.pendingManual())));
        lines.add(texts.get(lang, Msg.DASHBOARD_CREDITS, credits(lang, now)));
        lines.add(texts.get(lang, Msg.DASHBOARD_TOP_MODELS) + (f.topModels7d().isEmpty() ? " —" : ""));
        int place = 1;
        for (DashboardFigures.ModelCount m : f.topModels7d()) {
            lines.add(texts.get(lang, Msg.DASHBOARD_MODEL_LINE, place++, title(lang, m.modelId()), m.generations()));
        }
        return texts.get(lang, Msg.ADMIN_DASHBOARD, ShownTime.minute(now, settings.zone()), String.join("\n", lines));
    }

    /**
     * Today's welcome bonuses and what they came to, from the ledger (what was paid, whatever the bonus was when
     * given, with or without a cap; no count of its own to lock), against the cap when one is set: fresh accounts
     * taking bonuses show here before the day's cap is reached and the admins are told.
     */
    private String welcomes(String lang, Instant now) {
        LocalDate today = now.atZone(settings.zone()).toLocalDate();
        // counted and added up by the store: a day of a busy shop's bonuses is thousands of rows
        PostedTotal given = stores.ledger().postedTotal(Set.of(TransferKind.WELCOME_BONUS),
                today.atStartOfDay(settings.zone()).toInstant(), today.plusDays(1).atStartOfDay(settings.zone())
                        .toInstant());
        String paid = money(lang, given.amount());
        return welcomeDailyTotal.isPresent()
                ? texts.get(lang, Msg.DASHBOARD_WELCOME_CAPPED, count(lang, given.count()),
                        count(lang, welcomeDailyTotal.getAsInt()), paid)
                : texts.get(lang, Msg.DASHBOARD_WELCOME, count(lang, given.count()), paid);
    }

    /** A queue's delay in minutes; less than {@link Backlogs#CAUGHT_UP} is none. */
    private String delay(String lang, Duration behind) {
        return caughtUp(behind) ? texts.get(lang, Msg.DASHBOARD_BACKLOG_NONE)
                : texts.get(lang, Msg.DASHBOARD_BACKLOG_LATE, behind.toMinutes());
    }

    private static boolean caughtUp(Duration behind) {
        return behind.compareTo(Backlogs.CAUGHT_UP) < 0;
    }

    private String title(String lang, String modelId) {
        return catalog.model(modelId).map(x -> x.title(lang)).orElse(modelId);
    }

    /** A figure shown without its word, grouped as the users' counts are («12 345», "12,345"). */
    private static String count(String lang, long n) {
        return Plural.number(lang, n);
    }

    /** One decimal, written as the language writes it ("33,3" in Russian); the text puts the sign after it. */
    static String percent(String lang, double value) {
        return Plural.decimal(lang, value, 1);
    }

    /**
     * The balance last read and how long ago, never waiting for the provider (see {@link ProviderCredits}); a reading
     * older than {@link #CREDITS_FRESH} has a new one asked, for the next view.
     */
    @SuppressWarnings("FutureReturnValueIgnored") // the refresh records its own failure; the view never waits
    private String credits(String lang, Instant now) {
        Optional<ProviderCredits.Reading> last = credits.last();
        Optional<String> failed = credits.failure(); // read with the figure, not after the refresh below may end
        if (last.isEmpty() || Duration.between(last.get().at(), now).compareTo(CREDITS_FRESH) >= 0) {
            credits.refresh();
        }
        if (last.isEmpty()) {
            return failed.map(kind -> texts.get(lang, Msg.DASHBOARD_CREDITS_UNREAD, failureWords(lang, kind)))
                    .orElseGet(() -> texts.get(lang, Msg.DASHBOARD_CREDITS_ASKED));
        }
        if (last.get().credits().isEmpty()) {
            return texts.get(lang, Msg.DASHBOARD_CREDITS_UNKNOWN); // a provider with no balance to read
        }
        String amount = Plural.amount(lang, last.get().credits().get());
        Duration age = Duration.between(last.get().at(), now);
        String reading;
        if (age.compareTo(Duration.ofMinutes(1)) < 0) {
            reading = texts.get(lang, Msg.DASHBOARD_CREDITS_NOW, amount);
        } else {
            reading = age.compareTo(Duration.ofHours(1)) < 0
                    ? texts.get(lang, Msg.DASHBOARD_CREDITS_MINUTES, amount, age.toMinutes())
                    : texts.get(lang, Msg.DASHBOARD_CREDITS_HOURS, amount, age.toHours());
        }
        // an old figure alone hid that the reads fail now (a revoked key showed «12 345 (3 часа назад)» and no more)
        return failed.map(kind -> texts.get(lang, Msg.DASHBOARD_CREDITS_FAILING, reading, failureWords(lang, kind)))
                .orElse(reading);
    }

    /**
     * Why the latest read failed, in the admin's words: «? (AUTH)» was an enum's name on screen. The kinds an admin
     * can act on or wait out are named (the key and its spending cap, the credits, the provider's silence or its asking to
     * wait, the network); any other is in the log.
     *
     * @param kind as {@link ProviderCredits#failure} keeps it: an {@code ErrorKind}'s name, or {@code ERROR}
     */
    private String failureWords(String lang, String kind) {
        return texts.get(lang, switch (kind) {
            case "AUTH" -> Msg.DASHBOARD_CREDITS_AUTH;
            case "OUT_OF_CREDITS" -> Msg.DASHBOARD_CREDITS_OUT;
            case "TIMEOUT" -> Msg.DASHBOARD_CREDITS_TIMEOUT;
            case "CONNECT" -> Msg.DASHBOARD_CREDITS_CONNECT;
            case "KEY_LIMIT" -> Msg.DASHBOARD_CREDITS_KEY_LIMIT;
            case "RATE_LIMITED", "MAINTENANCE" -> Msg.DASHBOARD_CREDITS_BUSY;
            default -> Msg.DASHBOARD_CREDITS_ERROR;
        });
    }

    private String money(String lang, long minor) {
        return pricing.format(minor, lang);
    }

    /** The chart of the last {@code days} days as a photo, or a line saying why there is none. */
    Reply chart(long chatId, String lang, int days) {
        LocalDate last = today();
        LocalDate first = last.minusDays(days - 1L);
        Map<LocalDate, DayFigures> known = new HashMap<>();
        for (DayFigures d : stores.figures().days(first, last, settings.zone())) {
            known.put(d.day(), d);
        }
        List<DayFigures> every = new ArrayList<>();
        long revenue = 0;
        long generations = 0;
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            DayFigures f = known.getOrDefault(d, new DayFigures(d, 0, 0));
            every.add(f);
            revenue += f.revenue();
            generations += f.generations();
        }
        ShopChart chart = new ShopChart(texts.get(lang, Msg.CHART_TITLE, days),
                texts.get(lang, Msg.CHART_REVENUE, pricing.currency()), texts.get(lang, Msg.CHART_GENERATIONS), every);
        String caption = texts.get(lang, Msg.CHART_CAPTION, days, money(lang, revenue), count(lang, generations));
        if (charts == ChartRenderer.none()) {
            return new Reply.SendText(chatId, caption, Keyboard.NONE);
        }
        try {
            return new Reply.UploadMedia(chatId, MediaKind.PHOTO, charts.png(chart), "shop-" + days + "d.png",
                    caption, Keyboard.NONE);
        } catch (OutOfMemoryError e) {
            throw e; // the process's, not the drawing's
        } catch (RuntimeException | Error e) {
            // the figures still reach the admin when the drawing fails; the failure goes to the log, not into a chat.
            // An Error too: AWT on a machine without fonts throws InternalError (a VirtualMachineError, so that is not
            // the line drawn), which escaped the update's handling and left the admin with no answer
            LOG.log(System.Logger.Level.WARNING, "the shop's chart could not be drawn; the admin got its figures as "
                    + "text", e);
            return new Reply.SendText(chatId, caption + "\n" + texts.get(lang, Msg.ADMIN_FAILED,
                    texts.get(lang, Msg.CHART_FAILED)), Keyboard.NONE);
        }
    }

    /** Whether the shop draws charts: not with {@link ChartRenderer#none()}. */
    boolean draws() {
        return charts != ChartRenderer.none();
    }

    /** {@code /chart [days]}: 1 to {@value #CHART_DAYS_MAX} days, 30 when not given. @return -1 when invalid */
    static int days(String arg) {
        if (arg.isEmpty()) {
            return CHART_DAYS;
        }
        if (!arg.matches("\\d{1,3}")) {
            return -1;
        }
        int days = Integer.parseInt(arg);
        return days >= 1 && days <= CHART_DAYS_MAX ? days : -1;
    }
}
