package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.payments.AdminNotice;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.ManualTopUpCreation;
import dev.kiebot.core.payments.ManualTopUpDraft;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.shop.Upkeep;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The hourly cleanup on kiebot's PostgreSQL stores forgets what only grew: the admins' notices of card / SBP requests
 * closed a month ago and their messages' tags (a row each per request per admin, kept for ever before), and handled
 * updates a week old; what is young, or a request still open, is kept.
 */
class PgUpkeepRetentionTest {
    private static final long ADMIN = ShopHarness.ADMIN;

    private final ShopHarness h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults()
            .withAdmins(Set.of(ADMIN)).withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL,
            UnaryOperator.identity(), TestDatabase::emptyStores);
    private final Instant t0 = h.clock.instant();

    @Test
    void adminNoticesOfRequestsClosedAMonthAgoGoWithTheirTagsYoungAndOpenOnesStay() {
        ManualTopUp old = told(request(1, "AAAAA2"));
        h.stores.manualTopUps().decide(old.id(), ManualTopUpState.APPROVED, ADMIN, t0.plusSeconds(60));
        h.clock.advance(Duration.ofDays(20));
        ManualTopUp young = told(request(2, "AAAAA3"));
        h.stores.manualTopUps().decide(young.id(), ManualTopUpState.DECLINED, ADMIN, h.clock.instant());
        ManualTopUp open = told(request(3, "AAAAA4"));
        h.stores.manualTopUps().claimPaid(open.id());
        h.clock.set(t0.plus(Upkeep.ADMIN_NOTICE_RETENTION).plus(Duration.ofMinutes(2)));

        Upkeep.Cleaned cleaned = h.shop.upkeep().cleanup();

        assertThat(cleaned.adminNotices()).isEqualTo(1);
        assertThat(h.stores.manualTopUps().notices(old.id())).isEmpty();
        assertThat(h.stores.pendingReplies().taggedMessage(ADMIN, "manual:" + old.id())).isEmpty();
        assertThat(h.stores.manualTopUps().notices(young.id())).as("closed 11 days ago").hasSize(1);
        assertThat(h.stores.pendingReplies().taggedMessage(ADMIN, "manual:" + young.id())).isPresent();
        assertThat(h.stores.manualTopUps().notices(open.id())).as("still open").hasSize(1);
        assertThat(h.stores.pendingReplies().taggedMessage(ADMIN, "manual:" + open.id())).isPresent();
        assertThat(h.shop.upkeep().cleanup().adminNotices()).as("nothing more").isZero();
    }

    @Test
    void handledUpdatesAWeekOldAreForgottenAndTheNewerOrUnhandledKept() {
        h.stores.processedUpdates().record(1, 10, "{}", t0);
        h.stores.processedUpdates().done(1, t0);
        h.stores.processedUpdates().record(2, 11, "{}", t0); // never handled
        h.clock.advance(Duration.ofDays(1));
        h.stores.processedUpdates().record(3, 12, "{}", h.clock.instant());
        h.stores.processedUpdates().done(3, h.clock.instant());
        h.clock.set(t0.plus(Upkeep.UPDATE_RETENTION).plusSeconds(1));

        assertThat(h.shop.upkeep().cleanup().updates()).isEqualTo(1);
        assertThat(h.stores.processedUpdates().record(1, 10, "{}", h.clock.instant())).as("forgotten").isTrue();
        assertThat(h.stores.processedUpdates().record(2, 11, "{}", h.clock.instant())).as("kept").isFalse();
        assertThat(h.stores.processedUpdates().record(3, 12, "{}", h.clock.instant())).as("kept").isFalse();
    }

    /**
     * A reply moved to {@code outbox_dead_letters} holds what the user was to be sent (his words quoted back, a name):
     * it goes a month after it was moved, and a younger one stays for the operator to read. Kept for ever before
     * (privacy review R4).
     */
    @Test
    void deadLettersMovedAMonthAgoGoAndYoungerOnesStay() {
        deadLetter(1, t0);
        deadLetter(2, t0.plus(Duration.ofDays(10)));
        h.clock.set(t0.plus(Upkeep.DEAD_LETTER_RETENTION).plusSeconds(1));

        assertThat(h.shop.upkeep().cleanup().deadLetters()).isEqualTo(1);
        assertThat(deadLetters()).as("moved 20 days ago").containsExactly(2L);
        assertThat(h.shop.upkeep().cleanup().deadLetters()).as("nothing more").isZero();
    }

    private static List<Long> deadLetters() {
        return TestDatabase.jdbi().withHandle(db -> db.createQuery("SELECT id FROM outbox_dead_letters")
                .mapTo(Long.class).list());
    }

    /** As the outbox moves a reply no build reads a day after it was queued. */
    private static void deadLetter(long id, Instant movedAt) {
        TestDatabase.jdbi().useHandle(db -> db.createUpdate("INSERT INTO outbox_dead_letters (id, chat_id, body, kind, "
                        + "queued_at, moved_at) VALUES (:id, 123456789, CAST(:body AS jsonb), 'unreadable', :queued, "
                        + ":moved)")
                .bind("id", id)
                .bind("body", "{\"kind\":\"text\",\"text\":\"a user's words\"}")
                .bind("queued", Sql.ts(movedAt.minus(Duration.ofDays(1))))
                .bind("moved", Sql.ts(movedAt))
                .execute());
    }

    private ManualTopUp request(long user, String reference) {
        Instant now = h.clock.instant();
        ManualTopUpCreation c = h.stores.manualTopUps().create(new ManualTopUpDraft("upd:" + user, user, user, 50_000,
                reference, now, now.plus(Duration.ofDays(1))), 2);
        return ((ManualTopUpCreation.Created) c).request();
    }

    /** As the desk tells an admin: a notice, and the outbox's tag of the message it sent. */
    private ManualTopUp told(ManualTopUp r) {
        h.stores.manualTopUps().addNotice(r.id(), new AdminNotice(ADMIN));
        h.stores.pendingReplies().tag(ADMIN, "manual:" + r.id(), 1_000 + r.id());
        return r;
    }
}
