package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A Stars payment whose transaction failed once for a reason that is not the payment's (a lost connection, a
 * deadlock past the transaction's retries): {@code serve} throws it on with no apology and nothing given up, and the
 * payment served again is credited once. {@code LostConnectionTest} and {@code ContendedTransactionTest} run it.
 */
final class PaymentServedAgain {
    private PaymentServedAgain() {
    }

    /**
     * Serves {@code user}'s payment of a 50-Stars invoice on an instance whose first ledger transfer throws
     * {@code failure}, which {@code kind} must recognise, then serves it again.
     */
    static void isCreditedOnce(ShopHarness h, long user, long updateId, String charge, RuntimeException failure,
                               Predicate<Throwable> kind) {
        String payload = h.invoiceFor50Stars(user);
        h.messenger.drain();
        Shop failingOnce = h.anotherInstance(s -> s.withLedger(failingOnce(s.ledger(),
                new AtomicReference<>(failure))));
        Incoming paid = new Incoming(updateId, ShopHarness.actor(user, "en"),
                new Event.SuccessfulPayment(charge, payload, "XTR", 50));

        assertThatThrownBy(() -> failingOnce.storefront().serve(paid))
                .satisfies(e -> assertThat(kind.test(e)).isTrue());
        h.deliver();
        assertThat(h.messenger.drain()).as("no apology, no «not credited»").isEmpty();
        assertThat(h.stores.payments().uncredited(charge)).as("not given up").isEmpty();
        assertThat(h.balance(user)).isZero();

        failingOnce.storefront().serve(paid); // the platform's re-delivery, or the inbox's later claim
        h.deliver();
        assertThat(h.messenger.drain()).filteredOn(r -> r.chatId() == user)
                .anySatisfy(r -> assertThat(((Reply.SendText) r).text()).contains("Balance topped up"));
        assertThat(h.stores.ledger().transfers(AccountId.wallet(user)))
                .filteredOn(t -> t.kind() == TransferKind.TOP_UP_STARS).singleElement()
                .satisfies(t -> assertThat(t.amount()).isEqualTo(h.balance(user)).isPositive());
        assertThat(h.stores.payments().uncredited(charge)).isEmpty();
    }

    /** The ledger over {@code ledger}, whose first transfer throws {@code failure}. */
    static Ledger failingOnce(Ledger ledger, AtomicReference<RuntimeException> failure) {
        return new ForwardingLedger(ledger) {
            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind) {
                RuntimeException e = failure.getAndSet(null);
                if (e != null) {
                    throw e;
                }
                return super.transfer(id, debit, credit, amount, kind);
            }
        };
    }
}
