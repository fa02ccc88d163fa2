package dev.kiebot.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.payments.AdminNotice;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.ManualTopUpCreation;
import dev.kiebot.core.payments.ManualTopUpDraft;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.payments.ManualTopUps;
import dev.kiebot.core.payments.ManualTransition;
import dev.kiebot.core.payments.RequestNotice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rules of the manual top-up store: one request per key, unique references, a cap on a user's open requests that
 * racing requests cannot pass, and every change of state a
 * compare-and-set (two admins, a double tap and the expiry never both win). Extend it and return a fresh, empty
 * store.
 */
public abstract class ManualTopUpsContract {
    /** When the tests' first request is made: their instants are counted from it. */
    protected static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final Duration DAY = Duration.ofHours(24);
    /** The store under test: {@link #create}'s answer for this test. */
    protected ManualTopUps store;

    /**
     * A fresh, empty store, called before each test. It needs no clock: every instant comes with the call. The
     * racing tests call the store from several threads at once.
     *
     * @return the store under test, with no request
     */
    protected abstract ManualTopUps create();

    /** For your test class that extends it. */
    protected ManualTopUpsContract() {
    }

    @BeforeEach
    void freshStore() {
        store = create();
    }

    private ManualTopUp request(String key, long user, String reference, Instant at) {
        return store.create(new ManualTopUpDraft(key, user, user, 50_000, reference, at, at.plus(DAY)))
                .orElseThrow();
    }

    @Test
    void aRequestIsCreatedOncePerKeyAndFoundByIdAndReference() {
        ManualTopUp r = request("upd:1", 42, "AB23CD", T0);
        assertThat(r.state()).isEqualTo(ManualTopUpState.REQUESTED);
        assertThat(r.amount()).isEqualTo(50_000);
        assertThat(r.receipt()).isEmpty();
        assertThat(r.decidedBy()).isEmpty();
        assertThat(r.createdAt()).isEqualTo(T0);
        assertThat(r.expiresAt()).isEqualTo(T0.plus(DAY));
        ManualTopUp again = request("upd:1", 42, "ZZ99ZZ", T0.plusSeconds(5));
        assertThat(again).isEqualTo(r);
        assertThat(store.find(r.id())).contains(r);
        assertThat(store.findByReference("ab23cd")).contains(r);
        assertThat(store.findByReference("ZZ99ZZ")).isEmpty();
        assertThat(store.find(r.id() + 100)).isEmpty();
    }

    @Test
    void aTakenReferenceIsRefused() {
        request("upd:1", 42, "AB23CD", T0);
        assertThat(store.create(new ManualTopUpDraft("upd:2", 43, 43, 100_00, "AB23CD", T0, T0.plus(DAY)))).isEmpty();
        assertThat(store.create(new ManualTopUpDraft("upd:2", 43, 43, 100_00, "EF45GH", T0, T0.plus(DAY))))
                .isPresent();
    }

    private ManualTopUpCreation capped(String key, long user, String reference, Instant at) {
        return store.create(new ManualTopUpDraft(key, user, user, 50_000, reference, at, at.plus(DAY)), 2);
    }

    @Test
    void aUserWithEnoughOpenRequestsGetsNoNewOneUntilOneCloses() {
        ManualTopUp a = request("upd:1", 42, "AAAAA2", T0);
        ManualTopUp b = request("upd:2", 42, "AAAAA3", T0);
        store.claimPaid(b.id());
        assertThat(capped("upd:3", 42, "AAAAA4", T0.plusSeconds(1))).isEqualTo(
                new ManualTopUpCreation.TooManyOpen(List.of(a, store.find(b.id()).orElseThrow())));
        assertThat(store.findByReference("AAAAA4")).as("nothing stored").isEmpty();
        assertThat(capped("upd:2", 42, "AAAAA5", T0.plusSeconds(1))).as("asked again in the same update")
                .isEqualTo(new ManualTopUpCreation.Created(store.find(b.id()).orElseThrow()));
        assertThat(capped("upd:4", 43, "AAAAA6", T0.plusSeconds(1))).as("another user")
                .isInstanceOf(ManualTopUpCreation.Created.class);
        assertThat(capped("upd:5", 43, "AAAAA2", T0.plusSeconds(1))).as("a taken reference")
                .isEqualTo(new ManualTopUpCreation.ReferenceTaken());

        store.decide(a.id(), ManualTopUpState.DECLINED, 1, T0.plusSeconds(2));
        ManualTopUpCreation c = capped("upd:3", 42, "AAAAA4", T0.plusSeconds(3));
        assertThat(c).isInstanceOfSatisfying(ManualTopUpCreation.Created.class,
                created -> assertThat(created.request().reference()).isEqualTo("AAAAA4"));
        assertThat(capped("upd:6", 42, "AAAAA7", T0.plusSeconds(4))).isInstanceOf(
                ManualTopUpCreation.TooManyOpen.class);
        assertThat(capped("upd:6", 42, "AAAAA7", T0.plus(DAY))).as("open ones past their time, not yet swept, count no more")
                .isInstanceOf(ManualTopUpCreation.Created.class);
    }

    @Test
    void racingRequestsOfOneUserPassTheCapNoMoreThanItAllows() throws Exception {
        int updates = 8;
        ExecutorService pool = Executors.newFixedThreadPool(updates);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ManualTopUpCreation>> results = new ArrayList<>();
        for (int i = 0; i < updates; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                go.await();
                return capped("upd:" + n, 42, "RACE0" + (char) ('A' + n), T0);
            }));
        }
        go.countDown();
        List<ManualTopUpCreation> done = new ArrayList<>();
        for (Future<ManualTopUpCreation> f : results) {
            done.add(f.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(done).filteredOn(ManualTopUpCreation.Created.class::isInstance).hasSize(2);
        assertThat(done).filteredOn(ManualTopUpCreation.TooManyOpen.class::isInstance).hasSize(updates - 2);
        assertThat(store.recent(42, 100)).hasSize(2);
    }

    @Test
    void claimingIsOnceAndOnlyFromRequested() {
        ManualTopUp r = request("upd:1", 42, "AB23CD", T0);
        ManualTransition first = store.claimPaid(r.id()).orElseThrow();
        assertThat(first.now()).isTrue();
        assertThat(first.request().state()).isEqualTo(ManualTopUpState.CLAIMED_PAID);
        ManualTransition second = store.claimPaid(r.id()).orElseThrow();
        assertThat(second.now()).isFalse();
        assertThat(second.request().state()).isEqualTo(ManualTopUpState.CLAIMED_PAID);
        assertThat(store.claimPaid(r.id() + 100)).isEmpty();
    }

    @Test
    void aReceiptIsKeptWhileTheRequestIsOpen() {
        ManualTopUp r = request("upd:1", 42, "AB23CD", T0);
        assertThat(store.attachReceipt(r.id(), "photo-1").orElseThrow().receipt()).contains("photo-1");
        store.claimPaid(r.id());
        assertThat(store.attachReceipt(r.id(), "photo-2").orElseThrow().receipt()).contains("photo-2");
        store.decide(r.id(), ManualTopUpState.DECLINED, 1, T0.plusSeconds(60));
        assertThat(store.attachReceipt(r.id(), "photo-3")).isEmpty();
        assertThat(store.find(r.id()).orElseThrow().receipt()).contains("photo-2");
    }

    /**
     * One transfer's receipt sent for two requests (the same content id: Telegram's {@code file_unique_id}) is found
     * from either of them, any user's and in any state, by every receipt a request got and not only its last; a
     * request is never its own match, and a closed request takes no receipt's id.
     */
    @Test
    void requestsThatGotTheSameReceiptAreFoundFromEachOther() {
        ManualTopUp first = request("upd:1", 42, "AB23CD", T0);
        ManualTopUp second = request("upd:2", 42, "EF45GH", T0);
        ManualTopUp elses = request("upd:3", 43, "JK67LM", T0);
        ManualTopUp closed = request("upd:4", 44, "NP89QR", T0);
        store.attachReceipt(first.id(), "file-1", Optional.of("same"));
        store.attachReceipt(first.id(), "file-1-again", Optional.of("same"));
        assertThat(store.sharingAReceipt(first.id(), 10)).as("the same receipt twice for one request").isEmpty();
        store.attachReceipt(second.id(), "file-2", Optional.of("same"));
        store.attachReceipt(second.id(), "file-2-other", Optional.of("another"));
        store.attachReceipt(elses.id(), "file-3", Optional.of("his-own"));
        store.decide(closed.id(), ManualTopUpState.DECLINED, 1, T0.plusSeconds(60));
        assertThat(store.attachReceipt(closed.id(), "file-4", Optional.of("same"))).isEmpty();

        assertThat(store.sharingAReceipt(first.id(), 10)).extracting(ManualTopUp::id).containsExactly(second.id());
        assertThat(store.sharingAReceipt(second.id(), 10)).as("found by a receipt before the last")
                .extracting(ManualTopUp::id).containsExactly(first.id());
        assertThat(store.sharingAReceipt(elses.id(), 10)).isEmpty();
        assertThat(store.sharingAReceipt(closed.id(), 10)).isEmpty();

        store.attachReceipt(elses.id(), "file-3-forwarded", Optional.of("same"));
        store.decide(first.id(), ManualTopUpState.APPROVED, 1, T0.plusSeconds(90));
        assertThat(store.sharingAReceipt(second.id(), 10)).as("any user's, in any state, oldest first")
                .extracting(ManualTopUp::id).containsExactly(first.id(), elses.id());
        assertThat(store.sharingAReceipt(second.id(), 1)).extracting(ManualTopUp::id).containsExactly(first.id());
        assertThat(store.sharingAReceipt(second.id(), 10).get(0).state()).as("as it is now")
                .isEqualTo(ManualTopUpState.APPROVED);
    }

    @Test
    void aReceiptWithNoContentIdIsKeptAndMatchesNothing() {
        ManualTopUp first = request("upd:1", 42, "AB23CD", T0);
        ManualTopUp second = request("upd:2", 42, "EF45GH", T0);
        assertThat(store.attachReceipt(first.id(), "file-1", Optional.empty()).orElseThrow().receipt())
                .contains("file-1");
        store.attachReceipt(second.id(), "file-1", Optional.empty());
        assertThat(store.sharingAReceipt(first.id(), 10)).isEmpty();
        assertThat(store.sharingAReceipt(second.id(), 10)).isEmpty();
    }

    @Test
    void aDecisionIsFinalAndRemembersWhoAndWhen() {
        ManualTopUp r = request("upd:1", 42, "AB23CD", T0);
        store.claimPaid(r.id());
        ManualTransition approved = store.decide(r.id(), ManualTopUpState.APPROVED, 7, T0.plusSeconds(60))
                .orElseThrow();
        assertThat(approved.now()).isTrue();
        assertThat(approved.request().state()).isEqualTo(ManualTopUpState.APPROVED);
        assertThat(approved.request().decidedBy()).contains(7L);
        assertThat(approved.request().decidedAt()).contains(T0.plusSeconds(60));
        ManualTransition declined = store.decide(r.id(), ManualTopUpState.DECLINED, 8, T0.plusSeconds(61))
                .orElseThrow();
        assertThat(declined.now()).isFalse();
        assertThat(declined.request().state()).isEqualTo(ManualTopUpState.APPROVED);
        assertThat(declined.request().decidedBy()).contains(7L);
        assertThat(store.claimPaid(r.id()).orElseThrow().now()).isFalse();
        assertThat(store.decide(r.id() + 100, ManualTopUpState.APPROVED, 7, T0)).isEmpty();
    }

    @Test
    void racingDecisionsHaveOneWinner() throws Exception {
        ManualTopUp r = request("upd:1", 42, "AB23CD", T0);
        store.claimPaid(r.id());
        int admins = 8;
        ExecutorService pool = Executors.newFixedThreadPool(admins);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ManualTransition>> results = new ArrayList<>();
        for (int i = 0; i < admins; i++) {
            long admin = i + 1L;
            ManualTopUpState to = i % 2 == 0 ? ManualTopUpState.APPROVED : ManualTopUpState.DECLINED;
            results.add(pool.submit(() -> {
                go.await();
                return store.decide(r.id(), to, admin, T0.plusSeconds(admin)).orElseThrow();
            }));
        }
        go.countDown();
        List<ManualTransition> done = new ArrayList<>();
        for (Future<ManualTransition> f : results) {
            done.add(f.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();
        assertThat(done.stream().filter(ManualTransition::now)).hasSize(1);
        ManualTopUp winner = done.stream().filter(ManualTransition::now).findFirst().orElseThrow().request();
        assertThat(done).allSatisfy(t -> assertThat(t.request().state()).isEqualTo(winner.state()));
        assertThat(store.find(r.id()).orElseThrow().decidedBy()).isEqualTo(winner.decidedBy());
    }

    @Test
    void openRequestsPastTheirTimeExpireOnceInOrderAndInBatches() {
        ManualTopUp early = request("upd:1", 42, "AAAAA2", T0);
        ManualTopUp later = request("upd:2", 42, "AAAAA3", T0.plusSeconds(10));
        ManualTopUp claimed = request("upd:3", 43, "AAAAA4", T0.plusSeconds(20));
        store.claimPaid(claimed.id());
        ManualTopUp decided = request("upd:4", 44, "AAAAA5", T0);
        store.decide(decided.id(), ManualTopUpState.APPROVED, 1, T0.plusSeconds(30));
        request("upd:5", 45, "AAAAA6", T0.plus(DAY));
        assertThat(store.countOpen()).isEqualTo(4);
        assertThat(store.expire(T0.plus(DAY).minusSeconds(1), 10)).isEmpty();
        List<ManualTopUp> first = store.expire(T0.plus(DAY).plusSeconds(30), 2);
        assertThat(first).extracting(ManualTopUp::id).containsExactly(early.id(), later.id());
        assertThat(first).allSatisfy(r -> assertThat(r.state()).isEqualTo(ManualTopUpState.EXPIRED));
        assertThat(store.expire(T0.plus(DAY).plusSeconds(30), 10)).extracting(ManualTopUp::id)
                .containsExactly(claimed.id());
        assertThat(store.expire(T0.plus(DAY).plusSeconds(30), 10)).isEmpty();
        assertThat(store.decide(early.id(), ManualTopUpState.APPROVED, 1, T0.plus(DAY).plusSeconds(40))
                .orElseThrow().now()).isFalse();
        assertThat(store.countOpen()).isEqualTo(1);
    }

    @Test
    void racingExpiryAndApprovalHaveOneWinner() throws Exception {
        ManualTopUp r = request("upd:1", 42, "AB23CD", T0);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        Future<List<ManualTopUp>> expiry = pool.submit(() -> {
            go.await();
            return store.expire(T0.plus(DAY), 10);
        });
        Future<ManualTransition> approval = pool.submit(() -> {
            go.await();
            return store.decide(r.id(), ManualTopUpState.APPROVED, 1, T0.plus(DAY)).orElseThrow();
        });
        go.countDown();
        boolean expired = !expiry.get(30, TimeUnit.SECONDS).isEmpty();
        boolean approved = approval.get(30, TimeUnit.SECONDS).now();
        pool.shutdown();
        assertThat(expired ^ approved).as("exactly one of expiry and approval wins").isTrue();
        assertThat(store.find(r.id()).orElseThrow().state())
                .isEqualTo(expired ? ManualTopUpState.EXPIRED : ManualTopUpState.APPROVED);
    }

    @Test
    void noticesAreKeptPerRequestOnce() {
        ManualTopUp r = request("upd:1", 42, "AB23CD", T0);
        ManualTopUp other = request("upd:2", 42, "EF45GH", T0);
        store.addNotice(r.id(), new AdminNotice(1));
        store.addNotice(r.id(), new AdminNotice(2));
        store.addNotice(r.id(), new AdminNotice(1));
        assertThat(store.notices(r.id())).containsExactlyInAnyOrder(new AdminNotice(1), new AdminNotice(2));
        assertThat(store.notices(other.id())).isEmpty();
    }

    @Test
    void noticesOfRequestsClosedBeforeTheCutoffAreForgottenAFewAtATimeOpenOnesKept() {
        ManualTopUp approved = request("upd:1", 42, "AB23CD", T0);
        store.decide(approved.id(), ManualTopUpState.APPROVED, 1, T0.plusSeconds(10));
        ManualTopUp expired = request("upd:2", 43, "EF45GH", T0);
        assertThat(store.expire(T0.plus(DAY), 10)).extracting(ManualTopUp::id).containsExactly(expired.id());
        ManualTopUp declinedLater = request("upd:3", 44, "JK67LM", T0);
        store.decide(declinedLater.id(), ManualTopUpState.DECLINED, 1, T0.plus(DAY).plus(DAY));
        ManualTopUp open = request("upd:4", 45, "NP89QR", T0);
        store.claimPaid(open.id()); // long past its time, not expired yet: it can still be decided
        for (ManualTopUp r : List.of(approved, expired, declinedLater, open)) {
            store.addNotice(r.id(), new AdminNotice(1));
            store.addNotice(r.id(), new AdminNotice(2));
        }
        Instant cutoff = T0.plus(DAY).plus(DAY);

        List<RequestNotice> first = store.forgetNotices(cutoff, 3);
        List<RequestNotice> second = store.forgetNotices(cutoff, 3);

        assertThat(first).hasSize(3);
        assertThat(second).hasSize(1);
        assertThat(store.forgetNotices(cutoff, 3)).isEmpty();
        assertThat(java.util.stream.Stream.concat(first.stream(), second.stream()).toList())
                .containsExactlyInAnyOrder(new RequestNotice(approved.id(), 1), new RequestNotice(approved.id(), 2),
                        new RequestNotice(expired.id(), 1), new RequestNotice(expired.id(), 2));
        assertThat(store.notices(approved.id())).isEmpty();
        assertThat(store.notices(expired.id())).isEmpty();
        assertThat(store.notices(declinedLater.id())).as("closed at the cutoff").hasSize(2);
        assertThat(store.notices(open.id())).as("open").hasSize(2);
    }

    @Test
    void aUsersRequestsComeNewestFirst() {
        ManualTopUp a = request("upd:1", 42, "AAAAA2", T0);
        request("upd:2", 43, "AAAAA3", T0.plusSeconds(1));
        ManualTopUp c = request("upd:3", 42, "AAAAA4", T0.plusSeconds(2));
        assertThat(store.recent(42, 10)).extracting(ManualTopUp::id).containsExactly(c.id(), a.id());
        assertThat(store.recent(42, 1)).extracting(ManualTopUp::id).containsExactly(c.id());
        assertThat(store.recent(44, 10)).isEmpty();
    }

    /** A receipt sent without «Оплачено» goes to the user's open request: his own, open and still in time, newest first. */
    @Test
    void aUsersOpenRequestsAreHisOwnStillInTimeNewestFirst() {
        ManualTopUp a = request("upd:1", 42, "AAAAA2", T0);
        ManualTopUp b = request("upd:2", 42, "AAAAA3", T0.plusSeconds(1));
        request("upd:3", 43, "AAAAA4", T0.plusSeconds(2));
        assertThat(store.open(42, T0.plusSeconds(3))).extracting(ManualTopUp::id).containsExactly(b.id(), a.id());
        store.claimPaid(a.id());
        assertThat(store.open(42, T0.plusSeconds(3))).as("a request reported paid is still open")
                .extracting(ManualTopUp::id).containsExactly(b.id(), a.id());
        store.decide(b.id(), ManualTopUpState.DECLINED, 1, T0.plusSeconds(4));
        assertThat(store.open(42, T0.plusSeconds(5))).extracting(ManualTopUp::id).containsExactly(a.id());
        assertThat(store.open(42, T0.plus(DAY))).as("past its time, not yet swept").isEmpty();
        assertThat(store.open(44, T0)).isEmpty();
    }

    /**
     * However many requests a user opened and closed since (each declined within the hour), his old request still open
     * is found: {@code open}'s former default read only his newest 100, so a receipt for the old one found nothing.
     */
    @Test
    void anOldOpenRequestIsFoundBehindAHundredClosedOnes() {
        ManualTopUp old = request("upd:old", 42, "OLD001", T0);
        for (int i = 0; i < 101; i++) {
            ManualTopUp closed = request("upd:" + i, 42, "CLOSED" + i, T0.plusSeconds(1 + i));
            store.decide(closed.id(), ManualTopUpState.DECLINED, 1, T0.plusSeconds(1 + i));
        }
        ManualTopUp newest = request("upd:new", 42, "NEW001", T0.plusSeconds(200));

        assertThat(store.open(42, T0.plusSeconds(300))).extracting(ManualTopUp::id)
                .containsExactly(newest.id(), old.id());
    }
}
