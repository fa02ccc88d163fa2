package dev.kiebot.runtime.intake;

import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.FakeFiles;
import dev.kiebot.core.testing.RecordingCharts;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.core.testing.ScriptedStarsRefunds;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Clock;
import java.time.Duration;

/** A shop on the given stores whose outside world is scripted: for tests of how the runtime drives it. */
public final class ScriptedShop {
    private ScriptedShop() {
    }

    /**
     * Everything set, ready to build or to change further: no inbound limit (these tests send many updates at one
     * instant), no per-chat pacing, a scripted provider.
     */
    public static Shop.Builder builder(Stores stores, RecordingMessenger messenger, Clock clock) {
        return Shop.builder().catalog(TestCatalog.catalog())
                .pricing(dev.kiebot.core.catalog.Pricing.defaults()).stores(stores).messenger(messenger)
                .provider(new ScriptedProvider()).files(new FakeFiles()).starsRefunds(new ScriptedStarsRefunds())
                .charts(new RecordingCharts()).clock(clock)
                .settings(ShopSettings.defaults().withAdmission(AdmissionPolicy.off()))
                .freeDailyLimit(dev.kiebot.core.catalog.FreeTier.DEFAULT_DAILY_LIMIT)
                .chatPacing(new ChatPacing(Duration.ZERO, 1))
                // the calls after a commit (answers, Stars refunds) on the committing thread, as the runtime's pools
                // would have run them by the time the test looks (a shop's default is threads of its own)
                .answers(Runnable::run);
    }

    /** With the given per-chat pacing. */
    static Shop on(Stores stores, RecordingMessenger messenger, Clock clock, ChatPacing pacing, Clock pacingClock) {
        return builder(stores, messenger, clock).chatPacing(pacing).pacingClock(pacingClock).build();
    }

    /** Without per-chat pacing. */
    static Shop on(Stores stores, RecordingMessenger messenger, Clock clock) {
        return on(stores, messenger, clock, new ChatPacing(Duration.ZERO, 1), clock);
    }
}
