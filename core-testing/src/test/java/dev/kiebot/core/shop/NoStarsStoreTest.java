package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.intake.Inbox;
import dev.kiebot.core.payments.ExternalPayment;
import dev.kiebot.core.payments.Invoice;
import dev.kiebot.core.payments.Payments;
import dev.kiebot.core.payments.StarsCharge;
import dev.kiebot.core.payments.UncreditedCharge;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.FakeFiles;
import dev.kiebot.core.testing.MeteredPayments;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingCharts;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A partner whose shop sells no Stars ({@code ShopSettings.withoutStars()}: its own provider through
 * {@code shop.externalTopUps()}) gives {@code Payments.none()} rather than writing a Stars store it never uses: it
 * keeps nothing, finds nothing, refuses every write saying why, and only a shop without Stars is built on it.
 */
class NoStarsStoreTest {
    private static final long ANN = 42;
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    /** A Stars payment («ch-old») reaching the shop: audited under its charge, Ann told, the admins alerted. */
    private static void anOldStarsPaymentIsAuditedToldAndAlerted(ShopHarness h) {
        List<Reply> served = h.send(ANN, new Event.SuccessfulPayment("ch-old", "inv-old", "XTR", 50));
        assertThat(ShopHarness.lastTextTo(served, ANN)).contains("ch-old").contains("/paysupport");
        assertUnkeptAlert(ShopHarness.lastTextTo(served, ShopHarness.ADMIN), "ch-old");
        assertThat(h.stores.audit().byCorrelation("pay:ch-old")).extracting(AuditEvent::action)
                .containsExactly(TopUps.ANOMALY);
    }

    /** A shop without Stars, its admin and Ann started, on the stores {@code stores} makes for its clock. */
    private static ShopHarness aShopWithoutStarsOn(java.util.function.Function<MutableClock, Stores> stores) {
        ShopSettings settings = ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off()).withoutStars();
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), settings, ShopHarness.MANUAL, b -> b, stores);
        h.startedByAdminAnd(ANN);
        return h;
    }

    /** The in-memory stores with {@code Payments.none()} for the Stars store. */
    private static Stores withoutStarsStore(MutableClock clock) {
        return withPayments(clock, Payments.none());
    }

    /** The in-memory stores with a partner's decorator of {@code Payments.none()} (metering it) for the Stars store. */
    private static Stores withMeteredNone(MutableClock clock) {
        return withPayments(clock, new MeteredPayments(Payments.none()));
    }

    private static Stores withPayments(MutableClock clock, Payments payments) {
        Stores s = InMemoryStores.create(clock);
        return new Stores(s.users(), s.chatStates(), s.ledger(), s.jobs(), payments, s.freeUsage(),
                s.processedUpdates(), s.audit(), s.admissions(), s.broadcasts(), s.manualTopUps(), s.supportTickets(),
                s.figures(), s.pendingReplies(), s.transactions(), s.pausedModels(), s.externalRefundDues(), s.personalData());
    }

    @Test
    void itFindsNothingAndRefusesEveryWriteSayingTheShopSellsNoStars() {
        Payments none = Payments.none();
        assertThat(none).isSameAs(Payments.none());
        assertThat(none.keepsStars()).isFalse();
        assertThat(none.invoice("inv-1")).isEmpty();
        assertThat(none.charge("ch-1")).isEmpty();
        assertThat(none.lockCharge("ch-1")).isEmpty();
        assertThat(none.charges(ANN, 10)).isEmpty();
        assertThat(none.uncredited("ch-1")).isEmpty();
        assertThat(none.uncreditedCharges(ANN, 10)).isEmpty();
        List<Runnable> writes = List.of(
                () -> none.saveInvoice(new Invoice("inv-1", ANN, 50, 7_500, T0)),
                () -> none.recordCharge(new StarsCharge("ch-1", ANN, "inv-1", 50, 7_500, T0)),
                () -> none.recordUncredited(new UncreditedCharge("ch-1", ANN, "inv-1", 50, "no invoice", T0)),
                () -> none.claimUncreditedRefund("ch-1", T0, T0),
                () -> none.settleUncreditedRefund("ch-1", 1, true),
                () -> none.uncreditedRefunded("ch-1"));
        for (Runnable write : writes) {
            assertThatThrownBy(write::run).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("Payments.none()").hasMessageContaining("sells no Stars")
                    .hasMessageContaining("withoutStars()");
        }
        assertThat(none.charges(ANN, 10)).as("a refused write kept nothing").isEmpty();
    }

    @Test
    void aShopThatSellsStarsIsRefusedItNamingTheFix() {
        Shop.Builder builder = aBuilderOn(NoStarsStoreTest::withoutStarsStore);
        assertThatThrownBy(() -> builder.settings(ShopSettings.defaults()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Payments.none()")
                .hasMessageContaining("settings.withoutStars()").hasMessageContaining("StoresContract");
        assertThat(builder.settings(ShopSettings.defaults().withoutStars()).build().storefront()).isNotNull();
    }

    /** A shop's builder, all but its settings, on the stores {@code stores} makes for its clock. */
    private static Shop.Builder aBuilderOn(java.util.function.Function<MutableClock, Stores> stores) {
        MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
        return Shop.builder().inMemoryForTests().catalog(TestCatalog.catalog())
                .pricing(Pricing.defaults()).messenger(new RecordingMessenger()).provider(new ScriptedProvider())
                .files(new FakeFiles()).charts(new RecordingCharts()).clock(clock).freeDailyLimit(0)
                .starsRefunds((userId, chargeId) -> { throw new AssertionError("no refund here"); })
                .stores(stores.apply(clock));
    }

    /**
     * A partner's decorator of {@code Payments.none()} (metering its calls) is another object keeping no Stars all the
     * same: the builder goes by {@code keepsStars()}, not by identity, and refuses it in a shop selling Stars, where
     * every Stars payment would have failed to be kept after Telegram took the Stars.
     */
    @Test
    void aShopThatSellsStarsIsRefusedADecoratorOfItToo() {
        Shop.Builder builder = aBuilderOn(NoStarsStoreTest::withMeteredNone);
        assertThatThrownBy(() -> builder.settings(ShopSettings.defaults()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("keepsStars() is false")
                .hasMessageContaining("metered Payments.none()").hasMessageContaining("settings.withoutStars()");
        assertThat(builder.settings(ShopSettings.defaults().withoutStars()).build().storefront()).isNotNull();
    }

    /**
     * A Stars payment reaching a shop on a decorator of {@code Payments.none()} is kept in the audit trail and alerted,
     * as on {@code Payments.none()} itself: written to the store, it threw, and the update failed.
     */
    @Test
    void aStarsPaymentReachingAShopOnADecoratorOfItIsAuditedAndAlerted() {
        ShopHarness h = aShopWithoutStarsOn(NoStarsStoreTest::withMeteredNone);

        anOldStarsPaymentIsAuditedToldAndAlerted(h);
    }

    /**
     * Telegram's refund of a Stars payment reaching a shop whose stores keep no Stars payments (a shop that once sold
     * Stars on other stores): the bot cannot say whether the payment credited him, so the admins are told, once per
     * charge, with the command that takes a credit back. Before, only the audit trail knew, and he kept a credit whose
     * Stars went back to him.
     */
    @Test
    void aStarsRefundReachingAShopWithoutAStarsStoreIsToldToTheAdminsOnce() {
        ShopHarness h = aShopWithoutStarsOn(NoStarsStoreTest::withoutStarsStore);

        List<Reply> served = h.send(ANN, new Event.RefundedPayment("ch-1", "inv-1", "XTR", 50));
        assertThat(ShopHarness.lastTextTo(served, ShopHarness.ADMIN)).contains("ch-1", "50\u00a0⭐", "keeps no Stars",
                "/debit_user " + ANN);
        assertThat(h.send(ANN, new Event.RefundedPayment("ch-1", "inv-1", "XTR", 50)))
                .as("told once per charge").noneMatch(r -> ShopHarness.ADMIN == r.chatId());
    }

    /** Every screen that reads the Stars store answers on it: /topup, /payments, /paysupport's list, /find. */
    @Test
    void aShopWithoutStarsRunsOnIt() {
        ShopHarness h = aShopWithoutStarsOn(NoStarsStoreTest::withoutStarsStore);
        h.command(ANN, "topup");
        assertThat(lastText(h.press(ANN, "*|y"))).contains("card or SBP transfer");
        h.shop.externalTopUps().credit(new ExternalPayment("cards", "pay_1", ANN, 500_00));
        assertThat(lastText(h.command(ANN, "payments"))).contains("online top-up").doesNotContain("went wrong");
        List<Reply> found = h.admin("find", "pay_1");
        assertThat(lastText(found)).contains("pay_1").doesNotContain("went wrong");
        assertThat(lastText(h.admin("refund_stars", "ch-unknown"))).doesNotContain("went wrong");
        assertThat(lastText(h.admin("refund_stars", Long.toString(ANN)))).doesNotContain("went wrong");
    }
    /**
     * A Stars payment that reaches a shop on {@code Payments.none()} anyway (its pre-checkout approved by an earlier
     * deployment that sold Stars, or a second process on the same token) cannot be kept as not credited, but it must
     * not vanish: on every path (the payment itself, its apology, its give-up) the anomaly is audited under its charge
     * id, the user is told as for any payment not credited, and the admins get the charge id and user id to give the
     * Stars back by hand, told that /refund_stars cannot.
     */
    @Test
    void aStarsPaymentReachingAShopWithoutAStarsStoreIsAuditedToldAndAlertedNotLost() {
        ShopHarness h = aShopWithoutStarsOn(NoStarsStoreTest::withoutStarsStore);

        anOldStarsPaymentIsAuditedToldAndAlerted(h);

        Incoming failed = new Incoming(9_001, ShopHarness.actor(ANN, "en"),
                new Event.SuccessfulPayment("ch-failed", "inv-old", "XTR", 50));
        h.messenger.drain();
        h.stores.transactions().inOne(() -> {
            h.shop.storefront().apologize(failed);
            return null;
        });
        h.deliver();
        List<Reply> apologized = h.messenger.drain();
        assertThat(ShopHarness.lastTextTo(apologized, ANN)).contains("ch-failed").contains("/paysupport");
        assertUnkeptAlert(ShopHarness.lastTextTo(apologized, ShopHarness.ADMIN), "ch-failed");
        assertThat(h.stores.audit().byCorrelation("pay:ch-failed")).extracting(AuditEvent::action)
                .containsExactly(TopUps.ANOMALY);

        Incoming given = new Incoming(9_002, ShopHarness.actor(ANN, "en"),
                new Event.SuccessfulPayment("ch-given", "inv-old", "XTR", 50));
        h.stores.transactions().inOne(() -> {
            h.shop.storefront().givenUp(given, true);
            return null;
        });
        h.deliver();
        assertUnkeptAlert(ShopHarness.lastTextTo(h.messenger.drain(), ShopHarness.ADMIN), "ch-given");
        assertThat(h.stores.audit().byCorrelation("pay:ch-given")).extracting(AuditEvent::action)
                .containsExactly(TopUps.ANOMALY);
    }

    /**
     * A Stars payment given up with no answer whose admins' alert could not be queued ({@code Inbox.markGivenUp}'s
     * middle tier: {@code givenUp(in, false)}) on a shop that keeps no Stars store kept nothing: no store, no alert and
     * so no {@code payment.anomaly} line, and {@code /find <charge id>} found nothing. Its own line under
     * {@code pay:<charge id>} is what /find shows, and being no anomaly line, the same charge come again still alerts.
     */
    @Test
    void aStarsPaymentGivenUpWithoutItsAlertOnAShopWithoutAStarsStoreIsAuditedUnderItsCharge() {
        ShopHarness h = aShopWithoutStarsOn(NoStarsStoreTest::withoutStarsStore);
        h.messenger.drain();

        Incoming given = new Incoming(9_003, ShopHarness.actor(ANN, "en"),
                new Event.SuccessfulPayment("ch-alone", "inv-old", "XTR", 50));
        h.stores.transactions().inOne(() -> {
            h.shop.storefront().givenUp(given, false);
            return null;
        });
        h.deliver();
        assertThat(h.messenger.drain()).as("no alert").isEmpty();
        assertThat(h.stores.audit().byCorrelation("pay:ch-alone")).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo(Inbox.GIVEN_UP_KEPT_NOWHERE);
            assertThat(e.detail()).isEqualTo(ANN + " 50 XTR; update 9003");
        });
        assertThat(lastText(h.admin("find", "ch-alone"))).contains("ch-alone").contains("/refund_stars")
                .contains("kept nowhere").contains(ANN + " 50 XTR; update 9003");

        List<Reply> again = h.send(ANN, new Event.SuccessfulPayment("ch-alone", "inv-old", "XTR", 50));
        assertUnkeptAlert(ShopHarness.lastTextTo(again, ShopHarness.ADMIN), "ch-alone");
    }

    private static void assertUnkeptAlert(String alert, String chargeId) {
        assertThat(alert).contains(chargeId).contains(Long.toString(ANN)).contains("/refund_stars")
                .contains("by hand");
    }
}
