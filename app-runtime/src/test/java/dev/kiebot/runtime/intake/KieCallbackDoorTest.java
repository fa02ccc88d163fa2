package dev.kiebot.runtime.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.kie.KieCallbacks;
import dev.kiebot.runtime.http.HttpAnswer;
import dev.kiebot.runtime.http.RequestBody;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class KieCallbackDoorTest {
    private static final String TOKEN = "kie-door-0123456789abcdef";

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> rechecked = new CopyOnWriteArrayList<>();
    private final List<String> named = new CopyOnWriteArrayList<>();
    /** What each re-check's thread had as its correlation and job ids. */
    private final List<String> cids = new CopyOnWriteArrayList<>();
    private final KieCallbackDoor door = new KieCallbackDoor(TOKEN, new KieCallbacks(Optional.empty(),
            Clock.systemUTC()), this::recheck, metrics, 1);

    private void recheck(String taskId, Optional<String> job) {
        try {
            release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        named.add(taskId + ":" + job.orElse("-"));
        cids.add(taskId + ":" + MDC.get("cid") + ":" + MDC.get("job"));
        rechecked.add(taskId);
    }

    private static RequestBody callback(String taskId) {
        return RequestBody.of(("{\"code\":200,\"msg\":\"ok\",\"data\":{\"taskId\":\"" + taskId
                + "\",\"state\":\"success\"}}").getBytes(StandardCharsets.UTF_8));
    }

    private double refused(String reason) {
        return metrics.counter("kiebot.webhook.refused", "reason", reason).count();
    }

    @AfterEach
    void close() {
        release.countDown();
        door.close();
    }

    /** Every reason is a series at 0 from the start (review L68): increase() sees no rise into a first sample. */
    @Test
    void everyRefusalReasonIsCountedFromZeroBeforeTheFirstRefusal() {
        assertThat(KieCallbackDoor.REFUSAL_REASONS).allSatisfy(reason -> assertThat(
                metrics.find("kiebot.webhook.refused").tag("reason", reason).counter()).as(reason)
                .isNotNull().extracting(c -> c.count()).isEqualTo(0.0));
    }

    @Test
    void whenEveryThreadIsBusyAndTheQueueIsFullKieHears503AndNothingIsLost() throws InterruptedException {
        assertThat(door.knock(TOKEN, callback("t1"), Map.of())).isEqualTo(new HttpAnswer(200, "success"));
        assertThat(door.knock(TOKEN, callback("t2"), Map.of())).isEqualTo(new HttpAnswer(200, "success"));
        assertThat(door.knock(TOKEN, callback("t3"), Map.of())).as("queued").isEqualTo(new HttpAnswer(200, "success"));
        assertThat(door.knock(TOKEN, callback("t4"), Map.of())).isEqualTo(new HttpAnswer(503, "busy"));
        assertThat(refused("kie_busy")).isEqualTo(1);
        assertThat(metrics.counter("kiebot.kie.callbacks").count()).as("the callbacks taken").isEqualTo(3);
        release.countDown();
        door.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (rechecked.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(rechecked).containsExactlyInAnyOrder("t1", "t2", "t3");
    }

    @Test
    void aWrongTokenOrABadBodyIsRefusedAndNothingIsRechecked() {
        assertThat(door.knock("kie-door-0123456789abcdeX", callback("t1"), Map.of()))
                .isEqualTo(new HttpAnswer(401, "unauthorized"));
        assertThat(door.knock(null, callback("t1"), Map.of()).status()).isEqualTo(401);
        assertThat(refused("kie_unauthorized")).isEqualTo(2);
        assertThat(door.knock(TOKEN, RequestBody.of("not json".getBytes(StandardCharsets.UTF_8)), Map.of()).status())
                .isEqualTo(400);
        assertThat(door.knock(TOKEN, RequestBody.of(new byte[0]), Map.of()).status()).isEqualTo(400);
        assertThat(refused("kie_rejected")).as("counted like the door's other refusals").isEqualTo(2);
        release.countDown();
        assertThat(rechecked).isEmpty();
    }

    /**
     * After a rotation of {@code KIE_CALLBACK_SECRET} Kie calls back for a task sent before with the token of before:
     * refused, a task whose send a restart cut off (its id never stored) was refunded though Kie made it. With
     * {@code KIE_CALLBACK_SECRET_PREVIOUS} both tokens open the door, and no other.
     */
    @Test
    void theTokenBeforeARotationIsLetInWhileItIsGivenAsThePreviousOne() throws InterruptedException {
        String before = "kie-door-before-the-rotation";
        KieCallbackDoor rotated = new KieCallbackDoor(TOKEN, Optional.of(before), new KieCallbacks(Optional.empty(),
                Clock.systemUTC()), (taskId, job) -> rechecked.add(taskId), metrics);
        try {
            assertThat(rotated.knock(before, Optional.of("gen_7"), callback("t-before"), Map.of()))
                    .isEqualTo(new HttpAnswer(200, "success"));
            assertThat(rotated.knock(TOKEN, callback("t-now"), Map.of())).isEqualTo(new HttpAnswer(200, "success"));
            assertThat(rotated.knock("kie-door-of-a-stranger-0123", callback("t-stranger"), Map.of()).status())
                    .isEqualTo(401);
        } finally {
            rotated.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (rechecked.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(rechecked).containsExactlyInAnyOrder("t-before", "t-now");
        assertThat(door.knock(before, callback("t-before"), Map.of()).status()).as("without it: refused")
                .isEqualTo(401);
    }

    /**
     * A previous token left set opens the door for ever: each start says it is set and to remove it once Kie's
     * callbacks use the new token. Without one, nothing is said.
     */
    @Test
    void eachStartWarnsWhileThePreviousTokenIsSet() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                KieCallbackDoor.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            new KieCallbackDoor(TOKEN, Optional.empty(), new KieCallbacks(Optional.empty(), Clock.systemUTC()),
                    (taskId, job) -> { }, metrics).close();
            assertThat(appender.list).as("none given: nothing said").isEmpty();
            new KieCallbackDoor(TOKEN, Optional.of("kie-door-before-the-rotation"), new KieCallbacks(Optional.empty(),
                    Clock.systemUTC()), (taskId, job) -> { }, metrics).close();
            assertThat(appender.list).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
                assertThat(e.getFormattedMessage()).contains("KIE_CALLBACK_SECRET_PREVIOUS", "remove it")
                        .doesNotContain("kie-door-before-the-rotation");
            });
        } finally {
            logger.detachAppender(appender);
        }
    }

    /**
     * The door is public: a stranger's body is not read at all (Javalin's limit sees only a declared length, and a
     * chunked body has none), and Kie's is read no further than a callback's size.
     */
    @Test
    void noByteIsReadBeforeTheTokenMatchedNorPastTheLimit() {
        java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
        RequestBody endless = () -> new java.io.InputStream() {
            @Override
            public int read() {
                read.incrementAndGet();
                return 'x';
            }
        };
        assertThat(door.knock("kie-door-0123456789abcdeX", endless, Map.of()).status()).isEqualTo(401);
        assertThat(read).hasValue(0);
        assertThat(door.knock(TOKEN, endless, Map.of())).isEqualTo(new HttpAnswer(413, "body too large"));
        assertThat(read.get()).isEqualTo(dev.kiebot.kie.KieCallbacks.BODY_BYTES_MAX + 1);
        assertThat(refused("kie_too_large")).isEqualTo(1);
        release.countDown();
        assertThat(rechecked).isEmpty();
    }

    @Test
    void withAnHmacKeyAnUnsignedCallbackIs401() {
        try (KieCallbackDoor signed = new KieCallbackDoor(TOKEN, new KieCallbacks(Optional.of("hmac-key-0123"),
                Clock.systemUTC()), (taskId, job) -> rechecked.add(taskId), metrics)) {
            HttpAnswer a = signed.knock(TOKEN, callback("t1"), Map.of());
            assertThat(a.status()).isEqualTo(401);
            assertThat(a.text()).contains("signature");
            assertThat(refused("kie_unsigned")).isEqualTo(1);
        }
    }

    /**
     * The job a callback's URL names goes with its task id, to be checked against Kie's own record of the task; a
     * name that cannot be a job's is not passed on, and a refused callback passes on nothing.
     */
    @Test
    void theJobTheCallbackUrlNamesGoesWithItsTask() throws InterruptedException {
        release.countDown();
        assertThat(door.knock(TOKEN, Optional.of("gen_42"), callback("t1"), Map.of()).status()).isEqualTo(200);
        assertThat(door.knock(TOKEN, Optional.of("gen_42'; drop"), callback("t2"), Map.of()).status()).isEqualTo(200);
        assertThat(door.knock(TOKEN, Optional.of("x".repeat(33)), callback("t3"), Map.of()).status()).isEqualTo(200);
        assertThat(door.knock("kie-door-0123456789abcdeX", Optional.of("gen_42"), callback("t4"), Map.of()).status())
                .isEqualTo(401);
        door.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (rechecked.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(named).containsExactlyInAnyOrder("t1:gen_42", "t2:-", "t3:-");
        // the re-check's lines carry the job the address names, else the callback's own id (review L68: none)
        assertThat(cids).containsExactlyInAnyOrder("t1:gen_42:gen_42", "t2:kie_callback:null",
                "t3:kie_callback:null");
    }
}
