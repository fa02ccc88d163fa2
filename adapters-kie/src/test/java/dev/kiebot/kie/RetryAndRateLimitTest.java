package dev.kiebot.kie;

import static dev.kiebot.kie.KieTestSupport.config;
import static dev.kiebot.kie.KieTestSupport.provider;
import static dev.kiebot.kie.KieTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitPermit;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.kie.fake.FakeKieServer.Endpoint;
import dev.kiebot.kie.fake.FakeKieServer.Reply;
import dev.kiebot.kie.fake.KieTestModels;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetryAndRateLimitTest {
    private FakeKieServer kie;
    private KieProvider provider;

    @BeforeEach
    void start() {
        kie = FakeKieServer.start();
        provider = provider(config(kie).submitAttempts(3).readAttempts(3).build());
    }

    @AfterEach
    void stop() {
        kie.close();
    }

    private String submit() throws ProviderException {
        return provider.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox")));
    }

    @Test
    void createTaskTimingOutAfterSendingIsNeverSentTwice() {
        KieProvider slow = provider(config(kie).requestTimeout(Duration.ofMillis(300)).submitAttempts(5).build());
        kie.enqueue(Endpoint.CREATE_TASK, Reply.ok("{\"code\":200,\"msg\":\"success\",\"data\":{\"taskId\":\"late\"}}")
                .after(Duration.ofSeconds(5)));
        assertThatThrownBy(() -> slow.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox"))))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT);
                    assertThat(e.mayHaveReachedProvider()).isTrue();
                });
        assertThat(kie.count(Endpoint.CREATE_TASK)).isEqualTo(1);
    }

    @Test
    void createTaskServerErrorIsNotRetried() {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.error(500, "boom"));
        assertThatThrownBy(this::submit).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.SERVER);
            assertThat(e.mayHaveReachedProvider()).isTrue();
        });
        assertThat(kie.count(Endpoint.CREATE_TASK)).isEqualTo(1);
    }

    @Test
    void createTaskMalformedAnswerIsNotRetried() {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.raw(200, "text/html", "<html></html>"));
        assertThatThrownBy(this::submit).isInstanceOf(ProviderException.class);
        assertThat(kie.count(Endpoint.CREATE_TASK)).isEqualTo(1);
    }

    @Test
    void createTaskRejectedUnprocessedIsRetried() throws Exception {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.error(429, "Rate limit exceeded"), Reply.bodyError(455, "maintenance"));
        assertThat(submit()).isEqualTo("fake-task-1");
        assertThat(kie.count(Endpoint.CREATE_TASK)).isEqualTo(3);
    }

    @Test
    void createTaskRetriesAreBounded() {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.error(429, "a"), Reply.bodyError(455, "b"), Reply.error(429, "c"),
                Reply.error(429, "d"));
        assertThatThrownBy(this::submit).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
            assertThat(e.mayHaveReachedProvider()).isFalse();
        });
        assertThat(kie.count(Endpoint.CREATE_TASK)).isEqualTo(3);
    }

    /**
     * 433, a sub-key's own usage cap, is not tried again: it stays until the account's owner raises the cap, so the
     * order is refused at once (and the shop pauses orders and tells the admins) rather than sent again until its
     * deadline. Kie made no task, so nothing is to be reconciled.
     */
    @Test
    void createTaskOverTheKeysOwnLimitIsNotRetried() {
        kie.enqueue(Endpoint.CREATE_TASK, Reply.error(433, "sub-key usage exceeded its limit"));
        assertThatThrownBy(this::submit).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.KEY_LIMIT);
            assertThat(e.mayHaveReachedProvider()).isFalse();
        });
        assertThat(kie.count(Endpoint.CREATE_TASK)).isEqualTo(1);
    }

    @Test
    void statusReadsRetryRetryableErrors() throws Exception {
        String id = submit();
        kie.enqueue(Endpoint.RECORD_INFO, Reply.error(500, "x"), Reply.raw(200, "text/html", "<html/>"));
        assertThat(provider.status(KieTestModels.nanoBanana(), id)).isInstanceOf(TaskStatus.Queued.class);
        assertThat(kie.count(Endpoint.RECORD_INFO)).isEqualTo(3);
    }

    @Test
    void statusReadsRetryAfterATimeout() throws Exception {
        KieProvider slow = provider(config(kie).requestTimeout(Duration.ofMillis(300)).build());
        String id = submit();
        kie.enqueue(Endpoint.RECORD_INFO, Reply.ok("{}").after(Duration.ofSeconds(5)));
        assertThat(slow.status(KieTestModels.nanoBanana(), id)).isInstanceOf(TaskStatus.Queued.class);
        assertThat(kie.count(Endpoint.RECORD_INFO)).isEqualTo(2);
    }

    /**
     * The job worker's read is one exchange: its next scheduled read is the retry. Three attempts of a read that hung
     * held the worker for about 91 s, every other user's job behind it.
     */
    @Test
    void theWorkersStatusReadIsOneAttempt() throws Exception {
        KieProvider slow = provider(config(kie).requestTimeout(Duration.ofMillis(300)).readAttempts(3).build());
        String id = submit();
        kie.enqueue(Endpoint.RECORD_INFO, Reply.ok("{}").after(Duration.ofSeconds(5)));
        assertThatThrownBy(() -> slow.statusOnce(KieTestModels.nanoBanana(), id))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT));
        assertThat(kie.count(Endpoint.RECORD_INFO)).isEqualTo(1);
        kie.enqueue(Endpoint.RECORD_INFO, Reply.error(500, "x"));
        assertThatThrownBy(() -> provider.statusOnce(KieTestModels.nanoBanana(), id))
                .isInstanceOf(ProviderException.class);
        assertThat(kie.count(Endpoint.RECORD_INFO)).isEqualTo(2);
        assertThat(provider.statusOnce(KieTestModels.nanoBanana(), id)).isInstanceOf(TaskStatus.Queued.class);
    }

    @Test
    void statusReadsDoNotRetryPermanentErrors() {
        kie.enqueue(Endpoint.RECORD_INFO, Reply.error(401, "no"));
        assertThatThrownBy(() -> provider.status(KieTestModels.nanoBanana(), "t"))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.AUTH));
        assertThat(kie.count(Endpoint.RECORD_INFO)).isEqualTo(1);
    }

    @Test
    void statusReadRetriesAreBounded() {
        kie.enqueue(Endpoint.RECORD_INFO, Reply.error(500, "1"), Reply.error(500, "2"), Reply.error(500, "3"),
                Reply.error(500, "4"));
        assertThatThrownBy(() -> provider.status(KieTestModels.nanoBanana(), "t")).isInstanceOf(ProviderException.class);
        assertThat(kie.count(Endpoint.RECORD_INFO)).isEqualTo(3);
    }

    @Test
    void creditsAndUploadsRetry() throws Exception {
        kie.enqueue(Endpoint.CREDIT, Reply.bodyError(455, "maintenance"));
        assertThat(provider.credits().orElseThrow()).isEqualByComparingTo("100000");
        assertThat(kie.count(Endpoint.CREDIT)).isEqualTo(2);

        kie.enqueue(Endpoint.UPLOAD, Reply.json(500, "{\"success\":false,\"code\":500,\"msg\":\"err\"}"));
        assertThat(provider.upload(new byte[] {1, 2}, "a.png", "image/png")).contains("/files/");
        assertThat(kie.count(Endpoint.UPLOAD)).isEqualTo(2);
    }

    @Test
    void statusReadsPassTheSharedLimiter() throws Exception {
        // 2 permits per hour and no waiting: deterministic, no timing involved
        RateLimiter tight = KieRateLimits.limiter("tight", 2, Duration.ofHours(1), Duration.ZERO);
        KieProvider limited = new KieProvider(new KieClient(config(kie).build()), tight,
                KieRateLimits.limiter("free", 100, Duration.ofHours(1), Duration.ZERO));
        String id = limited.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox")));
        limited.status(KieTestModels.nanoBanana(), id);
        limited.status(KieTestModels.nanoBanana(), id);
        assertThatThrownBy(() -> limited.status(KieTestModels.nanoBanana(), id))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
                    assertThat(e.mayHaveReachedProvider()).isFalse();
                });
        assertThat(kie.count(Endpoint.RECORD_INFO)).isEqualTo(2);
    }

    @Test
    void submitsPassTheirLimiterAndAreNotSentWhenItIsExhausted() throws Exception {
        KieProvider limited = new KieProvider(new KieClient(config(kie).build()),
                KieRateLimits.limiter("free2", 100, Duration.ofHours(1), Duration.ZERO),
                KieRateLimits.limiter("tight2", 1, Duration.ofHours(1), Duration.ZERO));
        limited.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox")));
        assertThatThrownBy(() -> limited.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox"))))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
                    assertThat(e.mayHaveReachedProvider()).isFalse();
                });
        assertThat(kie.count(Endpoint.CREATE_TASK)).isEqualTo(1);
    }

    /** A provider whose createTask limiter gives {@code permits} per hour and never waits: no timing involved. */
    private KieProvider submitsLimitedTo(String name, int permits) {
        return new KieProvider(new KieClient(config(kie).build()),
                KieRateLimits.limiter(name + "-reads", 100, Duration.ofHours(1), Duration.ZERO),
                KieRateLimits.limiter(name, permits, Duration.ofHours(1), Duration.ZERO));
    }

    private static SubmitRequest withPermit(SubmitPermit permit) {
        SubmitRequest r = request(KieTestModels.nanoBanana(), Map.of("prompt", "fox"));
        return new SubmitRequest(r.model(), r.values(), r.fileUrls(), r.callbackUrl(), r.correlationId(),
                Optional.of(permit));
    }

    /**
     * The permit the shop waits for before it marks a job SUBMITTING is the limiter's: at most its limit of them per
     * window, and the createTask that carries one goes out without taking another (it waited already, the job still
     * HELD; a second wait, the job SUBMITTING, is what a kill stranded). One it did not give (another limiter's, a
     * partner wrapper's {@link SubmitPermit#UNLIMITED}), or one spent already, passes the limiter as ever.
     */
    @Test
    void thePermitWaitedForBeforeSubmittingIsTheLimitersAndSubmitTakesNoOther() throws Exception {
        KieProvider limited = submitsLimitedTo("permits3", 3);
        List<SubmitPermit> permits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            permits.add(limited.awaitSubmitPermit().orElseThrow());
        }
        assertThat(limited.awaitSubmitPermit()).as("the limit's 4th in its window").isEmpty();
        for (SubmitPermit p : permits) {
            assertThat(limited.submit(withPermit(p))).startsWith("fake-task-");
        }
        assertThat(kie.count(Endpoint.CREATE_TASK)).isEqualTo(3);

        for (SubmitRequest r : List.of(withPermit(permits.get(0)), withPermit(SubmitPermit.UNLIMITED),
                withPermit(submitsLimitedTo("other", 1).awaitSubmitPermit().orElseThrow()),
                request(KieTestModels.nanoBanana(), Map.of("prompt", "fox")))) {
            assertThatThrownBy(() -> limited.submit(r)).isInstanceOfSatisfying(ProviderException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
                assertThat(e.mayHaveReachedProvider()).isFalse();
            });
        }
        assertThat(kie.count(Endpoint.CREATE_TASK)).as("no send past the limit, whatever the path").isEqualTo(3);
    }

    /**
     * The shop's send (its request carries our permit, the job SUBMITTING) is one attempt: Kie's 429 comes back at once
     * as a refusal Kie never took, and the shop puts the job back to HELD to wait for its next permit there. Retried in
     * here after a backoff, a process killed in that backoff left the job SUBMITTING though nothing reached Kie, awaiting
     * a callback until its deadline; the retry also took a second permit, the job still SUBMITTING.
     */
    @Test
    void aPermittedSendKieRefusesIsOneAttemptAndComesBackUnsent() throws Exception {
        KieProvider two = submitsLimitedTo("permits2", 2);
        kie.enqueue(Endpoint.CREATE_TASK, Reply.error(429, "Rate limit exceeded"));
        SubmitPermit first = two.awaitSubmitPermit().orElseThrow();
        assertThatThrownBy(() -> two.submit(withPermit(first))).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
            assertThat(e.mayHaveReachedProvider()).isFalse();
        });
        assertThat(kie.count(Endpoint.CREATE_TASK)).as("no retry in here").isEqualTo(1);

        SubmitPermit second = two.awaitSubmitPermit().orElseThrow(() -> new AssertionError("no retry took it"));
        assertThat(two.submit(withPermit(second))).as("the shop's next send").isEqualTo("fake-task-1");
        assertThat(kie.count(Endpoint.CREATE_TASK)).isEqualTo(2);
    }

    /**
     * Our own limiter's refusal is told from Kie's 429: a send without our permit (a direct call) waited for the limiter
     * already, and is not retried as Kie's refusal is (backoff and ask again, three times, the wait and the backoffs
     * adding up to seconds for nothing); Kie's 429 still is.
     */
    @Test
    void ourOwnLimitsRefusalIsNotRetriedAsKiesIs() throws Exception {
        RateLimiter one = KieRateLimits.limiter("own-one", 1, Duration.ofHours(1), Duration.ZERO);
        AtomicInteger refusals = new AtomicInteger();
        one.getEventPublisher().onFailure(e -> refusals.incrementAndGet());
        KieProvider limited = new KieProvider(new KieClient(config(kie).submitAttempts(3).build()),
                KieRateLimits.limiter("own-one-reads", 100, Duration.ofHours(1), Duration.ZERO), one);
        kie.enqueue(Endpoint.CREATE_TASK, Reply.error(429, "Rate limit exceeded"));
        assertThatThrownBy(() -> limited.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox"))))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
                    assertThat(e.mayHaveReachedProvider()).isFalse();
                });
        assertThat(kie.count(Endpoint.CREATE_TASK)).as("the retry after Kie's 429 found no permit: nothing more sent")
                .isEqualTo(1);
        assertThat(refusals).as("the retry after Kie's 429 met our limit once, and stopped there").hasValue(1);

        assertThatThrownBy(() -> limited.submit(request(KieTestModels.nanoBanana(), Map.of("prompt", "fox"))))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
                    assertThat(e.mayHaveReachedProvider()).isFalse();
                    assertThat(e.getMessage()).contains("local createTask rate limit");
                });
        assertThat(refusals).as("our own refusal asked once, not retried").hasValue(2);
        assertThat(kie.count(Endpoint.CREATE_TASK)).isEqualTo(1);

        kie.enqueue(Endpoint.CREATE_TASK, Reply.error(429, "Rate limit exceeded"));
        assertThat(submit()).as("Kie's 429 is retried").isEqualTo("fake-task-1");
        assertThat(kie.count(Endpoint.CREATE_TASK)).isEqualTo(3);
    }

    /**
     * Under a queue (jobs waiting for their permits, each holding a slot ahead), a permitted send Kie refuses reserves
     * no further slot: it ends unsent at once. A retry in here once reserved a slot further ahead and dropped
     * it, a send lost to the jobs queued behind, two per 429 with three attempts, exactly under load (review M). Cycles of
     * an hour: no cycle turns during the test, the permits counted are the ones reserved.
     */
    @Test
    void aRetryUnderAQueueReservesNoSlotItWouldNotUse() throws Exception {
        RateLimiter limiter = KieRateLimits.limiter("queued", 1, Duration.ofHours(1), Duration.ofHours(10));
        KieProvider queued = new KieProvider(new KieClient(config(kie).submitAttempts(3).build()),
                KieRateLimits.limiter("queued-reads", 100, Duration.ofHours(1), Duration.ZERO), limiter);
        SubmitPermit mine = queued.awaitSubmitPermit().orElseThrow();
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.reservePermission()).as("another job queued").isPositive();
        }
        int before = limiter.getMetrics().getAvailablePermissions();
        kie.enqueue(Endpoint.CREATE_TASK, Reply.error(429, "Rate limit exceeded"));
        assertThatThrownBy(() -> queued.submit(withPermit(mine))).isInstanceOfSatisfying(ProviderException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
                    assertThat(e.mayHaveReachedProvider()).isFalse();
                });
        assertThat(kie.count(Endpoint.CREATE_TASK)).isEqualTo(1);
        assertThat(limiter.getMetrics().getAvailablePermissions()).as("no slot reserved by the retries")
                .isEqualTo(before);
    }

    @Test
    void sharedLimitersStayUnderKiesLimitsAndAreSharedPerKey() {
        KieConfig a = KieConfig.builder("key-aaaa-1111").build();
        KieConfig a2 = KieConfig.builder("key-aaaa-1111").baseUrl("https://api.kie.ai/api/v1").build();
        KieConfig b = KieConfig.builder("key-bbbb-2222").build();
        RateLimiter status = KieRateLimits.statusReads(a);
        assertThat(KieRateLimits.statusReads(a2)).isSameAs(status);
        assertThat(KieRateLimits.statusReads(b)).isNotSameAs(status);
        RateLimiterConfig c = status.getRateLimiterConfig();
        assertThat(KieRateLimits.worstCasePerSecond(c)).isLessThanOrEqualTo(10);
        assertThat(c.getLimitRefreshPeriod()).isEqualTo(Duration.ofMillis(125));
        assertThat(status.getName()).doesNotContain("key-aaaa-1111");

        RateLimiterConfig s = KieRateLimits.submits(a).getRateLimiterConfig();
        assertThat(KieRateLimits.worstCaseSubmitsPer10Seconds(s)).as("18 per 10 s, a permit spent a cycle late")
                .isEqualTo(20);
        // the most permissive allowed settings still respect Kie's 10/s and 20 per 10 s
        assertThat(KieRateLimits.worstCasePerSecond(KieRateLimits.spread(9, Duration.ofSeconds(1), Duration.ZERO)))
                .isLessThanOrEqualTo(10);
        assertThat(KieRateLimits.worstCaseSubmitsPer10Seconds(KieRateLimits.submits(
                KieConfig.builder("key-cccc-3333").submitsPer10Seconds(18).build()).getRateLimiterConfig()))
                .isLessThanOrEqualTo(20);
        assertThatThrownBy(() -> KieConfig.builder("key-cccc-3333").submitsPer10Seconds(19).build())
                .as("19 per 10 s, a permit spent a cycle late, is 21 in a window").isInstanceOf(
                        IllegalArgumentException.class);
    }

    /**
     * The worst window counted by hand: cycles of exactly 1 s, a call anywhere in its cycle (or up to a cycle after
     * it), and a spread that never fits its calls in less than its period.
     */
    @Test
    void theWorstWindowCountsEveryCycleItCanTouch() {
        RateLimiterConfig second = KieRateLimits.limiter("w1", 1, Duration.ofSeconds(1), Duration.ZERO)
                .getRateLimiterConfig();
        // a 10 s window [0.9, 10.9] touches the calls of cycles 0..10 (11), and of cycle -1 if spent a cycle late
        assertThat(KieRateLimits.worstCaseSubmitsPer10Seconds(second)).isEqualTo(12);
        assertThat(KieRateLimits.worstCasePerSecond(second)).isEqualTo(2);
        // 10 s / 18 truncated fits 18 cycles in 10 ns less than 10 s, and a window of 10 s then touches 20 + 1
        assertThat(KieRateLimits.spread(18, Duration.ofSeconds(10), Duration.ZERO).getLimitRefreshPeriod()
                .multipliedBy(18)).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(KieRateLimits.spread(9, Duration.ofSeconds(1), Duration.ZERO).getLimitRefreshPeriod()
                .multipliedBy(9)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void retryPredicates() {
        assertThat(KieProvider.retryableSubmit(new ProviderException(ErrorKind.CONNECT, "x", false))).isTrue();
        assertThat(KieProvider.retryableSubmit(new ProviderException(ErrorKind.CONNECT, "x", true))).isFalse();
        assertThat(KieProvider.retryableSubmit(new ProviderException(ErrorKind.TIMEOUT, "x", true))).isFalse();
        assertThat(KieProvider.retryableSubmit(new ProviderException(ErrorKind.INVALID_INPUT, "x", false))).isFalse();
        assertThat(KieProvider.retryableRead(new ProviderException(ErrorKind.TIMEOUT, "x", true))).isTrue();
        assertThat(KieProvider.retryableRead(new ProviderException(ErrorKind.NOT_FOUND, "x", true))).isFalse();
        assertThat(KieProvider.retryableRead(new IllegalStateException())).isFalse();
    }
}
