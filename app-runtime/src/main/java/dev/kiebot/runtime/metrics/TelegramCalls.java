package dev.kiebot.runtime.metrics;

import dev.kiebot.runtime.http.CallTimes;
import dev.kiebot.telegram.TelegramBots;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts every Bot API call by method and outcome, and Telegram's 429s apart, for /metrics; a good answer also
 * moves {@code /readyz}'s "last Telegram answer". Labels are Bot API method names and fixed outcomes.
 */
public final class TelegramCalls implements TelegramBots.CallObserver {
    static final int TOO_MANY_REQUESTS = 429;
    private final MeterRegistry registry;
    private final CallTimes times;
    private final Clock clock;
    /**
     * Each method's and outcome's counter, made at its first call: a builder's {@code register} per call re-made the
     * meter's id and sorted its tags for the counter the registry already held (BENCHMARKS 62). Keys are the few
     * Bot API methods the bot calls and the five outcomes.
     */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public TelegramCalls(MeterRegistry registry, CallTimes times, Clock clock) {
        this.registry = registry;
        // a meter removed from the registry (its clear(), a partner's remove through Kiebot.metrics()) is made again
        // at its next use, as the builder's register per update did, rather than counted where no scrape sees it
        registry.config().onMeterRemoved(removed -> counters.clear());
        this.times = times;
        this.clock = clock;
    }

    @Override
    public void called(String method, int httpStatus, long nanos) {
        String outcome = outcome(httpStatus);
        counters.computeIfAbsent(method + ' ' + outcome, key -> Counter.builder("kiebot.telegram.calls")
                .tag("method", method).tag("outcome", outcome).register(registry)).increment();
        if (httpStatus == TOO_MANY_REQUESTS) {
            counters.computeIfAbsent(method, key -> Counter.builder("kiebot.telegram.throttled")
                    .tag("method", method).register(registry)).increment();
        }
        if (httpStatus >= 200 && httpStatus < 300) {
            times.telegramAnswered(clock.instant());
        }
    }

    /** {@code ok}, {@code throttled} (429), {@code client_error}, {@code server_error} or {@code no_answer}. */
    static String outcome(int httpStatus) {
        if (httpStatus == 0) {
            return "no_answer";
        }
        if (httpStatus == TOO_MANY_REQUESTS) {
            return "throttled";
        }
        if (httpStatus < 300) {
            return "ok";
        }
        return httpStatus < 500 ? "client_error" : "server_error";
    }
}
