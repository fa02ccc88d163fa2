package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.PollPolicy;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A partner's own poll policy that answers no delay ({@code null}) or a negative one: the job's next status read is
 * {@link JobWorker.POLICY_FALLBACK} away, not a read after every other for as long as the task runs, and the pass
 * does not fail on it.
 */
class PollPolicyAnswersTest {
    private static final long USER = 42;

    @Test
    void aPolicyAnsweringNoDelayOrANegativeOneGetsTheFallback() {
        ShopHarness h = new ShopHarness();
        AtomicInteger asked = new AtomicInteger();
        PollPolicy broken = (reads, elapsed) -> asked.getAndIncrement() == 0 ? Duration.ofSeconds(-30) : null;
        Shop shop = h.anotherInstance(UnaryOperator.identity(), b -> b.pollPolicy(broken));
        shop.storefront().serve(new Incoming(1, ShopHarness.actor(USER, "en"), new Event.Command("start", "")));
        h.topUp(USER, 10_000);
        User user = shop.stores().users().find(USER).orElseThrow();
        Job job = ((Generations.Start.Started) shop.generations().start(user, USER,
                new Effect.StartJob("img/m9", "default", Map.of("prompt", "a cat"), Map.of(), 300, false))).job();

        shop.worker().runOnce(10); // submitted: the policy answers -30 s
        Job submitted = shop.stores().jobs().find(job.id()).orElseThrow();
        assertThat(submitted.state()).isEqualTo(JobState.SUBMITTED);
        assertThat(submitted.nextCheckAt()).isEqualTo(h.clock.instant().plus(JobWorker.POLICY_FALLBACK));

        h.clock.advance(JobWorker.POLICY_FALLBACK);
        shop.worker().runOnce(10); // read, still running: the policy answers null
        Job read = shop.stores().jobs().find(job.id()).orElseThrow();
        assertThat(read.polls()).isEqualTo(submitted.polls() + 1);
        assertThat(read.nextCheckAt()).isEqualTo(h.clock.instant().plus(JobWorker.POLICY_FALLBACK));
        assertThat(asked).hasValue(2);
    }

    /**
     * A policy's delay longer than the job's whole time (created to deadline; {@code Job.lookAheadMax}) is cut to it:
     * a next read further ahead is taken for one set before the clock stepped back ({@code Job.checkDue}), and the job
     * would be read at every pass.
     */
    @Test
    void aDelayLongerThanTheJobsWholeTimeIsCutToIt() {
        ShopHarness h = new ShopHarness();
        Shop shop = h.anotherInstance(UnaryOperator.identity(), b -> b.pollPolicy(PollPolicy.every(Duration.ofDays(1))));
        shop.storefront().serve(new Incoming(1, ShopHarness.actor(USER, "en"), new Event.Command("start", "")));
        h.topUp(USER, 10_000);
        User user = shop.stores().users().find(USER).orElseThrow();
        Job job = ((Generations.Start.Started) shop.generations().start(user, USER,
                new Effect.StartJob("img/m9", "default", Map.of("prompt", "a cat"), Map.of(), 300, false))).job();

        shop.worker().runOnce(10);

        Job submitted = shop.stores().jobs().find(job.id()).orElseThrow();
        assertThat(submitted.state()).isEqualTo(JobState.SUBMITTED);
        assertThat(job.lookAheadMax()).isEqualTo(Duration.between(job.createdAt(), job.deadline()));
        assertThat(submitted.nextCheckAt()).isEqualTo(h.clock.instant().plus(job.lookAheadMax()));
        assertThat(shop.stores().jobs().lease("w", h.clock.instant().plusSeconds(1), JobWorker.LEASE, 10)).isEmpty();
    }
}
