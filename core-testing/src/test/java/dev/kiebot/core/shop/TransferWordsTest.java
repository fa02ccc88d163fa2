package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.TransferKind;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.text.Texts;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A ledger line of /find says what the transfer is for in words, with the job, payment or request it names: the admin
 * read «(void:gen_2)», «(manual:upd:5001:1)», «(stars-refund:charge-1#2)», the ledger's keys.
 */
class TransferWordsTest {
    private static final long U = 42;
    private final ShopHarness h = new ShopHarness();
    private final Ledger ledger = h.stores.ledger();
    private final TransferWords words = new TransferWords(h.stores, new Texts(), Pricing.defaults(),
            ShopSettings.defaults());

    private String purpose(String lang, String id) {
        String line = words.line(lang, ledger.find(id).orElseThrow());
        return line.substring(line.lastIndexOf(" (") + 2, line.length() - 1);
    }

    @Test
    void everyTransferOfTheShopSaysWhatItIsFor() {
        AccountId wallet = AccountId.wallet(U);
        ledger.transfer("stars:charge-1", AccountId.STARS_CLEARING, wallet, 10_000, TransferKind.TOP_UP_STARS);
        ledger.hold("gen_2", wallet, AccountId.REVENUE, 546, TransferKind.GENERATION, h.clock.instant().plusSeconds(600));
        ledger.voidHold(Ledger.voidId("gen_2"), "gen_2");
        ledger.hold("gen_3", wallet, AccountId.REVENUE, 297, TransferKind.GENERATION, h.clock.instant().plusSeconds(600));
        ledger.post(Ledger.postId("gen_3"), "gen_3", 297);
        ledger.transfer(Ledger.refundId("gen_3"), AccountId.REVENUE, wallet, 297, TransferKind.REFUND);
        ledger.transfer("manual:7", AccountId.MANUAL_CLEARING, wallet, 30_000, TransferKind.TOP_UP_MANUAL);
        ledger.transfer("manual:upd:5001:1", AccountId.MANUAL_CLEARING, wallet, 2_500, TransferKind.TOP_UP_MANUAL);
        ledger.transfer("debit:upd:5002:1", wallet, AccountId.MANUAL_CLEARING, 500, TransferKind.DEBIT_MANUAL);
        ledger.hold(StarsRefundAttempts.holdId("charge-1", 2), wallet, AccountId.STARS_CLEARING, 7_500,
                TransferKind.STARS_REFUND, h.clock.instant().plusSeconds(600));
        ledger.transfer(StarsRefundAttempts.reportedId("charge-1") + "~2", wallet, AccountId.STARS_CLEARING, 100,
                TransferKind.STARS_REFUND);
        ledger.transfer("external:stripe:pi_1", AccountId.EXTERNAL_CLEARING, wallet, 5_000,
                TransferKind.TOP_UP_EXTERNAL);
        ledger.transfer("external-refund:stripe:pi_1", wallet, AccountId.EXTERNAL_CLEARING, 100,
                TransferKind.EXTERNAL_REFUND);
        ledger.transfer(Referrals.transferId(U), AccountId.PROMO_EXPENSE, AccountId.wallet(1), 100,
                TransferKind.REFERRAL_BONUS);
        ledger.transfer(Referrals.reversalId(U) + "~3", AccountId.wallet(1), AccountId.PROMO_EXPENSE, 100,
                TransferKind.REFERRAL_REVERSAL);
        ledger.transfer("welcome:2", AccountId.PROMO_EXPENSE, AccountId.wallet(2), 10, TransferKind.WELCOME_BONUS);
        ledger.transfer(Referrals.partReversalId(U, "external-refund:stripe:pi_1 re_1"), AccountId.wallet(2),
                AccountId.PROMO_EXPENSE, 10, TransferKind.REFERRAL_REVERSAL);
        ledger.transfer("welcome:" + U, AccountId.PROMO_EXPENSE, wallet, 100, TransferKind.WELCOME_BONUS);

        Map<String, String> ru = new LinkedHashMap<>();
        ru.put("stars:charge-1", "пополнение звёздами, платёж charge-1");
        ru.put("gen_2", "оплата gen_2");
        ru.put("void:gen_2", "возврат за gen_2");
        ru.put("post:gen_3", "оплата gen_3");
        ru.put("refund:gen_3", "возврат за gen_3");
        ru.put("manual:7", "пополнение картой или по СБП, заявка №\u00A07");
        ru.put("manual:upd:5001:1", "начислено администратором");
        ru.put("debit:upd:5002:1", "списано администратором");
        ru.put(StarsRefundAttempts.holdId("charge-1", 2), "возврат звёзд, платёж charge-1");
        ru.put(StarsRefundAttempts.reportedId("charge-1") + "~2", "возврат звёзд, платёж charge-1");
        ru.put("external:stripe:pi_1", "онлайн-оплата pi_1 через stripe");
        ru.put("external-refund:stripe:pi_1", "возврат онлайн-оплаты pi_1 через stripe");
        ru.put(Referrals.transferId(U), "бонус за приглашённого друга ID 42");
        ru.put(Referrals.reversalId(U) + "~3", "бонус за друга ID 42 списан");
        ru.put(Referrals.partReversalId(U, "external-refund:stripe:pi_1 re_1"), "бонус за друга ID 42 списан");
        ru.put("welcome:" + U, "приветственный бонус");
        ru.forEach((id, said) -> assertThat(purpose("ru", id)).as(id).isEqualTo(said));

        assertThat(purpose("en", "void:gen_2")).isEqualTo("refund of gen_2");
        assertThat(purpose("en", "manual:7")).isEqualTo("card or SBP top-up, request #7");
        assertThat(purpose("en", "debit:upd:5002:1")).isEqualTo("taken off by an admin");
        assertThat(purpose("en", Referrals.transferId(U))).isEqualTo("bonus for invited friend id 42");
    }

    /**
     * A friend with a 19-digit id (a Discord user's since 2022) is named in his bonus's lines as one of 10 is: his
     * id was read as at most 18 digits, and the line said a mere transfer of its kind.
     */
    @Test
    void aFriendWithANineteenDigitIdIsNamedAsAnyFriendIs() {
        long friend = 1150000000000000042L;
        ledger.transfer(Referrals.transferId(friend), AccountId.PROMO_EXPENSE, AccountId.wallet(1), 100,
                TransferKind.REFERRAL_BONUS);
        ledger.transfer(Referrals.reversalId(friend), AccountId.wallet(1), AccountId.PROMO_EXPENSE, 50,
                TransferKind.REFERRAL_REVERSAL);
        ledger.transfer(Referrals.partReversalId(friend, "external-refund:stripe:pi_1 re_1"), AccountId.wallet(1),
                AccountId.PROMO_EXPENSE, 10, TransferKind.REFERRAL_REVERSAL);
        assertThat(purpose("ru", Referrals.transferId(friend))).isEqualTo("бонус за приглашённого друга ID " + friend);
        assertThat(purpose("ru", Referrals.reversalId(friend))).isEqualTo("бонус за друга ID " + friend + " списан");
        assertThat(purpose("ru", Referrals.partReversalId(friend, "external-refund:stripe:pi_1 re_1")))
                .isEqualTo("бонус за друга ID " + friend + " списан");
    }

    /** An expired hold gives the money back: its line says so, as a void's does. */
    @Test
    void anExpiredHoldIsAReturnToo() {
        ledger.transfer("t", AccountId.STARS_CLEARING, AccountId.wallet(U), 1_000, TransferKind.TOP_UP_STARS);
        ledger.hold("gen_5", AccountId.wallet(U), AccountId.REVENUE, 546, TransferKind.GENERATION,
                h.clock.instant().plusSeconds(60));
        h.clock.advance(Duration.ofMinutes(2));
        ledger.expire(h.clock.instant(), 10);
        assertThat(purpose("ru", Ledger.expireId("gen_5"))).isEqualTo("возврат за gen_5");
    }

    /**
     * A balance is named as every admin screen names its user: «баланс пользователя 42» asked the admin to remember
     * whose id it was. One the shop does not know is «ID 77», not a bare number.
     */
    @Test
    void aBalanceNamesItsUser() {
        h.stores.users().seen(U, "Алиса", java.util.Optional.of("fox"), java.util.Optional.of("ru"), h.clock.instant());
        ledger.transfer("stars:charge-1", AccountId.STARS_CLEARING, AccountId.wallet(U), 10_000,
                TransferKind.TOP_UP_STARS);
        ledger.transfer("stars:charge-2", AccountId.STARS_CLEARING, AccountId.wallet(77), 10_000,
                TransferKind.TOP_UP_STARS);

        assertThat(words.line("ru", ledger.find("stars:charge-1").orElseThrow()))
                .contains(" · оплаты звёздами → баланс пользователя Алиса · @fox (ID 42) (");
        assertThat(words.line("ru", ledger.find("stars:charge-2").orElseThrow()))
                .contains(" · оплаты звёздами → баланс пользователя ID 77 (");
        assertThat(words.line("en", ledger.find("stars:charge-2").orElseThrow()))
                .contains(" · Stars payments → balance of id 77 (");
    }
}
