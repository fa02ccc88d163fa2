package dev.kiebot.core.testing.contract;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.intake.SingletonLock;
import dev.kiebot.core.jobs.DeliveredFile;
import dev.kiebot.core.jobs.ForwardingJobs;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.ForwardingLedger;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.ManualTopUps;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.payments.StarsCharge;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.shop.Transactions;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.memory.InMemoryAudit;
import dev.kiebot.core.testing.memory.InMemoryChatStates;
import dev.kiebot.core.testing.memory.InMemoryFreeUsage;
import dev.kiebot.core.testing.memory.InMemoryJobs;
import dev.kiebot.core.testing.memory.InMemoryLedger;
import dev.kiebot.core.testing.memory.InMemoryManualTopUps;
import dev.kiebot.core.testing.memory.InMemoryPayments;
import dev.kiebot.core.testing.memory.InMemoryPendingReplies;
import dev.kiebot.core.testing.memory.InMemoryPersonalData;
import dev.kiebot.core.testing.memory.InMemoryProcessedUpdates;
import dev.kiebot.core.testing.memory.InMemorySingletonLock;
import dev.kiebot.core.testing.memory.InMemoryStores;
import dev.kiebot.core.testing.memory.InMemoryStoresContract;
import dev.kiebot.core.testing.memory.InMemorySupportTickets;
import dev.kiebot.core.testing.memory.InMemoryTransactions;
import dev.kiebot.core.testing.memory.InMemoryUsers;
import dev.kiebot.core.users.FreeUsage;
import dev.kiebot.core.users.PersonalData;
import dev.kiebot.core.users.User;
import dev.kiebot.core.users.Users;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The contracts catch the mistakes a partner's store could make: each test here runs one contract test against a
 * store that is wrong in one way, and expects it to fail. A contract test a wrong store passes proves nothing.
 */
class ContractsCatchWrongStoresTest {

    /** A transition that applies its change without asking the guard: "compare-and-set" that does not compare. */
    private static final class UnguardedTransitions extends ForwardingJobs {
        UnguardedTransitions(Jobs real) {
            super(real);
        }

        @Override
        public Optional<Job> transition(JobId id, Predicate<Job> guard, UnaryOperator<Job> change) {
            return find(id).flatMap(j -> update(change.apply(j)));
        }
    }

    /** A transition that asks the guard once, then retries a lost write blind: the guard no longer holds by then. */
    private static final class GuardAskedOnce extends ForwardingJobs {
        GuardAskedOnce(Jobs real) {
            super(real);
        }

        @Override
        public Optional<Job> transition(JobId id, Predicate<Job> guard, UnaryOperator<Job> change) {
            if (find(id).filter(guard).isEmpty()) {
                return Optional.empty();
            }
            for (int attempt = 0; attempt < TRANSITION_ATTEMPTS; attempt++) {
                Optional<Job> saved = find(id).flatMap(j -> update(change.apply(j)));
                if (saved.isPresent()) {
                    return saved;
                }
            }
            return Optional.empty();
        }
    }

    private static JobsContract jobsContract(Jobs wrong) {
        JobsContract contract = new JobsContract() {
            @Override
            protected Jobs create() {
                return wrong;
            }
        };
        contract.setUpJobs();
        return contract;
    }

    @Test
    void aTransitionThatIgnoresItsGuardFailsTheJobsContract() {
        assertThatThrownBy(() -> jobsContract(new UnguardedTransitions(new InMemoryJobs()))
                .aTransitionWhoseGuardFailsWritesNothing()).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> jobsContract(new GuardAskedOnce(new InMemoryJobs()))
                .aTransitionThatLosesItsWriteAsksTheGuardAgain()).isInstanceOf(AssertionError.class);
    }

    /**
     * A store whose racing writers that lose throw instead of answering empty: the race's checks counted the answers
     * only, and the calls that threw ended unseen in the pool's futures, so one winner among them passed.
     */
    @Test
    void losersOfARaceThatThrowFailTheJobsContract() {
        Jobs losersThrow = new ForwardingJobs(new InMemoryJobs()) {
            @Override
            public Optional<Job> update(Job next) {
                return Optional.of(real.update(next).orElseThrow(() -> new IllegalStateException("lost the race")));
            }
        };
        assertThatThrownBy(() -> jobsContract(losersThrow).racingWritersOnlyOneWins())
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }

    /**
     * A store whose {@code unfinished} reads the user's newest 20 jobs, as the menu's read of running jobs did: a job
     * still running behind 20 finished ones is not found. The port's default (his whole history) passes.
     */
    @Test
    void unfinishedJobsReadFromTheNewestTwentyFailTheJobsContract() {
        Jobs newestTwenty = new ForwardingJobs(new InMemoryJobs()) {
            @Override
            public List<Job> unfinished(long userId, int limit) {
                return real.recent(userId, 20).stream().filter(j -> !j.state().isTerminal()).limit(limit).toList();
            }
        };
        assertThatThrownBy(() -> jobsContract(newestTwenty)
                .unfinishedAreTheUsersJobsNotDoneNewestFirstBehindAnyNumberOfFinishedOnes())
                .isInstanceOf(AssertionError.class);
        Jobs real = new InMemoryJobs();
        Jobs byDefault = (Jobs) Proxy.newProxyInstance(Jobs.class.getClassLoader(), new Class<?>[] {Jobs.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("unfinished")) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        jobsContract(byDefault).unfinishedAreTheUsersJobsNotDoneNewestFirstBehindAnyNumberOfFinishedOnes();
    }

    /**
     * A store that keeps a job's file ids and their URLs apart and pairs them by order, the URLs in the result's order
     * (here: sorted), as the shop paired them when the store kept no URL: a file that reached the user after a later
     * one goes with another file's URL. One that forgets the URLs fails too.
     */
    @Test
    void fileIdsPairedWithUrlsByOrderFailTheJobsContract() {
        Jobs byOrder = new ForwardingJobs(new InMemoryJobs()) {
            @Override
            public List<DeliveredFile> deliveredFiles(JobId id) {
                List<DeliveredFile> kept = real.deliveredFiles(id);
                List<String> urls = kept.stream().map(f -> f.url().orElseThrow()).sorted().toList();
                List<DeliveredFile> paired = new ArrayList<>();
                for (int i = 0; i < kept.size(); i++) {
                    paired.add(DeliveredFile.of(kept.get(i).source(), urls.get(i)));
                }
                return paired;
            }
        };
        assertThatThrownBy(() -> jobsContract(byOrder).deliveredFilesKeepEachItsOwnUrlWhateverOrderTheyCameIn())
                .isInstanceOf(AssertionError.class);
        Jobs forgetful = new ForwardingJobs(new InMemoryJobs()) {
            @Override
            public void addDeliveredFiles(JobId id, List<DeliveredFile> files) {
                real.addDeliveredFiles(id, files.stream().map(f -> new DeliveredFile(f.source(), Optional.empty()))
                        .toList());
            }
        };
        assertThatThrownBy(() -> jobsContract(forgetful).deliveredFilesKeepEachItsOwnUrlWhateverOrderTheyCameIn())
                .isInstanceOf(AssertionError.class);
    }

    // ---- the ledger ------------------------------------------------------------------------------------

    private static LedgerContract ledgerContract(Function<Ledger, Ledger> wrong) {
        LedgerContract contract = new LedgerContract() {
            @Override
            protected Ledger create(MutableClock clock) {
                return wrong.apply(new InMemoryLedger(clock));
            }
        };
        contract.setUpLedger();
        return contract;
    }

    @Test
    void aLedgerThatAnswersAKnownIdWithoutComparingItsFieldsFailsTheLedgerContract() {
        Function<Ledger, Ledger> knownIdsExist = real -> new ForwardingLedger(real) {
            private Optional<LedgerResult> known(String id) {
                return real.find(id).map(LedgerResult.Exists::new);
            }

            @Override
            public LedgerResult hold(String id, AccountId debit, AccountId credit, long amount, TransferKind kind,
                                     Instant timeoutAt) {
                return known(id).orElseGet(() -> real.hold(id, debit, credit, amount, kind, timeoutAt));
            }

            @Override
            public LedgerResult post(String id, String holdId, long amount) {
                return known(id).orElseGet(() -> real.post(id, holdId, amount));
            }

            @Override
            public LedgerResult voidHold(String id, String holdId) {
                return known(id).orElseGet(() -> real.voidHold(id, holdId));
            }
        };
        assertThatThrownBy(() -> ledgerContract(knownIdsExist)
                .holdsPostsAndVoidsAreIdempotentByTheirIdAndRefuseOtherFields()).isInstanceOf(AssertionError.class);
    }

    @Test
    void aLedgerThatRefusesAVoidsReplayFailsTheLedgerContract() {
        Function<Ledger, Ledger> replayRefused = real -> new ForwardingLedger(real) {
            @Override
            public LedgerResult voidHold(String id, String holdId) {
                LedgerResult r = real.voidHold(id, holdId);
                return r instanceof LedgerResult.Exists
                        ? new LedgerResult.Rejected(LedgerResult.Reason.ALREADY_VOIDED, holdId) : r;
            }
        };
        assertThatThrownBy(() -> ledgerContract(replayRefused)
                .holdsPostsAndVoidsAreIdempotentByTheirIdAndRefuseOtherFields()).isInstanceOf(AssertionError.class);
    }

    @Test
    void aLedgerThatForgetsARefusedTransferFailsTheLedgerContract() {
        Function<Ledger, Ledger> forgetful = real -> new ForwardingLedger(real) {
            private final Set<String> retried = new HashSet<>();

            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount,
                                         TransferKind kind) {
                LedgerResult r = real.transfer(id, debit, credit, amount, kind);
                boolean refusedBefore = r instanceof LedgerResult.Rejected rej
                        && rej.reason() == LedgerResult.Reason.ID_ALREADY_FAILED;
                // as if the refusal had not been kept: the request is made afresh
                return refusedBefore && retried.add(id) ? real.transfer(id + "'", debit, credit, amount, kind) : r;
            }
        };
        assertThatThrownBy(() -> ledgerContract(forgetful).aRefusedTransferStaysRefusedUnderItsId())
                .isInstanceOf(AssertionError.class);
    }

    /** A findAwaiting that waits for nothing and finds nothing: a payment's credit read as never made. */
    @Test
    void aLedgerWhoseFindAwaitingFindsNothingFailsTheLedgerContract() {
        Function<Ledger, Ledger> blind = real -> new ForwardingLedger(real) {
            @Override
            public Optional<dev.kiebot.core.ledger.Transfer> findAwaiting(String id) {
                return Optional.empty();
            }
        };
        assertThatThrownBy(() -> ledgerContract(blind)
                .findAwaitingFindsARecordedCreditAndNothingUnderAnIdNeverRecorded()).isInstanceOf(AssertionError.class);
    }

    /** A findAwaiting that finds what was refused under the id: a payment refused read as credited. */
    @Test
    void aLedgerWhoseFindAwaitingFindsARefusedIdFailsTheLedgerContract() {
        Function<Ledger, Ledger> refusalsFound = real -> new ForwardingLedger(real) {
            private final Map<String, dev.kiebot.core.ledger.Transfer> refused = new HashMap<>();

            @Override
            public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount,
                                         TransferKind kind) {
                LedgerResult r = real.transfer(id, debit, credit, amount, kind);
                if (!r.succeeded()) {
                    refused.put(id, new dev.kiebot.core.ledger.Transfer(id, debit, credit, amount, kind,
                            dev.kiebot.core.ledger.Phase.POSTED, Optional.empty(), Optional.empty(), Instant.EPOCH));
                }
                return r;
            }

            @Override
            public Optional<dev.kiebot.core.ledger.Transfer> findAwaiting(String id) {
                return real.findAwaiting(id).or(() -> Optional.ofNullable(refused.get(id)));
            }
        };
        assertThatThrownBy(() -> ledgerContract(refusalsFound)
                .findAwaitingFindsARecordedCreditAndNothingUnderAnIdNeverRecorded()).isInstanceOf(AssertionError.class);
    }

    // ---- free usage ------------------------------------------------------------------------------------

    /**
     * Free uses counted per user and day, where a release gives back a use whatever its key, and a cap on every
     * user's uses together is not held; nor is the cap on the day's welcome bonuses.
     */
    private static final class CountingFreeUsage implements FreeUsage {
        private final Map<String, List<String>> keys = new HashMap<>();
        private final Map<LocalDate, Integer> welcomed = new HashMap<>();

        private List<String> of(long userId, LocalDate day) {
            return keys.computeIfAbsent(userId + "@" + day, k -> new ArrayList<>());
        }

        @Override
        public synchronized boolean tryUse(long userId, LocalDate day, int limit, OptionalInt totalMax, String key) {
            List<String> used = of(userId, day);
            if (used.contains(key)) {
                return true;
            }
            return used.size() < limit && used.add(key);
        }

        @Override
        public synchronized int usedByAll(LocalDate day) {
            return keys.entrySet().stream().filter(e -> e.getKey().endsWith("@" + day))
                    .mapToInt(e -> e.getValue().size()).sum();
        }

        @Override
        public synchronized void release(long userId, LocalDate day, String key) {
            List<String> used = of(userId, day);
            if (!used.remove(key) && !used.isEmpty()) {
                used.remove(0);
            }
        }

        @Override
        public synchronized boolean tryWelcome(LocalDate day, int max) {
            welcomed.merge(day, 1, Integer::sum);
            return true;
        }

        @Override
        public synchronized int welcomed(LocalDate day) {
            return welcomed.getOrDefault(day, 0);
        }

        @Override
        public synchronized int used(long userId, LocalDate day) {
            return of(userId, day).size();
        }

        @Override
        public synchronized int purge(LocalDate day) {
            return 0;
        }
    }

    private static StoresContract storesContract(FreeUsage wrong) {
        StoresContract contract = new InMemoryStoresContract(() -> wrong) { };
        contract.resetStores();
        return contract;
    }

    /**
     * Free uses whose refusals throw instead of answering false: the race counted the uses granted only, and the
     * refusals that threw ended unseen in the pool's futures.
     */
    @Test
    void freeUsesRefusedByThrowingFailTheStoresContract() {
        FreeUsage real = new InMemoryFreeUsage();
        FreeUsage refusesByThrowing = answering(FreeUsage.class, real, Map.of("tryUse", args -> {
            boolean used = args.length == 4
                    ? real.tryUse((long) args[0], (LocalDate) args[1], (int) args[2], (String) args[3])
                    : real.tryUse((long) args[0], (LocalDate) args[1], (int) args[2], (OptionalInt) args[3],
                            (String) args[4]);
            if (!used) {
                throw new IllegalStateException("no free use left");
            }
            return true;
        }));
        assertThatThrownBy(() -> storesContract(refusesByThrowing).freeUsageHoldsItsLimitUnderConcurrency())
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void freeUsageThatGivesBackAUseWhateverTheKeyFailsTheStoresContract() {
        assertThatThrownBy(() -> storesContract(new CountingFreeUsage())
                .aReleaseGivesBackOnlyItsOwnKeysUseAndUsersCountApart()).isInstanceOf(AssertionError.class);
    }

    @Test
    void freeUsageThatGivesPastTheDaysTotalFailsTheStoresContract() {
        assertThatThrownBy(() -> storesContract(new CountingFreeUsage())
                .freeUsageHoldsTheDaysTotalForEveryoneUnderConcurrency()).isInstanceOf(AssertionError.class);
    }

    @Test
    void freeUsageThatWelcomesPastTheDaysTotalFailsTheStoresContract() {
        assertThatThrownBy(() -> storesContract(new CountingFreeUsage())
                .freeUsageCountsTheDaysWelcomeBonusesUpToTheCapUnderConcurrency()).isInstanceOf(AssertionError.class);
    }

    // ---- the charge lock -------------------------------------------------------------------------------

    private static ChargeLockContract chargeLockContract(Payments payments, Transactions transactions) {
        ChargeLockContract contract = new ChargeLockContract() {
            @Override
            protected Payments payments() {
                return payments;
            }

            @Override
            protected Transactions transactions() {
                return transactions;
            }

            @Override
            protected void reset() {
            }
        };
        contract.resetStore();
        return contract;
    }

    /**
     * In-memory payments whose lockCharge takes one lock for every charge and holds it until the transaction that took
     * it commits: enough to pass.
     */
    private static Payments lockingPayments(Transactions transactions) {
        Payments real = new InMemoryPayments();
        ReentrantLock lock = new ReentrantLock();
        return (Payments) java.lang.reflect.Proxy.newProxyInstance(Payments.class.getClassLoader(),
                new Class<?>[] {Payments.class}, (proxy, method, args) -> {
                    if (method.getName().equals("lockCharge")) {
                        lock.lock();
                        transactions.afterCommit(lock::unlock);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The mistake Payments.lockCharge's javadoc warns of: answering as charge(), locking nothing. */
    @Test
    void aLockChargeThatLocksNothingFailsTheChargeLockContract() {
        assertThatThrownBy(() -> chargeLockContract(new InMemoryPayments(), new InMemoryTransactions())
                .aLockedChargeWaitsForTheTransactionThatLockedItToEnd()).isInstanceOf(AssertionError.class);
    }

    @Test
    void aLockChargeThatHoldsItsLockUntilTheCommitPassesIt() throws Exception {
        InMemoryTransactions transactions = new InMemoryTransactions();
        chargeLockContract(lockingPayments(transactions), transactions)
                .aLockedChargeWaitsForTheTransactionThatLockedItToEnd();
    }

    // ---- the singleton lock ----------------------------------------------------------------------------

    private static SingletonLockContract singletonLockContract(Supplier<SingletonLock> contenders) {
        SingletonLockContract contract = new SingletonLockContract() {
            @Override
            protected SingletonLock contender() {
                return contenders.get();
            }

            @Override
            protected void reset() {
            }
        };
        contract.resetLock();
        return contract;
    }

    /** A lock each contender keeps to itself (a lock object made per instance): every instance polls. */
    @Test
    void aLockPerContenderFailsTheSingletonLockContract() {
        assertThatThrownBy(() -> singletonLockContract(() -> new InMemorySingletonLock().holder())
                .oneContenderHoldsTheLockAndTheOthersAreRefusedWithoutWaiting()).isInstanceOf(AssertionError.class);
    }

    /** A close that frees the lock whoever calls it: a standby's stop lets a third instance poll beside the holder. */
    @Test
    void aCloseThatFreesTheLockForAnyCallerFailsTheSingletonLockContract() {
        InMemorySingletonLock shared = new InMemorySingletonLock();
        SingletonLock[] holder = new SingletonLock[1];
        Supplier<SingletonLock> careless = () -> {
            SingletonLock own = shared.holder();
            return new SingletonLock() {
                @Override
                public boolean tryAcquire() {
                    boolean taken = own.tryAcquire();
                    if (taken) {
                        holder[0] = own;
                    }
                    return taken;
                }

                @Override
                public boolean isHeld() {
                    return own.isHeld();
                }

                @Override
                public void close() {
                    if (holder[0] != null) {
                        holder[0].close();
                    }
                }
            };
        };
        assertThatThrownBy(() -> singletonLockContract(careless)
                .closingAContenderThatHoldsNothingLeavesTheHolderAlone()).isInstanceOf(AssertionError.class);
    }

    // ---- manual top-ups --------------------------------------------------------------------------------

    /**
     * A store whose {@code open} reads the user's newest 100 requests, as {@code ManualTopUps.open}'s former default
     * did: an old request still open behind them is not found, and a receipt for it goes nowhere.
     */
    @Test
    void openRequestsReadFromTheNewestHundredFailTheManualTopUpsContract() {
        ManualTopUps real = new InMemoryManualTopUps();
        ManualTopUps newestHundred = (ManualTopUps) Proxy.newProxyInstance(ManualTopUps.class.getClassLoader(),
                new Class<?>[] {ManualTopUps.class}, (proxy, method, args) -> {
                    if (method.getName().equals("open")) {
                        Instant at = (Instant) args[1];
                        return real.recent((long) args[0], 100).stream()
                                .filter(r -> r.state().open() && r.expiresAt().isAfter(at)).toList();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ManualTopUpsContract contract = new ManualTopUpsContract() {
            @Override
            protected ManualTopUps create() {
                return newestHundred;
            }
        };
        contract.freshStore();
        assertThatThrownBy(contract::anOldOpenRequestIsFoundBehindAHundredClosedOnes)
                .isInstanceOf(AssertionError.class);
    }

    // ---- R10's hand mutation test: the mutants that passed every contract before ---------------------------

    /** {@code real}, each method named in {@code wrong} answered by its function (the arguments in, the answer out). */
    private static <T> T answering(Class<T> port, T real, Map<String, Function<Object[], Object>> wrong) {
        return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port},
                (proxy, method, args) -> {
                    Function<Object[], Object> instead = wrong.get(method.getName());
                    if (instead != null) {
                        return instead.apply(args);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }

    /** The stores contract on in-memory stores, its payments and its users each wrapped by the operator given. */
    private static StoresContract storesContract(UnaryOperator<Payments> wrongPayments,
                                                 UnaryOperator<Users> wrongUsers) {
        StoresContract contract = new InMemoryStoresContract() {
            private Payments payments;
            private Users users;

            @Override
            protected void reset() {
                super.reset();
                payments = wrongPayments.apply(super.payments());
                users = wrongUsers.apply(super.users());
            }

            @Override
            protected Payments payments() {
                return payments;
            }

            @Override
            protected Users users() {
                return users;
            }
        };
        contract.resetStores();
        return contract;
    }

    /** R10's Y05: a user's charges oldest first; the Stars refunds read his oldest charges for his newest. */
    @Test
    void chargesListedOldestFirstFailTheStoresContract() {
        UnaryOperator<Payments> oldestFirst = real -> answering(Payments.class, real, Map.of("charges", args -> {
            List<StarsCharge> all = new ArrayList<>(real.charges((long) args[0], Integer.MAX_VALUE));
            Collections.reverse(all);
            return all.subList(0, Math.min((int) args[1], all.size()));
        }));
        assertThatThrownBy(() -> storesContract(oldestFirst, UnaryOperator.identity())
                .aUsersChargesAreListedNewestFirstUpToTheLimit()).isInstanceOf(AssertionError.class);
    }

    /** R10's Y08: an invoice saved again replaces the first: a paid one reads as unpaid, payable again. */
    @Test
    void anInvoiceSavedOverFailsTheStoresContract() {
        UnaryOperator<Payments> savedOver = real -> {
            Map<String, Invoice> resaved = new HashMap<>();
            return answering(Payments.class, real, Map.of(
                    "saveInvoice", args -> {
                        Invoice invoice = (Invoice) args[0];
                        if (real.invoice(invoice.payload()).isPresent()) {
                            resaved.put(invoice.payload(), invoice);
                        } else {
                            real.saveInvoice(invoice);
                        }
                        return null;
                    },
                    "invoice", args -> Optional.ofNullable(resaved.get((String) args[0]))
                            .or(() -> real.invoice((String) args[0]))));
        };
        assertThatThrownBy(() -> storesContract(savedOver, UnaryOperator.identity())
                .anInvoiceSavedAgainKeepsTheFirstPaidOrNot()).isInstanceOf(AssertionError.class);
    }

    /** A {@code languageOf} by the client's language alone: the language a user chose is not written to him in. */
    @Test
    void aLanguageOfThatIgnoresTheUsersChoiceFailsTheStoresContract() {
        UnaryOperator<Users> clientsOnly = real -> answering(Users.class, real, Map.of("languageOf",
                args -> real.find((long) args[0]).map(u -> User.languageOf(u.languageCode())).orElse("ru")));
        assertThatThrownBy(() -> storesContract(UnaryOperator.identity(), clientsOnly)
                .aUsersLanguageIsHisChoiceOverHisClientsAndRussianForOneNeverSeen())
                .isInstanceOf(AssertionError.class);
    }

    /**
     * R10's L18: a post or void refused for want of its hold keeps no failure, so its id retried once the hold exists
     * is answered afresh (here: recorded under an id of its own, as a store that never kept the refusal does).
     */
    @Test
    void aLedgerThatForgetsAPostRefusedForWantOfItsHoldFailsTheLedgerContract() {
        Function<Ledger, Ledger> forgetful = real -> new ForwardingLedger(real) {
            private final Set<String> refused = new HashSet<>();

            private LedgerResult forgotten(String id, Function<String, LedgerResult> request) {
                LedgerResult r = request.apply(refused.contains(id) ? id + "'" : id);
                if (r instanceof LedgerResult.Rejected rej && rej.reason() == LedgerResult.Reason.HOLD_NOT_FOUND) {
                    refused.add(id);
                }
                return r;
            }

            @Override
            public LedgerResult post(String id, String holdId, long amount) {
                return forgotten(id, own -> real.post(own, holdId, amount));
            }

            @Override
            public LedgerResult voidHold(String id, String holdId) {
                return forgotten(id, own -> real.voidHold(own, holdId));
            }
        };
        assertThatThrownBy(() -> ledgerContract(forgetful)
                .aPostOrVoidRefusedForWantOfItsHoldStaysRefusedOnceTheHoldIsMade()).isInstanceOf(AssertionError.class);
    }

    /** The queues contract on in-memory stores, the inbox made wrong by {@code wrong}. */
    private static QueuesContract queuesContract(
            java.util.function.BiFunction<ProcessedUpdates, Transactions, ProcessedUpdates> wrong) {
        QueuesContract contract = new QueuesContract() {
            private InMemoryTransactions transactions;
            private ProcessedUpdates inbox;
            private PendingReplies outbox;

            @Override
            protected void reset() {
                transactions = new InMemoryTransactions();
                inbox = wrong.apply(new InMemoryProcessedUpdates(transactions), transactions);
                outbox = new InMemoryPendingReplies();
            }

            @Override
            protected ProcessedUpdates processedUpdates() {
                return inbox;
            }

            @Override
            protected PendingReplies pendingReplies() {
                return outbox;
            }

            @Override
            protected Transactions transactions() {
                return transactions;
            }
        };
        contract.resetStores();
        return contract;
    }

    /**
     * An inbox whose racing records of one update throw for the duplicates instead of answering false: the race
     * counted the first records only, and the records that threw ended unseen in the pool's futures.
     */
    @Test
    void duplicateRecordsThatThrowFailTheQueuesContract() {
        assertThatThrownBy(() -> queuesContract((real, transactions) -> answering(ProcessedUpdates.class, real,
                Map.of("record", args -> {
                    if (!real.record((long) args[0], (long) args[1], (String) args[2], (Instant) args[3])) {
                        throw new IllegalStateException("recorded already");
                    }
                    return true;
                }))).updatesAreRecordedOnceEvenWhenRacing()).hasRootCauseInstanceOf(IllegalStateException.class);
    }

    /**
     * R10's Q02: a purge by age alone, handled or not: an old update still waiting is lost (here: marked done first,
     * which looks the same from outside once it is purged).
     */
    @Test
    void aPurgeThatDeletesUnhandledUpdatesFailsTheQueuesContract() {
        assertThatThrownBy(() -> queuesContract((real, transactions) -> answering(ProcessedUpdates.class, real,
                Map.of("purge", args -> {
                    Instant cutoff = (Instant) args[0];
                    // one claim per transaction: a second in the same one answers the chat it holds again
                    while (transactions.inOne(() -> real.claimNext().filter(u -> u.recordedAt().isBefore(cutoff))
                            .map(u -> {
                                real.done(u.updateId(), cutoff);
                                return true;
                            }).orElse(false))) {
                        // the next old one, oldest first
                    }
                    return real.purge(cutoff, args.length > 1 ? (int) args[1] : Integer.MAX_VALUE);
                }))).handledUpdatesArePurgedAfterRetention()).isInstanceOf(AssertionError.class);
    }

    /** R10's Q04: a purge that takes the cutoff's own updates too ({@code <=} for {@code <}). */
    @Test
    void aPurgeThatTakesTheCutoffItselfFailsTheQueuesContract() {
        assertThatThrownBy(() -> queuesContract((real, transactions) -> answering(ProcessedUpdates.class, real,
                Map.of("purge", args -> args.length > 1
                        ? real.purge(((Instant) args[0]).plusNanos(1), (int) args[1])
                        : real.purge(((Instant) args[0]).plusNanos(1)))))
                .handledUpdatesArePurgedAfterRetention()).isInstanceOf(AssertionError.class);
    }

    /** A one-statement purge that stops after its first batch (of one here): the rest stays for ever. */
    @Test
    void aOneStatementPurgeThatStopsAfterABatchFailsTheQueuesContract() {
        assertThatThrownBy(() -> queuesContract((real, transactions) -> answering(ProcessedUpdates.class, real,
                Map.of("purge", args -> args.length > 1 ? real.purge((Instant) args[0], (int) args[1])
                        : real.purge((Instant) args[0], 1))))
                .handledUpdatesArePurgedAfterRetentionAllAtOnce()).isInstanceOf(AssertionError.class);
    }

    /** R10's J17: a lease that takes every due job whatever its limit. */
    @Test
    void aLeaseThatIgnoresItsLimitFailsTheJobsContract() {
        Jobs greedy = new ForwardingJobs(new InMemoryJobs()) {
            @Override
            public List<Job> lease(String worker, Instant now, Duration leaseFor, int limit) {
                return real.lease(worker, now, leaseFor, Integer.MAX_VALUE);
            }
        };
        assertThatThrownBy(() -> jobsContract(greedy).aLeaseTakesAtMostItsLimitTheEarliestChecksFirst())
                .isInstanceOf(AssertionError.class);
    }

    /** R10's J10: the most delivered models of jobs created after {@code since}, not at or after it. */
    @Test
    void mostDeliveredCountingFromAfterItsStartFailsTheJobsContract() {
        Jobs afterSince = new ForwardingJobs(new InMemoryJobs()) {
            @Override
            public List<String> mostDelivered(Instant since, int limit) {
                return real.mostDelivered(since.plusNanos(1), limit);
            }
        };
        assertThatThrownBy(() -> jobsContract(afterSince).mostDeliveredCountsDeliveredJobsCreatedSinceMostFirst())
                .isInstanceOf(AssertionError.class);
    }

    /** The personal data contract on in-memory stores whose {@code forget} is {@code wrong}'s. */
    private static PersonalDataContract personalDataContract(Function<Stores, PersonalData> wrong) {
        return personalDataContract(wrong, false);
    }

    /**
     * The personal data contract on in-memory stores whose {@code forget} is {@code wrong}'s; with {@code blindHook}
     * its {@code payloadOf} sees only the updates still waiting (what the inbox's port hands back), as a partner's
     * hook written over the port would, though the store keeps the bodies of handled updates.
     */
    private static PersonalDataContract personalDataContract(Function<Stores, PersonalData> wrong,
                                                             boolean blindHook) {
        PersonalDataContract contract = new PersonalDataContract() {
            private InMemoryProcessedUpdates real;
            private final Set<Long> handled = new HashSet<>();

            @Override
            protected Stores create(MutableClock clock) {
                Stores s = InMemoryStores.create(clock);
                real = (InMemoryProcessedUpdates) s.processedUpdates();
                ProcessedUpdates inbox = answering(ProcessedUpdates.class, s.processedUpdates(), Map.of("done",
                        args -> {
                            handled.add((Long) args[0]);
                            s.processedUpdates().done((Long) args[0], (Instant) args[1]);
                            return null;
                        }));
                return new Stores(s.users(), s.chatStates(), s.ledger(), s.jobs(), s.payments(), s.freeUsage(),
                        inbox, s.audit(), s.admissions(), s.broadcasts(), s.manualTopUps(),
                        s.supportTickets(), s.figures(), s.pendingReplies(), s.transactions(), s.pausedModels(),
                        s.externalRefundDues(), wrong.apply(s));
            }

            @Override
            protected StoredPayload payloadOf(long updateId) {
                if (blindHook && handled.contains(updateId)) {
                    return new StoredPayload.NotStored();
                }
                return real.payloadOf(updateId)
                        .<StoredPayload>map(StoredPayload.Kept::new).orElseGet(StoredPayload.NotStored::new);
            }
        };
        contract.aShopOnTheStores();
        return contract;
    }

    /**
     * R10's D02: a forget that skips the inbox keeps the bodies of his handled updates, his Telegram JSON (name,
     * username, texts); here the in-memory forget over an inbox of its own, not the shop's.
     */
    @Test
    void aForgetThatSkipsTheInboxFailsThePersonalDataContract() {
        assertThatThrownBy(() -> personalDataContract(s -> new InMemoryPersonalData((InMemoryUsers) s.users(),
                (InMemoryJobs) s.jobs(), (InMemorySupportTickets) s.supportTickets(),
                (InMemoryManualTopUps) s.manualTopUps(), (InMemoryChatStates) s.chatStates(),
                new InMemoryProcessedUpdates(new InMemoryTransactions()), (InMemoryAudit) s.audit(),
                (InMemoryPendingReplies) s.pendingReplies()))
                .theBodiesOfHisHandledUpdatesGoAndAnotherChatsStay()).isInstanceOf(AssertionError.class);
        personalDataContract(Stores::personalData).theBodiesOfHisHandledUpdatesGoAndAnotherChatsStay();
    }

    /**
     * Stop 64's gap: a store that keeps the bodies of handled updates and whose forget skips them, checked through a
     * hook that sees only the updates still waiting. Before, the test read an empty answer as "no body kept" and
     * passed; the update is stored, so the hook's answer must say kept or dropped.
     */
    @Test
    void aHookBlindToHandledUpdatesFailsThePersonalDataContract() {
        Function<Stores, PersonalData> skipsTheInbox = s -> new InMemoryPersonalData((InMemoryUsers) s.users(),
                (InMemoryJobs) s.jobs(), (InMemorySupportTickets) s.supportTickets(),
                (InMemoryManualTopUps) s.manualTopUps(), (InMemoryChatStates) s.chatStates(),
                new InMemoryProcessedUpdates(new InMemoryTransactions()), (InMemoryAudit) s.audit(),
                (InMemoryPendingReplies) s.pendingReplies());
        assertThatThrownBy(() -> personalDataContract(skipsTheInbox, true)
                .theBodiesOfHisHandledUpdatesGoAndAnotherChatsStay()).isInstanceOf(AssertionError.class);
    }

    /**
     * Stores whose transactions say they keep nothing, run as a database's (the default): {@code Shop.Builder} would
     * refuse them. Said so ({@code durable()} overridden), they pass.
     */
    @Test
    void transactionsThatSayTheyAreNotDurableFailTheTransactionsContractUnlessSaidSo() {
        TransactionsContract asADatabase = new TransactionsContract() {
            @Override
            protected Stores create(MutableClock clock) {
                return InMemoryStores.create(clock);
            }
        };
        asADatabase.emptyStores();
        assertThatThrownBy(asADatabase::theTransactionsSayWhetherTheStoresAreDurable)
                .isInstanceOf(AssertionError.class);
        TransactionsContract inMemory = new TransactionsContract() {
            @Override
            protected Stores create(MutableClock clock) {
                return InMemoryStores.create(clock);
            }

            @Override
            protected boolean durable() {
                return false;
            }
        };
        inMemory.emptyStores();
        inMemory.theTransactionsSayWhetherTheStoresAreDurable();
    }
}
