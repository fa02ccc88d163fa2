package dev.kiebot.postgres;

import dev.kiebot.core.audit.Audit;
import dev.kiebot.core.broadcast.Broadcasts;
import dev.kiebot.core.catalog.PausedModels;
import dev.kiebot.core.intake.Admissions;
import dev.kiebot.core.testing.contract.ChargeLockContract;
import dev.kiebot.core.testing.contract.ExternalRefundDuesContract;
import dev.kiebot.core.testing.contract.JobsContract;
import dev.kiebot.core.testing.contract.LedgerContract;
import dev.kiebot.core.testing.contract.QueuesContract;
import dev.kiebot.core.testing.contract.ManualTopUpsContract;
import dev.kiebot.core.testing.contract.ShopFiguresContract;
import dev.kiebot.core.testing.contract.SingletonLockContract;
import dev.kiebot.core.testing.contract.SupportTicketsContract;
import dev.kiebot.core.testing.contract.TransactionsContract;
import dev.kiebot.core.payments.ManualTopUps;
import dev.kiebot.core.support.SupportTickets;
import dev.kiebot.core.testing.contract.StoresContract;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.shop.Transactions;
import dev.kiebot.core.conversation.ChatStates;
import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.intake.SingletonLock;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.users.FreeUsage;
import dev.kiebot.core.users.Users;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Nested;

/** The PostgreSQL stores pass core's contracts, unchanged, against a real PostgreSQL. */
class PgContractsTest {

    @Nested
    class LedgerTest extends LedgerContract {
        @Override
        protected Ledger create(MutableClock clock) {
            TestDatabase.truncateAll();
            return new PgLedger(TestDatabase.get(), clock);
        }
    }

    @Nested
    class JobsTest extends JobsContract {
        @Override
        protected Jobs create() {
            TestDatabase.truncateAll();
            return new PgJobs(TestDatabase.jdbi());
        }
    }

    @Nested
    class ManualTopUpsTest extends ManualTopUpsContract {
        @Override
        protected ManualTopUps create() {
            TestDatabase.truncateAll();
            return new PgManualTopUps(TestDatabase.jdbi());
        }
    }

    @Nested
    class SupportTicketsTest extends SupportTicketsContract {
        @Override
        protected SupportTickets create() {
            TestDatabase.truncateAll();
            return new PgSupportTickets(TestDatabase.jdbi());
        }
    }

    @Nested
    class ShopFiguresTest extends ShopFiguresContract {
        @Override
        protected World create(MutableClock clock) {
            TestDatabase.truncateAll();
            Jdbi jdbi = TestDatabase.jdbi();
            return new World(new PgUsers(jdbi), new PgJobs(jdbi), new PgLedger(TestDatabase.get(), clock),
                    new PgManualTopUps(jdbi), new PgShopFigures(jdbi));
        }
    }

    @Nested
    class OtherStoresTest extends StoresContract {
        private final Jdbi jdbi = TestDatabase.jdbi();

        @Override
        protected void reset() {
            TestDatabase.truncateAll();
        }

        @Override
        protected Users users() {
            return new PgUsers(jdbi);
        }

        @Override
        protected ChatStates chatStates() {
            return new PgChatStates(jdbi);
        }

        @Override
        protected FreeUsage freeUsage() {
            return new PgFreeUsage(jdbi);
        }

        @Override
        protected Payments payments() {
            return new PgPayments(jdbi);
        }

        @Override
        protected Ledger ledger() {
            return new PgLedger(TestDatabase.get(), java.time.Clock.systemUTC());
        }

        @Override
        protected Audit audit() {
            return new PgAudit(jdbi);
        }

        @Override
        protected Admissions admissions() {
            return new PgAdmissions(jdbi);
        }

        @Override
        protected Broadcasts broadcasts() {
            return new PgBroadcasts(jdbi);
        }

        @Override
        protected PausedModels pausedModels() {
            // as PgStores.create makes it: kept in memory, each change heard of in process
            return new PgPausedModels(jdbi, TestDatabase.get().wakeups());
        }
    }

    @Nested
    class PersonalDataTest extends dev.kiebot.core.testing.contract.PersonalDataContract {
        @Override
        protected dev.kiebot.core.shop.Stores create(MutableClock clock) {
            return TestDatabase.emptyStores(clock);
        }

        @Override
        protected StoredPayload payloadOf(long updateId) {
            // a handled update's body is blanked to '' when done (PgProcessedUpdates.DONE): dropped
            return TestDatabase.jdbi().withHandle(h -> h.createQuery(
                            "SELECT payload, done_at IS NOT NULL AND payload = '' AS dropped FROM processed_updates "
                                    + "WHERE update_id = :id")
                    .bind("id", updateId)
                    .map((rs, ctx) -> rs.getBoolean("dropped") ? new StoredPayload.Dropped()
                            : (StoredPayload) new StoredPayload.Kept(rs.getString("payload")))
                    .findOne()
                    .orElseGet(StoredPayload.NotStored::new));
        }

        /** The builds before 0.1.0's blanking at DONE kept a handled update's body: PgPersonalData blanks those. */
        @Override
        protected void keptByAnEarlierVersion(long updateId, String payload) {
            TestDatabase.jdbi().useHandle(h -> h.createUpdate(
                            "UPDATE processed_updates SET payload = :p WHERE update_id = :id AND done_at IS NOT NULL")
                    .bind("p", payload)
                    .bind("id", updateId)
                    .execute());
        }
    }

    @Nested
    class ExternalRefundDuesTest extends ExternalRefundDuesContract {
        @Override
        protected dev.kiebot.core.shop.Stores create(MutableClock clock) {
            return TestDatabase.emptyStores(clock);
        }
    }

    @Nested
    class TransactionsTest extends TransactionsContract {
        @Override
        protected dev.kiebot.core.shop.Stores create(MutableClock clock) {
            return TestDatabase.emptyStores(clock);
        }
    }

    @Nested
    class QueuesTest extends QueuesContract {
        private final Jdbi jdbi = TestDatabase.jdbi();

        @Override
        protected void reset() {
            TestDatabase.truncateAll();
        }

        @Override
        protected ProcessedUpdates processedUpdates() {
            return new PgProcessedUpdates(jdbi);
        }

        @Override
        protected PendingReplies pendingReplies() {
            return new PgPendingReplies(jdbi);
        }

        /** As the claim moves a reply no build reads ({@code PgPendingReplies.DEAD_LETTER}). */
        @Override
        protected boolean deadLetter(long id, long chatId, Instant movedAt) {
            jdbi.useHandle(h -> h.createUpdate("INSERT INTO outbox_dead_letters (id, chat_id, body, kind, queued_at, "
                            + "moved_at) VALUES (:id, :chat, CAST(:body AS jsonb), 'unreadable: IllegalArgumentException', "
                            + ":queued, :moved)")
                    .bind("id", id)
                    .bind("body", "{\"kind\":\"text\",\"text\":\"a user's words\"}")
                    .bind("chat", chatId)
                    .bind("queued", Sql.ts(movedAt.minus(PgPendingReplies.UNREADABLE_MAX)))
                    .bind("moved", Sql.ts(movedAt))
                    .execute());
            return true;
        }

        @Override
        protected List<Long> deadLetters() {
            return jdbi.withHandle(h -> h.createQuery("SELECT id FROM outbox_dead_letters")
                    .mapTo(Long.class)
                    .list());
        }

        @Override
        protected Transactions transactions() {
            return new PgTransactions(jdbi);
        }
    }

    @Nested
    class ChargeLockTest extends ChargeLockContract {
        private final Jdbi jdbi = TestDatabase.jdbi();

        @Override
        protected void reset() {
            TestDatabase.truncateAll();
        }

        @Override
        protected Payments payments() {
            return new PgPayments(jdbi);
        }

        @Override
        protected Transactions transactions() {
            return new PgTransactions(jdbi);
        }
    }

    @Nested
    class SingletonLockTest extends SingletonLockContract {
        private long key;

        @Override
        protected void reset() {
            key = ThreadLocalRandom.current().nextLong(); // a lock of its own: other tests' holders may still close
        }

        @Override
        protected SingletonLock contender() {
            return new PgSingletonLock(TestDatabase.get(), key, PgSingletonLock.DEFAULT_KEEP_ALIVE);
        }
    }
}
