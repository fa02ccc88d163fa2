package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.payments.ExternalCredit;
import dev.kiebot.core.payments.ExternalPayment;
import dev.kiebot.core.payments.ExternalRefund;
import dev.kiebot.core.payments.ExternalReversal;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partner's own payment provider reports payments through {@code shop.externalTopUps()}: each credits once, with its
 * audit line and the user's notice, shows in /payments and /admin, and whatever does not fit is refused and told to
 * the admins. A payment the provider gave back, or part of it, takes what the refund gave back from the wallet, as
 * far as the wallet and the payment have it, once per refund.
 */
class ExternalTopUpsTest {
    private static final long U = 42;
    private static final long V = 43;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        h.speaking("ru").command(U, "start");
        h.speaking("en").command(V, "start");
        h.messenger.drain();
    }

    @AfterEach
    void theLedgerStaysConsistent() {
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }

    private ExternalCredit credit(String provider, String paymentId, long userId, long amount) {
        ExternalCredit c = h.shop.externalTopUps().credit(new ExternalPayment(provider, paymentId, userId, amount));
        h.deliver();
        return c;
    }

    private ExternalReversal refunded(String provider, String paymentId, long userId) {
        ExternalReversal r = h.shop.externalTopUps().refunded(new ExternalRefund(provider, paymentId, userId));
        h.deliver();
        return r;
    }

    private ExternalReversal refundedPart(String paymentId, String refundId, long userId, long amount) {
        ExternalReversal r = h.shop.externalTopUps().refunded(new ExternalRefund("stripe", paymentId, refundId, userId,
                amount));
        h.deliver();
        return r;
    }

    private static ExternalRefund part(String paymentId, String refundId, long userId, long amount) {
        return new ExternalRefund("stripe", paymentId, refundId, userId, amount);
    }

    /** The user spends {@code amount} of their balance (a generation's price, posted). */
    private void spend(long userId, long amount) {
        assertThat(h.stores.ledger().transfer("spent-" + h.stores.ledger().transfers(AccountId.REVENUE).size(),
                AccountId.wallet(userId), AccountId.REVENUE, amount, TransferKind.GENERATION).succeeded()).isTrue();
    }

    private List<Reply> sentTo(long chat) {
        return h.messenger.drain().stream().filter(r -> r.chatId() == chat).toList();
    }

    private List<AuditEvent> audit(String creditId) {
        return h.stores.audit().byCorrelation(creditId);
    }

    private List<Transfer> externalCredits() {
        return h.stores.ledger().transfers(AccountId.EXTERNAL_CLEARING);
    }

    /**
     * A provider that takes several currencies (Stripe) reports each payment's: 500 RUB is not 500.00 of a dollar
     * shop. One in another currency than the shop's is refused, naming both, and credits nothing; one in the shop's
     * (in any case) or without a currency credits as before.
     *
     * <p>Refused, audited and told to the admins once, as an unknown user's payment is: it was thrown, before any
     * audit line, and a webhook that answers an exception with an error (as {@code credit}'s javadoc told it to) had
     * the provider retry it for days and give up, the buyer's money taken with nobody told.
     */
    @Test
    void aPaymentInAnotherCurrencyThanTheShopsIsRefusedAuditedAndToldToTheAdminsOnce() {
        ExternalPayment eur = new ExternalPayment("stripe", "pi_eur", U, 50_000).in("eur");

        ExternalCredit refused = h.shop.externalTopUps().credit(eur);
        h.deliver();
        ExternalCredit retried = h.shop.externalTopUps().credit(eur);
        h.deliver();

        assertThat(refused).isInstanceOfSatisfying(ExternalCredit.Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(ExternalCredit.Reason.WRONG_CURRENCY);
            assertThat(r.detail()).contains("EUR", "RUB", "nothing credited", "convert it yourself");
        });
        assertThat(retried).isEqualTo(refused);
        assertThat(h.balance(U)).isZero();
        assertThat(externalCredits()).isEmpty();
        assertThat(audit("external:stripe:pi_eur")).extracting(AuditEvent::action)
                .containsExactly("topup.external_wrong_currency", "topup.external_wrong_currency");
        List<Reply> sent = h.messenger.drain();
        assertThat(sent).as("the buyer hears nothing of it").noneMatch(r -> r.chatId() == U);
        assertThat(sent).as("the admin, once, in his language").singleElement().satisfies(r -> assertThat(
                lastText(List.of(r))).isEqualTo("⚠️ A payment through stripe was not credited: payment pi_eur of "
                + "User42 (id 42) came in another currency — €500, and the shop's prices are in RUB. The bot does not "
                + "convert currencies. Do not credit it by hand: once the payment is reported again in RUB, it would "
                + "be credited twice. Check the payment with the payment provider, then ask the developer who "
                + "connected the payments to convert the amount and report the payment again, or refund it to the "
                + "buyer."));

        assertThat(h.shop.externalTopUps().credit(new ExternalPayment("stripe", "pi_rub", U, 50_000).in("rub")))
                .isInstanceOf(ExternalCredit.Credited.class);
        assertThat(credit("stripe", "pi_plain", U, 1_000)).isInstanceOf(ExternalCredit.Credited.class);
        assertThat(credit("stripe", "pi_eur", U, 54_000)).as("converted and reported again, it credits")
                .isInstanceOf(ExternalCredit.Credited.class);
        assertThat(h.balance(U)).isEqualTo(105_000);
        assertThat(new ExternalPayment("stripe", "pi_1", U, 1).in(" usd ").currency()).contains("USD");
        assertThatThrownBy(() -> new ExternalPayment("stripe", "pi_1", U, 1).in("dollars"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISO 4217");
    }

    /** The Russian admin reads it in Russian, with the amount in the buyer's currency's own units. */
    @Test
    void aPaymentInAnotherCurrencyIsToldToARussianAdminInHisWordsAndTheBuyersUnits() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        h.shop.externalTopUps().credit(new ExternalPayment("stripe", "pi_jpy", U, 1_500).in("JPY"));
        h.deliver();

        assertThat(lastText(sentTo(ShopHarness.ADMIN))).isEqualTo("⚠️ Оплата через stripe не зачислена: платёж "
                + "pi_jpy пользователя User42 (ID 42) пришёл в другой валюте — 1\u00A0500\u00A0JPY, а цены магазина — в RUB. Бот "
                + "сам валюты не пересчитывает. Не зачисляйте его вручную, иначе, когда о платеже сообщат снова "
                + "(уже в RUB), он зачислится второй раз. Проверьте платёж у платёжной системы, затем попросите разработчика, "
                + "который подключал оплату, пересчитать сумму и сообщить о платеже снова — или верните платёж "
                + "покупателю.");
    }

    @Test
    void aVerifiedPaymentCreditsTheWalletWithItsAuditLineAndTellsTheUserInRussian() {
        ExternalCredit c = credit("stripe", "pi_1", U, 50_000);

        assertThat(c).isEqualTo(new ExternalCredit.Credited(new ExternalPayment("stripe", "pi_1", U, 50_000), 50_000));
        assertThat(h.balance(U)).isEqualTo(50_000);
        assertThat(externalCredits()).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo("external:stripe:pi_1");
            assertThat(t.credit()).isEqualTo(AccountId.wallet(U));
            assertThat(t.kind()).isEqualTo(TransferKind.TOP_UP_EXTERNAL);
            assertThat(t.amount()).isEqualTo(50_000);
        });
        assertThat(audit("external:stripe:pi_1")).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("topup.external");
            assertThat(e.detail()).contains("stripe", "pi_1", "50000");
        });
        List<Reply> toUser = sentTo(U);
        assertThat(toUser).hasSize(1);
        assertThat(lastText(toUser)).isEqualTo("✅ Баланс пополнен: +500\u00A0₽. Теперь на балансе 500\u00A0₽.")
                .doesNotContain("stripe", "pi_1", "payment", "amount");
    }

    @Test
    void anEnglishUserIsToldInEnglishWithTheBalanceAfterIt() {
        h.topUp(V, 1_000);
        credit("yookassa", "2c5f-11", V, 25_000);
        assertThat(lastText(sentTo(V))).isEqualTo("✅ Balance topped up: +250\u00A0₽. Your balance is now 260\u00A0₽.");
    }

    @Test
    void theSamePaymentReportedAgainIsAlreadyCreditedAndChangesNothing() {
        Instant first = h.clock.instant();
        credit("stripe", "pi_1", U, 50_000);
        h.messenger.drain();
        h.clock.advance(Duration.ofMinutes(5));

        ExternalCredit again = credit("Stripe", "pi_1", U, 50_000);

        assertThat(again).as("the provider's name is read without case")
                .isEqualTo(new ExternalCredit.AlreadyCredited(new ExternalPayment("stripe", "pi_1", U, 50_000), first));
        assertThat(h.balance(U)).isEqualTo(50_000);
        assertThat(externalCredits()).hasSize(1);
        assertThat(audit("external:stripe:pi_1")).hasSize(1);
        assertThat(h.messenger.drain()).as("nobody is told twice").isEmpty();
    }

    @Test
    void oneIdOfTwoProvidersIsTwoPayments() {
        credit("stripe", "order-7", U, 10_000);
        assertThat(credit("yookassa", "order-7", U, 20_000)).isInstanceOf(ExternalCredit.Credited.class);
        assertThat(h.balance(U)).isEqualTo(30_000);
    }

    @Test
    void theSamePaymentIdWithAnotherAmountOrUserIsRefusedAndTheAdminsAreToldOnce() {
        credit("stripe", "pi_1", U, 50_000);
        h.messenger.drain();

        ExternalCredit more = credit("stripe", "pi_1", U, 60_000);
        ExternalCredit other = credit("stripe", "pi_1", V, 50_000);

        assertThat(more).isInstanceOfSatisfying(ExternalCredit.Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(ExternalCredit.Reason.CONFLICTING_PAYMENT);
            assertThat(r.detail()).contains("credited before with 50000 to user " + U, "now reported with 60000");
        });
        assertThat(other).isInstanceOfSatisfying(ExternalCredit.Refused.class,
                r -> assertThat(r.reason()).isEqualTo(ExternalCredit.Reason.CONFLICTING_PAYMENT));
        assertThat(h.balance(U)).isEqualTo(50_000);
        assertThat(h.balance(V)).isZero();
        assertThat(externalCredits()).hasSize(1);
        assertThat(audit("external:stripe:pi_1")).extracting(AuditEvent::action)
                .containsExactly("topup.external", "topup.external_conflict", "topup.external_conflict");
        List<Reply> sent = h.messenger.drain();
        assertThat(sent).as("the users hear nothing of it").noneMatch(r -> r.chatId() == U || r.chatId() == V);
        assertThat(sent).as("the admin, once").singleElement().satisfies(r -> assertThat(lastText(List.of(r)))
                .isEqualTo("⚠️ A payment through stripe was not credited: payment pi_1 was already credited — "
                        + "500\u00A0₽ to User42 (id 42), and now came for 600\u00A0₽ to User42 (id 42). Check it with the "
                        + "payment provider."));
    }

    /**
     * A payment credited (reported converted, without a currency) and reported again in the provider's currency (a
     * second event of the provider's, a replay after the partner's change) is a conflict, told in the amount's own
     * currency: the currency was checked before the ledger, so it was refused as WRONG_CURRENCY and the admins read
     * that it «was not credited» and what to do to credit it, while the wallet had it already, and one who did credited
     * it twice.
     */
    @Test
    void aCreditedPaymentReportedAgainInItsOwnCurrencyIsAConflictNotAPaymentNotCredited() {
        credit("stripe", "pi_x", V, 50_000);
        h.messenger.drain();

        ExternalCredit again = h.shop.externalTopUps().credit(new ExternalPayment("stripe", "pi_x", V, 540).in("EUR"));
        h.deliver();

        assertThat(again).isInstanceOfSatisfying(ExternalCredit.Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(ExternalCredit.Reason.CONFLICTING_PAYMENT);
            assertThat(r.detail()).contains("now reported with 540 (EUR minor units)");
        });
        assertThat(h.balance(V)).isEqualTo(50_000);
        assertThat(lastText(sentTo(ShopHarness.ADMIN))).isEqualTo("⚠️ A payment through stripe was not credited: "
                + "payment pi_x was already credited — 500\u00A0₽ to User43 (id 43), and now came for €5.40 to "
                + "User43 (id 43). Check it with the payment provider.");
    }

    @Test
    void aPaymentForSomeoneWhoNeverOpenedTheBotIsRefusedUntilTheyHave() {
        long stranger = 777;
        ExternalCredit refused = credit("stripe", "pi_9", stranger, 30_000);
        ExternalCredit retried = credit("stripe", "pi_9", stranger, 30_000);

        assertThat(refused).isInstanceOfSatisfying(ExternalCredit.Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(ExternalCredit.Reason.UNKNOWN_USER);
            assertThat(r.detail()).contains("report the payment again once they have");
        });
        assertThat(retried).isInstanceOf(ExternalCredit.Refused.class);
        assertThat(h.stores.ledger().find("external:stripe:pi_9")).isEmpty();
        assertThat(h.stores.users().find(stranger)).as("nobody is made up").isEmpty();
        assertThat(audit("external:stripe:pi_9")).extracting(AuditEvent::action)
                .containsExactly("topup.external_unknown_user", "topup.external_unknown_user");
        assertThat(lastText(sentTo(ShopHarness.ADMIN))).as("once, not at every retry").contains("stripe",
                "300\u00A0₽ for id 777, whom the bot does not know", "pi_9", "once they open the bot");

        h.command(stranger, "start");
        assertThat(credit("stripe", "pi_9", stranger, 30_000)).isInstanceOf(ExternalCredit.Credited.class);
        assertThat(h.balance(stranger)).isEqualTo(30_000);
    }

    @Test
    void theCreditShowsInTheUsersPaymentsAndInTheDashboardsTopUps() {
        credit("stripe", "pi_1", U, 50_000);
        credit("yookassa", "2c5f-11", V, 25_000);

        String payments = lastText(h.speaking("ru").command(U, "payments"));
        assertThat(payments).contains("+500\u00A0₽ · онлайн-пополнение · pi_1").doesNotContain("stripe", "external");

        String dashboard = lastText(h.speaking("en").command(ShopHarness.ADMIN, "admin"));
        assertThat(dashboard).contains("🌐 Online payments 7 d: 2\u00A0payments for 750\u00A0₽");
    }

    @Test
    void aShopWithoutSuchPaymentsShowsNoLineOfThemOnTheDashboard() {
        assertThat(lastText(h.command(ShopHarness.ADMIN, "admin"))).doesNotContain("Online payments");
    }

    /**
     * A refund racing the user's spending is refused by the ledger and thrown to the partner to report again; its
     * message, which the partner logs, quoted the refusal whole: "detail=wallet:5550001", the user's id unmasked.
     */
    @Test
    void aRefundTheWalletChangedUnderIsThrownWithoutTheUsersId() {
        long w = 5_550_001;
        h.command(w, "start");
        credit("stripe", "pi_9", w, 50_000);
        spend(w, 10_000);
        // the balance as read a moment before the spending: more than the transfer then finds
        dev.kiebot.core.shop.Shop shop = h.anotherInstance(s -> s.withLedger(
                new dev.kiebot.core.ledger.ForwardingLedger(s.ledger()) {
                    @Override
                    public dev.kiebot.core.ledger.Balance balance(AccountId account) {
                        dev.kiebot.core.ledger.Balance b = super.balance(account);
                        return account.equals(AccountId.wallet(w)) ? new dev.kiebot.core.ledger.Balance(account,
                                b.debitsPending(), b.debitsPosted() - 10_000, b.creditsPending(), b.creditsPosted()) : b;
                    }
                }));

        assertThatThrownBy(() -> shop.externalTopUps().refunded(new ExternalRefund("stripe", "pi_9", w)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("INSUFFICIENT_FUNDS")
                .hasMessageNotContaining(Long.toString(w));
        assertThat(h.balance(w)).as("nothing taken: reported again, it takes what is there").isEqualTo(40_000);
    }

    @Test
    void aRefundedPaymentIsTakenBackWholeWithItsAuditLineAndTheUsersNotice() {
        credit("stripe", "pi_1", U, 50_000);
        h.messenger.drain();

        ExternalReversal r = refunded("Stripe", "pi_1", U);

        ExternalRefund refund = new ExternalRefund("stripe", "pi_1", U);
        assertThat(r).isEqualTo(new ExternalReversal.TakenBack(refund, 50_000, 0, 0));
        assertThat(h.balance(U)).isZero();
        assertThat(h.stores.ledger().find("external-refund:stripe:pi_1")).get().satisfies(t -> {
            assertThat(t.debit()).isEqualTo(AccountId.wallet(U));
            assertThat(t.credit()).isEqualTo(AccountId.EXTERNAL_CLEARING);
            assertThat(t.kind()).isEqualTo(TransferKind.EXTERNAL_REFUND);
            assertThat(t.amount()).isEqualTo(50_000);
        });
        assertThat(audit("external:stripe:pi_1")).extracting(AuditEvent::action)
                .containsExactly("topup.external", "topup.external_refund");
        assertThat(audit("external:stripe:pi_1").get(1).detail()).isEqualTo("stripe pi_1: took back 50000 of 50000");
        List<Reply> sent = h.messenger.drain();
        assertThat(sent).as("the user alone: nothing was lost").singleElement()
                .satisfies(m -> assertThat(m.chatId()).isEqualTo(U));
        assertThat(lastText(sent)).isEqualTo("↩️ Платёж на 500\u00A0₽ возвращён. С баланса списано 500\u00A0₽, "
                + "теперь на балансе 0\u00A0₽.");
        assertThat(lastText(h.speaking("ru").command(U, "payments")))
                .contains("−500\u00A0₽ · возврат онлайн-пополнения · pi_1", "+500\u00A0₽ · онлайн-пополнение · pi_1");
        assertThat(lastText(h.speaking("en").command(ShopHarness.ADMIN, "admin"))).as("what came in, as for Stars")
                .contains("🌐 Online payments 7 d: 1\u00A0payment for 500\u00A0₽");
    }

    @Test
    void whatTheUserSpentIsTheShopsLossAndTheAdminsAreToldOnce() {
        credit("yookassa", "2c5f-11", V, 50_000);
        spend(V, 30_000);
        h.messenger.drain();

        ExternalReversal first = refunded("yookassa", "2c5f-11", V);
        ExternalReversal again = refunded("yookassa", "2c5f-11", V);

        ExternalRefund refund = new ExternalRefund("yookassa", "2c5f-11", V);
        assertThat(first).isEqualTo(new ExternalReversal.TakenBack(refund, 20_000, 30_000, 0));
        assertThat(again).isEqualTo(new ExternalReversal.AlreadyTakenBack(refund, 20_000));
        assertThat(h.balance(V)).as("never below zero").isZero();
        assertThat(audit("external:yookassa:2c5f-11")).extracting(AuditEvent::detail).last().asString()
                .isEqualTo("yookassa 2c5f-11: took back 20000 of 50000; 30000 was spent before the refund: the shop's "
                        + "loss");
        List<Reply> sent = h.messenger.drain();
        assertThat(lastText(sent.stream().filter(m -> m.chatId() == V).toList())).isEqualTo("↩️ The payment of "
                + "500\u00A0₽ was refunded. 200\u00A0₽ was taken from your balance, which is now 0\u00A0₽.");
        assertThat(sent.stream().filter(m -> m.chatId() == ShopHarness.ADMIN).toList()).as("once, not at the repeat")
                .singleElement().satisfies(m -> assertThat(lastText(List.of(m))).isEqualTo("⚠️ Payment 2c5f-11 of "
                        + "500\u00A0₽ through yookassa, paid by User43 (id 43), was refunded, but only 200\u00A0₽ could be "
                        + "taken from the balance: the user had spent the rest. The shop loses 300\u00A0₽."));
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru"); // the English stays in the audit, /find says it in words
        assertThat(lastText(h.admin("find", "2c5f-11"))).contains("yookassa 2c5f-11: зачислено 500\u00A0₽",
                "yookassa 2c5f-11: с баланса списано 200\u00A0₽ из зачисленных 500\u00A0₽; 300\u00A0₽ было "
                        + "потрачено до возврата — это убыток магазина").doesNotContain("took back", "->");
    }

    @Test
    void aRefundReportedAgainIsAlreadyTakenBackAndTakesNothingTheUserPaidInSince() {
        credit("stripe", "pi_1", U, 50_000);
        refunded("stripe", "pi_1", U);
        h.topUp(U, 10_000);
        h.messenger.drain();

        ExternalReversal again = refunded("stripe", "pi_1", U);

        assertThat(again).isEqualTo(new ExternalReversal.AlreadyTakenBack(new ExternalRefund("stripe", "pi_1", U),
                50_000));
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(h.stores.ledger().transfers(AccountId.EXTERNAL_CLEARING)).extracting(Transfer::kind)
                .containsExactly(TransferKind.TOP_UP_EXTERNAL, TransferKind.EXTERNAL_REFUND);
        assertThat(audit("external:stripe:pi_1")).extracting(AuditEvent::action)
                .containsExactly("topup.external", "topup.external_refund");
        assertThat(h.messenger.drain()).as("nobody is told twice").isEmpty();
    }

    @Test
    void aRefundThatFoundNothingLeftTakesNothingLaterEither() {
        credit("stripe", "pi_1", U, 50_000);
        spend(U, 50_000);
        h.messenger.drain();

        ExternalReversal r = refunded("stripe", "pi_1", U);
        h.topUp(U, 10_000);
        ExternalReversal again = refunded("stripe", "pi_1", U);
        h.topUp(U, 90_000);
        ExternalReversal third = refunded("stripe", "pi_1", U);

        ExternalRefund refund = new ExternalRefund("stripe", "pi_1", U);
        assertThat(r).isEqualTo(new ExternalReversal.TakenBack(refund, 0, 50_000, 0));
        assertThat(again).isEqualTo(new ExternalReversal.AlreadyTakenBack(refund, 0));
        assertThat(third).as("however much the wallet has then")
                .isEqualTo(new ExternalReversal.AlreadyTakenBack(refund, 0));
        assertThat(h.balance(U)).isEqualTo(100_000);
        assertThat(h.stores.ledger().find("external-refund:stripe:pi_1")).isEmpty();
        assertThat(audit("external:stripe:pi_1")).extracting(AuditEvent::action)
                .containsExactly("topup.external", "topup.external_refund");
        assertThat(h.messenger.drain()).extracting(Reply::chatId).containsExactlyInAnyOrder(U, ShopHarness.ADMIN);
    }

    @Test
    void aRefundOfAPaymentNeverCreditedIsRefusedAndAuditedAndTakesItOnceItIs() {
        h.topUp(U, 10_000);
        ExternalReversal refused = refunded("stripe", "pi_7", U);
        ExternalReversal retried = refunded("stripe", "pi_7", U);

        assertThat(refused).isInstanceOfSatisfying(ExternalReversal.Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(ExternalReversal.Reason.UNKNOWN_PAYMENT);
            assertThat(r.detail()).contains("pi_7", "never credited", "report its refund again");
        });
        assertThat(retried).isInstanceOf(ExternalReversal.Refused.class);
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(h.stores.ledger().find("external-refund:stripe:pi_7")).isEmpty();
        assertThat(audit("external:stripe:pi_7")).extracting(AuditEvent::action)
                .containsExactly("topup.external_refund_unknown", "topup.external_refund_unknown");
        List<Reply> sent = h.messenger.drain();
        assertThat(sent).as("the admin, once; the user hears nothing").singleElement()
                .satisfies(m -> assertThat(lastText(List.of(m))).isEqualTo("ℹ️ Payment pi_7 through stripe, "
                        + "paid by User42 (id 42), was refunded, but the bot never credited it: nothing was taken from the balance."));

        credit("stripe", "pi_7", U, 30_000);
        assertThat(refunded("stripe", "pi_7", U)).isInstanceOf(ExternalReversal.TakenBack.class);
        assertThat(h.balance(U)).isEqualTo(10_000);
    }

    @Test
    void aRefundOfAnotherUsersPaymentTakesNothingFromEitherAndTheAdminsAreToldOnce() {
        credit("stripe", "pi_1", U, 50_000);
        h.topUp(V, 50_000);
        long stranger = 777;
        h.messenger.drain();

        ExternalReversal other = refunded("stripe", "pi_1", V);
        ExternalReversal again = refunded("stripe", "pi_1", V);
        ExternalReversal strangers = refunded("stripe", "pi_1", stranger);
        ExternalReversal strangersUnknown = refunded("stripe", "pi_8", stranger);

        assertThat(List.of(other, again, strangers)).allSatisfy(r -> assertThat(r)
                .isInstanceOfSatisfying(ExternalReversal.Refused.class, refused -> assertThat(refused.reason())
                        .isEqualTo(ExternalReversal.Reason.ANOTHER_USERS_PAYMENT)));
        assertThat(((ExternalReversal.Refused) other).detail()).contains("credited user 42, not user 43");
        assertThat(strangersUnknown).isInstanceOfSatisfying(ExternalReversal.Refused.class,
                r -> assertThat(r.reason()).isEqualTo(ExternalReversal.Reason.UNKNOWN_PAYMENT));
        assertThat(h.balance(U)).isEqualTo(50_000);
        assertThat(h.balance(V)).isEqualTo(50_000);
        assertThat(h.stores.ledger().find("external-refund:stripe:pi_1")).isEmpty();
        assertThat(h.stores.users().find(stranger)).as("nobody is made up").isEmpty();
        assertThat(audit("external:stripe:pi_1")).extracting(AuditEvent::action).containsExactly("topup.external",
                "topup.external_refund_other_user", "topup.external_refund_other_user",
                "topup.external_refund_other_user");
        List<Reply> sent = h.messenger.drain();
        assertThat(sent).noneMatch(m -> m.chatId() == U || m.chatId() == V);
        assertThat(sent).extracting(m -> lastText(List.of(m))).as("once per payment and reason").containsExactly(
                "⚠️ A refund through stripe was not taken: payment pi_1 was credited to User42 (id 42), and the refund "
                        + "came for User43 (id 43). Nothing was taken from anyone's balance; check the payment with the "
                        + "payment provider.",
                "ℹ️ Payment pi_8 through stripe, paid by id 777, was refunded, but the bot never credited it: nothing was "
                        + "taken from the balance.");
    }

    @Test
    void aPaymentGivenBackStaysCreditedOnceWhenReportedAgain() {
        credit("stripe", "pi_1", U, 50_000);
        refunded("stripe", "pi_1", U);
        h.messenger.drain();

        ExternalCredit again = credit("stripe", "pi_1", U, 50_000);

        assertThat(again).isInstanceOf(ExternalCredit.AlreadyCredited.class);
        assertThat(h.balance(U)).isZero();
        assertThat(externalCredits()).extracting(Transfer::kind)
                .containsExactly(TransferKind.TOP_UP_EXTERNAL, TransferKind.EXTERNAL_REFUND);
        assertThat(h.messenger.drain()).isEmpty();
    }

    @Test
    void anAdminFindsAPaymentAndItsRefundByThePaymentIdAlone() {
        credit("stripe", "pi_1", U, 50_000);
        h.clock.advance(Duration.ofMinutes(3));
        refunded("stripe", "pi_1", U);
        credit("yookassa", "pi_1", V, 20_000);
        credit("stripe", "pi_9", 777, 30_000);

        String both = lastText(h.admin("find", "pi_1"));
        String refused = lastText(h.admin("find", "pi_9"));

        assertThat(both).as("one payment id of two providers is two payments").isEqualTo("""
                🌐 Online payment pi_1 through stripe: 500\u00A0₽ to User42 (id 42)
                Ledger:
                  21.11.26 13:00:00 · posted · 500\u00A0₽ · online payments → balance of User42 (id 42) \
                (online payment pi_1 through stripe)
                  21.11.26 13:03:00 · posted · 500\u00A0₽ · balance of User42 (id 42) → online payments \
                (refund of online payment pi_1 through stripe)
                History:
                  21.11.26 13:00:00 · user ***42 · online payment credited — stripe pi_1: 500\u00A0₽ credited
                  21.11.26 13:03:00 · user ***42 · online payment refunded, taken from the balance — stripe pi_1: \
                500\u00A0₽ of the 500\u00A0₽ credited taken back

                🌐 Online payment pi_1 through yookassa: 200\u00A0₽ to User43 (id 43)
                Ledger:
                  21.11.26 13:03:00 · posted · 200\u00A0₽ · online payments → balance of User43 (id 43) \
                (online payment pi_1 through yookassa)
                History:
                  21.11.26 13:03:00 · user ***43 · online payment credited — yookassa pi_1: 200\u00A0₽ credited""");
        assertThat(refused).startsWith("🌐 Online payment pi_9 through stripe: not credited\nLedger: —\nHistory:")
                .contains("online payment not credited: the bot does not know the user — user 777 has never");
        assertThat(lastText(h.admin("find", "pi_404")))
                .as("an id of no payment searches users, as before").doesNotContain("Online payment");
        assertThat(lastText(h.admin("find", Long.toString(U))))
                .as("the user's card lists his online payments")
                .contains("Payments:\n  21.11.26 13:03:00 · posted · 500\u00A0₽ · balance of User42 (id 42) → online payments "
                        + "(refund of online payment pi_1 through stripe)\n  21.11.26 13:00:00 · posted · 500\u00A0₽ · online payments "
                        + "→ balance of User42 (id 42) (online payment pi_1 through stripe)")
                .doesNotContain("yookassa");
        h.command(U, "paysupport");
        String ticket = lastText(h.text(U, "where is my money?").stream()
                .filter(r -> r.chatId() == ShopHarness.ADMIN).toList());
        assertThat(ticket).as("and so does his support ticket")
                .contains("Payments:\n• 21.11.26 13:03:00 · posted · 500\u00A0₽ · balance of User42 (id 42) → online payments "
                        + "(refund of online payment pi_1 through stripe)\n• 21.11.26 13:00:00")
                .doesNotContain("yookassa");
    }

    @Test
    void aRefundWithWrongValuesIsRefusedWhenItIsMade() {
        assertThatThrownBy(() -> new ExternalRefund("my:psp", "pi_1", U)).hasMessageContaining("latin letters");
        assertThatThrownBy(() -> new ExternalRefund("stripe", "pi 1", U)).hasMessageContaining("without spaces");
        assertThatThrownBy(() -> new ExternalRefund("stripe", "pi_1", -100123)).hasMessageContaining("group");
        assertThatThrownBy(() -> new ExternalRefund("stripe", null, U)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("paymentId");
        assertThatThrownBy(() -> h.shop.externalTopUps().refunded(null)).isInstanceOf(NullPointerException.class);
        assertThat(new ExternalRefund("Stripe", "pi_1", U).refundId()).isEqualTo("external-refund:stripe:pi_1");
    }

    @Test
    void wrongValuesAreRefusedWhenThePaymentIsMadeSayingWhatToGive() {
        assertThatThrownBy(() -> new ExternalPayment(" ", "pi_1", U, 1)).hasMessageContaining("\"stripe\"");
        assertThatThrownBy(() -> new ExternalPayment("my:psp", "pi_1", U, 1)).hasMessageContaining("latin letters");
        assertThatThrownBy(() -> new ExternalPayment("p".repeat(33), "pi_1", U, 1)).hasMessageContaining("1-32");
        assertThatThrownBy(() -> new ExternalPayment("stripe", "", U, 1)).hasMessageContaining("provider's own id");
        assertThatThrownBy(() -> new ExternalPayment("stripe", "pi 1", U, 1)).hasMessageContaining("without spaces");
        assertThatThrownBy(() -> new ExternalPayment("stripe", "pi_1\n", U, 1)).hasMessageContaining("control");
        assertThatThrownBy(() -> new ExternalPayment("stripe", "x".repeat(129), U, 1))
                .hasMessageContaining("1-128").hasMessageContaining("…");
        assertThat(new ExternalPayment("stripe", "x".repeat(128), U, 1).paymentId()).hasSize(128);
        assertThatThrownBy(() -> new ExternalPayment("stripe", "pi_1", 0, 1)).hasMessageContaining("the buyer's user id on your platform");
        assertThatThrownBy(() -> new ExternalPayment("stripe", "pi_1", -100123, 1)).hasMessageContaining("group");
        assertThatThrownBy(() -> new ExternalPayment("stripe", "pi_1", U, 0)).hasMessageContaining("minor units of the shop's currency");
        assertThatThrownBy(() -> new ExternalPayment("stripe", "pi_1", U, -500)).hasMessageContaining("not a negative");
        assertThatThrownBy(() -> new ExternalPayment("stripe", "pi_1", U, ExternalPayment.MAX_AMOUNT + 1))
                .hasMessageContaining("MAX_AMOUNT");
        assertThat(new ExternalPayment("stripe", "pi_1", U, ExternalPayment.MAX_AMOUNT).amount())
                .isEqualTo(ExternalPayment.MAX_AMOUNT);
        assertThatThrownBy(() -> new ExternalPayment(null, "pi_1", U, 1)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("provider");
        assertThatThrownBy(() -> h.shop.externalTopUps().credit(null)).isInstanceOf(NullPointerException.class);
        assertThat(h.stores.ledger().transfers(AccountId.EXTERNAL_CLEARING)).isEmpty();
    }

    /**
     * Reported again while the wallet still holds the whole payment (the user paid in since), the refund asks the same
     * transfer as the first time: the ledger finds it made, and nothing more is taken.
     */
    @Test
    void aRefundReportedAgainWithTheWholePaymentOnTheWalletIsAlreadyTakenBack() {
        credit("stripe", "pi_1", U, 50_000);
        refunded("stripe", "pi_1", U);
        h.topUp(U, 60_000);
        h.messenger.drain();

        ExternalReversal again = refunded("stripe", "pi_1", U);

        assertThat(again).isEqualTo(new ExternalReversal.AlreadyTakenBack(new ExternalRefund("stripe", "pi_1", U),
                50_000));
        assertThat(h.balance(U)).isEqualTo(60_000);
        assertThat(audit("external:stripe:pi_1")).extracting(AuditEvent::action)
                .containsExactly("topup.external", "topup.external_refund");
        assertThat(h.messenger.drain()).as("nobody is told twice").isEmpty();
    }

    /**
     * Stripe sends charge.refunded for a refund of part of a payment too: $5 of a $50 top-up takes $5 from the wallet,
     * not the $50, and each refund of the payment is taken back once by the provider's refund id.
     */
    @Test
    void aRefundOfPartOfAPaymentTakesBackItsAmountAloneOnceByItsRefundId() {
        credit("stripe", "pi_1", U, 50_000);
        h.messenger.drain();

        ExternalReversal first = refundedPart("pi_1", "re_1", U, 5_000);
        ExternalReversal replayed = refundedPart("pi_1", "re_1", U, 5_000);
        ExternalReversal second = refundedPart("pi_1", "re_2", U, 10_000);

        assertThat(first).isEqualTo(new ExternalReversal.TakenBack(part("pi_1", "re_1", U, 5_000), 5_000, 0, 45_000));
        assertThat(replayed).isEqualTo(new ExternalReversal.AlreadyTakenBack(part("pi_1", "re_1", U, 5_000), 5_000));
        assertThat(second).isEqualTo(new ExternalReversal.TakenBack(part("pi_1", "re_2", U, 10_000), 10_000, 0,
                35_000));
        assertThat(h.balance(U)).isEqualTo(35_000);
        assertThat(h.stores.ledger().find("external-refund:stripe:pi_1 re_1")).get().satisfies(t -> {
            assertThat(t.debit()).isEqualTo(AccountId.wallet(U));
            assertThat(t.credit()).isEqualTo(AccountId.EXTERNAL_CLEARING);
            assertThat(t.kind()).isEqualTo(TransferKind.EXTERNAL_REFUND);
            assertThat(t.amount()).isEqualTo(5_000);
        });
        assertThat(h.stores.ledger().find("external-refund:stripe:pi_1")).as("the whole payment's id stays free")
                .isEmpty();
        assertThat(audit("external:stripe:pi_1")).extracting(AuditEvent::detail).containsExactly(
                "stripe pi_1 -> 50000", "stripe pi_1: refund re_1 of 5000, took back 5000",
                "stripe pi_1: refund re_2 of 10000, took back 10000");
        List<Reply> sent = h.messenger.drain();
        assertThat(sent).as("the user alone, once a refund").extracting(Reply::chatId).containsExactly(U, U);
        assertThat(lastText(sent.subList(0, 1))).as("the payment it is part of, not a payment of 50 ₽").isEqualTo(
                "↩️ Вам вернули 50\u00A0₽ из платежа на 500\u00A0₽. С баланса списано 50\u00A0₽, теперь на балансе "
                        + "450\u00A0₽.");
        assertThat(lastText(h.speaking("ru").command(U, "payments"))).contains(
                "−100\u00A0₽ · возврат онлайн-пополнения · pi_1", "−50\u00A0₽ · возврат онлайн-пополнения · pi_1",
                "+500\u00A0₽ · онлайн-пополнение · pi_1").doesNotContain("re_1");
    }

    /**
     * The largest payment, {@code ExternalPayment.MAX_AMOUNT}, given back by one refund of part of the same amount (a
     * provider that reports every refund with its own id): the refund is made, takes the payment back whole and
     * leaves the wallet empty, as its largest refund may.
     */
    @Test
    void aRefundOfPartOfTheLargestAmountTakesTheLargestPaymentBackWhole() {
        credit("stripe", "pi_max", U, ExternalPayment.MAX_AMOUNT);

        ExternalReversal r = refundedPart("pi_max", "re_max", U, ExternalPayment.MAX_AMOUNT);

        assertThat(r).isEqualTo(new ExternalReversal.TakenBack(part("pi_max", "re_max", U, ExternalPayment.MAX_AMOUNT),
                ExternalPayment.MAX_AMOUNT, 0, 0));
        assertThat(h.balance(U)).isZero();
        assertThat(h.stores.ledger().balance(AccountId.EXTERNAL_CLEARING).posted()).isZero();
    }

    /** A payment's refunds together never take back more than it credited, whatever else the wallet holds. */
    @Test
    void refundsOfPartsNeverTakeBackMoreThanThePaymentTogether() {
        credit("stripe", "pi_1", U, 50_000);
        h.topUp(U, 100_000);
        h.messenger.drain();

        ExternalReversal first = refundedPart("pi_1", "re_1", U, 30_000);
        ExternalReversal second = refundedPart("pi_1", "re_2", U, 30_000);
        ExternalReversal third = refundedPart("pi_1", "re_3", U, 1_000);
        ExternalReversal whole = refunded("stripe", "pi_1", U);

        assertThat(first).isEqualTo(new ExternalReversal.TakenBack(part("pi_1", "re_1", U, 30_000), 30_000, 0,
                120_000));
        assertThat(second).as("what was left of the payment").isEqualTo(new ExternalReversal.TakenBack(
                part("pi_1", "re_2", U, 30_000), 20_000, 0, 100_000));
        assertThat(third).isEqualTo(new ExternalReversal.AlreadyTakenBack(part("pi_1", "re_3", U, 1_000), 0));
        assertThat(whole).isEqualTo(new ExternalReversal.AlreadyTakenBack(new ExternalRefund("stripe", "pi_1", U), 0));
        assertThat(h.balance(U)).isEqualTo(100_000);
        assertThat(h.stores.ledger().transfers(AccountId.EXTERNAL_CLEARING).stream()
                .filter(t -> t.kind() == TransferKind.EXTERNAL_REFUND).mapToLong(Transfer::amount).sum())
                .isEqualTo(50_000);
    }

    /** The whole payment reported after refunds of part of it (a chargeback of the rest) takes what is left of it. */
    @Test
    void theWholePaymentAfterRefundsOfPartOfItTakesTheRestOnce() {
        credit("stripe", "pi_1", U, 50_000);
        h.topUp(U, 100_000);
        refundedPart("pi_1", "re_1", U, 20_000);
        h.messenger.drain();

        ExternalReversal whole = refunded("stripe", "pi_1", U);
        ExternalReversal again = refunded("stripe", "pi_1", U);
        ExternalReversal replayedPart = refundedPart("pi_1", "re_1", U, 20_000);

        ExternalRefund refund = new ExternalRefund("stripe", "pi_1", U);
        assertThat(whole).isEqualTo(new ExternalReversal.TakenBack(refund, 30_000, 0, 100_000));
        assertThat(again).isEqualTo(new ExternalReversal.AlreadyTakenBack(refund, 30_000));
        assertThat(replayedPart).isEqualTo(new ExternalReversal.AlreadyTakenBack(part("pi_1", "re_1", U, 20_000),
                20_000));
        assertThat(h.balance(U)).isEqualTo(100_000);
        assertThat(lastText(h.messenger.drain())).isEqualTo("↩️ Платёж на 500\u00A0₽ возвращён. С баланса списано "
                + "300\u00A0₽, теперь на балансе 1\u00A0000\u00A0₽.");
    }

    /**
     * What the user spent of a refund of part of a payment is the shop's loss, told to the admins at each refund (not
     * at its repeats); a repeat takes nothing from money paid in since, also when the refund found nothing left.
     */
    @Test
    void whatTheUserSpentOfEachRefundOfPartIsTheShopsLossAndRepeatsTakeNothingPaidInSince() {
        credit("stripe", "pi_1", V, 50_000);
        spend(V, 48_000);
        h.messenger.drain();

        ExternalReversal first = refundedPart("pi_1", "re_1", V, 5_000);
        ExternalReversal second = refundedPart("pi_1", "re_2", V, 5_000);
        List<Reply> sent = h.messenger.drain();
        h.topUp(V, 10_000);
        ExternalReversal firstAgain = refundedPart("pi_1", "re_1", V, 5_000);
        ExternalReversal secondAgain = refundedPart("pi_1", "re_2", V, 5_000);

        assertThat(first).isEqualTo(new ExternalReversal.TakenBack(part("pi_1", "re_1", V, 5_000), 2_000, 3_000, 0));
        assertThat(second).isEqualTo(new ExternalReversal.TakenBack(part("pi_1", "re_2", V, 5_000), 0, 5_000, 0));
        assertThat(firstAgain).isEqualTo(new ExternalReversal.AlreadyTakenBack(part("pi_1", "re_1", V, 5_000),
                2_000));
        assertThat(secondAgain).isEqualTo(new ExternalReversal.AlreadyTakenBack(part("pi_1", "re_2", V, 5_000), 0));
        assertThat(h.balance(V)).isEqualTo(10_000);
        assertThat(h.messenger.drain()).as("nobody is told twice").isEmpty();
        assertThat(sent.stream().filter(m -> m.chatId() == V).map(m -> lastText(List.of(m)))).first().isEqualTo(
                "↩️ 50\u00A0₽ of your payment of 500\u00A0₽ was refunded. 20\u00A0₽ was taken from your balance, "
                        + "which is now 0\u00A0₽.");
        assertThat(sent.stream().filter(m -> m.chatId() == ShopHarness.ADMIN).map(m -> lastText(List.of(m))))
                .as("each refund by its own amount, of the payment's, and what it could not take")
                .containsExactly("⚠️ 50\u00A0₽ of payment pi_1 of 500\u00A0₽ through stripe, paid by User43 (id 43), was refunded, "
                                + "but only 20\u00A0₽ of it could be taken from the balance: the user had spent the "
                                + "rest. 30\u00A0₽ could not be taken: the shop loses it.",
                        "⚠️ 50\u00A0₽ of payment pi_1 of 500\u00A0₽ through stripe, paid by User43 (id 43), was refunded, "
                                + "but only 0\u00A0₽ of it could be taken from the balance: the user had spent the "
                                + "rest. 50\u00A0₽ could not be taken: the shop loses it.");
        assertThat(audit("external:stripe:pi_1")).extracting(AuditEvent::detail).contains(
                "stripe pi_1: refund re_1 of 5000, took back 2000; 3000 was spent before the refund: the shop's loss");
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        assertThat(lastText(h.admin("find", "pi_1"))).contains("stripe pi_1: возврат re_1 на 50\u00A0₽, с баланса "
                + "списано 20\u00A0₽; 30\u00A0₽ было потрачено до возврата — это убыток магазина")
                .doesNotContain("took back");
    }

    /**
     * A refund of part that found the wallet empty still gave its money back to the buyer: the whole payment reported
     * after it (a chargeback of the rest) takes what the provider gave back after it, the rest of the payment, not the
     * whole payment from money the user paid in since.
     */
    @Test
    void theWholePaymentAfterARefundOfPartThatFoundNothingTakesOnlyTheRest() {
        credit("stripe", "pi_1", U, 100_000);
        spend(U, 100_000);
        ExternalReversal first = refundedPart("pi_1", "re_1", U, 60_000);
        h.topUp(U, 100_000);
        h.messenger.drain();

        ExternalReversal whole = refunded("stripe", "pi_1", U);

        assertThat(first).isEqualTo(new ExternalReversal.TakenBack(part("pi_1", "re_1", U, 60_000), 0, 60_000, 0));
        assertThat(whole).isEqualTo(new ExternalReversal.TakenBack(new ExternalRefund("stripe", "pi_1", U), 40_000, 0,
                60_000));
        assertThat(h.balance(U)).isEqualTo(60_000);
        assertThat(refundedPart("pi_1", "re_2", U, 1_000)).as("nothing of the payment is left")
                .isEqualTo(new ExternalReversal.AlreadyTakenBack(part("pi_1", "re_2", U, 1_000), 0));
        assertThat(h.balance(U)).isEqualTo(60_000);
    }

    /**
     * The whole payment reported after a refund of part of it gives back the rest: the admins' alert names what it
     * gave back, of the payment's amount, and what it could not take («вернули платёж на 600 ₽» misread a payment of
     * 1 000 ₽).
     */
    @Test
    void theAdminsAlertOfTheRestOfAPaymentNamesWhatItGaveBackOfThePayment() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        credit("stripe", "pi_1", U, 100_000);
        refundedPart("pi_1", "re_1", U, 40_000);
        spend(U, 60_000);
        h.messenger.drain();

        ExternalReversal rest = refunded("stripe", "pi_1", U);

        assertThat(rest).isEqualTo(new ExternalReversal.TakenBack(new ExternalRefund("stripe", "pi_1", U), 0, 60_000,
                0));
        assertThat(lastText(sentTo(ShopHarness.ADMIN))).isEqualTo("⚠️ Через stripe вернули 600\u00A0₽ из платежа "
                + "pi_1 на 1\u00A0000\u00A0₽ — платил User42 (ID 42), а с баланса удалось списать только 0\u00A0₽: "
                + "остальное пользователь уже потратил. Не списано 600\u00A0₽ — магазин теряет эти деньги.");
    }

    /** The whole payment given back (even when it found nothing on the wallet) leaves nothing for a refund of part. */
    @Test
    void aRefundOfPartAfterTheWholePaymentWasGivenBackTakesNothing() {
        credit("stripe", "pi_1", U, 50_000);
        spend(U, 50_000);
        refunded("stripe", "pi_1", U);
        credit("stripe", "pi_2", U, 20_000);
        refunded("stripe", "pi_2", U);
        h.topUp(U, 10_000);
        h.messenger.drain();

        ExternalReversal nothingFound = refundedPart("pi_1", "re_1", U, 5_000);
        ExternalReversal takenWhole = refundedPart("pi_2", "re_2", U, 5_000);

        assertThat(nothingFound).isEqualTo(new ExternalReversal.AlreadyTakenBack(part("pi_1", "re_1", U, 5_000), 0));
        assertThat(takenWhole).isEqualTo(new ExternalReversal.AlreadyTakenBack(part("pi_2", "re_2", U, 5_000), 0));
        assertThat(h.balance(U)).isEqualTo(10_000);
        assertThat(h.messenger.drain()).isEmpty();
    }

    /**
     * The payment was credited in the shop's currency: a refund in another is refused, saying what to do, audited and
     * told to the admins once (it was thrown, before any audit line, and nobody heard of it).
     */
    @Test
    void aRefundInAnotherCurrencyThanThePaymentsIsRefusedTakesNothingAndTheAdminsAreToldOnce() {
        credit("stripe", "pi_1", U, 50_000);
        h.messenger.drain();

        ExternalReversal refused = h.shop.externalTopUps().refunded(part("pi_1", "re_1", U, 5_000).in("eur"));
        h.deliver();
        ExternalReversal retried = h.shop.externalTopUps().refunded(part("pi_1", "re_1", U, 5_000).in("eur"));
        h.deliver();

        assertThat(refused).isInstanceOfSatisfying(ExternalReversal.Refused.class, r -> {
            assertThat(r.reason()).isEqualTo(ExternalReversal.Reason.WRONG_CURRENCY);
            assertThat(r.detail()).contains("is in EUR, the payment was credited in RUB",
                    "Report the refund's amount in RUB minor units without the currency");
        });
        assertThat(retried).isEqualTo(refused);
        assertThat(h.balance(U)).isEqualTo(50_000);
        assertThat(audit("external:stripe:pi_1")).extracting(AuditEvent::action).containsExactly("topup.external",
                "topup.external_refund_wrong_currency", "topup.external_refund_wrong_currency");
        List<Reply> sent = h.messenger.drain();
        assertThat(sent).as("the user hears nothing of it").noneMatch(r -> r.chatId() == U);
        assertThat(sent).as("the admin, once").singleElement().satisfies(r -> assertThat(lastText(List.of(r)))
                .isEqualTo("⚠️ A refund through stripe was not taken: the refund of €50 of payment pi_1, paid by User42 (id 42), "
                        + "came in another currency, and the payment was credited in RUB. Nothing was taken from the "
                        + "balance; check the refund with the payment provider."));

        assertThat(h.shop.externalTopUps().refunded(part("pi_1", "re_1", U, 5_000).in("rub")))
                .isInstanceOf(ExternalReversal.TakenBack.class);
        assertThat(h.balance(U)).isEqualTo(45_000);
    }

    @Test
    void aRefundOfPartWithWrongValuesIsRefusedWhenItIsMade() {
        assertThatThrownBy(() -> part("pi_1", "re 1", U, 5_000)).hasMessageContaining("without spaces");
        assertThatThrownBy(() -> part("pi_1", null, U, 5_000)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("providerRefundId");
        assertThatThrownBy(() -> part("pi_1", "re_1", U, 0)).hasMessageContaining("minor units");
        assertThatThrownBy(() -> part("pi_1", "re_1", U, ExternalPayment.MAX_AMOUNT + 1))
                .hasMessageContaining("MAX_AMOUNT");
        assertThatThrownBy(() -> new ExternalRefund("stripe", "pi_1", U).in("usd"))
                .hasMessageContaining("whole payment");
        assertThatThrownBy(() -> new ExternalRefund("stripe", "pi_1", U, java.util.Optional.of("re_1"),
                java.util.OptionalLong.empty(), java.util.Optional.empty())).hasMessageContaining("both");
        assertThat(part("pi_1", "re_1", U, 5_000).refundId()).isEqualTo("external-refund:stripe:pi_1 re_1");
        assertThat(part("pi_1", "re_1", U, 5_000).whole()).isFalse();
        assertThat(new ExternalRefund("stripe", "pi_1", U).whole()).isTrue();
    }

    /**
     * Two reports of one refund at once: the second read the ledger before the first committed (no refund under its
     * id yet), and asks the same transfer, which the ledger then finds made. It is that refund already taken back, with
     * what the first took, and nothing more moves: the ledger decided their race, as the class promises. Without that
     * answer the second report was thrown to the partner as a failure of the stores.
     */
    @Test
    void aSecondReportOfARefundRacingTheFirstIsAlreadyTakenBackWithWhatTheFirstTook() {
        credit("stripe", "pi_1", U, 50_000);
        refunded("stripe", "pi_1", U);
        h.messenger.drain();
        String refundId = ExternalRefund.refundId("stripe", "pi_1");
        // the second report's reads, made before the first report's transaction committed
        dev.kiebot.core.shop.Shop racing = h.anotherInstance(s -> s.withLedger(
                new dev.kiebot.core.ledger.ForwardingLedger(s.ledger()) {
                    @Override
                    public java.util.Optional<Transfer> find(String id) {
                        return id.equals(refundId) ? java.util.Optional.empty() : super.find(id);
                    }
                }));

        ExternalReversal second = racing.externalTopUps().refunded(new ExternalRefund("stripe", "pi_1", U));

        assertThat(second).isEqualTo(new ExternalReversal.AlreadyTakenBack(new ExternalRefund("stripe", "pi_1", U),
                50_000));
        assertThat(h.balance(U)).isZero();
        assertThat(h.stores.externalRefundDues().of("external:stripe:pi_1")).hasSize(1);
        assertThat(audit("external:stripe:pi_1")).extracting(AuditEvent::action)
                .containsExactly("topup.external", "topup.external_refund");
    }

    /**
     * A refund of part of a payment taken back by an earlier build, before what each refund was due was kept: the
     * ledger has its transfer and no due. The payment's later refund of the whole takes back only the rest of it, by
     * that transfer, and leaves what the user paid in since: counting the part as nothing, it took the whole payment
     * again, 20.00 ₽ of the user's own money with it.
     */
    @Test
    void aRefundOfPartTakenBackBeforeDuesWereKeptCountsAgainstTheWholePaymentsRefund() {
        credit("stripe", "pi_1", U, 50_000);
        assertThat(h.stores.ledger().transfer(ExternalRefund.refundId("stripe", "pi_1") + ExternalRefund.PART + "re_1",
                AccountId.wallet(U), AccountId.EXTERNAL_CLEARING, 20_000, TransferKind.EXTERNAL_REFUND).succeeded())
                .isTrue();
        assertThat(h.stores.externalRefundDues().of("external:stripe:pi_1")).as("an earlier build's ledger").isEmpty();
        h.topUp(U, 60_000);

        ExternalReversal rest = refunded("stripe", "pi_1", U);

        assertThat(rest).isInstanceOfSatisfying(ExternalReversal.TakenBack.class,
                t -> assertThat(t.taken()).isEqualTo(30_000));
        assertThat(h.balance(U)).as("the 60.00 paid in since stays").isEqualTo(60_000);
    }
}
