package dev.kiebot.core.ledger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The double-entry, two-phase ledger (port). Every request carries a caller-chosen id:
 * replaying it with the same fields returns {@link LedgerResult.Exists}; with other fields,
 * {@code EXISTS_WITH_DIFFERENT_FIELDS}. Wallet available balance never goes negative: holds are
 * checked pessimistically when created, so posting or voiding never breaks the rule.
 *
 * <p>Each request is atomic and decides its own race, also against other threads and processes on the same store:
 * of holds that each fit a wallet's balance alone but not together, only those that fit succeed, the others are
 * {@link LedgerResult.Rejected}; of a post and a void of one hold, exactly one resolves it
 * ({@code LedgerContract} checks both, the holds racing). Inside the caller's transaction
 * ({@code Transactions.inOne}) a request joins it and is undone with it: a hold made while handling an update exists
 * exactly when the update's job does.
 *
 * <p>Implementations: {@code dev.kiebot.core.testing.memory.InMemoryLedger} and the PostgreSQL adapter;
 * both pass {@code LedgerContract}.
 */
public interface Ledger {
    /** Upper bound for one transfer, far above any real price, far below overflow. */
    long MAX_AMOUNT = 1_000_000_000_000L;

    /**
     * Single-phase transfer (top-ups, grants, refunds): moves the posted balances at once.
     *
     * @param id     the caller's key for this movement, unique across every transfer (kiebot's are
     *               {@code <what>:<its id>}, e.g. {@code external:stripe:pi_1}): the same request again is
     *               {@link LedgerResult.Exists} and moves nothing
     * @param debit  where the money leaves; a wallet's available balance must cover {@code amount}
     * @param credit where it arrives, another account than {@code debit}
     * @param amount minor units (kopecks for rubles), from 1 to {@link #MAX_AMOUNT}
     * @param kind   what the movement is, for statements and reports ({@link TransferKind})
     * @return {@link LedgerResult.Created} or {@link LedgerResult.Exists} when the movement is in the ledger, else
     *         {@link LedgerResult.Rejected} with its {@link LedgerResult.Reason}: a refusal is an answer, never an
     *         exception
     */
    LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind);

    /**
     * Reserves {@code amount}; it stays unavailable until posted, voided or expired. The parameters are
     * {@link #transfer}'s, and its answers.
     *
     * @param id        the hold's key (a job's hold: the job's display id, {@code gen_12})
     * @param debit     where the money will leave; a wallet's available balance must cover {@code amount}
     * @param credit    where it will arrive
     * @param amount    minor units, from 1 to {@link #MAX_AMOUNT}
     * @param kind      what the movement is
     * @param timeoutAt when {@link #expire} may release the hold if nothing resolved it (a generation's deadline)
     * @return as {@link #transfer}: {@code Created} and {@code Exists} mean the amount is reserved
     */
    LedgerResult hold(String id, AccountId debit, AccountId credit, long amount, TransferKind kind,
                      Instant timeoutAt);

    /**
     * Posts {@code amount ≤ hold amount} of a hold; the remainder returns to the debit account. A hold is resolved
     * once: a second post, void or expiry of it is {@link LedgerResult.Rejected} ({@code ALREADY_POSTED}, ...).
     *
     * @param id     this post's own key ({@link #postId} of the hold, so that every caller picks the same one)
     * @param holdId the hold's key
     * @param amount from 0 to the hold's amount
     * @return {@code Created} or {@code Exists} when posted; {@code Rejected} when the hold is unknown, resolved
     *         already or smaller than {@code amount}
     */
    LedgerResult post(String id, String holdId, long amount);

    /**
     * Releases a hold: its whole amount is available again. Resolved once, as {@link #post}.
     *
     * @param id     this void's own key ({@link #voidId} of the hold)
     * @param holdId the hold's key
     * @return {@code Created} or {@code Exists} when voided; {@code Rejected} when the hold is unknown or resolved
     *         already
     */
    LedgerResult voidHold(String id, String holdId);

    /**
     * Expires up to {@code limit} holds whose deadline is at or before {@code now}, each under
     * {@link #expireId} of the hold ({@code Upkeep}'s sweep takes the rest at its next run). When more are due than
     * {@code limit}, the call takes them earliest deadline first, then id (ids compared by their characters' code
     * points, as bytes of UTF-8). Each expiry is recorded at {@code now} ({@link Transfer#createdAt()}), whatever the
     * store's clock reads.
     *
     * @param now   the shop's clock's instant
     * @param limit the most holds to expire in this call
     * @return the ids of the holds expired by this call
     */
    List<String> expire(Instant now, int limit);

    /**
     * The hold {@link #expire} would take first at {@code now}: the open one whose deadline passed earliest (then the
     * lowest id), whether or not a sweep could take it. A sweep leaves a due hold it cannot lock now ({@code PgLedger}:
     * another transaction holds its expiry's lock or its row) to the next; one left at every sweep keeps its user's
     * money held, and this is how the shop sees it: its sweep ({@code JobWorker.sweepExpiredHolds}) reads it once after
     * each run ({@code OverdueHolds}: one WARNING through {@code System.Logger} when a hold stays overdue longer than
     * ten minutes, the figure of kiebot's {@code kiebot_ledger_overdue_hold_age_seconds}). It waits for no lock.
     *
     * <p>The default reads every account's transfers; stores with an index override it. A default because it is
     * sound: the same hold, read slower.
     *
     * @param now the shop's clock's instant
     * @return the hold as recorded (its {@link Transfer#timeoutAt()} is the deadline), or empty when none is due
     */
    default Optional<Transfer> oldestDueHold(Instant now) {
        Map<String, Transfer> due = new LinkedHashMap<>();
        Set<String> resolved = new HashSet<>();
        for (AccountId account : accounts()) {
            for (Transfer t : transfers(account)) {
                t.pendingId().ifPresent(resolved::add); // a post, void or expiry of its hold (on the same accounts)
                if (t.phase() == Phase.PENDING && t.timeoutAt().filter(at -> !at.isAfter(now)).isPresent()) {
                    due.putIfAbsent(t.id(), t);
                }
            }
        }
        // the sweep's order: the deadline, then the id's code points (PostgreSQL's COLLATE "C")
        return due.values().stream()
                .filter(t -> !resolved.contains(t.id()))
                .min(Comparator.comparing((Transfer t) -> t.timeoutAt().orElseThrow())
                        .thenComparing(t -> t.id().codePoints().toArray(), Arrays::compare));
    }

    /**
     * Where an operator of this store finds what keeps a due hold from the sweep ({@link #expire} skipping it at every
     * run), and how to end it: said after the cause in the {@code OverdueHolds} WARNING that names a stuck hold. Core
     * knows no database, so only the store can say which of its sessions, locks or tables to look at ({@code
     * PgLedger}: {@code pg_stat_activity}, {@code pg_locks}). A plain sentence for a log line, read only when that
     * WARNING is said.
     *
     * <p>The default is empty: the WARNING then says only that a session of the store holds the hold's lock or its
     * row, or that the store's {@code expire} skips it. A store that can be held so (any with locks) overrides it. A
     * default because it is sound: the WARNING is said all the same, without the store's pointer.
     *
     * @return the hint, one or two sentences ending with a full stop; empty when the store has none to give
     */
    default Optional<String> stuckHoldHint() {
        return Optional.empty();
    }

    /**
     * The account's pending and posted sums; an account never touched is {@link Balance#zero}, not an error.
     *
     * @param account the account
     * @return its balances, in minor units, as of the last committed (or this transaction's) request
     */
    Balance balance(AccountId account);

    /**
     * The transfer recorded under {@code id} (of any phase), or empty when none was (a rejected one is not).
     *
     * @param id the caller's key
     * @return the transfer as recorded
     */
    Optional<Transfer> find(String id);

    /**
     * {@link #find}, once a request under {@code id} that another transaction made and has not committed yet has
     * ended: what decides "was this recorded?" against a request racing it, as the request itself decides it. Inside
     * the caller's transaction ({@code Transactions.inOne}) a request under {@code id} made by another one after it
     * waits, in turn, for the caller's to end, and so does a {@code findAwaiting} of the same id by another one: the
     * shop takes its turn on an id with it (a Stars refund's loss and a hold, each read and sent back or owed by one
     * refund at a time, {@code HeldStarsRefunds}). {@code ExternalTopUps} refuses a payment reported in a foreign currency
     * only when its credit is not in the ledger: read by {@code find} while the same payment's converted credit was
     * being committed, it told the admins «not credited» of money the wallet got a moment later.
     *
     * <p>No default: one that was {@link #find} decided nothing against a request in flight, and a partner's store
     * shared by several threads or instances inherited it without a word: a Stars refund's report and a refund of the
     * same user read each other's money as not there yet, and the user kept the job's money and his Stars
     * ({@code HeldStarsRefunds} takes the user's turn with it). {@code PgLedger} takes the lock its requests take,
     * till the transaction ends; a store whose writes are seen the moment they are made, with no transaction holding
     * them back, answers {@link #find} (core-testing's in-memory one). core-testing's {@code LedgerContract} checks
     * what it finds once nothing is in flight.
     *
     * @param id the caller's key
     * @return the transfer as recorded, once no other transaction is recording it
     */
    Optional<Transfer> findAwaiting(String id);

    /**
     * Where the hold {@code holdId} stands: {@code PENDING} until a post, void or expiry resolves it, then that; empty
     * when no hold has that id (also when {@code holdId} names a transfer that is not a hold).
     *
     * @param holdId the hold's key
     * @return its state
     */
    Optional<HoldState> holdState(String holdId);

    /**
     * Every transfer touching the account, oldest first.
     *
     * @param account the account
     * @return every transfer debiting or crediting it, of every phase
     */
    List<Transfer> transfers(AccountId account);

    /**
     * The transfers whose ids start with {@code idPrefix}, oldest first: one job's refunds sent back against Stars
     * refunds' losses ({@code refund:<hold>:<loss id>}) without the loss account's whole history, which grows with
     * every Stars refund the shop ever had (a {@code /history} page read it once per charged line). The default reads
     * every account's transfers; a store with an index on the ids overrides it ({@code PgLedger} reads a range of its
     * primary key). A default because it is sound: the same transfers, read slower.
     *
     * @param idPrefix the ids' beginning, compared character by character (no wildcards); empty gives every transfer
     * @return each such transfer once, of every phase, oldest first
     */
    default List<Transfer> withIdPrefix(String idPrefix) {
        Map<String, Transfer> found = new LinkedHashMap<>();
        for (AccountId account : accounts()) {
            for (Transfer t : transfers(account)) {
                if (t.id().startsWith(idPrefix)) {
                    found.putIfAbsent(t.id(), t); // each transfer touches two accounts
                }
            }
        }
        List<Transfer> oldestFirst = new ArrayList<>(found.values());
        oldestFirst.sort(Comparator.comparing(Transfer::createdAt));
        return oldestFirst;
    }

    /**
     * The newest {@code limit} transfers touching the account, newest first (statements). The default reads every
     * transfer of the account; stores with an index override it. A default because it is sound: the same transfers,
     * read slower.
     *
     * @param account the account
     * @param limit   the most to return
     * @return the transfers, newest first
     */
    default List<Transfer> recent(AccountId account, int limit) {
        List<Transfer> all = transfers(account);
        List<Transfer> newest = new ArrayList<>(all.subList(Math.max(0, all.size() - Math.max(0, limit)), all.size()));
        Collections.reverse(newest);
        return newest;
    }

    /**
     * The transfers of these kinds that moved money — single-phase ones and the posts of holds, not holds, voids or
     * expiries — created at or after {@code from} and before {@code to}, oldest first (an admin's export of a month's
     * payments). The default reads every account's transfers; stores with an index override it. A default because
     * it is sound: the same transfers, read slower.
     *
     * @param kinds the kinds wanted
     * @param from  the period's start, included
     * @param to    the period's end, excluded
     * @return each such transfer once, oldest first
     */
    default List<Transfer> posted(Set<TransferKind> kinds, Instant from, Instant to) {
        Map<String, Transfer> moved = new LinkedHashMap<>();
        for (AccountId account : accounts()) {
            for (Transfer t : transfers(account)) {
                boolean movedMoney = t.phase() == Phase.POSTED || t.phase() == Phase.POST_PENDING;
                if (movedMoney && kinds.contains(t.kind()) && !t.createdAt().isBefore(from)
                        && t.createdAt().isBefore(to)) {
                    moved.putIfAbsent(t.id(), t); // each transfer touches two accounts
                }
            }
        }
        List<Transfer> oldestFirst = new ArrayList<>(moved.values());
        oldestFirst.sort(Comparator.comparing(Transfer::createdAt));
        return oldestFirst;
    }

    /**
     * The first {@code limit} transfers {@link #posted} answers for the same arguments, oldest first: an admin's export
     * of a month's payments, which one file holds only so many of. The default reads them all through
     * {@link #posted}; a store of your own may stop at the limit ({@code PgLedger} does). A default because it is
     * sound: the same transfers, read slower.
     *
     * @param kinds the kinds wanted
     * @param from  the period's start, included
     * @param to    the period's end, excluded
     * @param limit the most to return
     * @return at most {@code limit} such transfers, oldest first
     */
    default List<Transfer> posted(Set<TransferKind> kinds, Instant from, Instant to, int limit) {
        List<Transfer> all = posted(kinds, from, to);
        return all.size() <= limit ? all : List.copyOf(all.subList(0, Math.max(0, limit)));
    }

    /**
     * How many transfers {@link #posted} answers for the same arguments, and their amounts together, without the
     * transfers: the dashboard's count of the day's welcome bonuses. The default reads them through {@link #posted};
     * a store of your own may answer it with one aggregate query ({@code PgLedger} does). A default because it is
     * sound: the same figures, read slower.
     *
     * @param kinds the kinds wanted
     * @param from  the period's start, included
     * @param to    the period's end, excluded
     * @return the count and the sum; zeros when none
     */
    default PostedTotal postedTotal(Set<TransferKind> kinds, Instant from, Instant to) {
        List<Transfer> moved = posted(kinds, from, to);
        return new PostedTotal(moved.size(), moved.stream().mapToLong(Transfer::amount).sum());
    }

    /**
     * What the transfers of these kinds that moved money (single-phase ones and the posts of holds) brought the
     * account, less what they took from it, over its whole history: what referral bonuses left a user (his bonuses
     * less those taken back), for {@code /find}. The default reads every transfer of the account through
     * {@link #transfers}; a store of your own may answer it with one aggregate query ({@code PgLedger} does). A
     * default because it is sound: the same sum, read slower.
     *
     * @param account the account
     * @param kinds   the kinds wanted
     * @return credits less debits, in minor units; 0 when none
     */
    default long postedNet(AccountId account, Set<TransferKind> kinds) {
        long net = 0;
        for (Transfer t : transfers(account)) {
            if ((t.phase() == Phase.POSTED || t.phase() == Phase.POST_PENDING) && kinds.contains(t.kind())) {
                net += t.credit().equals(account) ? t.amount() : -t.amount();
            }
        }
        return net;
    }

    /**
     * Which of these kinds took money from the account (transfers that moved money, single-phase ones and the posts of
     * holds, debiting it) created at or before {@code until}: for {@code /find}, what had taken a friend's money when
     * his inviter's bonus was taken back, without the account's history (the ledger is never purged). The default
     * reads every transfer of the account through {@link #transfers}; a store of your own may answer it with one
     * query ({@code PgLedger} does). A default because it is sound: the same kinds, read slower.
     *
     * @param account the account
     * @param kinds   the kinds asked of
     * @param until   the latest creation time counted, included
     * @return those of {@code kinds} found, each once; empty when none
     */
    default Set<TransferKind> postedDebitKinds(AccountId account, Set<TransferKind> kinds, Instant until) {
        Set<TransferKind> found = java.util.EnumSet.noneOf(TransferKind.class);
        for (Transfer t : transfers(account)) {
            if (account.equals(t.debit()) && kinds.contains(t.kind()) && !t.createdAt().isAfter(until)
                    && (t.phase() == Phase.POSTED || t.phase() == Phase.POST_PENDING)) {
                found.add(t.kind());
            }
        }
        return found;
    }

    /**
     * Every account that has ever been touched, for reconciliation.
     *
     * @return the accounts, each once
     */
    List<AccountId> accounts();

    /**
     * Id of the transfer that posts a generation hold (the job delivered); one place so all callers agree.
     *
     * @param holdId the hold's key
     * @return {@code post:<holdId>}
     */
    static String postId(String holdId) {
        return "post:" + holdId;
    }

    /**
     * Id of the transfer that voids a generation hold (the job failed or was cancelled: the money goes back).
     *
     * @param holdId the hold's key
     * @return {@code void:<holdId>}
     */
    static String voidId(String holdId) {
        return "void:" + holdId;
    }

    /**
     * The id of the transfer that gives a finished paid job's price back after its hold was posted (an admin's
     * {@code /refund}, a result gone at the provider): one id per hold, so the money comes back once whoever asks.
     *
     * @param holdId the hold's key
     * @return {@code refund:<holdId>}
     */
    static String refundId(String holdId) {
        return "refund:" + holdId;
    }

    /**
     * Id of the transfer that expires a hold left past its deadline ({@code Upkeep}'s sweep).
     *
     * @param holdId the hold's key
     * @return {@code expire:<holdId>}
     */
    static String expireId(String holdId) {
        return "expire:" + holdId;
    }

    /**
     * The id of the {@code n}th try of a transfer under {@code firstId}: a refused id stays refused for good, so a
     * transfer tried again (money taken back after a debit came between) or made again (a job charged again after its
     * hold expired) takes a fresh one. It names what the first names: {@link #firstTryId} reads that back.
     *
     * @param firstId the first try's id
     * @param n       the try, from 1
     * @return {@code firstId} for the first try, {@code <firstId>~<n>} for a later one
     */
    static String tryId(String firstId, int n) {
        return n == 1 ? firstId : firstId + "~" + n;
    }

    /**
     * The first try's id of a transfer's id ({@link #tryId}): what a later try names, as the user and the admins know
     * it (the job, the payment), not {@code gen_1~2}.
     *
     * @param id a transfer's id
     * @return the id without a later try's {@code ~<n>}
     */
    static String firstTryId(String id) {
        return id.replaceFirst("~\\d+$", "");
    }
}
