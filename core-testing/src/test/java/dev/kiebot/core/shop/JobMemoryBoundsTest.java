package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.JobId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A month of uptime in one pass: 100,000 jobs, each leaving its trace in the worker's per-job memory and never ended
 * by the means that forget it (another instance took it over, an admin refunded it, its deadline came): what each
 * keeps stays within its named bound. A map without one (ConnectionsPerAddress's count, review L68) is seen by no
 * shorter test.
 */
class JobMemoryBoundsTest {
    private static final int JOBS = 100_000;
    private static final Instant T0 = Instant.parse("2026-12-07T04:00:00Z");

    @Test
    void spellsOfJobsNeverEndedKeepAtMostTheirBound() {
        JobSpells spells = new JobSpells();
        for (long j = 1; j <= JOBS; j++) {
            spells.failed(new JobId(j), T0.plusSeconds(j));
        }

        assertThat(spells.kept()).isEqualTo(JobSpells.KEPT);
        assertThat(spells.end(new JobId(1))).as("the oldest dropped first").isEmpty();
        assertThat(spells.end(new JobId(JOBS))).as("the newest kept").isPresent();
    }

    @Test
    void uploadsOfJobsNeverSentAgainKeepAtMostTheirBound() {
        KeptUploads uploads = new KeptUploads();
        Map<String, List<String>> urls = Map.of("image", List.of("https://kie.example/u/1.png"));
        for (long j = 1; j <= JOBS; j++) {
            uploads.keep(new JobId(j), urls, T0); // all within UPLOADS_KEPT: none expired to make room
        }

        assertThat(uploads.of(new JobId(JobWorker.UPLOADS_KEPT_MAX), T0)).as("within the bound").isPresent();
        assertThat(uploads.of(new JobId(JobWorker.UPLOADS_KEPT_MAX + 1), T0)).as("past it: uploaded again")
                .isEmpty();
        Instant later = T0.plus(JobWorker.UPLOADS_KEPT);
        uploads.keep(new JobId(JOBS + 1), urls, later);
        assertThat(uploads.of(new JobId(JOBS + 1), later)).as("the expired make room").isPresent();
    }

    @Test
    void jobsCutOffByTheDatabaseKeepAtMostTheirBound() {
        CutOffLeases cutOff = new CutOffLeases(null, null); // neither read by cutOff
        for (long j = 1; j <= JOBS; j++) {
            cutOff.cutOff(new JobId(j));
        }

        JobId pastTheBound = new JobId(JOBS + 1);
        assertThat(cutOff.cutOff(pastTheBound)).isTrue();
        assertThat(cutOff.cutOff(pastTheBound)).as("not kept: each cut-off a first").isTrue();
        assertThat(cutOff.cutOff(new JobId(CutOffLeases.KEPT_MAX))).as("kept: a second cut-off").isFalse();
    }
}
