package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.text.TextOverrides;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /export}: a month's money in from outside and back out, as a spreadsheet file for the operator's books; no
 * bonus, no generation; the month in the shop's zone; columns and decimals as the admin's spreadsheet reads them.
 */
class AdminExportTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(U);
    }

    /** The file sent, as text (after the byte-order mark a spreadsheet needs). */
    private static String csv(List<Reply> replies) {
        Reply.UploadMedia file = (Reply.UploadMedia) replies.get(replies.size() - 1);
        assertThat(file.kind()).isEqualTo(MediaKind.DOCUMENT);
        String text = new String(file.content(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFF");
        return text.substring(1);
    }

    @Test
    void aMonthsPaymentsInAndOutAndNothingElse() {
        String payload = h.invoiceFor50Stars(U);
        h.send(U, new Event.SuccessfulPayment("charge-1", payload, "XTR", 50));
        h.clock.advance(Duration.ofMinutes(1));
        h.adminConfirmed("topup_user", U + " 100");
        h.clock.advance(Duration.ofMinutes(1));
        h.adminConfirmed("debit_user", U + " 30");
        h.clock.advance(Duration.ofMinutes(1));
        h.send(U, new Event.RefundedPayment("charge-1", payload, "XTR", 50));
        h.orderAFoxImage(U);
        h.clock.advance(Duration.ofDays(12)); // 3 December, Moscow time
        h.adminConfirmed("topup_user", U + " 7.5");

        List<Reply> november = h.admin("export", "2026-11");
        Reply.UploadMedia file = (Reply.UploadMedia) november.get(november.size() - 1);
        assertThat(file.fileName()).isEqualTo("payments-2026-11.csv");
        assertThat(file.caption()).contains("Payments in November 2026", "received", "returned", "4\u00A0operations");
        List<String> rows = csv(november).lines().toList();
        assertThat(rows.get(0)).isEqualTo("Date and time,Operation,User,Amount,Currency,Ledger id,⭐");
        assertThat(rows).hasSize(5);
        assertThat(rows.get(1)).startsWith("2026-11-21 13:00:00,Stars top-up,42,").endsWith(",75.00,RUB,stars:charge-1,50");
        assertThat(rows.get(2)).contains(",top-up by card/SBP or by an admin,42,100.00,RUB,manual:").endsWith(",");
        assertThat(rows.get(3)).contains(",taken off by an admin,42,-30.00,RUB,").endsWith(",");
        assertThat(rows.get(4)).isEqualTo("2026-11-21 13:03:00,Stars refunded,42,-75.00,RUB,stars-refund:charge-1,-50");
        assertThat(String.join("\n", rows)).doesNotContain("bonus").doesNotContain("generation");

        assertThat(csv(h.admin("export", ""))).as("this month").contains(",7.50,RUB,").doesNotContain("100.00");
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * The ⭐ column: the Stars a top-up took and its refund gave back, once per refund. A refund that found the credit
     * spent takes nothing and books all as the shop's loss, whose row shows the Stars; one that took part of it back
     * shows them on the refund's row, not on its loss's too.
     */
    @Test
    void theStarsColumnShowsTheStarsOfEachPaymentAndItsRefundOnce() {
        String whole = h.invoiceFor50Stars(U);
        h.send(U, new Event.SuccessfulPayment("charge-spent", whole, "XTR", 50));
        h.stores.ledger().transfer("spent", dev.kiebot.core.ledger.AccountId.wallet(U),
                dev.kiebot.core.ledger.AccountId.REVENUE, 7_500, dev.kiebot.core.ledger.TransferKind.GENERATION);
        h.send(U, new Event.RefundedPayment("charge-spent", whole, "XTR", 50));
        String part = h.invoiceFor50Stars(U);
        h.send(U, new Event.SuccessfulPayment("charge-part", part, "XTR", 50));
        h.stores.ledger().transfer("spent-2", dev.kiebot.core.ledger.AccountId.wallet(U),
                dev.kiebot.core.ledger.AccountId.REVENUE, h.balance(U) - 2_500,
                dev.kiebot.core.ledger.TransferKind.GENERATION);
        h.send(U, new Event.RefundedPayment("charge-part", part, "XTR", 50));

        List<String> rows = csv(h.admin("export", "2026-11")).lines().skip(1).toList();

        assertThat(rows).anySatisfy(r -> assertThat(r).endsWith(",stars:charge-spent,50"))
                .anySatisfy(r -> assertThat(r).endsWith(",stars-loss:charge-spent,-50"))
                .anySatisfy(r -> assertThat(r).endsWith(",stars:charge-part,50"))
                .anySatisfy(r -> assertThat(r).endsWith(",stars-refund:charge-part,-50"))
                .anySatisfy(r -> assertThat(r).contains(",stars-loss:charge-part,").endsWith(","));
        assertThat(rows.stream().filter(r -> r.contains("charge-part")).count()).isEqualTo(3);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    /**
     * A month with more payments than one file holds is cut (the file was the whole month, in memory and then in the
     * outbox, however big), and the caption says so; its totals stay the whole month's.
     */
    @Test
    void aMonthWithMorePaymentsThanAFileHoldsIsCutAndTheCaptionSaysSo() {
        for (int i = 0; i < 3; i++) {
            h.adminConfirmed("topup_user", U + " 100");
            h.clock.advance(Duration.ofMinutes(1));
        }
        h.adminConfirmed("debit_user", U + " 30");
        AdminExport export = new AdminExport(h.stores, h.shop.pricing(), h.shop.texts(),
                dev.kiebot.core.conversation.ShopSettings.defaults(), h.clock, 2);

        List<Reply> cut = export.export(ShopHarness.ADMIN, "en", "");

        assertThat(csv(cut).lines()).hasSize(1 + 2);
        assertThat(((Reply.UploadMedia) cut.get(0)).caption()).contains("300\u00A0₽ received, 30\u00A0₽ returned",
                "4\u00A0operations", "The file holds only the first 2\u00A0operations of 4");
        assertThat(((Reply.UploadMedia) new AdminExport(h.stores, h.shop.pricing(), h.shop.texts(),
                dev.kiebot.core.conversation.ShopSettings.defaults(), h.clock, 4).export(ShopHarness.ADMIN, "en", "")
                .get(0)).caption()).as("all in").doesNotContain("only the first");
    }

    /** The month's count in the cut's line is grouped as the caption's: «из 10 001», not «из 10001». */
    @Test
    void theCutsLineGroupsTheMonthsCountAsTheCaptionDoes() {
        for (int i = 0; i < 10_001; i++) {
            h.stores.ledger().transfer("grouped:" + i, dev.kiebot.core.ledger.AccountId.EXTERNAL_CLEARING,
                    dev.kiebot.core.ledger.AccountId.wallet(U), 100, dev.kiebot.core.ledger.TransferKind.TOP_UP_EXTERNAL);
        }
        String caption = ((Reply.UploadMedia) new AdminExport(h.stores, h.shop.pricing(), h.shop.texts(),
                dev.kiebot.core.conversation.ShopSettings.defaults(), h.clock, 2).export(ShopHarness.ADMIN, "ru", "")
                .get(0)).caption();
        assertThat(caption).contains("10\u00A0001\u00A0операция\n",
                "В файле только первые 2\u00A0операции из 10\u00A0001: больше в один файл не помещается.");
    }

    /** A partner's provider names its payments: a name with the separator or a quote stays one cell (RFC 4180). */
    @Test
    void aPaymentNamedWithTheSeparatorOrAQuoteStaysOneCell() {
        h.shop.externalTopUps().credit(new dev.kiebot.core.payments.ExternalPayment("cloudpay", "a,b\"c", U, 2_000));
        String row = csv(h.admin("export", "2026-11")).lines().skip(1).findFirst().orElseThrow();
        assertThat(row).endsWith(",20.00,RUB,\"external:cloudpay:a,b\"\"c\",");
    }

    /**
     * The shop's own column names (Shop.builder().texts) stand above their columns: one holding the Russian file's
     * separator or a quote stays one cell.
     */
    @Test
    void theShopsOwnColumnNamesStayOneCellEach() {
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN)),
                ManualPayments.off(), b -> b.texts(TextOverrides.builder()
                .text("ru", "export.header", "Дата; время,Операция,Кто,Сумма,Валюта,Запись \"учёта\",Звёзды").build()))
                .startedByAdminAnd(U);
        h.adminConfirmed("topup_user", U + " 12.34");
        h.command(ShopHarness.ADMIN, "language");
        h.press(ShopHarness.ADMIN, "*|l|ru");
        List<String> rows = csv(h.admin("export", "2026-11")).lines().toList();
        assertThat(rows.get(0)).isEqualTo("\"Дата; время\";Операция;Кто;Сумма;Валюта;\"Запись \"\"учёта\"\"\";Звёзды");
        assertThat(rows.get(1)).contains(";42;12,34;RUB;manual:");
    }

    @Test
    void inRussianTheColumnsAreSplitBySemicolonsAndTheDecimalsByCommas() {
        h.adminConfirmed("topup_user", U + " 12.34");
        h.command(ShopHarness.ADMIN, "language");
        h.press(ShopHarness.ADMIN, "*|l|ru");
        List<String> rows = csv(h.admin("export", "2026-11")).lines().toList();
        assertThat(rows.get(0)).isEqualTo("Дата и время;Операция;Пользователь;Сумма;Валюта;Запись в учёте;⭐");
        assertThat(rows.get(1)).contains(";пополнение картой, по СБП или администратором;42;12,34;RUB;manual:");
        List<Reply> november = h.admin("export", "2026-11");
        Reply.UploadMedia file = (Reply.UploadMedia) november.get(november.size() - 1);
        assertThat(file.caption()).startsWith("📄 Платежи за ноябрь 2026: поступило ");
    }

    @Test
    void aMonthWithoutPaymentsOrAWrongMonthGetsWordsAndAUserNothing() {
        assertThat(lastText(h.admin("export", "2026-01"))).contains("No payments in January 2026.");
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        assertThat(lastText(h.admin("export", "2026-01"))).isEqualTo("📄 Платежей за январь 2026 нет.");
        h.stores.users().setLanguage(ShopHarness.ADMIN, "en");
        assertThat(lastText(h.admin("export", "November"))).contains("/export 2026-11");
        h.adminConfirmed("topup_user", U + " 100");
        List<Reply> user = h.command(U, "export");
        assertThat(lastText(user)).contains("for admins only");
        assertThat(user).noneMatch(r -> r instanceof Reply.UploadMedia);
    }
}
