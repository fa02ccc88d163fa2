package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.intake.PendingUpdate;
import dev.kiebot.core.payments.AdminNotice;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.testing.Patience;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every statement that locks several chats' rows of {@code outbox_chats} takes them in the order of the chats' ids:
 * an append to several chats (a user's reply and his request's notice to an admin, in one handling) beside a forget
 * of that user (his chat and the admin's, each row locked in turn) then waits rather than deadlocks. The order of
 * the two is forced: an operator's transaction holds the user's row until the forget waits for it and the append
 * waits behind the forget; no sleep orders them, no time is asserted (PostgreSQL finds a deadlock after its
 * {@code deadlock_timeout}, whatever the machine). So are the rows of forget's other tables that the upkeep takes
 * several of in one transaction: the admins' notices of closed requests and their messages' tags, the dead letters,
 * and those its purges take several of in one statement: the handled updates, the audit events.
 */
class PgOutboxLockOrderTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    /** The user forgotten: the lower id of the two chats, so the forget locks his row first. */
    private static final long USER = 1_001;
    /**
     * An admin told of his request. A GROUP BY's hash order put this chat before the user's (PostgreSQL 16, either
     * order of the list): the append locked the admin's row first.
     */
    private static final long ADMIN = 1_002;
    /** An admin who /forgets the user, told of none of his requests: his chat's id is below the user's. */
    private static final long FORGETTING_ADMIN = 1_000;
    private static final Duration WAIT_MAX = Duration.ofSeconds(30);

    private PgStores stores;

    @BeforeEach
    void emptyStores() {
        TestDatabase.truncateAll();
        stores = PgStores.create(TestDatabase.get(), Clock.systemUTC());
    }

    private static Outgoing text(long chat, String words) {
        return Outgoing.plain(new Reply.SendText(chat, words, Keyboard.NONE));
    }

    @Test
    @Timeout(120)
    void anAppendToTwoChatsBesideAForgetOfTheSameTwoWaitsRatherThanDeadlocks() throws Exception {
        Optional<String> append = appendBesideAForget(() -> {
            stores.pendingReplies().append(bothChats(), NOW);
            return null;
        });
        assertThat(append).as("the SQLSTATE the append failed with, if any").isEmpty();
        assertThat(appended()).isEqualTo(2);
    }

    @Test
    @Timeout(120)
    void aHandlingsAppendInItsDoneMarkBesideAForgetIsNotRunAgain() throws Exception {
        aHandlingBesideAForgetRunsOnce(() -> stores.pendingReplies().append(bothChats(), NOW)); // held: the done mark's
    }

    /**
     * A handling that queues to the admin, then to the user, in two appends: {@code ManualTopUpDesk}'s «Оплачено»
     * shows the request to each admin ({@code outbox.show}, one append each, in the configured order), then the
     * user's reply goes with the handling's screens. The first append went at once when the second came (its chats'
     * rows locked by that statement), the second with the done mark: the admin's row was taken before the user's,
     * whatever their ids, and a forget taking the user's first deadlocked with it.
     */
    @Test
    @Timeout(120)
    void aHandlingsTwoAppendsBesideAForgetAreNotRunAgain() throws Exception {
        aHandlingBesideAForgetRunsOnce(() -> {
            stores.pendingReplies().append(List.of(text(ADMIN, "request 1 paid")), NOW.plusMillis(1));
            stores.pendingReplies().append(List.of(text(USER, "the admins are told")), NOW.plusMillis(2));
        });
    }

    /**
     * The upkeep forgets the notices of requests closed weeks ago, then their messages' tags
     * ({@code ManualTopUpDesk.forgetClosed}); a forget of the request's user took the tags first, then the notices.
     * An operator holds the tag: the forget waits for it, the upkeep (its notice deleted) behind the forget, and
     * when the operator lets go each held what the other waited for.
     */
    @Test
    @Timeout(120)
    void theUpkeepForgettingAClosedRequestsNoticesBesideAForgetOfItsUserIsNotRunAgain() throws Exception {
        TestDatabase.jdbi().useHandle(h -> {
            long request = h.createQuery("INSERT INTO manual_topups (request_key, user_id, chat_id, amount, reference, "
                            + "state, created_at, expires_at, decided_at) VALUES ('k1', :u, :u, 100, 'R1', 'EXPIRED', "
                            + ":at, :until, :until) RETURNING id")
                    .bind("u", USER).bind("at", Sql.ts(NOW.minus(Duration.ofDays(40))))
                    .bind("until", Sql.ts(NOW.minus(Duration.ofDays(39)))).mapTo(Long.class).one();
            h.createUpdate("INSERT INTO manual_topup_notices (request_id, chat_id) VALUES (:r, :a)")
                    .bind("r", request).bind("a", ADMIN).execute();
            h.createUpdate("INSERT INTO tagged_messages (chat_id, tag, message_id) VALUES (:a, :t, 42)")
                    .bind("a", ADMIN).bind("t", "manual:" + request).execute();
        });
        runsOnceBesideAForget("SELECT 1 FROM tagged_messages WHERE chat_id = " + ADMIN, "upkeep", () -> {
            stores.manualTopUps().forgetNotices(NOW, 100).forEach(n -> stores.pendingReplies()
                    .untag(n.chatId(), List.of("manual:" + n.requestId())));
            return null;
        });
        long left = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT (SELECT count(*) FROM tagged_messages) "
                + "+ (SELECT count(*) FROM manual_topup_notices)").mapTo(Long.class).one());
        assertThat(left).as("the notice and its tag, gone").isZero();
    }

    /**
     * The upkeep deletes dead letters in the order they were moved ({@code forgetDeadLetters}); a forget blanked his
     * chat's in the order its scan met them, which a row's update changes. An operator holds the later one: the
     * forget, which met it first, waits for it, the upkeep (the earlier one taken) behind the forget. A pass of two:
     * PostgreSQL then walks the ids its sort gives (at a hundred, on a table of two, it hashed them and met the rows
     * in the scan's order, as the forget did).
     */
    @Test
    @Timeout(120)
    void theUpkeepDeletingDeadLettersBesideAForgetOfTheirChatIsNotRunAgain() throws Exception {
        TestDatabase.jdbi().useHandle(h -> {
            for (int id = 1; id <= 2; id++) {
                h.createUpdate("INSERT INTO outbox_dead_letters (id, chat_id, body, kind, queued_at, moved_at) "
                                + "VALUES (:id, :u, '{}'::jsonb, 'unknown', :at, :at)")
                        .bind("id", id).bind("u", USER).bind("at", Sql.ts(NOW.minus(Duration.ofDays(10 - id))))
                        .execute();
            }
            // the first moved is now stored after the second: a scan meets the second first
            h.createUpdate("UPDATE outbox_dead_letters SET kind = 'corrupt' WHERE id = 1").execute();
        });
        runsOnceBesideAForget("SELECT 1 FROM outbox_dead_letters WHERE id = 2", "upkeep",
                () -> stores.pendingReplies().forgetDeadLetters(NOW, 2));
    }

    /**
     * The retention blanks a ticket asked and answered long ago, then its answers ({@code OLD_TICKETS}: the WITH's
     * update runs after the main one); a forget of its user took his tickets' answers first, then the tickets. An
     * operator holds the answer: the forget waits for it, the retention (the ticket taken) behind the forget.
     */
    @Test
    @Timeout(120)
    void theRetentionBlankingOldTicketsBesideAForgetOfTheirUserIsNotRunAgain() throws Exception {
        TestDatabase.jdbi().useHandle(h -> {
            long ticket = h.createQuery("INSERT INTO support_tickets (ticket_key, user_id, text, "
                    + "created_at) VALUES ('t1', :u, 'my card was charged twice', :at) RETURNING id").bind("u", USER)
                    .bind("at", Sql.ts(NOW.minus(Duration.ofDays(400)))).mapTo(Long.class).one();
            h.createUpdate("INSERT INTO support_ticket_answers (ticket_id, admin_id, text, answered_at) "
                            + "VALUES (:t, :a, 'refunded', :at)")
                    .bind("t", ticket).bind("a", ADMIN).bind("at", Sql.ts(NOW.minus(Duration.ofDays(399)))).execute();
        });
        runsOnceBesideAForget("SELECT 1 FROM support_ticket_answers", "retention",
                () -> stores.personalData().forgetOlder(NOW.minus(Duration.ofDays(365)), 100));
    }

    /**
     * The retention blanks a request closed long ago that keeps a receipt, then deletes its contents' ids
     * ({@code OLD_RECEIPTS}: the WITH's delete runs after the main update); a forget of its user deleted his
     * receipts' contents first, then blanked the requests. An operator holds the content's row: the forget waits for
     * it, the retention (the request taken) behind the forget.
     */
    @Test
    @Timeout(120)
    void theRetentionBlankingOldReceiptsBesideAForgetOfTheirUserIsNotRunAgain() throws Exception {
        TestDatabase.jdbi().useHandle(h -> {
            long request = h.createQuery("INSERT INTO manual_topups (request_key, user_id, chat_id, amount, reference, "
                            + "state, receipt_file_id, created_at, expires_at, decided_by, decided_at) VALUES ('k1', "
                            + ":u, :u, 100, 'R1', 'DECLINED', 'photo-1', :at, :until, :a, :until) RETURNING id")
                    .bind("u", USER).bind("a", ADMIN).bind("at", Sql.ts(NOW.minus(Duration.ofDays(400))))
                    .bind("until", Sql.ts(NOW.minus(Duration.ofDays(399)))).mapTo(Long.class).one();
            h.createUpdate("INSERT INTO manual_topup_receipts (request_id, unique_id) VALUES (:r, 'u-1')")
                    .bind("r", request).execute();
        });
        runsOnceBesideAForget("SELECT 1 FROM manual_topup_receipts", "retention",
                () -> stores.personalData().forgetOlder(NOW.minus(Duration.ofDays(365)), 100));
    }

    /**
     * The retention blanks his two tickets asked and answered long ago by their keys in ascending order (its batch's
     * sorted ids, each by the primary key), then their answers; a forget of him blanked his tickets as the index of a
     * user's tickets gives them, newest first. Both are told to use the indexes. An operator holds the newer: the
     * forget waits for it, the retention (the older taken) behind the forget.
     */
    @Test
    @Timeout(120)
    void theRetentionBlankingTwoOldTicketsOfHisBesideAForgetOfHimIsNotRunAgain() throws Exception {
        long newer = TestDatabase.jdbi().withHandle(PgOutboxLockOrderTest::twoOldTicketsOfHis);
        retentionBesideAForgetInItsIndexesOrder("SELECT 1 FROM support_tickets WHERE id = " + newer);
    }

    /**
     * The retention blanks his two requests closed long ago that keep a receipt, by their keys in ascending order (at a
     * year of requests it takes each of its batch's sorted ids by the primary key); a forget of him blanked them as the
     * index of a user's requests gives them, newest first. Both are told to use the indexes (a table of two rows is
     * scanned). An operator holds the newer: the forget waits for it, the retention (the older taken) behind the
     * forget.
     */
    @Test
    @Timeout(120)
    void theRetentionBlankingTwoOldReceiptsOfHisBesideAForgetOfHimIsNotRunAgain() throws Exception {
        long newer = TestDatabase.jdbi().withHandle(PgOutboxLockOrderTest::twoOldReceiptsOfHis);
        retentionBesideAForgetInItsIndexesOrder("SELECT 1 FROM manual_topups WHERE id = " + newer);
    }

    /**
     * The retention's pass of old tickets on two of his, the older stored after the newer (a row's update writes it
     * anew at the table's end), told to join its batch by a hash over a scan of the table, the plan a table of a few
     * rows gets: it met the newer first and locked it, as the scan's order gave. A forget of him takes them by their
     * keys, the older first. An operator holds the older: the forget waits for it, the retention (the newer taken)
     * behind the forget.
     */
    @Test
    @Timeout(120)
    void theRetentionBlankingTwoOldTicketsOfHisInTheTablesOrderBesideAForgetOfHimIsNotRunAgain() throws Exception {
        long older = TestDatabase.jdbi().withHandle(h -> {
            twoOldTicketsOfHis(h);
            // the older is now stored after the newer: a scan meets the newer first
            return h.createQuery("UPDATE support_tickets SET created_at = created_at WHERE ticket_key = 't1' "
                    + "RETURNING id").mapTo(Long.class).one();
        });
        retentionBesideAForget("SELECT 1 FROM support_tickets WHERE id = " + older,
                PgOutboxLockOrderTest::tablesOrderOnly);
    }

    /**
     * The retention's pass of old receipts on two requests of his, the older stored after the newer, told to join its
     * batch by a hash over a scan of the table: it locked the newer first. A forget of him takes them by their keys,
     * the older first. An operator holds the older: the forget waits for it, the retention (the newer taken) behind
     * the forget.
     */
    @Test
    @Timeout(120)
    void theRetentionBlankingTwoOldReceiptsOfHisInTheTablesOrderBesideAForgetOfHimIsNotRunAgain() throws Exception {
        long older = TestDatabase.jdbi().withHandle(h -> {
            twoOldReceiptsOfHis(h);
            // the older is now stored after the newer: a scan meets the newer first
            return h.createQuery("UPDATE manual_topups SET reference = reference WHERE request_key = 'k1' "
                    + "RETURNING id").mapTo(Long.class).one();
        });
        retentionBesideAForget("SELECT 1 FROM manual_topups WHERE id = " + older,
                PgOutboxLockOrderTest::tablesOrderOnly);
    }

    /** His two tickets asked and answered more than a year ago, the second a day newer: the newer's id. */
    private static long twoOldTicketsOfHis(Handle h) {
        long id = 0;
        for (int n = 1; n <= 2; n++) {
            id = h.createQuery("INSERT INTO support_tickets (ticket_key, user_id, text, created_at) VALUES "
                            + "('t' || :n, :u, 'my card was charged twice', :at) RETURNING id")
                    .bind("n", n).bind("u", USER).bind("at", Sql.ts(NOW.minus(Duration.ofDays(400 - n))))
                    .mapTo(Long.class).one();
            h.createUpdate("INSERT INTO support_ticket_answers (ticket_id, admin_id, text, answered_at) "
                            + "VALUES (:t, :a, 'refunded', :at)")
                    .bind("t", id).bind("a", ADMIN).bind("at", Sql.ts(NOW.minus(Duration.ofDays(399 - n))))
                    .execute();
        }
        return id;
    }

    /** His two card requests declined more than a year ago, each keeping its receipt: the newer's id. */
    private static long twoOldReceiptsOfHis(Handle h) {
        long id = 0;
        for (int n = 1; n <= 2; n++) {
            id = h.createQuery("INSERT INTO manual_topups (request_key, user_id, chat_id, amount, reference, "
                            + "state, receipt_file_id, created_at, expires_at, decided_by, decided_at) VALUES ("
                            + "'k' || :n, :u, :u, 100, 'R' || :n, 'DECLINED', 'photo-' || :n, :at, :until, :a, "
                            + ":until) RETURNING id")
                    .bind("n", n).bind("u", USER).bind("a", ADMIN)
                    .bind("at", Sql.ts(NOW.minus(Duration.ofDays(400 - n))))
                    .bind("until", Sql.ts(NOW.minus(Duration.ofDays(399 - n)))).mapTo(Long.class).one();
        }
        return id;
    }

    /**
     * The retention's passes and a forget, each in a transaction of its own told to use the indexes, beside each other
     * ({@link #besideAForget}): each runs once, unfailed.
     */
    private void retentionBesideAForgetInItsIndexesOrder(String select) throws Exception {
        retentionBesideAForget(select, PgOutboxLockOrderTest::indexesOnly);
    }

    /**
     * The retention's passes and a forget, each in a transaction of its own, {@code plans} set in it first, beside
     * each other ({@link #besideAForget}): each runs once, unfailed.
     */
    private void retentionBesideAForget(String select, Runnable plans) throws Exception {
        AtomicInteger forgets = new AtomicInteger();
        AtomicInteger attempts = new AtomicInteger();
        Optional<String> retention = besideAForget(select,
                () -> stores.transactions().inOne(() -> {
                    forgets.incrementAndGet();
                    plans.run();
                    return stores.personalData().forget(USER);
                }),
                () -> stores.transactions().inOne(() -> {
                    attempts.incrementAndGet();
                    plans.run();
                    return stores.personalData().forgetOlder(NOW.minus(Duration.ofDays(365)), 100);
                }));
        assertThat(retention).as("the SQLSTATE the retention failed with, if any").isEmpty();
        assertThat(attempts).as("the retention's runs: a deadlock aborts it and it is run again").hasValue(1);
        assertThat(forgets).as("the forget's runs").hasValue(1);
    }

    /**
     * An admin's /forget (AdminForget): in his handling's transaction the forget locks the user's chat, then the done
     * mark queues the admin's answer to his own chat. Beside it the user's handling queues to that admin and to himself
     * (a support question forwarded, a request shown), one statement taking the chats in the order of their ids: the
     * admin's (the lower id) first. An operator holds the user's chat: the forget waits for it, the user's handling
     * (the admin's chat taken) behind the forget; when the operator lets go the admin's done mark waited for the
     * user's handling, which waited for the forget's transaction.
     */
    @Test
    @Timeout(120)
    void anAdminsForgetInHisHandlingBesideTheUsersHandlingQueuingToThatAdminIsNotRunAgain() throws Exception {
        stores.pendingReplies().append(List.of(text(USER, "earlier"), text(FORGETTING_ADMIN, "earlier")), NOW);
        assertThat(stores.processedUpdates().record(1, FORGETTING_ADMIN, "{}", NOW)).isTrue();
        assertThat(stores.processedUpdates().record(2, USER, "{}", NOW)).isTrue();
        AtomicInteger forgets = new AtomicInteger();
        AtomicInteger handlings = new AtomicInteger();
        ExecutorService two = Executors.newFixedThreadPool(2);
        try (Connection operator = TestDatabase.get().openDedicatedConnection("psql")) {
            int operatorPid = lockRow(operator, "SELECT 1 FROM outbox_chats WHERE chat_id = " + USER);
            Future<?> forget = two.submit(() -> stores.transactions().inOne(() -> {
                forgets.incrementAndGet();
                PendingUpdate press = stores.processedUpdates().claimNext().orElseThrow();
                stores.personalData().forget(USER);
                stores.pendingReplies().append(List.of(text(FORGETTING_ADMIN, "user forgotten")), NOW);
                stores.processedUpdates().done(press.updateId(), NOW);
                return press;
            }));
            int forgetPid = awaitBlockedBy(operatorPid, "the forget waiting for the operator's row");
            Future<?> handling = two.submit(() -> stores.transactions().inOne(() -> {
                handlings.incrementAndGet();
                PendingUpdate question = stores.processedUpdates().claimNext().orElseThrow();
                stores.pendingReplies().append(List.of(text(FORGETTING_ADMIN, "a question"),
                        text(USER, "the admins are asked")), NOW);
                stores.processedUpdates().done(question.updateId(), NOW);
                return question;
            }));
            awaitBlockedBy(forgetPid, "the user's handling waiting behind the forget");
            operator.rollback();
            assertThat(failure(forget)).as("the SQLSTATE the admin's forget failed with, if any").isEmpty();
            assertThat(failure(handling)).as("the SQLSTATE the user's handling failed with, if any").isEmpty();
        } finally {
            two.shutdownNow();
        }
        assertThat(forgets).as("the admin's handling's runs: a deadlock aborts it and it is run again").hasValue(1);
        assertThat(handlings).as("the user's handling's runs").hasValue(1);
    }

    /**
     * A user's «Оплачено» beside a forget of him: his handling (his row of {@code users} taken first, as every
     * handling's {@code seen} takes it) reports his open request paid, shows it to an admin (a screen tagged
     * {@code manual:<id>}, his name in it) and notes the admin's notice. The forget read the admins told of his
     * requests, then waited for his row: the admin told meanwhile was not among them, and the screen naming him stayed
     * queued to that admin after the forget (no deadlock: the forget held no chat's row yet). His handling waits for
     * the forget's first statement here, not a sleep: a latch it counts down once it holds his row.
     */
    @Test
    @Timeout(120)
    void aRequestShownToAnAdminWhileAForgetWaitsForItsUserLeavesNoScreenNamingHim() throws Exception {
        long request = TestDatabase.jdbi().withHandle(h -> h.createQuery("INSERT INTO manual_topups (request_key, "
                        + "user_id, chat_id, amount, reference, state, created_at, expires_at) VALUES ('k1', :u, :u, "
                        + "100, 'R1', 'REQUESTED', :at, :until) RETURNING id")
                .bind("u", USER).bind("at", Sql.ts(NOW)).bind("until", Sql.ts(NOW.plus(Duration.ofDays(1))))
                .mapTo(Long.class).one());
        stores.users().seen(USER, "Ivan", Optional.of("ivan_p"), Optional.empty(), NOW);
        CountDownLatch holdsHisRow = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger handlingPid = new AtomicInteger();
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Future<?> handling = two.submit(() -> stores.transactions().inOne(() -> {
                stores.users().seen(USER, "Ivan", Optional.of("ivan_p"), Optional.empty(), NOW);
                handlingPid.set(TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT pg_backend_pid()")
                        .mapTo(Integer.class).one()));
                holdsHisRow.countDown();
                try {
                    assertThat(Patience.await(go, WAIT_MAX)).as("the forget waiting for his row").isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                assertThat(stores.manualTopUps().claimPaid(request)).isPresent();
                stores.pendingReplies().append(List.of(new Outgoing(new Reply.SendText(ADMIN,
                        "request " + request + " of Ivan (@ivan_p) paid", Keyboard.NONE),
                        new Outgoing.Follow.Tagged("manual:" + request))), NOW);
                stores.manualTopUps().addNotice(request, new AdminNotice(ADMIN));
                return null;
            }));
            assertThat(Patience.await(holdsHisRow, WAIT_MAX)).as("his handling holding his row").isTrue();
            Future<Integer> forget = two.submit(() -> stores.personalData().forget(USER));
            awaitBlockedBy(handlingPid.get(), "the forget waiting for his handling's row");
            go.countDown();
            assertThat(failure(handling)).as("the SQLSTATE his handling failed with, if any").isEmpty();
            assertThat(failure(forget)).as("the SQLSTATE the forget failed with, if any").isEmpty();
        } finally {
            go.countDown();
            two.shutdownNow();
        }
        long naming = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM outbox "
                + "WHERE chat_id = :a AND body::text LIKE '%Ivan%'").bind("a", ADMIN).mapTo(Long.class).one());
        assertThat(naming).as("the screens naming him still queued to the admin after the forget").isZero();
    }

    /**
     * The upkeep's purge of handled updates ({@code PURGE}, a pass of many) beside a forget blanking his handled
     * updates: each took the rows as its plan met them, the forget by a scan of the table (no index has the handled
     * updates by chat), the purge by the primary key (its plan at a week of traffic, AYearOfDataPlanTest; a table of
     * two rows is scanned, so the purge's transaction is told to use the indexes). A done mark stores the row anew:
     * the second update handled first is met first by the scan. An operator holds it: the forget waits for it, the
     * purge (the first update taken) behind the forget.
     */
    @Test
    @Timeout(120)
    void thePurgeOfHandledUpdatesBesideAForgetOfTheirChatIsNotRunAgain() throws Exception {
        PgProcessedUpdates inbox = stores.processedUpdates();
        Instant recorded = NOW.minus(Duration.ofDays(8));
        assertThat(inbox.record(1, USER, "{\"text\":\"my card 4276\"}", recorded)).isTrue();
        assertThat(inbox.record(2, USER, "{\"text\":\"again\"}", recorded)).isTrue();
        inbox.done(2, recorded);
        inbox.done(1, recorded);
        runsOnceBesideAForget("SELECT 1 FROM processed_updates WHERE update_id = 2", "purge", () -> {
            indexesOnly();
            return inbox.purge(NOW.minus(Duration.ofDays(7)), 100);
        });
        long left = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM processed_updates")
                .mapTo(Long.class).one());
        assertThat(left).as("both purged").isZero();
    }

    /**
     * The upkeep's purge of old audit events beside a forget blanking his bans' reasons: the purge took the rows by
     * their time (the index its plan reads at a month of events), the forget as its scan met them. The later ban is
     * stored first (a row goes where a purge left room). An operator holds it: the forget waits for it, the purge
     * (the earlier ban taken) behind the forget.
     */
    @Test
    @Timeout(120)
    void thePurgeOfOldAuditEventsBesideAForgetOfABannedUserIsNotRunAgain() throws Exception {
        for (int days : new int[] {40, 41}) {
            stores.audit().record(new AuditEvent(NOW.minus(Duration.ofDays(days)), "admin:1", "user.banned",
                    USER + " spam " + days, Optional.of("ban:" + USER)));
        }
        runsOnceBesideAForget("SELECT 1 FROM audit_events WHERE detail LIKE '% 40'", "purge", () -> {
            indexesOnly();
            return stores.audit().purge(NOW.minus(Duration.ofDays(30)));
        });
        long left = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM audit_events")
                .mapTo(Long.class).one());
        assertThat(left).as("both purged").isZero();
    }

    /** In the thread's transaction: the plans a table of a few rows gets once it holds a week's or a month's. */
    private static void indexesOnly() {
        TestDatabase.jdbi().useHandle(h -> h.execute("SET LOCAL enable_seqscan = off; "
                + "SET LOCAL enable_bitmapscan = off"));
    }

    /**
     * In the thread's transaction: a join by a hash over each table's scan, which meets the rows in the order they are
     * stored, not in their keys' (the plan a table of a few rows may get).
     */
    private static void tablesOrderOnly() {
        TestDatabase.jdbi().useHandle(h -> h.execute("SET LOCAL enable_indexscan = off; "
                + "SET LOCAL enable_bitmapscan = off; SET LOCAL enable_nestloop = off; "
                + "SET LOCAL enable_mergejoin = off"));
    }

    /**
     * Forgets the user while {@code other} runs beside it: the forget waits for a row an operator holds
     * ({@code select}'s), {@code other} waits behind the forget, the operator lets go. The forget must succeed.
     *
     * @return the SQLSTATE {@code other} failed with, if it did
     */
    /** A handling that claims an update, makes its {@code appends} (two replies in all) and marks it done. */
    private void aHandlingBesideAForgetRunsOnce(Runnable appends) throws Exception {
        assertThat(stores.processedUpdates().record(1, USER, "{}", NOW)).isTrue();
        AtomicInteger attempts = new AtomicInteger();
        Optional<String> handling = appendBesideAForget(() -> stores.transactions().inOne(() -> {
            attempts.incrementAndGet();
            PendingUpdate u = stores.processedUpdates().claimNext().orElseThrow();
            appends.run();
            stores.processedUpdates().done(u.updateId(), NOW);
            return u;
        }));
        assertThat(handling).as("the SQLSTATE the handling failed with, if any").isEmpty();
        assertThat(attempts).as("the handling's runs: a deadlock aborts it and it is run again").hasValue(1);
        assertThat(appended()).isEqualTo(2);
    }

    /** {@code work} in a transaction of its own beside a forget ({@link #besideAForget}): it runs once, unfailed. */
    private void runsOnceBesideAForget(String select, String who, Supplier<?> work) throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Optional<String> other = besideAForget(select, () -> stores.transactions().inOne(() -> {
            attempts.incrementAndGet();
            return work.get();
        }));
        assertThat(other).as("the SQLSTATE the " + who + " failed with, if any").isEmpty();
        assertThat(attempts).as("the " + who + "'s runs: a deadlock aborts it and it is run again").hasValue(1);
    }

    private Optional<String> besideAForget(String select, Callable<?> other) throws Exception {
        return besideAForget(select, () -> stores.personalData().forget(USER), other);
    }

    /** {@link #besideAForget(String, Callable)} with the forget {@code forgetting} makes. */
    private Optional<String> besideAForget(String select, Callable<?> forgetting, Callable<?> other) throws Exception {
        ExecutorService two = Executors.newFixedThreadPool(2);
        try (Connection operator = TestDatabase.get().openDedicatedConnection("psql")) {
            int operatorPid = lockRow(operator, select);
            Future<?> forget = two.submit(forgetting);
            int forgetPid = awaitBlockedBy(operatorPid, "the forget waiting for the operator's row");
            Future<?> running = two.submit(other);
            awaitBlockedBy(forgetPid, "the other waiting behind the forget");
            operator.rollback();
            assertThat(failure(forget)).as("the SQLSTATE the forget failed with, if any").isEmpty();
            return failure(running);
        } finally {
            two.shutdownNow();
        }
    }

    /** The admin's reply first, as a handling lists it: the append's own order counts, not the list's. */
    private static List<Outgoing> bothChats() {
        return List.of(text(ADMIN, "request 1 paid"), text(USER, "the admins are told"));
    }

    /** How many of {@link #bothChats()}' replies wait in the outbox. */
    private static long appended() {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM outbox "
                + "WHERE body::text LIKE '%request 1 paid%' OR body::text LIKE '%the admins are told%'")
                .mapTo(Long.class).one());
    }

    /**
     * Forgets the user while {@code append} runs beside it: the forget waits for the user's chat's row (an operator
     * holds it), the append waits behind the forget, the operator lets go. The forget must succeed (it is not run
     * again: a deadlock there failed the admin's /forget).
     *
     * @return the SQLSTATE {@code append} failed with, if it did
     */
    private Optional<String> appendBesideAForget(Callable<?> append) throws Exception {
        // both chats have their row (a reply each, not leased), and the admin was told of the user's request
        stores.pendingReplies().append(List.of(text(USER, "earlier"), text(ADMIN, "earlier")), NOW);
        TestDatabase.jdbi().useHandle(h -> {
            long request = h.createQuery("INSERT INTO manual_topups (request_key, user_id, chat_id, amount, reference, "
                            + "state, created_at, expires_at) VALUES ('k1', :u, :u, 100, 'R1', 'CLAIMED_PAID', :at, "
                            + ":until) RETURNING id")
                    .bind("u", USER).bind("at", Sql.ts(NOW)).bind("until", Sql.ts(NOW.plus(Duration.ofDays(1))))
                    .mapTo(Long.class).one();
            h.createUpdate("INSERT INTO manual_topup_notices (request_id, chat_id) VALUES (:r, :a)")
                    .bind("r", request).bind("a", ADMIN).execute();
        });
        return besideAForget("SELECT 1 FROM outbox_chats WHERE chat_id = " + USER, append);
    }

    /** An operator's {@code BEGIN; SELECT … FOR UPDATE} of {@code select}'s rows, left open; its backend's pid. */
    private static int lockRow(Connection operator, String select) throws SQLException {
        operator.setAutoCommit(false);
        try (Statement st = operator.createStatement()) {
            st.execute(select + " FOR UPDATE");
            try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Until a backend waits for {@code pid}'s lock; that backend's pid. */
    private static int awaitBlockedBy(int pid, String what) {
        int[] found = {0};
        Patience.await(what, WAIT_MAX, () -> {
            Optional<Integer> blocked = TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT pid "
                    + "FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid)) LIMIT 1")
                    .bind("pid", pid).mapTo(Integer.class).findOne());
            blocked.ifPresent(p -> found[0] = p);
            return blocked.isPresent();
        });
        return found[0];
    }

    /** The SQLSTATE {@code work} failed with (a deadlock's is 40P01); empty when it succeeded. */
    private static Optional<String> failure(Future<?> work) throws Exception {
        try {
            Patience.get(work, WAIT_MAX);
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(String.valueOf(Sql.sqlState(e.getCause())));
        }
    }
}
