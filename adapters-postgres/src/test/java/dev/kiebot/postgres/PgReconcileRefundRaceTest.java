package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.payments.StarTransaction;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.postgres.testing.LockWaits;
import dev.kiebot.postgres.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Telegram's report of a refund handled at the very moment {@code /reconcile_stars} credits the same charge (the store
 * restored without it): the reconciliation has checked that no refund was reported and not yet credited when the
 * report comes, finds no charge and records it as unknown. Both went ahead: the user had the credit and his Stars
 * back. Under the charge's lock ({@code Payments.lockCharge}, taken by both first) the report waits for the credit to
 * commit and takes it back.
 */
class PgReconcileRefundRaceTest {
    private static final long U = 42;
    private static final String CH = "stxRestoredAway_0123456789";
    private ShopHarness h;

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    @Test
    void aRefundReportedWhileTheReconciliationCreditsTheChargeTakesTheCreditBack() throws Exception {
        Thread reconciler = Thread.currentThread();
        AtomicReference<Runnable> atTheCredit = new AtomicReference<>();
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL, UnaryOperator.identity(),
                clock -> {
                    Stores real = TestDatabase.emptyStores(clock);
                    return real.withPayments(pausingAtTheInvoice(real.payments(), reconciler, atTheCredit));
                }).startedByAdminAnd(U);
        String payload = h.invoiceFor50Stars(U);
        h.starTransactions.add(StarTransaction.payment(CH, U, payload, 50, h.clock.instant()));
        AtomicReference<CompletableFuture<Void>> report = new AtomicReference<>();
        // the reconciliation reads the invoice after its refund check, before it credits: the report comes then, on
        // a thread of its own (another chat's turn), and the reconciliation goes on once the report has ended or
        // waits for a lock
        atTheCredit.set(() -> {
            report.set(CompletableFuture.runAsync(() -> h.shop.storefront().serve(new Incoming(9_001,
                    ShopHarness.actor(U, "en"), new Event.RefundedPayment(CH, payload, "XTR", 50))),
                    task -> new Thread(task, "refund-report").start()));
            LockWaits.awaitDoneOrALockWait(report.get());
        });

        h.admin("reconcile_stars", "");
        report.get().get(30, TimeUnit.SECONDS);

        assertThat(h.stores.ledger().find("stars:" + CH)).as("credited by the reconciliation").isPresent();
        assertThat(h.balance(U)).as("and taken back by the report that waited for it: the Stars are his again")
                .isZero();
        assertThat(h.stores.ledger().balance(AccountId.wallet(U)).posted()).isZero();
    }

    /** Payments whose invoice read on {@code reconciler}'s thread runs {@code atTheCredit} first, once. */
    private static Payments pausingAtTheInvoice(Payments real, Thread reconciler,
                                                AtomicReference<Runnable> atTheCredit) {
        return (Payments) Proxy.newProxyInstance(Payments.class.getClassLoader(), new Class<?>[] {Payments.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("invoice") && Thread.currentThread() == reconciler) {
                        Runnable pause = atTheCredit.getAndSet(null);
                        if (pause != null) {
                            pause.run();
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
