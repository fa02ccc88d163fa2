package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What core does once an update committed — a button's answer sent, an admin's Stars refund handed to its executor —
 * fails alone: the update committed, so it is neither apologized for (as failed, «nothing was charged») nor audited as
 * {@code update.failed}. A {@code Messenger} may throw (its javadoc allows it), and on the default executor the answer
 * ran inside the commit: its exception came out of {@code inOne} and {@code Storefront.serve} apologized to a user
 * whose order had committed with his money held, inviting a second order.
 */
class AfterCommitFailuresTest {
    private static final long U = 42;

    private final AtomicBoolean answersFail = new AtomicBoolean();
    private final AtomicBoolean refundsRefused = new AtomicBoolean();
    private final ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
            .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ManualPayments.off(),
            b -> b.messenger(this::platform).answers(Runnable::run).refundCalls(this::refundCall));

    /** The harness's messenger, except that a button's answer throws while {@link #answersFail}. */
    private Delivery platform(Reply reply) {
        if (answersFail.get() && reply instanceof Reply.AnswerCallback) {
            throw new IllegalStateException("the chat platform's client failed on answerCallbackQuery");
        }
        return h.messenger.send(reply);
    }

    /** Runs the refund call at once, or refuses it as a full pool does while {@link #refundsRefused}. */
    private void refundCall(Runnable call) {
        if (refundsRefused.get()) {
            throw new RejectedExecutionException("the refunds' queue is full");
        }
        call.run();
    }

    @Test
    void aPaidOrderWhoseButtonAnswerThrowsAfterTheCommitIsKeptAndNotApologizedFor() {
        h.topUp(U, 10_000);
        List<Reply> confirm = h.foxImageToConfirm(U);
        answersFail.set(true);

        List<Reply> replies = h.press(U, ShopHarness.button(confirm, "Generate"));

        Job job = h.lastJob(U);
        assertThat(job.state()).as("the order committed").isEqualTo(JobState.HELD);
        assertThat(h.stores.ledger().balance(AccountId.wallet(U)).debitsPending()).as("its money held")
                .isEqualTo(job.price());
        assertThat(failedUpdates()).as("no update audited as failed").isEmpty();
        String apology = h.shop.texts().get("en", dev.kiebot.core.text.Msg.ERROR_INTERNAL, "upd_");
        assertThat(replies).as("the user is not told the order failed")
                .noneMatch(r -> r instanceof Reply.SendText t && t.text().startsWith(apology.substring(0, 20)));
        assertThat(replies).as("he is told of his order: its status").isNotEmpty();
    }

    @Test
    void anAdminsStarsRefundWhoseHandOffIsRefusedIsNotApologizedForAndTheHoldEndsByItself() {
        h.paid50Stars(U, "charge-1");
        refundsRefused.set(true);

        List<Reply> replies = h.adminConfirmed("refund_stars", "charge-1");

        assertThat(failedUpdates()).as("the admin's update is not audited as failed").isEmpty();
        assertThat(replies).as("the admin is not told his command failed")
                .noneMatch(r -> r instanceof Reply.SendText t && t.text().contains("upd_"));
        assertThat(h.stores.ledger().balance(AccountId.wallet(U)).debitsPending())
                .as("the hold committed, for its deadline to return").isPositive();
    }

    private List<AuditEvent> failedUpdates() {
        return h.stores.audit().recent(1_000).stream().filter(e -> e.action().equals(Storefront.HANDLING_FAILED))
                .toList();
    }
}
