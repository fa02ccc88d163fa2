package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static dev.kiebot.core.testing.ShopHarness.lastTextTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.reports.ChartRenderer;
import dev.kiebot.core.reports.ShopChart;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin's dashboard, chart, /find, /users, /topup_user, /debit_user and /refund, in the admin's language. */
class AdminConsoleTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(U);
        h.topUp(U, 10_000);
    }

    /** Whatever a test did with money, the ledger keeps its invariants. */
    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /** Image img/m9 through to delivery. */
    private Job deliveredJob() {
        return h.finishedFoxImage(U, new dev.kiebot.core.jobs.TaskStatus.Succeeded(
                new dev.kiebot.core.jobs.JobResult(List.of("https://files/out.png"), MediaKind.PHOTO)));
    }

    private JobState state(Job job) {
        return h.stores.jobs().find(job.id()).orElseThrow().state();
    }

    /** Refunds of generations that reached the user's wallet. */
    private long refunds() {
        return h.stores.ledger().transfers(AccountId.wallet(U)).stream()
                .filter(t -> t.kind() == TransferKind.REFUND).count();
    }

    @Test
    void theDashboardShowsTheFiguresAndTheChartUnderIt() {
        Job job = deliveredJob();
        List<Reply> dash = h.admin("admin", "");
        String text = ((Reply.SendText) dash.get(0)).text();
        assertThat(text).contains("Dashboard", "Users: 2 · new today 2 · active 24 h 2",
                "Generations 24 h: 1 delivered · 0 failed · 0 running · failure rate 0.0%",
                "Charged for generations: " + h.shop.pricing().format(job.price(), "en") + " today", "Held now: 0\u00A0₽",
                "Top-ups 7 d: ⭐ 1\u00A0payment for 100\u00A0₽ · 💳 by card/SBP or by an admin: 0\u00A0top-ups for 0\u00A0₽",
                "top-up requests awaiting review: 0", "Kie credits:",
                "1. Image img/m9", "/refund_stars", "/chart");
        assertThat(dash.get(1)).isInstanceOfSatisfying(Reply.UploadMedia.class, photo -> {
            assertThat(photo.kind()).isEqualTo(MediaKind.PHOTO);
            assertThat(photo.content()).startsWith(0x89, 'P', 'N', 'G');
            assertThat(photo.caption()).contains("Last 30\u00A0days", "generations 1");
        });
        ShopChart chart = h.charts.charts().get(0);
        assertThat(chart.days()).hasSize(30);
        assertThat(chart.days().get(29).day()).isEqualTo(LocalDate.parse("2026-11-21"));
        assertThat(chart.days().get(29).generations()).isEqualTo(1);
        assertThat(chart.days().get(29).revenue()).isEqualTo(job.price());
        assertThat(chart.revenueLabel()).contains("RUB");
    }

    /**
     * A model that stopped working shows on the dashboard before its users write about it, with the operator's cause:
     * it showed what the users read («нейросеть не справилась с задачей»), which does not tell the admin where to look.
     */
    @Test
    void theDashboardNamesTheModelThatFailsAndWhy() {
        assertThat(((Reply.SendText) h.admin("admin", "").get(0)).text()).doesNotContain("⚠️");
        Job job = h.runningFoxImage(U);
        h.provider.set(job.taskId().orElseThrow(), new dev.kiebot.core.jobs.TaskStatus.Failed(
                dev.kiebot.core.jobs.ErrorKind.GENERATION_FAILED, "internal error"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(state(job)).isEqualTo(JobState.FAILED);
        assertThat(((Reply.SendText) h.admin("admin", "").get(0)).text().replace('\u00A0', ' '))
                .contains("\n⚠️ Image img/m9: 1 failure in 24 h: Kie did not do the task: it could not make it, did"
                        + " not know the task or sent an answer that could not be read · /pause img/m9\n")
                .doesNotContain("Try again", "most often");
        // a reason of one failure is not «the most frequent»
        assertThat(((Reply.SendText) h.speaking("ru").admin("admin", "").get(0)).text().replace('\u00A0', ' '))
                .contains(": 1 сбой за сутки — Kie не выполнил задачу: не смог её сделать, не нашёл её или прислал"
                        + " ответ, который не удалось прочитать · /pause img/m9\n")
                .doesNotContain("чаще всего", "нейросеть");
        h.speaking("en");
        // paused: the line says so instead of offering the command
        h.admin("pause", "img/m9");
        assertThat(((Reply.SendText) h.admin("admin", "").get(0)).text())
                .contains("could not be read · ⏸ paused\n");
    }

    /**
     * A model failing on Kie's rate limit shows on /admin with the operator's cause: it showed what the user read,
     * «нейросеть перегружена», which did not tell Kie's rate limit from its maintenance or a connection lost.
     */
    @Test
    void theDashboardSaysKiesRateLimitAsTheOperatorsCause() {
        Job job = h.runningFoxImage(U);
        h.provider.set(job.taskId().orElseThrow(), new dev.kiebot.core.jobs.TaskStatus.Failed(
                ErrorKind.RATE_LIMITED, "too many requests"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(state(job)).isEqualTo(JobState.FAILED);
        assertThat(h.stored(job).failure()).contains(ErrorKind.RATE_LIMITED.messageKey());
        assertThat(((Reply.SendText) h.speaking("ru").admin("admin", "").get(0)).text().replace('\u00A0', ' '))
                .contains(": 1 сбой за сутки — Kie не принимал запросы: просил присылать их реже, вёл технические"
                        + " работы или не было связи с ним · /pause img/m9\n")
                .doesNotContain("перегружена");
        assertThat(((Reply.SendText) h.speaking("en").admin("admin", "").get(0)).text())
                .contains(": Kie took no requests: it asked for fewer, was under maintenance or could not be reached");
    }

    /**
     * Every key a failure at Kie is kept under reads on /admin as the operator's cause, in each language, never as the
     * user read it: a new kind of error under a key of its own would reach the dashboard in the user's words.
     */
    @Test
    void everyFailureAtKieReadsOnTheDashboardAsTheOperatorsCause() {
        dev.kiebot.core.text.Texts texts = new dev.kiebot.core.text.Texts();
        List<String> keys = new java.util.ArrayList<>(List.of("error.provider_timeout", "error.provider_uncertain"));
        for (ErrorKind kind : ErrorKind.values()) {
            keys.add(kind.messageKey());
        }
        assertThat(FailureWords.operatorsCauses()).containsAll(keys);
        for (String key : keys) {
            for (String lang : dev.kiebot.core.text.Texts.LANGUAGES) {
                assertThat(FailureWords.ofFailingModel(texts, lang, key)).as(key + " in " + lang)
                        .isNotEqualTo(FailureWords.of(texts, lang, key)).doesNotContain("нейросеть", "AI service");
            }
        }
        assertThat(FailureWords.ofFailingModel(texts, "ru", "error.file_too_large")).as("the shop's own: as the user read it")
                .isEqualTo(FailureWords.of(texts, "ru", "error.file_too_large"));
    }

    /**
     * A chart renderer that throws an Error (AWT on a machine without fonts: {@code InternalError}) leaves the figures
     * as text and a word that it failed, as an exception does. It escaped the update's handling: no answer at all.
     */
    @Test
    void aChartThatFailsWithAnErrorLeavesTheFiguresAsText() {
        ShopSettings adminOnly = ShopSettings.defaults().withAdmins(java.util.Set.of(ShopHarness.ADMIN))
                .withAdmission(dev.kiebot.core.intake.AdmissionPolicy.off());
        ShopHarness noFonts = new ShopHarness(dev.kiebot.core.testing.TestCatalog.catalog(), adminOnly,
                dev.kiebot.core.payments.ManualPayments.off(), b -> b.charts(c -> {
                    throw new InternalError("Fontconfig head is null");
                })).startedByAdminAnd();
        Reply failed = noFonts.admin("chart", "7").get(0);
        assertThat(((Reply.SendText) failed).text()).startsWith("📈 Last 7\u00A0days: ")
                .endsWith("\nFailed: the chart could not be drawn: the reason is in the bot's log.")
                .doesNotContain("Fontconfig", "Error");
    }

    /**
     * A chart that cannot be drawn leaves the figures as text and a word that it failed, the exception in the log and
     * not in the chat; a shop without charts ({@code ChartRenderer.none()}) gets the figures alone.
     */
    @Test
    void aChartThatFailsOrNoChartsLeaveTheFiguresAsText() {
        ShopSettings adminOnly = ShopSettings.defaults().withAdmins(java.util.Set.of(ShopHarness.ADMIN))
                .withAdmission(dev.kiebot.core.intake.AdmissionPolicy.off());
        ShopHarness failing = new ShopHarness(dev.kiebot.core.testing.TestCatalog.catalog(), adminOnly,
                dev.kiebot.core.payments.ManualPayments.off(), b -> b.charts(c -> {
                    throw new IllegalStateException("no fonts at /usr/share/fonts");
                })).startedByAdminAnd();
        Reply failed = failing.admin("chart", "7").get(0);
        assertThat(((Reply.SendText) failed).text()).startsWith("📈 Last 7\u00A0days: ")
                .endsWith("\nFailed: the chart could not be drawn: the reason is in the bot's log.")
                .doesNotContain("fonts", "Exception");
        ShopHarness none = new ShopHarness(dev.kiebot.core.testing.TestCatalog.catalog(), adminOnly,
                dev.kiebot.core.payments.ManualPayments.off(), b -> b.charts(ChartRenderer.none()))
                .startedByAdminAnd();
        assertThat(none.admin("admin", "")).as("the figures once, no caption repeating them")
                .singleElement().isInstanceOfSatisfying(Reply.SendText.class,
                        t -> assertThat(t.text()).startsWith("📊 Dashboard").doesNotContain("Failed"));
        assertThat(((Reply.SendText) none.admin("chart", "7").get(0)).text()).startsWith("📈 Last 7\u00A0days: ")
                .doesNotContain("Failed");
    }

    /**
     * A provider that does not answer does not hold the admin's update (a handler and a pooled connection in an open
     * transaction): the dashboard comes at once, saying the balance was asked for, while the question waits on a thread
     * of its own; a second {@code /admin} meanwhile does not ask again. Before, each view waited up to 5 s for it.
     */
    @Test
    void aProviderThatHangsDoesNotHoldTheDashboardAndIsAskedOnce() throws Exception {
        java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch askedOnce = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        ShopHarness hanging = adminWhoseProviderHasCredits(() -> {
            asked.incrementAndGet();
            askedOnce.countDown();
            try {
                answer.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return java.math.BigDecimal.TEN;
        });
        try {
            // answered while the provider is still asked: it cannot answer before the latch below is let go
            assertThat(((Reply.SendText) hanging.admin("admin", "").get(0)).text())
                    .contains("Kie credits: not known yet: asked Kie");
            askedOnce.await();
            assertThat(((Reply.SendText) hanging.admin("admin", "").get(0)).text())
                    .contains("Kie credits: not known yet: asked Kie");
            assertThat(asked).as("the second view asked nothing more").hasValue(1);
        } finally {
            answer.countDown();
        }
    }

    /**
     * The dashboard shows the balance last read and how long ago, and has an old one read again for the next view;
     * a failure of that read leaves the last balance shown, older.
     */
    @Test
    void theDashboardShowsTheLastBalanceReadAndItsAge() throws Exception {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        ShopHarness admin = adminWhoseProviderHasCredits(() -> {
            if (asked.incrementAndGet() == 2) {
                throw new IllegalStateException("the provider's answer could not be read");
            }
            return new java.math.BigDecimal("1234.5");
        });
        admin.shop.upkeep().readCredits();
        assertThat(((Reply.SendText) admin.admin("admin", "").get(0)).text()).contains("Kie credits: 1,234.5 (just now)");
        assertThat(asked).as("fresh: not asked again").hasValue(1);

        admin.clock.advance(java.time.Duration.ofMinutes(7));
        assertThat(((Reply.SendText) admin.admin("admin", "").get(0)).text())
                .contains("Kie credits: 1,234.5 (7\u00A0minutes ago)");
        admin.shop.credits().asked().get(); // the read that view asked for, failed
        admin.clock.advance(java.time.Duration.ofMinutes(60));
        assertThat(((Reply.SendText) admin.admin("admin", "").get(0)).text()).as("the old figure, and that reads fail now")
                .contains("Kie credits: 1,234.5 (1\u00A0hour ago); cannot be read now: an error, the reason is in the bot's log\n");
        admin.shop.credits().asked().get();
        admin.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        assertThat(((Reply.SendText) admin.admin("admin", "").get(0)).text())
                .contains("🤖 Кредиты Kie: 1\u00A0234,5 (только что)\n");
    }

    /**
     * A provider whose credits call fails with an {@code Error} (a class missing from a partner's build, a stack
     * overflow) is shown as "?", and the next view has it asked again. Before, the question was never answered, and
     * no later view asked again until a restart.
     */
    @Test
    void aProviderFailingWithAnErrorIsAskedAgainByTheNextView() throws Exception {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        ShopHarness broken = adminWhoseProviderHasCredits(() -> {
            if (asked.incrementAndGet() == 1) {
                throw new NoClassDefFoundError("com/example/Missing");
            }
            return java.math.BigDecimal.TEN;
        });
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> { }); // the asker's thread ends with the Error, as it should
        try {
            broken.admin("admin", "");
            broken.shop.credits().asked().get();
            assertThat(((Reply.SendText) broken.admin("admin", "").get(0)).text()).contains("Kie credits: cannot be read — an error, the reason is in the bot's log");
            broken.shop.credits().asked().get();
            assertThat(((Reply.SendText) broken.admin("admin", "").get(0)).text()).contains("Kie credits: 10 (just now)");
            assertThat(asked).hasValue(2);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    /**
     * A partner's provider with no balance to read implements no {@code credits()}: the default says none is known,
     * and the dashboard says so, where such a provider made up a balance (0) that the dashboard showed as the figure.
     */
    @Test
    void aProviderWithoutCreditsWorksThroughTheDashboard() throws Exception {
        dev.kiebot.core.testing.ScriptedProvider scripted = new dev.kiebot.core.testing.ScriptedProvider();
        dev.kiebot.core.jobs.GenerationProvider noBalance = new dev.kiebot.core.jobs.GenerationProvider() {
            @Override
            public String submit(dev.kiebot.core.jobs.SubmitRequest request)
                    throws dev.kiebot.core.jobs.ProviderException {
                return scripted.submit(request);
            }

            @Override
            public dev.kiebot.core.jobs.TaskStatus status(dev.kiebot.core.catalog.Model model, String taskId)
                    throws dev.kiebot.core.jobs.ProviderException {
                return scripted.status(model, taskId);
            }

            @Override
            public String upload(byte[] content, String fileName, String mimeType)
                    throws dev.kiebot.core.jobs.ProviderException {
                return scripted.upload(content, fileName, mimeType);
            }
        };
        ShopSettings adminOnly = ShopSettings.defaults().withAdmins(java.util.Set.of(ShopHarness.ADMIN))
                .withAdmission(dev.kiebot.core.intake.AdmissionPolicy.off());
        ShopHarness admin = new ShopHarness(dev.kiebot.core.testing.TestCatalog.catalog(), adminOnly,
                dev.kiebot.core.payments.ManualPayments.off(), b -> b.provider(noBalance)).startedByAdminAnd();
        assertThat(admin.shop.upkeep().readCredits()).isEmpty();
        String dashboard = ((Reply.SendText) admin.admin("admin", "").get(0)).text();
        assertThat(dashboard).contains("no balance known").doesNotContain("went wrong");
        admin.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        assertThat(((Reply.SendText) admin.admin("admin", "").get(0)).text())
                .contains("Кредиты Kie: неизвестно — Kie не сообщает, сколько их осталось");
    }

    /**
     * Why the credits cannot be read is said in the admin's words, not as the error's name («? (AUTH)»): in place of
     * a figure never read, and beside the last one read.
     */
    @Test
    void aFailedReadOfTheCreditsIsSaidInWords() throws Exception {
        java.util.concurrent.atomic.AtomicReference<ErrorKind> failing =
                new java.util.concurrent.atomic.AtomicReference<>(ErrorKind.AUTH);
        ShopSettings adminOnly = ShopSettings.defaults().withAdmins(java.util.Set.of(ShopHarness.ADMIN))
                .withAdmission(dev.kiebot.core.intake.AdmissionPolicy.off());
        ShopHarness admin = new ShopHarness(dev.kiebot.core.testing.TestCatalog.catalog(), adminOnly,
                dev.kiebot.core.payments.ManualPayments.off(), b -> b.provider(
                        new dev.kiebot.core.testing.ForwardingProvider(new dev.kiebot.core.testing.ScriptedProvider()) {
                            @Override
                            public Optional<java.math.BigDecimal> credits() throws dev.kiebot.core.jobs.ProviderException {
                                ErrorKind kind = failing.get();
                                if (kind != null) {
                                    throw new dev.kiebot.core.jobs.ProviderException(kind, "refused", false);
                                }
                                return Optional.of(new java.math.BigDecimal("1234.5"));
                            }
                        })).startedByAdminAnd();
        admin.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        admin.admin("admin", "");
        admin.shop.credits().asked().get();
        assertThat(((Reply.SendText) admin.admin("admin", "").get(0)).text())
                .contains("🤖 Кредиты Kie: не удаётся узнать — Kie не принимает ключ\n").doesNotContain("AUTH");

        failing.set(null);
        admin.shop.upkeep().readCredits();
        failing.set(ErrorKind.CONNECT);
        admin.clock.advance(java.time.Duration.ofMinutes(7));
        admin.admin("admin", "");
        admin.shop.credits().asked().get();
        assertThat(((Reply.SendText) admin.admin("admin", "").get(0)).text()).as("the last figure, and why reads fail")
                .contains("🤖 Кредиты Kie: 1\u00A0234,5 (7\u00A0минут назад); сейчас не удаётся узнать: нет связи с Kie\n")
                .doesNotContain("CONNECT");

        // the key's own spending cap (Kie's 433) is the admin's to lift: named, not «an error, see the log»
        failing.set(ErrorKind.KEY_LIMIT);
        admin.clock.advance(java.time.Duration.ofMinutes(7));
        admin.admin("admin", "");
        admin.shop.credits().asked().get();
        assertThat(((Reply.SendText) admin.admin("admin", "").get(0)).text()).as("a cap the admin can raise")
                .contains("сейчас не удаётся узнать: у ключа исчерпан лимит расходов — поднимите его в настройках ключа")
                .doesNotContain("KEY_LIMIT");
    }

    /**
     * A failed update's code names its user as /find and /topup_user name him («User42 (ID 42)», one the shop does
     * not know «ID 77»), also when the bot could not even tell him: «пользователя 42» asked the admin whose it was.
     */
    @Test
    void theCodeOfAnUpdateGivenUpNamesItsUser() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        String named = AdminSearch.named(new dev.kiebot.core.text.Texts(), h.stores, "ru", U);
        assertThat(named).endsWith(" (ID " + U + ")").doesNotStartWith("ID");
        h.recordAudit(dev.kiebot.core.conversation.Actor.mask(U), "upd_7101",
                List.<String[]>of(new String[] {dev.kiebot.core.intake.Inbox.GIVEN_UP, Long.toString(U)}));
        assertThat(lastText(h.admin("find", "upd_7101"))).contains(
                "не смог обработать сообщение пользователя " + named + " и не смог", "Пользователь: /find " + U);
        h.recordAudit(dev.kiebot.core.conversation.Actor.mask(77), "upd_7102",
                List.<String[]>of(new String[] {dev.kiebot.core.intake.Inbox.GIVEN_UP, "77 ch-1 50 XTR"}));
        assertThat(lastText(h.admin("find", "upd_7102"))).contains("не смог обработать оплату пользователя ID 77 на",
                "/refund_stars ch-1", "Пользователь: /find 77");
    }

    /**
     * A task Kie lost is said once in /find's history: the kind the job kept («Kie не знает такой задачи») and the
     * note («Kie не нашёл задачу») said the one fact twice on its failure's line.
     */
    @Test
    void findSaysATaskKieLostOnce() {
        Job lost = h.runningFoxImage(U);
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        h.provider.failStatus(lost.taskId().orElseThrow(), new dev.kiebot.core.jobs.ProviderException(
                ErrorKind.NOT_FOUND, "Task not found (Kie 404)", false));
        h.clock.advance(JobWorker.NOT_FOUND_GRACE.plusSeconds(5));
        h.work(10);
        assertThat(h.stores.jobs().find(lost.id()).orElseThrow().failureKind()).contains(ErrorKind.NOT_FOUND);
        String failed = historyLines(lastText(h.admin("find", lost.id().display()))).stream()
                .filter(l -> l.contains(" · не удалась — ")).findFirst().orElseThrow();
        assertThat(failed).endsWith(
                " · не удалась — Kie не нашёл задачу; подробности от Kie: «NOT_FOUND: Task not found (Kie 404)»")
                .doesNotContain("не знает");
    }

    /** A shop started by its admin whose provider answers the credits question with {@code credits}. */
    private static ShopHarness adminWhoseProviderHasCredits(java.util.function.Supplier<java.math.BigDecimal> credits) {
        ShopSettings adminOnly = ShopSettings.defaults().withAdmins(java.util.Set.of(ShopHarness.ADMIN))
                .withAdmission(dev.kiebot.core.intake.AdmissionPolicy.off());
        return new ShopHarness(dev.kiebot.core.testing.TestCatalog.catalog(), adminOnly,
                dev.kiebot.core.payments.ManualPayments.off(), b -> b.provider(
                        new dev.kiebot.core.testing.ForwardingProvider(new dev.kiebot.core.testing.ScriptedProvider()) {
                            @Override
                            public Optional<java.math.BigDecimal> credits() {
                                return Optional.of(credits.get());
                            }
                        })).startedByAdminAnd();
    }

    /**
     * The code a user is told to quote after «something went wrong» ({@code upd_<id>}) leads the admin to the
     * failure: when, whose message, and that nothing was charged. Before, {@code /find upd_…} searched users for it.
     */
    @Test
    void theCodeAUserWasGivenAfterAFailureFindsTheFailure() {
        h.shop.storefront().apologize(new Incoming(7_001, ShopHarness.actor(U, "en"), new Event.Command("start", "")));
        h.deliver();
        assertThat(lastTextTo(h.messenger.all(), U)).contains("upd_7001");

        assertThat(lastText(h.admin("find", "upd_7001"))).contains("upd_7001", "could not handle a message of user "
                + AdminSearch.named(new dev.kiebot.core.text.Texts(), h.stores, "en", U) + ". ", "(id " + U + ")",
                "nothing was charged", "/find " + U);
        assertThat(lastText(h.admin("find", "upd_7002"))).contains("No failure has the code upd_7002", "30\u00A0days");
        assertThat(lastText(h.admin("find", "upd_1200000000000000001"))).as("a Discord snowflake's 19 digits")
                .contains("No failure has the code upd_1200000000000000001");
    }

    /** Periods read as Russian says them: «за сутки», «за неделю», «за 1 день», «за 3 дня», never «7 дн.». */
    @Test
    void theRussianDashboardCountsDaysInWords() {
        deliveredJob();
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        List<Reply> dash = h.admin("admin", "");
        String text = ((Reply.SendText) dash.get(0)).text();
        assertThat(text).contains("Пользователи: 2 · новых сегодня 2 · активных за сутки 2", "Генерации за сутки: доставлено 1",
                " · за неделю ", " · за 30\u00A0дней ",
                "Пополнения за неделю: ⭐ 1\u00A0платёж на 100\u00A0₽ · 💳 картой, по СБП или администратором: "
                        + "0\u00A0пополнений на 0\u00A0₽",
                "🏆 Самые популярные модели за неделю:", "\n1. Картинка img/m9 — 1\u00A0генерация")
                .doesNotContain("дн.", " ч ");
        assertThat(((Reply.UploadMedia) dash.get(1)).caption()).startsWith("📈 За 30\u00A0дней: списано за генерации ");
        assertThat(((Reply.UploadMedia) h.admin("chart", "1").get(0)).caption()).startsWith("📈 За 1\u00A0день: ");
        assertThat(((Reply.UploadMedia) h.admin("chart", "3").get(0)).caption()).startsWith("📈 За 3\u00A0дня: ");
        assertThat(h.charts.charts().get(2).title()).isEqualTo("Списано за генерации и число генераций за 3\u00A0дня, по дням");
    }

    /**
     * The admins read dates and amounts as the users do: «21.11.26 13:00» (the shop's Moscow time), Kie's credits
     * grouped as money is («1 234,5»), not «2026-11-21 13:00» and «1234,5».
     */
    @Test
    void theRussianDashboardWritesDatesAndAmountsAsTheUsersScreensDo() throws Exception {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        h.shop.upkeep().readCredits();
        String text = ((Reply.SendText) h.admin("admin", "").get(0)).text();
        assertThat(text).startsWith("📊 Сводка · 21.11.26 13:00\n").contains("🤖 Кредиты Kie: 1\u00A0234,5 (только что)\n");
        h.stores.users().setLanguage(ShopHarness.ADMIN, "en");
        assertThat(((Reply.SendText) h.admin("admin", "").get(0)).text()).contains("Kie credits: 1,234.5 (just now)");
    }

    @Test
    void theChartTakesItsDaysAndRefusesOthers() {
        assertThat(h.admin("chart", "7").get(0)).isInstanceOf(Reply.UploadMedia.class);
        assertThat(h.charts.charts().get(0).days()).hasSize(7);
        assertThat(lastText(h.admin("chart", "500"))).contains("/chart [1-90]");
        assertThat(lastText(h.admin("chart", "x"))).contains("/chart [1-90]");
    }

    /** A refunded job's void moves nothing itself: the line shows what it gave back, never "0 ₽ returned". */
    @Test
    void findShowsWhatARefundedJobGaveBack() {
        Job job = h.runningFoxImage(U);
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "internal"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        String price = h.shop.pricing().format(job.price(), "en");
        assertThat(lastText(h.admin("find", job.id().display())))
                .contains(" · hold voided · " + price + " (refund of " + job.id().display() + ")")
                // the failure by the kind of Kie's error, then what Kie said
                .contains("failure: Kie could not make it\n",
                        " · failed — Kie could not make it; Kie's details: “internal”")
                .doesNotContain("error.", "Try again");
    }

    /**
     * A Russian admin read «не удалась — error.provider_failed internal error» in /find's history, and «сбой: …
     * (error.provider_failed)»: a message key and the bot's English. The failure is said in words, Kie's own message
     * labelled as Kie's.
     */
    @Test
    void findSaysAFailedJobInTheAdminsLanguageWithNoMessageKey() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        Job job = h.runningFoxImage(U);
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "internal error"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        String found = lastText(h.admin("find", job.id().display()));
        assertThat(found).contains("сбой: Kie не смог выполнить задачу",
                        " · не удалась — Kie не смог выполнить задачу; подробности от Kie: «internal error»")
                .doesNotContain("error.", "error_", "Попробуйте");
    }

    /**
     * /find says the kind of Kie's error a job failed with, as Kie's adapter decided it and the job kept it: a refusal
     * by Kie's content rules and a rejected parameter read alike («нейросеть отклонила описание или файл…»), and four
     * kinds as «нейросеть не справилась». A job failed with no kind (before it was kept, or of the shop's own) reads
     * as before.
     */
    @Test
    void findSaysTheKindOfKiesErrorAFailedJobKept() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        Job refused = h.runningFoxImage(U);
        h.provider.set(refused.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.CONTENT_POLICY, "prohibited"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stores.jobs().find(refused.id()).orElseThrow().failureKind()).contains(ErrorKind.CONTENT_POLICY);
        assertThat(lastText(h.admin("find", refused.id().display()))).contains(
                "сбой: Kie отказал по своим правилам о содержании: запрещённое описание или файл\n",
                " · не удалась — Kie отказал по своим правилам о содержании: запрещённое описание или файл; "
                        + "подробности от Kie: «prohibited»");
        h.stores.users().setLanguage(ShopHarness.ADMIN, "en");
        assertThat(lastText(h.admin("find", refused.id().display()))).contains(
                "failure: Kie refused by its content rules: a prohibited description or file\n");

        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        Job rejected = h.runningFoxImage(U);
        h.provider.set(rejected.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.INVALID_INPUT, "bad ratio"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(lastText(h.admin("find", rejected.id().display()))).contains(
                "сбой: Kie отклонил запрос: не подошли файл, описание или параметры\n")
                .doesNotContain("правилам");

        Job before = h.runningFoxImage(U);
        h.stores.jobs().update(h.stores.jobs().find(before.id()).orElseThrow().failed("error.provider_failed"));
        assertThat(lastText(h.admin("find", before.id().display()))).as("a row failed before the kind was kept")
                .contains("сбой: нейросеть не справилась с задачей\n");
    }

    /**
     * Kie's own text is a detail under the bot's words, never their headline: a Russian admin read «ответ Kie: » and
     * whatever Kie sent, a page of it on several lines. It is quoted, on one line, shortened.
     */
    @Test
    void findQuotesKiesOwnTextShortAndOnOneLine() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        Job job = h.runningFoxImage(U);
        String page = "Invalid prompt:\n" + "prompt contains prohibited content ".repeat(20);
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.CONTENT_POLICY, page));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        String failed = historyLines(lastText(h.admin("find", job.id().display()))).stream()
                .filter(l -> l.contains(" · не удалась — ")).findFirst().orElseThrow();
        assertThat(failed).contains(" · не удалась — Kie отказал по своим правилам о содержании",
                "запрещённое описание или файл; подробности от Kie: «Invalid prompt: prompt contains prohibited content "
                        + "prompt")
                .endsWith("…»");
        String said = failed.substring(failed.indexOf('«') + 1, failed.length() - 1);
        assertThat(said).hasSize(JobNote.KIE_TEXT_MAX);
    }

    /**
     * What the job worker notes in English for the log reads in the admin's words, with the values it names: an
     * expired hold, a deadline passed in a state, a clip, a task to reconcile with Kie. Rows recorded before read the
     * same, since the forms are the ones written all along.
     */
    @Test
    void findSaysTheBotsNotesOfAFailureAndAReconcileInWords() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        Job job = h.runningFoxImage(U);
        String id = job.id().display();
        h.recordAudit("system", id, List.of(
                new String[] {"gen.failed", "error.provider_timeout hold expired"},
                new String[] {"gen.failed", "error.provider_timeout deadline passed in RUNNING"},
                new String[] {"gen.failed", "error.clip_too_long a clip measured 40 s for a field of 30 s"},
                new String[] {"gen.failed", "error.provider_failed no result url (4 reads)"},
                new String[] {"gen.failed", "insufficient.funds"},
                new String[] {"gen.reconcile", "Kie task t-7 reported done without a result 4 times; the job was refunded"},
                new String[] {"gen.reconcile", "task t-8 created while job was FAILED"},
                new String[] {"gen.hold_rejected", "Rejected[reason=INSUFFICIENT_FUNDS, detail=wallet:42]"}));
        String found = lastText(h.admin("find", id));
        assertThat(found).contains(
                " · бот · не удалась — нейросеть слишком долго не отвечала; резерв истёк раньше, чем пришёл результат",
                "; вышел срок, а генерация в это время: в работе у Kie",
                "; запись длится 40\u00A0секунд, а модель принимает не больше 30",
                "; Kie 4\u00A0раза сообщил о готовности без результата; подробности от Kie: «no result url»",
                " · бот · не удалась — не удалось зарезервировать деньги",
                " · бот · нужна сверка с Kie — Kie 4\u00A0раза сообщил, что задача t-7 готова, но без результата;"
                        + " деньги пользователю возвращены, а кредиты Kie за неё списал",
                " · нужна сверка с Kie — задача Kie t-8 создана, когда у генерации уже был итог: не удалась",
                " · не удалось зарезервировать деньги — на балансе не хватает денег");
        String history = found.substring(found.indexOf("История:"), found.indexOf("\nКоды для поиска в журнале бота"));
        // names and ids: Kie, Telegram, the test catalog's «Картинка img/m9», the task
        assertThat(history.lines().map(l -> l.replaceAll("Kie|Telegram|img/m9|task-\\d+|no result url|User\\d+", "")))
                .as("no English but Kie's own message").noneMatch(l -> l.matches(".*[a-z]{2,}.*"));
    }

    /** /find's history lines of a job, one a line. */
    private static java.util.List<String> historyLines(String found) {
        return found.substring(found.indexOf("История:"), found.indexOf("\nКоды для поиска в журнале бота")).lines()
                .skip(1).toList();
    }

    /**
     * A Russian admin read «Kie прислал результат — 1 result(s)», «результат передан на отправку пользователю — 1
     * result(s) handed to the outbox» and «возврат администратором — gen_12 Created» in /find's history: the bot's
     * English and the ledger's class name. What the result, the delivery and the admin's refund noted reads in words.
     */
    @Test
    void findSaysADeliveredJobsResultAndAnAdminsRefundInWords() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        Job job = deliveredJob();
        h.adminConfirmed("refund", job.id().display());
        Job running = h.runningFoxImage(U);
        h.adminConfirmed("refund", running.id().display());
        java.util.List<String> done = historyLines(lastText(h.admin("find", job.id().display())));
        assertThat(String.join("\n", done)).contains(" · Kie прислал результат — 1\u00A0результат",
                " · результат передан на отправку пользователю — 1\u00A0результат",
                " · возврат администратором — деньги вернулись на баланс пользователя");
        java.util.List<String> stopped = historyLines(lastText(h.admin("find", running.id().display())));
        assertThat(String.join("\n", stopped)).contains(" · возврат администратором — генерация остановлена, резерв снят");
        for (String line : java.util.stream.Stream.concat(done.stream(), stopped.stream()).toList()) {
            assertThat(line.replaceAll("Kie|img/m9|task-\\d+|/refund|User\\d+", "")).as(line).doesNotContainPattern("[a-z]{3,}");
        }
    }

    /**
     * The admin who refunded is named as every admin screen names people, by name and full id: the trail records him
     * masked, as the log does, and /find showed «администратор ***1» though it shows the user's full id above it, then
     * «администратор 1» under «User1 (ID 1)» on the line above.
     */
    @Test
    void findNamesTheAdminWhoActedAsTheOtherLinesNamePeople() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        Job running = h.runningFoxImage(U);
        h.adminConfirmed("refund", running.id().display());
        String history = String.join("\n", historyLines(lastText(h.admin("find", running.id().display()))));
        assertThat(history).contains(" · администратор User" + ShopHarness.ADMIN + " (ID " + ShopHarness.ADMIN
                        + ") · возврат администратором")
                .doesNotContain("***", "администратор " + ShopHarness.ADMIN + " ");
    }

    /**
     * A text /find cannot read that no user matches («hello», «manual1») says it found nothing and what /find takes:
     * it fell back to the users' search and wrote «Пользователей: всего 2, показано 0:» with nothing after it. A name
     * a user has still lists him.
     */
    @Test
    void findOfATextNothingMatchesSaysSoAndWhatItTakes() {
        h.speaking("ru");
        for (String asked : List.of("hello", "manual1")) {
            assertThat(lastText(h.admin("find", asked))).as(asked)
                    .startsWith("🔎 По запросу «" + asked + "» ничего не найдено. /find ищет по номеру генерации (gen_12)")
                    .doesNotContain("показано 0");
        }
        assertThat(lastText(h.admin("find", "x".repeat(500)))).as("a pasted page is quoted cut")
                .contains("«" + "x".repeat(AdminSearch.QUERY_SHOWN_MAX - 1) + "…»");
        assertThat(lastText(h.speaking("en").admin("find", "hello"))).startsWith("🔎 Nothing found for “hello”.");
        assertThat(lastText(h.admin("find", "User" + U))).startsWith("👥 Users: ").contains("1 shown:", "User" + U);
    }

    /** A generation still running has no failure line: «сбой: —» read as a failure left unsaid. */
    @Test
    void findOfARunningJobSaysNoFailure() {
        Job running = h.runningFoxImage(U);
        String found = lastText(h.speaking("ru").admin("find", running.id().display()));
        assertThat(found).contains(" · задача Kie " + running.taskId().orElseThrow() + "\n")
                .doesNotContain("сбой");
    }

    /**
     * A generation not sent to Kie yet has no task, and its detail line names none: «задача Kie —» read as a task lost
     * or its number left unsaid. Once sent, the line names the task.
     */
    @Test
    void findOfAJobNotSentYetNamesNoKieTask() {
        h.orderAFoxImage(U);
        Job held = h.lastJob(U);
        assertThat(held.taskId()).isEmpty();
        String found = lastText(h.speaking("ru").admin("find", held.id().display()));
        assertThat(found).containsPattern("\nСоздана [^\n]+ · крайний срок [^\n·]+\n")
                .doesNotContain("задача Kie");
        assertThat(lastText(h.speaking("en").admin("find", held.id().display())))
                .containsPattern("\nCreated [^\n]+ · deadline [^\n·]+\n").doesNotContain("Kie task");
        h.work(10);
        assertThat(lastText(h.speaking("ru").admin("find", held.id().display())))
                .contains(" · задача Kie " + h.stored(held).taskId().orElseThrow() + "\n");
    }

    /**
     * A model failing on Kie's refusal of the shop's account (402: no credits) shows on /admin with the operator's
     * cause, his to fix: it showed what the user read («нейросеть временно недоступна»), as if to wait for Kie.
     */
    @Test
    void theDashboardSaysAModelRefusedForTheShopsAccountAsTheOperatorsCause() {
        Job job = h.runningFoxImage(U);
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Failed(
                ErrorKind.OUT_OF_CREDITS, "insufficient credits"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(state(job)).isEqualTo(JobState.FAILED);
        assertThat(((Reply.SendText) h.speaking("ru").admin("admin", "").get(0)).text().replace('\u00A0', ' '))
                .contains(": 1 сбой за сутки — Kie не принял заказы магазина: не принят ключ, кончились кредиты Kie или"
                        + " исчерпан лимит ключа, либо модель отключена · /pause img/m9\n")
                .doesNotContain("временно недоступна");
        assertThat(((Reply.SendText) h.speaking("en").admin("admin", "").get(0)).text())
                .contains(": Kie refused the shop's orders: its key not accepted, its Kie credits run out");
    }

    /**
     * Lines recorded before read the same (the writers' forms are the ones written all along), and a note of no known
     * form is shown as recorded, labelled the bot's record.
     */
    @Test
    void findReadsTheNotesOfAJobsResultAndRefundRecordedBefore() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        Job job = h.runningFoxImage(U);
        String id = job.id().display();
        h.recordAudit("admin:***1", id, List.of(
                new String[] {"gen.succeeded", "3 result(s)"},
                new String[] {"gen.delivered", "3 result(s) handed to the outbox"},
                new String[] {"refund.admin", id + " Exists"},
                new String[] {"refund.admin", id + " Rejected"},
                new String[] {"refund.admin", id + " void false"},
                new String[] {"refund.admin", "something else"}));
        String history = String.join("\n", historyLines(lastText(h.admin("find", id))));
        assertThat(history).contains(" — 3\u00A0результата\n", " · результат передан на отправку пользователю — 3",
                " — деньги за неё уже были возвращены раньше", " — учёт не принял возврат, деньги не вернулись",
                " — остановить не удалось: генерация уже закончилась", " — запись бота: something else")
                .doesNotContain("result(s)", "Exists", "Rejected", "void");
    }

    /** Every refusal of the ledger has words in both languages: an admin read «учёт не принял перевод (код SAME_ACCOUNT)». */
    @Test
    void everyLedgerRefusalHasWords() {
        dev.kiebot.core.text.Texts texts = new dev.kiebot.core.text.Texts();
        for (dev.kiebot.core.ledger.LedgerResult.Reason r : dev.kiebot.core.ledger.LedgerResult.Reason.values()) {
            for (String lang : dev.kiebot.core.text.Texts.LANGUAGES) {
                assertThat(LedgerRefusals.words(texts, lang, r)).as(r + " in " + lang)
                        .doesNotContain(r.name(), "ledger.", ".").isNotBlank();
            }
            assertThat(LedgerRefusals.words(texts, "ru", r)).doesNotContainPattern("[a-z]{2,}");
        }
    }

    /**
     * Every note the worker writes reads back in the admin's words, not as «запись бота: …» or «ответ Kie: …»: the
     * writer and the reader share one form ({@code JobNote.with}), so a reworded note cannot fall out of /find's words.
     */
    @Test
    void everyNoteTheWorkerWritesReadsBackInWords() {
        dev.kiebot.core.text.Texts texts = new dev.kiebot.core.text.Texts();
        for (JobNote note : JobNote.values()) {
            String recorded = note.with("7", "7", "7");
            for (String lang : dev.kiebot.core.text.Texts.LANGUAGES) {
                String said = JobNote.reconcile(texts, lang, recorded);
                assertThat(said).as(note + " in " + lang).doesNotStartWith(texts.get(lang, dev.kiebot.core.text.Msg.FIND_NOTE_RECORDED, ""))
                        .doesNotStartWith(texts.get(lang, dev.kiebot.core.text.Msg.FIND_NOTE_KIE_SAID, ""));
            }
            assertThat(JobNote.reconcile(texts, "ru", recorded)).as(note.name()).doesNotContain(recorded);
        }
    }

    @Test
    void findShowsAJobWithItsLedgerHistoryAndIds() {
        Job job = deliveredJob();
        String byId = lastText(h.admin("find", job.id().display()));
        assertThat(byId).contains(job.id().display() + " · " + "User" + U + " (id " + U + ")" + " · Image img/m9 · delivered · ", "Ledger:",
                " · held · ", " · balance of User" + U + " (id " + U + ") → generation revenue (payment for " + job.id().display() + ")",
                " · hold posted · " + h.shop.pricing().format(job.price(), "en") + " (payment for "
                        + job.id().display() + ")", "History:",
                // the page's user as its first line names him, though the trail records him masked
                " · user User" + U + " (id " + U + ") · generation created", " · Kie sent the result",
                "Kie task " + job.taskId().orElseThrow());
        assertThat(byId).endsWith("\nCatalog model: img/m9").doesNotContain("***");
        assertThat(lastText(h.admin("find", job.taskId().orElseThrow()))).isEqualTo(byId);
        String user = lastText(h.admin("find", Long.toString(U)));
        assertThat(user).contains("User" + U, "spent " + h.shop.pricing().format(job.price(), "en"), "last seen",
                job.id().display());
    }

    /**
     * A generation number nobody has: the user is told where his generations are, the admin only that there is none
     * («все ваши генерации — в /history» is no advice to an admin's /find).
     */
    @Test
    void anUnknownGenerationSendsTheUserToHisHistoryAndTellsTheAdminItIsUnknown() {
        assertThat(lastText(h.text(U, "gen_999")))
                .isEqualTo("I do not know the generation gen_999. Check the number: all your generations are in /history.");
        assertThat(lastText(h.admin("find", "gen_999"))).isEqualTo("No generation gen_999 was found.");
    }

    /** The audit trail of a paid generation names its price as money: «price 546» in /find read as 546 roubles. */
    @Test
    void aGenerationsAuditNamesItsPriceAsMoney() {
        h.orderAFoxImage(U);
        Job job = h.lastJob(U);
        assertThat(h.stores.audit().recent(100)).filteredOn(e -> e.action().equals("gen.created")).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("price 2.97\u00A0₽ model img/m9 sku " + job.skuId()));
        assertThat(lastText(h.admin("find", job.id().display())))
                .contains("generation created — price 2.97\u00A0₽, model Image img/m9\n")
                .doesNotContain("price 297");
    }

    /**
     * What a generation's audit lines recorded reads in the admin's language, with the language's decimal mark: a
     * Russian admin read «генерация создана — price 5.46 ₽ model edit/pro sku resolution=2K» and «отправлена в Kie —
     * task task-2».
     */
    @Test
    void findSaysWhatAGenerationsAuditRecordedInTheAdminsLanguage() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        Job job = deliveredJob();
        String found = lastText(h.admin("find", job.id().display()));
        assertThat(found).contains(" · генерация создана — цена 2,97\u00A0₽, модель Картинка img/m9\n",
                " · отправлена в Kie — задача " + job.taskId().orElseThrow());
        assertThat(found.lines().filter(l -> l.contains(" — ")))
                .noneMatch(l -> l.contains("price") || l.contains(" sku ") || l.contains("— task"));
    }

    /**
     * An admin answering a complaint reads /find in words first: the model and options as the user saw them, the
     * accounts and the audit trail in words; the ids and keys after them. It showed «Тариф resolution=2K»,
     * «wallet:42 → revenue:generation» and «gen.created».
     */
    @Test
    void findSaysAJobInWordsAndKeepsItsKeysLast() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        Job job = h.stores.jobs().create(new JobDraft(U, U, "ru", "edit/pro", "resolution=2K", Map.of("prompt", "небо",
                "resolution", "2K"), Map.of(), 546, false, h.clock.instant(), h.clock.instant().plusSeconds(600)));
        h.stores.ledger().hold(job.holdId(), AccountId.wallet(U), AccountId.REVENUE, 546, TransferKind.GENERATION,
                h.clock.instant().plusSeconds(600));
        h.stores.audit().record(new dev.kiebot.core.audit.AuditEvent(h.clock.instant(), "***42", "gen.created",
                "price 546 model edit/pro sku resolution=2K", java.util.Optional.of(job.id().display())));
        String found = lastText(h.admin("find", job.id().display()));
        assertThat(found).startsWith(job.id().display() + " · User42 (ID 42) · Редактор · ")
                .contains("\nВыбрано: «Разрешение: 2K»\nСоздана ",
                        " · резерв · 5,46\u00A0₽ · баланс пользователя User42 (ID 42) → выручка от генераций (оплата " + job.id().display() + ")",
                        // recorded before prices were money: the job says its price
                        // the model as the user saw it, not «edit/pro, вариант resolution=2K»
                        " · пользователь User42 (ID 42) · генерация создана — цена 5,46\u00A0₽, модель Редактор\n",
                        "\nМодель в каталоге: edit/pro");
        // said once: the keys line repeated «вариант: «Разрешение: 2K»» under the «Выбрано:» line
        assertThat(found).endsWith("\nМодель в каталоге: edit/pro");
        // said once: the creation's history line repeated it after the model
        assertThat(found.lines().filter(l -> l.contains("Разрешение")))
                .as("the variant under the job's line, nowhere else").containsExactly("Выбрано: «Разрешение: 2K»");
        assertThat(found).as("the catalog's keys of the options are said as the user saw them").doesNotContain("resolution");
        String words = found.substring(0, found.indexOf("\nМодель в каталоге"));
        assertThat(words.lines())
                .noneMatch(l -> l.contains("wallet:") || l.contains("revenue:") || l.contains("resolution=")
                        || l.contains("edit/pro") || l.contains("gen.created") || l.contains("Тариф"));
    }

    /** A variant the catalog no longer has is named by its key: nothing else is left to say it in words. */
    @Test
    void findNamesAVariantGoneFromTheCatalogByItsKey() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        Job job = h.stores.jobs().create(new JobDraft(U, U, "ru", "edit/pro", "resolution=8K", Map.of("prompt", "небо",
                "resolution", "8K"), Map.of(), 546, false, h.clock.instant(), h.clock.instant().plusSeconds(600)));
        assertThat(lastText(h.admin("find", job.id().display()))).doesNotContain("Выбрано:")
                .endsWith("\nМодель и вариант в каталоге: edit/pro · resolution=8K (такого варианта в каталоге больше нет)");
    }

    @Test
    void findShowsPaymentsByReferenceAndChargeId() {
        h.command(U, "topup");
        h.press(U, "*|y");
        h.press(U, "*|$");
        h.text(U, "300");
        String reference = h.stores.manualTopUps().recent(U, 1).get(0).reference();
        assertThat(lastText(h.admin("find", reference.toLowerCase(java.util.Locale.ROOT))))
                .contains("#1", "300\u00A0₽", reference, "waiting for the payment", "request created");
        String payload = h.press(U, "*|t|50").stream().filter(Reply.SendInvoice.class::isInstance)
                .map(i -> ((Reply.SendInvoice) i).payload()).findFirst().orElseThrow();
        h.send(U, new Event.SuccessfulPayment("charge-f1", payload, "XTR", 50));
        assertThat(lastText(h.admin("find", "charge-f1"))).contains("charge-f1", "50\u00A0⭐", " · posted · ",
                "Stars payments → balance of User" + U + " (id " + U + ") (Stars top-up, payment charge-f1)");
        assertThat(lastText(h.admin("find", payload))).contains("charge-f1");
    }

    @Test
    void usersListsBalanceSpendingAndLastVisit() {
        String all = lastText(h.admin("users", ""));
        assertThat(all).contains("Users: 2 in all, 2 shown", "User" + U, "100\u00A0₽", "spent 0\u00A0₽",
                "last seen 21.11.26 13:00 · ");
        assertThat(lastText(h.admin("users", "User" + U))).contains("Users: 2 in all, 1 shown:", "User" + U);
    }

    /**
     * /users and /find read a typed id alike: {@code 042} is user 42 for both. /users searched the id's digits as
     * written, and found nobody where /find found him.
     */
    @Test
    void usersReadsATypedIdAsFindDoes() {
        assertThat(lastText(h.admin("find", "042"))).contains("User" + U);
        assertThat(lastText(h.admin("users", "042"))).contains("1 shown:", "User" + U, "100\u00A0₽");
        assertThat(lastText(h.admin("users", Long.toString(U)))).as("found by the search too, listed once")
                .contains("1 shown:", "User" + U);
    }

    /**
     * /users of a text no user matches says nobody was found and what /users searches, as /find does: it wrote
     * «Пользователей: всего 2, показано 0:» and nothing after it, read as a list lost.
     */
    @Test
    void usersOfATextNoUserMatchesSaysNobodyWasFound() {
        assertThat(lastText(h.speaking("ru").admin("users", "nobody"))).isEqualTo("👥 По запросу «nobody» пользователей"
                + " не найдено. /users ищет по ID пользователя, его имени или нику в Telegram, достаточно части; /users"
                + " без текста покажет новых пользователей.");
        assertThat(lastText(h.speaking("en").admin("users", "nobody"))).startsWith("👥 No user found for “nobody”.")
                .doesNotContain("0 shown");
        assertThat(lastText(h.admin("users", "y".repeat(500)))).as("a pasted page is quoted cut")
                .contains("“" + "y".repeat(AdminSearch.QUERY_SHOWN_MAX - 1) + "…”");
    }

    /** A job of user U in {@code state}, moved there through the store. */
    private Job jobIn(JobState state) {
        Instant now = h.clock.instant();
        Job j = h.stores.jobs().create(new JobDraft(U, U, "en", "img/m9", "default", Map.of(), Map.of(), 0, true, now,
                now.plusSeconds(3600)));
        List<UnaryOperator<Job>> path = switch (state) {
            case CREATED -> List.of();
            case HELD -> List.of(Job::held);
            case SUBMITTING -> List.of(Job::held, Job::submitting);
            case SUBMITTED -> List.of(Job::held, Job::submitting, x -> x.submitted("task-s", x.createdAt()));
            case RUNNING -> List.of(Job::held, Job::submitting, x -> x.submitted("task-r", x.createdAt()), Job::running);
            case SUCCEEDED -> List.of(Job::held, Job::submitting, x -> x.submitted("task-d", x.createdAt()),
                    x -> x.succeeded(new JobResult(List.of("https://r/x.png"), MediaKind.PHOTO), now));
            case DELIVERED -> List.of(Job::held, Job::submitting, x -> x.submitted("task-e", x.createdAt()),
                    x -> x.succeeded(new JobResult(List.of("https://r/x.png"), MediaKind.PHOTO), now), Job::delivered);
            case FAILED -> List.of(Job::held, x -> x.failed("error.provider_failed"));
        };
        for (UnaryOperator<Job> step : path) {
            j = h.stores.jobs().update(step.apply(j)).orElseThrow();
        }
        return j;
    }

    /**
     * A user's page whose sections have nothing says «—» after each title, as its history and ledger do: the page of a
     * user who never generated, paid or wrote ended on a bare «Обращения:», as if its lines had been lost.
     */
    @Test
    void aUsersPageSaysAnEmptySectionIsEmpty() {
        h.command(55, "start");
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        assertThat(lastText(h.admin("find", "55"))).contains("\nГенерации: —\nПлатежи: —\nОбращения: —")
                .doesNotEndWith(":");
    }

    /** Before, /find, /users and tickets showed the state's name (SUBMITTED, HELD) to the admin. */
    @Test
    void everyJobStateReadsInTheAdminsWords() {
        Map<JobState, String> en = new EnumMap<>(JobState.class);
        Map<JobState, String> ru = new EnumMap<>(JobState.class);
        for (JobState state : JobState.values()) {
            String id = jobIn(state).id().display();
            h.stores.users().setLanguage(ShopHarness.ADMIN, "en");
            en.put(state, lastText(h.admin("find", id)).lines().findFirst().orElseThrow());
            h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
            ru.put(state, lastText(h.admin("find", id)).lines().findFirst().orElseThrow());
        }
        for (JobState state : JobState.values()) {
            assertThat(en.get(state)).as(state + " in English").doesNotContain(state.name());
            assertThat(ru.get(state)).as(state + " in Russian").doesNotContain(state.name())
                    .doesNotContainPattern("[A-Z]{4,}");
        }
        assertThat(en.get(JobState.SUBMITTED)).contains(" · accepted by Kie, queued · ");
        assertThat(ru.get(JobState.HELD)).contains(" · User42 (ID 42) · Картинка img/m9 · ждёт отправки в Kie · бесплатно");
        assertThat(ru.get(JobState.DELIVERED)).contains(" · доставлена · ");
        assertThat(en.values()).as("a word of its own for each state").doesNotHaveDuplicates();
        // the same words in the user's page of /find and in a payment support ticket
        h.stores.users().setLanguage(ShopHarness.ADMIN, "en");
        // the user's own page and his ticket name him once, above his generations, not on each of them
        assertThat(lastText(h.admin("find", Long.toString(U)))).contains(" · failed · ").doesNotContain("FAILED")
                .doesNotContain(" · User" + U + " (id " + U + ") · ");
        h.command(U, "paysupport");
        String ticket = lastText(h.text(U, "Where is my picture?").stream()
                .filter(r -> r.chatId() == ShopHarness.ADMIN).toList());
        assertThat(ticket).contains("Generations:", " · failed · ").doesNotContain("FAILED", "DELIVERED")
                .doesNotContain(" · User" + U + " (id " + U + ") · ");
    }

    @Test
    void adminTextsAreInTheAdminsLanguage() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        assertThat(((Reply.SendText) h.admin("admin", "").get(0)).text()).contains("Сводка", "Пользователи: 2");
        assertThat(lastText(h.admin("users", ""))).contains("Пользователей: всего 2");
        assertThat(lastText(h.admin("topup_user", "999 10"))).contains("нет пользователя с ID 999");
        assertThat(lastText(h.admin("refund_stars", ""))).contains("Формат: /refund_stars");
    }

    /**
     * The admin's answer to {@code /topup <id> <amount>} is the admin's alone: a user typing it gets his own top-up
     * screen, no word of {@code /topup_user}, and no balance moves, his or the named user's.
     */
    @Test
    void aUsersTopUpWithAnAdminsArgumentsIsHisOwnTopUpAndMovesNothing() {
        long mine = h.balance(U);
        long admins = h.balance(ShopHarness.ADMIN);

        List<Reply> replies = h.send(U, new Event.Command("topup", ShopHarness.ADMIN + " 99999"));

        assertThat(replies).isNotEmpty().noneMatch(r -> r instanceof Reply.SendText t
                && t.text().contains("topup_user"));
        assertThat(h.balance(U)).isEqualTo(mine);
        assertThat(h.balance(ShopHarness.ADMIN)).isEqualTo(admins);
    }

    @Test
    void russianAdminAnswersHaveNoEnglishLeft() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        String topUpFormat = "Формат: /topup_user <ID пользователя> <сумма, например 150,50>";
        assertThat(lastText(h.admin("topup_user", ""))).isEqualTo(topUpFormat);
        assertThat(lastText(h.admin("topup_user", U + " много"))).isEqualTo("Не удалось: «много» — не сумма. Напишите число"
                + " больше нуля, не больше двух цифр после запятой, например: 150; 150,50 или 1\u00A0234,50.");
        assertThat(lastText(h.admin("find", "")))
                .isEqualTo("Формат: /find <номер генерации | задача Kie | ID пользователя | код перевода>");
        assertThat(lastText(h.adminConfirmed("refund", ""))).isEqualTo("Формат: /refund <номер генерации>");
        assertThat(lastText(h.adminConfirmed("refund", "gen_999"))).isEqualTo("Генерация gen_999 не найдена.");
        assertThat(lastText(h.adminConfirmed("refund", "999"))).isEqualTo("Генерация gen_999 не найдена.");
        assertThat(lastText(h.admin("topup", U + " 150"))).as("the earlier bots' admin /topup <id> <amount>")
                .isEqualTo(topUpFormat);
        assertThat(lastText(h.admin("broadcast", ""))).isEqualTo("Формат: /broadcast <текст>");
        assertThat(lastText(h.admin("refund_stars", ""))).isEqualTo("Формат: /refund_stars <платёж | ID пользователя>");
        assertThat(lastTextTo(h.adminConfirmed("topup_user", U + " 150,50"), ShopHarness.ADMIN))
                .isEqualTo("Готово: пользователю User42 (ID 42) зачислено 150,50\u00A0₽, баланс 250,50\u00A0₽.");
        assertThat(lastTextTo(h.admin("topup_user", U + " 99999999999"), ShopHarness.ADMIN))
                .isEqualTo("Не удалось: сумма вне допустимых пределов.");
        Job job = deliveredJob();
        String price = h.shop.pricing().format(job.price(), "ru");
        assertThat(lastTextTo(h.adminConfirmed("refund", job.id().display()), ShopHarness.ADMIN))
                .isEqualTo("Готово: за " + job.id().display() + " возвращено " + price + " пользователю User42 (ID 42).");
        assertThat(lastTextTo(h.adminConfirmed("refund", job.id().display()), ShopHarness.ADMIN)).isEqualTo("ℹ️ Деньги за "
                + job.id().display() + " уже возвращены: " + price + " пользователю User42 (ID 42). Повторно ничего не зачислено.");
    }

    /** The admin's command as Telegram delivered it, under update id {@code updateId}, from {@code admin}'s chat. */
    private List<Reply> serve(long updateId, long admin, String lang, String command, String args) {
        h.messenger.drain();
        h.shop.storefront().serve(new Incoming(updateId, ShopHarness.actor(admin, lang), new Event.Command(command, args)));
        h.deliver();
        return h.messenger.drain();
    }

    /**
     * The same /topup_user update handled twice (or an update id Telegram gave out again) after its confirmation was
     * pressed finds its credit there already: it credits nothing and offers nothing to press, and the admin is told so
     * rather than shown a confirmation; the user hears of the credit once.
     */
    @Test
    void aTopUpCommandHandledAgainCreditsNothingAndSaysSo() {
        List<Reply> asked = serve(77_001, ShopHarness.ADMIN, "en", "topup_user", U + " 25");
        List<Reply> first = h.press(ShopHarness.ADMIN, ShopHarness.button(asked, "Credit"));
        assertThat(lastTextTo(first, ShopHarness.ADMIN)).startsWith("Done:");
        assertThat(first).filteredOn(r -> r.chatId() == U).hasSize(1);

        List<Reply> again = serve(77_001, ShopHarness.ADMIN, "en", "topup_user", U + " 25");
        assertThat(lastTextTo(again, ShopHarness.ADMIN)).isEqualTo("ℹ️ This command was carried out before: 25\u00A0₽ "
                + "was credited to User" + U + " (id " + U + ") then. Nothing was credited again; balance 125\u00A0₽.");
        assertThat(ShopHarness.buttonTexts(again)).isEmpty();
        assertThat(again).filteredOn(r -> r.chatId() == U).isEmpty();
        assertThat(h.balance(U)).isEqualTo(12_500);
    }

    /**
     * Telegram numbers a bot's updates afresh after a week without any (and another token on the same database does):
     * another admin's /topup_user under an update id that once carried one is a command of its own. Keyed by the
     * update id alone, it was taken for the old one: nothing credited, and the admin told it had been done before.
     */
    @Test
    void anotherAdminsTopUpUnderAnUpdateIdGivenOutAgainIsCredited() {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN, 2L))
                .withAdmission(AdmissionPolicy.off()));
        h.command(U, "start");
        for (long admin : List.of(ShopHarness.ADMIN, 2L)) {
            h.command(admin, "start");
            List<Reply> asked = serve(77_003, admin, "en", "topup_user", U + " 25");
            assertThat(lastTextTo(h.press(admin, ShopHarness.button(asked, "Credit")), admin)).startsWith("Done:");
        }
        assertThat(h.balance(U)).isEqualTo(2 * 2_500);
    }

    /**
     * A top-up credited by mistake, or a card payment the bank took back, comes off with /debit_user: once per command,
     * at most what is available (a running generation's hold stays with it), the user told in his language, the
     * statement naming it. There was no way back: the money stayed on the wallet to be spent on generations.
     */
    @Test
    void anAdminTakesMoneyOffAWalletOnceAndNoMoreThanIsAvailable() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        List<Reply> asked = serve(77_002, ShopHarness.ADMIN, "ru", "debit_user", U + " 40");
        List<Reply> first = h.press(ShopHarness.ADMIN, ShopHarness.button(asked, "Списать"));
        assertThat(lastTextTo(first, ShopHarness.ADMIN))
                .isEqualTo("Готово: с баланса пользователя User42 (ID 42) списано 40\u00A0₽, баланс 60\u00A0₽.");
        assertThat(lastTextTo(first, U)).isEqualTo("➖ An admin took 40\u00A0₽ off your balance. Balance: 60\u00A0₽. "
                + "If this is a mistake, write to support: /paysupport.");
        assertThat(h.balance(U)).isEqualTo(6_000);

        List<Reply> again = serve(77_002, ShopHarness.ADMIN, "ru", "debit_user", U + " 40");
        assertThat(lastTextTo(again, ShopHarness.ADMIN)).isEqualTo("ℹ️ Эта команда уже выполнялась: с баланса пользователя "
                + "User42 (ID 42) тогда списано 40\u00A0₽. Повторно ничего не списано, баланс 60\u00A0₽.");
        assertThat(again).filteredOn(r -> r.chatId() == U).isEmpty();
        assertThat(h.balance(U)).isEqualTo(6_000);

        Job running = h.runningFoxImage(U);
        long available = h.balance(U);
        assertThat(available).isEqualTo(6_000 - running.price());
        String all = h.shop.pricing().format(available, "ru");
        List<Reply> tooMuch = h.admin("debit_user", U + " 60");
        assertThat(lastTextTo(tooMuch, ShopHarness.ADMIN)).isEqualTo("Не удалось: у пользователя User42 (ID 42) "
                + "свободно только " + all + ": больше списать нельзя (деньги в резерве текущих генераций не списываются).");
        assertThat(ShopHarness.buttonTexts(tooMuch)).as("nothing to confirm").isEmpty();
        assertThat(h.balance(U)).isEqualTo(available);
        assertThat(lastTextTo(h.adminConfirmed("debit_user", U + " " + all.replace("\u00A0₽", "")), ShopHarness.ADMIN))
                .isEqualTo("Готово: с баланса пользователя User42 (ID 42) списано " + all + ", баланс 0\u00A0₽.");
        assertThat(h.stores.ledger().balance(AccountId.wallet(U)).debitsPending()).isEqualTo(running.price());

        assertThat(lastText(h.command(U, "payments"))).contains("−40\u00A0₽ · taken off by an admin");
        assertThat(lastText(h.admin("debit_user", ""))).isEqualTo("Формат: /debit_user <ID пользователя> <сумма, например 150,50>");
        assertThat(lastText(h.admin("debit_user", "999 10"))).contains("нет пользователя с ID 999");
    }

    /** /topup_user reads an amount as a user's typed top-up is read: groups, a comma or a point. */
    @Test
    void topUpUserTakesAnAmountWrittenAsPeopleWriteIt() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        assertThat(lastTextTo(h.adminConfirmed("topup_user", U + " 1 234,50"), ShopHarness.ADMIN))
                .isEqualTo("Готово: пользователю User42 (ID 42) зачислено 1\u00A0234,50\u00A0₽, баланс 1\u00A0334,50\u00A0₽.");
        assertThat(lastTextTo(h.adminConfirmed("topup_user", U + " 1\u00A0234,50"), ShopHarness.ADMIN))
                .isEqualTo("Готово: пользователю User42 (ID 42) зачислено 1\u00A0234,50\u00A0₽, баланс 2\u00A0569\u00A0₽.");
        assertThat(lastTextTo(h.adminConfirmed("topup_user", U + " 1234.5"), ShopHarness.ADMIN))
                .isEqualTo("Готово: пользователю User42 (ID 42) зачислено 1\u00A0234,50\u00A0₽, баланс 3\u00A0803,50\u00A0₽.");
        assertThat(h.balance(U)).isEqualTo(380_350);
    }

    /**
     * Garbage, a sign, a third decimal (once rounded up to the next kopeck), zero and digits of other scripts (Arabic,
     * full-width: {@code Long.parseLong} would read them) credit nothing, and say why.
     */
    @Test
    void topUpUserRefusesWhatIsNoAmountAndSaysWhy() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        for (String typed : List.of("abc", "-5", "150,505", "0", "10 50", "\u0661\u0660\u0660", "\uFF11\uFF10\uFF10")) {
            assertThat(lastTextTo(h.admin("topup_user", U + " " + typed), ShopHarness.ADMIN)).as(typed)
                    .isEqualTo("Не удалось: «" + typed + "» — не сумма. Напишите число больше нуля, не больше двух цифр"
                            + " после запятой, например: 150; 150,50 или 1\u00A0234,50.");
        }
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(lastTextTo(h.admin("topup_user", "\u0664\u0662 100"), ShopHarness.ADMIN)).as("a user id in Arabic digits")
                .startsWith("Формат: /topup_user");
        assertThat(h.balance(U)).isEqualTo(10_000);
        h.stores.users().setLanguage(ShopHarness.ADMIN, "en");
        assertThat(lastTextTo(h.admin("topup_user", U + " -5"), ShopHarness.ADMIN)).isEqualTo("Failed: “-5” is not an amount."
                + " Write a number above zero with at most two digits after the point, e.g. 150, 150.50 or 1\u00A0234.50.");
    }

    @Test
    void theFailureRateIsWrittenAsTheAdminsLanguageWritesIt() {
        deliveredJob();
        deliveredJob();
        h.adminConfirmed("refund", h.runningFoxImage(U).id().display());
        assertThat(((Reply.SendText) h.admin("admin", "").get(0)).text()).contains("failure rate 33.3%");
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        assertThat(((Reply.SendText) h.admin("admin", "").get(0)).text())
                .contains("доставлено 2 · с ошибкой 1 · в работе 0 · доля сбоев 33,3\u00A0%");
    }

    @Test
    void aSecondRefundOfTheSameJobMovesNothingAndTheAdminIsTold() {
        Job job = deliveredJob();
        long paid = h.balance(U);
        String price = h.shop.pricing().format(job.price(), "en");
        List<Reply> first = h.adminConfirmed("refund", job.id().display());
        assertThat(lastTextTo(first, ShopHarness.ADMIN))
                .isEqualTo("Done: " + price + " for " + job.id().display() + " returned to " + "User" + U + " (id " + U + ")" + ".");
        // a new message naming the generation: the user may have several
        assertThat(lastTextTo(first, U)).startsWith("💸 " + job.id().display() + " · ")
                .contains("Support gave back " + price + " for this generation");
        assertThat(h.balance(U)).isEqualTo(paid + job.price());

        List<Reply> second = h.adminConfirmed("refund", job.id().display());
        assertThat(lastTextTo(second, ShopHarness.ADMIN)).isEqualTo("ℹ️ " + job.id().display() + " was already refunded: "
                + price + " to " + "User" + U + " (id " + U + ")" + ". Nothing was moved again.");
        assertThat(second).as("the user is not told twice").noneMatch(r -> r.chatId() == U);
        assertThat(h.balance(U)).isEqualTo(paid + job.price());
        assertThat(refunds()).isEqualTo(1);
    }

    @Test
    void aRefundOfAJobStillRunningStopsItOnceAndItsLateResultChangesNothing() {
        long before = h.balance(U);
        Job job = h.runningFoxImage(U);
        assertThat(job.state()).isIn(JobState.SUBMITTED, JobState.RUNNING);
        assertThat(h.balance(U)).as("held").isEqualTo(before - job.price());
        String price = h.shop.pricing().format(job.price(), "en");

        List<Reply> stopped = h.adminConfirmed("refund", job.id().display());
        assertThat(lastTextTo(stopped, ShopHarness.ADMIN))
                .isEqualTo("Done: " + job.id().display() + " stopped, " + price + " returned to " + "User" + U + " (id " + U + ")" + ".");
        assertThat(lastTextTo(stopped, U)).contains(price + " returned to your balance", "support stopped it");
        assertThat(state(job)).isEqualTo(JobState.FAILED);
        assertThat(h.balance(U)).isEqualTo(before);
        // Kie may still make it and charge the shop: the operator's list of tasks to settle with Kie has it
        assertThat(h.stores.audit().byCorrelation(job.id().display()))
                .filteredOn(e -> e.action().equals("gen.reconcile")).singleElement().extracting(e -> e.detail())
                .isEqualTo(JobNote.STOPPED_AT_KIE.with(job.taskId().orElseThrow()));

        // the provider finishes after all: nothing is charged and nothing delivered
        h.messenger.drain();
        h.provider.succeed(job.taskId().orElseThrow(), "https://files/late.png");
        h.shop.worker().checkTask(job.taskId().orElseThrow());
        h.clock.advance(Duration.ofMinutes(1));
        h.work(10);
        assertThat(state(job)).isEqualTo(JobState.FAILED);
        assertThat(h.messenger.of(Reply.SendMedia.class)).isEmpty();
        assertThat(h.balance(U)).isEqualTo(before);

        List<Reply> again = h.adminConfirmed("refund", job.id().display());
        assertThat(lastTextTo(again, ShopHarness.ADMIN)).as("stopped, not failed: not «refunded when it failed»")
                .isEqualTo("Failed: it already ended without a result (failed, cancelled or stopped), and its money "
                        + "was given back.");
        assertThat(again).noneMatch(r -> r.chatId() == U);
        assertThat(h.balance(U)).isEqualTo(before);
        assertThat(refunds()).as("a voided hold, no refund transfer").isZero();
    }

    /**
     * /refund of a free generation still under way stops it as a paid one is stopped, and its free use comes back:
     * it was «a free generation, nothing to refund» before the job's state was looked at, so an admin could not stop a
     * free job gone wrong. Once it is finished, there is still nothing to refund.
     */
    @Test
    void aRefundOfAFreeJobStillRunningStopsItAndGivesTheFreeUseBackAFinishedOneHasNothingToRefund() {
        User user = h.stores.users().find(U).orElseThrow();
        LocalDate day = LocalDate.of(2026, 11, 21);
        Job running = ((Generations.Start.Started) h.shop.generations().start(user, U, new Effect.StartJob("img/m1",
                "default", Map.of("prompt", "x"), Map.of(), 0, true))).job();
        h.work(10);
        assertThat(state(running)).isIn(JobState.SUBMITTED, JobState.RUNNING);
        assertThat(h.stores.freeUsage().used(U, day)).isEqualTo(1);
        long balance = h.balance(U);

        List<Reply> stopped = h.adminConfirmed("refund", running.id().display());
        assertThat(lastTextTo(stopped, ShopHarness.ADMIN)).isEqualTo("Done: " + running.id().display()
                + " stopped; it does not count against the free generations of " + "User" + U + " (id " + U + ")" + ".");
        assertThat(lastTextTo(stopped, U)).contains("support stopped it");
        assertThat(state(running)).isEqualTo(JobState.FAILED);
        assertThat(h.stores.freeUsage().used(U, day)).as("the free use given back").isZero();
        assertThat(h.balance(U)).isEqualTo(balance);
        assertThat(h.stores.audit().byCorrelation(running.id().display()))
                .filteredOn(e -> e.action().equals("refund.admin")).singleElement().extracting(e -> e.detail())
                .isEqualTo(AuditNote.REFUND_ADMIN_STOPPED.with(running.id().display()));

        Job done = ((Generations.Start.Started) h.shop.generations().start(user, U, new Effect.StartJob("img/m1",
                "default", Map.of("prompt", "y"), Map.of(), 0, true))).job();
        h.work(10);
        h.provider.succeed(h.stores.jobs().find(done.id()).orElseThrow().taskId().orElseThrow(),
                "https://files/free.png");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(state(done)).isEqualTo(JobState.DELIVERED);
        assertThat(lastTextTo(h.adminConfirmed("refund", done.id().display()), ShopHarness.ADMIN))
                .isEqualTo("Failed: a free generation, nothing to refund.");
        assertThat(state(done)).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.freeUsage().used(U, day)).isEqualTo(1);
        assertThat(h.balance(U)).isEqualTo(balance);
    }
}
