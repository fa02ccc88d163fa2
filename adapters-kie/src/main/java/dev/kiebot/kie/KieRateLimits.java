package dev.kiebot.kie;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Process-wide rate limiters, one per API key (keyed by a fingerprint, never the key): every
 * {@link KieProvider} of the process built for the same key shares them, so all status reads
 * together stay under Kie's 10 requests/s per key, and task creations under 20 per 10 s.
 *
 * <p>Each limiter hands out one permit per refresh cycle of {@code period / rate}, rounded up so that
 * {@code rate} cycles never fit in less than the period. A read goes out in its permit's cycle, and the
 * cycles whose reads can fall in one window of the period start less than a cycle before it or inside
 * it: at most {@code rate + 1}. A createTask's permit is taken while the job is still HELD and spent by
 * {@link KieProvider#submit} after the SUBMITTING write, up to one cycle after it was given (a later
 * one is stale, see {@code KieProvider.permitted}): its cycle may start up to two cycles before the
 * window, so {@code rate + 2}. With the defaults (8/s, 18 per 10 s) no window sees more than 9 reads per
 * second ({@link #worstCasePerSecond}) or 20 creations per 10 s ({@link #worstCaseSubmitsPer10Seconds}),
 * Kie's 10 and 20; this is why {@link KieConfig} takes at most 9 and 18. Counted when the permits are
 * spent: a request then reaches Kie after the network's delay, alike for each.
 */
public final class KieRateLimits {
    private static final ConcurrentMap<String, RateLimiter> SHARED = new ConcurrentHashMap<>();

    private KieRateLimits() {
    }

    /** The shared status-read limiter of this key (created on first use with this config's rate). */
    public static RateLimiter statusReads(KieConfig config) {
        return SHARED.computeIfAbsent("kie-status-" + config.keyFingerprint(),
                name -> RateLimiter.of(name, spread(config.statusReadsPerSecond(), Duration.ofSeconds(1),
                        config.limiterWait())));
    }

    /** The shared createTask limiter of this key. */
    public static RateLimiter submits(KieConfig config) {
        return SHARED.computeIfAbsent("kie-submit-" + config.keyFingerprint(),
                name -> RateLimiter.of(name, spread(config.submitsPer10Seconds(), Duration.ofSeconds(10),
                        config.limiterWait())));
    }

    /**
     * {@code rate} calls per {@code period}, spread evenly: 1 permit every {@code period / rate}, rounded up to the
     * nanosecond (10 s / 18 truncated fits 18 cycles in 10 ns less than 10 s, and a window of 10 s then overlaps one
     * cycle more than counted).
     */
    public static RateLimiterConfig spread(int rate, Duration period, Duration wait) {
        if (rate < 1) {
            throw new IllegalArgumentException("rate must be >= 1");
        }
        return RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(ceilDiv(period.toNanos(), rate)))
                .timeoutDuration(wait)
                .build();
    }

    /** A private limiter with an explicit window (tests, special cases). */
    public static RateLimiter limiter(String name, int permits, Duration window, Duration wait) {
        return RateLimiter.of(name, RateLimiterConfig.custom()
                .limitForPeriod(permits)
                .limitRefreshPeriod(window)
                .timeoutDuration(wait)
                .build());
    }

    /** Calls per second this limiter lets through at most in any one-second window, each in its permit's cycle. */
    public static int worstCasePerSecond(RateLimiterConfig c) {
        return worstCase(c, Duration.ofSeconds(1), 0);
    }

    /**
     * createTask calls the key's limiter lets through at most in any 10 s window: a permit is spent up to one cycle
     * after it was given ({@link KieProvider#awaitSubmitPermit}), so one cycle more than a call made at once.
     */
    public static int worstCaseSubmitsPer10Seconds(RateLimiterConfig c) {
        return worstCase(c, Duration.ofSeconds(10), 1);
    }

    /**
     * The cycles whose calls can fall in a window of {@code window} start inside it or less than {@code 1 + late}
     * cycles before it: in a span of {@code window + (1 + late)} cycles, open at its start, at most
     * {@code ceil(window / cycle) + 1 + late} cycles begin.
     */
    private static int worstCase(RateLimiterConfig c, Duration window, int late) {
        long cycles = ceilDiv(window.toNanos(), c.getLimitRefreshPeriod().toNanos()) + 1 + late;
        return (int) (cycles * c.getLimitForPeriod());
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
