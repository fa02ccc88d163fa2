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
 * <p>Each limiter hands out one permit per {@code period / rate}; a window of the period can then
 * overlap at most {@code rate + 1} refresh cycles, so with the defaults (8/s, 18 per 10 s) no window
 * ever sees more than 9 reads per second or 19 creations per 10 s.
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

    /** {@code rate} calls per {@code period}, spread evenly: 1 permit every {@code period / rate}. */
    public static RateLimiterConfig spread(int rate, Duration period, Duration wait) {
        if (rate < 1) {
            throw new IllegalArgumentException("rate must be >= 1");
        }
        return RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(period.dividedBy(rate))
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

    /** Calls per second this limiter lets through at most in any one-second window. */
    public static int worstCasePerSecond(RateLimiterConfig c) {
        long periodNanos = c.getLimitRefreshPeriod().toNanos();
        long cycles = Duration.ofSeconds(1).toNanos() / periodNanos + 1;
        return (int) (cycles * c.getLimitForPeriod());
    }
}
