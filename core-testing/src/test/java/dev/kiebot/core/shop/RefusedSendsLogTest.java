package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitPermit;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.testing.ForwardingProvider;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A createTask the provider refuses without taking it (a 429, Kie's connection refused) is sent again every 1-15 s
 * until its deadline. Each refusal logged a WARNING, some 40 for one job through a 10-minute outage and as many for
 * every job waiting with it; now a job's spell of refusals is one WARNING at its start (the refusals after at DEBUG)
 * and one line at its end: the send taken, or given up.
 */
class RefusedSendsLogTest {
    private ShopHarness h;
    private User user;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(42, "start");
        user = h.stores.users().find(42).orElseThrow();
        h.topUp(42, 10_000);
    }

    private Job started() {
        Generations.Start s = h.shop.generations().start(user, 42,
                new Effect.StartJob("img/m9", "default", Map.of("prompt", "a cat"), Map.of(), 300, false));
        return ((Generations.Start.Started) s).job();
    }

    private Job stored(Job j) {
        return h.stores.jobs().find(j.id()).orElseThrow();
    }

    private static List<String> sendLines(List<String> lines) {
        return lines.stream().filter(l -> l.contains("createTask")).toList();
    }

    @Test
    void aSpellOfRefusedSendsIsOneWarningAndALineWhenTheProviderTakesIt() {
        h.provider.failSubmits(new ProviderException(ErrorKind.CONNECT, "connection refused", false));
        Job j = started();
        List<String> lines;
        try (LoggedLines logged = LoggedLines.recording(JobWorker.class, Level.INFO)) {
            h.work(10);
            for (int i = 0; i < 20; i++) {
                h.clock.advance(JobWorker.SUBMIT_AGAIN);
                h.work(10);
            }
            assertThat(stored(j).state()).as("sent again, not failed").isEqualTo(JobState.HELD);
            h.provider.failSubmits(null);
            h.clock.advance(JobWorker.SUBMIT_AGAIN);
            h.work(10);
            lines = sendLines(logged.lines());
        }

        assertThat(stored(j).state()).isEqualTo(JobState.SUBMITTED);
        assertThat(h.provider.submitted).hasSize(22);
        assertThat(lines).filteredOn(l -> l.startsWith("WARNING")).singleElement()
                .satisfies(l -> assertThat(l).contains(j.id().display(), "refused createTask", "connection refused"));
        assertThat(lines).filteredOn(l -> !l.startsWith("WARNING")).singleElement()
                .satisfies(l -> assertThat(l).startsWith("INFO").contains(j.id().display(),
                        "took createTask after 21 refused", "PT5M"));
        assertThat(h.shop.worker().refusedSendSpellsKept()).as("the spell over").isZero();
    }

    @Test
    void aSpellOfRefusedSendsGivenUpAtTheDeadlineIsOneWarningAtItsStartAndOneAtItsEnd() {
        h.provider.failSubmits(new ProviderException(ErrorKind.RATE_LIMITED, "429 rate limited", false));
        Job j = started();
        List<String> lines;
        try (LoggedLines logged = LoggedLines.recording(JobWorker.class, Level.INFO)) {
            for (int i = 0; i < 200 && !stored(j).state().isTerminal(); i++) {
                h.work(10);
                h.clock.advance(JobWorker.SUBMIT_AGAIN);
            }
            lines = sendLines(logged.lines());
        }

        assertThat(stored(j).state()).as("refunded at its deadline").isEqualTo(JobState.FAILED);
        assertThat(h.provider.submitted.size()).as("sent again and again").isGreaterThan(20);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("WARNING").contains(j.id().display(), "refused createTask",
                "429 rate limited");
        assertThat(lines.get(1)).startsWith("WARNING").contains(j.id().display(), "createTask given up after",
                "its deadline");
        assertThat(h.shop.worker().refusedSendSpellsKept()).as("the spell over").isZero();
        assertThat(h.balance(42)).isEqualTo(10_000);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * No permit to send in the provider's wait (Kie's rate limit busy) put the job off 15 s with an INFO line, one
     * every 15 s for every waiting job for as long as the limit stayed busy; now one line when a job's spell of waits
     * begins and one when its createTask goes.
     */
    @Test
    void aSpellOfWaitsForAPermitIsOneLineAndOneWhenTheJobIsSent() {
        java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean(true);
        Shop limited = h.anotherInstance(s -> s, b -> b.provider(new ForwardingProvider(h.provider) {
            @Override
            public Optional<SubmitPermit> awaitSubmitPermit() {
                return busy.get() ? Optional.empty() : real.awaitSubmitPermit();
            }
        }));
        Job j = started();
        List<String> lines;
        try (LoggedLines logged = LoggedLines.recording(JobWorker.class, Level.INFO)) {
            for (int i = 0; i < 20; i++) {
                limited.worker().runOnce(10);
                h.clock.advance(JobWorker.SUBMIT_AGAIN);
            }
            assertThat(stored(j).state()).as("still waiting, not failed").isEqualTo(JobState.HELD);
            busy.set(false);
            limited.worker().runOnce(10);
            lines = sendLines(logged.lines());
        }

        assertThat(stored(j).state()).isEqualTo(JobState.SUBMITTED);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("INFO").contains(j.id().display(), "no permit to send createTask");
        assertThat(lines.get(1)).startsWith("INFO").contains(j.id().display(), "after 20 waits");
    }
}
