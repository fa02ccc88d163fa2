package dev.kiebot.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.runtime.loops.SafetyPoll;
import dev.kiebot.testing.Patience;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackgroundWorkTest {
    /** A provider that only answers its credits (also {@code TwoInstancesAlertsTest}'s). */
    static GenerationProvider withCredits(String credits) {
        return new GenerationProvider() {
            @Override
            public String submit(SubmitRequest request) {
                throw new UnsupportedOperationException();
            }

            @Override
            public TaskStatus status(Model model, String taskId) {
                return new TaskStatus.Queued();
            }

            @Override
            public String upload(byte[] content, String fileName, String mimeType) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.util.Optional<BigDecimal> credits() {
                return java.util.Optional.of(new BigDecimal(credits));
            }
        };
    }

    /**
     * Kie's credits are read every ten minutes for the {@code kiebot_provider_credits} gauge, once, whoever reads them:
     * core's upkeep when KIE_LOW_CREDITS is above 0 (it tells the admins, {@code LowCreditsTest}), the runtime's own
     * read when it is 0 and the shop has no {@code credits} task.
     */
    @Test
    void theCreditsAreReadOnceEveryTenMinutesWithTheAlertOnOrOff() {
        ShopHarness off = new ShopHarness();
        ShopHarness on = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(1L))
                .withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL, b -> b.lowCredits(new BigDecimal("100")));
        for (ShopHarness h : List.of(off, on)) {
            BackgroundWork work = new BackgroundWork(h.shop, h.provider, h.clock, SafetyPoll.DEFAULT, quiet -> { });
            work.start();
            work.close();
            assertThat(work.scheduled()).as("one credits read").containsOnlyOnce(BackgroundWork.CREDITS);
        }
    }

    /** The handlers' stall watch runs on the beat with the other looks, within the bound of periodic tasks. */
    @Test
    void theInboxWatchIsScheduledWhenGiven() {
        ShopHarness on = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(1L))
                .withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL, b -> b.lowCredits(new BigDecimal("100")));
        BackgroundWork work = new BackgroundWork(on.shop, on.provider, on.clock, SafetyPoll.DEFAULT, quiet -> { },
                java.util.Optional.of(() -> { }));
        work.start();
        work.close();
        assertThat(work.scheduled()).containsOnlyOnce(BackgroundWork.INBOX_WATCH);
    }

    /** KIE_LOW_CREDITS=0: the gauge's read tells nobody, even of a balance below zero (an overdraft). */
    @Test
    void theGaugesReadTellsNobodyEvenBelowZero() {
        ShopHarness h = new ShopHarness();
        h.provider.setCredits(new BigDecimal("-3"));
        BackgroundWork off = new BackgroundWork(h.shop, h.provider, h.clock, SafetyPoll.DEFAULT, quiet -> { });
        off.readCredits();
        h.deliver();
        assertThat(h.provider.creditReads()).isEqualTo(1);
        assertThat(h.messenger.all()).isEmpty();
    }

    @Test
    void anIdleBroadcastTickLooksAtTheDatabaseOnlyWhenWokenOrAtTheNextBeat() {
        ShopHarness h = new ShopHarness();
        BackgroundWork work = withOneUser(h);
        long tickNanos = BackgroundWork.BROADCAST_EVERY.toNanos();
        // the ticks are given their times: start a tick after a beat began, so the few ticks after the next beat
        // stay in that beat (started anywhere, one began a beat more once in a few dozen runs, and looked)
        long now = firstNanosOfNextBeat(SafetyPoll.DEFAULT, System.nanoTime()) + tickNanos;
        work.broadcastTick(now); // the first tick looks: a broadcast may be left from before a restart
        queueBroadcast(h, "unannounced");
        h.clock.advance(Duration.ofHours(1)); // the business clock does not time the looks
        for (long t = now + tickNanos; SafetyPoll.DEFAULT.beat(t) == SafetyPoll.DEFAULT.beat(now); t += tickNanos) {
            work.broadcastTick(t);
        }
        h.deliver();
        assertThat(h.messenger.texts()).as("no wake-up, the next beat not come").isEmpty();
        long nextBeat = now + SafetyPoll.DEFAULT.period().toNanos();
        work.broadcastTick(nextBeat);
        h.deliver();
        assertThat(h.messenger.texts()).as("found by the beat's look").contains("unannounced");
        h.messenger.drain();
        work.broadcastTick(nextBeat + tickNanos); // the batch was sent: one more look finds nothing, the tick is quiet
        queueBroadcast(h, "announced");
        work.broadcastTick(nextBeat + 2 * tickNanos);
        h.deliver();
        assertThat(h.messenger.texts()).as("neither woken nor a new beat").isEmpty();
        work.wakeBroadcasts();
        work.broadcastTick(nextBeat + 3 * tickNanos);
        h.deliver();
        assertThat(h.messenger.texts()).as("woken: sent at the next tick").contains("announced");
    }

    /** Ticks at a fixed rate: after one that sent for long, the next batches wait a whole tick, not none. */
    @Test
    void aLongBroadcastTickIsFollowedByAPause() {
        ShopHarness h = new ShopHarness();
        BackgroundWork work = withOneUser(h);
        long tick = BackgroundWork.BROADCAST_EVERY.toNanos();
        long longAgo = System.nanoTime() - 2 * tick; // a tick that started two ticks ago and ends now
        queueBroadcast(h, "first");
        work.wakeBroadcasts();
        work.broadcastTick(longAgo);
        h.deliver();
        assertThat(h.messenger.texts()).contains("first");
        h.messenger.drain();
        queueBroadcast(h, "second");
        work.wakeBroadcasts();
        long now = System.nanoTime();
        work.broadcastTick(now + tick / 2); // the overrun ticks, due at once
        work.broadcastTick(now + tick / 2 + 1);
        h.deliver();
        assertThat(h.messenger.texts()).as("a pause after a long tick").isEmpty();
        work.broadcastTick(now + tick + tick / 10);
        h.deliver();
        assertThat(h.messenger.texts()).as("sent a tick after it").contains("second");
    }

    /**
     * The pooled connections are let go once a beat, after the beat's looks, if the pool was quiet since them. A
     * periodic task runs at its time or later, never sooner: each release is checked against the earliest time it
     * may come (a release per beat from the first beat after the start, two look windows into it), so a late run on
     * a busy machine, or the catching up after it, passes, and a release during the looks or more often than a beat
     * does not.
     */
    @Test
    void theIdleConnectionsAreReleasedOnceABeatAfterItsLooks() throws Exception {
        ShopHarness h = new ShopHarness();
        SafetyPoll beat = new SafetyPoll(Duration.ofSeconds(1));
        List<Long> releases = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Duration> quiet = new java.util.concurrent.CopyOnWriteArrayList<>();
        BackgroundWork work = new BackgroundWork(h.shop, withCredits("1"), h.clock, beat,
                q -> {
                    releases.add(System.nanoTime());
                    quiet.add(q);
                });
        long firstBeat = firstNanosOfNextBeat(beat, System.nanoTime());
        work.start();
        try {
            Patience.await("three releases", Duration.ofSeconds(30), () -> releases.size() >= 3);
        } finally {
            work.close();
        }
        assertThat(releases).as("a release a beat, not a minute's safety poll").hasSizeGreaterThanOrEqualTo(3);
        assertThat(quiet).as("quiet since the looks' window ended").containsOnly(beat.lookWindow().dividedBy(2));
        long afterLooks = beat.lookWindow().multipliedBy(2).toNanos();
        for (int i = 0; i < releases.size(); i++) {
            long earliest = firstBeat + i * beat.period().toNanos() + afterLooks;
            assertThat(releases.get(i) - earliest)
                    .as("release %d, at most one a beat, comes after its beat's look window", i)
                    .isGreaterThanOrEqualTo(0);
        }
    }

    /**
     * Found by an operator review: a task the stop interrupted (a broadcast's batch, after the stop's 5 s wait) was an
     * ERROR with its stack trace, read as the stop's cause. It is the stop's doing: one INFO line.
     */
    @Test
    void aTaskTheStopInterruptsIsOneInfoLineNotAnError() throws Exception {
        ShopHarness h = new ShopHarness();
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        BackgroundWork work = new BackgroundWork(h.shop, withCredits("1"), h.clock,
                new SafetyPoll(Duration.ofSeconds(1)), quiet -> {
                    running.countDown();
                    try {
                        Thread.sleep(Duration.ofMinutes(10).toMillis()); // a task that outlasts the stop's wait
                    } catch (InterruptedException e) {
                        // as a database driver or an HTTP client does: the interruption, wrapped
                        throw new IllegalStateException("interrupted while releasing", e);
                    }
                });
        dev.kiebot.runtime.testing.LogCapture logs = dev.kiebot.runtime.testing.LogCapture.attach();
        try {
            work.start();
            assertThat(Patience.await(running, Duration.ofSeconds(30))).isTrue();
            work.close();
            // the interrupted task logs on its own thread, which close() does not wait for: its line, whichever
            Patience.await("the interrupted task's line", Duration.ofSeconds(30),
                    () -> logs.lines().stream().anyMatch(l -> l.contains("connections ")));
        } finally {
            logs.detach();
        }
        String logger = BackgroundWork.class.getName() + " ";
        assertThat(logs.warnings()).as("no ERROR, no trace").noneMatch(l -> l.contains(logger));
        assertThat(logs.lines()).contains(logger + "connections was interrupted by the stop "
                + "(java.lang.IllegalStateException: interrupted while releasing); what it had left is done after the "
                + "next start");
    }

    /** The work of a shop with one user, a broadcast's recipient, whose welcome is delivered and forgotten. */
    private static BackgroundWork withOneUser(ShopHarness h) {
        BackgroundWork work = new BackgroundWork(h.shop, withCredits("1"), h.clock,
                SafetyPoll.DEFAULT, quiet -> { });
        h.command(42, "start");
        h.deliver();
        h.messenger.drain();
        return work;
    }

    private static void queueBroadcast(ShopHarness h, String text) {
        var draft = h.stores.broadcasts().draft(1, 1, text, h.clock.instant());
        assertThat(h.stores.broadcasts().queue(draft.id(), Optional.empty(), h.clock.instant())).isPresent();
    }

    /**
     * An idle bot's hour had one line, the cleanup's "0 handled updates, 0 audit events, …" (review L68): a pass that
     * removed nothing says so at DEBUG, one that removed something at INFO.
     */
    @Test
    void aCleanupThatRemovedNothingIsNoInfoLine() {
        ShopHarness h = new ShopHarness();
        BackgroundWork work = new BackgroundWork(h.shop, withCredits("1"), h.clock, SafetyPoll.DEFAULT, quiet -> { });
        dev.kiebot.runtime.testing.LogCapture logs = dev.kiebot.runtime.testing.LogCapture.attach();
        try {
            work.cleanup();
            assertThat(logs.linesWithLevels()).noneMatch(l -> l.contains("cleanup: ") && !l.startsWith("DEBUG"));
            h.stores.processedUpdates().record(1, 1, "{}", h.clock.instant());
            h.stores.processedUpdates().done(1, h.clock.instant());
            h.clock.advance(Duration.ofDays(8));
            work.cleanup();
            assertThat(logs.linesWithLevels()).filteredOn(l -> l.contains("cleanup: ") && !l.startsWith("DEBUG"))
                    .singleElement().asString().startsWith("INFO ").contains("cleanup: 1 handled updates");
        } finally {
            logs.detach();
        }
    }

    @Test
    void cleanupForgetsOldUpdatesEventsAndFreeUsesOnly() {
        ShopHarness h = new ShopHarness();
        BackgroundWork work = new BackgroundWork(h.shop, withCredits("1"), h.clock, SafetyPoll.DEFAULT, quiet -> { });
        java.time.LocalDate firstDay = h.clock.instant().atOffset(java.time.ZoneOffset.UTC).toLocalDate();
        h.stores.freeUsage().tryUse(7, firstDay, 5, "gen_1");
        h.stores.processedUpdates().record(1, 1, "{}", h.clock.instant());
        h.stores.processedUpdates().done(1, h.clock.instant());
        h.stores.audit().record(new AuditEvent(h.clock.instant(), "system", "x", "", Optional.empty()));
        h.clock.advance(Duration.ofDays(8));
        h.stores.audit().record(new AuditEvent(h.clock.instant(), "system", "y", "", Optional.empty()));
        work.cleanup();
        assertThat(h.stores.processedUpdates().record(1, 1, "{}", h.clock.instant())).as("purged").isTrue();
        assertThat(h.stores.audit().recent(10)).hasSize(2);
        assertThat(h.stores.freeUsage().used(7, firstDay)).as("kept for 30 days").isEqualTo(1);
        h.clock.advance(Duration.ofDays(25));
        work.cleanup();
        assertThat(h.stores.audit().recent(10)).extracting(AuditEvent::action).containsExactly("y");
        assertThat(h.stores.freeUsage().used(7, firstDay)).as("past its 30 days").isZero();
    }

    @Test
    void unconfirmedManualTopUpsExpireInBoundedBatches() {
        ShopHarness h = new ShopHarness();
        BackgroundWork work = new BackgroundWork(h.shop, withCredits("1"), h.clock,
                SafetyPoll.DEFAULT, quiet -> { });
        h.command(42, "start");
        int requests = dev.kiebot.core.shop.Upkeep.MANUAL_EXPIRED_PER_PASS_MAX * 2 + 3;
        for (int i = 0; i < requests; i++) {
            h.stores.manualTopUps().create(new dev.kiebot.core.payments.ManualTopUpDraft("k" + i, 42, 42, 10_000,
                    "REF" + i, h.clock.instant(), h.clock.instant().plus(Duration.ofHours(48))));
        }
        work.expireManualTopUps();
        assertThat(h.stores.manualTopUps().countOpen()).isEqualTo(requests);
        h.clock.advance(Duration.ofHours(48));
        work.expireManualTopUps();
        assertThat(h.stores.manualTopUps().countOpen()).isZero();
        h.deliver();
        assertThat(h.messenger.texts()).hasSize(requests).allSatisfy(t -> assertThat(t).contains("expired"));
    }

    /** The first nanosecond of the beat after {@code nanos}'s: a period later is in it or beyond, so bisect. */
    private static long firstNanosOfNextBeat(SafetyPoll poll, long nanos) {
        long beat = poll.beat(nanos);
        long lo = nanos;
        long hi = nanos + poll.period().toNanos();
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (poll.beat(mid) > beat) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }
}
