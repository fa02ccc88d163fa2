package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.pacing.BotPacing;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.FakeFiles;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingCharts;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.core.testing.ScriptedStarsRefunds;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The machine's clock steps back (NTP setting right a clock that ran ahead): a chat whose turn was set on the clock
 * before the step gets its reply in its turn, not the step later; a chat the platform deferred still waits what the
 * platform asked.
 */
class PacingClockStepBackTest {
    private static final long CHAT = 42;
    private static final Duration STEP = Duration.ofMinutes(10);

    private final MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
    private final RecordingMessenger telegram = new RecordingMessenger();
    private final Stores memory = InMemoryStores.create(clock);

    private ReplySender sender(Messenger messenger) {
        return Shop.builder().inMemoryForTests().catalog(TestCatalog.catalog())
                .pricing(dev.kiebot.core.catalog.Pricing.defaults()).stores(memory).messenger(messenger)
                .provider(new ScriptedProvider()).files(new FakeFiles()).starsRefunds(new ScriptedStarsRefunds())
                .charts(new RecordingCharts()).clock(clock).pacingClock(clock)
                .settings(ShopSettings.defaults().withAdmission(AdmissionPolicy.off()))
                .freeDailyLimit(dev.kiebot.core.catalog.FreeTier.DEFAULT_DAILY_LIMIT)
                .chatPacing(new ChatPacing(Duration.ZERO, 1)).botPacing(BotPacing.unlimited()).build()
                .sender();
    }

    private void queue(String text) {
        memory.pendingReplies().append(List.of(Outgoing.plain(new Reply.SendText(CHAT, text, Keyboard.NONE))),
                clock.instant());
    }

    /**
     * A chat served, then a reply queued for it, due at once; the clock steps back ten minutes before the sender looks:
     * the reply goes at once, not ten minutes later.
     */
    @Test
    void aReplyQueuedBeforeTheClockSteppedBackGoesAtOnceNotTheStepLater() {
        ReplySender sender = sender(telegram);
        queue("first");
        sender.drain(10);
        queue("second");

        clock.advance(STEP.negated());

        assertThat(sender.drain(10)).isEqualTo(1);
        assertThat(telegram.texts()).containsExactly("first", "second");
    }

    /**
     * Deferred by the platform for five minutes (a long 429), then the clock steps back: the reply waits the five
     * minutes still, neither the step more nor cut short.
     */
    @Test
    void aDeferredReplyWaitsWhatThePlatformAskedAfterTheClockSteppedBack() {
        AtomicBoolean busy = new AtomicBoolean(true);
        Messenger messenger = reply -> busy.getAndSet(false)
                ? new Delivery.Deferred(Duration.ofMinutes(5), "429 retry_after 300") : telegram.send(reply);
        ReplySender sender = sender(messenger);
        queue("result");
        sender.drain(10);
        assertThat(telegram.texts()).as("deferred").isEmpty();

        clock.advance(STEP.negated());
        sender.drain(10);
        clock.advance(Duration.ofMinutes(4));
        sender.drain(10);
        assertThat(telegram.texts()).as("four minutes into its five").isEmpty();

        clock.advance(Duration.ofMinutes(1));
        sender.drain(10);
        assertThat(telegram.texts()).containsExactly("result");
    }
}
