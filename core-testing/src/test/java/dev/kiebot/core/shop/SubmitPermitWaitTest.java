package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitPermit;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.testing.ForwardingProvider;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The provider's rate limit is waited for while the job is still HELD ({@link GenerationProvider#awaitSubmitPermit()}),
 * before SUBMITTING: a process killed in that wait (a restart under load) leaves a job the next worker simply sends.
 * Waited for inside {@code submit}, the job SUBMITTING, a kill left it waiting for a callback Kie could never send,
 * the user's money held until the job's deadline and then refunded with a line for the operator to settle a request
 * Kie never got (review E: 13 such jobs of 361 after one kill under load).
 */
class SubmitPermitWaitTest {
    private static final String BASE = "https://bot.example/kie/callback/secret-token";
    private ShopHarness h;
    private User user;
    private final ExecutorService killed = Executors.newSingleThreadExecutor();

    @BeforeEach
    void setUp() {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL, b -> b.callbackUrl(Optional.of(BASE)));
        h.command(42, "start");
        user = h.stores.users().find(42).orElseThrow();
        h.topUp(42, 10_000);
    }

    @AfterEach
    void stop() {
        killed.shutdownNow();
    }

    private Job start() {
        return HeldCatImage.start(h, user, 42);
    }

    private Job job(Job j) {
        return h.stored(j);
    }

    private List<String> auditOf(Job j) {
        return h.stores.audit().byCorrelation(j.id().display()).stream().map(e -> e.action()).toList();
    }

    /**
     * A provider whose rate limit is busy, as Kie's under load: it waits for its permit in
     * {@link #awaitSubmitPermit()}, or, asked to send without a permit of its own, inside {@code submit} as Kie's
     * adapter did; the wait ends only when the test lets it (and gives nothing then: the process was killed).
     */
    private static final class BusyLimit extends ForwardingProvider {
        private record Own() implements SubmitPermit {
        }

        final CountDownLatch waiting = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);

        BusyLimit(GenerationProvider real) {
            super(real);
        }

        private void await() {
            waiting.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public Optional<SubmitPermit> awaitSubmitPermit() {
            await();
            return Optional.empty();
        }

        @Override
        public String submit(SubmitRequest request) throws ProviderException {
            if (!(request.permit().orElse(SubmitPermit.UNLIMITED) instanceof Own)) {
                await();
                throw new ProviderException(ErrorKind.RATE_LIMITED, "local createTask rate limit", false);
            }
            return real.submit(request);
        }
    }

    @Test
    void aJobWaitingForThePermitIsHeldAndAfterAKillIsSentNotAwaited() throws Exception {
        BusyLimit busy = new BusyLimit(h.provider);
        Shop first = h.anotherInstance(s -> s, b -> b.callbackUrl(Optional.of(BASE)).provider(busy));
        Job j = start();
        Future<Integer> pass = killed.submit(() -> first.worker().runOnce(10));
        try {
            assertThat(busy.waiting.await(30, TimeUnit.SECONDS)).as("the worker waits for the rate limit").isTrue();
            assertThat(job(j).state()).as("nothing is on its way to Kie yet").isEqualTo(JobState.HELD);

            // the process is killed in the wait; the restarted one finds the job once its lease ran out
            h.clock.advance(JobWorker.LEASE.plusSeconds(1));
            h.work(10);
            assertThat(job(j).state()).isEqualTo(JobState.SUBMITTED);
            assertThat(h.provider.submitted).hasSize(1);
            assertThat(h.provider.submitted.get(0).permit()).contains(SubmitPermit.UNLIMITED);
            assertThat(auditOf(j)).doesNotContain(JobWorker.AWAITING_CALLBACK, "gen.reconcile", "gen.failed");
            assertThat(h.balance(42)).isEqualTo(9_700);
        } finally {
            busy.released.countDown();
        }
        // the killed worker's thread, had it lived on, would not touch the job sent meanwhile
        pass.get(30, TimeUnit.SECONDS);
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTED);
        assertThat(h.provider.submitted).hasSize(1);
    }

    /**
     * No permit in the provider's wait: the job stays HELD, its money held, and is sent {@link JobWorker#SUBMIT_AGAIN}
     * later, never failed for it.
     */
    @Test
    void noPermitInTheWaitSendsTheJobLaterNotFailsIt() {
        AtomicInteger asked = new AtomicInteger();
        Shop limited = h.anotherInstance(s -> s, b -> b.callbackUrl(Optional.of(BASE))
                .provider(new ForwardingProvider(h.provider) {
                    @Override
                    public Optional<SubmitPermit> awaitSubmitPermit() {
                        return asked.getAndIncrement() == 0 ? Optional.empty() : real.awaitSubmitPermit();
                    }
                }));
        Job j = start();
        limited.worker().runOnce(10);
        assertThat(asked).hasValue(1);
        assertThat(h.provider.submitted).isEmpty();
        assertThat(job(j).state()).isEqualTo(JobState.HELD);
        assertThat(h.balance(42)).isEqualTo(9_700);

        limited.worker().runOnce(10);
        assertThat(h.provider.submitted).as("not due before SUBMIT_AGAIN").isEmpty();
        h.clock.advance(JobWorker.SUBMIT_AGAIN);
        limited.worker().runOnce(10);
        assertThat(h.provider.submitted).hasSize(1);
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTED);
        assertThat(auditOf(j)).doesNotContain("gen.failed", "gen.reconcile");
    }
    /**
     * A createTask the provider refused without taking it (a 429) is not retried inside {@code submit}, the job
     * SUBMITTING (a kill in that backoff stranded it until its deadline): the job goes back to HELD and is sent again,
     * after a new permit, {@link JobWorker#RESEND_FIRST} later while it is young, as the adapter's backoff did, where it
     * waited {@link JobWorker#SUBMIT_AGAIN}; one refused after minutes waits up to that, a quarter of its age.
     */
    @Test
    void aRefusalTheProviderNeverTookIsSentAgainAfterAPauseGrowingWithTheJobsAge() {
        Set<String> refused = ConcurrentHashMap.newKeySet();
        AtomicInteger permits = new AtomicInteger();
        Shop refusing = h.anotherInstance(s -> s, b -> b.callbackUrl(Optional.of(BASE))
                .provider(new ForwardingProvider(h.provider) {
                    @Override
                    public Optional<SubmitPermit> awaitSubmitPermit() {
                        permits.incrementAndGet();
                        return real.awaitSubmitPermit();
                    }

                    @Override
                    public String submit(SubmitRequest request) throws ProviderException {
                        if (refused.add(request.correlationId())) { // each job's first send
                            throw new ProviderException(ErrorKind.RATE_LIMITED, "429 Rate limit exceeded", false);
                        }
                        return real.submit(request);
                    }
                }));
        Job young = start();
        refusing.worker().runOnce(10);
        assertThat(job(young).state()).isEqualTo(JobState.HELD);
        assertThat(job(young).nextCheckAt()).isEqualTo(h.clock.instant().plus(JobWorker.RESEND_FIRST));
        h.clock.advance(JobWorker.RESEND_FIRST);
        refusing.worker().runOnce(10);
        assertThat(job(young).state()).as("sent again a second later").isEqualTo(JobState.SUBMITTED);
        assertThat(permits).as("each send after a permit of its own").hasValue(2);

        Job old = start();
        h.clock.advance(Duration.ofMinutes(2)); // its inputs slow, say: refused at 2 minutes of age
        refusing.worker().runOnce(10);
        assertThat(job(old).state()).isEqualTo(JobState.HELD);
        h.clock.advance(JobWorker.SUBMIT_AGAIN.minusSeconds(1));
        refusing.worker().runOnce(10);
        assertThat(job(old).state()).as("a quarter of 2 minutes, at most 15 s").isEqualTo(JobState.HELD);
        h.clock.advance(Duration.ofSeconds(1));
        refusing.worker().runOnce(10);
        assertThat(job(old).state()).isEqualTo(JobState.SUBMITTED);
        assertThat(h.provider.submitted).hasSize(2);
        assertThat(auditOf(young)).doesNotContain(JobWorker.AWAITING_CALLBACK, "gen.failed", "gen.reconcile");
        assertThat(auditOf(old)).doesNotContain(JobWorker.AWAITING_CALLBACK, "gen.failed", "gen.reconcile");
        assertThat(h.balance(42)).isEqualTo(10_000 - 2 * 300);
    }

    /**
     * A job refused at 20 s of age waits a quarter of it, 5 s: between {@link JobWorker#RESEND_FIRST} and
     * {@link JobWorker#SUBMIT_AGAIN}, where neither bound decides.
     */
    @Test
    void aRefusalAtTwentySecondsOfAgeWaitsAQuarterOfIt() {
        Job j = start();
        h.provider.failSubmits(new ProviderException(ErrorKind.RATE_LIMITED, "429 Rate limit exceeded", false));
        h.clock.advance(Duration.ofSeconds(20));
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.HELD);
        assertThat(job(j).nextCheckAt()).isEqualTo(h.clock.instant().plus(Duration.ofSeconds(5)));
    }

    /**
     * A job the provider refuses unsent again and again (a 429 for a minute: a try every 1-15 s) is sent each time
     * with its inputs as first uploaded: a refusal costs another createTask, not another download from Telegram and
     * upload to Kie of every input (review Q: 16 tries, 16 uploads of one photo).
     */
    @Test
    void aJobRefusedAgainAndAgainUploadsEachInputOnce() {
        Job j = HeldCatImage.start(h, user, 42, Map.of("image_urls", List.of("photo-1", "photo-2")));
        h.provider.failSubmits(new ProviderException(ErrorKind.RATE_LIMITED, "429 Rate limit exceeded", false));
        for (int tried = 0; tried < 6; tried++) {
            h.work(10);
            assertThat(job(j).state()).isEqualTo(JobState.HELD);
            h.clock.advance(JobWorker.SUBMIT_AGAIN);
        }
        h.provider.failSubmits(null);
        h.work(10);
        assertThat(job(j).state()).isEqualTo(JobState.SUBMITTED);
        assertThat(h.provider.submitted).hasSize(7);
        assertThat(h.provider.uploads).as("each input uploaded once").hasSize(2);
        assertThat(h.provider.submitted).allSatisfy(r -> assertThat(r.fileUrls()).isEqualTo(
                h.provider.submitted.get(0).fileUrls()));
    }
}
