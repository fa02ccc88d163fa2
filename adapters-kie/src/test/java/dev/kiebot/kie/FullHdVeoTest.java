package dev.kiebot.kie;

import static dev.kiebot.core.testing.ShopHarness.button;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.kie.catalog.KieCatalog;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.kie.fake.FakeKieServer.Endpoint;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Veo 3.1 video ordered in 1080p (review R6): Kie's task succeeds with the 720p file, and the 1080p one comes from
 * {@code get-1080p-video} a few minutes later. Delivered at the success, the user paid the 1080p price for the 720p
 * file. Now the job stays at Kie, read again on its own schedule (a restart in between changes nothing), until the
 * 1080p file is there; when it does not come within 8 minutes of the 720p one, or the job's time, the 720p video is delivered at the 720p price, the
 * difference given back, and the user told so. Shipped catalog: 1080p 50,70 ₽, 720p 46,80 ₽.
 */
class FullHdVeoTest {
    private static final long U = 42;
    private static final long START = 100_000;
    private static final long PRICE_1080P = 5_070;
    private static final long PRICE_720P = 4_680;

    private FakeKieServer kie;
    private ShopHarness h;
    private Shop shop;
    /** The provider of {@link #shop}: what it keeps of the tasks awaiting their 1080p file. */
    private KieProvider provider;

    @BeforeEach
    void start() {
        kie = FakeKieServer.start();
        h = new ShopHarness(KieCatalog.fromClasspath(), ShopSettings.defaults()
                .withAdmins(java.util.Set.of(ShopHarness.ADMIN))).speaking("ru");
        shop = onKie();
        h.command(U, "start");
        h.topUp(U, START);
    }

    @AfterEach
    void close() {
        kie.close();
    }

    /** Another instance of the bot on the harness's stores, sending to the fake Kie: a process started anew. */
    private Shop onKie() {
        provider = KieTestSupport.provider(kie);
        return h.anotherInstance(s -> s, b -> b.provider(provider));
    }

    private void pass(Duration after) {
        h.clock.advance(after);
        shop.worker().runOnce(10);
        h.deliver();
    }

    /** The user orders a Veo 3.1 Fast video of a cat on a roof, 16:9, in {@code resolution}. */
    private Job ordered(String resolution) {
        h.press(U, "*|g|veo3.1-fast");
        List<Reply> r = h.text(U, "a cat on a roof");
        r = h.press(U, button(r, "Пропустить"));
        r = h.press(U, button(r, "16:9"));
        r = h.press(U, button(r, resolution));
        h.press(U, button(r, "Сгенерировать"));
        return h.lastJob(U);
    }

    /** The user orders a Veo 3.1 Fast video in 1080p, and Kie makes its 720p file. */
    private Job orderedIn1080p() {
        Job j = ordered("1080p");
        assertThat(j.skuId()).isEqualTo("resolution=1080p");
        assertThat(j.price()).isEqualTo(PRICE_1080P);
        pass(Duration.ZERO);
        String task = h.stored(j).taskId().orElseThrow();
        assertThat(kie.task(task).request.path("resolution").asText()).isEqualTo("1080p");
        kie.succeed(task);
        return j;
    }

    private List<String> deliveredFiles() {
        return h.messenger.of(Reply.SendMedia.class).stream().map(Reply.SendMedia::source).toList();
    }

    @Test
    void the1080pFileReadyAfterAFewAsksIsWhatTheUserGetsChargedOnce() {
        kie.fullHdReadyAfter(2);
        Job j = orderedIn1080p();
        pass(Duration.ofSeconds(20));
        assertThat(h.stored(j).state()).as("done at Kie in 720p: waits for the 1080p file")
                .isEqualTo(JobState.RUNNING);
        assertThat(deliveredFiles()).isEmpty();

        shop = onKie(); // restarted while it waits: the job's state and schedule carry it on
        for (int i = 0; i < 10 && !h.stored(j).state().isTerminal(); i++) {
            pass(Duration.ofSeconds(30));
        }

        assertThat(h.stored(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(deliveredFiles()).singleElement().satisfies(url -> assertThat(url).endsWith("-1080p.mp4"));
        assertThat(kie.count(Endpoint.VEO_1080P)).isEqualTo(3);
        FakeKieServer.Recorded ask = kie.requests(Endpoint.VEO_1080P).get(0);
        assertThat(ask.queryParam("taskId")).contains(h.stored(j).taskId().orElseThrow());
        assertThat(ask.queryParam("index")).contains("0");
        assertThat(h.balance(U)).as("the 1080p price, once").isEqualTo(START - PRICE_1080P);
        assertThat(h.messenger.texts()).noneMatch(t -> t.contains("не успел"));
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    @Test
    void whileThe1080pFileIsAwaitedAReadIsOneRequestToKieAtMost() {
        kie.fullHdReadyAfter(4);
        Job j = orderedIn1080p();
        pass(Duration.ofSeconds(20));
        assertThat(h.stored(j).state()).as("done at Kie in 720p: waits for the 1080p file")
                .isEqualTo(JobState.RUNNING);
        int recordReads = kie.count(Endpoint.VEO_RECORD_INFO);
        int fullHdAsks = kie.count(Endpoint.VEO_1080P);
        assertThat(fullHdAsks).isEqualTo(1);

        int reads = 0;
        for (; reads < 20 && !h.stored(j).state().isTerminal(); reads++) {
            pass(Duration.ofSeconds(30));
        }

        assertThat(h.stored(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(deliveredFiles()).singleElement().satisfies(url -> assertThat(url).endsWith("-1080p.mp4"));
        assertThat(kie.count(Endpoint.VEO_1080P)).as("the 1080p file asked for at the reads 0, 1, 3, 6 and 10 after "
                + "the 720p one, not at each").isEqualTo(5);
        assertThat(reads).isEqualTo(10);
        assertThat(kie.count(Endpoint.VEO_RECORD_INFO)).as("record-info, done in 720p, not read again")
                .isEqualTo(recordReads);
        assertThat(h.balance(U)).as("the 1080p price, once").isEqualTo(START - PRICE_1080P);
    }

    @Test
    void a1080pFileThatNeverComesLeavesThe720pVideoAtThe720pPriceAndSaysSo() {
        kie.fullHdReadyAfter(Integer.MAX_VALUE);
        Job j = orderedIn1080p();
        for (int minute = 1; minute <= 90 && !h.stored(j).state().isTerminal(); minute++) {
            pass(Duration.ofMinutes(1));
        }

        assertThat(h.stored(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(deliveredFiles()).singleElement().satisfies(url -> assertThat(url).endsWith(".mp4")
                .doesNotContain("1080p"));
        assertThat(h.balance(U)).as("the 720p price: the difference back").isEqualTo(START - PRICE_720P);
        assertThat(h.messenger.texts()).anySatisfy(t -> assertThat(t).contains("Вариант «1080p» не успел "
                + "подготовиться", "«720p»", "Разницу в цене, 3,90\u00a0₽, вернул на баланс"));
        assertThat(kie.count(Endpoint.VEO_1080P)).as("asked on a schedule of its own, not at each read")
                .isBetween(2, KieProvider.FULL_HD_ASKS_MAX);
        assertThat(h.stores.audit().byCorrelation(j.id().display()))
                .filteredOn(e -> e.action().equals("gen.charged_less")).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo(Long.toString(PRICE_720P)));
        assertThat(String.join("\n", h.admin("find", j.id().display()).stream()
                .filter(r -> r instanceof Reply.SendText || r instanceof Reply.EditText).map(Object::toString).toList()))
                .contains("списано 46,80\u00a0₽, возвращено 3,90\u00a0₽");
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * A task awaiting its 1080p file was let go of only when the file came: a job delivered in 720p (the file never
     * came in the wait) left it in the provider's memory until 1024 newer ones pushed it out. It goes with the job's
     * end, whichever way it ends.
     */
    @Test
    void aTaskAwaitingIts1080pFileIsLetGoOfWhenItsJobIsDeliveredIn720p() {
        kie.fullHdReadyAfter(Integer.MAX_VALUE);
        Job j = orderedIn1080p();
        pass(Duration.ofSeconds(20));
        assertThat(h.stored(j).state()).isEqualTo(JobState.RUNNING);
        assertThat(provider.fullHdAwaited()).as("its 1080p file awaited").isEqualTo(1);
        for (int minute = 1; minute <= 90 && !h.stored(j).state().isTerminal(); minute++) {
            pass(Duration.ofMinutes(1));
        }

        assertThat(h.stored(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(deliveredFiles()).singleElement().satisfies(url -> assertThat(url).doesNotContain("1080p"));
        assertThat(provider.fullHdAwaited()).as("let go of with the job").isZero();
    }

    /**
     * The 720p video charged 46,80 ₽ of the 50,70 ₽ order: its status message and /history say 46,80 ₽ was charged,
     * not the order's price, which read as money taken that came back.
     */
    @Test
    void theLesserResultsStatusAndHistoryShowWhatWasChargedNotTheOrdersPrice() {
        kie.fullHdReadyAfter(Integer.MAX_VALUE);
        Job j = orderedIn1080p();
        for (int minute = 1; minute <= 90 && !h.stored(j).state().isTerminal(); minute++) {
            pass(Duration.ofMinutes(1));
        }
        assertThat(h.stored(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.balance(U)).isEqualTo(START - PRICE_720P);

        assertThat(h.messenger.texts()).anySatisfy(t -> assertThat(t).contains(j.id().display(),
                "Готово. Списано с баланса: 46,80\u00a0₽."));
        assertThat(h.messenger.texts()).noneMatch(t -> t.contains("Списано с баланса: 50,70"));
        String history = ShopHarness.lastText(h.command(U, "history"));
        assertThat(history).contains(j.id().display(), "46,80\u00a0₽").doesNotContain("50,70");
        // the admins' lines of the job, of its user's page, as his /history
        assertThat(ShopHarness.lastText(h.admin("find", j.id().display())).lines().findFirst().orElseThrow())
                .startsWith(j.id().display() + " · ").endsWith(" · 46,80\u00a0₽");
        assertThat(ShopHarness.lastText(h.admin("find", Long.toString(U))).lines()
                .filter(l -> l.contains(j.id().display() + " · "))).singleElement()
                .satisfies(l -> assertThat(l).endsWith(" · 46,80\u00a0₽"));
    }

    @Test
    void a1080pFileThatNeverComesLeavesThe720pVideoAfterTheWaitCappedNotAtTheDeadline() {
        kie.fullHdReadyAfter(Integer.MAX_VALUE);
        Job j = orderedIn1080p();
        pass(Duration.ofSeconds(20));
        assertThat(h.stored(j).state()).isEqualTo(JobState.RUNNING);
        java.time.Instant seen = h.clock.instant();
        assertThat(h.stored(j).succeededAt()).as("when the 720p file was first seen is kept on the job")
                .hasValueSatisfying(at -> assertThat(at).isBetween(seen.minusSeconds(20), seen));
        pass(Duration.ofMinutes(5));
        assertThat(h.stored(j).state()).as("still waiting for the 1080p file").isEqualTo(JobState.RUNNING);
        // restarted 5 minutes into the wait: a new worker knows nothing but the job, and the wait goes on from the
        // 720p file first seen (a worker counting from its own start would deliver 8 minutes after the restart)
        shop = onKie();
        while (!h.stored(j).state().isTerminal() && h.clock.instant().isBefore(h.stored(j).deadline())) {
            pass(Duration.ofSeconds(30));
        }

        assertThat(h.stored(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(Duration.between(seen, h.clock.instant())).as("the 720p file after the capped wait")
                .isBetween(Duration.ofMinutes(8), Duration.ofSeconds(9 * 60 + 30));
        assertThat(h.clock.instant()).isBefore(h.stored(j).deadline().minus(Duration.ofMinutes(10)));
        assertThat(deliveredFiles()).singleElement().satisfies(url -> assertThat(url).doesNotContain("1080p"));
        assertThat(h.balance(U)).as("the 720p price: the difference back").isEqualTo(START - PRICE_720P);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    @Test
    void aReadFailingAtTheDeadlineDoesNotLoseTheVideoKieMade() {
        kie.fullHdReadyAfter(Integer.MAX_VALUE);
        Job j = ordered("1080p");
        pass(Duration.ZERO);
        java.time.Instant deadline = h.stored(j).deadline();
        while (h.clock.instant().isBefore(deadline.minus(Duration.ofMinutes(3)))) {
            pass(Duration.ofMinutes(1));
        }
        kie.succeed(h.stored(j).taskId().orElseThrow()); // made in the job's last minutes
        pass(Duration.ofMinutes(1));
        assertThat(h.stored(j).state()).as("waits for the 1080p file").isEqualTo(JobState.RUNNING);
        // Kie answers 5xx for the reads at the deadline, of a bot started anew (one that read the task done in 720p
        // asks for the 1080p file alone)
        shop = onKie();
        kie.enqueue(Endpoint.VEO_RECORD_INFO, FakeKieServer.Reply.error(500, "internal error"),
                FakeKieServer.Reply.error(500, "internal error"), FakeKieServer.Reply.error(500, "internal error"));
        pass(Duration.between(h.clock.instant(), deadline));
        for (int i = 0; i < 20 && !h.stored(j).state().isTerminal(); i++) {
            pass(Duration.ofSeconds(10));
        }

        assertThat(h.stored(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(deliveredFiles()).singleElement().satisfies(url -> assertThat(url).doesNotContain("1080p"));
        assertThat(h.balance(U)).as("the 720p price").isEqualTo(START - PRICE_720P);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * Kie lists "Get 1080P $0.025" without saying whether an ask answered "not ready" is charged: a task's asks are
     * bounded ({@link KieProvider#FULL_HD_ASKS_MAX}), their gaps growing, however many times it is read. Asked at each
     * read, 100 reads were 100 asks.
     */
    @Test
    void the1080pFileIsAskedForAtMostTheCappedNumberOfTimesPerTaskOnGrowingGaps() throws Exception {
        kie.fullHdReadyAfter(Integer.MAX_VALUE);
        Job j = orderedIn1080p();
        String task = h.stored(j).taskId().orElseThrow();
        KieProvider provider = KieTestSupport.provider(kie);
        dev.kiebot.core.catalog.Model veo = KieCatalog.fromClasspath().model(j.modelId()).orElseThrow();
        int before = kie.count(Endpoint.VEO_1080P);
        List<Integer> askedAt = new java.util.ArrayList<>();
        for (int read = 0; read < 100; read++) {
            int asked = kie.count(Endpoint.VEO_1080P);
            assertThat(provider.statusOnce(veo, task, java.util.Map.of("resolution", "1080p")))
                    .isInstanceOf(dev.kiebot.core.jobs.TaskStatus.PartlyDone.class);
            if (kie.count(Endpoint.VEO_1080P) > asked) {
                askedAt.add(read);
            }
        }

        assertThat(askedAt).containsExactly(0, 1, 3, 6, 10, 15, 21, 28);
        assertThat(kie.count(Endpoint.VEO_1080P) - before).isEqualTo(KieProvider.FULL_HD_ASKS_MAX);
    }

    @Test
    void a720pOrderIsDeliveredAtOnceWithoutAskingFor1080p() {
        Job j = ordered("720p");
        pass(Duration.ZERO);
        kie.succeed(h.stored(j).taskId().orElseThrow());
        pass(Duration.ofSeconds(20));

        assertThat(h.stored(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(kie.count(Endpoint.VEO_1080P)).isZero();
        assertThat(h.balance(U)).isEqualTo(START - PRICE_720P);
    }
}
