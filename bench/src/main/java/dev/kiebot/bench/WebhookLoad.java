package dev.kiebot.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Posts updates to the webhook runner over a fixed number of concurrent keep-alive connections (one thread
 * and one {@link HttpConnection} each, like Telegram's {@code max_connections}). An update is
 * <em>accepted</em> when the runner answers 200.
 */
final class WebhookLoad {
    /** Telegram retries an update the webhook did not accept; the burst does too, a few times. */
    private static final int ATTEMPTS = 3;
    /** Exact latencies kept in the fixed-time load, over all connections. */
    private static final int LATENCY_SAMPLES_MAX = 4_000_000;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** The burst's delivery: {@code lastAcceptedNanos} is when the last update was accepted. */
    record Delivery(int accepted, int failed, long lastAcceptedNanos) {
    }

    /** The fixed-time load: {@code rejected} = answered but not 200, {@code failed} = no answer. */
    record Load(long accepted, long rejected, long failed, double seconds, Latencies latencies) {
        double acceptedPerSecond() {
            return accepted / seconds;
        }
    }

    private final WebhookEndpoint endpoint;

    WebhookLoad(WebhookEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Delivers every update once (retrying a refused one), {@code connections} at a time. */
    Delivery deliverAll(List<String> updates, int connections) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicLong lastAccepted = new AtomicLong();
        runWorkers(connections, connection -> {
            for (int i = next.getAndIncrement(); i < updates.size(); i = next.getAndIncrement()) {
                for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                    if (connection.exchange(endpoint.post(updates.get(i))) == 200) {
                        accepted.incrementAndGet();
                        lastAccepted.accumulateAndGet(System.nanoTime(), Math::max);
                        break;
                    }
                }
            }
        });
        return new Delivery(accepted.get(), updates.size() - accepted.get(), lastAccepted.get());
    }

    /** Posts {@code nextUpdate.get()} on every connection, one after the other, until {@code duration} is over. */
    Load runFor(Duration duration, int connections, Supplier<String> nextUpdate) throws InterruptedException {
        AtomicLong accepted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Latencies> perWorker = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            perWorker.add(new Latencies(LATENCY_SAMPLES_MAX / connections));
        }
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        AtomicInteger workers = new AtomicInteger();
        runWorkers(connections, connection -> {
            Latencies mine = perWorker.get(workers.getAndIncrement());
            while (System.nanoTime() < end) {
                byte[] request = endpoint.post(nextUpdate.get());
                long t = System.nanoTime();
                int status = connection.exchange(request);
                mine.add(System.nanoTime() - t);
                (status == 200 ? accepted : status < 0 ? failed : rejected).incrementAndGet();
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Load(accepted.get(), rejected.get(), failed.get(), seconds, Latencies.merge(perWorker));
    }

    /** Runs {@code body} on {@code count} threads, each with its own connection, and waits for all. */
    private void runWorkers(int count, Consumer<HttpConnection> body) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Thread t = new Thread(() -> {
                try (HttpConnection connection = new HttpConnection(endpoint.port(), REQUEST_TIMEOUT)) {
                    body.accept(connection);
                }
            }, "webhook-load-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
