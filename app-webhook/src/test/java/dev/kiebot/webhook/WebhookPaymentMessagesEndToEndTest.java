package dev.kiebot.webhook;

import static dev.kiebot.runtime.testing.E2eWorld.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.postgres.testing.LedgerInvariants;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.testing.CleanLogs;
import dev.kiebot.runtime.testing.E2eWorld;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeUpdates;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The message side of a payment (issue 14, finding 7) through the webhook runner: only a real payment of an invoice
 * the bot issued says «✅ Balance topped up». A non-positive amount for that invoice, the same charge delivered
 * again in a new update (Telegram re-sends, or someone replays it), and that charge id on another invoice credit
 * nothing and say nothing of the kind.
 */
@ExtendWith(CleanLogs.class)
class WebhookPaymentMessagesEndToEndTest {
    private static final long ALICE = 5_550_001;
    private static final String RECEIVED = "Balance topped up";

    private E2eWorld world;
    private FakeUpdates updates;
    private WebhookServer server;

    @BeforeEach
    void start() {
        world = new E2eWorld();
        updates = world.telegram.updates();
        server = FreePortWebhook.startRegistered(world.env(E2eWorld.with("CALLBACK_DEDUP_MS", "0")), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
        world.close();
    }

    private void deliver(String update) {
        assertThat(world.telegram.deliverToWebhook(update)).isEqualTo(200);
    }

    private void press(String label) {
        E2eWorld.Pressable b = world.button(ALICE, label);
        deliver(updates.callback(ALICE, b.messageId(), b.data()));
    }

    /** /topup → (terms) → 50 Stars: @return the payload of the invoice the bot sent. */
    private String invoiceFor50Stars() {
        int before = world.telegram.callsTo("sendInvoice").size();
        deliver(updates.command(ALICE, "topup", ""));
        if (before == 0) {
            press("I accept");
        }
        press("for 50\u00A0⭐");
        await("invoice", () -> world.telegram.callsTo("sendInvoice").size() > before);
        List<FakeTelegramServer.Call> invoices = world.telegram.callsTo("sendInvoice");
        return invoices.get(invoices.size() - 1).param("payload");
    }

    private long balance() {
        return server.bot().shop().stores().ledger().balance(AccountId.wallet(ALICE)).available();
    }

    private long received() {
        return world.telegram.textsTo(ALICE).stream().filter(t -> t.contains(RECEIVED)).count();
    }

    @Test
    void onlyTheRealPaymentSaysPaymentReceivedAndCreditsOnce() {
        deliver(updates.command(ALICE, "start", ""));
        world.awaitText(ALICE, "Balance: 1\u00A0₽");
        String invoice = invoiceFor50Stars();

        deliver(updates.successfulPayment(ALICE, invoice, 0, "charge-zero"));
        deliver(updates.successfulPayment(ALICE, invoice, -50, "charge-negative"));
        // what was not said by now is not going to be
        E2eWorld.awaitSettled("the non-positive payments", TestDatabase.jdbi());
        assertThat(received()).as("a non-positive amount says nothing of a payment").isZero();
        assertThat(balance()).isEqualTo(100);

        deliver(updates.successfulPayment(ALICE, invoice, 50, "charge-real"));
        world.awaitText(ALICE, RECEIVED);
        assertThat(balance()).isEqualTo(100 + 7_500);

        deliver(updates.successfulPayment(ALICE, invoice, 50, "charge-real"));
        String another = invoiceFor50Stars();
        deliver(updates.successfulPayment(ALICE, another, 50, "charge-real"));
        E2eWorld.awaitSettled("the replayed charge", TestDatabase.jdbi());
        assertThat(received()).as("the charge replayed in new updates is not announced again").isEqualTo(1);
        assertThat(balance()).isEqualTo(100 + 7_500);
        assertThat(Reconciliation.check(server.bot().shop().stores().ledger())).isEmpty();
        assertThat(LedgerInvariants.violations(TestDatabase.jdbi())).isEmpty();
    }
}
