package dev.kiebot.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A pre-checkout the webhook took with 200 just before a kill -9, handled by the next start: Telegram waits 10 s for
 * its answer from when it sent the query, then cancels the payment and refuses a later answer ("query is too old").
 * The update keeps the moment it was recorded, so a restart slower than the window (the kill -9 test's restarts took
 * 17-41 s at a load of 25) sends no answer in vain and tells the chat that the payment did not go through; a quick
 * restart answers it as usual.
 */
class PreCheckoutAfterARestartTest {
    private static final long ALICE = 7_100_001;
    private final HandlingTestBed bed = new HandlingTestBed();

    /** Alice's pre-checkout of her own 50-Star invoice, recorded by the run a kill then stopped, not handled. */
    private void aliceAsksToPay() {
        bed.stores.users().seen(ALICE, "Alice", Optional.empty(), Optional.of("en"), bed.clock.instant());
        bed.stores.payments().saveInvoice(new Invoice("topup:real", ALICE, 50, 7_500, bed.clock.instant()));
        bed.record(bed.updates.preCheckout(ALICE, "topup:real", 50));
    }

    /** The next start, {@code after} the record, handles what is waiting and sends its replies. */
    private void restartedAfter(Duration after) {
        bed.clock.advance(after);
        Shop restarted = bed.shop();
        assertThat(bed.dispatcher(restarted, bed.stores.processedUpdates()).drain()).isEqualTo(1);
        restarted.sender().drain(100);
    }

    @Test
    void aRestartPastTelegramsWindowSendsNoAnswerAndTellsTheChat() {
        aliceAsksToPay();

        restartedAfter(Duration.ofSeconds(11));

        assertThat(bed.messenger.all()).as("no answer Telegram would refuse as too old")
                .noneMatch(Reply.AnswerPreCheckout.class::isInstance);
        assertThat(bed.textsTo(ALICE)).singleElement().asString().startsWith("⚠️ The payment did not go through");
    }

    @Test
    void aRestartInsideTheWindowAnswersYes() {
        aliceAsksToPay();

        restartedAfter(Duration.ofSeconds(2));

        assertThat(bed.messenger.all()).filteredOn(Reply.AnswerPreCheckout.class::isInstance).singleElement()
                .satisfies(a -> assertThat(((Reply.AnswerPreCheckout) a).ok()).isTrue());
        assertThat(bed.textsTo(ALICE)).isEmpty();
    }
}
