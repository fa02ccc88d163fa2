package dev.kiebot.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Upkeep;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.PgStores;
import dev.kiebot.postgres.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the bot on one PostgreSQL (a web service scaled to 2, or a rolling deploy's old and new instance
 * for a minute): what the admins are told once is told once by both together.
 */
class TwoInstancesAlertsTest {
    private static final long ADMIN_2 = 2;
    private static final long U = 42;
    private static final long U2 = 43;
    /** FREE_DAILY_TOTAL=1: the shop's day's free generations, every user together. */
    private static final UnaryOperator<Shop.Builder> ONE_FREE_A_DAY = builder -> builder.freeDailyTotal(1);
    /** The clock the outbox stamps replies with (real time in a bot), shared by both instances. */
    private final MutableClock pacing = MutableClock.at("2026-11-21T10:00:00Z");
    private Database poolB;
    private ShopHarness a;
    private ShopHarness b;

    @BeforeEach
    void twoInstancesOnOneDatabase() {
        UnaryOperator<Shop.Builder> configure = builder -> ONE_FREE_A_DAY.apply(builder).pacingClock(pacing)
                .lowCredits(new BigDecimal("100"));
        a = new ShopHarness(TestCatalog.catalog(), settings(), ShopHarness.MANUAL,
                configure, TestDatabase::emptyStores);
        poolB = TestDatabase.newPool(3);
        b = new ShopHarness(TestCatalog.catalog(), settings(), ShopHarness.MANUAL,
                configure, clock -> PgStores.create(poolB, clock).asCoreStores());
    }

    private static ShopSettings settings() {
        return ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN, ADMIN_2))
                .withAdmission(AdmissionPolicy.off());
    }

    @AfterEach
    void closeSecondInstance() {
        poolB.close();
    }

    /** Core's upkeep tells it (KIE_LOW_CREDITS=100 given to the shop's builder); the audit trail is PostgreSQL's. */
    @Test
    void lowCreditsAreToldOnceEverySixHoursByBothInstancesTogether() {
        Runnable workA = lowCredits(a);
        Runnable workB = lowCredits(b);
        workA.run();
        workB.run(); // its own check, ten minutes apart at most: the same occasion
        a.deliver();
        assertThat(a.messenger.of(Reply.SendText.class)).extracting(Reply.SendText::chatId)
                .as("each admin told once").containsExactlyInAnyOrder(ShopHarness.ADMIN, ADMIN_2);
        a.messenger.drain();
        b.clock.advance(Duration.ofHours(5));
        workB.run();
        a.deliver();
        assertThat(a.messenger.all()).as("within six hours of the first").isEmpty();
        a.clock.advance(Duration.ofHours(7));
        b.clock.advance(Duration.ofHours(2));
        workA.run();
        workB.run();
        a.deliver();
        assertThat(a.messenger.of(Reply.SendText.class)).extracting(Reply.SendText::chatId)
                .as("six hours on, once again").containsExactlyInAnyOrder(ShopHarness.ADMIN, ADMIN_2);
    }

    /** Kie charges more than the catalog for a model: told once a day, whichever instance's job found it. */
    @Test
    void anOverchargeIsToldOnceADayWhicheverInstanceFindsIt() throws Exception {
        a.startedByAdminAnd(U, U2);
        a.topUp(U, 100_000);
        a.topUp(U2, 100_000);
        a.finishedFoxImage(U, overcharged());
        b.provider.submit(null); // one Kie account: b's task ids follow a's
        b.finishedFoxImage(U2, overcharged());
        assertThat(adminTexts()).filteredOn(t -> t.contains("Kie charges more")).as("told once").hasSize(1);
        a.clock.advance(Duration.ofDays(1));
        b.clock.advance(Duration.ofDays(1));
        b.provider.submit(null);
        b.finishedFoxImage(U2, overcharged());
        assertThat(adminTexts()).filteredOn(t -> t.contains("Kie charges more")).as("the next day").hasSize(2);
    }

    /** A result gone at Kie: told at most once an hour by both instances together. */
    @Test
    void aGoneResultIsToldOnceAnHourByBothInstancesTogether() throws Exception {
        a.startedByAdminAnd(U, U2);
        a.topUp(U, 100_000);
        a.topUp(U2, 100_000);
        resultGone(a, U);
        b.provider.submit(null);
        resultGone(b, U2);
        assertThat(adminTexts()).filteredOn(t -> t.contains("task task-")).as("told once").hasSize(1);
    }

    /**
     * FREE_DAILY_TOTAL given out on one instance, a use given back (its job failed) and taken again on the other: the
     * admins were told the day's total is given out once, not by each instance.
     */
    @Test
    void theDaysFreeTotalGivenOutIsToldOnceADayByBothInstancesTogether() {
        a.startedByAdminAnd(U, U2);
        List<Reply> sent = new java.util.ArrayList<>(orderFree(a, U));
        a.work(10);
        Job first = a.lastJob(U);
        a.provider.set(first.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
        a.clock.advance(Duration.ofSeconds(5));
        a.work(10);
        assertThat(a.stores.jobs().find(first.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
        sent.addAll(orderFree(b, U2)); // the use given back, taken on the other instance: the total given out again
        assertThat(b.lastJob(U2).free()).isTrue();
        b.deliver();
        sent.addAll(a.messenger.all());
        sent.addAll(b.messenger.all());
        assertThat(sent).filteredOn(r -> r.chatId() == ShopHarness.ADMIN && r instanceof Reply.SendText)
                .extracting(r -> ((Reply.SendText) r).text()).filteredOn(t -> t.contains("free generations are all given out"))
                .as("told once").hasSize(1);
    }

    /**
     * Kie refusing the shop's account (402: no credits): each instance pauses new orders on its own first refusal,
     * and the admins hear of the outage once, not once per instance.
     */
    @Test
    void aRefusalOfTheShopsAccountIsToldOnceByBothInstancesTogether() throws Exception {
        a.startedByAdminAnd(U, U2);
        a.topUp(U, 100_000);
        a.topUp(U2, 100_000);
        ProviderException noCredits = new ProviderException(ErrorKind.OUT_OF_CREDITS, "402", false);
        a.provider.failSubmits(noCredits);
        b.provider.failSubmits(noCredits);
        a.orderAFoxImage(U);
        a.work(10);
        b.orderAFoxImage(U2);
        b.work(10);
        assertThat(a.lastJob(U2).state()).as("refused on the other instance").isEqualTo(JobState.FAILED);
        assertThat(adminTexts()).filteredOn(t -> t.contains("out of Kie credits")).as("told once").hasSize(1);
    }

    /**
     * Replies that have not left for a quarter of an hour (Telegram unreachable): each instance's upkeep finds them,
     * the admins are told once; once they are out, the all-clear is told once too.
     */
    @Test
    void stuckRepliesAreToldOnceByBothInstancesTogether() {
        a.startedByAdminAnd(U);
        a.messenger.drain();
        a.shop.outbox().send(new Reply.SendText(U, "your result", Keyboard.NONE));
        pacing.advance(Duration.ofMinutes(15));
        lookAtBacklogs(a);
        lookAtBacklogs(b);
        a.deliver();
        assertThat(adminTexts()).filteredOn(t -> t.contains("replies are not reaching users")).as("told once")
                .hasSize(1);
        a.clock.advance(Duration.ofMinutes(1));
        b.clock.advance(Duration.ofMinutes(1));
        lookAtBacklogs(b);
        lookAtBacklogs(a);
        a.deliver();
        assertThat(adminTexts()).filteredOn(t -> t.contains("replies reach users again")).as("the all-clear once")
                .hasSize(1);
    }

    /**
     * A model down at Kie, its orders shared by two instances: each counts its own five failures in a row, of two
     * users, and the admins are told once.
     */
    @Test
    void aModelFailingOnBothInstancesIsToldOnce() throws Exception {
        a.startedByAdminAnd(U, U2);
        a.topUp(U, 100_000);
        a.topUp(U2, 100_000);
        for (int i = 0; i < 5; i++) {
            foxFailed(a, i % 2 == 0 ? U : U2);
        }
        for (int i = 0; i < 5; i++) {
            b.provider.submit(null); // one Kie account: b's task ids follow a's
        }
        for (int i = 0; i < 5; i++) {
            foxFailed(b, i % 2 == 0 ? U : U2);
        }
        assertThat(adminTexts()).filteredOn(t -> t.contains("in a row failed at the AI service")).as("told once")
                .hasSize(1);
    }

    /** A fox image on {@code h}, failed at Kie. */
    private static void foxFailed(ShopHarness h, long user) {
        Job job = h.runningFoxImage(user);
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.SERVER, "boom"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stores.jobs().find(job.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
    }

    /** A generation whose checks nobody makes (both job workers held): told once by both instances' upkeep. */
    @Test
    void lateGenerationsAreToldOnceByBothInstancesTogether() {
        a.startedByAdminAnd(U);
        a.topUp(U, 100_000);
        a.runningFoxImage(U);
        a.messenger.drain();
        a.clock.advance(Duration.ofMinutes(11));
        b.clock.advance(Duration.ofMinutes(11));
        lookAtBacklogs(b);
        lookAtBacklogs(a);
        a.deliver();
        assertThat(adminTexts()).filteredOn(t -> t.contains("not checked on time")).as("told once").hasSize(1);
    }

    /** The upkeep's task that looks for stuck work, as the runners schedule it. */
    private static void lookAtBacklogs(ShopHarness h) {
        h.shop.upkeep().tasks().stream().filter(t -> t.name().equals("backlogs")).findFirst().orElseThrow()
                .run().run();
    }

    /** A free image ordered through the chat on {@code h}, up to «Generate». @return what was sent meanwhile */
    private static List<Reply> orderFree(ShopHarness h, long user) {
        List<Reply> sent = new java.util.ArrayList<>(h.press(user, "*|g|img/m1"));
        List<Reply> question = h.text(user, "a fox");
        sent.addAll(question);
        List<Reply> confirm = h.press(user, ShopHarness.button(question, "1:1"));
        sent.addAll(confirm);
        assertThat(ShopHarness.lastText(confirm)).contains("free");
        sent.addAll(h.press(user, ShopHarness.button(confirm, "Generate")));
        return sent;
    }

    private static TaskStatus.Succeeded overcharged() {
        return new TaskStatus.Succeeded(new JobResult(List.of("https://files/out.png"), MediaKind.PHOTO),
                Optional.of(new BigDecimal("0.03")));
    }

    /** A fox image done on {@code h}'s worker, its result's file gone at Kie when Telegram fetches it. */
    private static void resultGone(ShopHarness h, long user) {
        Job job = h.runningFoxImage(user);
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(
                new JobResult(List.of("https://r/cat.png"), MediaKind.PHOTO)));
        h.clock.advance(Duration.ofSeconds(5));
        h.messenger.thenAnswer(new Delivery.Sent(Optional.empty(), List.of()),
                new Delivery.Gone("download failed: HTTP 404"));
        h.work(10);
    }

    /** What the admins were sent by either instance's reply senders (the outbox is shared). */
    private List<String> adminTexts() {
        return java.util.stream.Stream.concat(a.messenger.all().stream(), b.messenger.all().stream())
                .filter(r -> r.chatId() == ShopHarness.ADMIN && r instanceof Reply.SendText)
                .map(r -> ((Reply.SendText) r).text()).toList();
    }

    /** The credits task of {@code h}'s shop, built to tell below 100 credits, its provider's 12.5 read. */
    private static Runnable lowCredits(ShopHarness h) {
        h.provider.setCredits(new BigDecimal("12.5"));
        return h.shop.upkeep().tasks().stream().filter(t -> t.name().equals(Upkeep.CREDITS_TASK)).findFirst().orElseThrow()
                .run();
    }
}
