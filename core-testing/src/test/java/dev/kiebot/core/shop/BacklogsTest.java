package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replies that do not leave (Telegram unreachable, the senders stuck), and generations nobody checks (the job
 * worker's threads held), are told to the admins by the upkeep: once when the oldest has waited its limit, once when
 * the backlog is gone; not at every look in between.
 */
class BacklogsTest {
    private static final long U = 42;
    /** The outbox stamps replies on the pacing clock (real time in a bot). */
    private final MutableClock pacing = MutableClock.at("2026-11-21T10:00:00Z");
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off()), ManualPayments.off(), b -> b.pacingClock(pacing))
                .startedByAdminAnd(U);
        h.messenger.drain();
    }

    /** Time passes, for the shop and the outbox alike. */
    private void later(Duration d) {
        h.clock.advance(d);
        pacing.advance(d);
    }

    /** The upkeep's task, as a runner schedules it. */
    private void look() {
        h.shop.upkeep().tasks().stream().filter(t -> t.name().equals("backlogs")).findFirst().orElseThrow()
                .run().run();
    }

    /** A reply to the user queued now, and not sent (nobody delivers until the test does). */
    private void replyWaits() {
        h.shop.outbox().send(new Reply.SendText(U, "your result", Keyboard.NONE));
    }

    private List<String> toldAdmin() {
        return h.messenger.drain().stream().filter(r -> r.chatId() == ShopHarness.ADMIN)
                .map(r -> ((Reply.SendText) r).text()).toList();
    }

    /** The alerts and all-clears of one backlog ({@code alert:replies}, {@code alert:jobs}, {@code alert:updates}). */
    private List<String> tellings(String occasion) {
        return h.stores.audit().byCorrelation(occasion).stream().map(AuditEvent::action).toList();
    }

    /** Two looks of the upkeep, then what reached the admin: one telling, not one per look. */
    private String toldOnceAfterTwoLooks() {
        look();
        look();
        h.deliver();
        List<String> told = toldAdmin();
        assertThat(told).as("told once").hasSize(1);
        return told.get(0);
    }

    @Test
    void repliesStuckForAQuarterOfAnHourAreToldOnceAndTheirGoingOutOnce() {
        replyWaits();
        later(Backlogs.REPLIES_LATE.minusSeconds(1));
        look();
        assertThat(tellings("alert:replies")).as("not yet: a lease of a dead sender lasts 10 minutes").isEmpty();

        later(Duration.ofSeconds(1));
        look();
        later(Duration.ofMinutes(5));
        look();
        assertThat(tellings("alert:replies")).as("told once while stuck").containsExactly("alert.replies_stuck");

        h.deliver(); // Telegram answers again: the user's reply and the alert go out
        assertThat(toldAdmin()).singleElement().asString()
                .contains("replies are not reaching users", "waited 15", "restart the bot");
        assertThat(toldOnceAfterTwoLooks()).as("the all-clear, once")
                .contains("replies reach users again");

        replyWaits();
        later(Backlogs.REPLIES_LATE);
        look();
        h.deliver();
        assertThat(toldAdmin()).as("stuck again: told again").singleElement().asString()
                .contains("replies are not reaching users");
        assertThat(tellings("alert:replies")).containsExactly("alert.replies_stuck", "alert.replies_flowing", "alert.replies_stuck");
    }

    @Test
    void aReplyWaitingAMinuteIsNoAllClear() {
        replyWaits();
        later(Backlogs.REPLIES_LATE);
        look();
        later(Duration.ofSeconds(1));
        replyWaits();
        later(Backlogs.CAUGHT_UP);
        assertThat(h.shop.sender().drain(2)).as("the first reply and the alert go out").isEqualTo(2);
        look();
        assertThat(tellings("alert:replies")).as("a reply waits a minute: not caught up yet").containsExactly("alert.replies_stuck");
        h.deliver();
        look();
        assertThat(tellings("alert:replies")).containsExactly("alert.replies_stuck", "alert.replies_flowing");
    }

    /** The job worker stopped (its threads held by calls that hang): a running generation's checks fall behind. */
    @Test
    void generationsCheckedTenMinutesLateAreToldOnceAndTheirCatchingUpOnce() {
        h.topUp(U, 100_000);
        h.runningFoxImage(U);
        h.messenger.drain();
        h.clock.advance(Backlogs.JOBS_LATE); // its check was due 5 s after its submission
        look();
        assertThat(tellings("alert:jobs")).as("not yet: a step may wait on Kie for minutes").isEmpty();
        h.clock.advance(Duration.ofSeconds(5));
        assertThat(toldOnceAfterTwoLooks())
                .contains("not checked on time", "is 10", "restart the bot");

        h.work(10); // the worker takes the job again: its next check is ahead
        assertThat(toldOnceAfterTwoLooks()).as("the all-clear, once")
                .contains("checked on time again");
        assertThat(tellings("alert:jobs")).containsExactly("alert.jobs_late", "alert.jobs_on_time");
        assertThat(tellings("alert:replies")).as("the replies went out all along").isEmpty();
    }

    /** The admin's own screen shows how far behind the queues are, before any alert. */
    @Test
    void theAdminsScreenShowsHowFarBehindTheQueuesAre() {
        assertThat(ShopHarness.lastText(h.admin("admin", ""))).as("nothing waits: one short line")
                .contains("🚦 Queues: no delay in any\n");
        h.topUp(U, 100_000);
        h.runningFoxImage(U);
        replyWaits();
        pacing.advance(Duration.ofMinutes(3));
        h.clock.advance(Duration.ofMinutes(2).plusSeconds(5)); // its check was due 5 s after its submission
        assertThat(ShopHarness.lastText(h.admin("admin", "")))
                .contains("replies to them — 3", "generation checks — 2")
                .containsPattern("them — 3\\Sminutes behind, generation checks — 2\\Sminutes behind")
                .as("a queue that does not wait is named beside those that do")
                .contains("Queues: users' messages — no delay, replies to them");
    }

    /**
     * The handlers stopped (their threads held, an update that keeps failing first in line): a user's message waits
     * in the inbox, and the bot seems dead to him.
     */
    @Test
    void aUsersMessageNotHandledForTenMinutesIsToldOnceAndTheHandlingGoingOnOnce() {
        h.stores.processedUpdates().record(7_001, U, "{}", h.clock.instant());
        later(Backlogs.UPDATES_LATE.minusSeconds(1));
        look();
        assertThat(tellings("alert:updates")).as("not yet").isEmpty();
        assertThat(ShopHarness.lastText(h.admin("admin", ""))).contains("users' messages — 9\u00A0minutes behind");
        later(Duration.ofSeconds(1));
        assertThat(toldOnceAfterTwoLooks())
                .contains("not handling users' messages", "waited 10", "restart the bot");

        h.stores.transactions().inOne(() -> {
            var u = h.stores.processedUpdates().claimNext().orElseThrow();
            h.stores.processedUpdates().done(u.updateId(), h.clock.instant());
            return u;
        });
        assertThat(toldOnceAfterTwoLooks()).as("the all-clear, once")
                .contains("handles users' messages again");
        assertThat(tellings("alert:updates")).containsExactly("alert.updates_stuck", "alert.updates_flowing");
        assertThat(tellings("alert:replies")).as("the replies went out all along").isEmpty();
    }

    /**
     * The looks run every minute for as long as the bot runs, while an occasion's trail only grows (two tellings per
     * stuck night, kept for the audit's retention): each look asks the trail for its last telling alone, never for the
     * whole of it.
     */
    @Test
    void aLookReadsTheLastTellingAloneNeverTheOccasionsWholeTrail() {
        java.util.concurrent.atomic.AtomicInteger wholeTrails = new java.util.concurrent.atomic.AtomicInteger();
        ShopHarness counted = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
                .withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()), ManualPayments.off(),
                b -> b.pacingClock(pacing), clock -> {
                    dev.kiebot.core.shop.Stores s = dev.kiebot.core.testing.memory.InMemoryStores.create(clock);
                    return new dev.kiebot.core.shop.Stores(s.users(), s.chatStates(), s.ledger(), s.jobs(),
                            s.payments(), s.freeUsage(), s.processedUpdates(), new WholeTrailsCounted(s.audit(),
                            wholeTrails), s.admissions(), s.broadcasts(), s.manualTopUps(), s.supportTickets(),
                            s.figures(), s.pendingReplies(), s.transactions(), s.pausedModels(),
                            s.externalRefundDues(), s.personalData());
                }).startedByAdminAnd(U);
        counted.messenger.drain();
        Runnable look = counted.shop.upkeep().tasks().stream().filter(t -> t.name().equals("backlogs")).findFirst()
                .orElseThrow().run();
        counted.shop.outbox().send(new Reply.SendText(U, "your result", Keyboard.NONE));
        pacing.advance(Backlogs.REPLIES_LATE);
        counted.clock.advance(Backlogs.REPLIES_LATE);

        look.run();
        look.run();

        assertThat(wholeTrails).as("whole trails read by the looks").hasValue(0);
        assertThat(counted.stores.audit().byCorrelation("alert:replies")).extracting(AuditEvent::action)
                .as("told once").containsExactly(AdminAlerts.REPLIES_STUCK);
    }

    /** An audit that counts the reads of an occasion's whole trail. */
    private record WholeTrailsCounted(dev.kiebot.core.audit.Audit audit,
                                      java.util.concurrent.atomic.AtomicInteger reads)
            implements dev.kiebot.core.audit.Audit {
        @Override
        public void record(AuditEvent event) {
            audit.record(event);
        }

        @Override
        public boolean recordFirst(AuditEvent event, java.time.Instant since) {
            return audit.recordFirst(event, since);
        }

        @Override
        public List<AuditEvent> byCorrelation(String correlationId) {
            reads.incrementAndGet();
            return audit.byCorrelation(correlationId);
        }

        @Override
        public java.util.Optional<AuditEvent> lastByCorrelation(String correlationId) {
            return audit.lastByCorrelation(correlationId);
        }

        @Override
        public List<AuditEvent> recent(int limit) {
            return audit.recent(limit);
        }

        @Override
        public int purge(java.time.Instant cutoff) {
            return audit.purge(cutoff);
        }
    }
}
