package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Money that moves from outside a generation leaves a line in the bot's log, masked: an operator reading the log (or
 * shipping it elsewhere) sees an admin's credit and debit, which before left no trace there at all.
 */
class MoneyLogTest {
    private static final long U = 5_550_123;

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger money = Logger.getLogger("dev.kiebot.money");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        money.addHandler(handler);
        money.setLevel(Level.ALL);
    }

    @AfterEach
    void stopListening() {
        money.removeHandler(handler);
    }

    @Test
    void anAdminsCreditAndDebitAreLoggedWithTheUserMaskedOnceEach() {
        ShopHarness h = new ShopHarness().startedByAdminAnd(U);
        lines.clear();

        h.admin("topup_user", U + " 1500");
        h.admin("debit_user", U + " 20,50");
        h.admin("debit_user", U + " 999999"); // refused: more than the balance, nothing moved

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("INFO money: admin " + Actor.mask(ShopHarness.ADMIN)
                        + " credited +1,500.00\u00A0₽ for user ***0123 (manual:")
                .doesNotContain(String.valueOf(U));
        assertThat(lines.get(1)).contains("debited -20.50\u00A0₽ for user ***0123 (debit:");
    }

    /**
     * An admin's {@code /refund} of a finished generation moves its price from the shop's revenue into the wallet,
     * as a gone result's refund does, which was logged; the admin's left no line, and a second {@code /refund}, which
     * moves nothing, must not leave one either.
     */
    @Test
    void anAdminsRefundOfAFinishedGenerationIsLoggedOnceWithTheUserMasked() {
        ShopHarness h = new ShopHarness().startedByAdminAnd(U);
        h.topUp(U, 100_000);
        Job job = h.finishedFoxImage(U, new TaskStatus.Succeeded(
                new JobResult(List.of("https://files/out.png"), MediaKind.PHOTO)));
        lines.clear();

        h.admin("refund", job.id().display());
        h.admin("refund", job.id().display()); // refunded already: nothing moves

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("INFO money: admin " + Actor.mask(ShopHarness.ADMIN)
                        + " refunded a finished generation +")
                .endsWith(" for user ***0123 (" + job.id().display() + ")")
                .doesNotContain(String.valueOf(U));
    }

    @Test
    void aUserIdThatEndsTheReferenceIsMaskedToo() {
        // an invitation bonus is keyed by the friend and an admin's credit by the admin: neither is named in full
        assertThat(MoneyLog.masked("referral:5550002", 5_550_002)).isEqualTo("referral:***0002");
        assertThat(MoneyLog.masked("referral-back:5550002", 5_550_002)).isEqualTo("referral-back:***0002");
        assertThat(MoneyLog.masked("manual:upd:17:5550001", 5_550_001)).isEqualTo("manual:upd:17:***0001");
        assertThat(MoneyLog.masked("referral:15550002", 5_550_002)).isEqualTo("referral:15550002");
        assertThat(MoneyLog.masked("stars:ch_5550002x", 5_550_002)).isEqualTo("stars:ch_5550002x");
    }
}
