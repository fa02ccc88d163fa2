package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.broadcast.Broadcasts;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.ForwardingJobs;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.PollPolicy;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.pacing.TokenBucket;
import dev.kiebot.core.testing.ForwardingPendingReplies;
import dev.kiebot.core.testing.ForwardingProvider;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.users.User;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shop's background work, started with one call and stopped with one: every task runs, a failing one runs again,
 * work committed through the shop wakes its task, an idle shop leaves its stores alone, and the stop goes in order and
 * leaves nothing half-done. No test measures time: each waits (generously, for a loaded machine) for what must happen,
 * and the idle one counts calls over a while against an upper bound only.
 */
class ShopWorkTest {
    private static final long USER = 42;
    /** Far longer than any wait here: what happens under it was a wake-up, not a tick. */
    private static final ShopWork.Settings WAKE_UPS_ONLY = ShopWork.Settings.defaults()
            .withRepliesEvery(ShopWork.Settings.TICK_MAX).withJobsEvery(ShopWork.Settings.TICK_MAX)
            .withBroadcastsEvery(ShopWork.Settings.TICK_MAX);
    private static final ShopWork.Settings FAST = ShopWork.Settings.defaults().withRepliesEvery(Duration.ofMillis(20))
            .withJobsEvery(Duration.ofMillis(20)).withBroadcastsEvery(Duration.ofMillis(20))
            .withStopGrace(Duration.ofSeconds(30));
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /**
     * How long an idle shop is watched: long enough that ticks twice a second (the old 0.5 s default: 6 claims) and a
     * shop that asks only at its 5 s safety ticks (at most one more run) cannot be mistaken for each other.
     */
    private static final Duration IDLE_WATCH = Duration.ofSeconds(3);
    /** Runs of a task an idle shop may make within {@link #IDLE_WATCH}: its safety tick's, and one to spare. */
    private static final int IDLE_RUNS_MAX = 2;

    /** How long a store saying "due now" while handing nothing out is watched: 10 ms apart, 200 asks. */
    private static final Duration FRUITLESS_WATCH = Duration.ofSeconds(2);
    /** Its asks within {@link #FRUITLESS_WATCH} once each doubles the wait: about 8, and room to spare. */
    private static final int FRUITLESS_ASKS_MAX = 20;

    private final ShopHarness h = new ShopHarness();
    private final AtomicInteger updates = new AtomicInteger();
    private final List<ShopWork> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(ShopWork::close);
    }

    private ShopWork start(Shop shop, ShopWork.Instances instances, ShopWork.Settings settings) {
        ShopWork work = ShopWork.start(shop, instances, settings);
        started.add(work);
        return work;
    }

    /** How often a shop's work asked its stores: each counted once the call is over. */
    private static final class StoreCalls {
        final AtomicInteger claims = new AtomicInteger();
        /** The last call of a replies run that found nothing more to send. */
        final AtomicInteger looksForPacedChats = new AtomicInteger();
        final AtomicInteger jobLeases = new AtomicInteger();
        final AtomicInteger looksForDueJobs = new AtomicInteger();
    }

    /** Another instance over the same stores, its outbox's and jobs' calls counted in {@code calls}. */
    private Shop counted(StoreCalls calls) {
        return h.anotherInstance(s -> s.withPendingReplies(new ForwardingPendingReplies(s.pendingReplies()) {
            @Override
            public Optional<Queued> claim(Instant now, Duration lease) {
                try {
                    return super.claim(now, lease);
                } finally {
                    calls.claims.incrementAndGet();
                }
            }

            @Override
            public Optional<Instant> nextDueAfter(Instant now) {
                try {
                    return super.nextDueAfter(now);
                } finally {
                    calls.looksForPacedChats.incrementAndGet();
                }
            }
        }, s.transactions()).withJobs(new ForwardingJobs(s.jobs()) {
            @Override
            public List<Job> lease(String worker, Instant now, Duration leaseFor, int limit) {
                try {
                    return super.lease(worker, now, leaseFor, limit);
                } finally {
                    calls.jobLeases.incrementAndGet();
                }
            }

            @Override
            public Optional<Instant> nextCheckAt() {
                try {
                    return super.nextCheckAt();
                } finally {
                    calls.looksForDueJobs.incrementAndGet();
                }
            }
        }));
    }

    private void serve(Shop shop, Event event) {
        shop.storefront().serve(new Incoming(updates.incrementAndGet(), ShopHarness.actor(USER, "en"), event));
    }

    private Job startJob(Shop shop) {
        User user = shop.stores().users().find(USER).orElseThrow();
        Generations.Start s = shop.generations().start(user, USER,
                new Effect.StartJob("img/m9", "default", Map.of("prompt", "a cat"), Map.of(), 300, false));
        return ((Generations.Start.Started) s).job();
    }

    private JobState state(Shop shop, Job job) {
        return shop.stores().jobs().find(job.id()).orElseThrow().state();
    }

    private boolean sentTo(long chatId) {
        return h.messenger.all().stream().anyMatch(r -> r.chatId() == chatId);
    }

    private boolean sentText(String text) {
        return h.messenger.texts().contains(text);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE + ": " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }

    private static Outgoing text(long chatId, String text) {
        return Outgoing.plain(new Reply.SendText(chatId, text, Keyboard.NONE));
    }

    private static Instant realNow() {
        return Clock.systemUTC().instant(); // the outbox runs on real time
    }

    @Test
    void everyTaskRunsRepliesJobsBroadcastsAndTheUpkeepOnNamedDaemonThreads() {
        AtomicInteger expirySweeps = new AtomicInteger();
        List<Thread> senders = new CopyOnWriteArrayList<>();
        Shop shop = h.anotherInstance(s -> s.withLedger(new ForwardingLedger(s.ledger()) {
            @Override
            public List<String> expire(Instant now, int limit) {
                expirySweeps.incrementAndGet();
                return super.expire(now, limit);
            }
        }).withPendingReplies(new ForwardingPendingReplies(s.pendingReplies()) {
            @Override
            public Optional<Queued> claim(Instant now, Duration lease) {
                senders.add(Thread.currentThread());
                return super.claim(now, lease);
            }
        }, s.transactions()));
        // all of it waiting before the start, as a previous run left it
        serve(shop, new Event.Command("start", ""));
        h.topUp(USER, 10_000);
        Job job = startJob(shop);
        long broadcast = h.stores.broadcasts().draft(ShopHarness.ADMIN, ShopHarness.ADMIN, "news for all",
                h.clock.instant()).id();
        assertThat(h.stores.broadcasts().queue(broadcast, Optional.empty(), h.clock.instant())).isPresent();
        AuditEvent old = new AuditEvent(h.clock.instant().minus(Duration.ofDays(40)), "test", "old.event", "",
                Optional.empty());
        h.stores.audit().record(old);
        assertThat(h.messenger.all()).as("nothing goes before the work starts").isEmpty();

        start(shop, ShopWork.Instances.SEVERAL, FAST);

        await("the welcome reply sent", () -> sentTo(USER));
        await("the job submitted", () -> state(shop, job) != JobState.HELD);
        await("the broadcast sent", () -> sentText("news for all"));
        await("expired holds swept (upkeep: expiries)", () -> expirySweeps.get() > 0);
        await("old audit events purged (upkeep: cleanup)", () -> !h.stores.audit().recent(100).contains(old));
        assertThat(senders).allSatisfy(t -> {
            assertThat(t.getName()).startsWith("shop-work-");
            assertThat(t.isDaemon()).as("a forgotten close() cannot keep the JVM up").isTrue();
        });
    }

    @Test
    void aTaskThatFailsRunsAgainAtItsNextTick() {
        AtomicInteger failures = new AtomicInteger();
        Shop shop = h.anotherInstance(s -> s.withPendingReplies(new ForwardingPendingReplies(s.pendingReplies()) {
            @Override
            public Optional<Queued> claim(Instant now, Duration lease) {
                if (failures.get() < 2) {
                    failures.incrementAndGet();
                    throw new IllegalStateException("the database is gone for a moment");
                }
                return super.claim(now, lease);
            }
        }, s.transactions()));
        // queued before the start: no wake-up follows, only the ticks can send it
        shop.stores().pendingReplies().append(List.of(text(USER, "after two failures")), realNow());

        start(shop, ShopWork.Instances.SEVERAL, FAST);

        await("the reply sent by a run after the failed ones", () -> sentText("after two failures"));
        assertThat(failures).hasValue(2);
    }

    @Test
    void aReplyQueuedOrAJobCreatedThroughTheShopWakesItsTaskWithoutWaitingForTheTick() {
        StoreCalls calls = new StoreCalls();
        Shop shop = counted(calls);
        start(shop, ShopWork.Instances.SEVERAL, WAKE_UPS_ONLY);
        // the runs at the start are over, found nothing, and the next ticks are a day away
        await("the first replies run over", () -> calls.looksForPacedChats.get() > 0);
        await("the first jobs run over", () -> calls.jobLeases.get() > 0);

        serve(shop, new Event.Command("start", ""));
        await("the welcome reply sent", () -> sentTo(USER));
        h.topUp(USER, 10_000);
        Job job = startJob(shop);
        await("the job submitted", () -> state(shop, job) != JobState.HELD);
    }

    @Test
    void anotherProcessesRepliesAndJobsGoWhenItSaysSo() {
        StoreCalls calls = new StoreCalls();
        Shop shop = counted(calls);
        ShopWork work = start(shop, ShopWork.Instances.SEVERAL, WAKE_UPS_ONLY);
        await("the first replies run over", () -> calls.looksForPacedChats.get() > 0);
        await("the first jobs run over", () -> calls.jobLeases.get() > 0);
        // another process on the same stores, whose work is not this one: only the calls below tell it
        Shop other = h.shop;

        serve(other, new Event.Command("start", ""));
        work.repliesQueued();
        work.repliesQueued(); // coalesced with the first, or a run of its own that finds nothing: either is fine
        await("the other process's reply sent", () -> sentTo(USER));
        h.topUp(USER, 10_000);
        Job job = startJob(other);
        work.jobsMoved();
        await("the other process's job submitted", () -> state(shop, job) != JobState.HELD);
    }

    @Test
    void wakeUpsWhileTheTaskIsBusyBecomeOneRunNotOneEach() throws Exception {
        CountDownLatch onTheWire = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        AtomicInteger repliesRuns = new AtomicInteger();
        Shop shop = h.anotherInstance(s -> s.withPendingReplies(new ForwardingPendingReplies(s.pendingReplies()) {
            @Override
            public Optional<Instant> nextDueAfter(Instant now) {
                repliesRuns.incrementAndGet(); // once at the end of every run of the replies task
                return super.nextDueAfter(now);
            }
        }, s.transactions()), b -> b.messenger(holding("slow", onTheWire, letGo)));
        shop.stores().pendingReplies().append(List.of(text(USER, "slow")), realNow());
        // one thread, held by the first run; the ticks a day away
        ShopWork work = start(shop, ShopWork.Instances.SEVERAL, WAKE_UPS_ONLY.withThreads(1));
        assertThat(onTheWire.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("the reply on the wire").isTrue();

        for (int i = 0; i < 1_000; i++) {
            work.repliesQueued();
        }
        letGo.countDown();
        work.close(); // the wake-up queued before the stop still runs: close waits for it

        assertThat(repliesRuns.get()).as("the held run, and at most one run for all the wake-ups").isBetween(1, 2);
    }

    /**
     * Replies held on the wire by a slow chat platform take all threads but one: the job worker still gets one. They
     * took all three before, and a paid job waited until the platform answered (minutes, for an upload). The wake-up
     * turned away at the limit is not lost: its reply goes once a place is free.
     */
    @Test
    void repliesHeldOnTheWireLeaveAThreadForThePaidJobs() throws Exception {
        SlowPlatform slow = new SlowPlatform(h.messenger, PATIENCE);
        AtomicInteger onTheWire = slow.onTheWire;
        Shop shop = h.anotherInstance(UnaryOperator.identity(), b -> b.messenger(slow));
        ShopWork work = startWithAWelcomedUser(shop); // 3 threads
        shop.stores().pendingReplies().append(List.of(text(9_001, "slow 1"), text(9_002, "slow 2"),
                text(9_003, "slow 3")), realNow());
        // one wake-up after another has started: three runs asked for at once (wake-ups queued together are one)
        work.repliesQueued();
        await("a reply on the wire", () -> onTheWire.get() >= 1);
        work.repliesQueued();
        await("a second reply on the wire", () -> onTheWire.get() >= 2);
        work.repliesQueued();

        Job job = startJob(shop);
        await("the paid job submitted while the replies wait", () -> state(shop, job) != JobState.HELD);
        assertThat(onTheWire.get()).as("still on the wire").isEqualTo(2);

        slow.letGo.countDown();
        await("the third reply sent once a place was free", () -> sentText("slow 3"));
        work.close();
        assertThat(slow.onTheWireMax.get()).as("replies on the wire at once").isEqualTo(2);
    }

    /**
     * A broadcast waits on the chat platform as replies do: with two replies and a broadcast's message held on the wire
     * by a slow platform, the paid job still gets a thread. The broadcast took the last one before, and the job worker
     * (and the upkeep behind it) waited for as long as the platform took over the whole batch, up to 200 messages.
     */
    @Test
    void aBroadcastHeldOnTheWireWithTheRepliesStillLeavesAThreadForThePaidJobs() throws Exception {
        // held longer than the test waits for the job: a job let through only when the platform answers fails
        SlowPlatform slow = new SlowPlatform(h.messenger, PATIENCE.multipliedBy(2));
        AtomicInteger onTheWire = slow.onTheWire;
        Shop shop = h.anotherInstance(UnaryOperator.identity(), b -> b.messenger(slow));
        ShopWork work = startWithAWelcomedUser(shop); // 3 threads
        broadcastThrough(shop, "slow news");
        await("the broadcast on the wire", () -> onTheWire.get() >= 1);
        shop.stores().pendingReplies().append(List.of(text(9_001, "slow 1"), text(9_002, "slow 2")), realNow());
        work.repliesQueued();
        await("a reply on the wire as well", () -> onTheWire.get() >= 2);
        work.repliesQueued();
        Thread.sleep(200); // a second reply would be on the wire by now, were a thread left for it

        Job job = startJob(shop);
        await("the paid job submitted while the broadcast and the replies wait",
                () -> state(shop, job) != JobState.HELD);

        slow.letGo.countDown();
        await("both replies sent once the platform answered", () -> sentText("slow 1") && sentText("slow 2"));
        await("the broadcast sent", () -> sentText("slow news"));
        work.close();
        assertThat(slow.onTheWireMax.get()).as("messages on the wire at once: all threads but the job worker's")
                .isLessThanOrEqualTo(2);
    }

    /** The user welcomed (the welcome sent) and topped up, the shop's work started with wake-ups only: 3 threads. */
    private ShopWork startWithAWelcomedUser(Shop shop) throws Exception {
        serve(shop, new Event.Command("start", ""));
        h.topUp(USER, 10_000);
        ShopWork work = start(shop, ShopWork.Instances.SEVERAL, WAKE_UPS_ONLY);
        await("the welcome sent", () -> !h.messenger.texts().isEmpty());
        return work;
    }

    /** A chat platform that holds every text starting with "slow" on the wire until let go, at most {@code hold}. */
    private static final class SlowPlatform implements Messenger {
        final AtomicInteger onTheWire = new AtomicInteger();
        final AtomicInteger onTheWireMax = new AtomicInteger();
        final CountDownLatch letGo = new CountDownLatch(1);
        private final Messenger real;
        private final Duration hold;

        SlowPlatform(Messenger real, Duration hold) {
            this.real = real;
            this.hold = hold;
        }

        @Override
        public Delivery send(Reply reply) {
            if (reply instanceof Reply.SendText t && t.text().startsWith("slow")) {
                onTheWireMax.accumulateAndGet(onTheWire.incrementAndGet(), Math::max);
                try {
                    letGo.await(hold.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    onTheWire.decrementAndGet();
                }
            }
            return real.send(reply);
        }
    }

    /** A messenger that holds the reply {@code text} on the wire until {@code letGo}. */
    private Messenger holding(String text, CountDownLatch onTheWire, CountDownLatch letGo) {
        return reply -> {
            if (reply instanceof Reply.SendText t && t.text().equals(text)) {
                onTheWire.countDown();
                try {
                    letGo.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return h.messenger.send(reply);
        };
    }

    @Test
    void closeStopsTheBroadcastWaitsForTheReplyOnTheWireThenSettlesItAndASecondCloseDoesNothing()
            throws Exception {
        CountDownLatch onTheWire = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Messenger slow = holding("slow", onTheWire, letGo);
        List<String> settles = Collections.synchronizedList(new ArrayList<>());
        Shop shop = h.anotherInstance(s -> s.withPendingReplies(new ForwardingPendingReplies(s.pendingReplies()) {
            @Override
            public boolean done(Queued reply, TokenBucket pacing, Instant dueAt) {
                if (!(reply.outgoing().reply() instanceof Reply.SendText t && t.text().equals("slow"))) {
                    return super.done(reply, pacing, dueAt);
                }
                settles.add(Thread.currentThread().getName());
                if (settles.size() == 1) {
                    throw new IllegalStateException("the settle did not commit: the database went away");
                }
                return super.done(reply, pacing, dueAt);
            }
        }, s.transactions()), b -> b.messenger(slow));
        serve(shop, new Event.Command("start", "")); // a user, for the broadcast below
        ShopWork work = start(shop, ShopWork.Instances.SEVERAL, FAST);
        shop.stores().pendingReplies().append(List.of(text(USER, "slow")), realNow());
        work.repliesQueued();
        assertThat(onTheWire.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("the reply on the wire").isTrue();

        Thread closer = new Thread(work::close, "closing");
        closer.start();
        // the reply comes back from the wire only once the stop waits for the senders: a sender's periodic run that
        // began before it would otherwise settle the reply first (seen on a loaded machine)
        long waitUntil = System.nanoTime() + PATIENCE.toNanos();
        while (closer.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < waitUntil) {
            Thread.onSpinWait();
        }
        letGo.countDown();
        closer.join(PATIENCE.toMillis());
        assertThat(closer.isAlive()).as("close returned").isFalse();

        assertThat(h.messenger.texts()).as("sent once").containsOnlyOnce("slow");
        assertThat(settles).as("its settle failed on the sender's thread, then close settled it, after that run")
                .hasSize(2);
        assertThat(settles.get(0)).startsWith("shop-work-");
        assertThat(settles.get(1)).isEqualTo("closing");
        assertThat(h.stores.pendingReplies().claim(realNow().plus(Duration.ofDays(1)), ReplySender.LEASE))
                .as("the reply left the outbox: the next start does not send it again").isEmpty();
        long broadcast = h.stores.broadcasts().draft(ShopHarness.ADMIN, ShopHarness.ADMIN, "too late",
                h.clock.instant()).id();
        assertThat(h.stores.broadcasts().queue(broadcast, Optional.empty(), h.clock.instant())).isPresent();
        assertThat(shop.broadcaster().runOnce(10)).as("the broadcaster was stopped").isZero();

        work.close();

        assertThat(settles).as("a second close settles nothing again").hasSize(2);
        assertThat(h.messenger.texts()).doesNotContain("too late");
    }

    /**
     * A run that outlives the grace is interrupted, and close waits for it to end before it returns: the stores'
     * database closes next, and a job whose task Kie had just taken, its SUBMITTED not yet written, was left SUBMITTING
     * for the next start to refund as "uncertain" while Kie made (and charged for) the result (found by a review).
     */
    @Test
    void closeReturnsOnlyOnceAnInterruptedRunHasEnded() throws Exception {
        CountDownLatch sending = new CountDownLatch(1);
        GenerationProvider slowSubmit = new ForwardingProvider(h.provider) {
            @Override
            public String submit(SubmitRequest request) throws ProviderException {
                sending.countDown();
                // a call that does not heed the interrupt at once (a socket write, a JDBC call)
                boolean interrupted = false;
                long until = System.nanoTime() + Duration.ofMillis(300).toNanos();
                while (System.nanoTime() < until) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return super.submit(request);
            }

        };
        Shop shop = h.anotherInstance(UnaryOperator.identity(), b -> b.provider(slowSubmit));
        serve(shop, new Event.Command("start", ""));
        h.topUp(USER, 10_000);
        ShopWork work = start(shop, ShopWork.Instances.SEVERAL, FAST.withStopGrace(Duration.ZERO));
        Job job = startJob(shop);
        assertThat(sending.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("createTask on its way").isTrue();

        work.close();

        assertThat(state(shop, job)).as("Kie's task id written before the database may close")
                .isEqualTo(JobState.SUBMITTED);
    }

    @Test
    void workCommittedAfterTheStopWaitsInTheStoresForTheNextStart() {
        Shop first = h.anotherInstance(UnaryOperator.identity());
        ShopWork work = start(first, ShopWork.Instances.SEVERAL, FAST);
        work.close();

        serve(first, new Event.Command("start", ""));
        h.topUp(USER, 10_000);
        Job job = startJob(first);
        work.repliesQueued();
        work.jobsMoved();

        assertThat(h.messenger.all()).as("no thread is left to send it").isEmpty();
        assertThat(state(first, job)).isEqualTo(JobState.HELD);
        assertThatThrownBy(() -> ShopWork.start(first, ShopWork.Instances.SEVERAL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("build a new Shop");

        Shop next = h.anotherInstance(UnaryOperator.identity());
        start(next, ShopWork.Instances.SEVERAL, FAST);

        await("the reply queued during the stop sent", () -> sentTo(USER));
        await("the job created during the stop submitted", () -> state(next, job) != JobState.HELD);
    }

    @Test
    void startingAsTheOnlyInstanceSendsAReplyCutOffMidSendAtOnceNotWhenItsLeaseEnds() {
        h.stores.pendingReplies().append(List.of(text(USER, "cut off")), realNow());
        PendingReplies.Queued cutOff = h.stores.pendingReplies().claim(realNow(), ReplySender.LEASE).orElseThrow();
        assertThat(cutOff.leasedUntil()).isAfter(realNow().plus(Duration.ofMinutes(5)));

        start(h.anotherInstance(UnaryOperator.identity()), ShopWork.Instances.ONE, FAST);

        await("the reply of the previous run sent", () -> sentText("cut off"));
    }

    /**
     * The leases are ended on the shop's pacing clock, the one its sender claims by: ended on the system's (an hour
     * ahead of a pacing clock given to the builder here), the chat was due only an hour later (found by a review).
     */
    @Test
    void theOnlyInstanceEndsTheLeasesOnTheShopsPacingClock() {
        Clock pacing = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1));
        h.stores.pendingReplies().append(List.of(text(USER, "cut off")), pacing.instant());
        assertThat(h.stores.pendingReplies().claim(pacing.instant(), ReplySender.LEASE)).isPresent();

        start(h.anotherInstance(UnaryOperator.identity(), b -> b.pacingClock(pacing)), ShopWork.Instances.ONE,
                FAST);

        await("the reply of the previous run sent", () -> sentText("cut off"));
    }

    @Test
    void severalInstancesLeaveEachOthersLeasesAlone() {
        AtomicInteger releases = new AtomicInteger();
        Shop shop = h.anotherInstance(s -> s.withPendingReplies(new ForwardingPendingReplies(s.pendingReplies()) {
            @Override
            public int releaseAll(Instant now) {
                releases.incrementAndGet();
                return super.releaseAll(now);
            }
        }, s.transactions()));

        start(shop, ShopWork.Instances.SEVERAL, FAST);

        assertThat(releases).as("another process may be sending").hasValue(0);
    }

    @Test
    void theOnlyInstanceOverAnOutboxThatCannotEndLeasesIsRefusedSayingWhatToDo() {
        Shop shop = h.anotherInstance(s -> s.withPendingReplies(new ForwardingPendingReplies(s.pendingReplies()) {
            @Override
            public int releaseAll(Instant now) {
                throw new UnsupportedOperationException("an outbox without releaseAll");
            }
        }, s.transactions()));

        assertThatThrownBy(() -> ShopWork.start(shop, ShopWork.Instances.ONE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("implement PendingReplies.releaseAll")
                .hasMessageContaining("Instances.SEVERAL");
        start(shop, ShopWork.Instances.SEVERAL, FAST); // the refused start left the shop's work to be started
    }

    /**
     * A shop's work runs in its {@code ShopWork} or on a runner's own threads through {@code Parts}, never both: both
     * would send the same broadcasts and take the same jobs. Several parts of one runner may share a shop.
     */
    @Test
    void aShopsWorkRunsInItsShopWorkOrOnARunnersOwnThreadsNeverBoth() {
        Shop started = h.anotherInstance(s -> s);
        start(started, ShopWork.Instances.SEVERAL, FAST);
        assertThatThrownBy(() -> ShopWork.Parts.of(started, FAST, h.clock))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("makes ShopWork.Parts instead");

        Shop ownThreads = h.anotherInstance(s -> s);
        ShopWork.Parts.of(ownThreads, FAST, h.clock);
        ShopWork.Parts.of(ownThreads, FAST, h.clock);
        assertThatThrownBy(() -> ShopWork.start(ownThreads, ShopWork.Instances.SEVERAL, FAST))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("never both");
        assertThatThrownBy(() -> ShopWork.start(started, ShopWork.Instances.SEVERAL, FAST))
                .as("and a shop's ShopWork still starts once").hasMessageContaining("starts once");
    }

    /**
     * An idle shop does not keep asking its database (operators pay for idle CPU): its outbox and job worker run at
     * their safety ticks, seconds apart, and the ticks of 0.5 s and 2 s that asked 2.5 times a second are gone.
     */
    @Test
    void anIdleShopAsksItsStoresOnlyAtItsSafetyTicks() throws Exception {
        StoreCalls calls = new StoreCalls();
        Shop shop = counted(calls);
        start(shop, ShopWork.Instances.SEVERAL, ShopWork.Settings.defaults());
        await("the first replies run over", () -> calls.looksForPacedChats.get() > 0);
        await("the first jobs run over", () -> calls.jobLeases.get() > 0);
        int claimsBefore = calls.claims.get();
        int looksBefore = calls.looksForPacedChats.get();
        int leasesBefore = calls.jobLeases.get();
        int jobLooksBefore = calls.looksForDueJobs.get();

        Thread.sleep(IDLE_WATCH.toMillis()); // nothing to do, nothing woken: only the ticks may ask

        assertThat(calls.claims.get() - claimsBefore).as("outbox claims in %s idle", IDLE_WATCH)
                .isLessThanOrEqualTo(IDLE_RUNS_MAX);
        assertThat(calls.looksForPacedChats.get() - looksBefore).as("looks for paced chats in %s idle", IDLE_WATCH)
                .isLessThanOrEqualTo(IDLE_RUNS_MAX);
        assertThat(calls.jobLeases.get() - leasesBefore).as("job leases in %s idle", IDLE_WATCH)
                .isLessThanOrEqualTo(IDLE_RUNS_MAX);
        assertThat(calls.looksForDueJobs.get() - jobLooksBefore).as("looks for due jobs in %s idle", IDLE_WATCH)
                .isLessThanOrEqualTo(IDLE_RUNS_MAX);
    }

    /**
     * A store that keeps saying work is due now yet hands none out (its due time counts a chat or job another process
     * holds, say) is not asked 100 times a second, as each timed run 10 ms after the last did: each run in a row that
     * took nothing doubles the wait before the next, up to the safety tick (a day away here).
     */
    @Test
    void aStoreThatSaysDueNowButHandsOutNothingIsAskedAHandfulOfTimesNotAHundredASecond() throws Exception {
        AtomicInteger claims = new AtomicInteger();
        AtomicInteger jobLeases = new AtomicInteger();
        Shop shop = h.anotherInstance(s -> s.withPendingReplies(new ForwardingPendingReplies(s.pendingReplies()) {
            @Override
            public Optional<Queued> claim(Instant now, Duration lease) {
                claims.incrementAndGet();
                return Optional.empty();
            }

            @Override
            public Optional<Instant> nextDueAfter(Instant now) {
                return Optional.of(now); // due now, always
            }
        }, s.transactions()).withJobs(new ForwardingJobs(s.jobs()) {
            @Override
            public List<Job> lease(String worker, Instant now, Duration leaseFor, int limit) {
                jobLeases.incrementAndGet();
                return List.of();
            }

            @Override
            public Optional<Instant> nextCheckAt() {
                return Optional.of(h.clock.instant()); // due now on the shop's clock, always
            }
        }));
        start(shop, ShopWork.Instances.SEVERAL, WAKE_UPS_ONLY);

        Thread.sleep(FRUITLESS_WATCH.toMillis());

        assertThat(claims.get()).as("outbox claims in %s", FRUITLESS_WATCH).isLessThanOrEqualTo(FRUITLESS_ASKS_MAX);
        assertThat(jobLeases.get()).as("job leases in %s", FRUITLESS_WATCH).isLessThanOrEqualTo(FRUITLESS_ASKS_MAX);
    }

    /** The shop's stores with {@code broadcasts} in their place. */
    private static Stores withBroadcasts(Stores s, Broadcasts broadcasts) {
        return new Stores(s.users(), s.chatStates(), s.ledger(), s.jobs(), s.payments(), s.freeUsage(),
                s.processedUpdates(), s.audit(), s.admissions(), broadcasts, s.manualTopUps(), s.supportTickets(),
                s.figures(), s.pendingReplies(), s.transactions(), s.pausedModels(),
                s.externalRefundDues(), s.personalData());
    }

    /** {@code real}, counting its claims (each a query of the broadcasts task). */
    private static Broadcasts countingClaims(Broadcasts real, AtomicInteger claims) {
        return (Broadcasts) Proxy.newProxyInstance(Broadcasts.class.getClassLoader(),
                new Class<?>[] {Broadcasts.class}, (proxy, method, args) -> {
                    if (method.getName().equals("claim")) {
                        claims.incrementAndGet();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The admin drafts {@code text} and presses its send button: queued through {@code shop}'s admin console. */
    private void broadcastThrough(Shop shop, String text) {
        long id = h.stores.broadcasts().draft(ShopHarness.ADMIN, ShopHarness.ADMIN, text, h.clock.instant()).id();
        shop.storefront().serve(new Incoming(updates.incrementAndGet(), ShopHarness.actor(ShopHarness.ADMIN, "en"),
                new Event.Callback("press-" + id, CallbackData.evergreen(CallbackAction.SEND_BROADCAST,
                        Long.toString(id)), Optional.empty())));
    }

    /**
     * With no broadcast known to be waiting, the broadcasts tick (200 ms here, the pace of a running broadcast) does
     * not ask the database: it looked every 5 s for ever. A broadcast queued through the shop still goes at once, not
     * at the next idle look a minute away.
     */
    @Test
    void anIdleShopLooksForBroadcastsOnlyAtItsIdleLookYetOneQueuedThroughItGoesAtOnce() throws Exception {
        AtomicInteger claims = new AtomicInteger();
        Shop shop = h.anotherInstance(s -> withBroadcasts(s, countingClaims(s.broadcasts(), claims)));
        serve(shop, new Event.Command("start", ""));
        start(shop, ShopWork.Instances.SEVERAL, ShopWork.Settings.defaults()
                .withBroadcastsEvery(Duration.ofMillis(200)));
        await("the first look for broadcasts", () -> claims.get() > 0);
        int claimsBefore = claims.get();

        Thread.sleep(IDLE_WATCH.toMillis()); // no broadcast queued: only the idle look (a minute away) may ask

        assertThat(claims.get() - claimsBefore).as("broadcast claims in %s idle, ticks every 200 ms", IDLE_WATCH)
                .isLessThanOrEqualTo(IDLE_RUNS_MAX);
        broadcastThrough(shop, "news for all");
        await("the broadcast sent well before the next idle look", () -> sentText("news for all"));
    }

    /**
     * A broadcast queued through the shop wakes the broadcasts task, and another process's broadcast goes when it
     * says so: the tick is a day away.
     */
    @Test
    void aBroadcastQueuedThroughTheShopOrAnnouncedByAnotherProcessGoesWithoutATick() {
        AtomicInteger claims = new AtomicInteger();
        Shop shop = h.anotherInstance(s -> withBroadcasts(s, countingClaims(s.broadcasts(), claims)));
        serve(shop, new Event.Command("start", ""));
        ShopWork work = start(shop, ShopWork.Instances.SEVERAL, WAKE_UPS_ONLY);
        await("the first look for broadcasts", () -> claims.get() > 0);

        broadcastThrough(shop, "news through this shop");
        await("the broadcast queued through the shop sent", () -> sentText("news through this shop"));

        broadcastThrough(h.shop, "news from another process"); // another process on the same stores
        work.broadcastsQueued();
        await("the other process's broadcast sent", () -> sentText("news from another process"));
    }

    /**
     * A chat paced by the platform (one message a second here, as Telegram asks) gets its next reply at its turn, by a
     * run the outbox times for it: the safety tick is a day away, and nothing else wakes the outbox.
     */
    @Test
    void aChatPacedByThePlatformGetsItsNextReplyAtItsTurnNotAtTheTick() {
        Shop shop = h.anotherInstance(UnaryOperator.identity(),
                b -> b.chatPacing(new ChatPacing(Duration.ofSeconds(1), 1)));
        ShopWork work = start(shop, ShopWork.Instances.SEVERAL, WAKE_UPS_ONLY);
        shop.stores().pendingReplies().append(List.of(text(USER, "first"), text(USER, "second")), realNow());
        work.repliesQueued(); // one wake-up, for both

        await("the first reply sent", () -> sentText("first"));
        await("the second sent at the chat's next turn, about a second later", () -> sentText("second"));
    }

    /**
     * A job's next status read (the poll policy: a second after the submission here) is made when it falls due, by a
     * run the job worker times for it from {@code Jobs.nextCheckAt}: the safety tick is a day away.
     */
    @Test
    void aJobsNextStatusReadIsMadeWhenItFallsDueNotAtTheTick() {
        AtomicInteger statusReads = new AtomicInteger();
        GenerationProvider counting = new ForwardingProvider(h.provider) {
            @Override
            public TaskStatus statusOnce(Model model, String taskId, java.util.Map<String, String> chosen)
                    throws ProviderException {
                statusReads.incrementAndGet();
                return super.statusOnce(model, taskId, chosen);
            }
        };
        // the harness's clock stands still; this shop's goes on from it in real time, so the read falls due
        Clock ticking = Clock.offset(Clock.systemUTC(), Duration.between(Clock.systemUTC().instant(),
                h.clock.instant()));
        Shop shop = h.anotherInstance(UnaryOperator.identity(), b -> b.provider(counting).clock(ticking)
                .pollPolicy(PollPolicy.every(Duration.ofSeconds(1))));
        serve(shop, new Event.Command("start", ""));
        h.topUp(USER, 10_000);
        start(shop, ShopWork.Instances.SEVERAL, WAKE_UPS_ONLY);

        Job job = startJob(shop); // its creation wakes the worker, which submits it
        await("the job submitted", () -> state(shop, job) != JobState.HELD);
        await("its status read about a second later", () -> statusReads.get() > 0);
    }

    /**
     * A timed run a minute away (a chat paced at one message a minute, the slowest pacing) is cancelled at the stop, not waited for:
     * the scheduler's shutdown keeps delayed runs, so close sat out its whole grace for it, then warned that the work
     * did not stop.
     */
    @Test
    void closeDoesNotWaitForATimedRun() {
        AtomicInteger looksForPacedChats = new AtomicInteger();
        Shop shop = h.anotherInstance(s -> s.withPendingReplies(new ForwardingPendingReplies(s.pendingReplies()) {
            @Override
            public Optional<Instant> nextDueAfter(Instant now) {
                looksForPacedChats.incrementAndGet();
                return super.nextDueAfter(now);
            }
        }, s.transactions()), b -> b.chatPacing(new ChatPacing(ChatPacing.INTERVAL_MAX, 1)));
        ShopWork work = start(shop, ShopWork.Instances.SEVERAL, WAKE_UPS_ONLY.withStopGrace(PATIENCE));
        await("the first run over", () -> looksForPacedChats.get() > 0);
        int looksBefore = looksForPacedChats.get();
        shop.stores().pendingReplies().append(List.of(text(USER, "first"), text(USER, "second")), realNow());
        work.repliesQueued();
        await("the first reply sent, and the second's turn looked up", () -> sentText("first")
                && looksForPacedChats.get() > looksBefore);

        long closing = System.nanoTime();
        work.close();
        Duration took = Duration.ofNanos(System.nanoTime() - closing);

        assertThat(took).as("close, with a run timed a minute away, past the grace").isLessThan(PATIENCE.dividedBy(2));
        assertThat(h.messenger.texts()).doesNotContain("second");
    }

    @Test
    void theDefaultsAreDeclaredOnceAndEveryWrongSettingIsNamedWithItsRange() {
        assertThat(ShopWork.Settings.defaults()).isEqualTo(new ShopWork.Settings(3, 20, 200, Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5)));
        assertThat(ShopWork.Settings.defaults().broadcastsIdleEvery()).as("taken by the settings of before it too")
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(ShopWork.Settings.defaults().withBroadcastsIdleEvery(Duration.ofHours(1)).withThreads(4)
                .broadcastsIdleEvery()).as("kept by the other with-methods").isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> ShopWork.Settings.defaults().withBroadcastsIdleEvery(Duration.ZERO))
                .hasMessageContaining("broadcastsIdleEvery must be from a millisecond");

        assertThatThrownBy(() -> ShopWork.Settings.defaults().withThreads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be from 1 to 64; was 0");
        assertThatThrownBy(() -> new ShopWork.Settings(100, 0, 0, Duration.ZERO, null, Duration.ofDays(2),
                Duration.ofSeconds(-1)))
                .hasMessageContainingAll("threads", "batch", "repliesPerRun", "repliesEvery", "jobsEvery",
                        "broadcastsEvery", "stopGrace");
        assertThatThrownBy(() -> ShopWork.start(h.shop, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("Instances.ONE or Instances.SEVERAL");
    }
}
