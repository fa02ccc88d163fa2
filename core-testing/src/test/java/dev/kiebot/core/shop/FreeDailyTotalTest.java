package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FREE_DAILY_TOTAL: the whole shop gives at most so many free generations a day, whoever asks. Once they are given
 * out every user sees prices (no «free» on any button, the quote asks for money), an order confirmed as free before is
 * refused at «Generate» with nothing taken, the admins hear it once a day; a failed free job gives its place back, and
 * the next day starts again.
 */
class FreeDailyTotalTest {
    private static final long A = 42;
    private static final long B = 43;
    private static final long C = 44;
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 21);
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off()), ManualPayments.off(), b -> b.freeDailyTotal(2));
        for (long u : List.of(ShopHarness.ADMIN, A, B, C)) {
            h.command(u, "start");
        }
    }

    /** A free image ordered as the confirmation makes it. */
    private Generations.Start startFree(long userId) {
        return h.shop.generations().start(h.stores.users().find(userId).orElseThrow(), userId,
                new Effect.StartJob("img/m1", "default", Map.of("prompt", "x"), Map.of(), 0, true));
    }

    private List<String> alerts() {
        return h.messenger.drain().stream().filter(r -> r.chatId() == ShopHarness.ADMIN)
                .map(r -> lastText(List.of(r))).toList();
    }

    @Test
    void onceTheDaysTotalIsGivenOutEveryoneSeesPricesAndTheAdminsHearOnce() {
        assertThat(buttonTexts(h.press(C, "*|c|IMAGE"))).contains("🆓 Image img/m1");
        h.messenger.drain();
        assertThat(startFree(A)).isInstanceOf(Generations.Start.Started.class);
        h.deliver();
        assertThat(alerts()).as("one of the two left: not told yet").isEmpty();
        assertThat(startFree(B)).isInstanceOf(Generations.Start.Started.class);
        h.deliver();
        assertThat(alerts()).singleElement().asString().contains("2\u00A0generations to all users together", "The limit is set in the bot's settings.");
        assertThat(lastText(h.admin("admin", "").subList(0, 1))).contains("Free generations today: 2 of 2");

        // A has 4 of his own left, C all 5: neither is offered one now
        for (long u : List.of(A, C)) {
            assertThat(buttonTexts(h.press(u, "*|c|IMAGE"))).contains("Image img/m1 · 1.72\u00A0₽")
                    .noneMatch(b -> b.contains("🆓") || b.contains("free"));
            // said why, not «0 of 5» to a user who used none
            assertThat(lastText(h.command(u, "start"))).contains("free generations for today have run out")
                    .doesNotContain("0 of 5");
            assertThat(lastText(h.command(u, "balance"))).contains("have run out").doesNotContain("0 of 5");
            assertThat(lastText(h.press(u, "*|f"))).contains("have run out", "new ones arrive at midnight Moscow time");
        }
        // an order C confirmed as free before is refused at «Generate», nothing taken
        assertThat(startFree(C)).isInstanceOf(Generations.Start.FreeLimitReached.class);
        assertThat(h.lastJob(C).state()).isEqualTo(JobState.FAILED);
        assertThat(h.stores.freeUsage().usedByAll(TODAY)).isEqualTo(2);

        h.clock.advance(Duration.ofDays(1));
        assertThat(buttonTexts(h.press(C, "*|c|IMAGE"))).contains("🆓 Image img/m1");
        assertThat(startFree(C)).isInstanceOf(Generations.Start.Started.class);
    }

    /** A confirmation shown as free before the day's total ran out asks again, with the price, at «Generate». */
    @Test
    void aFreeConfirmationShownBeforeTheTotalRanOutIsQuotedAgainWithThePrice() {
        h.press(C, "*|g|img/m1");
        List<Reply> confirm = h.press(C, ShopHarness.button(h.text(C, "a fox"), "1:1"));
        assertThat(lastText(confirm)).contains("free");
        startFree(A);
        startFree(B);
        List<Reply> pressed = h.press(C, ShopHarness.button(confirm, "Generate"));
        assertThat(lastText(pressed)).contains("1.72\u00A0₽", "Today's free generations are used up");
        assertThat(h.stores.freeUsage().used(C, TODAY)).isZero();
        assertThat(h.stores.jobs().recent(C, 1)).isEmpty();
    }

    /** ... and the use taken again in its place does not tell the admins twice the same day. */
    @Test
    void aFailedFreeJobGivesItsPlaceBack() {
        h.messenger.drain();
        Job first = ((Generations.Start.Started) startFree(A)).job();
        startFree(B);
        h.deliver();
        assertThat(alerts()).hasSize(1);
        h.work(10);
        List<Reply> none = h.press(C, "*|c|IMAGE");
        assertThat(buttonTexts(none)).noneMatch(b -> b.contains("🆓"));
        h.provider.set(h.stores.jobs().find(first.id()).orElseThrow().taskId().orElseThrow(),
                new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(h.stores.jobs().find(first.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
        assertThat(h.stores.freeUsage().usedByAll(TODAY)).isEqualTo(1);
        assertThat(buttonTexts(h.press(C, "*|c|IMAGE"))).contains("🆓 Image img/m1");
        h.messenger.drain();
        assertThat(startFree(C)).isInstanceOf(Generations.Start.Started.class);
        assertThat(h.stores.freeUsage().usedByAll(TODAY)).isEqualTo(2);
        h.deliver();
        assertThat(alerts()).as("told once a day").isEmpty();
    }

    /**
     * The day is the shop's (Moscow's, 3 hours ahead of UTC), as the quote and the buttons read it: the total given
     * out at 23:59 Moscow, a free order at 00:01 Moscow is the new day's first use, though UTC's day (21:01) is the
     * same. Counted on UTC's day, the order the buttons offered as free was refused at «Generate».
     */
    @Test
    void theDaysTotalStartsAgainAtMidnightInTheShopsZoneNotUtcs() {
        h.clock.advance(Duration.ofHours(10).plusMinutes(59)); // 20:59 UTC, 23:59 Moscow
        assertThat(startFree(A)).isInstanceOf(Generations.Start.Started.class);
        assertThat(startFree(B)).isInstanceOf(Generations.Start.Started.class);
        assertThat(startFree(C)).isInstanceOf(Generations.Start.FreeLimitReached.class);

        h.clock.advance(Duration.ofMinutes(2)); // 21:01 UTC, 00:01 Moscow the next day
        assertThat(buttonTexts(h.press(C, "*|c|IMAGE"))).contains("🆓 Image img/m1");
        assertThat(startFree(C)).isInstanceOf(Generations.Start.Started.class);
        assertThat(h.stores.freeUsage().usedByAll(TODAY)).isEqualTo(2);
        assertThat(h.stores.freeUsage().usedByAll(TODAY.plusDays(1))).isEqualTo(1);
    }
}
