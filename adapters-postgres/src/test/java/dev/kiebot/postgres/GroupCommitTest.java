package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The group-commit mechanics on their own, without a database. */
class GroupCommitTest {

    @Test
    void everyCallerGetsItsOwnResultAndBatchesStayBounded() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        GroupCommit<Integer, String> b = new GroupCommit<>(requests -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            sizes.add(requests.size());
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return requests.stream().map(r -> "r" + r).toList();
        }, r -> "single" + r);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> checks = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            int base = t * 1000;
            checks.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 100; i++) {
                    if (!b.submit(base + i).equals("r" + (base + i))) {
                        return false;
                    }
                }
                return true;
            }));
        }
        go.countDown();
        for (Future<Boolean> f : checks) {
            assertThat(f.get(1, TimeUnit.MINUTES)).isTrue();
        }
        pool.shutdown();
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(3200);
        assertThat(sizes).allMatch(n -> n >= 1 && n <= GroupCommit.MAX_BATCH);
        assertThat(sizes.stream().anyMatch(n -> n > 1)).as("concurrent requests share batches").isTrue();
        assertThat(maxRunning.get()).isLessThanOrEqualTo(GroupCommit.MAX_IN_FLIGHT);
    }

    @Test
    void aFailedBatchRunsEachRequestAloneSoOnlyTheCulpritFails() throws Exception {
        GroupCommit<Integer, String> b = new GroupCommit<>(requests -> {
            if (requests.size() > 1 && requests.contains(13)) {
                throw new IllegalStateException("batch rolled back");
            }
            if (requests.contains(13)) {
                throw new IllegalStateException("13 is bad");
            }
            if (requests.size() > 1) {
                return requests.stream().map(r -> "batch" + r).toList();
            }
            return List.of("batch" + requests.get(0));
        }, r -> {
            if (r == 13) {
                throw new IllegalStateException("13 is bad");
            }
            return "single" + r;
        });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 10; i < 18; i++) {
            int r = i;
            results.add(pool.submit(() -> {
                go.await();
                return b.submit(r);
            }));
        }
        go.countDown();
        for (int i = 0; i < results.size(); i++) {
            Future<String> f = results.get(i);
            if (i + 10 == 13) {
                assertThatThrownBy(() -> f.get(1, TimeUnit.MINUTES)).hasRootCauseMessage("13 is bad");
            } else {
                assertThat(f.get(1, TimeUnit.MINUTES)).matches("(batch|single)" + (i + 10));
            }
        }
        pool.shutdown();
    }
}
