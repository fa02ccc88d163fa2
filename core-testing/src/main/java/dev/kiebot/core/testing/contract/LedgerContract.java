package dev.kiebot.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Balance;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.LedgerResult.Reason;
import dev.kiebot.core.ledger.PostedTotal;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger rules every implementation must keep. Extend it and return a fresh, empty ledger from {@link #create}.
 * The rules (what {@code Reconciliation} checks from outside, too):
 * <ol>
 *   <li>every transfer moves one amount from one account to another: what leaves one arrives at the other;</li>
 *   <li>over all accounts, posted debits equal posted credits, and pending debits equal pending credits;</li>
 *   <li>nothing written is changed or removed: a hold's outcome is a transfer of its own;</li>
 *   <li>a wallet's available money (credits posted − debits posted − debits pending) never goes below zero; checked
 *       when a hold or a debit is made, not after;</li>
 *   <li>holds racing on one wallet: exactly those that fit succeed, whatever the order;</li>
 *   <li>a hold ends once: posted, voided or expired, never two of them;</li>
 *   <li>a post takes at most what was held, and the rest comes back to available;</li>
 *   <li>the same transfer id with the same fields is answered as the first time and changes nothing; with other
 *       fields it is refused;</li>
 *   <li>an id refused for a passing reason (not enough money, a hold not there) stays refused: a retry takes a new
 *       id;</li>
 *   <li>each balance equals the fold of the account's transfers.</li>
 * </ol>
 */
public abstract class LedgerContract {
    /** A user's wallet most tests fund ({@link #topUp}) and charge. */
    protected static final AccountId ALICE = AccountId.wallet(1001);
    /** A second user's wallet: money Alice moves arrives here, and his balance must not follow hers. */
    protected static final AccountId BOB = AccountId.wallet(1002);
    /** The ledger's clock: at 2026-11-21T10:00:00Z when each test starts, then moved by the test. */
    protected MutableClock clock;
    /** The ledger under test: {@link #create}'s answer for this test. */
    protected Ledger ledger;

    /**
     * A fresh, empty ledger reading time from {@code clock}. Called before each test, and again by a test that starts
     * over: every call must give a ledger with no accounts and no transfers (over a database: empty it first). The
     * concurrency tests call the ledger from 16 threads at once.
     *
     * @param clock the time of each transfer as it is recorded ({@code Transfer.createdAt}, which {@code recent} and
     *              {@code posted} go by); tests move it between calls, so read it at each one
     * @return the ledger under test
     */
    protected abstract Ledger create(MutableClock clock);

    /** For your test class that extends it. */
    protected LedgerContract() {
    }

    /**
     * How many random operations {@code concurrentOperationsKeepEveryInvariant} runs, spread over 16 threads.
     * Lower it for a ledger slow enough to make that test long (kiebot's PostgreSQL ledger runs the default).
     *
     * @return 4,000 unless overridden
     */
    protected int concurrentOperations() {
        return 4_000;
    }

    @BeforeEach
    void setUpLedger() {
        clock = MutableClock.at("2026-11-21T10:00:00Z");
        ledger = create(clock);
    }

    /**
     * Credits a wallet as a paid Stars invoice does (from {@code STARS_CLEARING}), failing the test when refused.
     *
     * @param wallet the wallet credited
     * @param amount in minor units
     * @param id     the transfer's id, unique within the test
     */
    protected void topUp(AccountId wallet, long amount, String id) {
        assertThat(ledger.transfer(id, AccountId.STARS_CLEARING, wallet, amount, TransferKind.TOP_UP_STARS)
                .succeeded()).isTrue();
    }

    private Instant in(Duration d) {
        return clock.instant().plus(d);
    }

    /**
     * A top-up moves the money from Stars clearing to the wallet, and both accounts are listed from then on:
     * {@code Reconciliation} reads every account {@code accounts} lists, so a store that listed none passed it with
     * nothing read.
     */
    @Test
    void topUpCreditsTheWalletAndDebitsClearing() {
        topUp(ALICE, 10_000, "t1");
        assertThat(ledger.balance(ALICE).available()).isEqualTo(10_000);
        assertThat(ledger.balance(AccountId.STARS_CLEARING).debitsPosted()).isEqualTo(10_000);
        assertThat(ledger.accounts()).containsExactlyInAnyOrder(ALICE, AccountId.STARS_CLEARING);
        assertThat(Reconciliation.check(ledger)).isEmpty();
    }

    /** Every kind core names can be recorded and read back as itself (a store keeps kinds as a type of its own). */
    @Test
    void everyKindOfTransferIsRecordedAsItself() {
        topUp(ALICE, 1_000_000, "kinds-funds");
        for (TransferKind kind : TransferKind.values()) {
            assertThat(ledger.transfer("kind:" + kind, ALICE, BOB, 1, kind).succeeded()).as(kind.name()).isTrue();
            assertThat(ledger.find("kind:" + kind)).as(kind.name()).hasValueSatisfying(t ->
                    assertThat(t.kind()).isEqualTo(kind));
        }
        assertThat(Reconciliation.check(ledger)).isEmpty();
    }

    @Test
    void recentTransfersOfAnAccountComeNewestFirstAndBounded() {
        topUp(ALICE, 1_000, "r1");
        topUp(BOB, 500, "r-bob");
        clock.advance(Duration.ofSeconds(1));
        ledger.hold("gen_r", ALICE, AccountId.REVENUE, 300, TransferKind.GENERATION, in(Duration.ofMinutes(10)));
        clock.advance(Duration.ofSeconds(1));
        ledger.post("post:gen_r", "gen_r", 300);
        clock.advance(Duration.ofSeconds(1));
        ledger.transfer("r2", ALICE, BOB, 100, TransferKind.GRANT);
        assertThat(ledger.recent(ALICE, 10)).extracting(t -> t.id())
                .containsExactly("r2", "post:gen_r", "gen_r", "r1");
        assertThat(ledger.recent(ALICE, 2)).extracting(t -> t.id()).containsExactly("r2", "post:gen_r");
        assertThat(ledger.recent(BOB, 10)).extracting(t -> t.id()).containsExactly("r2", "r-bob");
        assertThat(ledger.recent(AccountId.wallet(999), 10)).isEmpty();
    }

    /**
     * {@code withIdPrefix} finds exactly the ids starting with the prefix, oldest first: the characters a LIKE pattern
     * would take as wildcards ({@code _}, {@code %}) are themselves, a longer hold id ({@code gen_12}) or the character
     * right after the prefix's last ({@code ;} after {@code :}) is not taken, letters beyond ASCII after it are.
     */
    @Test
    void transfersWithAnIdPrefixAreExactlyThoseWhoseIdsStartWithItOldestFirst() {
        AccountId loss = AccountId.STARS_REFUND_LOSS;
        for (String id : List.of("refund:gen_1:stars-loss:b", "refund:gen_12:stars-loss:c", "refund:gen_1",
                "refund:genx1:stars-loss:d", "refund:gen_1;", "refund:gen_1~2:stars-loss:e", "refund:gen_1:звёзды",
                "refund:gen_1:\uD83D\uDE00", "refund:gen_1:stars-loss:a", "refund:gen%1:x")) {
            assertThat(ledger.transfer(id, AccountId.REVENUE, loss, 10, TransferKind.REFUND).succeeded()).as(id)
                    .isTrue();
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(ledger.withIdPrefix("refund:gen_1:")).extracting(Transfer::id).containsExactly(
                "refund:gen_1:stars-loss:b", "refund:gen_1:звёзды", "refund:gen_1:\uD83D\uDE00",
                "refund:gen_1:stars-loss:a");
        assertThat(ledger.withIdPrefix("refund:gen_1:")).allSatisfy(t -> {
            assertThat(t.debit()).isEqualTo(AccountId.REVENUE);
            assertThat(t.credit()).isEqualTo(loss);
            assertThat(t.amount()).isEqualTo(10);
        });
        assertThat(ledger.withIdPrefix("refund:gen%")).extracting(Transfer::id).containsExactly("refund:gen%1:x");
        assertThat(ledger.withIdPrefix("refund:gen_9:")).isEmpty();
        assertThat(ledger.withIdPrefix("")).hasSize(10);
    }

    /**
     * Ids of one prefix on accounts of their own still come oldest first: a Stars refund's losses sent back for a job
     * ({@code refund:<job>:stars-loss:...}) credit the loss account from the revenue's or a wallet's, each listed
     * apart, and the one made first is listed first whichever account money moved through before.
     */
    @Test
    void transfersWithAnIdPrefixOnAccountsOfTheirOwnComeOldestFirst() {
        assertThat(ledger.transfer("welcome:1001", AccountId.PROMO_EXPENSE, ALICE, 100, TransferKind.WELCOME_BONUS)
                .succeeded()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        topUp(BOB, 500, "x:first");
        clock.advance(Duration.ofSeconds(1));
        assertThat(ledger.transfer("x:second", AccountId.PROMO_EXPENSE, ALICE, 50, TransferKind.GRANT).succeeded())
                .isTrue();
        assertThat(ledger.withIdPrefix("x:")).extracting(Transfer::id).containsExactly("x:first", "x:second");
    }

    /**
     * The prefix's end is found in the ids' own order, UTF-8's bytewise (PostgreSQL's {@code COLLATE "C"}), not Java's
     * UTF-16 order, which puts a letter past the BMP before U+FFFD: a prefix ending in U+FFFD, in the last character
     * before the surrogates, in the last code point of all, or in {@code ~} (a retried id's mark) takes exactly the ids
     * that start with it.
     */
    @Test
    void anIdPrefixEndingAtAnEdgeOfTheCodePointsTakesExactlyTheIdsStartingWithIt() {
        List<String> ids = List.of("p:\uFFFD", "p:\uFFFDa", "p:\uFFFE", "p:\uD83D\uDE00", "q:\uD7FF", "q:\uD7FFz",
                "q:\uE000", "r:\uDBFF\uDFFF", "r:\uDBFF\uDFFFz", "s", "refund:gen_1~", "refund:gen_1~2:x",
                "refund:gen_1\u007F", "refund:gen_1\u00E9");
        for (String id : ids) {
            assertThat(ledger.transfer(id, AccountId.REVENUE, AccountId.STARS_REFUND_LOSS, 10, TransferKind.REFUND)
                    .succeeded()).as(id).isTrue();
            clock.advance(Duration.ofSeconds(1));
        }
        for (String prefix : List.of("p:\uFFFD", "p:", "q:\uD7FF", "r:\uDBFF\uDFFF", "r:", "refund:gen_1~",
                "refund:gen_1", "\uDBFF\uDFFF")) {
            assertThat(ledger.withIdPrefix(prefix)).extracting(Transfer::id).as(prefix)
                    .containsExactlyElementsOf(ids.stream().filter(i -> i.startsWith(prefix)).toList());
        }
    }

    /** Money of the kinds asked that moved in the window: posted transfers and holds' posts, not holds nor voids. */
    @Test
    void postedTransfersOfSomeKindsInAWindowComeOldestFirst() {
        Instant from = clock.instant();
        topUp(ALICE, 1_000, "p1");
        clock.advance(Duration.ofSeconds(1));
        ledger.hold("refund-hold", ALICE, AccountId.STARS_CLEARING, 400, TransferKind.STARS_REFUND,
                in(Duration.ofMinutes(10)));
        ledger.hold("voided-hold", ALICE, AccountId.STARS_CLEARING, 100, TransferKind.STARS_REFUND,
                in(Duration.ofMinutes(10)));
        ledger.voidHold("void:voided-hold", "voided-hold");
        clock.advance(Duration.ofSeconds(1));
        ledger.post("post:refund-hold", "refund-hold", 400);
        ledger.transfer("grant", AccountId.PROMO_EXPENSE, BOB, 50, TransferKind.GRANT);
        clock.advance(Duration.ofSeconds(1));
        Instant to = clock.instant();
        topUp(BOB, 700, "p-later");
        java.util.Set<TransferKind> money = java.util.Set.of(TransferKind.TOP_UP_STARS, TransferKind.STARS_REFUND);
        assertThat(ledger.posted(money, from, to)).extracting(Transfer::id).containsExactly("p1", "post:refund-hold");
        assertThat(ledger.posted(money, from, to)).extracting(Transfer::amount).containsExactly(1_000L, 400L);
        assertThat(ledger.posted(money, from, clock.instant().plusSeconds(1))).extracting(Transfer::id)
                .containsExactly("p1", "post:refund-hold", "p-later");
        assertThat(ledger.posted(money, from.plusSeconds(1), to)).extracting(Transfer::id)
                .containsExactly("post:refund-hold");
        assertThat(ledger.posted(java.util.Set.of(TransferKind.GRANT), from, to)).extracting(Transfer::id)
                .containsExactly("grant");
        assertThat(ledger.posted(java.util.Set.of(), from, to)).isEmpty();
        // the first ones only, oldest first
        assertThat(ledger.posted(money, from, to, 1)).extracting(Transfer::id).containsExactly("p1");
        assertThat(ledger.posted(money, from, to, 5)).extracting(Transfer::id).containsExactly("p1", "post:refund-hold");
        assertThat(ledger.posted(money, from, to, 0)).isEmpty();
        // counted and added up as posted lists them
        assertThat(ledger.postedTotal(money, from, to)).isEqualTo(new PostedTotal(2, 1_400));
        assertThat(ledger.postedTotal(java.util.Set.of(TransferKind.GRANT), from, to)).isEqualTo(new PostedTotal(1, 50));
        assertThat(ledger.postedTotal(java.util.Set.of(TransferKind.WELCOME_BONUS), from, to))
                .isEqualTo(new PostedTotal(0, 0));
        assertThat(ledger.postedTotal(java.util.Set.of(), from, to)).isEqualTo(new PostedTotal(0, 0));
        // what moved into the account less what moved out, whenever: the voided hold moved nothing
        assertThat(ledger.postedNet(ALICE, money)).isEqualTo(1_000 - 400);
        assertThat(ledger.postedNet(BOB, money)).isEqualTo(700);
        assertThat(ledger.postedNet(BOB, java.util.Set.of(TransferKind.GRANT))).isEqualTo(50);
        assertThat(ledger.postedNet(AccountId.PROMO_EXPENSE, java.util.Set.of(TransferKind.GRANT))).isEqualTo(-50);
        assertThat(ledger.postedNet(ALICE, java.util.Set.of())).isZero();
        // the kinds that took money from the account by a time: the posted refund, not the voided hold nor a credit
        java.util.Set<TransferKind> taking = java.util.Set.of(TransferKind.STARS_REFUND, TransferKind.DEBIT_MANUAL,
                TransferKind.TOP_UP_STARS);
        assertThat(ledger.postedDebitKinds(ALICE, taking, clock.instant())).containsExactly(TransferKind.STARS_REFUND);
        assertThat(ledger.postedDebitKinds(ALICE, taking, from)).as("before the refund was posted").isEmpty();
        assertThat(ledger.postedDebitKinds(BOB, taking, clock.instant())).as("credits only").isEmpty();
        assertThat(ledger.postedDebitKinds(ALICE, java.util.Set.of(), clock.instant())).isEmpty();
        // the holds of the refunds (one voided since) took nothing yet when only they were there
        assertThat(ledger.postedDebitKinds(ALICE, taking, from.plusSeconds(1))).as("held, not posted").isEmpty();
        // a debit posted in one transfer takes money as a hold's post does
        assertThat(ledger.transfer("debit:1", ALICE, AccountId.MANUAL_CLEARING, 100, TransferKind.DEBIT_MANUAL)
                .succeeded()).isTrue();
        assertThat(ledger.postedDebitKinds(ALICE, taking, clock.instant()))
                .containsExactlyInAnyOrder(TransferKind.STARS_REFUND, TransferKind.DEBIT_MANUAL);
    }

    @Test
    void holdReducesAvailableButNotPosted() {
        topUp(ALICE, 1_000, "t1");
        LedgerResult r = ledger.hold("gen_1", ALICE, AccountId.REVENUE, 300, TransferKind.GENERATION,
                in(Duration.ofMinutes(10)));
        assertThat(r).isInstanceOf(LedgerResult.Created.class);
        Balance b = ledger.balance(ALICE);
        assertThat(b.available()).isEqualTo(700);
        assertThat(b.posted()).isEqualTo(1_000);
        assertThat(ledger.holdState("gen_1")).contains(HoldState.PENDING);
    }

    @Test
    void postMovesTheHeldMoneyToRevenue() {
        topUp(ALICE, 1_000, "t1");
        ledger.hold("gen_1", ALICE, AccountId.REVENUE, 300, TransferKind.GENERATION, in(Duration.ofMinutes(10)));
        assertThat(ledger.post(Ledger.postId("gen_1"), "gen_1", 300).succeeded()).isTrue();
        assertThat(ledger.balance(ALICE).available()).isEqualTo(700);
        assertThat(ledger.balance(ALICE).debitsPending()).isZero();
        assertThat(ledger.balance(AccountId.REVENUE).creditsPosted()).isEqualTo(300);
        assertThat(ledger.holdState("gen_1")).contains(HoldState.POSTED);
        assertThat(Reconciliation.check(ledger)).isEmpty();
    }

    @Test
    void partialPostReturnsTheRemainder() {
        topUp(ALICE, 1_000, "t1");
        ledger.hold("gen_1", ALICE, AccountId.REVENUE, 300, TransferKind.GENERATION, in(Duration.ofMinutes(10)));
        assertThat(ledger.post("p1", "gen_1", 120).succeeded()).isTrue();
        assertThat(ledger.balance(ALICE).available()).isEqualTo(880);
        assertThat(ledger.balance(AccountId.REVENUE).creditsPosted()).isEqualTo(120);
        assertThat(Reconciliation.check(ledger)).isEmpty();
    }

    @Test
    void postingMoreThanTheHoldIsRejected() {
        topUp(ALICE, 1_000, "t1");
        ledger.hold("gen_1", ALICE, AccountId.REVENUE, 300, TransferKind.GENERATION, in(Duration.ofMinutes(10)));
        assertThat(reason(ledger.post("p1", "gen_1", 301))).isEqualTo(Reason.EXCEEDS_HOLD_AMOUNT);
        assertThat(ledger.holdState("gen_1")).contains(HoldState.PENDING);
    }

    /**
     * A posted transfer is no hold: a post or void naming it is refused as a hold not found and moves nothing, and it
     * has no hold state. A job charged in one posted transfer by an earlier build has its charge's id where a hold's
     * is; a store that resolved such a transfer as a hold paid its amount again to the account it credited (a
     * top-up "posted" once more was money out of nothing), and a hold state of PENDING had it counted as money still
     * held (what a Stars refund reads of a user's open holds).
     */
    @Test
    void aPostedTransferIsNoHoldToPostOrVoid() {
        topUp(ALICE, 1_000, "t1");
        assertThat(ledger.transfer("gen_1", ALICE, AccountId.REVENUE, 300, TransferKind.GENERATION).succeeded())
                .isTrue();
        assertThat(reason(ledger.post(Ledger.postId("gen_1"), "gen_1", 300))).isEqualTo(Reason.HOLD_NOT_FOUND);
        assertThat(reason(ledger.voidHold(Ledger.voidId("gen_1"), "gen_1"))).isEqualTo(Reason.HOLD_NOT_FOUND);
        assertThat(reason(ledger.post("p-t1", "t1", 1_000))).isEqualTo(Reason.HOLD_NOT_FOUND);
        assertThat(ledger.holdState("gen_1")).isEmpty();
        assertThat(ledger.holdState("t1")).isEmpty();
        assertThat(ledger.balance(ALICE)).isEqualTo(new Balance(ALICE, 0, 300, 0, 1_000));
        assertThat(ledger.balance(AccountId.REVENUE)).isEqualTo(new Balance(AccountId.REVENUE, 0, 0, 0, 300));
        assertThat(Reconciliation.check(ledger)).isEmpty();
    }

    /**
     * {@link Ledger#MAX_AMOUNT} itself is an amount a transfer, a hold and a post take; a minor unit more is refused as
     * an invalid amount, of a post too (not as more than its hold), and moves nothing.
     */
    @Test
    void theLargestAmountIsTakenWholeAndOneMoreIsRefused() {
        assertThat(ledger.transfer("t-max", AccountId.STARS_CLEARING, ALICE, Ledger.MAX_AMOUNT,
                TransferKind.TOP_UP_STARS)).isInstanceOf(LedgerResult.Created.class);
        assertThat(reason(ledger.transfer("t-over", AccountId.STARS_CLEARING, BOB, Ledger.MAX_AMOUNT + 1,
                TransferKind.TOP_UP_STARS))).isEqualTo(Reason.INVALID_AMOUNT);
        assertThat(ledger.hold("gen_1", ALICE, AccountId.REVENUE, Ledger.MAX_AMOUNT, TransferKind.GENERATION,
                in(Duration.ofMinutes(10)))).isInstanceOf(LedgerResult.Created.class);
        assertThat(reason(ledger.post("p-over", "gen_1", Ledger.MAX_AMOUNT + 1))).isEqualTo(Reason.INVALID_AMOUNT);
        assertThat(ledger.post(Ledger.postId("gen_1"), "gen_1", Ledger.MAX_AMOUNT))
                .isInstanceOf(LedgerResult.Created.class);
        assertThat(ledger.balance(ALICE)).isEqualTo(new Balance(ALICE, 0, Ledger.MAX_AMOUNT, 0, Ledger.MAX_AMOUNT));
        assertThat(ledger.balance(AccountId.REVENUE).creditsPosted()).isEqualTo(Ledger.MAX_AMOUNT);
        assertThat(ledger.balance(BOB).creditsPosted()).isZero();
        assertThat(Reconciliation.check(ledger)).isEmpty();
    }

    @Test
    void voidReturnsEverything() {
        topUp(ALICE, 1_000, "t1");
        ledger.hold("gen_1", ALICE, AccountId.REVENUE, 300, TransferKind.GENERATION, in(Duration.ofMinutes(10)));
        assertThat(ledger.voidHold(Ledger.voidId("gen_1"), "gen_1").succeeded()).isTrue();
        assertThat(ledger.balance(ALICE).available()).isEqualTo(1_000);
        assertThat(ledger.balance(AccountId.REVENUE).creditsPosted()).isZero();
        assertThat(ledger.holdState("gen_1")).contains(HoldState.VOIDED);
    }

    @Test
    void aHoldResolvesExactlyOnce() {
        topUp(ALICE, 1_000, "t1");
        ledger.hold("gen_1", ALICE, AccountId.REVENUE, 300, TransferKind.GENERATION, in(Duration.ofMinutes(10)));
        assertThat(ledger.post("p1", "gen_1", 300).succeeded()).isTrue();
        assertThat(reason(ledger.voidHold("v1", "gen_1"))).isEqualTo(Reason.ALREADY_POSTED);
        assertThat(reason(ledger.post("p2", "gen_1", 300))).isEqualTo(Reason.ALREADY_POSTED);
        assertThat(ledger.balance(AccountId.REVENUE).creditsPosted()).isEqualTo(300);

        ledger.hold("gen_2", ALICE, AccountId.REVENUE, 100, TransferKind.GENERATION, in(Duration.ofMinutes(10)));
        assertThat(ledger.voidHold("v2", "gen_2").succeeded()).isTrue();
        assertThat(reason(ledger.post("p3", "gen_2", 100))).isEqualTo(Reason.ALREADY_VOIDED);
        assertThat(ledger.balance(ALICE).available()).isEqualTo(700);
        assertThat(Reconciliation.check(ledger)).isEmpty();
    }

    @Test
    void expiredHoldsAreVoidedByTheSweeperOnce() {
        topUp(ALICE, 1_000, "t1");
        ledger.hold("gen_1", ALICE, AccountId.REVENUE, 300, TransferKind.GENERATION, in(Duration.ofMinutes(10)));
        ledger.hold("gen_2", ALICE, AccountId.REVENUE, 200, TransferKind.GENERATION, in(Duration.ofMinutes(30)));
        assertThat(ledger.expire(clock.instant(), 100)).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        assertThat(ledger.expire(clock.instant(), 100)).containsExactly("gen_1");
        assertThat(ledger.expire(clock.instant(), 100)).isEmpty();
        assertThat(ledger.holdState("gen_1")).contains(HoldState.EXPIRED);
        assertThat(reason(ledger.post("p1", "gen_1", 300))).isEqualTo(Reason.ALREADY_EXPIRED);
        assertThat(ledger.balance(ALICE).available()).isEqualTo(800);
        assertThat(Reconciliation.check(ledger)).isEmpty();
    }

    @Test
    void theSweeperRespectsItsLimit() {
        topUp(ALICE, 1_000, "t1");
        for (int i = 1; i <= 5; i++) {
            ledger.hold("gen_" + i, ALICE, AccountId.REVENUE, 10, TransferKind.GENERATION, in(Duration.ofMinutes(1)));
        }
        clock.advance(Duration.ofMinutes(2));
        assertThat(ledger.expire(clock.instant(), 2)).hasSize(2);
        assertThat(ledger.expire(clock.instant(), 10)).hasSize(3);
    }

    /**
     * The hold a sweep would take first is read without sweeping it: the earliest deadline passed, then the smaller id;
     * none before any deadline, nor once it is swept or resolved (a runner's gauge of holds the sweep keeps leaving).
     */
    @Test
    void theOldestDueHoldIsTheOneTheSweepTakesFirst() {
        topUp(ALICE, 1_000, "t1");
        ledger.hold("gen_2", ALICE, AccountId.REVENUE, 10, TransferKind.GENERATION, in(Duration.ofMinutes(1)));
        ledger.hold("gen_1", ALICE, AccountId.REVENUE, 10, TransferKind.GENERATION, in(Duration.ofMinutes(1)));
        ledger.hold("gen_0", ALICE, AccountId.REVENUE, 10, TransferKind.GENERATION, in(Duration.ofMinutes(5)));
        assertThat(ledger.oldestDueHold(clock.instant())).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        Instant now = clock.instant();
        assertThat(ledger.oldestDueHold(now)).map(Transfer::id).contains("gen_1");
        assertThat(ledger.oldestDueHold(now).flatMap(Transfer::timeoutAt)).contains(now.minus(Duration.ofMinutes(9)));
        assertThat(ledger.voidHold("v1", "gen_1").succeeded()).isTrue();
        assertThat(ledger.oldestDueHold(now)).map(Transfer::id).contains("gen_2");
        assertThat(ledger.expire(now, 1)).containsExactly("gen_2");
        assertThat(ledger.oldestDueHold(now)).map(Transfer::id).contains("gen_0");
        assertThat(ledger.expire(now, 10)).containsExactly("gen_0");
        assertThat(ledger.oldestDueHold(now)).isEmpty();
    }

    /**
     * A sweep that cannot take every due hold takes the earliest deadlines first, then the smaller id (the order
     * kiebot's PostgreSQL ledger takes them in, not the order they were made in); each expiry is dated the sweep's
     * {@code now}, not the ledger's clock.
     */
    @Test
    void theSweeperTakesTheEarliestDeadlineFirstThenTheIdAndDatesItNow() {
        topUp(ALICE, 1_000, "t1");
        ledger.hold("gen_c", ALICE, AccountId.REVENUE, 10, TransferKind.GENERATION, in(Duration.ofMinutes(3)));
        ledger.hold("gen_b", ALICE, AccountId.REVENUE, 10, TransferKind.GENERATION, in(Duration.ofMinutes(1)));
        ledger.hold("gen_e", ALICE, AccountId.REVENUE, 10, TransferKind.GENERATION, in(Duration.ofMinutes(3)));
        ledger.hold("gen_a", ALICE, AccountId.REVENUE, 10, TransferKind.GENERATION, in(Duration.ofMinutes(2)));
        ledger.hold("gen_d", ALICE, AccountId.REVENUE, 10, TransferKind.GENERATION, in(Duration.ofMinutes(3)));
        Instant now = in(Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(9));
        assertThat(ledger.expire(now, 3)).containsExactlyInAnyOrder("gen_b", "gen_a", "gen_c");
        assertThat(ledger.expire(now, 1)).containsExactly("gen_d");
        assertThat(ledger.holdState("gen_e")).as("past the limits").contains(HoldState.PENDING);
        assertThat(ledger.find(Ledger.expireId("gen_b"))).hasValueSatisfying(t ->
                assertThat(t.createdAt()).as("dated the sweep's now").isEqualTo(now));
        assertThat(Reconciliation.check(ledger)).isEmpty();
    }

    @Test
    void availableNeverGoesNegative() {
        topUp(ALICE, 500, "t1");
        assertThat(ledger.hold("gen_1", ALICE, AccountId.REVENUE, 400, TransferKind.GENERATION,
                in(Duration.ofMinutes(10))).succeeded()).isTrue();
        assertThat(reason(ledger.hold("gen_2", ALICE, AccountId.REVENUE, 101, TransferKind.GENERATION,
                in(Duration.ofMinutes(10))))).isEqualTo(Reason.INSUFFICIENT_FUNDS);
        assertThat(reason(ledger.transfer("x", ALICE, BOB, 101, TransferKind.STARS_REFUND)))
                .isEqualTo(Reason.INSUFFICIENT_FUNDS);
        assertThat(ledger.hold("gen_3", ALICE, AccountId.REVENUE, 100, TransferKind.GENERATION,
                in(Duration.ofMinutes(10))).succeeded()).isTrue();
        assertThat(ledger.balance(ALICE).available()).isZero();
    }

    @Test
    void replayWithSameFieldsIsExistsAndChangesNothing() {
        topUp(ALICE, 500, "charge-1");
        LedgerResult again = ledger.transfer("charge-1", AccountId.STARS_CLEARING, ALICE, 500, TransferKind.TOP_UP_STARS);
        assertThat(again).isInstanceOf(LedgerResult.Exists.class);
        assertThat(ledger.balance(ALICE).available()).isEqualTo(500);

        Instant deadline = in(Duration.ofMinutes(10));
        ledger.hold("gen_1", ALICE, AccountId.REVENUE, 100, TransferKind.GENERATION, deadline);
        assertThat(ledger.hold("gen_1", ALICE, AccountId.REVENUE, 100, TransferKind.GENERATION, deadline))
                .isInstanceOf(LedgerResult.Exists.class);
        ledger.post("p1", "gen_1", 100);
        assertThat(ledger.post("p1", "gen_1", 100)).isInstanceOf(LedgerResult.Exists.class);
        assertThat(ledger.balance(ALICE).available()).isEqualTo(400);
        assertThat(ledger.transfers(ALICE)).hasSize(3);
    }

    @Test
    void replayWithDifferentFieldsIsRejected() {
        topUp(ALICE, 500, "charge-1");
        assertThat(reason(ledger.transfer("charge-1", AccountId.STARS_CLEARING, ALICE, 501,
                TransferKind.TOP_UP_STARS))).isEqualTo(Reason.EXISTS_WITH_DIFFERENT_FIELDS);
        assertThat(reason(ledger.transfer("charge-1", AccountId.STARS_CLEARING, BOB, 500,
                TransferKind.TOP_UP_STARS))).isEqualTo(Reason.EXISTS_WITH_DIFFERENT_FIELDS);
        assertThat(ledger.balance(ALICE).available()).isEqualTo(500);
        assertThat(ledger.balance(BOB).available()).isZero();
    }

    /**
     * Every kind of request is idempotent by its id, not only transfers: callers retry a hold, a post or a void after
     * a lost answer (a crash, a timeout) and read {@code Exists} as done; an id reused with other fields is a
     * mistake the ledger must refuse rather than answer for a request it never made.
     */
    @Test
    void holdsPostsAndVoidsAreIdempotentByTheirIdAndRefuseOtherFields() {
        topUp(ALICE, 1_000, "t1");
        Instant deadline = in(Duration.ofMinutes(10));
        ledger.hold("gen_1", ALICE, AccountId.REVENUE, 300, TransferKind.GENERATION, deadline);
        assertThat(reason(ledger.hold("gen_1", ALICE, AccountId.REVENUE, 200, TransferKind.GENERATION, deadline)))
                .as("a hold's replay for another amount").isEqualTo(Reason.EXISTS_WITH_DIFFERENT_FIELDS);
        assertThat(reason(ledger.hold("gen_1", BOB, AccountId.REVENUE, 300, TransferKind.GENERATION, deadline)))
                .as("a hold's replay on another wallet").isEqualTo(Reason.EXISTS_WITH_DIFFERENT_FIELDS);
        assertThat(ledger.post("p1", "gen_1", 300).succeeded()).isTrue();
        assertThat(ledger.post("p1", "gen_1", 300)).isInstanceOf(LedgerResult.Exists.class);
        assertThat(reason(ledger.post("p1", "gen_1", 100))).as("a post's replay for another amount")
                .isEqualTo(Reason.EXISTS_WITH_DIFFERENT_FIELDS);

        ledger.hold("gen_2", ALICE, AccountId.REVENUE, 100, TransferKind.GENERATION, deadline);
        ledger.hold("gen_3", ALICE, AccountId.REVENUE, 50, TransferKind.GENERATION, deadline);
        assertThat(ledger.voidHold("v2", "gen_2")).isInstanceOf(LedgerResult.Created.class);
        assertThat(ledger.voidHold("v2", "gen_2")).as("a void's replay").isInstanceOf(LedgerResult.Exists.class);
        assertThat(reason(ledger.voidHold("v2", "gen_3"))).as("a void's id reused for another hold")
                .isEqualTo(Reason.EXISTS_WITH_DIFFERENT_FIELDS);
        assertThat(ledger.holdState("gen_3")).contains(HoldState.PENDING);
        assertThat(ledger.balance(ALICE).available()).isEqualTo(1_000 - 300 - 50);
        assertThat(ledger.balance(AccountId.REVENUE).creditsPosted()).isEqualTo(300);
        assertThat(Reconciliation.check(ledger)).isEmpty();
    }

    /**
     * A refused transfer out of a wallet stays refused under its id, also once the wallet could pay: a refund Telegram
     * reported while the money was not there is not taken later by a re-delivered report.
     */
    @Test
    void aRefusedTransferStaysRefusedUnderItsId() {
        topUp(ALICE, 100, "t1");
        assertThat(reason(ledger.transfer("refund-1", ALICE, AccountId.STARS_CLEARING, 500,
                TransferKind.STARS_REFUND))).isEqualTo(Reason.INSUFFICIENT_FUNDS);
        topUp(ALICE, 1_000, "t2");
        assertThat(reason(ledger.transfer("refund-1", ALICE, AccountId.STARS_CLEARING, 500,
                TransferKind.STARS_REFUND))).isEqualTo(Reason.ID_ALREADY_FAILED);
        // the refused id asked with another amount is another request under a taken id, not the same one retried
        assertThat(reason(ledger.transfer("refund-1", ALICE, AccountId.STARS_CLEARING, 400,
                TransferKind.STARS_REFUND))).isEqualTo(Reason.EXISTS_WITH_DIFFERENT_FIELDS);
        assertThat(ledger.balance(ALICE).available()).isEqualTo(1_100);
        assertThat(ledger.find("refund-1")).isEmpty();
    }

    /**
     * {@code findAwaiting} answers what {@code find} does once nothing is in flight: a payment's credit recorded is
     * found as recorded, an id never used or refused is empty. {@code ExternalTopUps} reads it before it refuses a
     * payment reported in a foreign currency: a store that found nothing there refused, and told the admins «not
     * credited» of, a payment the wallet had; one that found a refused id took it for credited.
     */
    @Test
    void findAwaitingFindsARecordedCreditAndNothingUnderAnIdNeverRecorded() {
        assertThat(ledger.transfer("external:stripe:pi_1", AccountId.EXTERNAL_CLEARING, ALICE, 500,
                TransferKind.TOP_UP_EXTERNAL).succeeded()).isTrue();
        assertThat(ledger.findAwaiting("external:stripe:pi_1")).as("the credit recorded")
                .hasValueSatisfying(t -> {
                    assertThat(t.id()).isEqualTo("external:stripe:pi_1");
                    assertThat(t.credit()).isEqualTo(ALICE);
                    assertThat(t.amount()).isEqualTo(500);
                    assertThat(t.kind()).isEqualTo(TransferKind.TOP_UP_EXTERNAL);
                })
                .isEqualTo(ledger.find("external:stripe:pi_1"));
        assertThat(ledger.findAwaiting("external:stripe:pi_2")).as("an id never used").isEmpty();
        assertThat(reason(ledger.transfer("refund-1", BOB, AccountId.EXTERNAL_CLEARING, 500,
                TransferKind.EXTERNAL_REFUND))).isEqualTo(Reason.INSUFFICIENT_FUNDS);
        assertThat(ledger.findAwaiting("refund-1")).as("an id refused, which recorded nothing").isEmpty();
    }

    @Test
    void failuresStickToTheirId() {
        Instant deadline = in(Duration.ofMinutes(10));
        assertThat(reason(ledger.hold("gen_1", ALICE, AccountId.REVENUE, 100, TransferKind.GENERATION, deadline)))
                .isEqualTo(Reason.INSUFFICIENT_FUNDS);
        topUp(ALICE, 1_000, "t1");
        assertThat(reason(ledger.hold("gen_1", ALICE, AccountId.REVENUE, 100, TransferKind.GENERATION, deadline)))
                .isEqualTo(Reason.ID_ALREADY_FAILED);
        assertThat(ledger.hold("gen_2", ALICE, AccountId.REVENUE, 100, TransferKind.GENERATION, deadline)
                .succeeded()).isTrue();
    }

    /**
     * Invariant 9 for a hold's outcome: a post or a void refused because its hold was not there (not made yet, or
     * under another id) stays refused under its id once the hold exists. Answered afresh, a post retried under its old
     * id charges a hold its first try had given up on; the hold waits for a post or void under a new id.
     */
    @Test
    void aPostOrVoidRefusedForWantOfItsHoldStaysRefusedOnceTheHoldIsMade() {
        assertThat(reason(ledger.post("p-early", "gen_1", 300))).isEqualTo(Reason.HOLD_NOT_FOUND);
        assertThat(reason(ledger.voidHold("v-early", "gen_1"))).isEqualTo(Reason.HOLD_NOT_FOUND);
        topUp(ALICE, 1_000, "t1");
        assertThat(ledger.hold("gen_1", ALICE, AccountId.REVENUE, 300, TransferKind.GENERATION,
                in(Duration.ofMinutes(10))).succeeded()).isTrue();

        // the failure was kept before the hold's accounts were known: refused as failed, or as other fields
        assertThat(reason(ledger.post("p-early", "gen_1", 300))).as("the post retried under its old id")
                .isIn(Reason.ID_ALREADY_FAILED, Reason.EXISTS_WITH_DIFFERENT_FIELDS);
        assertThat(reason(ledger.voidHold("v-early", "gen_1"))).as("the void retried under its old id")
                .isIn(Reason.ID_ALREADY_FAILED, Reason.EXISTS_WITH_DIFFERENT_FIELDS);
        assertThat(ledger.find("p-early")).isEmpty();
        assertThat(ledger.find("v-early")).isEmpty();
        assertThat(ledger.holdState("gen_1")).contains(HoldState.PENDING);
        assertThat(ledger.balance(ALICE).debitsPending()).isEqualTo(300);
        assertThat(ledger.balance(AccountId.REVENUE).creditsPosted()).isZero();

        assertThat(ledger.post("p-new", "gen_1", 300).succeeded()).as("a new id").isTrue();
        assertThat(ledger.holdState("gen_1")).contains(HoldState.POSTED);
        assertThat(Reconciliation.check(ledger)).isEmpty();
    }

    @Test
    void invalidRequestsAreRejected() {
        assertThat(reason(ledger.transfer("a", AccountId.STARS_CLEARING, ALICE, 0, TransferKind.TOP_UP_STARS)))
                .isEqualTo(Reason.INVALID_AMOUNT);
        assertThat(reason(ledger.transfer("b", AccountId.STARS_CLEARING, ALICE, -5, TransferKind.TOP_UP_STARS)))
                .isEqualTo(Reason.INVALID_AMOUNT);
        assertThat(reason(ledger.transfer("c", ALICE, ALICE, 5, TransferKind.GRANT))).isEqualTo(Reason.SAME_ACCOUNT);
        assertThat(reason(ledger.post("d", "no-such-hold", 5))).isEqualTo(Reason.HOLD_NOT_FOUND);
        assertThat(reason(ledger.voidHold("e", "no-such-hold"))).isEqualTo(Reason.HOLD_NOT_FOUND);
        assertThat(ledger.accounts()).isEmpty();
    }

    @Test
    void systemAccountsMayGoNegativeButWalletsMayNot() {
        assertThat(ledger.transfer("g1", AccountId.PROMO_EXPENSE, ALICE, 5_000, TransferKind.WELCOME_BONUS)
                .succeeded()).isTrue();
        assertThat(ledger.balance(AccountId.PROMO_EXPENSE).posted()).isEqualTo(-5_000);
    }

    @Test
    void randomSequencesKeepEveryInvariant() {
        for (long seed = 1; seed <= 5; seed++) {
            setUpLedger();
            runRandom(new Random(seed), 300, "s" + seed + "-");
            assertThat(Reconciliation.check(ledger)).as("seed %d", seed).isEmpty();
        }
    }

    @Test
    void concurrentOperationsKeepEveryInvariant() throws Exception {
        int threads = 16;
        int perThread = concurrentOperations() / threads;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                fs.add(pool.submit(() -> runRandom(new Random(seed), perThread, "c" + seed + "-")));
            }
            for (Future<?> f : fs) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(Reconciliation.check(ledger)).isEmpty();
    }

    @Test
    void concurrentHoldsOverTheBalanceOnlyTheFittingOnesSucceed() throws Exception {
        topUp(ALICE, 1_000, "t1");
        int threads = 20;
        AtomicInteger ok = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String id = "gen_" + i;
                fs.add(pool.submit(() -> {
                    if (ledger.hold(id, ALICE, AccountId.REVENUE, 100, TransferKind.GENERATION,
                            in(Duration.ofMinutes(5))).succeeded()) {
                        ok.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ok.get()).isEqualTo(10);
        assertThat(ledger.balance(ALICE).available()).isZero();
        assertThat(Reconciliation.check(ledger)).isEmpty();
    }

    /**
     * Random top-ups, holds, posts (full and partial), voids, replays and expiries on four wallets. Refusals are part
     * of the mix: the caller checks the invariants afterwards ({@code Reconciliation.check}).
     *
     * @param rnd        the operations' source: the same seed makes the same sequence
     * @param operations how many to make
     * @param prefix     starts every transfer id made, so that sequences run side by side never share an id
     */
    protected void runRandom(Random rnd, int operations, String prefix) {
        AccountId[] wallets = {ALICE, BOB, AccountId.wallet(1003), AccountId.wallet(1004)};
        List<String> holds = new ArrayList<>();
        List<Long> amounts = new ArrayList<>();
        for (int i = 0; i < operations; i++) {
            AccountId w = wallets[rnd.nextInt(wallets.length)];
            int op = rnd.nextInt(10);
            String id = prefix + i;
            if (op < 2) {
                ledger.transfer(id, AccountId.STARS_CLEARING, w, 1 + rnd.nextInt(500), TransferKind.TOP_UP_STARS);
            } else if (op < 5) {
                long amount = 1L + rnd.nextInt(200);
                if (ledger.hold(id, w, AccountId.REVENUE, amount, TransferKind.GENERATION,
                        clock.instant().plusSeconds(rnd.nextInt(600))).succeeded()) {
                    holds.add(id);
                    amounts.add(amount);
                }
            } else if (op < 7 && !holds.isEmpty()) {
                int k = rnd.nextInt(holds.size());
                long amt = rnd.nextBoolean() ? amounts.get(k) : rnd.nextInt((int) (long) amounts.get(k) + 1);
                ledger.post("post-" + id, holds.get(k), amt);
            } else if (op < 8 && !holds.isEmpty()) {
                ledger.voidHold("void-" + id, holds.get(rnd.nextInt(holds.size())));
            } else if (op < 9 && !holds.isEmpty()) {
                // a replay of an existing hold with the same and with different fields
                int k = rnd.nextInt(holds.size());
                ledger.post("post-replay-" + holds.get(k), holds.get(k), amounts.get(k));
                ledger.post("post-replay-" + holds.get(k), holds.get(k), 0);
            } else {
                ledger.expire(clock.instant().plusSeconds(rnd.nextInt(600)), 5);
            }
        }
    }

    /**
     * Why the ledger refused a request; fails the test when it did not refuse.
     *
     * @param r the ledger's answer
     * @return its refusal's reason
     */
    protected static Reason reason(LedgerResult r) {
        assertThat(r).isInstanceOf(LedgerResult.Rejected.class);
        return ((LedgerResult.Rejected) r).reason();
    }
}
