package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import dev.kiebot.core.users.PersonalData;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The periodic work a shop needs is listed by core, each task with its period, so a partner schedules the list
 * rather than a set of calls remembered from the README (a forgotten hold sweep left users' money held for good).
 */
class UpkeepTest {
    @Test
    void theTasksAreTheExpiriesEveryMinuteTheCleanupHourlyAndTheBacklogsEveryMinute() {
        Upkeep upkeep = new ShopHarness().shop.upkeep();

        assertThat(upkeep.tasks()).extracting(Upkeep.Task::name, Upkeep.Task::every).containsExactly(
                org.assertj.core.groups.Tuple.tuple("expiries", Duration.ofMinutes(1)),
                org.assertj.core.groups.Tuple.tuple("cleanup", Duration.ofHours(1)),
                org.assertj.core.groups.Tuple.tuple("backlogs", Duration.ofMinutes(1)));
        upkeep.tasks().forEach(t -> t.run().run()); // an empty shop: each runs without a failure
        assertThat(upkeep.cleanup()).isEqualTo(new Upkeep.Cleaned(0, 0, 0, 0));
    }

    /**
     * Free uses and welcome bonuses are counted by the shop's day ({@code ShopSettings.zone()}, Moscow here): the
     * cleanup's cutoff is a day of that zone too. At 01:30 in Moscow, still the evening before in UTC, the day 30 days
     * back in Moscow is the cutoff: the day before it goes, that day stays.
     */
    @Test
    void theFreeUsesCutoffIsADayOfTheShopsZoneNotOfUtc() {
        ShopHarness h = new ShopHarness();
        h.clock.set(java.time.Instant.parse("2026-11-21T22:30:00Z")); // 2026-11-22 01:30 in Moscow
        java.time.LocalDate cutoff = java.time.LocalDate.parse("2026-10-23"); // 30 days back, in Moscow
        h.stores.freeUsage().tryUse(1, cutoff.minusDays(1), 5, "before the cutoff");
        h.stores.freeUsage().tryUse(1, cutoff, 5, "on the cutoff");

        assertThat(h.shop.upkeep().cleanup().freeUses()).as("the day before Moscow's cutoff").isEqualTo(1);
        assertThat(h.stores.freeUsage().usedByAll(cutoff)).as("the cutoff day kept").isEqualTo(1);
    }

    /**
     * With a retention of personal texts ({@code Shop.Builder.personalDataRetention}, kiebot's {@code PERSONAL_DATA_DAYS})
     * the hourly cleanup blanks a finished generation's inputs and results once it is older, as {@code /forget} does,
     * and «Again» under it then asks for the description, as after {@code /forget}; its price and state stay. Without
     * one (the default) nothing is blanked, however old.
     */
    @Test
    void withARetentionTheCleanupBlanksAnOldGenerationAndAgainAsksForItsDescription() {
        ShopHarness kept = new ShopHarness().startedByAdminAnd(42);
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL,
                b -> b.personalDataRetention(Duration.ofDays(30))).startedByAdminAnd(42);
        TaskStatus.Succeeded done = new TaskStatus.Succeeded(new JobResult(List.of("https://files/out.png"),
                MediaKind.PHOTO));
        kept.topUp(42, 10_000);
        h.topUp(42, 10_000);
        Job keptJob = kept.finishedFoxImage(42, done);
        Job job = h.finishedFoxImage(42, done);
        assertThat(h.shop.upkeep().cleanup().personalTexts()).as("not 30 days old yet").isZero();

        kept.clock.advance(Duration.ofDays(31));
        h.clock.advance(Duration.ofDays(31));

        assertThat(kept.shop.upkeep().cleanup().personalTexts()).isZero();
        assertThat(kept.stored(keptJob).values()).isEqualTo(keptJob.values());
        assertThat(h.shop.upkeep().cleanup().personalTexts()).isEqualTo(1);
        assertThat(h.stored(job).values()).isEmpty();
        assertThat(h.stored(job).price()).isEqualTo(job.price());
        List<Reply> again = h.press(42, CallbackData.evergreen(CallbackAction.AGAIN, job.id().display()));
        assertThat(ShopHarness.lastText(again)).startsWith("\u270D\uFE0F Description").contains("Send the text");
        assertThat(ShopHarness.buttonTexts(again)).noneMatch(b -> b.contains("Generate"));
    }

    /**
     * A retention set for the first time after a year meets a year of finished generations (1.3 million at a year's
     * data): one hourly run blanks them in passes of {@link Upkeep#PERSONAL_TEXTS_PER_PASS_MAX}, each its own
     * transaction, a full pass followed by another up to {@link Upkeep#PERSONAL_TEXTS_PASSES_MAX}, so the backlog is
     * reached within hours. It was at most 10 passes of 500 a run: 5,000 an hour, 260 hours (review Y3).
     */
    @Test
    void aYearsBacklogOfPersonalTextsIsCaughtUpWithinHoursInBoundedPassesEachItsOwnTransaction() {
        List<Integer> limits = new ArrayList<>();
        int[] left = {1_300_000};
        int[] transactions = {0};
        List<Integer> inTransaction = new ArrayList<>();
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL,
                b -> b.personalDataRetention(Duration.ofDays(30)), clock -> {
                    Stores s = InMemoryStores.create(clock);
                    PersonalData backlog = new PersonalData() {
                        @Override
                        public int forget(long userId) {
                            return s.personalData().forget(userId);
                        }

                        @Override
                        public int forgetOlder(Instant before, int limit) {
                            limits.add(limit);
                            inTransaction.add(transactions[0]);
                            int blanked = Math.min(left[0], limit);
                            left[0] -= blanked;
                            return blanked;
                        }
                    };
                    Transactions counted = TransactionsOver.counted(s.transactions(), () -> transactions[0]++);
                    return new Stores(s.users(), s.chatStates(), s.ledger(), s.jobs(), s.payments(), s.freeUsage(),
                            s.processedUpdates(), s.audit(), s.admissions(), s.broadcasts(), s.manualTopUps(),
                            s.supportTickets(), s.figures(), s.pendingReplies(), counted, s.pausedModels(),
                            s.externalRefundDues(), backlog);
                });

        int blanked = h.shop.upkeep().cleanup().personalTexts();

        assertThat(blanked).as("an hour's run").isGreaterThanOrEqualTo(300_000)
                .isEqualTo(Upkeep.PERSONAL_TEXTS_PER_PASS_MAX * Upkeep.PERSONAL_TEXTS_PASSES_MAX);
        assertThat(limits).as("each pass bounded").hasSize(Upkeep.PERSONAL_TEXTS_PASSES_MAX)
                .containsOnly(Upkeep.PERSONAL_TEXTS_PER_PASS_MAX);
        assertThat(Upkeep.PERSONAL_TEXTS_PER_PASS_MAX).as("a pass's rows locked a moment").isLessThanOrEqualTo(5_000);
        assertThat(Set.copyOf(inTransaction)).as("each pass its own transaction").hasSize(limits.size());
        int runs = 1;
        while (left[0] > 0) {
            h.shop.upkeep().cleanup();
            runs++;
        }
        assertThat(runs).as("hourly runs to the year's end").isLessThanOrEqualTo(3);
        limits.clear();
        assertThat(h.shop.upkeep().cleanup().personalTexts()).as("up to date").isZero();
        assertThat(limits).as("one short pass").hasSize(1);
    }

    /** A retention under a day is a typo (hours typed for days): the builder refuses it, naming the variable. */
    @Test
    void aRetentionOfPersonalTextsUnderADayIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ShopHarness(TestCatalog.catalog(),
                        ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN)), ShopHarness.MANUAL,
                        b -> b.personalDataRetention(Duration.ofHours(12))))
                .hasMessageContaining("PERSONAL_DATA_DAYS");
    }

    /**
     * The replies the outbox moved aside unsent (users' words, read by the operator only) are forgotten a month after
     * they were moved, by the hourly cleanup, in passes of {@link Upkeep#DEAD_LETTERS_PER_PASS_MAX}: a full pass is
     * followed by another. They were kept for ever (privacy review R4).
     */
    @Test
    void theOutboxsDeadLettersAreForgottenAMonthAfterTheyWereMovedInBoundedPasses() {
        List<Instant> cutoffs = new ArrayList<>();
        int[] left = {2 * Upkeep.DEAD_LETTERS_PER_PASS_MAX + 3};
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL,
                UnaryOperator.identity(), clock -> {
                    Stores stores = InMemoryStores.create(clock);
                    return stores.withPendingReplies(forgetting(stores.pendingReplies(), cutoffs, left),
                            stores.transactions());
                });

        assertThat(h.shop.upkeep().cleanup().deadLetters()).isEqualTo(2 * Upkeep.DEAD_LETTERS_PER_PASS_MAX + 3);
        assertThat(cutoffs).as("two full passes and the rest").hasSize(3)
                .containsOnly(h.clock.instant().minus(Upkeep.DEAD_LETTER_RETENTION));
        assertThat(Upkeep.DEAD_LETTER_RETENTION).isEqualTo(Duration.ofDays(30));
    }

    /** {@code outbox}, but its dead letters: {@code left[0]} of them, each call forgetting up to its limit. */
    private static PendingReplies forgetting(PendingReplies outbox, List<Instant> cutoffs, int[] left) {
        return (PendingReplies) Proxy.newProxyInstance(PendingReplies.class.getClassLoader(),
                new Class<?>[] {PendingReplies.class}, (proxy, method, args) -> {
                    if (method.getName().equals("forgetDeadLetters")) {
                        cutoffs.add((Instant) args[0]);
                        int forgotten = Math.min(left[0], (int) args[1]);
                        left[0] -= forgotten;
                        return forgotten;
                    }
                    try {
                        return method.invoke(outbox, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
