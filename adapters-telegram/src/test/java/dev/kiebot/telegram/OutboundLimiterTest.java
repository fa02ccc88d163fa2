package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OutboundLimiterTest {
    private static final long CHAT = 42;

    private static OutboundLimiter.Settings perChat(Duration interval, int burst) {
        return new OutboundLimiter.Settings(0, 1, interval, interval.multipliedBy(3), burst, 100, Duration.ofSeconds(30));
    }

    /** Sends {@code n} messages to {@code chat} one after another and returns their send times (virtual). */
    private static List<Duration> sendTimes(OutboundLimiter limiter, FakeTicker ticker, long chat, int n) throws Exception {
        long start = ticker.nanos();
        List<Duration> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            limiter.inLane(chat, lane -> {
                lane.awaitTurn();
                times.add(ticker.elapsedSince(start));
                return null;
            });
        }
        return times;
    }

    @Test
    void oneMessagePerIntervalPerChat() throws Exception {
        FakeTicker ticker = new FakeTicker();
        OutboundLimiter limiter = new OutboundLimiter(perChat(Duration.ofSeconds(1), 1), ticker);

        assertThat(sendTimes(limiter, ticker, CHAT, 4))
                .containsExactly(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3));
    }

    @Test
    void otherChatsAreNotHeldBack() throws Exception {
        FakeTicker ticker = new FakeTicker();
        OutboundLimiter limiter = new OutboundLimiter(perChat(Duration.ofSeconds(1), 1), ticker);

        sendTimes(limiter, ticker, CHAT, 1);
        assertThat(sendTimes(limiter, ticker, 43, 1)).containsExactly(Duration.ZERO);
    }

    @Test
    void burstsLeaveAtOnceThenThePaceApplies() throws Exception {
        FakeTicker ticker = new FakeTicker();
        OutboundLimiter limiter = new OutboundLimiter(perChat(Duration.ofSeconds(1), 3), ticker);

        assertThat(sendTimes(limiter, ticker, CHAT, 5))
                .containsExactly(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void idleTimeIsNotSavedUpBeyondTheBurst() throws Exception {
        FakeTicker ticker = new FakeTicker();
        OutboundLimiter limiter = new OutboundLimiter(perChat(Duration.ofSeconds(1), 1), ticker);
        sendTimes(limiter, ticker, CHAT, 1);
        ticker.advance(Duration.ofSeconds(10));

        assertThat(sendTimes(limiter, ticker, CHAT, 2)).containsExactly(Duration.ZERO, Duration.ofSeconds(1));
    }

    @Test
    void groupChatsUseTheirOwnSlowerPace() throws Exception {
        FakeTicker ticker = new FakeTicker();
        OutboundLimiter limiter = new OutboundLimiter(perChat(Duration.ofSeconds(1), 1), ticker);

        assertThat(sendTimes(limiter, ticker, -100123, 3))
                .containsExactly(Duration.ZERO, Duration.ofSeconds(3), Duration.ofSeconds(6));
    }

    @Test
    void globalRateSpacesMessagesAcrossChats() throws Exception {
        FakeTicker ticker = new FakeTicker();
        OutboundLimiter limiter = new OutboundLimiter(
                new OutboundLimiter.Settings(10, 1, Duration.ZERO, Duration.ZERO, 1, 100, Duration.ofSeconds(30)), ticker);
        long start = ticker.nanos();
        List<Duration> times = new ArrayList<>();
        for (long chat = 1; chat <= 5; chat++) {
            limiter.inLane(chat, lane -> {
                lane.awaitTurn();
                times.add(ticker.elapsedSince(start));
                return null;
            });
        }
        assertThat(times).containsExactly(Duration.ZERO, Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(300), Duration.ofMillis(400));
    }

    @Test
    void telegramDefaultsAreThirtyPerSecondAndOnePerSecondPerChat() throws Exception {
        FakeTicker ticker = new FakeTicker();
        OutboundLimiter limiter = new OutboundLimiter(OutboundLimiter.Settings.telegramDefaults(), ticker);
        long start = ticker.nanos();
        for (long chat = 1; chat <= 31; chat++) {
            limiter.inLane(chat, lane -> {
                lane.awaitTurn();
                return null;
            });
        }
        // 31 messages to 31 chats need at least 30 intervals of 1/30 s
        assertThat(ticker.elapsedSince(start)).isGreaterThanOrEqualTo(Duration.ofMillis(999));
        assertThat(sendTimes(limiter, ticker, 1000, 2).get(1)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void pauseHoldsTheChatEvenWithoutPacing() throws Exception {
        FakeTicker ticker = new FakeTicker();
        OutboundLimiter limiter = new OutboundLimiter(OutboundLimiter.Settings.unlimited(), ticker);
        limiter.inLane(CHAT, lane -> {
            lane.awaitTurn();
            lane.pause(Duration.ofSeconds(5));
            return null;
        });
        assertThat(sendTimes(limiter, ticker, CHAT, 1).get(0)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    public void sendersToOneChatGoInArrivalOrder() throws Exception {
        OutboundLimiter limiter = new OutboundLimiter(perChat(Duration.ofMillis(20), 1));
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            // the first sender holds the lane until everybody queued
            futures.add(pool.submit(() -> limiter.inLane(CHAT, lane -> {
                lane.awaitTurn();
                order.add(0);
                release.await();
                return null;
            })));
            awaitQueued(limiter, 1);
            for (int i = 1; i < 8; i++) {
                int n = i;
                futures.add(pool.submit(() -> limiter.inLane(CHAT, lane -> {
                    lane.awaitTurn();
                    order.add(n);
                    return null;
                })));
                awaitQueued(limiter, i + 1); // the next one arrives only after this one queued
            }
            release.countDown();
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
            // 8 messages at least 20 ms apart: the last leaves 140 ms after the first at the earliest (a lower bound only)
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(7 * 20));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void waitingIsBoundedByQueueLength() throws Exception {
        OutboundLimiter limiter = new OutboundLimiter(new OutboundLimiter.Settings(0, 1, Duration.ZERO, Duration.ZERO, 1, 1,
                Duration.ofSeconds(30)));
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> holder = pool.submit(() -> limiter.inLane(CHAT, lane -> {
                release.await();
                return null;
            }));
            awaitQueued(limiter, 1);
            Future<?> waiter = pool.submit(() -> limiter.inLane(CHAT, lane -> "ok"));
            awaitQueued(limiter, 2);

            assertThatThrownBy(() -> limiter.inLane(CHAT, lane -> "too many")).isInstanceOf(OutboundLimiter.Rejected.class)
                    .hasMessageContaining("queued");
            release.countDown();
            holder.get(5, TimeUnit.SECONDS);
            assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void waitingIsBoundedInTime() throws Exception {
        OutboundLimiter limiter = new OutboundLimiter(OutboundLimiter.Settings.unlimited().withQueueBound(10, Duration.ofMillis(50)));
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> holder = pool.submit(() -> limiter.inLane(CHAT, lane -> {
                release.await();
                return null;
            }));
            awaitQueued(limiter, 1);
            assertThatThrownBy(() -> limiter.inLane(CHAT, lane -> "late")).isInstanceOf(OutboundLimiter.Rejected.class);
            release.countDown();
            holder.get(5, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void idleLanesAreForgotten() throws Exception {
        OutboundLimiter limiter = new OutboundLimiter(OutboundLimiter.Settings.unlimited());
        for (long chat = 0; chat < 100; chat++) {
            limiter.inLane(chat, lane -> {
                lane.awaitTurn();
                return null;
            });
        }
        assertThat(limiter.laneCount()).isZero();
        assertThat(limiter.queued(5)).isZero();
    }

    @Test
    public void messengerQueuesABurstToOneChatInOrderAndDropsNothing() throws Exception {
        try (FakeTelegramServer fake = FakeTelegramServer.start()) {
            TelegramMessenger messenger = TelegramMessenger.builder(fake.bot())
                    .limits(OutboundLimiter.Settings.telegramDefaults().withPerChatInterval(Duration.ofMillis(30))
                            .withMessagesPerSecond(1000))
                    .build();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            java.time.Instant start = java.time.Instant.now();
            try {
                List<Future<Delivery>> results = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    String text = "message " + i;
                    results.add(pool.submit(() -> messenger.send(new Reply.SendText(CHAT, text, Keyboard.NONE))));
                    awaitQueuedOrDone(messenger.limiter(), results); // the next one starts only after this one queued
                }
                for (Future<Delivery> f : results) {
                    assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(Delivery.Sent.class);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(fake.textsTo(CHAT)).containsExactly("message 0", "message 1", "message 2", "message 3",
                    "message 4", "message 5");
            // the sixth message cannot leave before 5 intervals passed (a lower bound: not timing-flaky)
            List<FakeTelegramServer.Call> calls = fake.callsTo("sendMessage");
            assertThat(Duration.between(start, calls.get(5).at())).isGreaterThanOrEqualTo(Duration.ofMillis(5 * 30 - 5));
        }
    }

    private static void awaitQueued(OutboundLimiter limiter, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (limiter.queued(CHAT) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never saw " + n + " queued");
            }
            Thread.sleep(1);
        }
    }

    /**
     * Waits until every submitted sender is in the lane or done. A sender counts in {@code queued} from the
     * moment it took its place in the line until it left the lane, and its future completes only after that,
     * so no sender is ever counted twice (counting answered calls instead would count a sender that was
     * answered but had not left the lane yet twice, and let the next sender start too early).
     */
    private static void awaitQueuedOrDone(OutboundLimiter limiter, List<? extends Future<?>> senders) throws InterruptedException {
        int n = senders.size();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (limiter.queued(CHAT) + senders.stream().filter(Future::isDone).count() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never saw " + n + " senders");
            }
            Thread.sleep(1);
        }
    }
}
