package dev.kiebot.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ExternalPayment;
import dev.kiebot.core.payments.ExternalRefund;
import dev.kiebot.core.payments.ExternalRefundDue;
import dev.kiebot.core.payments.ExternalRefundDues;
import dev.kiebot.core.payments.ExternalReversal;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.shop.Upkeep;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each refund of a payment your own provider took was due ({@link ExternalRefundDues}) is kept for good: the
 * store alone (once per refund id, listed by payment), and a shop on your stores refunding payments months apart, after
 * the upkeep purged the audit trail — a payment's refunds together never give back more than it credited, each refund
 * once, also when one found the wallet short. Extend it and return your whole stores, fresh and empty, over one
 * database: the shop reads the dues beside the ledger and the audit trail.
 */
public abstract class ExternalRefundDuesContract {
    private static final long U = 42;
    /** Past {@link Upkeep#EVENT_RETENTION}: the upkeep's cleanup then purges a refund's audit line. */
    private static final Duration MONTHS_LATER = Upkeep.EVENT_RETENTION.plusDays(31);

    /** For your test class that extends it. */
    protected ExternalRefundDuesContract() {
    }

    /**
     * Fresh, empty stores, called before each test: a shop runs on them ({@code ShopHarness}).
     *
     * @param clock the shop's clock, which the ledger must read for each transfer's time: the tests move it months on
     * @return every store, empty, over one database
     */
    protected abstract Stores create(MutableClock clock);

    private ShopHarness h;

    @BeforeEach
    void aShopOnTheStores() {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL, UnaryOperator.identity(), this::create)
                .startedByAdminAnd(U);
        h.messenger.drain();
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private ExternalRefundDues dues() {
        return h.stores.externalRefundDues();
    }

    private void credit(String paymentId, long amount) {
        h.shop.externalTopUps().credit(new ExternalPayment("stripe", paymentId, U, amount));
        h.deliver();
    }

    private ExternalReversal refunded(ExternalRefund refund) {
        ExternalReversal r = h.shop.externalTopUps().refunded(refund);
        h.deliver();
        return r;
    }

    private static ExternalRefund part(String paymentId, String refundId, long amount) {
        return new ExternalRefund("stripe", paymentId, refundId, U, amount);
    }

    private static ExternalRefund whole(String paymentId) {
        return new ExternalRefund("stripe", paymentId, U);
    }

    /** The user spends {@code amount} of his balance (a generation's price). */
    private void spend(long amount) {
        assertThat(h.stores.ledger().transfer("spent-" + h.clock.instant() + "-" + amount, AccountId.wallet(U),
                AccountId.REVENUE, amount, TransferKind.GENERATION).succeeded()).isTrue();
    }

    /** Months pass and the upkeep's cleanup runs: the payment's audit lines are purged, its refunds' with them. */
    private void monthsLaterAfterTheCleanup(String creditId) {
        h.clock.advance(MONTHS_LATER);
        h.shop.upkeep().cleanup();
        assertThat(h.stores.audit().byCorrelation(creditId)).as("the audit trail of the payment is purged").isEmpty();
    }

    private long takenBackOf(String paymentId) {
        String whole = ExternalRefund.refundId("stripe", paymentId);
        return h.stores.ledger().transfers(AccountId.wallet(U)).stream()
                .filter(t -> t.kind() == TransferKind.EXTERNAL_REFUND
                        && (t.id().equals(whole) || t.id().startsWith(whole + ExternalRefund.PART)))
                .mapToLong(Transfer::amount).sum();
    }

    @Test
    void aRefundsDueIsRecordedOnceByItsRefundIdAndListedWithItsPaymentOldestFirst() {
        Instant t0 = h.clock.instant();
        ExternalRefundDue first = new ExternalRefundDue("external:stripe:pi_1", "external-refund:stripe:pi_1 re_1",
                60_000, t0);
        ExternalRefundDue rest = new ExternalRefundDue("external:stripe:pi_1", "external-refund:stripe:pi_1", 40_000,
                t0.plus(MONTHS_LATER));
        ExternalRefundDue other = new ExternalRefundDue("external:stripe:pi_2", "external-refund:stripe:pi_2 re_1",
                5_000, t0.plusSeconds(1));

        boolean recorded = h.stores.transactions().inOne(() -> dues().record(first));
        boolean again = dues().record(new ExternalRefundDue(first.creditId(), first.refundId(), 1, t0.plusSeconds(5)));
        dues().record(rest);
        dues().record(other);

        assertThat(recorded).isTrue();
        assertThat(again).as("a refund id recorded before stays as it was").isFalse();
        assertThat(dues().of("external:stripe:pi_1")).containsExactly(first, rest);
        assertThat(dues().of("external:stripe:pi_2")).containsExactly(other);
        assertThat(dues().of("external:stripe:pi_3")).isEmpty();
        h.clock.advance(MONTHS_LATER.multipliedBy(2));
        h.shop.upkeep().cleanup();
        assertThat(dues().of("external:stripe:pi_1")).as("the cleanup leaves them").containsExactly(first, rest);
    }

    /**
     * A due joins the shop's transaction: a refund rolled back (the wallet changed meanwhile, the connection lost)
     * leaves no due behind. A store that kept it would refuse every later report of that refund («recorded
     * meanwhile»), the ledger holding nothing under its id: the provider's retries would never take it back.
     */
    @Test
    void aDueRecordedInATransactionThatRollsBackIsNotKept() {
        ExternalRefundDue due = new ExternalRefundDue("external:stripe:pi_1", "external-refund:stripe:pi_1 re_1",
                60_000, h.clock.instant());
        try {
            h.stores.transactions().inOne(() -> {
                dues().record(due);
                throw new IllegalStateException("rolled back after the due was recorded");
            });
        } catch (RuntimeException expected) {
            // the transaction's failure (as thrown, or wrapped by the store), as a refund that met a changed wallet
        }
        assertThat(dues().of("external:stripe:pi_1")).as("gone with its transaction").isEmpty();
        assertThat(h.stores.transactions().inOne(() -> dues().record(due))).as("recorded by the next report").isTrue();
        assertThat(dues().of("external:stripe:pi_1")).containsExactly(due);
    }

    /**
     * A refund of part that found the wallet empty gave its money back all the same: the whole payment reported more
     * than the audit trail's retention later, its audit line purged, takes the rest of the payment, not the whole of it
     * from money the user paid in since.
     */
    @Test
    void theWholePaymentMonthsAfterARefundOfPartThatFoundNothingTakesOnlyWhatIsLeft() {
        credit("pi_1", 100_000);
        spend(100_000);
        ExternalReversal first = refunded(part("pi_1", "re_1", 60_000));
        monthsLaterAfterTheCleanup("external:stripe:pi_1");
        h.topUp(U, 100_000);

        ExternalReversal rest = refunded(whole("pi_1"));

        assertThat(first).isEqualTo(new ExternalReversal.TakenBack(part("pi_1", "re_1", 60_000), 0, 60_000, 0));
        assertThat(rest).isEqualTo(new ExternalReversal.TakenBack(whole("pi_1"), 40_000, 0, 60_000));
        assertThat(h.balance(U)).isEqualTo(60_000);
        assertThat(refunded(part("pi_1", "re_2", 1_000))).as("nothing of the payment is left")
                .isEqualTo(new ExternalReversal.AlreadyTakenBack(part("pi_1", "re_2", 1_000), 0));
        assertThat(dues().of("external:stripe:pi_1")).extracting(ExternalRefundDue::refundId, ExternalRefundDue::due)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("external-refund:stripe:pi_1 re_1", 60_000L),
                        org.assertj.core.groups.Tuple.tuple("external-refund:stripe:pi_1", 40_000L));
    }

    /** The same holds for a refund that found part of what it gave back: what it could not take still counts. */
    @Test
    void aRefundOfPartMonthsAfterOneThatFoundTheWalletShortTakesOnlyWhatIsLeft() {
        credit("pi_1", 50_000);
        spend(40_000);
        ExternalReversal first = refunded(part("pi_1", "re_1", 30_000));
        monthsLaterAfterTheCleanup("external:stripe:pi_1");
        h.topUp(U, 100_000);

        ExternalReversal second = refunded(part("pi_1", "re_2", 30_000));

        assertThat(first).isEqualTo(new ExternalReversal.TakenBack(part("pi_1", "re_1", 30_000), 10_000, 20_000, 0));
        assertThat(second).as("the 20 000 left of the payment").isEqualTo(new ExternalReversal.TakenBack(
                part("pi_1", "re_2", 30_000), 20_000, 0, 80_000));
        assertThat(refunded(whole("pi_1"))).isEqualTo(new ExternalReversal.AlreadyTakenBack(whole("pi_1"), 0));
        assertThat(h.balance(U)).isEqualTo(80_000);
    }

    /** A refund reported again, at once or months later, takes nothing more: not even from money paid in since. */
    @Test
    void theSameRefundIdTwiceTakesOnceEvenMonthsApart() {
        credit("pi_1", 50_000);
        spend(50_000);
        ExternalReversal foundNothing = refunded(part("pi_1", "re_1", 20_000));
        h.topUp(U, 100_000);
        ExternalReversal took = refunded(part("pi_1", "re_2", 10_000));
        h.messenger.drain();
        ExternalReversal atOnce = refunded(part("pi_1", "re_2", 10_000));
        monthsLaterAfterTheCleanup("external:stripe:pi_1");

        ExternalReversal firstAgain = refunded(part("pi_1", "re_1", 20_000));
        ExternalReversal secondAgain = refunded(part("pi_1", "re_2", 10_000));

        assertThat(foundNothing).isEqualTo(new ExternalReversal.TakenBack(part("pi_1", "re_1", 20_000), 0, 20_000, 0));
        assertThat(took).isEqualTo(new ExternalReversal.TakenBack(part("pi_1", "re_2", 10_000), 10_000, 0, 90_000));
        assertThat(atOnce).isEqualTo(new ExternalReversal.AlreadyTakenBack(part("pi_1", "re_2", 10_000), 10_000));
        assertThat(firstAgain).isEqualTo(new ExternalReversal.AlreadyTakenBack(part("pi_1", "re_1", 20_000), 0));
        assertThat(secondAgain).isEqualTo(new ExternalReversal.AlreadyTakenBack(part("pi_1", "re_2", 10_000), 10_000));
        assertThat(h.balance(U)).isEqualTo(90_000);
        assertThat(dues().of("external:stripe:pi_1")).hasSize(2);
        assertThat(h.messenger.drain()).as("nobody is told twice").isEmpty();
    }

    /**
     * Refunds of part, months apart and each after a cleanup, never take back more than the payment credited in all,
     * whatever else the wallet holds; nor does the whole payment after them, nor a refund of part after the whole
     * payment was given back (here when it found nothing).
     */
    @Test
    void refundsNeverTakeBackMoreThanThePaymentCreditedInAll() {
        credit("pi_1", 50_000);
        h.topUp(U, 100_000);
        ExternalReversal first = refunded(part("pi_1", "re_1", 30_000));
        monthsLaterAfterTheCleanup("external:stripe:pi_1");
        ExternalReversal second = refunded(part("pi_1", "re_2", 30_000));
        monthsLaterAfterTheCleanup("external:stripe:pi_1");
        ExternalReversal third = refunded(part("pi_1", "re_3", 1_000));
        ExternalReversal all = refunded(whole("pi_1"));

        credit("pi_2", 20_000);
        spend(h.balance(U));
        ExternalReversal wholeFoundNothing = refunded(whole("pi_2"));
        monthsLaterAfterTheCleanup("external:stripe:pi_2");
        h.topUp(U, 10_000);
        ExternalReversal partAfterWhole = refunded(part("pi_2", "re_1", 5_000));

        assertThat(first).isEqualTo(new ExternalReversal.TakenBack(part("pi_1", "re_1", 30_000), 30_000, 0, 120_000));
        assertThat(second).as("what was left of the payment").isEqualTo(new ExternalReversal.TakenBack(
                part("pi_1", "re_2", 30_000), 20_000, 0, 100_000));
        assertThat(third).isEqualTo(new ExternalReversal.AlreadyTakenBack(part("pi_1", "re_3", 1_000), 0));
        assertThat(all).isEqualTo(new ExternalReversal.AlreadyTakenBack(whole("pi_1"), 0));
        assertThat(takenBackOf("pi_1")).isEqualTo(50_000);
        assertThat(wholeFoundNothing).isEqualTo(new ExternalReversal.TakenBack(whole("pi_2"), 0, 20_000, 0));
        assertThat(partAfterWhole).isEqualTo(new ExternalReversal.AlreadyTakenBack(part("pi_2", "re_1", 5_000), 0));
        assertThat(takenBackOf("pi_2")).isZero();
        assertThat(h.balance(U)).isEqualTo(10_000);
    }
}
