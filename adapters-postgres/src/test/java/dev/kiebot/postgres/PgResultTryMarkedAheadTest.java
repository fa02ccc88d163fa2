package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.ReplySender;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A job's result whose sender died mid-call, on kiebot's PostgreSQL outbox: the mark written on the reply's row
 * before the call ({@code PgPendingReplies.tryBegins}) is what the next sender reads from its claim, the dead one's
 * memory gone with it.
 */
class PgResultTryMarkedAheadTest {
    private static final long U = 42;
    private static final String FILE = "https://files/out.png";

    /** A sender's death mid-call (a crash, a kill): not caught, nothing after the call runs. */
    private static final class SenderDied extends Error {
        SenderDied() {
            super("the sender died mid-call");
        }
    }

    /**
     * The first try reached the platform and its sender died before the answer; once the lease ended, the next try is
     * refused for sure, its upload and its link. The result may be in his chat: settled as maybe sent, charged, and
     * he is told it may not have arrived. Before, that try left no row of it, and the next one refunded the result.
     */
    @Test
    void aResultWhoseSenderDiedMidCallIsNotRefundedWhenItsNextTryIsRefused() {
        AtomicInteger mediaTries = new AtomicInteger();
        ShopHarness[] harness = new ShopHarness[1];
        MutableClock[] clock = new MutableClock[1];
        Messenger partner = r -> {
            if (r instanceof Reply.SendMedia) {
                if (mediaTries.incrementAndGet() == 1) {
                    harness[0].messenger.send(r); // the platform took it
                    throw new SenderDied();
                }
                return new Delivery.Failed("wrong type of the web page content");
            }
            if (mediaTries.get() > 1 && r instanceof Reply.SendText t && t.text().contains(FILE)) {
                return new Delivery.Failed("the link refused too");
            }
            return harness[0].messenger.send(r);
        };
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL,
                b -> b.messenger(partner).pacingClock(clock[0]), c -> {
                    clock[0] = c;
                    return TestDatabase.emptyStores(c);
                });
        harness[0] = h;
        h.startedByAdminAnd(U).topUp(U, 10_000);
        Job job = h.runningFoxImage(U);
        long charged = 10_000 - job.price();
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(List.of(FILE),
                MediaKind.PHOTO)));
        h.clock.advance(Duration.ofSeconds(5));
        assertThatThrownBy(() -> h.work(10)).isInstanceOf(SenderDied.class);

        h.clock.advance(ReplySender.LEASE);
        h.deliver();

        assertThat(mediaTries).as("tried again once the dead sender's lease ended").hasValue(2);
        assertThat(h.balance(U)).as("charged: the first try may be in his chat").isEqualTo(charged);
        assertThat(h.stores.jobs().find(job.id()).orElseThrow().state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.messenger.texts()).anyMatch(t -> t.contains(job.id().display())
                && t.contains("may not have arrived"));
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }
}
