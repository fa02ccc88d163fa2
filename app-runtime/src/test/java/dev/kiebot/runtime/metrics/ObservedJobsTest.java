package dev.kiebot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.memory.InMemoryJobs;
import dev.kiebot.runtime.testing.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Every step of a generation is one log line with its job and correlation ids, and counted; its creation and its end
 * at INFO, the steps between at DEBUG (six INFO lines a generation were most of the log: review L).
 */
class ObservedJobsTest {
    private static final String LOGGER = "dev.kiebot.runtime.metrics.ObservedJobs generation ";
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ObservedJobs jobs = new ObservedJobs(new InMemoryJobs(), registry, clock);
    private final LogCapture logs = LogCapture.attach();
    /** Its logger at DEBUG, so the steps between are seen too; {@link #infoSteps()} are what INFO shows. */
    private final ch.qos.logback.classic.Logger logger =
            (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ObservedJobs.class);
    private final ch.qos.logback.classic.Level level = logger.getLevel();

    {
        logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
    }

    @AfterEach
    void detach() {
        logger.setLevel(level);
        logs.detach();
        MDC.clear();
    }

    private List<String> steps() {
        return logs.lines().stream().filter(l -> l.startsWith(LOGGER)).toList();
    }

    /** The steps an operator reads at the default LOG_LEVEL. */
    private List<String> infoSteps() {
        return logs.linesWithLevels().stream().filter(l -> l.startsWith("INFO " + LOGGER)).toList();
    }

    private Job order() {
        return jobs.create(new JobDraft(42, 42, "en", "z-image", "default", Map.of("prompt", "x"), Map.of(), 63,
                false, clock.instant(), clock.instant().plus(Duration.ofMinutes(10))));
    }

    /**
     * Review L68: a job thread's lines about its job (Kie's task created, a refund, a RECONCILE warning) carried the
     * thread's {@code jobs}, not the job's id: {@code d.k.c.shop.Generations jobs - gen_5 failed (…); user ***0011
     * refunded}. The job it leased names them, and a step logged meanwhile leaves that so for the lines after it; a
     * lease on another thread (an update's) changes nothing.
     */
    @Test
    void aJobThreadsLeasedJobNamesTheLinesLoggedWhileItIsWorkedOn() {
        Job held = jobs.update(order().held()).orElseThrow();
        String id = held.id().display();
        MDC.put("cid", "upd_5001");
        assertThat(jobs.lease("w-1", clock.instant().plusSeconds(1), Duration.ofSeconds(90), 1)).hasSize(1);
        assertThat(MDC.get("cid")).isEqualTo("upd_5001");
        assertThat(MDC.get("job")).isNull();

        clock.advance(Duration.ofMinutes(2));
        MDC.put("cid", ObservedJobs.JOB_THREAD);
        assertThat(jobs.lease("w-1", clock.instant(), Duration.ofSeconds(90), 1)).hasSize(1);
        assertThat(MDC.get("cid")).isEqualTo(id);
        assertThat(MDC.get("job")).isEqualTo(id);
        assertThat(jobs.update(held.submitting())).isPresent();
        assertThat(steps()).last().asString().endsWith("HELD -> SUBMITTING (model z-image) cid " + id);
        assertThat(MDC.get("cid")).isEqualTo(id);
        assertThat(MDC.get("job")).isEqualTo(id);
    }

    @Test
    void eachChangeOfStateIsOneLineWithTheJobAndCorrelationIdsAndIsCounted() {
        MDC.put("cid", "upd_5001");
        Job created = order();
        Job held = jobs.update(created.held()).orElseThrow();
        MDC.put("cid", "jobs");
        assertThat(jobs.update(held.submitting())).isPresent();
        jobs.transition(created.id(), j -> j.state() == JobState.SUBMITTING, j -> j.submitted("task-77", j.createdAt()));
        jobs.transition(created.id(), j -> true, j -> j.checkAgainIn(clock.instant(), Duration.ofSeconds(3)));
        clock.advance(Duration.ofSeconds(8));
        jobs.transition(created.id(), j -> true, j -> j.succeeded(new JobResult(List.of("https://r/x.png"),
                MediaKind.PHOTO), clock.instant()));

        String id = created.id().display();
        assertThat(steps()).containsExactly(
                LOGGER + id + " created as CREATED (model z-image) cid upd_5001",
                LOGGER + id + " CREATED -> HELD (model z-image) cid upd_5001",
                LOGGER + id + " HELD -> SUBMITTING (model z-image) cid " + id,
                LOGGER + id + " SUBMITTING -> SUBMITTED (model z-image, Kie task task-77) cid " + id,
                LOGGER + id + " SUBMITTED -> SUCCEEDED (model z-image) cid " + id);
        assertThat(infoSteps()).as("the creation and the steps between at DEBUG").isEmpty();
        Job succeeded = jobs.find(created.id()).orElseThrow();
        assertThat(jobs.update(succeeded.delivered())).isPresent();
        assertThat(infoSteps()).as("its end, the one INFO line").containsExactly("INFO " + LOGGER + id
                + " SUCCEEDED -> DELIVERED (model z-image) cid " + id);
        assertThat(MDC.get("cid")).as("the caller's correlation id is left as it was").isEqualTo("jobs");
        assertThat(MDC.get("job")).isNull();
        assertThat(registry.get("kiebot.jobs").tag("state", "HELD").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("kiebot.generation.duration").tag("model", "z-image").tag("outcome", "succeeded")
                .timer().totalTime(TimeUnit.SECONDS)).isEqualTo(8.0);
    }

    @Test
    void aJobRefusedAtStartIsNotAGenerationThatFailed() {
        Job created = order();
        assertThat(jobs.update(created.failed("insufficient.funds"))).isPresent();

        assertThat(infoSteps()).last().asString().contains("CREATED -> FAILED (model z-image, insufficient.funds)");
        assertThat(registry.find("kiebot.generation.duration").timer()).isNull();
        assertThat(registry.get("kiebot.jobs").tag("state", "FAILED").counter().count()).isEqualTo(1.0);
    }
}
