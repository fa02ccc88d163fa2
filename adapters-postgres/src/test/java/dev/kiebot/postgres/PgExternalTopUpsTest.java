package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Balance;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.pacing.BotPacing;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.payments.ExternalCredit;
import dev.kiebot.core.payments.ExternalPayment;
import dev.kiebot.core.payments.ExternalRefund;
import dev.kiebot.core.payments.ExternalReversal;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.FakeFiles;
import dev.kiebot.core.testing.ForwardingPendingReplies;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingCharts;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.core.testing.ScriptedStarsRefunds;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partner's payments credited through {@code ExternalTopUps} on the real PostgreSQL: the credit, its audit line and
 * the user's notice commit together or not at all, reports of one payment racing each other credit it once, and the
 * ledger's kind for them is in the schema. The same for a payment given back: its reversal commits whole or leaves
 * nothing (not even the ledger's refusal of a wallet that had nothing left), and racing reports take it back once.
 */
class PgExternalTopUpsTest {
    /** Each task on a thread of its own: the common pool has one worker on two cores, and these tasks block. */
    private static final Executor ELSEWHERE = task -> new Thread(task, "elsewhere").start();

    private static final long ANN = 6_120_001;
    private static final long BOB = 6_120_002;
    private static final long ADMIN = 6_120_099;
    private static final String CREDIT_ID = "external:stripe:pi_1";
    private static final String REFUND_ID = "external-refund:stripe:pi_1";
    private static final ExternalRefund ANNS_REFUND = new ExternalRefund("stripe", "pi_1", ANN);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T12:00:00Z"));
    private final RecordingMessenger messenger = new RecordingMessenger();
    private final AtomicBoolean outboxDown = new AtomicBoolean();
    private Stores stores;
    private Shop shop;

    @BeforeEach
    void emptyDatabase() {
        Stores pg = TestDatabase.emptyStores(clock);
        stores = pg.withPendingReplies(new ForwardingPendingReplies(pg.pendingReplies()) {
            @Override
            public void append(List<Outgoing> replies, Instant now) {
                if (outboxDown.get()) {
                    throw new IllegalStateException("outbox unavailable");
                }
                super.append(replies, now);
            }
        }, pg.transactions());
        shop = shopOn(stores);
        for (long user : List.of(ANN, BOB, ADMIN)) {
            stores.users().seen(user, "U" + user, Optional.empty(), Optional.of("ru"), clock.instant());
        }
    }

    private Shop shopOn(Stores on) {
        return Shop.builder().catalog(TestCatalog.catalog())
                .pricing(dev.kiebot.core.catalog.Pricing.defaults()).stores(on).messenger(messenger)
                .provider(new ScriptedProvider()).files(new FakeFiles()).starsRefunds(new ScriptedStarsRefunds())
                .charts(new RecordingCharts()).clock(clock).freeDailyLimit(FreeTier.DEFAULT_DAILY_LIMIT)
                .settings(ShopSettings.defaults().withAdmission(AdmissionPolicy.off()).withAdmins(Set.of(ADMIN)))
                .chatPacing(new ChatPacing(Duration.ZERO, 1)).botPacing(BotPacing.unlimited()).build();
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(stores.ledger())).isEmpty();
    }

    private static ExternalPayment annPays(long amount) {
        return new ExternalPayment("stripe", "pi_1", ANN, amount);
    }

    private long balance(long user) {
        return stores.ledger().balance(AccountId.wallet(user)).available();
    }

    /** Ann's payment credited, and {@code spent} of it spent on generations; nobody told of anything yet. */
    private void annPaidAndSpent(long spent) {
        assertThat(shop.externalTopUps().credit(annPays(50_000))).isInstanceOf(ExternalCredit.Credited.class);
        if (spent > 0) {
            assertThat(stores.ledger().transfer("spent", AccountId.wallet(ANN), AccountId.REVENUE, spent,
                    TransferKind.GENERATION).succeeded()).isTrue();
        }
        delivered();
    }

    private List<Reply> delivered() {
        shop.sender().drain(100);
        return messenger.drain();
    }

    @Test
    void aCreditWhoseNoticeCannotBeQueuedLeavesNothingAndIsCreditedWhenReportedAgain() {
        outboxDown.set(true);
        assertThatThrownBy(() -> shop.externalTopUps().credit(annPays(50_000)))
                .hasStackTraceContaining("outbox unavailable");
        assertThat(stores.ledger().find(CREDIT_ID)).as("rolled back with its notice").isEmpty();
        assertThat(stores.audit().byCorrelation(CREDIT_ID)).isEmpty();
        assertThat(balance(ANN)).isZero();

        outboxDown.set(false);
        assertThat(shop.externalTopUps().credit(annPays(50_000)))
                .isEqualTo(new ExternalCredit.Credited(annPays(50_000), 50_000));
        assertThat(stores.ledger().find(CREDIT_ID)).get().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(TransferKind.TOP_UP_EXTERNAL);
            assertThat(t.debit()).isEqualTo(AccountId.EXTERNAL_CLEARING);
        });
        assertThat(stores.audit().byCorrelation(CREDIT_ID)).extracting(AuditEvent::action)
                .containsExactly("topup.external");
        assertThat(delivered()).singleElement().satisfies(r -> {
            assertThat(r.chatId()).isEqualTo(ANN);
            assertThat(((Reply.SendText) r).text()).startsWith("✅ Баланс пополнен: +500\u00A0₽");
        });
    }

    @Test
    void aCreditInsideThePartnersTransactionIsUndoneWithIt() {
        assertThatThrownBy(() -> stores.transactions().inOne(() -> {
            assertThat(shop.externalTopUps().credit(annPays(50_000))).isInstanceOf(ExternalCredit.Credited.class);
            throw new IllegalStateException("the partner's own record of the payment failed");
        })).hasMessageContaining("partner's own record");
        assertThat(stores.ledger().find(CREDIT_ID)).isEmpty();
        assertThat(stores.audit().byCorrelation(CREDIT_ID)).isEmpty();
        assertThat(delivered()).isEmpty();
    }

    @Test
    void reportsOfOnePaymentRacingEachOtherCreditItOnce() throws Exception {
        int reports = 8;
        ExecutorService pool = Executors.newFixedThreadPool(reports);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ExternalCredit>> results = new ArrayList<>();
            for (int i = 0; i < reports; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return shop.externalTopUps().credit(annPays(50_000));
                }));
            }
            start.countDown();
            List<ExternalCredit> outcomes = new ArrayList<>();
            for (Future<ExternalCredit> f : results) {
                outcomes.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(outcomes).filteredOn(ExternalCredit.Credited.class::isInstance).hasSize(1);
            assertThat(outcomes).filteredOn(ExternalCredit.AlreadyCredited.class::isInstance).hasSize(reports - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(balance(ANN)).isEqualTo(50_000);
        assertThat(stores.audit().byCorrelation(CREDIT_ID)).hasSize(1);
        assertThat(delivered()).as("the user is told once").hasSize(1);
    }

    /**
     * A report in the payment's own currency racing its first, converted credit: it read the ledger while the credit
     * was not committed, found no credit and was refused as {@code WRONG_CURRENCY}, the admins told «not credited» of
     * money the wallet got a moment later (and one who credited it by hand credited it twice). It now waits for the
     * credit's transaction and answers as after it: the same payment credited before with another amount.
     */
    @Test
    void aReportInItsOwnCurrencyRacingTheFirstConvertedCreditIsNotRefusedAsNotCredited() throws Exception {
        CountDownLatch credited = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        CompletableFuture<ExternalCredit> converted = CompletableFuture.supplyAsync(() -> stores.transactions()
                .inOne(() -> {
                    ExternalCredit c = shop.externalTopUps().credit(annPays(50_000));
                    credited.countDown();
                    try {
                        // the other report's answer, before this commits, is what it decided without it
                        answered.await(2, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return c;
                }), ELSEWHERE);
        assertThat(credited.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<ExternalCredit> inEuros = CompletableFuture.supplyAsync(() -> {
            try {
                return shop.externalTopUps().credit(annPays(540).in("EUR"));
            } finally {
                answered.countDown();
            }
        }, ELSEWHERE);

        assertThat(converted.get(30, TimeUnit.SECONDS)).isInstanceOf(ExternalCredit.Credited.class);
        assertThat(inEuros.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(ExternalCredit.Refused.class,
                r -> assertThat(r.reason()).as("as when reported after it").isEqualTo(
                        ExternalCredit.Reason.CONFLICTING_PAYMENT));
        assertThat(balance(ANN)).isEqualTo(50_000);
        assertThat(stores.audit().byCorrelation(CREDIT_ID)).extracting(AuditEvent::action)
                .containsExactly("topup.external", "topup.external_conflict");
    }

    @Test
    void theSameIdForAnotherUserIsRefusedAndTheRefusalIsKept() {
        shop.externalTopUps().credit(annPays(50_000));
        delivered();

        ExternalCredit refused = shop.externalTopUps().credit(new ExternalPayment("stripe", "pi_1", BOB, 50_000));

        assertThat(refused).isInstanceOfSatisfying(ExternalCredit.Refused.class,
                r -> assertThat(r.reason()).isEqualTo(ExternalCredit.Reason.CONFLICTING_PAYMENT));
        assertThat(balance(BOB)).isZero();
        assertThat(balance(ANN)).isEqualTo(50_000);
        assertThat(stores.audit().byCorrelation(CREDIT_ID)).extracting(AuditEvent::action)
                .containsExactly("topup.external", "topup.external_conflict");
        assertThat(delivered()).singleElement().satisfies(r -> assertThat(r.chatId()).isEqualTo(ADMIN));
        assertThat(stores.figures().dashboard(clock.instant(), clock.instant().minus(Duration.ofHours(1)))
                .external7d().count()).isEqualTo(1);
    }
    @Test
    void aRefundWhoseNoticeCannotBeQueuedLeavesNothingAndIsTakenWhenReportedAgain() {
        annPaidAndSpent(0);
        outboxDown.set(true);
        assertThatThrownBy(() -> shop.externalTopUps().refunded(ANNS_REFUND))
                .hasStackTraceContaining("outbox unavailable");
        assertThat(stores.ledger().find(REFUND_ID)).as("rolled back with its notice").isEmpty();
        assertThat(stores.audit().byCorrelation(CREDIT_ID)).extracting(AuditEvent::action)
                .containsExactly("topup.external");
        assertThat(balance(ANN)).isEqualTo(50_000);

        outboxDown.set(false);
        assertThat(shop.externalTopUps().refunded(ANNS_REFUND))
                .isEqualTo(new ExternalReversal.TakenBack(ANNS_REFUND, 50_000, 0, 0));
        assertThat(stores.ledger().find(REFUND_ID)).get().satisfies(t -> {
            assertThat(t.kind()).isEqualTo(TransferKind.EXTERNAL_REFUND);
            assertThat(t.debit()).isEqualTo(AccountId.wallet(ANN));
            assertThat(t.credit()).isEqualTo(AccountId.EXTERNAL_CLEARING);
        });
        assertThat(stores.audit().byCorrelation(CREDIT_ID)).extracting(AuditEvent::action)
                .containsExactly("topup.external", "topup.external_refund");
        assertThat(delivered()).singleElement().satisfies(r -> {
            assertThat(r.chatId()).isEqualTo(ANN);
            assertThat(((Reply.SendText) r).text()).startsWith("↩️ Платёж на 500\u00A0₽");
        });
    }

    /**
     * With nothing left the ledger's refusal is what keeps a later report from taking money paid in since: rolled
     * back, it must go with the rest, or the report made again would find the id used and take nothing.
     */
    @Test
    void aRefundThatFoundNothingLeftAndFailedLeavesNotEvenTheLedgersRefusal() {
        annPaidAndSpent(50_000);
        outboxDown.set(true);
        assertThatThrownBy(() -> shop.externalTopUps().refunded(ANNS_REFUND))
                .hasStackTraceContaining("outbox unavailable");
        assertThat(stores.audit().byCorrelation(CREDIT_ID)).hasSize(1);

        outboxDown.set(false);
        assertThat(stores.ledger().transfer("stars:later", AccountId.STARS_CLEARING, AccountId.wallet(ANN), 10_000,
                TransferKind.TOP_UP_STARS).succeeded()).isTrue();
        assertThat(shop.externalTopUps().refunded(ANNS_REFUND)).as("the wallet as it is now")
                .isEqualTo(new ExternalReversal.TakenBack(ANNS_REFUND, 10_000, 40_000, 0));
        assertThat(delivered()).extracting(Reply::chatId).containsExactlyInAnyOrder(ANN, ADMIN);
    }

    @Test
    void aRefundInsideThePartnersTransactionIsUndoneWithIt() {
        annPaidAndSpent(0);
        assertThatThrownBy(() -> stores.transactions().inOne(() -> {
            assertThat(shop.externalTopUps().refunded(ANNS_REFUND)).isInstanceOf(ExternalReversal.TakenBack.class);
            throw new IllegalStateException("the partner's own record of the refund failed");
        })).hasMessageContaining("partner's own record");
        assertThat(stores.ledger().find(REFUND_ID)).isEmpty();
        assertThat(balance(ANN)).isEqualTo(50_000);
        assertThat(stores.audit().byCorrelation(CREDIT_ID)).hasSize(1);
        assertThat(delivered()).isEmpty();
    }

    /**
     * Ann's generation takes money on another thread after the refund read her balance: the refund, asking for what
     * is no longer there, fails whole, and the report made again takes what is left then.
     */
    @Test
    void aWalletSpentFromWhileTheRefundReadItIsTakenFromAsItIsWhenReportedAgain() {
        annPaidAndSpent(0);
        AtomicBoolean spendMeanwhile = new AtomicBoolean(true);
        Shop racing = shopOn(stores.withLedger(new ForwardingLedger(stores.ledger()) {
            @Override
            public Balance balance(AccountId account) {
                Balance read = real.balance(account);
                if (account.equals(AccountId.wallet(ANN)) && spendMeanwhile.getAndSet(false)) {
                    assertThat(CompletableFuture.supplyAsync(() -> real.hold("gen_meanwhile", account,
                            AccountId.REVENUE, 10_000, TransferKind.GENERATION, clock.instant().plusSeconds(600)), ELSEWHERE)
                            .join().succeeded()).isTrue();
                }
                return read;
            }
        }));

        assertThatThrownBy(() -> racing.externalTopUps().refunded(ANNS_REFUND))
                .hasMessageContaining("the wallet changed meanwhile");
        assertThat(stores.ledger().find(REFUND_ID)).isEmpty();
        assertThat(stores.audit().byCorrelation(CREDIT_ID)).hasSize(1);

        assertThat(racing.externalTopUps().refunded(ANNS_REFUND))
                .isEqualTo(new ExternalReversal.TakenBack(ANNS_REFUND, 40_000, 10_000, 0));
        assertThat(stores.ledger().balance(AccountId.wallet(ANN)).debitsPending()).as("the generation's hold")
                .isEqualTo(10_000);
        assertThat(stores.ledger().voidHold("void:gen_meanwhile", "gen_meanwhile").succeeded()).isTrue();
    }

    @Test
    void reportsOfOneRefundRacingEachOtherTakeItBackOnce() throws Exception {
        annPaidAndSpent(20_000);
        List<ExternalReversal> outcomes = race(8);
        assertThat(outcomes).filteredOn(ExternalReversal.TakenBack.class::isInstance)
                .containsExactly(new ExternalReversal.TakenBack(ANNS_REFUND, 30_000, 20_000, 0));
        assertThat(outcomes).filteredOn(ExternalReversal.AlreadyTakenBack.class::isInstance).hasSize(7)
                .allSatisfy(o -> assertThat(o).isEqualTo(new ExternalReversal.AlreadyTakenBack(ANNS_REFUND, 30_000)));
        assertThat(balance(ANN)).isZero();
        assertThat(stores.audit().byCorrelation(CREDIT_ID)).extracting(AuditEvent::action)
                .containsExactly("topup.external", "topup.external_refund");
        assertThat(delivered()).as("Ann and the admin, once each").extracting(Reply::chatId)
                .containsExactlyInAnyOrder(ANN, ADMIN);
    }

    @Test
    void reportsOfOneRefundRacingEachOtherOverAnEmptyWalletAreToldOnce() throws Exception {
        annPaidAndSpent(50_000);
        List<ExternalReversal> outcomes = race(8);
        assertThat(outcomes).filteredOn(ExternalReversal.TakenBack.class::isInstance)
                .containsExactly(new ExternalReversal.TakenBack(ANNS_REFUND, 0, 50_000, 0));
        assertThat(outcomes).filteredOn(ExternalReversal.AlreadyTakenBack.class::isInstance).hasSize(7);
        assertThat(stores.audit().byCorrelation(CREDIT_ID)).extracting(AuditEvent::action)
                .containsExactly("topup.external", "topup.external_refund");
        assertThat(delivered()).extracting(Reply::chatId).containsExactlyInAnyOrder(ANN, ADMIN);
    }

    /**
     * Two refunds of part of Ann's payment, together more than it (a provider's mistake), each read what was left of it
     * before the other took anything: the wallet's row lets one take back at a time, and the second sees the first and
     * takes nothing; reported again, it takes what was left. The payment's refunds never take more than it credited.
     */
    @Test
    void refundsOfPartRacingEachOtherNeverTakeBackMoreThanThePayment() throws Exception {
        annPaidAndSpent(0);
        assertThat(shop.externalTopUps().credit(new ExternalPayment("stripe", "pi_2", ANN, 100_000)))
                .isInstanceOf(ExternalCredit.Credited.class);
        CountDownLatch bothRead = new CountDownLatch(2);
        Shop racing = shopOn(stores.withLedger(new ForwardingLedger(stores.ledger()) {
            @Override
            public dev.kiebot.core.ledger.LedgerResult transfer(String id, AccountId debit, AccountId credit,
                                                                long amount, TransferKind kind) {
                if (id.startsWith(REFUND_ID + " ") && bothRead.getCount() > 0) {
                    bothRead.countDown();
                    try {
                        assertThat(bothRead.await(30, TimeUnit.SECONDS)).as("the other refund read too").isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return super.transfer(id, debit, credit, amount, kind);
            }
        }));
        ExternalRefund first = new ExternalRefund("stripe", "pi_1", "re_1", ANN, 30_000);
        ExternalRefund second = new ExternalRefund("stripe", "pi_1", "re_2", ANN, 30_000);

        CompletableFuture<ExternalReversal> one = CompletableFuture.supplyAsync(
                () -> racing.externalTopUps().refunded(first), ELSEWHERE);
        CompletableFuture<ExternalReversal> two = CompletableFuture.supplyAsync(
                () -> racing.externalTopUps().refunded(second), ELSEWHERE);
        List<Object> outcomes = new ArrayList<>();
        for (CompletableFuture<ExternalReversal> f : List.of(one, two)) {
            outcomes.add(f.handle((r, e) -> r != null ? r : e.getCause()).get(30, TimeUnit.SECONDS));
        }
        ExternalReversal firstAgain = shop.externalTopUps().refunded(first);
        ExternalReversal secondAgain = shop.externalTopUps().refunded(second);

        assertThat(outcomes).filteredOn(ExternalReversal.TakenBack.class::isInstance).singleElement()
                .satisfies(o -> assertThat(((ExternalReversal.TakenBack) o).taken()).isEqualTo(30_000));
        assertThat(outcomes).filteredOn(IllegalStateException.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((Exception) e).getMessage()).contains("report it again"));
        assertThat(List.of(firstAgain, secondAgain)).as("reported again: the loser takes what was left")
                .containsExactlyInAnyOrder(new ExternalReversal.AlreadyTakenBack(
                                outcomes.get(0) instanceof ExternalReversal.TakenBack ? first : second, 30_000),
                        new ExternalReversal.TakenBack(outcomes.get(0) instanceof ExternalReversal.TakenBack
                                ? second : first, 20_000, 0, 100_000));
        assertThat(balance(ANN)).isEqualTo(100_000);
        assertThat(stores.ledger().transfers(AccountId.wallet(ANN)).stream()
                .filter(t -> t.kind() == TransferKind.EXTERNAL_REFUND).mapToLong(t -> t.amount()).sum())
                .isEqualTo(50_000);
    }

    /** A refund of part of a payment, its repeat and another refund of it, on PostgreSQL's ledger and audit. */
    @Test
    void refundsOfPartAreTakenBackOnceEachByTheirRefundIds() {
        annPaidAndSpent(0);
        ExternalRefund five = new ExternalRefund("stripe", "pi_1", "re_1", ANN, 5_000);

        assertThat(shop.externalTopUps().refunded(five))
                .isEqualTo(new ExternalReversal.TakenBack(five, 5_000, 0, 45_000));
        assertThat(shop.externalTopUps().refunded(five))
                .isEqualTo(new ExternalReversal.AlreadyTakenBack(five, 5_000));
        ExternalRefund rest = new ExternalRefund("stripe", "pi_1", "re_2", ANN, 45_000);
        assertThat(shop.externalTopUps().refunded(rest)).isEqualTo(new ExternalReversal.TakenBack(rest, 45_000, 0, 0));
        assertThat(shop.externalTopUps().refunded(ANNS_REFUND))
                .isEqualTo(new ExternalReversal.AlreadyTakenBack(ANNS_REFUND, 0));
        assertThat(stores.ledger().find(REFUND_ID + " re_1")).get().extracting(t -> t.amount()).isEqualTo(5_000L);
        assertThat(stores.audit().byCorrelation(CREDIT_ID)).extracting(AuditEvent::detail).containsExactly(
                "stripe pi_1 -> 50000", "stripe pi_1: refund re_1 of 5000, took back 5000",
                "stripe pi_1: refund re_2 of 45000, took back 45000");
        assertThat(delivered()).extracting(Reply::chatId).containsExactly(ANN, ANN);
    }

    private List<ExternalReversal> race(int reports) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(reports);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ExternalReversal>> results = new ArrayList<>();
            for (int i = 0; i < reports; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return shop.externalTopUps().refunded(ANNS_REFUND);
                }));
            }
            start.countDown();
            List<ExternalReversal> outcomes = new ArrayList<>();
            for (Future<ExternalReversal> f : results) {
                outcomes.add(f.get(30, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
