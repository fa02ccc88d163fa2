package dev.kiebot.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * How the soak's updates reach the runner, as they reach it from Telegram: POSTed to the webhook runner's
 * {@code /telegram} on {@value Webhook#CONNECTIONS} keep-alive connections, or queued in the fake Bot API for the
 * polling runner's {@code getUpdates} (as the burst hands them over, {@link UpdateQueue}). The soak's mix and its
 * readings are the same for both.
 */
sealed interface SoakIntake permits SoakIntake.Webhook, SoakIntake.Polling {

    static SoakIntake webhook(WebhookEndpoint endpoint) {
        return new Webhook(endpoint);
    }

    static SoakIntake polling(UpdateQueue updates) {
        return new Polling(updates);
    }

    /** Hands over one update (ids ascending); may wait while every connection is busy. */
    void hand(long updateId, String json) throws InterruptedException;

    /** After the last {@link #hand}: returns once every update was taken, or after {@code patience}. */
    void finish(Duration patience) throws InterruptedException;

    /** Updates the runner took: answered 200 (webhook), or confirmed by a {@code getUpdates} offset (polling). */
    long accepted();

    /** Updates the webhook runner refused or never answered; none for polling (the queue keeps them). */
    long notAccepted();

    /** POSTs on a few keep-alive connections, each its own sender thread, as Telegram delivers. */
    final class Webhook implements SoakIntake {
        static final int CONNECTIONS = 8;
        private static final Duration PATIENCE = Duration.ofSeconds(30);
        /** The end of the senders' work: an empty update. */
        private static final String DONE = "";

        private final WebhookEndpoint endpoint;
        private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(1000);
        private final List<Thread> senders = new ArrayList<>();
        private final LongAdder accepted = new LongAdder();
        private final LongAdder notAccepted = new LongAdder();

        private Webhook(WebhookEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public void hand(long updateId, String json) throws InterruptedException {
            if (senders.isEmpty()) {
                for (int i = 0; i < CONNECTIONS; i++) {
                    Thread t = new Thread(this::send, "soak-sender-" + i);
                    t.setDaemon(true);
                    t.start();
                    senders.add(t);
                }
            }
            queue.put(json);
        }

        @Override
        public void finish(Duration patience) throws InterruptedException {
            for (int i = 0; i < senders.size(); i++) {
                queue.put(DONE);
            }
            for (Thread t : senders) {
                t.join(patience.toMillis());
            }
        }

        @Override
        public long accepted() {
            return accepted.sum();
        }

        @Override
        public long notAccepted() {
            return notAccepted.sum();
        }

        private void send() {
            try (HttpConnection connection = new HttpConnection(endpoint.port(), PATIENCE)) {
                while (true) {
                    String json = queue.take();
                    if (json.isEmpty()) {
                        return;
                    }
                    (connection.exchange(endpoint.post(json)) == 200 ? accepted : notAccepted).increment();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The fake Bot API's queue, which the polling runner's long polls read and its offsets confirm. */
    final class Polling implements SoakIntake {
        private static final Duration LOOK_EVERY = Duration.ofMillis(100);

        private final UpdateQueue updates;
        /** What earlier phases on the same fake confirmed is not the soak's. */
        private final long confirmedBefore;
        private long handed;

        private Polling(UpdateQueue updates) {
            this.updates = updates;
            this.confirmedBefore = updates.confirmed();
        }

        @Override
        public void hand(long updateId, String json) {
            updates.addAll(List.of(updateId), List.of(json));
            handed++;
        }

        @Override
        public void finish(Duration patience) throws InterruptedException {
            long end = System.nanoTime() + patience.toNanos();
            while (accepted() < handed && System.nanoTime() < end) {
                Thread.sleep(LOOK_EVERY.toMillis());
            }
        }

        @Override
        public long accepted() {
            return updates.confirmed() - confirmedBefore;
        }

        @Override
        public long notAccepted() {
            return 0;
        }
    }
}
