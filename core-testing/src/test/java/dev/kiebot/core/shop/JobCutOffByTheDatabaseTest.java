package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.jobs.ForwardingJobs;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.users.User;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * A job whose step the database cut off (a full disk refusing the post of a finished generation) is looked at again
 * soon after the database takes writes again, not when its lease runs out: a result Kie made during the outage reached
 * its user about 70 s after space was freed (review R1).
 */
class JobCutOffByTheDatabaseTest {
    private final ShopHarness h = new ShopHarness();

    @Test
    void aStepCutOffByAFullDiskHasItsLeaseEndedAtTheFirstPassThatCanWriteTheJob() {
        h.command(42, "start");
        h.topUp(42, 10_000);
        User user = h.stores.users().find(42).orElseThrow();
        AtomicBoolean full = new AtomicBoolean();
        Shop shop = h.anotherInstance(s -> s.withLedger(new ForwardingLedger(s.ledger()) {
            @Override
            public LedgerResult post(String id, String holdId, long amount) {
                refusedWhile(full);
                return super.post(id, holdId, amount);
            }
        }).withJobs(new ForwardingJobs(s.jobs()) {
            @Override
            public Optional<Job> update(Job next) {
                refusedWhile(full);
                return super.update(next);
            }
        }));
        Job job = ((Generations.Start.Started) shop.generations().start(user, 42,
                new Effect.StartJob("img/m9", "default", Map.of("prompt", "a cat"), Map.of(), 300, false))).job();
        shop.worker().runOnce(1);
        assertThat(h.stored(job).state()).isEqualTo(JobState.SUBMITTED);

        h.provider.succeed("task-1", "https://r/cat.png");
        h.clock.advance(Duration.ofSeconds(5));
        full.set(true);
        List<String> cutOff;
        try (LoggedLines lines = LoggedLines.recording(JobWorker.class, Level.WARNING)) {
            assertThat(shop.worker().runOnce(1)).as("leased, its step cut off").isEqualTo(1);
            h.clock.advance(JobWorker.RETRY);
            shop.worker().runOnce(1); // its lease cannot be ended yet
            cutOff = List.copyOf(lines.lines());
        }
        assertThat(h.stored(job).state()).isNotEqualTo(JobState.DELIVERED);
        assertThat(cutOff).as("one line for the job, not one a pass").singleElement()
                .satisfies(line -> assertThat(line).contains("cut off by the database"));

        full.set(false);
        h.clock.advance(JobWorker.RETRY);
        shop.worker().runOnce(1); // the lease ended, the job next looked at RETRY from now
        h.clock.advance(JobWorker.RETRY);
        shop.worker().runOnce(1);
        assertThat(h.stored(job).state()).as("delivered %s after its cut-off step, well within its %s lease",
                JobWorker.RETRY.multipliedBy(3), JobWorker.LEASE).isEqualTo(JobState.DELIVERED);
        h.deliver();
        assertThat(h.messenger.of(Reply.SendMedia.class))
                .extracting(Reply.SendMedia::source).containsExactly("https://r/cat.png");
    }

    private static void refusedWhile(AtomicBoolean full) {
        if (full.get()) {
            throw new IllegalStateException("the store's wrapper",
                    new SQLException("could not extend file \"base/16384/2619\": No space left on device", "53100"));
        }
    }
}
