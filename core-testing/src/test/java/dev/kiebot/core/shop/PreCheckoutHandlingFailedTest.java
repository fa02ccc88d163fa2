package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.intake.Inbox;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ForwardingPendingReplies;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * A pre-checkout whose handling fails (a store throwing: a bug, a missing table; not a lost connection, which leaves
 * the update to be handled again) is answered as a pre-checkout: ok=false with a short reason, at once after the
 * apology's commit, and nothing in the chat. Before, the user got «something went wrong» as a chat message and the
 * query was never answered, so Telegram cancelled the payment 10 s later in words of its own.
 */
class PreCheckoutHandlingFailedTest {
    private static final long U = 123_457_002L;
    private static final String QUERY = "pcq-failed";
    private static final ShopSettings SETTINGS = ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
            .withAdmission(AdmissionPolicy.off());
    private static final String REFUSAL = new Texts().get("en", Msg.PRECHECKOUT_FAILED);

    private final ShopHarness h = new ShopHarness(TestCatalog.catalog(), SETTINGS, ShopHarness.MANUAL);

    /** The shop over the same stores, its invoices' store throwing as a bug or a broken table would. */
    private Shop failingAtTheInvoice() {
        return h.anotherInstance(s -> s.withPayments(throwingAtInvoice(s.payments())));
    }

    private static Payments throwingAtInvoice(Payments real) {
        return (Payments) Proxy.newProxyInstance(PreCheckoutHandlingFailedTest.class.getClassLoader(),
                new Class<?>[] {Payments.class}, (proxy, m, args) -> {
                    if (m.getName().equals("invoice")) {
                        throw new IllegalStateException("relation \"invoices\" does not exist");
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private List<Reply.AnswerPreCheckout> answers(List<Reply> sent) {
        return sent.stream().filter(Reply.AnswerPreCheckout.class::isInstance).map(Reply.AnswerPreCheckout.class::cast)
                .toList();
    }

    private void refusedOnceAndNothingElse(List<Reply> sent, String payload) {
        assertThat(answers(sent)).singleElement().satisfies(a -> {
            assertThat(a.queryId()).isEqualTo(QUERY);
            assertThat(a.chatId()).isEqualTo(U);
            assertThat(a.ok()).isFalse();
            assertThat(a.error()).contains(REFUSAL);
        });
        assertThat(sent).as("no «something went wrong» in the chat: the payment sheet says it")
                .allMatch(Reply.AnswerPreCheckout.class::isInstance);
        assertThat(h.stores.pendingReplies().oldestWaiting()).as("nothing queued").isEmpty();
        assertThat(h.stores.pendingReplies().keptAnswers()).as("not kept for a next start").isEmpty();
        assertThat(h.balance(U)).as("nothing credited").isZero();
        // Telegram sends no successful_payment after ok=false; the invoice stays payable, so the minute's retry works
        assertThat(answers(h.send(U, new Event.PreCheckout("pcq-again", payload, "XTR", 50))))
                .singleElement().satisfies(a -> assertThat(a.ok()).isTrue());
    }

    @Test
    void servedItIsAnsweredNoAtOnceWithNoChatMessageAndLogged() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        Shop failing = failingAtTheInvoice();

        List<String> logged = LoggedLines.of(Storefront.class, Level.WARNING, () -> failing.storefront()
                .serve(new Incoming(9_101, ShopHarness.actor(U, "en"), new Event.PreCheckout(QUERY, payload, "XTR",
                        50))));
        h.deliver();

        assertThat(logged).anySatisfy(line -> assertThat(line).startsWith("WARNING upd_9101: the pre-checkout of user")
                .contains("could not be handled", "did not go through").doesNotContain(String.valueOf(U)));
        refusedOnceAndNothingElse(h.messenger.drain(), payload);
    }

    /**
     * The store that failed is the one keeping pre-checkout answers for a next start (a lock timeout on its table,
     * say): the refusal is not kept, so the apology does not meet the same failure and the user is still answered.
     */
    @Test
    void whenKeepingTheAnswerIsWhatFailedTheRefusalStillGoes() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        Shop failing = h.anotherInstance(s -> s.withPendingReplies(new ForwardingPendingReplies(s.pendingReplies()) {
            @Override
            public void keepAnswer(PendingReplies.KeptAnswer answer) {
                throw new IllegalStateException("canceling statement due to lock timeout");
            }
        }, s.transactions()));

        failing.storefront().serve(new Incoming(9_103, ShopHarness.actor(U, "en"),
                new Event.PreCheckout(QUERY, payload, "XTR", 50)));
        h.deliver();

        refusedOnceAndNothingElse(h.messenger.drain(), payload);
    }

    /** The runner's way: handled in the inbox's transaction, rolled back, apologized for in one of its own. */
    @Test
    void throughTheInboxItIsAnsweredNoOnceAndMarkedDone() {
        String payload = h.invoiceFor50Stars(U);
        h.messenger.drain();
        Inbox inbox = new Inbox(failingAtTheInvoice(), u -> Optional.of(new Incoming(u.updateId(),
                ShopHarness.actor(U, "en"), new Event.PreCheckout(QUERY, payload, "XTR", 50))
                .receivedAt(u.recordedAt())));
        inbox.record(9_102, U, "pre_checkout_query");

        assertThat(inbox.handleWaiting()).isEqualTo(1);
        h.deliver();

        assertThat(h.stores.processedUpdates().oldestPending()).isEmpty();
        refusedOnceAndNothingElse(h.messenger.drain(), payload);
    }
}
