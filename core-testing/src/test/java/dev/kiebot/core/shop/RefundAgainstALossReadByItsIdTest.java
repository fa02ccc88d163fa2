package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A job's refund sent back against Stars refunds' losses ({@code refund:<hold>:<loss>}) is looked up by its id, not
 * found in the loss account's whole list, which grows with every Stars refund the shop ever had: a year's 3,305
 * losses made each charged line of a {@code /history} page 35-68 ms (review RY). The pages read the same.
 */
class RefundAgainstALossReadByItsIdTest {
    private static final long U = 42;

    /** The ledger, noting each whole read of the loss account. */
    private static final class LossAccountWatch extends ForwardingLedger {
        final List<String> wholeReads = new ArrayList<>();

        LossAccountWatch(Ledger real) {
            super(real);
        }

        @Override
        public List<Transfer> transfers(AccountId account) {
            if (account.equals(AccountId.STARS_REFUND_LOSS)) {
                wholeReads.add(new Throwable().getStackTrace()[1].toString());
            }
            return real.transfers(account);
        }

        @Override
        public List<Transfer> withIdPrefix(String idPrefix) {
            return real.withIdPrefix(idPrefix);
        }
    }

    @Test
    void historyAndFindOfAJobRefundedInStarsReadNoLossAccountWhole() {
        LossAccountWatch[] ledger = new LossAccountWatch[1];
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL,
                UnaryOperator.identity(), clock -> {
                    Stores memory = InMemoryStores.create(clock);
                    ledger[0] = new LossAccountWatch(memory.ledger());
                    return memory.withLedger(ledger[0]);
                }).startedByAdminAnd(U);
        String payload = h.paid50Stars(U, "ch-1");
        Job job = h.runningFoxImage(U);
        h.send(U, new Event.RefundedPayment("ch-1", payload, "XTR", 50)); // the job held the credit: its charge lost
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
        ledger[0].wholeReads.clear();
        h.adminConfirmed("refund", job.id().display()); // all of it back against the loss
        assertThat(h.stores.ledger().withIdPrefix(HeldStarsRefunds.lossBackId(job.holdId(), ""))).isNotEmpty();
        assertThat(ledger[0].wholeReads).as("whole reads of the loss account by /refund's confirmation and press")
                .isEmpty();

        ledger[0].wholeReads.clear();
        assertThat(lastText(h.command(U, "history"))).contains("refunded in Stars");
        assertThat(lastText(h.admin("find", job.id().display()))).contains("against the Stars refund of payment ch-1");
        assertThat(ledger[0].wholeReads).as("whole reads of the loss account").isEmpty();
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }
}
