package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Balance;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ExternalPayment;
import dev.kiebot.core.payments.ExternalRefund;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A money fuzzer: seeded random walks of an inviter and the friend he brought through the real shop (Stars payments
 * and Telegram's refunds of them, an admin's {@code /refund_stars}, card payments through a provider and its refunds
 * whole or in parts, admin top-ups and {@code /debit_user} of all or part, the referral bonus and its reversal, jobs
 * started, finished, failed, charged less and refunded by an admin, money spent on jobs nobody refunds, and replays of
 * every keyed report), checked by what an accountant states without the shop's own reckoning of which credit paid what
 * ({@link CreditsOnWallet}):
 * <ul>
 *   <li>after every step: the ledger balances ({@link Reconciliation#check}); no wallet is below zero; each Stars
 *       charge's loss (booked, less what refunds sent back against it) is never below zero nor above the charge, and
 *       none before Telegram refunded it; a report replayed with its key (a Stars payment, Telegram's refund, an
 *       admin's Stars refund, a card payment, a provider's refund, an admin's {@code /refund}) moves nothing; an
 *       admin's refund of a finished job takes its charge out of the revenue, no more, no less; and the lower bound, the
 *       user never loses money: nothing leaves his wallet for a Stars refund beyond the charges refunded, for a
 *       provider's refund beyond what it gave back, for a bonus's reversal beyond the bonus; a finished job whose
 *       credits (those that came at or before its charge) none was taken back yet is refunded to the wallet whole,
 *       the Stars loss untouched, whether or not it was running at a Stars refund of its user (its hold owes only
 *       that charge's own money, which came at or before it: {@code HeldStarsRefunds.owe}) (the test's own reckoning
 *       of origins and ticks, not {@link CreditsOnWallet}'s);</li>
 *   <li>at the end, every job ended, every Stars and card payment given back to the user (so the friend's bonus is
 *       due back too) and then every job refunded by an admin: what the user's Stars refunds left as the shop's loss
 *       is no more than what left the wallet for good, the admins' debits and the spending nobody refunds. Every
 *       other spending of the Stars' money was a job, refunded now: its refund goes against the loss (the
 *       documented policy, {@code HeldStarsRefunds.giveBackAgainstLoss}), or it went to the wallet before the Stars
 *       refund, which took it from there. A loss left beyond that is on the user's wallet: money made from
 *       nothing. (By the ledger, the same as: the wallet holds no more than admin top-ups and grants, and what a
 *       provider's refund or a bonus's reversal could not take because the money was spent, as documented.) Each
 *       user's Stars refunds took from his wallet and booked as loss together exactly the charges refunded. (A lower
 *       bound on the wallet by totals alone, "at least the admin top-ups and kept bonus less the debits and the
 *       spending", follows from the ledger balancing and no loss below zero; what the user may lose is a refund sent
 *       to the wrong place, which the per-refund check above sees.)</li>
 * </ul>
 * A failure prints the seed and the walk shrunk by dropping steps, to be written as a scenario. Faults found and not
 * yet fixed are kept out of the walks by {@link KnownFault}; switch one on once it is fixed. {@code -DmoneyFuzz.walks}
 * and {@code -DmoneyFuzz.seed} run more walks, or others, by hand.
 */
class MoneyFuzzTest {
    /** The walks run; each seed is {@code SEED0 + i}, the same walk on every run. */
    private static final int WALKS = Integer.getInteger("moneyFuzz.walks", 120);
    private static final long SEED0 = Long.getLong("moneyFuzz.seed", 68_000);
    private static final long INVITER = 42;
    private static final long FRIEND = 77;
    private static final long[] USERS = {INVITER, FRIEND};
    /** A bonus large beside a job's price, so that it pays jobs: 50 % of the friend's first paid top-up, ≤ 40 ₽. */
    static final ShopSettings SETTINGS = ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
            .withAdmission(AdmissionPolicy.off()).withReferralBonus(50, 4_000);
    /** What {@code TestCatalog}'s fox image ({@code img/m9}, 1:1) costs: a job needs that much on the wallet. */
    private static final long PRICE = 297;
    private static final AccountId[] SYSTEM = {AccountId.REVENUE, AccountId.STARS_CLEARING,
        AccountId.STARS_REFUND_LOSS, AccountId.EXTERNAL_CLEARING, AccountId.MANUAL_CLEARING, AccountId.PROMO_EXPENSE};

    /**
     * Faults this fuzzer found, each {@code true} once fixed (both are, this stop). While one is off, the walks keep
     * out of its shape (each names how: a step of that shape does something else or nothing), so that the fuzzer
     * passes and finds the others; switch it on after its fix and the walks take that shape again.
     */
    enum KnownFault {
        /**
         * A user's second Stars payment: Telegram's refund of one whose credit a job spent took the other's Stars
         * from the front and relabelled nothing (before the fix); the job, still "paid by" the first, went back to the
         * wallet when refunded, and the second's refund booked its loss: {@code STARS, STARS, JOB} then every refund.
         * While off, a user's second Stars payment is a card payment of the same amount.
         */
        STARS_REFUND_TAKES_ANOTHER_STARS_PAYMENT(true),
        /**
         * A job refunded to the wallet by an admin: its refund is a new credit ({@code refund:<hold>}), which pays
         * the user's next job; after Telegram's refund of the Stars (all a loss), that job's refund goes to the
         * wallet: {@code STARS, JOB, DEBIT_ALL, SUCCEED, ADMIN_REFUND, JOB} then every refund (task M; its commit
         * "A job's refund to the wallet (refund:<hold>) gives back ... the credits that paid the job" passes 400 walks
         * with this on). While off, a user whose finished job an admin refunded starts no more jobs.
         */
        JOB_REFUND_AS_A_NEW_CREDIT(true);

        final boolean on;

        /**
         * @param fixed whether its fix is in: the walks take its shape again; {@code -DmoneyFuzz.known=ALL} (or its
         *              name, comma-separated) switches it on for one run, to see it found
         */
        KnownFault(boolean fixed) {
            String asked = System.getProperty("moneyFuzz.known", "");
            this.on = fixed || asked.equals("ALL") || java.util.Arrays.asList(asked.split(",")).contains(name());
        }
    }

    enum Op {
        STARS, CARD, ADMIN_TOP_UP, DEBIT_ALL, DEBIT_PART, JOB, SUCCEED, FAIL, LESSER, ADMIN_REFUND, STARS_REFUND,
        STARS_REFUND_BY_ADMIN, CARD_REFUND_PART, CARD_REFUND_WHOLE, SPEND, REPLAY
    }

    /**
     * One step: {@code pick} chooses among what it may act on when it runs (a job, a charge, a payment), so that a walk
     * with steps dropped still runs; a step that finds nothing to act on does nothing.
     */
    record Step(Op op, int user, int pick) {
        @Override
        public String toString() {
            return op + "(" + (user == 0 ? "inviter" : "friend") + ", " + pick + ")";
        }
    }

    /** What the oracle found wrong, and after which step. */
    record Violation(String rule, String detail, int step) {
    }

    /**
     * A new shop for a walk, its admin started: in memory here; {@code PgMoneyFuzzTest} runs fewer walks on
     * PostgreSQL's stores.
     */
    ShopHarness shop() {
        return new ShopHarness(TestCatalog.catalog(), SETTINGS);
    }

    /** How many walks {@link #noWalkMakesOrLosesMoneyAnAccountantWouldSee} runs. */
    int walks() {
        return WALKS;
    }

    @Test
    void noWalkMakesOrLosesMoneyAnAccountantWouldSee() {
        List<String> failures = new ArrayList<>();
        long began = System.nanoTime();
        Map<String, Integer> seen = new java.util.TreeMap<>();
        for (int i = 0; i < walks(); i++) {
            long seed = SEED0 + i;
            List<Step> walk = walk(seed);
            Run run = new Run(shop());
            Optional<Violation> v = run.play(walk);
            run.seen(seen);
            if (v.isPresent()) {
                List<Step> small = shrink(walk, v.get().rule());
                Violation again = new Run(shop()).play(small).orElse(v.get());
                failures.add("seed " + seed + ": " + again.rule() + " after step " + again.step() + " — "
                        + again.detail() + "\n  steps: " + small);
            }
        }
        System.out.printf("%s: %d walks, %d failed, %d ms; walks with %s; known faults off: %s%n",
                getClass().getSimpleName(), walks(),
                failures.size(), (System.nanoTime() - began) / 1_000_000, seen,
                java.util.Arrays.stream(KnownFault.values()).filter(f -> !f.on).toList());
        assertThat(failures).isEmpty();
    }

    /** A walk of 20-60 steps, by its seed. */
    static List<Step> walk(long seed) {
        Random r = new Random(seed);
        int n = 20 + r.nextInt(41);
        List<Step> steps = new ArrayList<>();
        // money first, most often, so that jobs have something to spend
        Op[] weighted = {Op.STARS, Op.STARS, Op.CARD, Op.CARD, Op.ADMIN_TOP_UP, Op.DEBIT_ALL, Op.DEBIT_PART,
            Op.JOB, Op.JOB, Op.JOB, Op.JOB, Op.SUCCEED, Op.SUCCEED, Op.SUCCEED, Op.FAIL, Op.LESSER, Op.ADMIN_REFUND,
            Op.ADMIN_REFUND, Op.ADMIN_REFUND, Op.STARS_REFUND, Op.STARS_REFUND_BY_ADMIN, Op.CARD_REFUND_PART,
            Op.CARD_REFUND_WHOLE, Op.SPEND, Op.SPEND, Op.REPLAY, Op.REPLAY};
        for (int i = 0; i < n; i++) {
            steps.add(new Step(weighted[r.nextInt(weighted.length)], r.nextInt(4) == 0 ? 1 : r.nextInt(2),
                    r.nextInt(1_000)));
        }
        return steps;
    }

    /**
     * The smallest walk found by dropping steps (chunks, then one at a time) that still breaks {@code rule}.
     */
    List<Step> shrink(List<Step> walk, String rule) {
        List<Step> best = new ArrayList<>(walk);
        for (int chunk = Math.max(1, best.size() / 2); chunk >= 1; chunk /= 2) {
            boolean dropped = true;
            while (dropped) {
                dropped = false;
                for (int at = 0; at + chunk <= best.size(); at++) {
                    List<Step> fewer = new ArrayList<>(best.subList(0, at));
                    fewer.addAll(best.subList(at + chunk, best.size()));
                    if (new Run(shop()).play(fewer).filter(v -> v.rule().equals(rule)).isPresent()) {
                        best = fewer;
                        dropped = true;
                        at--;
                    }
                }
            }
        }
        return best;
    }

    /** One walk on a new shop, with what it has made so far to pick from. */
    static final class Run {
        final ShopHarness h;
        final List<Job> jobs = new ArrayList<>();
        final Set<String> refundedJobs = new java.util.HashSet<>();
        /** Stars charges: id → [payload, user]. */
        final Map<String, Object[]> charges = new LinkedHashMap<>();
        final Set<String> starsRefunded = new java.util.HashSet<>();
        /** Card payments: id → [user, amount, refunded so far]. */
        final Map<String, long[]> cards = new LinkedHashMap<>();
        private final List<Runnable> replays = new ArrayList<>();
        private final List<String> replayNames = new ArrayList<>();
        /** What {@link Op#SPEND} took of each user's wallet: jobs nobody refunds. */
        private final Map<Long, Long> spentBy = new java.util.HashMap<>();
        /** The users a finished job of whom an admin refunded. */
        final Set<Long> refundedAfterCharge = new java.util.HashSet<>();
        /** What each finished job was charged, by its number. */
        final Map<String, Long> kept = new java.util.HashMap<>();
        private int serial;
        /** The test's own clock of the walk: one tick a step (and a closing act), to order credits and takings back. */
        private int tick;
        /** The finished jobs' refunds {@link #paidByMoneyNeverTakenBack} checked went to the wallet whole. */
        private int wholeChecked;
        /**
         * The credits a taking back may name, by origin ({@code stars:<charge>}, {@code card:<payment>},
         * {@code bonus:<transfer>}): the user and the tick they came.
         */
        private final Map<String, long[]> credited = new LinkedHashMap<>();
        /** Takings back: origin and tick, in order (a Stars refund, a provider's refund of a part, a bonus's reversal). */
        private final List<Object[]> takenBack = new ArrayList<>();
        /** The tick of each job's latest charge (its hold, a charge again {@code <hold>~2}), by its number. */
        private final Map<String, Integer> chargedAt = new java.util.HashMap<>();
        private final Set<String> chargesSeen = new java.util.HashSet<>();
        private final Set<String> bonusTransfersSeen = new java.util.HashSet<>();
        Run(ShopHarness shop) {
            h = shop;
            h.command(ShopHarness.ADMIN, "start");
            h.command(INVITER, "start");
            Matcher link = Pattern.compile("start=(r_[0-9a-z]{8})")
                    .matcher(ShopHarness.lastText(h.command(INVITER, "invite")));
            assertThat(link.find()).isTrue();
            h.send(FRIEND, new Event.Command("start", link.group(1)));
            h.messenger.drain();
        }

        /** Counts in {@code seen} the crossings this walk went through, by the transfers the ledger holds. */
        void seen(Map<String, Integer> seen) {
            Set<String> kinds = new java.util.TreeSet<>();
            for (Transfer t : h.stores.ledger().transfers(AccountId.STARS_REFUND_LOSS)) {
                kinds.add(AccountId.STARS_REFUND_LOSS.equals(t.credit()) ? "refund against a loss"
                        : t.id().chars().filter(c -> c == ':').count() > 1 ? "loss of a held refund" : "Stars loss");
            }
            for (long u : USERS) {
                for (Transfer t : h.stores.ledger().transfers(AccountId.wallet(u))) {
                    switch (t.kind()) {
                        case REFERRAL_BONUS -> kinds.add("bonus");
                        case REFERRAL_REVERSAL -> kinds.add("bonus reversed");
                        case EXTERNAL_REFUND -> kinds.add("provider refund");
                        case DEBIT_MANUAL -> kinds.add("debit");
                        case REFUND -> kinds.add("job refund to the wallet");
                        default -> {
                        }
                    }
                }
            }
            if (wholeChecked > 0) {
                kinds.add("refund checked whole to the wallet");
            }
            kinds.forEach(k -> seen.merge(k, 1, Integer::sum));
        }

        Optional<Violation> play(List<Step> walk) {
            for (int i = 0; i < walk.size(); i++) {
                Optional<Violation> v = step(walk.get(i), i);
                if (v.isPresent()) {
                    return v;
                }
            }
            return closing(walk.size());
        }

        Optional<Violation> step(Step s, int i) {
            tick++;
            h.clock.advance(Duration.ofSeconds(7));
            long u = USERS[s.user()];
            switch (s.op()) {
                case STARS -> {
                    if (!KnownFault.STARS_REFUND_TAKES_ANOTHER_STARS_PAYMENT.on
                            && charges.values().stream().anyMatch(c -> (Long) c[1] == u)) {
                        return step(new Step(Op.CARD, s.user(), 2), i);
                    }
                    String charge = "ch-" + ++serial;
                    String payload = h.paid50Stars(u, charge);
                    charges.put(charge, new Object[] {payload, u});
                    credited.put("stars:" + charge, new long[] {u, tick});
                    replay("stars payment " + charge, () -> h.send(u, new Event.SuccessfulPayment(charge, payload,
                            "XTR", 50)));
                }
                case CARD -> {
                    String payment = "p-" + ++serial;
                    long amount = 2_500L * (1 + s.pick() % 3);
                    h.shop.externalTopUps().credit(new ExternalPayment("yk", payment, u, amount));
                    cards.put(payment, new long[] {u, amount, 0});
                    credited.put("card:" + payment, new long[] {u, tick});
                    replay("card payment " + payment, () -> h.shop.externalTopUps().credit(new ExternalPayment("yk",
                            payment, u, amount)));
                }
                case ADMIN_TOP_UP -> h.adminConfirmed("topup_user", u + " " + (25 * (1 + s.pick() % 2)));
                case DEBIT_ALL, DEBIT_PART -> {
                    long all = h.balance(u);
                    long amount = s.op() == Op.DEBIT_ALL ? all : all * (1 + s.pick() % 9) / 10;
                    if (amount > 0) {
                        h.adminConfirmed("debit_user", u + " " + amount / 100 + "," + String.format("%02d",
                                amount % 100));
                    }
                }
                case SPEND -> {
                    // a job nobody will refund (as the ledger tests book one): all, all but a job's price, or half
                    long all = h.balance(u);
                    long amount = switch (s.pick() % 3) {
                        case 0 -> all;
                        case 1 -> all - PRICE;
                        default -> all / 2;
                    };
                    if (amount > 0) {
                        assertThat(h.stores.ledger().transfer("spent-" + ++serial, AccountId.wallet(u),
                                AccountId.REVENUE, amount, TransferKind.GENERATION).succeeded()).isTrue();
                        spentBy.merge(u, amount, Long::sum);
                    }
                }
                case JOB -> {
                    if (h.balance(u) >= PRICE && (KnownFault.JOB_REFUND_AS_A_NEW_CREDIT.on
                            || !refundedAfterCharge.contains(u))) {
                        Job job = h.runningFoxImage(u);
                        if (jobs.stream().noneMatch(j -> j.id().equals(job.id()))) {
                            jobs.add(job);
                        }
                    }
                }
                case SUCCEED, FAIL, LESSER -> pick(running(), s.pick()).ifPresent(job -> end(job, s.op()));
                case ADMIN_REFUND -> {
                    Optional<Job> job = pick(refundable(), s.pick());
                    if (job.isPresent()) {
                        Optional<Violation> v = adminRefund(job.get(), i);
                        if (v.isPresent()) {
                            return v;
                        }
                    }
                }
                case STARS_REFUND -> pick(charges.keySet().stream().filter(c -> !starsRefunded.contains(c)).toList(),
                        s.pick()).ifPresent(this::starsRefund);
                case STARS_REFUND_BY_ADMIN -> pick(charges.keySet().stream().filter(c -> !starsRefunded.contains(c))
                        .toList(), s.pick()).ifPresent(c -> {
                            // the admin's /refund_stars asks Telegram, which then reports the refund as any other
                            h.adminConfirmed("refund_stars", c);
                            replay("admin's Stars refund " + c, () -> h.adminConfirmed("refund_stars", c));
                            starsRefund(c);
                        });
                case CARD_REFUND_PART, CARD_REFUND_WHOLE -> pick(cards.entrySet().stream()
                        .filter(e -> e.getValue()[2] < e.getValue()[1]).map(Map.Entry::getKey).toList(), s.pick())
                        .ifPresent(p -> cardRefund(p, s.op() == Op.CARD_REFUND_WHOLE));
                case REPLAY -> {
                    if (!replays.isEmpty()) {
                        int k = s.pick() % replays.size();
                        Map<AccountId, Balance> before = balances();
                        replays.get(k).run();
                        Map<AccountId, Balance> after = balances();
                        if (!after.equals(before)) {
                            return Optional.of(new Violation("a replayed report moved money",
                                    replayNames.get(k) + ": " + before + " → " + after, i));
                        }
                    }
                }
            }
            observe();
            return invariants(i);
        }

        /**
         * Notes, by the ledger's transfers of kinds the shop books and not by which credit it says paid what, the
         * bonuses credited and reversed (the shop decides when) and each job's charges, at this tick.
         */
        private void observe() {
            for (long u : USERS) {
                AccountId w = AccountId.wallet(u);
                for (Transfer t : h.stores.ledger().transfers(w)) {
                    if (t.kind() == TransferKind.REFERRAL_BONUS && w.equals(t.credit())
                            && bonusTransfersSeen.add(t.id())) {
                        credited.put("bonus:" + t.id(), new long[] {u, tick});
                    } else if (t.kind() == TransferKind.REFERRAL_REVERSAL && w.equals(t.debit())
                            && bonusTransfersSeen.add(t.id())) {
                        // a reversal, whole or a part: every bonus of the user is taken back (the cautious reading)
                        credited.entrySet().stream().filter(e -> e.getKey().startsWith("bonus:")
                                && e.getValue()[0] == u).forEach(e -> takenBack.add(new Object[] {e.getKey(), tick}));
                    }
                }
            }
            for (Job job : jobs) {
                for (String charge : List.of(job.holdId(), dev.kiebot.core.ledger.Ledger.tryId(job.holdId(), 2))) {
                    if (!chargesSeen.contains(charge) && h.stores.ledger().find(charge).isPresent()) {
                        chargesSeen.add(charge);
                        chargedAt.put(job.id().display(), tick);
                    }
                }
            }
        }

        /**
         * Whether nothing the job's money may have come from was taken back yet: no credit of its user that came at
         * or before its latest charge has had a Stars refund, a provider's refund (of any part) or a bonus reversal.
         * Its refund then goes to the wallet whole: no loss can be the user's for money the shop still holds. (A
         * credit that came after the charge can pay it only when one that came before is taken back with its money,
         * which this excludes; an admin's top-up is never taken back, a debit names no credit.)
         */
        private boolean paidByMoneyNeverTakenBack(Job job) {
            Integer charged = chargedAt.get(job.id().display());
            if (charged == null) {
                return false;
            }
            return takenBack.stream().noneMatch(tb -> {
                long[] c = credited.get((String) tb[0]);
                return c != null && c[0] == job.userId() && c[1] <= charged;
            });
        }

        /**
         * A Stars refund made outside {@link #step} ({@code PgMoneyRacesTest}'s race), booked as {@link #starsRefund}
         * books one: the charge taken back.
         */
        void starsRefundedElsewhere(String charge) {
            starsRefunded.add(charge);
            takenBack.add(new Object[] {"stars:" + charge, tick});
        }

        /**
         * A provider's refund made outside {@link #step} ({@code PgMoneyRacesTest}'s race) and taken back, booked as
         * {@link #cardRefund} books one: without it, a job the payment paid counts as paid by money never taken back.
         */
        void cardRefundedElsewhere(String payment, long amount) {
            cards.get(payment)[2] += amount;
            takenBack.add(new Object[] {"card:" + payment, tick});
        }

        /** Ends every job, gives every payment back, refunds every job an admin may: then the final oracle. */
        Optional<Violation> closing(int i) {
            tick++;
            for (Job job : running()) {
                end(job, Op.SUCCEED);
            }
            observe();
            Optional<Violation> v = invariants(i);
            if (v.isPresent()) {
                return v;
            }
            for (String charge : List.copyOf(charges.keySet())) {
                if (!starsRefunded.contains(charge)) {
                    tick++;
                    starsRefund(charge);
                    observe();
                }
            }
            for (String payment : List.copyOf(cards.keySet())) {
                if (cards.get(payment)[2] < cards.get(payment)[1]) {
                    tick++;
                    cardRefund(payment, true);
                    observe();
                }
            }
            v = invariants(i + 1);
            if (v.isPresent()) {
                return v;
            }
            for (Job job : refundable()) {
                tick++;
                v = adminRefund(job, i + 2);
                if (v.isPresent()) {
                    return v;
                }
            }
            v = invariants(i + 2);
            if (v.isPresent()) {
                return v;
            }
            for (long u : USERS) {
                // every hold resolved: each Stars refund is what it took from the wallet and what it booked as loss,
                // the charge whole; booked beyond, the loss sends a job's refund away from the wallet
                long starsBack = 7_500L * charges.values().stream().filter(c -> (Long) c[1] == u).count();
                long took = takenOut(u, TransferKind.STARS_REFUND);
                long booked = lossBooked(u);
                if (took + booked != starsBack) {
                    return Optional.of(new Violation("a Stars refund took other than its charge", "user " + u
                            + ": " + starsBack + " refunded in Stars, " + took + " taken from the wallet, " + booked
                            + " booked as loss", i + 3));
                }
            }
            for (long u : USERS) {
                long lossLeft = lossLeftOf(u);
                long debited = outOf(u, TransferKind.DEBIT_MANUAL);
                long spent = spentBy.getOrDefault(u, 0L);
                if (lossLeft > debited + spent) {
                    long wallet = h.stores.ledger().balance(AccountId.wallet(u)).posted();
                    return Optional.of(new Violation("money made from nothing", "user " + u + " holds " + wallet
                            + " with every payment given back and every job refunded, while " + lossLeft
                            + " of his Stars refunds stays the shop's loss; admins debited only " + debited + " and jobs kept "
                            + spent, i + 3));
                }
            }
            return Optional.empty();
        }

        /** What Stars refunds of the user's charges left as the shop's loss: booked less sent back against it. */
        private long lossLeftOf(long u) {
            return lossByCharge().entrySet().stream().filter(e -> charges.containsKey(e.getKey())
                    && (Long) charges.get(e.getKey())[1] == u).mapToLong(Map.Entry::getValue).sum();
        }

        /** The loss account's balance by the charge each transfer names (a loss, or a refund sent back against one). */
        private Map<String, Long> lossByCharge() {
            Map<String, Long> by = new LinkedHashMap<>();
            for (Transfer t : h.stores.ledger().transfers(AccountId.STARS_REFUND_LOSS)) {
                boolean booked = AccountId.STARS_REFUND_LOSS.equals(t.debit());
                String lossId = booked ? t.id() : t.id().substring(t.id().indexOf(":" + StarsRefundAttempts.lossId(""))
                        + 1);
                String charge = StarsRefundAttempts.chargeOfLoss(lossId).orElse("?" + t.id());
                by.merge(charge, booked ? t.amount() : -t.amount(), Long::sum);
            }
            return by;
        }

        /** What left the user's wallet by single-phase transfers of {@code kind}. */
        private long outOf(long u, TransferKind kind) {
            AccountId w = AccountId.wallet(u);
            return h.stores.ledger().transfers(w).stream().filter(t -> t.kind() == kind && w.equals(t.debit()))
                    .mapToLong(Transfer::amount).sum();
        }

        Optional<Violation> invariants(int i) {
            List<String> problems = Reconciliation.check(h.stores.ledger());
            if (!problems.isEmpty()) {
                return Optional.of(new Violation("the ledger does not balance", problems.toString(), i));
            }
            for (long u : USERS) {
                Balance b = h.stores.ledger().balance(AccountId.wallet(u));
                if (b.available() < 0 || b.posted() < 0) {
                    return Optional.of(new Violation("a wallet below zero", u + ": " + b, i));
                }
            }
            for (long u : USERS) {
                // nothing taken from the wallet beyond what was given back: a Stars refund takes no more than its
                // charge, a provider's refund no more than it gave back, a bonus's reversal no more than the bonus
                long starsBack = 7_500L * charges.entrySet().stream().filter(e -> (Long) e.getValue()[1] == u
                        && starsRefunded.contains(e.getKey())).count();
                long cardsBack = cards.values().stream().filter(c -> c[0] == u).mapToLong(c -> c[2]).sum();
                long bonus = into(u, TransferKind.REFERRAL_BONUS);
                long[] taken = {takenOut(u, TransferKind.STARS_REFUND), takenOut(u, TransferKind.EXTERNAL_REFUND),
                    takenOut(u, TransferKind.REFERRAL_REVERSAL)};
                if (taken[0] > starsBack || taken[1] > cardsBack || taken[2] > bonus) {
                    return Optional.of(new Violation("money lost: taken from the wallet beyond what was given back",
                            "user " + u + ": Stars refunds took " + taken[0] + " of " + starsBack + " refunded, "
                            + "providers' refunds " + taken[1] + " of " + cardsBack + ", reversals " + taken[2]
                            + " of a bonus of " + bonus, i));
                }
            }
            for (Map.Entry<String, Long> e : lossByCharge().entrySet()) {
                long refunded = starsRefunded.contains(e.getKey()) ? 7_500 : 0;
                if (e.getValue() < 0 || e.getValue() > refunded) {
                    return Optional.of(new Violation("a Stars loss out of bounds", "charge " + e.getKey() + ": loss "
                            + e.getValue() + ", refunded " + refunded, i));
                }
            }
            return Optional.empty();
        }

        /** What left the user's wallet for good by transfers of {@code kind}: single-phase, or a hold's post. */
        private long takenOut(long u, TransferKind kind) {
            AccountId w = AccountId.wallet(u);
            return h.stores.ledger().transfers(w).stream().filter(t -> t.kind() == kind && w.equals(t.debit())
                    && (t.phase() == dev.kiebot.core.ledger.Phase.POSTED
                    || t.phase() == dev.kiebot.core.ledger.Phase.POST_PENDING)).mapToLong(Transfer::amount).sum();
        }

        /** What came to the user's wallet by single-phase transfers of {@code kind}. */
        private long into(long u, TransferKind kind) {
            AccountId w = AccountId.wallet(u);
            return h.stores.ledger().transfers(w).stream().filter(t -> t.kind() == kind && w.equals(t.credit())
                    && t.phase() == dev.kiebot.core.ledger.Phase.POSTED).mapToLong(Transfer::amount).sum();
        }

        /** What Stars refunds of the user's charges booked as the shop's loss, before anything was sent back. */
        private long lossBooked(long u) {
            return h.stores.ledger().transfers(AccountId.STARS_REFUND_LOSS).stream()
                    .filter(t -> AccountId.STARS_REFUND_LOSS.equals(t.debit()))
                    .filter(t -> StarsRefundAttempts.chargeOfLoss(t.id()).map(charges::get)
                            .filter(c -> (Long) c[1] == u).isPresent()).mapToLong(Transfer::amount).sum();
        }

        private Map<AccountId, Balance> balances() {
            Map<AccountId, Balance> all = new LinkedHashMap<>();
            for (long u : USERS) {
                all.put(AccountId.wallet(u), h.stores.ledger().balance(AccountId.wallet(u)));
            }
            for (AccountId a : SYSTEM) {
                all.put(a, h.stores.ledger().balance(a));
            }
            return all;
        }

        private void replay(String name, Runnable r) {
            replayNames.add(name);
            replays.add(() -> {
                r.run();
                h.deliver();
            });
        }

        List<Job> running() {
            return jobs.stream().map(h::stored).filter(j -> !j.state().isTerminal()).toList();
        }

        List<Job> refundable() {
            return jobs.stream().map(h::stored).filter(j -> !refundedJobs.contains(j.id().display()))
                    .filter(j -> j.state() == JobState.SUCCEEDED || j.state() == JobState.DELIVERED
                            || !j.state().isTerminal()).toList();
        }

        private void end(Job job, Op how) {
            switch (how) {
                case SUCCEED -> h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                        List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
                case FAIL -> h.provider.set(job.taskId().orElseThrow(),
                        new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
                default -> h.shop.generations().complete(job.id(), new JobResult(List.of("https://files/out.png"),
                        MediaKind.PHOTO), Optional.empty(), Math.max(1, job.price() / 3));
            }
            h.clock.advance(Duration.ofSeconds(5));
            h.work(10);
            h.deliver();
            kept.put(job.id().display(), switch (how) {
                case SUCCEED -> job.price();
                case FAIL -> 0L;
                default -> Math.max(1, job.price() / 3);
            });
        }

        /**
         * An admin's {@code /refund} of the job, confirmed: a finished job's charge leaves the revenue whole, once (to
         * the wallet, or back against a Stars loss); one under way is stopped.
         */
        private Optional<Violation> adminRefund(Job job, int i) {
            String display = job.id().display();
            boolean charged = h.stored(job).state() == JobState.SUCCEEDED
                    || h.stored(job).state() == JobState.DELIVERED;
            if (charged) {
                refundedAfterCharge.add(job.userId());
            }
            long revenue = h.stores.ledger().balance(AccountId.REVENUE).posted();
            boolean whole = paidByMoneyNeverTakenBack(job);
            if (whole && charged) {
                wholeChecked++;
            }
            long loss = h.stores.ledger().balance(AccountId.STARS_REFUND_LOSS).posted();
            long wallet = h.stores.ledger().balance(AccountId.wallet(job.userId())).posted();
            h.adminConfirmed("refund", display);
            refundedJobs.add(display);
            replay("admin refund " + display, () -> h.adminConfirmed("refund", display));
            long back = revenue - h.stores.ledger().balance(AccountId.REVENUE).posted();
            long expected = charged ? kept.getOrDefault(display, 0L) : 0;
            if (Math.abs(back) != expected) {
                return Optional.of(new Violation("a job's refund gave back other than its charge", display
                        + " kept " + expected + ", the revenue moved " + back, i));
            }
            long lossMoved = h.stores.ledger().balance(AccountId.STARS_REFUND_LOSS).posted() - loss;
            long walletGot = h.stores.ledger().balance(AccountId.wallet(job.userId())).posted() - wallet;
            if (whole && (lossMoved != 0 || walletGot != expected)) {
                return Optional.of(new Violation("money lost: a refund of a job paid by money never taken back went "
                        + "elsewhere than the wallet", display + " kept " + expected + ", the wallet got " + walletGot
                        + ", the Stars loss moved " + lossMoved, i));
            }
            return Optional.empty();
        }

        private void starsRefund(String charge) {
            Object[] c = charges.get(charge);
            long u = (Long) c[1];
            h.clock.advance(Duration.ofMinutes(1));
            h.send(u, new Event.RefundedPayment(charge, (String) c[0], "XTR", 50));
            starsRefunded.add(charge);
            takenBack.add(new Object[] {"stars:" + charge, tick});
            replay("stars refund " + charge, () -> h.send(u, new Event.RefundedPayment(charge, (String) c[0], "XTR",
                    50)));
        }

        private void cardRefund(String payment, boolean whole) {
            long[] c = cards.get(payment);
            long left = c[1] - c[2];
            long amount = whole ? left : Math.max(1, left / 2);
            ExternalRefund r = new ExternalRefund("yk", payment, "r-" + ++serial, c[0], amount);
            h.shop.externalTopUps().refunded(r);
            h.deliver();
            c[2] += amount;
            takenBack.add(new Object[] {"card:" + payment, tick});
            replay("card refund " + r.providerRefundId().orElseThrow(), () -> h.shop.externalTopUps().refunded(r));
        }

        private static <T> Optional<T> pick(List<T> from, int pick) {
            return from.isEmpty() ? Optional.empty() : Optional.of(from.get(pick % from.size()));
        }
    }
}
