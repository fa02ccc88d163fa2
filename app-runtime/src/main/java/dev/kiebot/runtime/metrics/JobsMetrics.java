package dev.kiebot.runtime.metrics;

import dev.kiebot.core.jobs.Jobs;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * {@code kiebot_jobs_check_late_seconds}: how long the earliest generation due for a check (a status read at Kie,
 * a send, its deadline's refund) has been left unchecked (0 when none is overdue). The job worker takes a due job
 * within a second or so; growing, it is not taking them — its threads held, the database away — and generations
 * stay "in progress" past their deadline, money held, neither delivered nor refunded, while {@code /readyz} is
 * 200 and no line is logged (a step is logged when it happens). Read from the database at each scrape, never
 * otherwise; NaN when the database does not answer.
 */
public final class JobsMetrics {
    private JobsMetrics() {
    }

    public static void bindTo(MeterRegistry registry, Jobs jobs, Clock clock) {
        SecondsSince.register(registry, "kiebot.jobs.check.late.seconds",
                "how long the earliest generation due for a check has been left unchecked", jobs::nextCheckAt, clock);
    }

    static double lateSeconds(Jobs jobs, Clock clock) {
        return SecondsSince.seconds(jobs::nextCheckAt, clock);
    }
}
