package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job's refund made wholly against a Stars refund's loss (review Q1) has no {@code refund:<hold>}, only
 * {@code refund:<hold>:<loss>}: {@code UnsentResults} read the first alone, and «📤» or the list at a blocked user's
 * return sent a result whose price he had back in Stars. Both kinds of refund count now.
 */
class ResultRefundedAgainstALossTest {
    private static final long U = 42;
    private static final String CH1 = "ch-1";
    private ShopHarness h;
    private String payload;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        h.command(U, "start");
        payload = h.paid50Stars(U, CH1);
    }

    private Job droppedAtABlockAfterAHeldReport() {
        Job job = h.runningFoxImage(U);
        h.send(U, new Event.RefundedPayment(CH1, payload, "XTR", 50));
        h.deliver();
        h.messenger.drain();
        h.messenger.thenAnswer(new Delivery.Blocked());
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
        assertThat(h.stores.users().find(U).orElseThrow().blocked()).isTrue();
        h.messenger.drain();
        return job;
    }

    /** An admin's /refund wholly against the loss while he was away: at his return the result is not sent. */
    @Test
    void aResultRefundedWhollyAgainstTheLossIsNotOfferedNorSentAtHisReturn() {
        Job job = droppedAtABlockAfterAHeldReport();
        String id = job.id().display();
        h.adminConfirmed("refund", id);
        assertThat(h.stores.ledger().find(Ledger.refundId(job.holdId()))).as("no refund:<hold>").isEmpty();
        assertThat(h.balance(U)).isZero();

        List<Reply> back = h.command(U, "start");
        List<Reply> sent = h.press(U, ShopHarness.button(back, "📤 Send " + id + " again"));
        assertThat(sent).as("given back in Stars: not his to ask for").noneMatch(Reply.SendMedia.class::isInstance);
    }

    /** «📤», the file gone: refunded wholly against the loss; «📤» again sends nothing (the 404 may have passed). */
    @Test
    void aSecondPressAfterAGoneFilesRefundAgainstTheLossSendsNothing() {
        Job job = droppedAtABlockAfterAHeldReport();
        String id = job.id().display();
        List<Reply> back = h.command(U, "start");
        h.messenger.thenAnswer(new Delivery.Sent(Optional.empty(), List.of()),
                new Delivery.Sent(Optional.empty(), List.of()), new Delivery.Gone("HTTP 404"));
        h.press(U, ShopHarness.button(back, "📤 Send " + id + " again"));
        h.deliver();
        h.work(10);
        h.deliver();
        assertThat(h.stores.ledger().find(Ledger.refundId(job.holdId()))).as("no refund:<hold>").isEmpty();
        assertThat(JobRefundParts.of(h.stores.ledger(), job.holdId(), U).inStars()).as("refunded against the loss")
                .isPositive();
        h.messenger.drain();
        List<Reply> second = h.press(U, ShopHarness.button(back, "📤 Send " + id + " again"));
        h.deliver();
        assertThat(second).as("given back: sent now, he has both").noneMatch(Reply.SendMedia.class::isInstance);
    }

    /** Control: the same with a card top-up (refund:<hold> to the wallet): the second press sends nothing. */
    @Test
    void controlWalletRefundSecondPressSendsNothing() {
        h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 7_500);
        Job job = h.runningFoxImage(U);
        h.deliver();
        h.messenger.drain();
        h.messenger.thenAnswer(new Delivery.Blocked());
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
        h.messenger.drain();
        String id = job.id().display();
        List<Reply> back = h.command(U, "start");
        h.messenger.thenAnswer(new Delivery.Sent(Optional.empty(), List.of()),
                new Delivery.Sent(Optional.empty(), List.of()), new Delivery.Gone("HTTP 404"));
        h.press(U, ShopHarness.button(back, "📤 Send " + id + " again"));
        assertThat(h.stores.ledger().find(Ledger.refundId(job.holdId()))).isPresent();
        List<Reply> second = h.press(U, ShopHarness.button(back, "📤 Send " + id + " again"));
        assertThat(second).noneMatch(Reply.SendMedia.class::isInstance);
    }
}
