package dev.kiebot.core.testing;

import dev.kiebot.core.payments.StarsRefundResult;
import dev.kiebot.core.payments.StarsRefunds;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Telegram's refundStarPayment for tests: refunds a charge once and answers CHARGE_ALREADY_REFUNDED after that,
 * unless answers are scripted with {@link #thenAnswer}. Every call is kept.
 */
public final class ScriptedStarsRefunds implements StarsRefunds {
    /** Nothing scripted: every charge is refunded once, and no call made yet. */
    public ScriptedStarsRefunds() {
    }

    /**
     * One refund asked of Telegram.
     *
     * @param userId the user who paid
     * @param chargeId Telegram's id of the charge to refund
     */
    public record Call(long userId, String chargeId) {
    }

    private final List<Call> calls = new ArrayList<>();
    private final Set<String> refunded = new HashSet<>();
    private final Deque<StarsRefundResult> scripted = new ArrayDeque<>();
    private Runnable during = () -> { };

    /**
     * The next calls get these answers, in order.
     *
     * @param answers one per call, for the next calls in order; a charge answered so is not counted as refunded
     * @return these refunds
     */
    public synchronized ScriptedStarsRefunds thenAnswer(StarsRefundResult... answers) {
        scripted.addAll(List.of(answers));
        return this;
    }

    /**
     * Runs while Telegram is being asked (e.g. a RefundedPayment update arriving meanwhile).
     *
     * @param action run once, during the next call, after its answer is chosen and before it is returned
     * @return these refunds
     */
    public synchronized ScriptedStarsRefunds whileAsked(Runnable action) {
        this.during = action;
        return this;
    }

    @Override
    public StarsRefundResult refund(long userId, String chargeId) {
        Runnable action;
        StarsRefundResult answer;
        synchronized (this) {
            calls.add(new Call(userId, chargeId));
            action = during;
            during = () -> { };
            if (!scripted.isEmpty()) {
                answer = scripted.removeFirst();
            } else {
                answer = refunded.add(chargeId) ? new StarsRefundResult.Refunded()
                        : new StarsRefundResult.AlreadyRefunded();
            }
        }
        action.run();
        return answer;
    }

    /**
     * Every refund asked for so far, in order.
     *
     * @return the calls, scripted answers' too
     */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }
}
