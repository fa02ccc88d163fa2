package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.MoneyConfirmation;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.users.User;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admins' effects run for admins alone, wherever they come from. The conversation emits them only for an admin;
 * the place that runs them did not check, so a screen or a partner's path emitting one would have credited, decided a
 * card payment, refunded Stars or sent a broadcast for anyone.
 */
class AdminEffectsTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        h.command(U, "start");
    }

    private List<Reply> run(long userId, Effect e) {
        User user = h.stores.users().find(userId).orElseThrow();
        return h.stores.transactions().inOne(() -> h.shop.storefront().effects().run(e, user, userId, 9_999));
    }

    @Test
    void aUsersAdminEffectsDoNothingAndAnAdminsDo() {
        h.paid50Stars(U, "ch-1");
        ManualTopUp request = CardRequests.claimed500(h, U);
        String charge = h.stores.payments().charge("ch-1").orElseThrow().reference();
        h.messenger.drain();
        int auditBefore = h.stores.audit().recent(1_000).size();

        assertThat(run(U, new Effect.Admin("topup_user", U + " 1000"))).isEmpty();
        assertThat(run(U, new Effect.DecideManualTopUp(request.id(), Optional.of(request.createdAt()), true))).isEmpty();
        assertThat(run(U, new Effect.RefundStars(U, charge))).isEmpty();
        assertThat(run(U, new Effect.QueueBroadcast(1, Optional.empty(), Optional.empty()))).isEmpty();
        assertThat(run(U, new Effect.CancelBroadcast(1, Optional.empty()))).isEmpty();
        h.deliver();
        assertThat(h.messenger.drain()).isEmpty();
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(h.stores.manualTopUps().find(request.id()).orElseThrow().state())
                .isEqualTo(ManualTopUpState.CLAIMED_PAID);
        assertThat(h.starsRefunds.calls()).isEmpty();
        assertThat(h.stores.audit().recent(1_000)).hasSize(auditBefore);

        // a confirmation his chat kept from when he was an admin, pressed by a path other than the conversation's
        MoneyConfirmation his = new MoneyConfirmation(true, U, 100_000, 77, U, h.clock.instant().plusSeconds(60));
        h.sessions().save(U, h.session(U).withMoney(Optional.of(his)));
        assertThat(run(U, new Effect.SettleMoney(his.nonce(), true, Optional.empty(), Optional.of(his)))).isEmpty();
        assertThat(h.balance(U)).isEqualTo(7_500);
        assertThat(h.session(U).money()).as("left as it was").hasValue(his);

        run(ShopHarness.ADMIN, new Effect.DecideManualTopUp(request.id(), Optional.of(request.createdAt()), true));
        assertThat(h.balance(U)).isEqualTo(7_500 + 50_000);
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }
}
