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

        h.adminConfirmed("topup_user", U + " 1500");
        h.adminConfirmed("debit_user", U + " 20,50");
        h.adminConfirmed("debit_user", U + " 999999"); // refused: more than the balance, nothing moved

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

        h.adminConfirmed("refund", job.id().display());
        assertThat(lines).as("the refund that moved the money").hasSize(1);
        h.adminConfirmed("refund", job.id().display()); // refunded already: nothing moves

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("INFO money: admin " + Actor.mask(ShopHarness.ADMIN)
                        + " refunded a finished generation +")
                .endsWith(" for user ***0123 (" + job.id().display() + ")")
                .doesNotContain(String.valueOf(U));
    }

    /**
     * An invitation bonus paid to the inviter is money into his wallet, and taking it back money out of it: each is a
     * line, with its sign, for the inviter, the friend masked in the reference; taken back by an admin's debit of the
     * friend, the line says so (it said the friend was refunded).
     */
    @Test
    void anInvitationBonusGivenAndTakenBackIsLoggedWithItsSign() {
        long inviter = 5_550_042;
        ShopHarness h = new ShopHarness(dev.kiebot.core.testing.TestCatalog.catalog(), dev.kiebot.core.conversation
                .ShopSettings.defaults().withAdmins(java.util.Set.of(ShopHarness.ADMIN))
                .withAdmission(dev.kiebot.core.intake.AdmissionPolicy.off()).withReferralBonus(10, 500));
        h.command(ShopHarness.ADMIN, "start");
        h.command(inviter, "start");
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("start=(r_[0-9a-z]{8})")
                .matcher(ShopHarness.lastText(h.command(inviter, "invite")));
        assertThat(link.find()).isTrue();
        h.send(U, new dev.kiebot.core.conversation.Event.Command("start", link.group(1)));
        lines.clear();

        h.adminConfirmed("topup_user", U + " 20");
        long all = h.balance(U); // all he holds: the whole bonus goes back (a debit of part, the part it made)
        h.adminConfirmed("debit_user", U + " " + all / 100 + "," + String.format("%02d", all % 100));
        h.adminConfirmed("topup_user", U + " 20"); // a later top-up earns nothing: no line of a bonus

        assertThat(lines).filteredOn(l -> l.contains("invitation")).containsExactly(
                "INFO money: invitation bonus for friend ***0123 +2.00\u00A0₽ for user ***0042 (referral:***0123)",
                "INFO money: invitation bonus taken back (friend ***0123 debited by an admin) -2.00\u00A0₽ for user "
                        + "***0042 (referral-back:***0123)");
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

    /**
     * A payment credited and a payment given back leave a line each, whichever desk moved the money, with the sign of
     * the move: Stars (credited, refunded by an admin, refunded by Telegram's report), a card top-up an admin
     * approved, a payment of the shop's own provider and its refund.
     */
    @Test
    void everyPaymentCreditedOrGivenBackIsLoggedOnceWithItsSign() {
        ShopHarness h = new ShopHarness().startedByAdminAnd(U);
        String admin = Actor.mask(ShopHarness.ADMIN);
        lines.clear();

        h.paid50Stars(U, "ch-a");
        h.adminConfirmed("refund_stars", "ch-a");
        String payload = h.paid50Stars(U, "ch-b");
        h.send(U, new dev.kiebot.core.conversation.Event.RefundedPayment("ch-b", payload, "XTR", 50));
        h.command(U, "topup");
        h.press(U, "*|y");
        List<dev.kiebot.core.reply.Reply> instructions = h.press(U, ShopHarness.button(h.press(U, "*|$"),
                "500\u00A0₽"));
        List<dev.kiebot.core.reply.Reply> claimed = h.press(U, ShopHarness.button(instructions, "I paid"));
        h.press(ShopHarness.ADMIN, ShopHarness.button(claimed, "Approve"));
        String card = h.stores.manualTopUps().recent(U, 1).get(0).creditId();
        h.shop.externalTopUps().credit(new dev.kiebot.core.payments.ExternalPayment("stripe", "pi_1", U, 10_000));
        h.shop.externalTopUps().refunded(new dev.kiebot.core.payments.ExternalRefund("stripe", "pi_1", U));

        assertThat(lines).containsExactly(
                "INFO money: Stars payment of 50 XTR credited +75.00\u00A0₽ for user ***0123 (ch-a)",
                "INFO money: admin " + admin + " refunded 50 XTR -75.00\u00A0₽ for user ***0123 (ch-a)",
                "INFO money: Stars payment of 50 XTR credited +75.00\u00A0₽ for user ***0123 (ch-b)",
                "INFO money: Stars payment refunded by Telegram, taken back -75.00\u00A0₽ for user ***0123 (ch-b)",
                "INFO money: admin " + admin + " approved a transfer +500.00\u00A0₽ for user ***0123 (" + card + ")",
                "INFO money: stripe payment credited +100.00\u00A0₽ for user ***0123 (external:stripe:pi_1)",
                "INFO money: stripe payment refunded, taken back -100.00\u00A0₽ for user ***0123 "
                        + "(external:stripe:pi_1)");
    }

    /**
     * Telegram's report of a refund came while the admin's {@code /refund_stars} was waiting on Telegram: the report
     * took the money and logged it, and the admin's answer, finding the hold posted, moves nothing and logs nothing
     * (it logged the refund a second time, and audited it twice).
     */
    @Test
    void aStarsRefundReportedWhileTheAdminsRequestWaitsIsLoggedOnce() {
        ShopHarness h = new ShopHarness().startedByAdminAnd(U);
        String payload = h.paid50Stars(U, "ch-r");
        lines.clear();

        h.starsRefunds.whileAsked(() -> h.handle(U,
                new dev.kiebot.core.conversation.Event.RefundedPayment("ch-r", payload, "XTR", 50)));
        h.adminConfirmed("refund_stars", "ch-r");

        assertThat(lines).containsExactly("INFO money: Stars payment refunded by Telegram, taken back -75.00\u00A0₽ "
                + "for user ***0123 (ch-r)");
        assertThat(h.stores.audit().byCorrelation("ch-r")).filteredOn(e -> e.action().equals("refund.stars"))
                .hasSize(1);
        assertThat(h.balance(U)).isZero();
    }

    /** A Stars payment that credited nothing is a warning in the log, under the reference /paysupport is given. */
    @Test
    void aStarsPaymentNotCreditedIsAWarning() {
        ShopHarness h = new ShopHarness().startedByAdminAnd(U);
        lines.clear();

        h.send(U, new dev.kiebot.core.conversation.Event.SuccessfulPayment("ch-x", "topup:never-issued", "XTR", 50));

        assertThat(lines).containsExactly("WARNING money: a Stars payment was not credited (no invoice with this payload) for user "
                + "***0123 (pay:ch-x)");
    }

    /**
     * Telegram refunded a payment whose credit was spent: nothing was taken back, and the log said «taken back
     * +0.00 ₽», a movement into the wallet. Now it logs no movement of the wallet, and warns of the shop's loss.
     */
    @Test
    void aStarsRefundOfASpentCreditLogsTheLossNotATakingOfNothing() {
        ShopHarness h = new ShopHarness().startedByAdminAnd(U);
        String payload = h.paid50Stars(U, "ch-s");
        h.stores.ledger().transfer("spent", dev.kiebot.core.ledger.AccountId.wallet(U),
                dev.kiebot.core.ledger.AccountId.REVENUE, 7_500, dev.kiebot.core.ledger.TransferKind.GENERATION);
        lines.clear();

        h.send(U, new dev.kiebot.core.conversation.Event.RefundedPayment("ch-s", payload, "XTR", 50));

        assertThat(lines).containsExactly("WARNING money: Stars payment refunded by Telegram, spent before: the shop's "
                + "loss 75.00\u00A0₽ for user ***0123 (ch-s)");
    }

    /**
     * Telegram reports the same refund again (its update delivered twice, or a replay): the loss was booked by the
     * first report, and the second, finding it booked, logged the shop's loss again, counted twice by whoever adds the
     * log's warnings up.
     */
    @Test
    void aSecondReportOfTheSameStarsRefundLogsNoLossAgain() {
        ShopHarness h = new ShopHarness().startedByAdminAnd(U);
        String payload = h.paid50Stars(U, "ch-s");
        h.stores.ledger().transfer("spent", dev.kiebot.core.ledger.AccountId.wallet(U),
                dev.kiebot.core.ledger.AccountId.REVENUE, 7_500, dev.kiebot.core.ledger.TransferKind.GENERATION);
        lines.clear();
        h.send(U, new dev.kiebot.core.conversation.Event.RefundedPayment("ch-s", payload, "XTR", 50));
        assertThat(lines).singleElement().satisfies(l -> assertThat(l).contains("the shop's loss 75.00"));
        lines.clear();

        h.send(U, new dev.kiebot.core.conversation.Event.RefundedPayment("ch-s", payload, "XTR", 50));

        assertThat(lines).as("the second report moved nothing and booked nothing").isEmpty();
    }

    /** The same for a charge partly spent: the second report took nothing, and the log said it took 25 ₽ again. */
    @Test
    void aSecondReportOfAPartlySpentStarsRefundLogsNothingAgain() {
        ShopHarness h = new ShopHarness().startedByAdminAnd(U);
        String payload = h.paid50Stars(U, "ch-s");
        h.stores.ledger().transfer("spent", dev.kiebot.core.ledger.AccountId.wallet(U),
                dev.kiebot.core.ledger.AccountId.REVENUE, 5_000, dev.kiebot.core.ledger.TransferKind.GENERATION);
        lines.clear();
        h.send(U, new dev.kiebot.core.conversation.Event.RefundedPayment("ch-s", payload, "XTR", 50));
        assertThat(lines).hasSize(2).anySatisfy(l -> assertThat(l).contains("taken back -25.00"))
                .anySatisfy(l -> assertThat(l).contains("the shop's loss 50.00"));
        lines.clear();

        h.send(U, new dev.kiebot.core.conversation.Event.RefundedPayment("ch-s", payload, "XTR", 50));

        assertThat(lines).isEmpty();
        assertThat(h.balance(U)).isZero();
    }
}
