package dev.kiebot.bench;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalLong;

/**
 * Updates waiting for {@code getUpdates}, like Telegram's server-side queue: a call returns up to {@code limit}
 * updates with {@code update_id >= offset}, and its offset confirms (drops) every update below it. A long poll
 * waits up to its timeout while nothing is queued and returns as soon as something is.
 */
final class UpdateQueue {
    /** Telegram returns at most 100 updates per call. */
    static final int LIMIT_MAX = 100;
    /** Telegram holds a long poll at most 50 s. */
    static final Duration LONG_POLL_MAX = Duration.ofSeconds(50);

    private record Pending(long id, String json) {
    }

    private final int capacity;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long drainedAtNanos;
    private long confirmed;
    private boolean closed;

    UpdateQueue(int capacity) {
        this.capacity = capacity;
    }

    /** Queues updates (ids ascending, above every queued one). */
    synchronized void addAll(List<Long> ids, List<String> jsons) {
        if (queue.size() + ids.size() > capacity) {
            throw new IllegalStateException("update queue full: " + queue.size() + " + " + ids.size() + " > " + capacity);
        }
        for (int i = 0; i < ids.size(); i++) {
            queue.addLast(new Pending(ids.get(i), jsons.get(i)));
        }
        drainedAtNanos = 0;
        notifyAll();
    }

    /** The JSON array of the result; waits up to {@code timeout} (capped at 50 s) while nothing is queued. */
    synchronized String poll(long offset, int limit, Duration timeout) throws InterruptedException {
        confirmBelow(offset);
        long deadline = System.nanoTime() + min(timeout, LONG_POLL_MAX).toNanos();
        while (queue.isEmpty() && !closed) {
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                break;
            }
            wait(leftMillis);
        }
        StringBuilder result = new StringBuilder("[");
        int n = 0;
        for (Pending p : queue) {
            if (n == Math.max(1, Math.min(LIMIT_MAX, limit))) {
                break;
            }
            result.append(n++ == 0 ? "" : ",").append(p.json());
        }
        return result.append(']').toString();
    }

    /** When an offset confirmed the last queued update (empty while some are unconfirmed). */
    synchronized OptionalLong drainedAtNanos() {
        return queue.isEmpty() && drainedAtNanos != 0 ? OptionalLong.of(drainedAtNanos) : OptionalLong.empty();
    }

    /** Updates an offset has confirmed since this queue was made (the soak's polling runner took them). */
    synchronized long confirmed() {
        return confirmed;
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void confirmBelow(long offset) {
        boolean removed = false;
        while (!queue.isEmpty() && offset > 0 && queue.peekFirst().id() < offset) {
            queue.removeFirst();
            confirmed++;
            removed = true;
        }
        if (removed && queue.isEmpty()) {
            drainedAtNanos = System.nanoTime();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
