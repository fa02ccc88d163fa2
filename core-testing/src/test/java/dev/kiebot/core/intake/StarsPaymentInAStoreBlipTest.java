package dev.kiebot.core.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.testing.ForwardingPendingReplies;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A store problem of under a second (the ledger and the outbox refusing writes by something neither a lost connection
 * nor a deadlock: a statement or lock timeout, say) while a Stars payment is handled: the handling fails, and its
 * apology (which keeps the payment as not credited) fails too. Its failed apologies are counted with the contention's
 * time floor ({@link Inbox#CONTENDED_FOR_MIN}), so the update stays pending past {@link Inbox#APOLOGY_TRIES_MAX} tries
 * within the same instant, and is credited at the first try after the problem. Counted with no floor, it was marked
 * done with no answer at the 4th try: the Stars taken, and nothing in the stores saying so.
 */
class StarsPaymentInAStoreBlipTest {
    private static final long U = 501;
    private final ShopHarness h = new ShopHarness().startedByAdminAnd(U);

    /** In-memory writes are not undone on a rollback: the failed apology's uncredited record refused, as a database
     *  would undo it. */
    private static dev.kiebot.core.shop.Stores withPayments(dev.kiebot.core.shop.Stores s, AtomicBoolean blip) {
        dev.kiebot.core.payments.Payments real = s.payments();
        dev.kiebot.core.payments.Payments p = (dev.kiebot.core.payments.Payments) java.lang.reflect.Proxy.newProxyInstance(
                StarsPaymentInAStoreBlipTest.class.getClassLoader(), new Class<?>[] {dev.kiebot.core.payments.Payments.class},
                (proxy, m, args) -> {
                    if (blip.get() && m.getName().equals("recordUncredited")) {
                        throw new IllegalStateException("canceling statement due to statement timeout");
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new dev.kiebot.core.shop.Stores(s.users(), s.chatStates(), s.ledger(), s.jobs(), p, s.freeUsage(),
                s.processedUpdates(), s.audit(), s.admissions(), s.broadcasts(), s.manualTopUps(),
                s.supportTickets(), s.figures(), s.pendingReplies(), s.transactions(), s.pausedModels(),
                s.externalRefundDues(), s.personalData());
    }

    @Test
    void aPaymentWhoseHandlingAndApologyFailForUnderASecondIsCreditedAfter() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        AtomicBoolean blip = new AtomicBoolean(true);
        Shop shop = h.anotherInstance(s -> withPayments(s, blip).withLedger(new ForwardingLedger(s.ledger()) {
            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind) {
                if (blip.get()) {
                    throw new IllegalStateException("canceling statement due to statement timeout");
                }
                return super.transfer(id, debit, credit, amount, kind);
            }
        }).withPendingReplies(new ForwardingPendingReplies(s.pendingReplies()) {
            @Override
            public void append(List<Outgoing> replies, Instant now) {
                if (blip.get()) {
                    throw new IllegalStateException("canceling statement due to statement timeout");
                }
                super.append(replies, now);
            }
        }, s.transactions()));
        Inbox inbox = new Inbox(shop, u -> Optional.of(new Incoming(u.updateId(), ShopHarness.actor(U, "en"),
                new Event.SuccessfulPayment("ch-blip", payload, "XTR", 50)).receivedAt(u.recordedAt())));
        inbox.record(990, U, "pay");

        for (int i = 0; i < Inbox.APOLOGY_TRIES_MAX; i++) {
            assertThatThrownBy(inbox::handleOne).isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(inbox::handleOne).as("the 4th try, the clock not moved: still pending")
                .isInstanceOf(IllegalStateException.class);
        blip.set(false); // the problem is over
        assertThat(inbox.handleWaiting()).isEqualTo(1);

        assertThat(h.stores.ledger().transfers(AccountId.wallet(U))).as("the paid Stars credited").isNotEmpty();
        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
    }
}
