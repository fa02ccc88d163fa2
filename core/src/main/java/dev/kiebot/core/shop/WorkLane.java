package dev.kiebot.core.shop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs of several {@link ShopWork} tasks that wait on the same thing, at most {@code max} at once across them: the
 * replies and the broadcast both wait on the chat platform, so together they may hold all the scheduler's threads but
 * one, which the job worker keeps. Each task's own limit still holds within it. A run the lane turns away is not lost:
 * whichever run of the lane ends next wakes its task ({@link WorkTask#soon()}).
 */
final class WorkLane {
    private final int max;
    private final AtomicInteger running = new AtomicInteger();
    private final List<WorkTask> tasks = new CopyOnWriteArrayList<>();

    /** @param max runs of the lane's tasks at once, at least 1 */
    WorkLane(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("a lane takes at least one run at once, got " + max);
        }
        this.max = max;
    }

    /** {@code task} runs in this lane from now on (its constructor says so, once). */
    void join(WorkTask task) {
        tasks.add(task);
    }

    /** @return whether a place was taken; then {@link #leave} gives it back */
    boolean enter() {
        if (running.incrementAndGet() <= max) {
            return true;
        }
        running.decrementAndGet();
        return false;
    }

    /**
     * Gives the place back, then wakes every other task of the lane that has a run waiting: one it turned away while
     * this run held the place. The task that ends here looks at its own waiting run itself.
     */
    void leave(WorkTask ending) {
        running.decrementAndGet();
        for (WorkTask t : tasks) {
            if (t != ending && t.waiting()) {
                t.soon();
            }
        }
    }
}
