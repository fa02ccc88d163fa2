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
    public record Call(long userId, String chargeId) {
    }

    private final List<Call> calls = new ArrayList<>();
    private final Set<String> refunded = new HashSet<>();
    private final Deque<StarsRefundResult> scripted = new ArrayDeque<>();
    private Runnable during = () -> { };

    /** The next calls get these answers, in order. */
    public synchronized ScriptedStarsRefunds thenAnswer(StarsRefundResult... answers) {
        scripted.addAll(List.of(answers));
        return this;
    }

    /** Runs while Telegram is being asked (e.g. a RefundedPayment update arriving meanwhile). */
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

    /** Every refund asked for so far, in order. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }
}
