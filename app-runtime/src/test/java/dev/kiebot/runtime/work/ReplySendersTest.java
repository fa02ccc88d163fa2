package dev.kiebot.runtime.work;

import static org.assertj.core.api.Assertions.assertThat;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.pacing.BotPacing;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.FakeFiles;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingCharts;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.core.testing.ScriptedStarsRefunds;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import dev.kiebot.runtime.loops.SafetyPoll;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The reply senders as a group: a chat's next turn, known only to the sender that just served the chat, reaches
 * the senders resting since before it.
 */
class ReplySendersTest {
    private static final long C = 11;
    private static final long D = 22;
    /**
     * How long the test waits for what should take moments, before it gives up: long, so that a loaded machine does
     * not fail it, and still far within the safety poll, the only other way a resting sender would look.
     */
    private static final Duration GIVE_UP = Duration.ofSeconds(30);
    private static final SafetyPoll SAFETY_POLL = new SafetyPoll(Duration.ofHours(1));

    /**
     * Found by a review: the only sender that knew chat C's next turn (it had just paced C) took chat D's slow
     * send next; the other had looked before C's turn existed and rested the whole safety poll, so C's second
     * reply, due 200 ms after its first, waited for D's send to end.
     */
    @Test
    void aPacedReplyIsSentWhileTheSenderThatPacedItIsBusyElsewhere() throws Exception {
        CountDownLatch dStarted = new CountDownLatch(1);
        CountDownLatch releaseD = new CountDownLatch(1);
        CountDownLatch cSecond = new CountDownLatch(1);
        AtomicInteger cSent = new AtomicInteger();
        Messenger messenger = reply -> {
            if (reply.chatId() == D) {
                dStarted.countDown();
                try {
                    releaseD.await(); // a slow media upload
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (cSent.incrementAndGet() == 2) {
                cSecond.countDown();
            }
            return new Delivery.Sent(Optional.of(1L), List.of());
        };
        MutableClock business = MutableClock.at("2026-11-21T10:00:00Z");
        Stores memory = InMemoryStores.create(business);
        AtomicInteger idleLooks = new AtomicInteger();
        PendingReplies outbox = counting(memory.pendingReplies(), idleLooks);
        Stores stores = memory.withPendingReplies(outbox, memory.transactions());
        Shop shop = Shop.builder().inMemoryForTests().catalog(TestCatalog.catalog())
                .pricing(dev.kiebot.core.catalog.Pricing.defaults()).stores(stores).messenger(messenger)
                .provider(new ScriptedProvider()).files(new FakeFiles()).starsRefunds(new ScriptedStarsRefunds())
                .charts(new RecordingCharts()).clock(business)
                .settings(ShopSettings.defaults().withAdmission(AdmissionPolicy.off()))
                .freeDailyLimit(dev.kiebot.core.catalog.FreeTier.DEFAULT_DAILY_LIMIT)
                .chatPacing(new ChatPacing(Duration.ofMillis(200), 1)).botPacing(BotPacing.unlimited()).build();
        ReplySenders senders = new ReplySenders(shop.sender(), 2, SAFETY_POLL);
        senders.start("t");
        try {
            long deadline = System.nanoTime() + GIVE_UP.toNanos();
            while (idleLooks.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(idleLooks.get()).as("both senders found nothing and rest").isGreaterThanOrEqualTo(2);
            // one commit queues two replies for C and one for D: one wake-up, as PgNotifier gives
            shop.outbox().sendAll(List.of(text(C, "c1"), text(C, "c2"), text(D, "d1")));
            senders.wake();
            assertThat(dStarted.await(GIVE_UP.toSeconds(), TimeUnit.SECONDS)).isTrue();
            // D's send lasts until the end of the test and the senders' safety poll is an hour: before, C's second
            // reply waited for either
            assertThat(cSecond.await(GIVE_UP.toSeconds(), TimeUnit.SECONDS))
                    .as("C's second reply (due 200 ms after its first) goes out while D's send is slow").isTrue();
        } finally {
            releaseD.countDown();
            senders.stop(Duration.ofSeconds(2));
        }
    }

    /**
     * Review L68: the senders' lines (a reply refused, a block, a retry_after, a media send that fell back to a link)
     * carried no correlation id, and an operator could not tie them to the update or job that made the reply. Now a
     * reply keeps the cid of the thread that queued it, and its sender logs with it; a reply queued with none is sent
     * with none, not with the last one's.
     */
    @Test
    void aSendersLineCarriesTheCidOfTheUpdateThatMadeTheReply() throws Exception {
        Messenger refusing = reply -> new Delivery.Failed("400 Bad Request: message is too long");
        MutableClock business = MutableClock.at("2026-11-21T10:00:00Z");
        Stores memory = InMemoryStores.create(business);
        Stores stores = memory.withPendingReplies(new RepliesWithOrigin(memory.pendingReplies()),
                memory.transactions());
        Shop shop = Shop.builder().inMemoryForTests().catalog(TestCatalog.catalog())
                .pricing(dev.kiebot.core.catalog.Pricing.defaults()).stores(stores).messenger(refusing)
                .provider(new ScriptedProvider()).files(new FakeFiles()).starsRefunds(new ScriptedStarsRefunds())
                .charts(new RecordingCharts()).clock(business)
                .settings(ShopSettings.defaults().withAdmission(AdmissionPolicy.off()))
                .freeDailyLimit(dev.kiebot.core.catalog.FreeTier.DEFAULT_DAILY_LIMIT)
                .chatPacing(new ChatPacing(Duration.ofMillis(1), 1)).botPacing(BotPacing.unlimited()).build();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(dev.kiebot.core.shop.ReplySender.class.getName());
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        org.slf4j.MDC.put("cid", "upd_4711");
        try {
            shop.outbox().sendAll(List.of(text(C, "c1")));
        } finally {
            org.slf4j.MDC.remove("cid");
        }
        shop.outbox().sendAll(List.of(text(D, "d1"))); // queued by a thread with no cid
        ReplySenders senders = new ReplySenders(shop.sender(), 1, SAFETY_POLL);
        senders.start("t");
        try {
            long deadline = System.nanoTime() + GIVE_UP.toNanos();
            while (notDelivered(lines).size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } finally {
            senders.stop(Duration.ofSeconds(2));
            logger.detachAppender(lines);
        }
        assertThat(notDelivered(lines)).hasSize(2);
        assertThat(notDelivered(lines)).filteredOn(e -> e.getFormattedMessage().contains(Actor.mask(C)))
                .singleElement().satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("cid", "upd_4711"));
        assertThat(notDelivered(lines)).filteredOn(e -> e.getFormattedMessage().contains(Actor.mask(D)))
                .singleElement().satisfies(e -> assertThat(e.getMDCPropertyMap()).doesNotContainKey("cid"));
    }

    private static List<ch.qos.logback.classic.spi.ILoggingEvent> notDelivered(
            ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines) {
        synchronized (lines) {
            return List.copyOf(lines.list).stream()
                    .filter(e -> e.getFormattedMessage().contains("was not delivered")).toList();
        }
    }

    private static Reply text(long chat, String t) {
        return new Reply.SendText(chat, t, Keyboard.NONE);
    }

    private static PendingReplies counting(PendingReplies delegate, AtomicInteger idleLooks) {
        return (PendingReplies) Proxy.newProxyInstance(PendingReplies.class.getClassLoader(),
                new Class<?>[]{PendingReplies.class}, (p, m, args) -> {
                    if (m.getName().equals("nextDueAfter")) {
                        idleLooks.incrementAndGet();
                    }
                    try {
                        return m.invoke(delegate, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
