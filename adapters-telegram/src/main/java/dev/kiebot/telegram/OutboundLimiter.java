package dev.kiebot.telegram;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Paces outbound Telegram messages: at most {@code messagesPerSecond} per bot and one message per
 * {@code perChatInterval} per chat (short bursts of {@code perChatBurst} allowed; group chats use
 * {@code groupChatInterval}, Telegram allows about 20 per minute there).
 *
 * <p>Work for one chat runs in a <em>lane</em>: a line of senders, served strictly first come, first
 * served, so replies to the same chat leave in the order their senders arrived, and a burst waits
 * instead of being dropped. A sender takes its place in the line in the same atomic step that counts it
 * in {@link #queued}, so a sender that is counted is never overtaken by a later one. Waiting is bounded: at
 * most {@code maxQueuedPerChat} senders wait per chat and none waits longer than {@code maxQueueWait}
 * for its turn; beyond that {@link #inLane} fails with {@link Rejected}.
 *
 * <p>Spacing uses the generic cell rate algorithm (a virtual "theoretical arrival time" per chat and
 * one for the bot), so it needs no background thread and no timers.
 */
public final class OutboundLimiter {

    /**
     * @param messagesPerSecond global rate; 0 or less disables pacing (tests)
     * @param botBurst          messages that may leave back-to-back before the global rate applies (≥ 1)
     * @param perChatInterval   minimum spacing per private chat; zero disables per-chat pacing
     * @param groupChatInterval minimum spacing per group chat (negative chat id)
     * @param perChatBurst      messages per chat that may leave back-to-back (≥ 1)
     * @param maxQueuedPerChat  senders that may wait for one chat's lane (≥ 1)
     * @param maxQueueWait      longest wait for a chat's lane
     */
    public record Settings(double messagesPerSecond, int botBurst, Duration perChatInterval,
                           Duration groupChatInterval, int perChatBurst, int maxQueuedPerChat,
                           Duration maxQueueWait) {
        public Settings {
            if (botBurst < 1 || perChatBurst < 1 || maxQueuedPerChat < 1) {
                throw new IllegalArgumentException("bursts and queue bound must be at least 1");
            }
            if (perChatInterval.isNegative() || groupChatInterval.isNegative() || maxQueueWait.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative");
            }
        }

        /** Telegram's published limits: 30 msg/s per bot, 1 msg/s per chat, 20 msg/min per group. */
        public static Settings telegramDefaults() {
            return new Settings(30, 1, Duration.ofSeconds(1), Duration.ofSeconds(3), 1, 100, Duration.ofMinutes(2));
        }

        /**
         * For sends that core's outbox paces already (its {@code ChatPacing} and {@code BotPacing}, before a sender
         * takes a connection): no spacing here, or every reply would wait twice, the second time asleep in a sender;
         * a 429's {@code retry_after} still pauses that chat's next send.
         */
        public static Settings pacedByTheOutbox() {
            return telegramDefaults().withPerChatInterval(Duration.ZERO).withMessagesPerSecond(0);
        }

        /** No pacing at all, lanes still order per chat (for tests). */
        public static Settings unlimited() {
            return new Settings(0, 1, Duration.ZERO, Duration.ZERO, 1, 10_000, Duration.ofMinutes(2));
        }

        public Settings withPerChatInterval(Duration d) {
            return new Settings(messagesPerSecond, botBurst, d, d, perChatBurst, maxQueuedPerChat, maxQueueWait);
        }

        public Settings withMessagesPerSecond(double rate) {
            return new Settings(rate, botBurst, perChatInterval, groupChatInterval, perChatBurst, maxQueuedPerChat, maxQueueWait);
        }

        public Settings withQueueBound(int maxQueued, Duration maxWait) {
            return new Settings(messagesPerSecond, botBurst, perChatInterval, groupChatInterval, perChatBurst, maxQueued, maxWait);
        }
    }

    /** Time source and sleeping, replaceable in tests. */
    interface Ticker {
        long nanos();

        void sleepNanos(long nanos) throws InterruptedException;

        Ticker SYSTEM = new Ticker() {
            @Override
            public long nanos() {
                return System.nanoTime();
            }

            @Override
            public void sleepNanos(long nanos) throws InterruptedException {
                if (nanos > 0) {
                    TimeUnit.NANOSECONDS.sleep(nanos);
                }
            }
        };
    }

    /** The lane could not be entered: too many queued senders or waited too long. */
    public static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    /** What runs inside a chat's lane. */
    @FunctionalInterface
    public interface LaneWork<T> {
        T run(Lane lane) throws InterruptedException;
    }

    /** Handed to work running in a lane. */
    public interface Lane {
        /** Waits until one more message may be sent to this chat (and by the bot). */
        void awaitTurn() throws InterruptedException;

        /** Telegram said "retry after": nothing more goes to this chat before then. */
        void pause(Duration d);

        /** The chat this lane is for (0 when it is for none). */
        default long chatId() {
            return 0;
        }
    }

    private final Settings settings;
    private final Ticker ticker;
    private final Map<Long, ChatLane> lanes = new ConcurrentHashMap<>();
    private final AtomicLong entries = new AtomicLong();
    private final Object globalLock = new Object();
    private long globalTat;

    public OutboundLimiter(Settings settings) {
        this(settings, Ticker.SYSTEM);
    }

    OutboundLimiter(Settings settings, Ticker ticker) {
        this.settings = settings;
        this.ticker = ticker;
        this.globalTat = ticker.nanos();
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Runs {@code work} with exclusive use of the chat's lane (FIFO among waiting senders).
     *
     * @throws Rejected            when the chat's queue is full or the wait exceeded {@code maxQueueWait}
     * @throws InterruptedException when interrupted while waiting
     */
    public <T> T inLane(long chatId, LaneWork<T> work) throws Rejected, InterruptedException {
        Object place = new Object();
        ChatLane lane = enter(chatId, place);
        try {
            if (lane.users > settings.maxQueuedPerChat() + 1) {
                throw new Rejected("more than " + settings.maxQueuedPerChat() + " replies queued for one chat");
            }
            if (!lane.awaitFront(place, settings.maxQueueWait().toNanos())) {
                throw new Rejected("waited over " + settings.maxQueueWait().toSeconds() + " s for the chat's turn");
            }
            return work.run(lane);
        } finally {
            lane.leaveLine(place);
            leave(chatId);
        }
    }

    /** Senders currently queued for or working in a chat's lane (for tests and metrics). */
    public int queued(long chatId) {
        ChatLane l = lanes.get(chatId);
        return l == null ? 0 : l.users;
    }

    /** Lanes held in memory (idle lanes are dropped). */
    int laneCount() {
        return lanes.size();
    }

    /** Counts the sender and puts it at the end of the chat's line, atomically. */
    @SuppressWarnings("NonAtomicVolatileUpdate") // users is written only inside the map's compute, one at a time
    private ChatLane enter(long chatId, Object place) {
        if (entries.incrementAndGet() % 1024 == 0) {
            sweep();
        }
        return lanes.compute(chatId, (k, v) -> {
            ChatLane l = v == null ? new ChatLane(chatId) : v;
            l.users++;
            l.joinLine(place);
            return l;
        });
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // users is written only inside the map's compute, one at a time
    private void leave(long chatId) {
        long now = ticker.nanos();
        lanes.computeIfPresent(chatId, (k, v) -> {
            v.users--;
            return v.users <= 0 && v.tat - now <= 0 ? null : v;
        });
    }

    private void sweep() {
        long now = ticker.nanos();
        for (Long id : lanes.keySet()) {
            lanes.computeIfPresent(id, (k, v) -> v.users <= 0 && v.tat - now <= 0 ? null : v);
        }
    }

    private void awaitGlobal() throws InterruptedException {
        if (settings.messagesPerSecond() <= 0) {
            return;
        }
        long interval = (long) (1_000_000_000L / settings.messagesPerSecond());
        long tau = (settings.botBurst() - 1) * interval;
        long wait;
        synchronized (globalLock) {
            long now = ticker.nanos();
            long tat = globalTat - now > 0 ? globalTat : now;
            wait = tat - tau - now;
            globalTat = tat + interval;
        }
        if (wait > 0) {
            ticker.sleepNanos(wait);
        }
    }

    private final class ChatLane implements Lane {
        private final ReentrantLock guard = new ReentrantLock();
        private final Condition frontChanged = guard.newCondition();
        private final ArrayDeque<Object> line = new ArrayDeque<>(); // guarded by guard; the front owns the lane
        final long chatId;
        volatile int users; // written only inside the map's compute
        volatile long tat;
        volatile long pausedUntil;

        @Override
        public long chatId() {
            return chatId;
        }

        ChatLane(long chatId) {
            this.chatId = chatId;
            this.tat = ticker.nanos();
            this.pausedUntil = this.tat;
        }

        void joinLine(Object place) {
            guard.lock();
            try {
                line.addLast(place);
            } finally {
                guard.unlock();
            }
        }

        /** Waits until {@code place} is at the front of the line; false when {@code nanos} passed first. */
        boolean awaitFront(Object place, long nanos) throws InterruptedException {
            guard.lockInterruptibly();
            try {
                long left = nanos;
                while (line.peekFirst() != place) {
                    if (left <= 0) {
                        return false;
                    }
                    left = frontChanged.awaitNanos(left);
                }
                return true;
            } finally {
                guard.unlock();
            }
        }

        /** Leaves the line, whether the sender was served, gave up or was rejected. */
        void leaveLine(Object place) {
            guard.lock();
            try {
                line.remove(place);
                frontChanged.signalAll();
            } finally {
                guard.unlock();
            }
        }

        @Override
        public void awaitTurn() throws InterruptedException {
            long pause = pausedUntil - ticker.nanos();
            if (pause > 0) {
                ticker.sleepNanos(pause);
            }
            Duration spacing = chatId < 0 ? settings.groupChatInterval() : settings.perChatInterval();
            long interval = spacing.toNanos();
            if (interval > 0) {
                long tau = (settings.perChatBurst() - 1) * interval;
                long now = ticker.nanos();
                long t = tat - now > 0 ? tat : now;
                long wait = t - tau - now;
                tat = t + interval;
                if (wait > 0) {
                    ticker.sleepNanos(wait);
                }
            }
            awaitGlobal();
        }

        @Override
        public void pause(Duration d) {
            long until = ticker.nanos() + d.toNanos();
            if (until - pausedUntil > 0) {
                pausedUntil = until;
            }
            if (until - tat > 0) {
                tat = until;
            }
        }
    }
}
