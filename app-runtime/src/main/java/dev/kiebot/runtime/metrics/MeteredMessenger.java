package dev.kiebot.runtime.metrics;

import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Reply;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Counts outgoing Telegram replies by kind and outcome (sent, blocked, uncertain: Telegram may have it, failed) for /metrics. */
public final class MeteredMessenger implements Messenger {
    private final Messenger delegate;
    private final MeterRegistry registry;
    /**
     * Each reply kind's and outcome's counter, made at its first reply: a builder's {@code register} per reply
     * re-made the meter's id and sorted its tags for the counter the registry already held (BENCHMARKS 62).
     */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public MeteredMessenger(Messenger delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
        // a meter removed from the registry (its clear(), a partner's remove through Kiebot.metrics()) is made again
        // at its next use, as the builder's register per update did, rather than counted where no scrape sees it
        registry.config().onMeterRemoved(removed -> counters.clear());
    }

    @Override
    public Delivery send(Reply reply) {
        Delivery d = delegate.send(reply);
        String outcome = d instanceof Delivery.Sent ? "sent" : d instanceof Delivery.Blocked ? "blocked"
                : d instanceof Delivery.Uncertain ? "uncertain" : d instanceof Delivery.Deferred ? "deferred"
                : d instanceof Delivery.Gone ? "gone" : "failed";
        String kind = reply.getClass().getSimpleName();
        counters.computeIfAbsent(kind + ' ' + outcome, key -> Counter.builder("kiebot.replies").tag("kind", kind)
                .tag("outcome", outcome).register(registry)).increment();
        return d;
    }

    @Override
    public Optional<Duration> heldFor() {
        return delegate.heldFor();
    }
}
