package dev.kiebot.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.PausedModels;
import dev.kiebot.core.conversation.ChatStates;
import dev.kiebot.core.broadcast.Broadcast;
import dev.kiebot.core.broadcast.BroadcastState;
import dev.kiebot.core.broadcast.Broadcasts;
import dev.kiebot.core.broadcast.Recipient;
import dev.kiebot.core.broadcast.RecipientOutcome;
import dev.kiebot.core.broadcast.Tally;
import dev.kiebot.core.intake.Admission;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.intake.Admissions;
import dev.kiebot.core.payments.ChargeRecord;
import dev.kiebot.core.payments.HeldStarsRefund;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.payments.StarsCharge;
import dev.kiebot.core.payments.UncreditedCharge;
import dev.kiebot.core.payments.UncreditedRefund;
import dev.kiebot.core.users.Ban;
import dev.kiebot.core.users.FreeUsage;
import dev.kiebot.core.users.User;
import dev.kiebot.core.users.Users;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rules of the smaller stores: users, chat states, free usage, payments, admissions, broadcasts, paused models and
 * the audit trail (the inbox and the outbox: {@link QueuesContract}). Extend it and return fresh, empty stores. A shop
 * that sells no Stars may return {@link Payments#none()} from {@link #payments()}: the Stars tests are then skipped.
 *
 * <p>A test calls each store's method many times, and its racing tests from several threads at once: every call
 * must reach the same data, kept since the last {@link #reset()}. Make the stores in {@code reset()} and return
 * them, or return a new object over the same database each time, as {@code PgContractsTest} does. None of them
 * needs a clock: every instant comes with the call.
 */
@SuppressWarnings("ReturnValueIgnored") // orElseThrow() here asserts that the store found it: the contract fails when not
public abstract class StoresContract {
    /** When the tests' data is written: their instants are counted from it. */
    protected static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    /** A message id past {@code int}, as Discord gives (its 64-bit snowflakes). */
    protected static final long SNOWFLAKE = 1_312_345_678_901_234_567L;

    /**
     * Users: one per id, kept current by each update, with their language, terms, bans, referrers and invitation
     * codes.
     *
     * @return the users store, the one {@link #broadcasts()} sends to
     */
    protected abstract Users users();

    /**
     * Each chat's conversation state: core's text, every one back as it was saved.
     *
     * @return the chat states store
     */
    protected abstract ChatStates chatStates();

    /**
     * The free tier's daily uses: a user's limit and the day's total held under racing, one use per key.
     *
     * @return the free usage store
     */
    protected abstract FreeUsage freeUsage();

    /**
     * Invoices and Stars charges (an invoice paid once, also when racing), and payments and refunds not credited.
     *
     * @return the payments store
     */
    protected abstract Payments payments();

    /**
     * The audit trail: searchable, purgeable, an occasion recorded once.
     *
     * @return the audit store
     */
    protected abstract Audit audit();

    /**
     * The per-user limit of updates: each action counted once, also when racing.
     *
     * @return the admissions store
     */
    protected abstract Admissions admissions();

    /**
     * Broadcasts whose recipients are the users of {@link #users()}.
     *
     * @return the broadcasts store, over the same data as {@link #users()}
     */
    protected abstract Broadcasts broadcasts();

    /**
     * Models taken off sale ({@code /pause}).
     *
     * @return the paused models store
     */
    protected abstract PausedModels pausedModels();

    /**
     * The ledger whose holds {@link #payments()} reads ({@code Payments.openHeldRefunds} lists the records of resolved
     * holds only): the ledger beside it in your stores (kiebot's Postgres: the same database), emptied by
     * {@link #reset()} with them.
     *
     * @return the ledger
     */
    protected abstract dev.kiebot.core.ledger.Ledger ledger();

    /** Called before each test: empty every store (the methods above then reach empty stores until the next). */
    protected abstract void reset();

    /** For your test class that extends it. */
    protected StoresContract() {
    }

    @BeforeEach
    void resetStores() {
        reset();
    }

    /**
     * The Stars tests check a store that keeps Stars payments: {@link Payments#none()}, a shop's without Stars, keeps
     * none by design (its writes throw), so they are skipped for it, and the rest of the contract runs.
     */
    private void assumeStarsSold() {
        Assumptions.assumeTrue(payments().keepsStars(), "payments() keeps no Stars (Payments.none(), or a store "
                + "forwarding to it), a shop's that sells no Stars: no Stars payment is kept to check");
    }

    @Test
    void usersAreCreatedOnceAndRefreshed() {
        Users.Seen first = users().seen(42, "Ann", Optional.of("ann"), Optional.of("en"), T0);
        assertThat(first.created()).isTrue();
        Users.Seen again = users().seen(42, "Anna", Optional.empty(), Optional.empty(), T0.plusSeconds(5));
        assertThat(again.created()).isFalse();
        User u = users().find(42).orElseThrow();
        assertThat(u.firstName()).isEqualTo("Anna");
        assertThat(u.languageCode()).contains("en");
        assertThat(u.language()).isEqualTo("en");
        users().setLanguage(42, "ru");
        users().acceptTerms(42);
        users().setBlocked(42, true);
        u = users().find(42).orElseThrow();
        assertThat(u.language()).isEqualTo("ru");
        assertThat(u.termsAccepted()).isTrue();
        assertThat(u.blocked()).isTrue();
        assertThat(u.createdAt()).isEqualTo(T0);
        assertThat(users().count()).isEqualTo(1);
    }

    /**
     * The language to write to a user in ({@code Users.languageOf}, what the shop writes to an admin or a user outside
     * an update in): the one he chose over his client's, his client's when he chose none, Russian for one never seen.
     */
    @Test
    void aUsersLanguageIsHisChoiceOverHisClientsAndRussianForOneNeverSeen() {
        users().seen(42, "Ann", Optional.empty(), Optional.of("en"), T0);
        users().seen(43, "Ben", Optional.empty(), Optional.of("de"), T0);
        users().seen(44, "Cy", Optional.empty(), Optional.empty(), T0);
        assertThat(users().languageOf(42)).as("his client's").isEqualTo("en");
        assertThat(users().languageOf(43)).as("a language the shop does not speak").isEqualTo("en");
        assertThat(users().languageOf(44)).as("no client's language").isEqualTo("ru");
        assertThat(users().languageOf(999)).as("never seen").isEqualTo("ru");
        users().setLanguage(42, "ru");
        assertThat(users().languageOf(42)).as("his choice").isEqualTo("ru");
        users().seen(42, "Ann", Optional.empty(), Optional.of("en"), T0.plusSeconds(5));
        assertThat(users().languageOf(42)).as("his choice, after another update from his client").isEqualTo("ru");
    }

    /** A pause is kept from its first moment until a resume; each decides once. */
    @Test
    void aModelIsPausedOnceUntilResumed() {
        PausedModels paused = pausedModels();
        assertThat(paused.all()).isEmpty();
        assertThat(paused.pause("kling/v3", T0)).isTrue();
        assertThat(paused.pause("kling/v3", T0.plusSeconds(60))).as("paused already").isFalse();
        assertThat(paused.pause("suno/v5", T0.plusSeconds(5))).isTrue();
        assertThat(paused.all()).containsExactly(entry("kling/v3", T0), entry("suno/v5", T0.plusSeconds(5)));
        assertThat(paused.paused("kling/v3")).isTrue();
        assertThat(paused.resume("kling/v3")).isTrue();
        assertThat(paused.resume("kling/v3")).as("on sale already").isFalse();
        assertThat(paused.paused("kling/v3")).isFalse();
        assertThat(paused.all()).containsOnlyKeys("suno/v5");
    }

    /** A user is invited once, by somebody else the store knows; the first link he followed counts. */
    @Test
    void aUserIsInvitedOnceByAnotherKnownUser() {
        users().seen(301, "Ivy", Optional.empty(), Optional.empty(), T0);
        users().seen(302, "Jon", Optional.empty(), Optional.empty(), T0);
        users().seen(303, "Kim", Optional.empty(), Optional.empty(), T0);
        assertThat(users().referrerOf(302)).isEmpty();
        assertThat(users().setReferrer(302, 302)).as("his own link").isFalse();
        assertThat(users().setReferrer(302, 999)).as("a link of nobody the store knows").isFalse();
        assertThat(users().setReferrer(998, 301)).as("a user not stored").isFalse();
        assertThat(users().referrerOf(302)).isEmpty();

        assertThat(users().setReferrer(302, 301)).isTrue();
        assertThat(users().setReferrer(302, 303)).as("a second link").isFalse();
        assertThat(users().setReferrer(303, 301)).isTrue();
        assertThat(users().referrerOf(302)).contains(301L);
        assertThat(users().referrerOf(303)).contains(301L);
        assertThat(users().referrerOf(301)).isEmpty();
        assertThat(users().countInvited(301)).isEqualTo(2);
        assertThat(users().countInvited(302)).isZero();
        assertThat(users().seen(302, "Jon", Optional.empty(), Optional.empty(), T0.plusSeconds(5)).created()).isFalse();
        assertThat(users().referrerOf(302)).as("kept by a later update").contains(301L);
    }

    /** A code is a user's once kept, and no two users share one. */
    @Test
    void anInvitationCodeIsKeptOnceAndIsOnlyOneUsers() {
        users().seen(311, "Lea", Optional.empty(), Optional.empty(), T0);
        users().seen(312, "Max", Optional.empty(), Optional.empty(), T0);
        assertThat(users().inviteCode(311)).isEmpty();
        assertThat(users().setInviteCode(399, "abcd1234")).as("a user not stored").isFalse();
        assertThat(users().setInviteCode(311, "abcd1234")).isTrue();
        assertThat(users().setInviteCode(311, "zzzz9999")).as("he has one").isFalse();
        assertThat(users().setInviteCode(312, "abcd1234")).as("another user's").isFalse();
        assertThat(users().setInviteCode(312, "efgh5678")).isTrue();
        assertThat(users().inviteCode(311)).contains("abcd1234");
        assertThat(users().byInviteCode("abcd1234")).contains(311L);
        assertThat(users().byInviteCode("efgh5678")).contains(312L);
        assertThat(users().byInviteCode("zzzz9999")).isEmpty();
    }

    @Test
    void aBanIsKeptWithItsReasonUntilLiftedAndBannedUsersHearNoBroadcast() {
        users().seen(201, "Eve", Optional.empty(), Optional.empty(), T0);
        users().seen(202, "Fay", Optional.empty(), Optional.empty(), T0);
        users().seen(203, "Gus", Optional.empty(), Optional.empty(), T0);
        assertThat(users().find(201).orElseThrow().ban()).isEmpty();
        Ban spam = new Ban(T0.plusSeconds(60), Optional.of("спам в /paysupport"));
        users().setBan(201, Optional.of(spam));
        users().setBan(202, Optional.of(new Ban(T0.plusSeconds(61), Optional.empty())));
        assertThat(users().find(201).orElseThrow().ban()).contains(spam);
        assertThat(users().find(202).orElseThrow().ban()).contains(new Ban(T0.plusSeconds(61), Optional.empty()));
        assertThat(users().seen(201, "Eve", Optional.empty(), Optional.empty(), T0.plusSeconds(90)).user().ban())
                .as("a new update of the user keeps his ban").contains(spam);
        assertThat(users().activeIds(0, 10)).containsExactly(203L);
        assertThat(users().countActive()).isEqualTo(1);
        users().setBan(202, Optional.empty());
        assertThat(users().find(202).orElseThrow().ban()).isEmpty();
        assertThat(users().activeIds(0, 10)).containsExactly(202L, 203L);
        assertThat(users().countActive()).isEqualTo(2);
        users().setBan(999, Optional.of(spam));
        assertThat(users().find(999)).as("no user is made by a ban").isEmpty();
    }

    @Test
    void usersCanBeSearchedAndPaged() {
        users().seen(101, "Boris", Optional.of("bob_the_builder"), Optional.empty(), T0);
        users().seen(102, "Клава", Optional.empty(), Optional.empty(), T0.plusSeconds(1));
        users().seen(103, "Dan", Optional.empty(), Optional.empty(), T0.plusSeconds(2));
        users().setBlocked(102, true);
        assertThat(users().search("builder", 10)).extracting(User::id).containsExactly(101L);
        assertThat(users().search("клава", 10)).extracting(User::id).containsExactly(102L);
        assertThat(users().search("10", 10)).extracting(User::id).containsExactly(103L, 102L, 101L);
        assertThat(users().activeIds(0, 10)).containsExactly(101L, 103L);
        assertThat(users().activeIds(101, 1)).containsExactly(103L);
    }

    /**
     * A chat's state is core's text, kept as it is: a store neither reads nor builds it (core's {@code
     * ChatStateCodec} does, and its tests check every state), so any text comes back unchanged, the last one saved.
     */
    @Test
    void chatStatesKeepEachChatsTextAsItIs() {
        List<String> texts = List.of("1;menu;", "", " leading and trailing spaces ",
                "12;collecting;model=google%2Fnano-banana-edit&f.prompt=%D0%BA%D0%BE%D1%82+%26+%D0%BF%D1%91%D1%81",
                "кот & пёс=друзья; 🐈 \\ ' \" % _ \t", "a line\nand another\r\n", "x".repeat(100_000),
                "7;no state core knows;but kept all the same");
        for (String text : texts) {
            chatStates().save(77, text);
            assertThat(chatStates().load(77)).as("saved: %.40s", text).contains(text);
        }
        chatStates().save(78, "3;menu;");
        chatStates().save(77, "4;topup;");
        assertThat(chatStates().load(77)).as("the last one saved").contains("4;topup;");
        assertThat(chatStates().load(78)).as("each chat its own").contains("3;menu;");
        assertThat(chatStates().load(79)).as("never saved").isEmpty();
        assertThat(chatStates().load(-1_001_234_567_890L)).as("a group's chat id").isEmpty();
        chatStates().save(-1_001_234_567_890L, "5;menu;");
        assertThat(chatStates().load(-1_001_234_567_890L)).contains("5;menu;");
    }

    @Test
    void freeUsageHoldsItsLimitUnderConcurrency() throws Exception {
        LocalDate day = LocalDate.of(2026, 11, 21);
        assertThat(grantedAtOnce(16, i -> freeUsage().tryUse(5, day, 5, "gen_" + i))).isEqualTo(5);
        assertThat(freeUsage().used(5, day)).isEqualTo(5);
        assertThat(freeUsage().used(5, day.plusDays(1))).isZero();
        assertThat(freeUsage().tryUse(5, day.plusDays(1), 5, "gen_x")).isTrue();
    }

    /** Runs {@code attempt} on {@code threads} threads let go at once. @return how many attempts said yes */
    private static int grantedAtOnce(int threads, java.util.function.IntPredicate attempt) throws Exception {
        AtomicInteger granted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int n = i;
            tasks.add(pool.submit(() -> {
                start.await();
                if (attempt.test(n)) {
                    granted.incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        for (Future<?> task : tasks) {
            task.get(); // a call that threw fails the contract; the counts below see only answers
        }
        return granted.get();
    }

    /**
     * With a cap on every user's uses together (FREE_DAILY_TOTAL), the day's last uses go to as many users as it
     * leaves, whoever asks at once; a key that took a use keeps it, and a released one frees a place.
     */
    @Test
    void freeUsageHoldsTheDaysTotalForEveryoneUnderConcurrency() throws Exception {
        LocalDate day = LocalDate.of(2026, 11, 21);
        OptionalInt total = OptionalInt.of(5);
        assertThat(freeUsage().tryUse(100, day, 5, total, "gen_early")).isTrue();
        assertThat(grantedAtOnce(16, i -> freeUsage().tryUse(200 + i, day, 5, total, "gen_" + (200 + i))))
                .isEqualTo(4);
        assertThat(freeUsage().usedByAll(day)).isEqualTo(5);
        assertThat(freeUsage().tryUse(100, day, 5, total, "gen_early")).as("a key's own use").isTrue();
        assertThat(freeUsage().tryUse(100, day, 5, total, "gen_late")).isFalse();
        assertThat(freeUsage().tryUse(100, day, 5, "gen_late")).as("no cap asked for").isTrue();
        freeUsage().release(100, day, "gen_late");
        freeUsage().release(100, day, "gen_early");
        assertThat(freeUsage().tryUse(300, day, 5, total, "gen_300")).as("a released place").isTrue();
        assertThat(freeUsage().usedByAll(day)).isEqualTo(5);
        assertThat(freeUsage().usedByAll(day.plusDays(1))).isZero();
        assertThat(freeUsage().tryUse(300, day.plusDays(1), 5, total, "gen_x")).isTrue();
    }

    /**
     * With a cap on the day's welcome bonuses (WELCOME_DAILY_TOTAL), the day's last ones go to as many new users as it
     * leaves, whoever asks at once; a higher cap (the operator raised it) counts on, and the next day starts again.
     */
    @Test
    void freeUsageCountsTheDaysWelcomeBonusesUpToTheCapUnderConcurrency() throws Exception {
        LocalDate day = LocalDate.of(2026, 11, 21);
        assertThat(freeUsage().welcomed(day)).isZero();
        assertThat(freeUsage().tryWelcome(day, 3)).isTrue();
        assertThat(grantedAtOnce(16, i -> freeUsage().tryWelcome(day, 3))).isEqualTo(2);
        assertThat(freeUsage().welcomed(day)).isEqualTo(3);
        assertThat(freeUsage().tryWelcome(day, 3)).isFalse();
        assertThat(freeUsage().tryWelcome(day, 0)).as("no place at all").isFalse();
        assertThat(freeUsage().tryWelcome(day, 4)).as("a cap raised").isTrue();
        assertThat(freeUsage().welcomed(day)).isEqualTo(4);
        assertThat(freeUsage().welcomed(day.plusDays(1))).isZero();
        assertThat(freeUsage().tryWelcome(day.plusDays(1), 1)).isTrue();
        assertThat(freeUsage().tryWelcome(day.plusDays(1), 1)).isFalse();
    }

    @Test
    void freeUsageIsIdempotentPerKeyAndReleasable() {
        LocalDate day = LocalDate.of(2026, 11, 21);
        assertThat(freeUsage().tryUse(5, day, 1, "gen_1")).isTrue();
        assertThat(freeUsage().tryUse(5, day, 1, "gen_1")).isTrue();
        assertThat(freeUsage().tryUse(5, day, 1, "gen_2")).isFalse();
        freeUsage().release(5, day, "gen_1");
        freeUsage().release(5, day, "gen_1");
        assertThat(freeUsage().used(5, day)).isZero();
        assertThat(freeUsage().tryUse(5, day, 1, "gen_2")).isTrue();
    }

    /**
     * A free use is given back by its own key only, once: a failed job released twice (its failure handled again after
     * a crash), or a release for a job that never used one, must not hand the user another free generation. Users
     * count apart.
     */
    @Test
    void aReleaseGivesBackOnlyItsOwnKeysUseAndUsersCountApart() {
        LocalDate day = LocalDate.of(2026, 11, 21);
        assertThat(freeUsage().tryUse(5, day, 2, "gen_1")).isTrue();
        assertThat(freeUsage().tryUse(5, day, 2, "gen_2")).isTrue();
        assertThat(freeUsage().tryUse(6, day, 2, "gen_6")).as("another user's allowance").isTrue();
        freeUsage().release(5, day, "gen_1");
        freeUsage().release(5, day, "gen_1");
        freeUsage().release(5, day, "gen_9");
        assertThat(freeUsage().used(5, day)).isEqualTo(1);
        assertThat(freeUsage().used(6, day)).isEqualTo(1);
        assertThat(freeUsage().tryUse(5, day, 2, "gen_3")).isTrue();
        assertThat(freeUsage().tryUse(5, day, 2, "gen_4")).isFalse();
    }

    @Test
    void freeUsesOfDaysBeforeTheCutoffAreForgottenOthersKept() {
        LocalDate day = LocalDate.of(2026, 11, 1);
        assertThat(freeUsage().tryUse(5, day, 5, "gen_1")).isTrue();
        assertThat(freeUsage().tryUse(5, day, 5, "gen_2")).isTrue();
        assertThat(freeUsage().tryUse(6, day.plusDays(1), 5, "gen_3")).isTrue();

        assertThat(freeUsage().purge(day)).isZero();
        assertThat(freeUsage().purge(day.plusDays(1))).isEqualTo(2);
        assertThat(freeUsage().used(5, day)).isZero();
        assertThat(freeUsage().used(6, day.plusDays(1))).isEqualTo(1);
        assertThat(freeUsage().tryUse(6, day.plusDays(1), 1, "gen_4")).as("the kept day still counts").isFalse();
    }

    /**
     * The retention forgets the days' welcome counts with their free uses: a row a day would otherwise stay for ever.
     * A kept day still holds its cap.
     */
    @Test
    void welcomeCountsOfDaysBeforeTheCutoffAreForgottenOthersKept() {
        LocalDate day = LocalDate.of(2026, 11, 1);
        assertThat(freeUsage().tryWelcome(day, 5)).isTrue();
        assertThat(freeUsage().tryWelcome(day, 5)).isTrue();
        assertThat(freeUsage().tryWelcome(day.plusDays(1), 1)).isTrue();

        freeUsage().purge(day);
        assertThat(freeUsage().welcomed(day)).as("the cutoff's own day is kept").isEqualTo(2);
        assertThat(freeUsage().purge(day.plusDays(1))).as("uses forgotten, not welcome counts").isZero();
        assertThat(freeUsage().welcomed(day)).isZero();
        assertThat(freeUsage().welcomed(day.plusDays(1))).isEqualTo(1);
        assertThat(freeUsage().tryWelcome(day.plusDays(1), 1)).as("the kept day still counts").isFalse();
    }

    @Test
    void chargesAreRecordedOnceAndAnInvoiceIsPaidByItsFirst() {
        assumeStarsSold();
        payments().saveInvoice(new Invoice("inv-1", 42, 50, 7_500, T0));
        assertThat(payments().invoice("inv-1").orElseThrow().amount()).isEqualTo(7_500);
        assertThat(payments().invoice("inv-1").orElseThrow().paid()).isFalse();
        assertThat(payments().invoice("inv-2")).isEmpty();
        StarsCharge c = new StarsCharge("ch-1", 42, "inv-1", 50, 7_500, T0);
        assertThat(payments().recordCharge(c)).isEqualTo(ChargeRecord.NEW);
        assertThat(payments().recordCharge(new StarsCharge("ch-1", 42, "inv-1", 50, 7_500, T0.plusSeconds(9))))
                .as("a re-delivery").isEqualTo(ChargeRecord.REPLAYED);
        assertThat(payments().invoice("inv-1").orElseThrow().paidChargeId()).contains("ch-1");
        assertThat(payments().charge("ch-1")).contains(c);
        assertThat(payments().charges(42, 10)).containsExactly(c);
        // a second charge for a paid invoice (paid from two devices: Telegram took both) is recorded; the invoice
        // stays paid by the first
        StarsCharge second = new StarsCharge("ch-2", 42, "inv-1", 50, 7_500, T0.plusSeconds(3));
        assertThat(payments().recordCharge(second)).isEqualTo(ChargeRecord.NEW);
        assertThat(payments().recordCharge(second)).isEqualTo(ChargeRecord.REPLAYED);
        assertThat(payments().charge("ch-2")).contains(second);
        assertThat(payments().invoice("inv-1").orElseThrow().paidChargeId()).contains("ch-1");
        // a known charge id with other details is refused
        payments().saveInvoice(new Invoice("inv-3", 42, 50, 7_500, T0));
        assertThat(payments().recordCharge(new StarsCharge("ch-1", 42, "inv-3", 50, 7_500, T0)))
                .isEqualTo(ChargeRecord.CONFLICT);
        assertThat(payments().invoice("inv-3").orElseThrow().paid()).isFalse();
    }

    /**
     * A user's charges come newest first, at most the limit: the admin's refund of a user's last payment, and the
     * Stars refunds, read his newest ones, and oldest first would hand over his oldest instead, for good once he had
     * more charges than the limit. Recorded out of order, another user's apart.
     */
    @Test
    void aUsersChargesAreListedNewestFirstUpToTheLimit() {
        assumeStarsSold();
        for (String inv : List.of("inv-a", "inv-b", "inv-c", "inv-o")) {
            payments().saveInvoice(new Invoice(inv, inv.equals("inv-o") ? 43 : 42, 50, 7_500, T0));
        }
        StarsCharge middle = new StarsCharge("ch-mid", 42, "inv-b", 50, 7_500, T0.plusSeconds(60));
        StarsCharge oldest = new StarsCharge("ch-old", 42, "inv-a", 50, 7_500, T0.plusSeconds(1));
        StarsCharge newest = new StarsCharge("ch-new", 42, "inv-c", 50, 7_500, T0.plusSeconds(3600));
        StarsCharge others = new StarsCharge("ch-oth", 43, "inv-o", 50, 7_500, T0.plusSeconds(7200));
        for (StarsCharge c : List.of(middle, oldest, newest, others)) {
            assertThat(payments().recordCharge(c)).isEqualTo(ChargeRecord.NEW);
        }
        assertThat(payments().charges(42, 10)).containsExactly(newest, middle, oldest);
        assertThat(payments().charges(42, 2)).as("the newest two").containsExactly(newest, middle);
        assertThat(payments().charges(42, 1)).containsExactly(newest);
        assertThat(payments().charges(43, 10)).containsExactly(others);
        assertThat(payments().charges(44, 10)).isEmpty();
    }

    /**
     * An invoice is kept once: saved again under its payload (a handling run twice, a payload made twice), the first
     * stays, paid or not. One saved over would make a paid invoice unpaid, and its payload payable and credited again.
     */
    @Test
    void anInvoiceSavedAgainKeepsTheFirstPaidOrNot() {
        assumeStarsSold();
        Invoice first = new Invoice("inv-1", 42, 50, 7_500, T0);
        payments().saveInvoice(first);
        payments().saveInvoice(new Invoice("inv-1", 43, 100, 15_000, T0.plusSeconds(5)));
        assertThat(payments().invoice("inv-1")).as("unpaid, saved again").contains(first);
        assertThat(payments().recordCharge(new StarsCharge("ch-1", 42, "inv-1", 50, 7_500, T0.plusSeconds(9))))
                .isEqualTo(ChargeRecord.NEW);
        Invoice paid = payments().invoice("inv-1").orElseThrow();
        assertThat(paid.paidChargeId()).contains("ch-1");
        payments().saveInvoice(first);
        payments().saveInvoice(new Invoice("inv-1", 42, 50, 7_500, T0.plusSeconds(20)));
        assertThat(payments().invoice("inv-1")).as("paid, saved again").contains(paid);
        assertThat(payments().invoice("inv-1").orElseThrow().payableAt(T0.plusSeconds(30))).isFalse();
    }

    @Test
    void racingChargesForOneInvoiceAreEachRecordedOnceAndTheInvoicePaidByOne() throws Exception {
        assumeStarsSold();
        payments().saveInvoice(new Invoice("inv-race", 42, 50, 7_500, T0));
        int threads = 8;
        List<ChargeRecord> results = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            String id = "race-" + (i % 2);
            tasks.add(pool.submit(() -> {
                start.await();
                results.add(payments().recordCharge(new StarsCharge(id, 42, "inv-race", 50, 7_500, T0)));
                return null;
            }));
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        for (Future<?> task : tasks) {
            task.get(); // a call that threw fails the contract; the counts below see only answers
        }
        assertThat(results).hasSize(threads);
        assertThat(results.stream().filter(r -> r == ChargeRecord.NEW)).hasSize(2);
        assertThat(results).doesNotContain(ChargeRecord.CONFLICT);
        assertThat(payments().invoice("inv-race").orElseThrow().paidChargeId().orElseThrow()).isIn("race-0", "race-1");
        assertThat(payments().charges(42, 10)).extracting(StarsCharge::chargeId)
                .containsExactlyInAnyOrder("race-0", "race-1");
    }

    @Test
    void anUncreditedPaymentIsKeptOnceAndListedNewestFirst() {
        assumeStarsSold();
        UncreditedCharge paidTwice = new UncreditedCharge("ch-twice", 42, "inv-1", 50, "invoice already paid", T0);
        assertThat(payments().recordUncredited(paidTwice)).isTrue();
        assertThat(payments().recordUncredited(new UncreditedCharge("ch-twice", 42, "inv-1", 50,
                "handling failed", T0.plusSeconds(9)))).as("a re-delivery keeps the first record").isFalse();
        assertThat(payments().uncredited("ch-twice")).contains(paidTwice);
        assertThat(payments().uncredited("ch-none")).isEmpty();
        UncreditedCharge later = new UncreditedCharge("ch-later", 42, "topup:made-up", 100, "no invoice",
                T0.plusSeconds(60));
        payments().recordUncredited(later);
        payments().recordUncredited(new UncreditedCharge("ch-other", 43, "inv-9", 50, "no invoice", T0));
        assertThat(payments().uncreditedCharges(42, 10)).containsExactly(later, paidTwice);
        assertThat(payments().uncreditedCharges(42, 1)).containsExactly(later);
        assertThat(payments().charge("ch-twice")).as("not a credited charge").isEmpty();
        assertThat(payments().charges(42, 10)).isEmpty();
    }

    @Test
    void anUncreditedRefundIsClaimedOnceAndSettledOnlyByItsOwnAttempt() {
        assumeStarsSold();
        payments().recordUncredited(new UncreditedCharge("ch-u", 42, "inv-1", 50, "invoice already paid", T0));
        Instant asked = T0.plusSeconds(60);
        UncreditedCharge claimed = payments().claimUncreditedRefund("ch-u", asked, T0).orElseThrow();
        assertThat(claimed.refund()).isEqualTo(UncreditedRefund.REFUNDING);
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(claimed.askedAt()).contains(asked);
        assertThat(payments().uncredited("ch-u")).contains(claimed);
        assertThat(payments().claimUncreditedRefund("ch-u", asked, T0)).as("a double press").isEmpty();
        assertThat(payments().claimUncreditedRefund("ch-none", asked, T0)).isEmpty();
        assertThat(payments().settleUncreditedRefund("ch-u", 2, true)).as("another attempt's answer").isFalse();
        assertThat(payments().settleUncreditedRefund("ch-u", 1, false)).as("Telegram refused").isTrue();
        assertThat(payments().uncredited("ch-u").orElseThrow().refund()).isEqualTo(UncreditedRefund.OPEN);
        assertThat(payments().settleUncreditedRefund("ch-u", 1, true)).as("settled already").isFalse();
        UncreditedCharge again = payments().claimUncreditedRefund("ch-u", asked.plusSeconds(5), T0).orElseThrow();
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(payments().settleUncreditedRefund("ch-u", 2, true)).isTrue();
        assertThat(payments().uncredited("ch-u").orElseThrow().refund()).isEqualTo(UncreditedRefund.REFUNDED);
        assertThat(payments().claimUncreditedRefund("ch-u", asked.plusSeconds(3600), asked.plusSeconds(3600)))
                .as("refunded for good").isEmpty();
        assertThat(payments().uncreditedRefunded("ch-u")).isFalse();
    }

    @Test
    void aRefundClaimWhoseAskerDiedMayBeClaimedAgainAndItsLateAnswerChangesNothing() {
        assumeStarsSold();
        payments().recordUncredited(new UncreditedCharge("ch-u", 42, "inv-1", 50, "handling failed", T0));
        payments().claimUncreditedRefund("ch-u", T0, T0).orElseThrow();
        assertThat(payments().claimUncreditedRefund("ch-u", T0.plusSeconds(60), T0)).as("still live").isEmpty();
        UncreditedCharge second = payments().claimUncreditedRefund("ch-u", T0.plusSeconds(900), T0.plusSeconds(300))
                .orElseThrow();
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(payments().settleUncreditedRefund("ch-u", 1, false)).as("the dead attempt's answer").isFalse();
        assertThat(payments().uncredited("ch-u")).contains(second);
    }

    @Test
    void telegramsReportRefundsAnUncreditedPaymentOnceWhateverItsAttemptSays() {
        assumeStarsSold();
        payments().recordUncredited(new UncreditedCharge("ch-open", 42, "inv-1", 50, "no invoice", T0));
        assertThat(payments().uncreditedRefunded("ch-open")).isTrue();
        assertThat(payments().uncreditedRefunded("ch-open")).as("a re-delivered report").isFalse();
        assertThat(payments().uncredited("ch-open").orElseThrow().refund()).isEqualTo(UncreditedRefund.REFUNDED);
        payments().recordUncredited(new UncreditedCharge("ch-asked", 42, "inv-2", 50, "no invoice", T0));
        UncreditedCharge claimed = payments().claimUncreditedRefund("ch-asked", T0, T0).orElseThrow();
        assertThat(payments().uncreditedRefunded("ch-asked")).as("reported while Telegram is asked").isTrue();
        assertThat(payments().settleUncreditedRefund("ch-asked", claimed.attempt(), false)).isFalse();
        assertThat(payments().uncredited("ch-asked").orElseThrow().refund()).isEqualTo(UncreditedRefund.REFUNDED);
        assertThat(payments().uncreditedRefunded("ch-none")).isFalse();
    }

    /**
     * What a reported Stars refund is owed from a hold is kept once per charge and hold (the first record stays), read
     * by hold and by charge oldest first, settled or not, and listed open until marked settled, once.
     */
    @Test
    void aRefundOwedFromAHoldIsKeptOnceReadByHoldAndChargeAndSettledOnce() {
        assumeStarsSold();
        hold("gen_1", 500);
        hold("gen_2", 100);
        assertThat(ledger().post(dev.kiebot.core.ledger.Ledger.postId("gen_1"), "gen_1", 500).succeeded()).isTrue();
        assertThat(ledger().voidHold(dev.kiebot.core.ledger.Ledger.voidId("gen_2"), "gen_2").succeeded()).isTrue();
        HeldStarsRefund first = new HeldStarsRefund("ch-1", "gen_1", 42, 300, T0);
        HeldStarsRefund second = new HeldStarsRefund("ch-2", "gen_1", 42, 200, T0.plusSeconds(1));
        HeldStarsRefund other = new HeldStarsRefund("ch-1", "gen_2", 42, 100, T0.plusSeconds(2));
        assertThat(payments().recordHeldRefund(second)).isTrue();
        assertThat(payments().recordHeldRefund(first)).isTrue();
        assertThat(payments().recordHeldRefund(other)).isTrue();
        assertThat(payments().recordHeldRefund(new HeldStarsRefund("ch-1", "gen_1", 42, 999, T0.plusSeconds(9))))
                .as("kept before: the first stays").isFalse();
        assertThat(payments().heldRefundsOnHold("gen_1")).containsExactly(first, second);
        assertThat(payments().heldRefundsOfCharge("ch-1")).containsExactly(first, other);
        assertThat(payments().heldRefundsOnHold("gen_9")).isEmpty();
        assertThat(payments().heldRefundsOfCharge("ch-9")).isEmpty();
        assertThat(payments().openHeldRefunds(2)).containsExactly(first, second);

        assertThat(payments().heldRefundSettled("ch-1", "gen_1")).isTrue();
        assertThat(payments().heldRefundSettled("ch-1", "gen_1")).as("settled before").isFalse();
        assertThat(payments().heldRefundSettled("ch-9", "gen_1")).as("unknown").isFalse();
        assertThat(payments().openHeldRefunds(10)).containsExactly(second, other);
        assertThat(payments().heldRefundsOnHold("gen_1")).as("settled ones are read too").containsExactly(first, second);
    }

    /**
     * The open records listed are those of resolved holds only: the oldest ones, on a hold still pending (a running
     * job's), no longer fill the page and keep a resolved hold's from the sweep that settles it.
     */
    @Test
    void onlyTheOpenRecordsOfResolvedHoldsAreListed() {
        assumeStarsSold();
        hold("gen_run", 300);
        hold("gen_void", 100);
        HeldStarsRefund running = new HeldStarsRefund("ch-1", "gen_run", 42, 300, T0);
        HeldStarsRefund running2 = new HeldStarsRefund("ch-2", "gen_run", 42, 1, T0.plusSeconds(1));
        HeldStarsRefund voided = new HeldStarsRefund("ch-1", "gen_void", 42, 100, T0.plusSeconds(2));
        assertThat(payments().recordHeldRefund(running)).isTrue();
        assertThat(payments().recordHeldRefund(running2)).isTrue();
        assertThat(payments().recordHeldRefund(voided)).isTrue();
        assertThat(payments().recordHeldRefund(new HeldStarsRefund("ch-3", "gen_unknown", 42, 5, T0))).isTrue();
        assertThat(payments().openHeldRefunds(10)).as("every hold pending or unknown").isEmpty();

        assertThat(ledger().voidHold(dev.kiebot.core.ledger.Ledger.voidId("gen_void"), "gen_void").succeeded())
                .isTrue();
        assertThat(payments().openHeldRefunds(2)).as("past the older ones of the running hold").containsExactly(voided);
        assertThat(ledger().post(dev.kiebot.core.ledger.Ledger.postId("gen_run"), "gen_run", 300).succeeded())
                .isTrue();
        assertThat(payments().openHeldRefunds(10)).containsExactly(running, running2, voided);
    }

    /** A hold of {@code amount} on user 42's wallet, funded first. */
    private void hold(String id, long amount) {
        dev.kiebot.core.ledger.AccountId wallet = dev.kiebot.core.ledger.AccountId.wallet(42);
        assertThat(ledger().transfer("fund-" + id, dev.kiebot.core.ledger.AccountId.STARS_CLEARING, wallet, amount,
                dev.kiebot.core.ledger.TransferKind.TOP_UP_STARS).succeeded()).isTrue();
        assertThat(ledger().hold(id, wallet, dev.kiebot.core.ledger.AccountId.REVENUE, amount,
                dev.kiebot.core.ledger.TransferKind.GENERATION, Instant.now().plus(Duration.ofDays(1))).succeeded())
                .isTrue();
    }

    @Test
    void racingClaimsOfOneUncreditedRefundAskOnce() throws Exception {
        assumeStarsSold();
        payments().recordUncredited(new UncreditedCharge("ch-race", 42, "inv-1", 50, "invoice already paid", T0));
        int threads = 8;
        List<Optional<UncreditedCharge>> claims = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            tasks.add(pool.submit(() -> {
                start.await();
                claims.add(payments().claimUncreditedRefund("ch-race", T0.plusSeconds(1), T0));
                return null;
            }));
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        for (Future<?> task : tasks) {
            task.get(); // a call that threw fails the contract; the counts below see only answers
        }
        assertThat(claims).hasSize(threads);
        assertThat(claims.stream().filter(Optional::isPresent)).hasSize(1);
    }

    @Test
    void admissionsCountEachActionOnceAndRememberTheLastPress() {
        AdmissionPolicy policy = new AdmissionPolicy(60, 3, Duration.ofSeconds(2));
        for (int i = 0; i < 3; i++) {
            assertThat(admissions().admit(7, Optional.empty(), T0, policy)).isInstanceOf(Admission.Admitted.class);
        }
        Admission refused = admissions().admit(7, Optional.empty(), T0, policy);
        assertThat(refused).isEqualTo(new Admission.TooFast(Duration.ofSeconds(1), true));
        assertThat(admissions().admit(7, Optional.empty(), T0, policy))
                .as("told once per window").isEqualTo(new Admission.TooFast(Duration.ofSeconds(1), false));
        assertThat(admissions().admit(8, Optional.empty(), T0, policy))
                .as("users are independent").isInstanceOf(Admission.Admitted.class);
        Instant later = T0.plusSeconds(10);
        assertThat(admissions().admit(7, Optional.of("*|m"), later, policy)).isInstanceOf(Admission.Admitted.class);
        assertThat(admissions().admit(7, Optional.of("*|m"), later.plusMillis(500), policy))
                .isInstanceOf(Admission.RepeatedPress.class);
        assertThat(admissions().admit(7, Optional.of("*|b"), later.plusMillis(600), policy))
                .isInstanceOf(Admission.Admitted.class);
    }

    /**
     * Under a policy that remembers several presses ({@code AdmissionPolicy.repeatsKept}: a group's albums, whose parts
     * arrive interleaved), the store keeps what it remembers as given ({@code AdmissionState.lastPress}, a text of
     * several lines): each press is a repeat within its window, whichever came after it.
     */
    @Test
    void admissionsRememberSeveralPressesUnderAPolicyThatKeepsSeveral() {
        AdmissionPolicy policy = new AdmissionPolicy(60, 10, Duration.ofSeconds(10), 3);
        long group = -100_200_300L;
        for (String album : List.of("album:1", "album:2", "album:3")) {
            assertThat(admissions().admit(group, Optional.of(album), T0, policy)).as(album)
                    .isInstanceOf(Admission.Admitted.class);
        }
        for (String album : List.of("album:1", "album:2", "album:3", "album:1")) {
            assertThat(admissions().admit(group, Optional.of(album), T0.plusSeconds(5), policy)).as(album)
                    .isInstanceOf(Admission.RepeatedPress.class);
        }
        assertThat(admissions().admit(group, Optional.of("album:4"), T0.plusSeconds(6), policy))
                .isInstanceOf(Admission.Admitted.class);
        assertThat(admissions().admit(group, Optional.of("album:1"), T0.plusSeconds(7), policy))
                .as("the oldest forgotten beyond three").isInstanceOf(Admission.Admitted.class);
        assertThat(admissions().admit(group, Optional.of("album:4"), T0.plusSeconds(15), policy))
                .as("its window after it was admitted").isInstanceOf(Admission.RepeatedPress.class);
        assertThat(admissions().admit(group, Optional.of("album:3"), T0.plusSeconds(15), policy))
                .as("past its window").isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void theFirstRefusalIsToldEvenWhenTheClockHasNanoseconds() {
        // PostgreSQL keeps microseconds and rounds: a stored time must never come back later than it was
        AdmissionPolicy policy = new AdmissionPolicy(60, 1, Duration.ZERO);
        Instant at = T0.plusNanos(999_999_999);
        assertThat(admissions().admit(11, Optional.empty(), at, policy)).isInstanceOf(Admission.Admitted.class);
        assertThat(admissions().admit(11, Optional.empty(), at, policy))
                .isEqualTo(new Admission.TooFast(Duration.ofSeconds(1), true));
    }

    @Test
    void racingAdmissionsOfOneUserSpendTheBucketExactlyOnce() throws Exception {
        AdmissionPolicy policy = new AdmissionPolicy(1, 10, Duration.ZERO);
        int threads = 8;
        int each = 5;
        AtomicInteger admitted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            tasks.add(pool.submit(() -> {
                start.await();
                for (int k = 0; k < each; k++) {
                    if (admissions().admit(9, Optional.empty(), T0, policy) instanceof Admission.Admitted) {
                        admitted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        for (Future<?> task : tasks) {
            task.get(); // a call that threw fails the contract; the counts below see only answers
        }
        assertThat(admitted).hasValue(10);
    }

    @Test
    void releasedRecipientsAreHandedOutAgainRecordedOnesNever() {
        for (long id = 1; id <= 3; id++) {
            users().seen(id, "U" + id, Optional.empty(), Optional.empty(), T0);
        }
        Broadcast b = broadcasts().queue(broadcasts().draft(1, 1, "x", T0).id(), Optional.empty(), T0).orElseThrow();
        List<Recipient> claimed = broadcasts().claim(10, T0);
        assertThat(claimed).hasSize(3);
        broadcasts().record(claimed.get(0), RecipientOutcome.SENT);
        broadcasts().release(claimed);
        assertThat(broadcasts().tally(b.id())).isEqualTo(new Tally(3, 2, 0, 1, 0, 0, 0));
        assertThat(broadcasts().claim(10, T0)).containsExactlyInAnyOrderElementsOf(claimed.subList(1, 3));
    }

    @Test
    void aBroadcastIsQueuedOnceAndEachRecipientIsHandedOutOnce() {
        for (long id = 1; id <= 5; id++) {
            users().seen(id, "U" + id, Optional.empty(), Optional.empty(), T0);
        }
        users().setBlocked(3, true);
        assertThat(users().countActive()).isEqualTo(4);
        Broadcast draft = broadcasts().draft(1, 1, "hello", T0);
        assertThat(draft.state()).isEqualTo(BroadcastState.DRAFT);
        assertThat(broadcasts().claim(10, T0)).as("a draft sends nothing").isEmpty();
        Broadcast queued = broadcasts().queue(draft.id(), Optional.of(SNOWFLAKE), T0).orElseThrow();
        assertThat(queued.recipients()).isEqualTo(4);
        assertThat(broadcasts().tally(draft.id())).as("user 3 had blocked the bot: skipped, not a recipient")
                .isEqualTo(new Tally(4, 4, 0, 0, 0, 0, 1));
        assertThat(queued.progressMessageId()).as("a 64-bit id").contains(SNOWFLAKE);
        assertThat(broadcasts().queue(draft.id(), Optional.empty(), T0)).as("queued once").isEmpty();
        assertThat(broadcasts().cancel(draft.id())).isFalse();
        List<Recipient> first = broadcasts().claim(3, T0);
        List<Recipient> second = broadcasts().claim(3, T0);
        assertThat(first).hasSize(3);
        assertThat(second).hasSize(1);
        assertThat(broadcasts().claim(3, T0)).isEmpty();
        List<Long> everyone = new ArrayList<>();
        first.forEach(r -> everyone.add(r.userId()));
        second.forEach(r -> everyone.add(r.userId()));
        assertThat(everyone).containsExactlyInAnyOrder(1L, 2L, 4L, 5L);
        broadcasts().record(first.get(0), RecipientOutcome.SENT);
        broadcasts().record(first.get(0), RecipientOutcome.FAILED);
        broadcasts().record(first.get(1), RecipientOutcome.BLOCKED);
        assertThat(broadcasts().tally(draft.id())).isEqualTo(new Tally(4, 0, 2, 1, 1, 0, 1));
        assertThat(broadcasts().abandon(T0.plusSeconds(10), Duration.ofMinutes(5))).isZero();
        assertThat(broadcasts().abandon(T0.plusSeconds(600), Duration.ofMinutes(5))).isEqualTo(2);
        Tally done = broadcasts().tally(draft.id());
        assertThat(done).as("the abandoned apart from the failed: the admin's report tells a restart from a refusal")
                .isEqualTo(new Tally(4, 0, 0, 1, 1, 0, 1, 2));
        assertThat(done.finished()).isTrue();
        assertThat(broadcasts().queued()).extracting(Broadcast::id).containsExactly(draft.id());
        assertThat(broadcasts().finish(draft.id())).isTrue();
        assertThat(broadcasts().tally(draft.id())).as("the same once finished").isEqualTo(done);
        assertThat(broadcasts().finish(draft.id())).isFalse();
        assertThat(broadcasts().queued()).isEmpty();
        Broadcast other = broadcasts().draft(1, 1, "bye", T0);
        assertThat(broadcasts().cancel(other.id())).isTrue();
        assertThat(broadcasts().queue(other.id(), Optional.empty(), T0)).isEmpty();
        assertThat(broadcasts().find(other.id()).orElseThrow().state()).isEqualTo(BroadcastState.CANCELLED);
    }

    /**
     * An admin stops a broadcast being sent: nobody not yet handed to a sender gets it, the one being messaged keeps his
     * claim, its figures read as they stood, and it is stopped once; a draft, a finished or an unknown one is not.
     */
    @Test
    void aStoppedBroadcastHandsOutNobodyMoreAndKeepsItsFigures() {
        for (long id = 1; id <= 5; id++) {
            users().seen(id, "U" + id, Optional.empty(), Optional.empty(), T0);
        }
        Broadcast b = broadcasts().queue(broadcasts().draft(1, 1, "x", T0).id(), Optional.empty(), T0).orElseThrow();
        List<Recipient> claimed = broadcasts().claim(2, T0);
        broadcasts().record(claimed.get(0), RecipientOutcome.SENT);
        Instant stopped = T0.plusSeconds(60);
        assertThat(broadcasts().stop(b.id(), stopped)).isTrue();
        assertThat(broadcasts().stop(b.id(), stopped)).as("stopped once").isFalse();
        assertThat(broadcasts().find(b.id()).orElseThrow().state()).isEqualTo(BroadcastState.CANCELLED);
        assertThat(broadcasts().queued()).isEmpty();
        assertThat(broadcasts().claim(10, stopped)).as("the three not yet handed out: nobody's").isEmpty();
        assertThat(broadcasts().tally(b.id())).isEqualTo(new Tally(5, 0, 0, 1, 0, 0, 0));
        assertThat(broadcasts().finish(b.id(), stopped)).as("a stopped one is not finished after").isFalse();
        broadcasts().record(claimed.get(1), RecipientOutcome.SENT); // the one on the wire at the stop
        assertThat(broadcasts().forgetRecipients(stopped.plusSeconds(1), 100)).as("forgotten as a finished one's")
                .isEqualTo(2);
        assertThat(broadcasts().tally(b.id())).isEqualTo(new Tally(5, 0, 0, 1, 0, 0, 0));

        Broadcast draft = broadcasts().draft(1, 1, "y", T0);
        assertThat(broadcasts().stop(draft.id(), stopped)).as("a draft is cancelled, not stopped").isFalse();
        assertThat(broadcasts().find(draft.id()).orElseThrow().state()).isEqualTo(BroadcastState.DRAFT);
        assertThat(broadcasts().stop(999_999, stopped)).isFalse();
    }

    /**
     * A finished broadcast's recipients (a row per user, kept for ever before) are forgotten once it has been done
     * longer than the retention, in passes of the limit given; its report reads the same afterwards, from the counts
     * kept when it finished.
     */
    @Test
    void aFinishedBroadcastsTallyReadsTheSameAfterItsRecipientsAreForgotten() {
        for (long id = 1; id <= 5; id++) {
            users().seen(id, "U" + id, Optional.empty(), Optional.empty(), T0);
        }
        users().setBlocked(5, true);
        Broadcast b = broadcasts().queue(broadcasts().draft(1, 1, "x", T0).id(), Optional.empty(), T0).orElseThrow();
        List<Recipient> claimed = broadcasts().claim(10, T0);
        broadcasts().record(claimed.get(0), RecipientOutcome.SENT);
        broadcasts().record(claimed.get(1), RecipientOutcome.SENT);
        broadcasts().record(claimed.get(2), RecipientOutcome.BLOCKED);
        broadcasts().record(claimed.get(3), RecipientOutcome.FAILED);
        Tally done = new Tally(4, 0, 0, 2, 1, 1, 1);
        assertThat(broadcasts().tally(b.id())).isEqualTo(done);
        Instant finished = T0.plusSeconds(60);
        assertThat(broadcasts().finish(b.id(), finished)).isTrue();
        assertThat(broadcasts().finish(b.id(), finished)).as("finished once").isFalse();

        assertThat(broadcasts().forgetRecipients(finished, 100)).as("finished at the cutoff, not before it").isZero();
        assertThat(broadcasts().forgetRecipients(finished.plusSeconds(1), 3)).as("a pass of 3").isEqualTo(3);
        assertThat(broadcasts().tally(b.id())).as("the report between two passes").isEqualTo(done);
        assertThat(broadcasts().forgetRecipients(finished.plusSeconds(1), 3)).isEqualTo(1);
        assertThat(broadcasts().forgetRecipients(finished.plusSeconds(1), 3)).isZero();
        assertThat(broadcasts().tally(b.id())).as("the report with no recipient left").isEqualTo(done);
        assertThat(broadcasts().find(b.id()).orElseThrow().state()).isEqualTo(BroadcastState.DONE);
        assertThat(broadcasts().claim(10, finished)).isEmpty();
    }

    /** Recipients of a broadcast still being sent are never forgotten, however old it is. */
    @Test
    void anUnfinishedBroadcastsRecipientsAreNeverForgotten() {
        for (long id = 1; id <= 3; id++) {
            users().seen(id, "U" + id, Optional.empty(), Optional.empty(), T0);
        }
        Broadcast sending = broadcasts().queue(broadcasts().draft(1, 1, "x", T0).id(), Optional.empty(), T0)
                .orElseThrow();
        List<Recipient> first = broadcasts().claim(1, T0);
        broadcasts().record(first.get(0), RecipientOutcome.SENT);
        Broadcast queued = broadcasts().queue(broadcasts().draft(1, 1, "y", T0).id(), Optional.empty(), T0)
                .orElseThrow();
        Tally before = broadcasts().tally(sending.id());

        Instant yearsLater = T0.plus(Duration.ofDays(3650));
        assertThat(broadcasts().forgetRecipients(yearsLater, 100)).isZero();
        assertThat(broadcasts().tally(sending.id())).isEqualTo(before).isEqualTo(new Tally(3, 2, 0, 1, 0, 0, 0));
        assertThat(broadcasts().tally(queued.id())).isEqualTo(new Tally(3, 3, 0, 0, 0, 0, 0));
        assertThat(broadcasts().claim(10, T0)).extracting(Recipient::broadcastId)
                .containsExactly(sending.id(), sending.id(), queued.id(), queued.id(), queued.id());
    }

    @Test
    void usersWhoHadBlockedTheBotWhenItWasQueuedAreSkippedWhateverTheyDoLater() {
        for (long id = 1; id <= 4; id++) {
            users().seen(id, "U" + id, Optional.empty(), Optional.empty(), T0);
        }
        users().setBlocked(2, true);
        users().setBlocked(3, true);
        Broadcast b = broadcasts().queue(broadcasts().draft(1, 1, "x", T0).id(), Optional.empty(), T0).orElseThrow();
        assertThat(b.recipients()).isEqualTo(2);
        users().setBlocked(2, false);
        users().setBlocked(4, true);
        assertThat(broadcasts().tally(b.id())).isEqualTo(new Tally(2, 2, 0, 0, 0, 0, 2));
        List<Recipient> claimed = broadcasts().claim(10, T0);
        assertThat(claimed).extracting(Recipient::userId).containsExactlyInAnyOrder(1L, 4L);
        for (Recipient r : claimed) {
            broadcasts().record(r, r.userId() == 4 ? RecipientOutcome.BLOCKED : RecipientOutcome.SENT);
        }
        broadcasts().release(claimed);
        assertThat(broadcasts().abandon(T0.plusSeconds(3600), Duration.ofMinutes(5))).isZero();
        assertThat(broadcasts().claim(10, T0)).as("the skipped are never handed out").isEmpty();
        Tally done = broadcasts().tally(b.id());
        assertThat(done).isEqualTo(new Tally(2, 0, 0, 1, 1, 0, 2));
        assertThat(done.finished()).isTrue();
        Broadcast next = broadcasts().queue(broadcasts().draft(1, 1, "y", T0).id(), Optional.empty(), T0)
                .orElseThrow();
        assertThat(broadcasts().tally(next.id())).as("counted per broadcast").isEqualTo(new Tally(2, 2, 0, 0, 0, 0, 2));
    }

    @Test
    void auditIsSearchableAndPurgeable() {
        audit().record(new AuditEvent(T0, "***1234", "gen.created", "price 312", Optional.of("gen_1")));
        audit().record(new AuditEvent(T0.plusSeconds(1), "system", "gen.failed", "timeout", Optional.of("gen_1")));
        audit().record(new AuditEvent(T0.plus(Duration.ofDays(40)), "system", "x", "", Optional.empty()));
        assertThat(audit().byCorrelation("gen_1")).extracting(AuditEvent::action)
                .containsExactly("gen.created", "gen.failed");
        assertThat(audit().recent(1)).extracting(AuditEvent::action).containsExactly("x");
        assertThat(audit().purge(T0.plus(Duration.ofDays(30)))).isEqualTo(2);
        assertThat(audit().byCorrelation("gen_1")).isEmpty();
    }

    @Test
    void theLastEventOfAnOccasionIsTheLatestOfItsOwnAndOfTwoAtOneTimeTheLaterAppended() {
        assertThat(audit().lastByCorrelation("alert:replies")).as("none yet").isEmpty();
        audit().record(new AuditEvent(T0.plusSeconds(60), "system", "alert.replies_stuck", "900 s",
                Optional.of("alert:replies")));
        audit().record(new AuditEvent(T0, "system", "alert.replies_flowing", "earlier, appended later",
                Optional.of("alert:replies")));
        audit().record(new AuditEvent(T0.plusSeconds(120), "system", "alert.jobs_late", "another occasion",
                Optional.of("alert:jobs")));
        audit().record(new AuditEvent(T0.plusSeconds(180), "system", "x", "none", Optional.empty()));
        assertThat(audit().lastByCorrelation("alert:replies")).map(AuditEvent::detail).contains("900 s");

        audit().record(new AuditEvent(T0.plusSeconds(60), "system", "alert.replies_flowing", "same time, later",
                Optional.of("alert:replies")));
        assertThat(audit().lastByCorrelation("alert:replies")).map(AuditEvent::detail).contains("same time, later");
        assertThat(audit().lastByCorrelation("alert:updates")).isEmpty();
        assertThat(audit().byCorrelation("alert:replies")).as("the whole trail, oldest first, as its last says")
                .extracting(AuditEvent::detail)
                .containsExactly("earlier, appended later", "900 s", "same time, later");
    }

    @Test
    void anOccasionIsRecordedOnceSinceItsTime() {
        AuditEvent told = new AuditEvent(T0, "system", "alert.credits_low", "12", Optional.of("alert:credits"));
        assertThat(audit().recordFirst(told, T0.minus(Duration.ofHours(6)))).isTrue();
        assertThat(audit().recordFirst(new AuditEvent(T0.plusSeconds(60), "system", "alert.credits_low", "11",
                Optional.of("alert:credits")), T0.plusSeconds(60).minus(Duration.ofHours(6))))
                .as("told within the quiet time").isFalse();
        assertThat(audit().recordFirst(new AuditEvent(T0.plusSeconds(60), "system", "alert.credits_low", "11",
                Optional.of("alert:other")), T0)).as("another occasion").isTrue();
        assertThat(audit().recordFirst(new AuditEvent(T0.plusSeconds(60), "system", "alert.overcharged", "11",
                Optional.of("alert:credits")), T0)).as("another action").isTrue();
        AuditEvent later = new AuditEvent(T0.plus(Duration.ofHours(7)), "system", "alert.credits_low", "10",
                Optional.of("alert:credits"));
        assertThat(audit().recordFirst(later, later.at().minus(Duration.ofHours(6)))).as("after it").isTrue();
        assertThat(audit().byCorrelation("alert:credits")).extracting(AuditEvent::detail)
                .containsExactly("12", "11", "10");
    }
}
