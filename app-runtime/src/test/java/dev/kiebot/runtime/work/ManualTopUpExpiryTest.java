package dev.kiebot.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.payments.ManualTopUp;
import dev.kiebot.core.payments.ManualTopUpDraft;
import dev.kiebot.core.payments.ManualTopUpState;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.intake.ScriptedShop;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Expiring an unconfirmed card / SBP request is all-or-nothing per request, checked on the real PostgreSQL:
 * when the user's message cannot be queued, the request stays open (and unaudited) for the next pass instead of
 * ending expired with nobody told; the next pass expires it and tells the user once.
 */
class ManualTopUpExpiryTest {
    private static final long ANN = 5_560_001;
    private static final long BOB = 5_560_002;
    private static final long ADMIN = 5_560_099;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    private final RecordingMessenger messenger = new RecordingMessenger();
    private FailingOutbox outbox;
    private Stores stores;
    private Shop shop;

    @BeforeEach
    void emptyDatabase() {
        Stores pg = TestDatabase.emptyStores(clock);
        outbox = new FailingOutbox(pg.pendingReplies());
        stores = FailingOutbox.around(pg, outbox);
        shop = ScriptedShop.builder(stores, messenger, clock).manualPayments(ShopHarness.MANUAL)
                .settings(ShopSettings.defaults().withAdmission(AdmissionPolicy.off()).withAdmins(Set.of(ADMIN)))
                .build();
    }

    private ManualTopUp request(long user, String reference) {
        stores.users().seen(user, "U" + user, Optional.empty(), Optional.of("en"), clock.instant());
        ManualTopUp r = stores.manualTopUps().create(new ManualTopUpDraft("k" + user, user, user, 500_00, reference,
                clock.instant(), clock.instant().plus(Duration.ofHours(48)))).orElseThrow();
        clock.advance(Duration.ofMinutes(1));
        return r;
    }

    private ManualTopUpState state(ManualTopUp r) {
        return stores.manualTopUps().find(r.id()).orElseThrow().state();
    }

    private List<String> expiredEvents() {
        return stores.audit().recent(50).stream().filter(e -> e.action().equals("manual.expired"))
                .map(AuditEvent::detail).toList();
    }

    @Test
    void aRequestWhoseUserCannotBeToldStaysOpenAndExpiresWithTheMessageLater() {
        ManualTopUp ann = request(ANN, "ANNREF");
        ManualTopUp bob = request(BOB, "BOBREF");
        clock.advance(Duration.ofHours(48));
        outbox.unreachable.add(ANN);

        assertThatThrownBy(() -> shop.upkeep().expireManualTopUps()).hasStackTraceContaining("outbox unavailable");
        assertThat(state(ann)).as("rolled back with its message").isEqualTo(ManualTopUpState.REQUESTED);
        assertThat(state(bob)).as("never reached: the pass stopped").isEqualTo(ManualTopUpState.REQUESTED);
        assertThat(expiredEvents()).isEmpty();
        assertThat(shop.sender().drain(100)).isZero();

        outbox.reachable(ANN);
        assertThat(shop.upkeep().expireManualTopUps()).isEqualTo(2);
        assertThat(state(ann)).isEqualTo(ManualTopUpState.EXPIRED);
        assertThat(state(bob)).isEqualTo(ManualTopUpState.EXPIRED);
        assertThat(expiredEvents()).containsExactlyInAnyOrder("ANNREF", "BOBREF");
        shop.sender().drain(100);
        assertThat(messenger.of(Reply.SendText.class)).extracting(Reply.SendText::chatId)
                .containsExactlyInAnyOrder(ANN, BOB);
        assertThat(messenger.texts()).allSatisfy(t -> assertThat(t).contains("has expired, and the payment was never confirmed"));
        assertThat(shop.upkeep().expireManualTopUps()).isZero();
    }

    @Test
    void oneFailedPassLeavesTheRequestsAlreadyExpiredWithTheirMessages() {
        ManualTopUp ann = request(ANN, "ANNREF");
        ManualTopUp bob = request(BOB, "BOBREF");
        clock.advance(Duration.ofHours(48));
        outbox.unreachable.add(BOB);

        assertThatThrownBy(() -> shop.upkeep().expireManualTopUps()).hasStackTraceContaining("outbox unavailable");
        assertThat(state(ann)).as("its own transaction, committed").isEqualTo(ManualTopUpState.EXPIRED);
        assertThat(state(bob)).isEqualTo(ManualTopUpState.REQUESTED);
        assertThat(expiredEvents()).containsExactly("ANNREF");
        shop.sender().drain(100);
        assertThat(messenger.of(Reply.SendText.class)).extracting(Reply.SendText::chatId).containsExactly(ANN);
    }
}
