package dev.kiebot.runtime.metrics;

import dev.kiebot.core.conversation.Incoming;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Wraps the handling of one update: counts updates by kind and records how long handling took, as a histogram,
 * for /metrics. The kind is the event's type ({@code command}, {@code callback}, {@code text}, ...), never its
 * content.
 */
public final class MeteredHandling implements Consumer<Incoming> {
    private final Consumer<Incoming> handler;
    private final MeterRegistry registry;

    public MeteredHandling(Consumer<Incoming> handler, MeterRegistry registry) {
        this.handler = handler;
        this.registry = registry;
    }

    @Override
    public void accept(Incoming incoming) {
        String kind = kindOf(incoming);
        Counter.builder("kiebot.updates.handled").tag("kind", kind).register(registry).increment();
        Timer timer = Timer.builder("kiebot.update.handling").tag("kind", kind).publishPercentileHistogram()
                .register(registry);
        Timer.Sample sample = Timer.start(registry);
        try {
            handler.accept(incoming);
        } finally {
            sample.stop(timer);
        }
    }

    /** {@code SuccessfulPayment} → {@code successful_payment}. */
    static String kindOf(Incoming incoming) {
        String name = incoming.event().getClass().getSimpleName();
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
