package dev.kiebot.runtime.work;

import static dev.kiebot.core.testing.ShopHarness.button;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.ShopWork;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.intake.ScriptedShop;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A broadcast's "finished" mark and its final report to the admin commit together, on the real PostgreSQL: the
 * mark is true only once, so a report lost after it (the database gone between them) was never sent (found by a
 * review).
 */
class BroadcastFinalReportTest {
    private static final long ADMIN = 5_590_900;
    private static final long ANN = 5_590_001;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    private final RecordingMessenger messenger = new RecordingMessenger();
    private final AtomicLong updates = new AtomicLong();
    private FailingOutbox outbox;
    private Shop shop;
    private ShopWork.Parts broadcasts;

    @BeforeEach
    void emptyDatabase() {
        Stores pg = TestDatabase.emptyStores(clock);
        outbox = new FailingOutbox(pg.pendingReplies());
        Stores stores = FailingOutbox.around(pg, outbox);
        shop = ScriptedShop.builder(stores, messenger, clock)
                .settings(ShopSettings.defaults().withAdmins(Set.of(ADMIN)).withAdmission(AdmissionPolicy.off()))
                .build();
        broadcasts = ShopWork.Parts.of(shop, ShopWork.Settings.defaults().withBatch(100), clock);
        send(ADMIN, new Event.Command("start", ""));
        send(ANN, new Event.Command("start", ""));
    }

    private List<Reply> send(long user, Event event) {
        messenger.drain();
        shop.storefront().serve(new Incoming(updates.incrementAndGet(),
                new Actor(user, user, "User", Optional.empty(), Optional.of("en")), event));
        shop.sender().drain(100);
        return messenger.drain();
    }

    private List<String> reportsToTheAdmin() {
        return messenger.texts().stream().filter(t -> t.contains("finished")).toList();
    }

    @Test
    void aFinalReportThatCannotBeQueuedLeavesTheBroadcastUnfinishedAndTheNextTickReportsItOnce() {
        List<Reply> draft = send(ADMIN, new Event.Command("broadcast", "News"));
        send(ADMIN, new Event.Callback("cb-1", button(draft, "Send"), Optional.empty()));
        outbox.unreachable.add(ADMIN);

        assertThatThrownBy(() -> broadcasts.sendBroadcasts()).hasStackTraceContaining("outbox unavailable");
        shop.sender().drain(100);
        assertThat(reportsToTheAdmin()).isEmpty();

        outbox.reachable(ADMIN);
        broadcasts.sendBroadcasts();
        broadcasts.sendBroadcasts();
        shop.sender().drain(100);
        assertThat(reportsToTheAdmin()).as("before: never, the broadcast was marked finished already")
                .singleElement().satisfies(t -> assertThat(t).contains("sent 2 of 2"));
    }
}
