package dev.kiebot.runtime.metrics;

import dev.kiebot.core.conversation.Incoming;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Wraps the handling of one update: counts updates by kind and records how long handling took, as a histogram,
 * for /metrics. The kind is the event's type ({@code command}, {@code callback}, {@code text}, ...), never its
 * content.
 */
public final class MeteredHandling implements Consumer<Incoming> {
    /**
     * The histogram's buckets: from a handling's usual milliseconds to the database's 15 s lock timeout and past it.
     * Micrometer's percentile histogram had 69 a kind (review L68: 207 of a scrape's 470 lines with three kinds seen,
     * 620 with all nine), a resolution no alert or dashboard reads, paid in every scrape and stored series.
     */
    static final Duration[] BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 15_000, 30_000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    private final Consumer<Incoming> handler;
    private final MeterRegistry registry;
    /**
     * The meters of each event type, made at its first update: a builder's {@code register} per update re-made the
     * meter's id and tags, the histogram's configuration and a regex for the kind, each time, for the meter the
     * registry already held (BENCHMARKS 62: code the first burst after a start spent its compiler on).
     */
    private final Map<Class<?>, KindMeters> meters = new ConcurrentHashMap<>();

    /** The two meters of one kind of update. */
    private record KindMeters(Counter handled, Timer handling) {
    }

    public MeteredHandling(Consumer<Incoming> handler, MeterRegistry registry) {
        this.handler = handler;
        this.registry = registry;
        // a meter removed from the registry (its clear(), a partner's remove through Kiebot.metrics()) is made again
        // at its next use, as the builder's register per update did, rather than counted where no scrape sees it
        registry.config().onMeterRemoved(removed -> meters.clear());
    }

    @Override
    public void accept(Incoming incoming) {
        KindMeters kind = meters.computeIfAbsent(incoming.event().getClass(), type -> meters(kindOf(incoming)));
        kind.handled().increment();
        Timer.Sample sample = Timer.start(registry);
        try {
            handler.accept(incoming);
        } finally {
            sample.stop(kind.handling());
        }
    }

    private KindMeters meters(String kind) {
        return new KindMeters(Counter.builder("kiebot.updates.handled").tag("kind", kind).register(registry),
                Timer.builder("kiebot.update.handling").tag("kind", kind).serviceLevelObjectives(BUCKETS)
                        .register(registry));
    }

    /** {@code SuccessfulPayment} → {@code successful_payment}. */
    static String kindOf(Incoming incoming) {
        String name = incoming.event().getClass().getSimpleName();
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
