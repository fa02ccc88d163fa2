package dev.kiebot.postgres.differential;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.memory.InMemoryLedger;
import dev.kiebot.postgres.PgLedger;
import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The same random sequences of ledger requests (transfers, holds, full and partial posts, voids, expiry sweeps with
 * small limits, replays and clashes of ids, insufficient funds, amounts out of range) on core-testing's
 * {@code InMemoryLedger} and on {@code PgLedger}, every answer and the state after each step compared (balances,
 * transfers, holds' states, the posted sums). Seeds and counts: {@link Sequences}.
 */
class LedgerDifferentialTest {
    /** Sequences by default (the cost: {@link Sequences}). */
    static final int LEDGER_SEQUENCES = 6;

    static final String[] IDS = {"t1", "t2", "h1", "h2", "h3", "post:h1", "void:h1", "expire:h1", "p"};
    static final AccountId[] ACCOUNTS = {AccountId.wallet(1), AccountId.wallet(2), AccountId.MANUAL_CLEARING,
            AccountId.REVENUE};
    static final long[] AMOUNTS = {-1, 0, 1, 50, 100, 150, 500, Ledger.MAX_AMOUNT, Ledger.MAX_AMOUNT + 1};
    static final TransferKind[] KINDS = {TransferKind.GENERATION, TransferKind.TOP_UP_MANUAL, TransferKind.REFUND};
    static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");

    static MutableClock CLOCK;

    record Step(String what, Function<Ledger, Object> run) {
    }

    static List<Step> sequence(long seed, int length) {
        Random r = new Random(seed);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            String id = IDS[r.nextInt(IDS.length)];
            String hold = IDS[2 + r.nextInt(3)];
            AccountId d = ACCOUNTS[r.nextInt(ACCOUNTS.length)];
            AccountId c = r.nextInt(8) == 0 ? d : ACCOUNTS[r.nextInt(ACCOUNTS.length)];
            long amount = AMOUNTS[r.nextInt(AMOUNTS.length)];
            TransferKind kind = KINDS[r.nextInt(KINDS.length)];
            long minutes = r.nextInt(7) - 2;
            int limit = r.nextInt(4);
            long back = r.nextInt(3);
            switch (r.nextInt(7)) {
                case 0 -> steps.add(new Step("transfer(" + id + "," + d + "," + c + "," + amount + "," + kind + ")",
                        l -> norm(l.transfer(id, d, c, amount, kind))));
                case 1, 2 -> steps.add(new Step("hold(" + id + "," + d + "," + c + "," + amount + "," + kind + ",T0+"
                        + minutes + "m)",
                        l -> norm(l.hold(id, d, c, amount, kind, T0.plus(Duration.ofMinutes(minutes))))));
                case 3 -> steps.add(new Step("post(" + id + "," + hold + "," + amount + ")",
                        l -> norm(l.post(id, hold, amount))));
                case 4 -> steps.add(new Step("void(" + id + "," + hold + ")", l -> norm(l.voidHold(id, hold))));
                case 5 -> steps.add(new Step("expire(clock-" + back + "m," + limit + ")",
                        l -> new TreeSet<>(l.expire(CLOCK.instant().minus(Duration.ofMinutes(back)), limit))
                                .toString()));
                default -> steps.add(new Step("advance 1m", l -> "clock"));
            }
        }
        return steps;
    }

    static Object norm(LedgerResult r) {
        if (r instanceof LedgerResult.Created c) {
            return "Created " + c.transfer();
        }
        if (r instanceof LedgerResult.Exists e) {
            return "Exists " + e.transfer();
        }
        return "Rejected " + ((LedgerResult.Rejected) r).reason() + " " + ((LedgerResult.Rejected) r).detail();
    }

    static String state(Ledger l) {
        StringBuilder s = new StringBuilder();
        for (AccountId a : ACCOUNTS) {
            s.append(l.balance(a)).append('\n').append(l.transfers(a)).append('\n').append(l.recent(a, 2)).append('\n')
                    .append(l.postedNet(a, EnumSet.allOf(TransferKind.class))).append('\n');
        }
        for (String id : IDS) {
            s.append(id).append(' ').append(l.find(id)).append(' ').append(l.holdState(id)).append('\n');
        }
        s.append(new TreeSet<>(l.accounts().stream().map(AccountId::value).toList())).append('\n');
        s.append(l.posted(EnumSet.allOf(TransferKind.class), T0.minusSeconds(3600), T0.plusSeconds(36000)))
                .append('\n');
        s.append(l.postedTotal(EnumSet.allOf(TransferKind.class), T0.minusSeconds(3600), T0.plusSeconds(36000)));
        return s.toString();
    }

    /** The first step where the two disagree (answer or state), or -1. */
    static int firstDisagreement(List<Step> steps, StringBuilder why) {
        MutableClock clock = new MutableClock(T0);
        CLOCK = clock;
        TestDatabase.truncateAll();
        Ledger pg = new PgLedger(TestDatabase.get(), clock);
        Ledger mem = new InMemoryLedger(clock);
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.what().startsWith("advance")) {
                clock.advance(Duration.ofMinutes(1));
            }
            Object a = step.run().apply(mem);
            Object b = step.run().apply(pg);
            if (!a.equals(b)) {
                why.append("answer: mem=").append(a).append("\n         pg =").append(b);
                return i;
            }
            String sa = state(mem);
            String sb = state(pg);
            if (!sa.equals(sb)) {
                why.append(Sequences.firstDifference(sa, sb));
                return i;
            }
        }
        return -1;
    }

    @Test
    void bothStoresAgree() {
        long base = Sequences.baseSeed();
        int n = Sequences.count(LEDGER_SEQUENCES);
        for (int k = 0; k < n; k++) {
            long seed = base + k;
            List<Step> steps = sequence(seed, 25);
            int at = firstDisagreement(steps, new StringBuilder());
            if (at >= 0) {
                List<Step> min = minimise(new ArrayList<>(steps.subList(0, at + 1)));
                StringBuilder why = new StringBuilder();
                firstDisagreement(min, why);
                throw new AssertionError(Sequences.report("LEDGER", seed, min.stream().map(Step::what).toList(), why));
            }
        }
    }

    /** Drops steps one at a time while the disagreement stays. */
    static List<Step> minimise(List<Step> steps) {
        boolean shrunk = true;
        while (shrunk) {
            shrunk = false;
            for (int i = 0; i < steps.size(); i++) {
                List<Step> fewer = new ArrayList<>(steps);
                fewer.remove(i);
                int at = firstDisagreement(fewer, new StringBuilder());
                if (at >= 0) {
                    steps = new ArrayList<>(fewer.subList(0, at + 1));
                    shrunk = true;
                    break;
                }
            }
        }
        return steps;
    }
}
