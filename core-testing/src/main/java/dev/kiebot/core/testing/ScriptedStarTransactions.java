package dev.kiebot.core.testing;

import dev.kiebot.core.payments.StarTransaction;
import dev.kiebot.core.payments.StarTransactions;
import dev.kiebot.core.payments.StarTransactionsRead;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Telegram's getStarTransactions for tests: the transactions {@link #add}ed, in that order, a page at a time as
 * Telegram gives them (offset and limit), unless answers are scripted with {@link #thenAnswer}. Every call is kept.
 */
public final class ScriptedStarTransactions implements StarTransactions {
    /** No transaction, nothing scripted. */
    public ScriptedStarTransactions() {
    }

    /**
     * One page asked of Telegram.
     *
     * @param offset transactions skipped
     * @param limit  the most asked for
     */
    public record Call(int offset, int limit) {
    }

    private final List<StarTransaction> listed = new ArrayList<>();
    private final List<Call> calls = new ArrayList<>();
    private final Deque<StarTransactionsRead> scripted = new ArrayDeque<>();

    /**
     * Adds transactions at the end of the list.
     *
     * @param transactions in the order Telegram lists them
     * @return these transactions
     */
    public synchronized ScriptedStarTransactions add(StarTransaction... transactions) {
        listed.addAll(List.of(transactions));
        return this;
    }

    /**
     * The next calls get these answers, in order, whatever the list holds.
     *
     * @param answers one per call (a {@link StarTransactionsRead.Failed} for Telegram failing)
     * @return these transactions
     */
    public synchronized ScriptedStarTransactions thenAnswer(StarTransactionsRead... answers) {
        scripted.addAll(List.of(answers));
        return this;
    }

    @Override
    public synchronized StarTransactionsRead page(int offset, int limit) {
        if (offset < 0 || limit < 1 || limit > PAGE_MAX) {
            throw new IllegalArgumentException("Telegram takes an offset from 0 and a limit of 1-100: " + offset + ", "
                    + limit);
        }
        calls.add(new Call(offset, limit));
        if (!scripted.isEmpty()) {
            return scripted.removeFirst();
        }
        int from = Math.min(offset, listed.size());
        return new StarTransactionsRead.Page(listed.subList(from, Math.min(listed.size(), from + limit)));
    }

    /**
     * Every page asked for so far, in order.
     *
     * @return the calls
     */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }
}
