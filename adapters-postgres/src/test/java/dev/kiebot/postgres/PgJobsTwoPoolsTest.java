package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.postgres.testing.TwoInstances;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Job leasing across two instances (two pools): never the same job twice at once; a dead one's jobs return. */
class PgJobsTwoPoolsTest extends TwoInstances {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static JobDraft draft(long user) {
        return new JobDraft(user, user, "en", "google/nano-banana", "default", Map.of("prompt", "p"), Map.of(), 100,
                false, T0, T0.plusSeconds(600));
    }

    @Test
    void workersOfTwoInstancesNeverShareAJob() throws Exception {
        PgJobs jobsA = new PgJobs(instanceA.jdbi());
        PgJobs jobsB = new PgJobs(instanceB.jdbi());
        for (int i = 0; i < 120; i++) {
            jobsA.update(jobsA.create(draft(i)).held());
        }
        List<JobId> leased = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> fs = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            PgJobs jobs = w % 2 == 0 ? jobsA : jobsB;
            String worker = "w" + w;
            fs.add(pool.submit(() -> {
                start.await();
                for (int round = 0; round < 30; round++) {
                    jobs.lease(worker, T0.plusSeconds(1), Duration.ofMinutes(1), 2).forEach(j -> leased.add(j.id()));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : fs) {
            f.get(1, TimeUnit.MINUTES);
        }
        pool.shutdown();
        assertThat(new HashSet<>(leased)).hasSize(leased.size()).hasSize(120);
    }

    @Test
    void aDeadInstancesLeasesRunOutAndItsJobsComeBack() {
        PgJobs jobsA = new PgJobs(instanceA.jdbi());
        Job job = jobsA.update(jobsA.create(draft(1)).held()).orElseThrow();
        assertThat(jobsA.lease("A", T0.plusSeconds(1), Duration.ofSeconds(30), 5)).extracting(Job::id)
                .containsExactly(job.id());
        instanceA.close(); // instance A dies holding the lease
        PgJobs jobsB = new PgJobs(instanceB.jdbi());
        assertThat(jobsB.lease("B", T0.plusSeconds(20), Duration.ofSeconds(30), 5)).isEmpty();
        assertThat(jobsB.lease("B", T0.plusSeconds(32), Duration.ofSeconds(30), 5)).extracting(Job::id)
                .containsExactly(job.id());
    }
}
