package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.pacing.BotPacing;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.FakeFiles;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingCharts;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.core.testing.ScriptedStarsRefunds;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A shop built without executors of its own calls the chat platform after a commit on threads of its own: before, a
 * button's answer (and an admin's Stars refund, with every retry of the platform's) ran inside the commit on the
 * thread serving the update, keeping its database connection and {@code serve} until the platform answered.
 */
class CallsAfterCommitOffTheServingThreadTest {
    private final MutableClock clock = MutableClock.at("2026-12-05T12:00:00Z");
    private final CountDownLatch answered = new CountDownLatch(1);
    private final AtomicReference<Thread> answeredOn = new AtomicReference<>();

    private final Messenger platform = reply -> {
        if (reply instanceof Reply.AnswerCallback) {
            answeredOn.set(Thread.currentThread());
            answered.countDown();
        }
        return new Delivery.Sent(Optional.of(1L), List.of());
    };

    @Test
    void byDefaultAButtonsAnswerIsSentOffTheThreadServingTheUpdateOnADaemonThread() throws InterruptedException {
        Shop shop = Shop.builder().inMemoryForTests().catalog(TestCatalog.catalog())
                .pricing(dev.kiebot.core.catalog.Pricing.defaults()).stores(InMemoryStores.create(clock))
                .messenger(platform).provider(new ScriptedProvider()).files(new FakeFiles())
                .starsRefunds(new ScriptedStarsRefunds()).charts(new RecordingCharts()).clock(clock)
                .pacingClock(clock).settings(ShopSettings.defaults().withAdmission(AdmissionPolicy.off()))
                .freeDailyLimit(0).chatPacing(new ChatPacing(Duration.ZERO, 1)).botPacing(BotPacing.unlimited())
                .build();

        shop.storefront().serve(new Incoming(1, ShopHarness.actor(42, "en"),
                new Event.Callback("q1", "*|g|img/m9", Optional.of(1L))));

        assertThat(answered.await(1, TimeUnit.MINUTES)).as("the press was answered").isTrue();
        assertThat(answeredOn.get()).as("not on the serving thread").isNotSameAs(Thread.currentThread());
        assertThat(answeredOn.get().isDaemon()).as("a forgotten close keeps no JVM up").isTrue();
        assertThat(answeredOn.get().getName()).startsWith("shop-answers-");
    }
}
