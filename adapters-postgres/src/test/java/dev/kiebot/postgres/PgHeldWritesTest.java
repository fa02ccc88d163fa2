package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chat state's write and the outbox append a handling holds for its done mark ({@link HeldWrites}): whatever the
 * transaction does after them, they commit with it or not at all, and no statement of it reads the outbox or the chat
 * states without them.
 */
class PgHeldWritesTest {
    private static final long CHAT = 77;
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private PgStores stores;

    @BeforeEach
    void emptyStores() {
        TestDatabase.truncateAll();
        stores = PgStores.create(TestDatabase.get(), Clock.systemUTC());
        assertThat(stores.processedUpdates().record(1, CHAT, "{}", NOW)).isTrue();
    }

    private static List<Outgoing> hello() {
        return List.of(Outgoing.plain(new Reply.SendText(CHAT, "hello", dev.kiebot.core.reply.Keyboard.NONE)));
    }

    private static long outboxRows() {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM outbox WHERE chat_id = :c")
                .bind("c", CHAT).mapTo(Long.class).one());
    }

    private static boolean done(long updateId) {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT done_at IS NOT NULL FROM processed_updates "
                + "WHERE update_id = :id").bind("id", updateId).mapTo(Boolean.class).one());
    }

    private static java.util.Optional<String> state() {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT state FROM chat_states WHERE chat_id = :c")
                .bind("c", CHAT).mapTo(String.class).findOne());
    }

    @Test
    void theStateTheRepliesAndTheDoneMarkCommitTogether() {
        stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            stores.chatStates().save(CHAT, "menu");
            stores.pendingReplies().append(hello(), NOW);
            stores.processedUpdates().done(u.updateId(), NOW);
            return u;
        });
        assertThat(outboxRows()).isEqualTo(1);
        assertThat(state()).contains("menu");
        assertThat(done(1)).isTrue();
        assertThat(stores.pendingReplies().oldestWaiting()).contains(NOW);
    }

    @Test
    void theStateAloneGoesWithTheDoneMark() {
        stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            stores.chatStates().save(CHAT, "first");
            stores.chatStates().save(CHAT, "second"); // the first is written at once, the second held
            stores.processedUpdates().done(u.updateId(), NOW);
            return u;
        });
        assertThat(state()).contains("second");
        assertThat(outboxRows()).isZero();
        assertThat(done(1)).isTrue();
    }

    @Test
    void aStateReadInTheSameTransactionIsTheOneWritten() {
        String read = stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            stores.chatStates().save(CHAT, "written");
            String back = stores.chatStates().load(CHAT).orElse("none");
            stores.processedUpdates().done(u.updateId(), NOW);
            return back;
        });
        assertThat(read).isEqualTo("written");
        assertThat(state()).contains("written");
    }

    @Test
    void aRollbackAfterTheDoneMarkLeavesNeitherTheRepliesNorTheMark() {
        assertThatThrownBy(() -> stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            stores.chatStates().save(CHAT, "menu");
            stores.pendingReplies().append(hello(), NOW);
            stores.processedUpdates().done(u.updateId(), NOW);
            throw new IllegalStateException("crash after the fused statement, before the commit");
        })).hasMessageContaining("crash");
        assertThat(outboxRows()).isZero();
        assertThat(state()).isEmpty();
        assertThat(done(1)).isFalse();
        assertThat(stores.processedUpdates().claimNext()).isPresent(); // handled again, from the same state
    }

    @Test
    void aRollbackWhileTheRepliesAreHeldDropsThemAndTheNextTransactionHoldsNothing() {
        assertThatThrownBy(() -> stores.transactions().inOne(() -> {
            assertThat(stores.processedUpdates().claimNext()).as("the update claimed").isPresent();
            stores.chatStates().save(CHAT, "menu");
            stores.pendingReplies().append(hello(), NOW);
            throw new IllegalStateException("crash before the done mark");
        })).hasMessageContaining("crash");
        assertThat(outboxRows()).isZero();
        assertThat(state()).isEmpty();
        stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            stores.processedUpdates().done(u.updateId(), NOW); // nothing left held from the rolled-back one
            return u;
        });
        assertThat(outboxRows()).isZero();
        assertThat(done(1)).isTrue();
    }

    @Test
    void repliesHeldWithNoDoneMarkStillCommit() {
        stores.transactions().inOne(() -> {
            assertThat(stores.processedUpdates().claimNext()).as("the update claimed").isPresent();
            stores.chatStates().save(CHAT, "menu");
            stores.pendingReplies().append(hello(), NOW);
            return null; // a loop of one's own that marks done in another transaction, say
        });
        assertThat(outboxRows()).isEqualTo(1);
        assertThat(state()).contains("menu");
    }

    @Test
    void theOutboxReadInTheSameTransactionSeesTheHeldReplies() {
        Boolean seen = stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            stores.pendingReplies().append(hello(), NOW);
            boolean waiting = stores.pendingReplies().oldestWaiting().isPresent();
            stores.processedUpdates().done(u.updateId(), NOW);
            return waiting;
        });
        assertThat(seen).isTrue();
        assertThat(outboxRows()).isEqualTo(1);
        assertThat(done(1)).isTrue();
    }

    @Test
    void twoAppendsInOneHandlingKeepTheirOrder() {
        stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            stores.pendingReplies().append(List.of(Outgoing.plain(new Reply.SendText(CHAT, "first", dev.kiebot.core.reply.Keyboard.NONE))), NOW);
            stores.pendingReplies().append(List.of(Outgoing.plain(new Reply.SendText(CHAT, "second", dev.kiebot.core.reply.Keyboard.NONE))), NOW);
            stores.processedUpdates().done(u.updateId(), NOW);
            return u;
        });
        List<String> bodies = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT body::text FROM outbox "
                + "WHERE chat_id = :c ORDER BY id").bind("c", CHAT).mapTo(String.class).list());
        assertThat(bodies).hasSize(2);
        assertThat(bodies.get(0)).contains("first");
        assertThat(bodies.get(1)).contains("second");
    }

    @Test
    void twoAppendsInOneHandlingGoAsOneStatementEachReplyWithItsOwnTimeAndOrigin() {
        Instant later = NOW.plusSeconds(1).plusNanos(123_000);
        stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            stores.pendingReplies().append(text("first"), NOW, java.util.Optional.of("upd:1"));
            stores.pendingReplies().append(text("second"), later, java.util.Optional.empty());
            assertThat(outboxRows()).as("both held for the done mark, not the first sent at the second").isZero();
            stores.processedUpdates().done(u.updateId(), NOW);
            return u;
        });
        List<String> rows = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT created_at, origin, "
                + "body::text AS body FROM outbox WHERE chat_id = :c ORDER BY id").bind("c", CHAT)
                .map((rs, ctx) -> Sql.instant(rs, "created_at") + " " + rs.getString("origin") + " "
                        + (rs.getString("body").contains("first") ? "first" : "second"))
                .list());
        assertThat(rows).containsExactly(NOW + " upd:1 first", later + " null second");
        assertThat(stores.pendingReplies().oldestWaiting()).contains(NOW);
    }

    @Test
    void aReplyQueuedOutsideAHandlingIsWrittenAtOnce() {
        stores.transactions().inOne(() -> {
            stores.pendingReplies().append(hello(), NOW); // no update claimed: a job's status, say
            stores.chatStates().save(CHAT, "menu");
            // this thread's handle is the transaction's: its own SQL sees the rows at once
            assertThat(outboxRows()).isEqualTo(1);
            assertThat(state()).contains("menu");
            return null;
        });
        assertThat(outboxRows()).isEqualTo(1);
    }

    private static List<String> bodies() {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT body::text FROM outbox WHERE chat_id = :c "
                + "ORDER BY id").bind("c", CHAT).mapTo(String.class).list());
    }

    private static List<Outgoing> text(String words) {
        return List.of(Outgoing.plain(new Reply.SendText(CHAT, words, dev.kiebot.core.reply.Keyboard.NONE)));
    }

    /** A deadlock PostgreSQL reported, as the driver wraps it: what {@link PgTransactions#inOne} runs again for. */
    private static RuntimeException deadlock() {
        return new IllegalStateException("aborted", new java.sql.SQLException("deadlock detected", "40P01"));
    }

    @Test
    void aConflictRunsTheWorkAgainWithNothingHeldFromTheAttemptBefore() {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            if (attempts.incrementAndGet() == 1) {
                stores.chatStates().save(CHAT, "first attempt");
                stores.pendingReplies().append(text("first attempt"), NOW);
                throw deadlock(); // after the hold, before the done mark
            }
            stores.pendingReplies().append(text("second attempt"), NOW);
            stores.processedUpdates().done(u.updateId(), NOW);
            return u;
        });
        assertThat(attempts).hasValue(2);
        assertThat(bodies()).hasSize(1);
        assertThat(bodies().get(0)).contains("second attempt");
        assertThat(state()).isEmpty();
        assertThat(done(1)).isTrue();
    }

    @Test
    void anErrorThrownWhileWritesAreHeldLeavesNoScopeOnTheThread() {
        assertThatThrownBy(() -> stores.transactions().inOne(() -> {
            assertThat(stores.processedUpdates().claimNext()).as("the update claimed").isPresent();
            stores.pendingReplies().append(text("lost"), NOW);
            throw new StackOverflowError("too deep");
        })).isInstanceOf(StackOverflowError.class);
        assertThat(outboxRows()).isZero();
        // the same thread's next handling holds its append again: not seen by its own SQL before the done mark
        long seenBeforeTheDoneMark = stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            stores.pendingReplies().append(text("kept"), NOW);
            long seen = outboxRows();
            stores.processedUpdates().done(u.updateId(), NOW);
            return seen;
        });
        assertThat(seenBeforeTheDoneMark).isZero();
        assertThat(bodies()).hasSize(1);
        assertThat(bodies().get(0)).contains("kept");
    }

    @Test
    void aTransactionJdbiOpenedDirectlyHoldsNothing() {
        TestDatabase.jdbi().useTransaction(h -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            // PgTransactions.inOne inside it joins it and opens no scope either
            stores.transactions().inOne(() -> {
                stores.pendingReplies().append(text("at once"), NOW);
                stores.chatStates().save(CHAT, "at once");
                return null;
            });
            assertThat(outboxRows()).isEqualTo(1);
            assertThat(state()).contains("at once");
            stores.processedUpdates().done(u.updateId(), NOW);
        });
        assertThat(outboxRows()).isEqualTo(1);
        assertThat(done(1)).isTrue();
    }

    @Test
    void aFailureCaughtInsideTheHandlingLeavesWhatWasHeldToCommitAsAnUnheldWriteWould() {
        stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            try {
                stores.pendingReplies().append(text("queued"), NOW);
                throw new IllegalStateException("the provider refused; the handling apologizes");
            } catch (IllegalStateException e) {
                stores.pendingReplies().append(text("sorry"), NOW);
            }
            stores.processedUpdates().done(u.updateId(), NOW);
            return u;
        });
        assertThat(bodies()).hasSize(2);
        assertThat(bodies().get(0)).contains("queued");
        assertThat(bodies().get(1)).contains("sorry");
    }

    @Test
    void aChatStatesMadeApartReadsTheStateAStoreOfPgStoresHolds() {
        PgChatStates apart = new PgChatStates(TestDatabase.jdbi());
        String read = stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            stores.chatStates().save(CHAT, "written"); // held for the done mark
            String back = apart.load(CHAT).orElse("none");
            stores.processedUpdates().done(u.updateId(), NOW);
            return back;
        });
        assertThat(read).isEqualTo("written");
    }

    @Test
    void aForgetMadeApartDropsTheRepliesAStoreOfPgStoresHolds() {
        PgPersonalData apart = new PgPersonalData(TestDatabase.jdbi());
        stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            // his name in a tagged screen (PersonalData.forgets names it), held for the done mark
            stores.pendingReplies().append(List.of(new Outgoing(new Reply.SendText(CHAT, "Ann's card request",
                    dev.kiebot.core.reply.Keyboard.NONE), new Outgoing.Follow.Tagged("manual:1"))), NOW);
            apart.forget(CHAT);
            stores.processedUpdates().done(u.updateId(), NOW);
            return u;
        });
        assertThat(bodies()).as("the screens queued to the forgotten user's chat").isEmpty();
        assertThat(done(1)).isTrue();
    }

    @Test
    void aStoreMadeApartNeverHoldsItsWritesGoAtOnceAndCommitWithTheHandling() {
        PgPendingReplies apart = new PgPendingReplies(TestDatabase.jdbi());
        PgChatStates apartStates = new PgChatStates(TestDatabase.jdbi());
        stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            apart.append(hello(), NOW);
            apartStates.save(CHAT, "menu");
            // this thread's handle is the transaction's: its own SQL sees both before the done mark
            assertThat(outboxRows()).isEqualTo(1);
            assertThat(state()).contains("menu");
            stores.processedUpdates().done(u.updateId(), NOW);
            return u;
        });
        assertThat(outboxRows()).isEqualTo(1);
        assertThat(state()).contains("menu");
    }
    @Test
    void anAppendMadeApartAfterAHeldOneIsQueuedAfterIt() {
        PgPendingReplies apart = new PgPendingReplies(TestDatabase.jdbi());
        stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            stores.pendingReplies().append(text("first"), NOW); // held for the done mark
            apart.append(text("second"), NOW); // at once: what is held goes before it
            stores.processedUpdates().done(u.updateId(), NOW);
            return u;
        });
        assertThat(bodies()).hasSize(2);
        assertThat(bodies().get(0)).contains("first");
        assertThat(bodies().get(1)).contains("second");
    }

    @Test
    void aStateSavedApartAfterAHeldOneIsTheOneKept() {
        PgChatStates apart = new PgChatStates(TestDatabase.jdbi());
        stores.transactions().inOne(() -> {
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            stores.chatStates().save(CHAT, "first"); // held for the done mark
            apart.save(CHAT, "second"); // at once: what is held goes before it
            stores.processedUpdates().done(u.updateId(), NOW);
            return u;
        });
        assertThat(state()).contains("second");
    }
    @Test
    void aHandlingOnASecondDatabaseInsideAHandlingHoldsInItsOwnTransactionOnly() {
        long other = CHAT + 1;
        assertThat(stores.processedUpdates().record(2, other, "{}", NOW)).isTrue();
        try (Database second = TestDatabase.newPool(2)) {
            PgStores apart = PgStores.create(second, Clock.systemUTC());
            long seenInside = stores.transactions().inOne(() -> {
                PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
                stores.pendingReplies().append(text("outer"), NOW); // held for the outer done mark
                // the thread's scope is the outer transaction's: the inner one, on another Jdbi, holds nothing in it
                apart.transactions().inOne(() -> {
                    PendingUpdate v = apart.processedUpdates().claimNext().orElseThrow();
                    apart.pendingReplies().append(List.of(Outgoing.plain(new Reply.SendText(other, "inner",
                            dev.kiebot.core.reply.Keyboard.NONE))), NOW);
                    apart.processedUpdates().done(v.updateId(), NOW);
                    return v;
                });
                long seen = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM outbox "
                        + "WHERE chat_id = :c").bind("c", other).mapTo(Long.class).one());
                assertThat(outboxRows()).as("the outer reply, still held").isZero();
                stores.processedUpdates().done(u.updateId(), NOW);
                return seen;
            });
            assertThat(seenInside).as("the inner handling's reply, committed with it").isEqualTo(1);
        }
        assertThat(bodies()).hasSize(1);
        assertThat(bodies().get(0)).contains("outer");
        assertThat(done(1)).isTrue();
        assertThat(done(2)).isTrue();
    }
}
