package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A charged job's refund that went against a Stars refund's loss, in part or whole (the user has that money back in
 * Stars), as each reader sees it (review V): the admin's /refund reply, /find of the job and of the payment, the
 * user's notices and /history, the admins' alert of the Stars refund, /export. Before, the admin read «returned 0 ₽»,
 * /find said the money went to the balance, and the user was told nothing or that it went to his balance.
 */
class StarsRefundShownTest {
    private static final long U = 42;
    private static final String CH1 = "ch-1";
    private static final Delivery UPLOADING = new Delivery.Sent(Optional.empty(), List.of());
    private ShopHarness h;
    private String payload;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        h.command(U, "start");
        payload = h.paid50Stars(U, CH1); // 50 ⭐: 75 ₽
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private List<Reply> report() {
        return h.send(U, new Event.RefundedPayment(CH1, payload, "XTR", 50));
    }

    private void spend(long amount) {
        assertThat(h.stores.ledger().transfer("spent-" + amount, AccountId.wallet(U), AccountId.REVENUE, amount,
                TransferKind.GENERATION).succeeded()).isTrue();
    }

    private void finish(Job job) {
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Succeeded(new JobResult(
                List.of("https://files/out.png"), MediaKind.PHOTO), Optional.empty()));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
    }

    /** The job held the credit when Telegram reported the refund, and was delivered: its charge is the shop's loss. */
    private Job deliveredAfterAHeldReport() {
        Job job = h.runningFoxImage(U);
        report();
        finish(job);
        h.deliver();
        h.messenger.drain();
        return job;
    }

    private static String money(long minor) {
        return minor % 100 == 0 ? (minor / 100) + "\u00A0₽"
                : String.format(java.util.Locale.ROOT, "%d.%02d\u00A0₽", minor / 100, minor % 100);
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void anAdminsRefundAllAgainstTheLossSaysItCameBackInStarsAndTellsTheUser() {
        Job job = deliveredAfterAHeldReport();
        String id = job.id().display();

        List<Reply> replies = h.adminConfirmed("refund", id);
        String reply = ShopHarness.lastTextTo(replies, ShopHarness.ADMIN);
        assertThat(reply).contains(money(job.price()) + " for " + id + " returned to " + "User" + U + " (id " + U + ")" + ": "
                + money(job.price()) + " in Stars — the user already got it").doesNotContain("0\u00A0₽ for");
        h.deliver();
        assertThat(java.util.stream.Stream.concat(replies.stream().filter(r -> r.chatId() == U)
                .filter(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text()),
                h.messenger.texts().stream()).toList()).as("told, though nothing reached his balance")
                .anySatisfy(t -> assertThat(t).contains(id, "Support gave back " + money(job.price()),
                        money(job.price()) + " you already got in Stars"));

        assertThat(lastText(h.adminConfirmed("refund", id))).contains("already returned to " + "User" + U + " (id " + U + ")" + ": "
                + money(job.price()) + " in Stars").doesNotContain("0\u00A0₽ to user");
    }

    @Test
    void anAdminsRefundPartlyAgainstTheLossSaysBothParts() {
        Job job = h.runningFoxImage(U);
        finish(job);
        spend(7_500 - job.price());
        h.topUp(U, 7_400);
        report(); // 1 ₽ of CH1's credit was spent on the job: the loss
        // the confirmation says the same parts before anything moves
        assertThat(lastText(h.admin("refund", job.id().display()))).contains("Back: " + money(job.price()) + ": "
                + money(job.price() - 100) + " to the balance and 1\u00A0₽ in Stars");
        assertThat(h.balance(U)).isEqualTo(0);
        String reply = lastText(h.adminConfirmed("refund", job.id().display()));
        assertThat(reply).contains(money(job.price() - 100) + " to the balance and 1\u00A0₽ in Stars");
        assertThat(h.balance(U)).isEqualTo(job.price() - 100);
    }

    @Test
    void findOfTheJobShowsTheTransferAgainstTheLossAndItsHistorySaysStarsNotBalance() {
        Job job = deliveredAfterAHeldReport();
        String id = job.id().display();
        h.adminConfirmed("refund", id);

        String found = lastText(h.admin("find", id));
        assertThat(found).contains(money(job.price()) + " · generation revenue → losses on Stars refunds "
                + "(refund for " + id + " against the Stars refund of payment " + CH1)
                .contains("money returned: " + money(job.price()) + " in Stars")
                .doesNotContain("the money went back to the user's balance");
    }

    @Test
    void findOfThePaymentListsWhatEachHoldGaveToTheStarsOrLost() {
        Job lost = deliveredAfterAHeldReport();
        String found = lastText(h.admin("find", CH1));
        assertThat(found).as("the loss of what the delivered job kept")
                .contains(money(lost.price()) + " · losses on Stars refunds → Stars payments (Stars refund beyond "
                        + "the balance, payment " + CH1 + ")");

        setUp();
        Job failed = h.runningFoxImage(U);
        report();
        h.provider.set(failed.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(count(lastText(h.admin("find", CH1)), "(Stars refund, payment " + CH1 + ")"))
                .as("what was free at the report, and what the failed job's hold gave to the Stars").isEqualTo(2);
    }

    @Test
    void aResultGoneAtItsDeliveryAllAgainstTheLossTellsTheUserHeGotItInStars() {
        Job job = h.runningFoxImage(U);
        report();
        h.deliver();
        h.messenger.drain();
        h.messenger.thenAnswer(UPLOADING, new Delivery.Gone("HTTP 404"));
        finish(job);
        h.deliver();
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains("no longer has it")).singleElement().asString()
                .contains("The money for the generation is returned: " + money(job.price())
                        + " you already got in Stars");
        assertThat(h.balance(U)).isZero();
    }

    /**
     * The job that held the credit at the report fails: its hold's money went to the Stars he already got, and his
     * notice said «returned to your balance», the balance empty.
     */
    @Test
    void aJobThatFailsAfterAHeldReportTellsTheUserItsMoneyWentWithHisStars() {
        Job job = h.runningFoxImage(U);
        report();
        h.deliver();
        h.messenger.drain();
        h.provider.set(job.taskId().orElseThrow(), new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "boom"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();
        assertThat(h.balance(U)).isZero();
        assertThat(h.messenger.texts()).filteredOn(t -> t.contains(job.id().display()) && t.contains("💸"))
                .singleElement().asString().contains("The money for the generation is returned: "
                        + money(job.price()) + " you already got in Stars").doesNotContain("balance");
    }

    @Test
    void historySaysTheRefundCameBackInStars() {
        Job job = deliveredAfterAHeldReport();
        h.adminConfirmed("refund", job.id().display());
        assertThat(lastText(h.command(U, "history"))).contains(money(job.price()) + " refunded in Stars");
    }

    @Test
    void theAlertOfAStarsRefundSaysWhatWasTakenApartFromWhatARunningJobHolds() {
        Job job = h.runningFoxImage(U);
        spend(1_000);
        List<String> told = report().stream().filter(r -> r.chatId() == ShopHarness.ADMIN
                && r instanceof Reply.SendText).map(r -> ((Reply.SendText) r).text()).toList();
        assertThat(told).singleElement().asString().contains(money(7_500 - job.price() - 1_000)
                + " was taken from the balance, and a running generation holds " + money(job.price()) + " more",
                "the shop loses 10\u00A0₽");
    }

    /**
     * The refund sent back against the loss moves no money out of the shop (the Stars went back once, at the report):
     * /export, money in and out, has no row of it, and each of its rows names the user who paid.
     */
    @Test
    void theExportHasNoRowOfTheRefundAgainstTheLossAndEveryRowItsPayer() {
        Job job = deliveredAfterAHeldReport();
        h.adminConfirmed("refund", job.id().display());
        Reply.UploadMedia file = h.admin("export", "").stream().filter(Reply.UploadMedia.class::isInstance)
                .map(Reply.UploadMedia.class::cast).findFirst().orElseThrow();
        String csv = new String(file.content(), StandardCharsets.UTF_8);
        List<String> rows = csv.lines().skip(1).toList();
        assertThat(rows).hasSize(3).noneMatch(r -> r.contains(",refund:"))
                .allSatisfy(r -> assertThat(r.split(",")[2]).isEqualTo(String.valueOf(U)));
        assertThat(file.caption()).contains("75\u00A0₽ received", "75\u00A0₽ returned");
    }
}
