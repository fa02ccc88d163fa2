package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partner who serves updates but never starts {@link ShopWork} has every answer queued in the outbox and none
 * leaving, with no failure anywhere: the shop says so in its log, naming what to call, once replies have waited
 * past {@link WorkSignals#UNSENT_GRACE}; a shop whose replies someone sends says nothing.
 */
class NothingSendsTest {
    private final MutableClock pacing = MutableClock.at("2026-11-21T10:00:00Z");
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger(WorkSignals.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(MessageFormat.format(r.getMessage(), r.getParameters()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private ShopHarness h;
    private int updateId;

    @BeforeEach
    void setUp() {
        log.addHandler(handler);
        h = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults(), ManualPayments.off(),
                b -> b.pacingClock(pacing));
    }

    @AfterEach
    void tearDown() {
        log.removeHandler(handler);
    }

    /** A user's /start, served as a partner's bot serves it, then {@code later} passes. */
    private void userStarts(long userId, Duration later) {
        h.shop.storefront().serve(new Incoming(++updateId, ShopHarness.actor(userId, "en"),
                new Event.Command("start", "")));
        pacing.advance(later);
        h.clock.advance(later);
    }

    @Test
    void repliesQueuedAMinuteWithNothingSendingThemAreAnErrorNamingShopWorkStart() {
        userStarts(1, WorkSignals.UNSENT_GRACE.minusSeconds(1));
        userStarts(2, Duration.ofSeconds(1));
        assertThat(errors).as("within the grace: a start may come a moment after the build").isEmpty();

        userStarts(3, Duration.ofMinutes(5));
        userStarts(4, Duration.ZERO);

        assertThat(errors).as("once, not at every reply").hasSize(1);
        assertThat(errors.get(0)).contains("nothing sends them", "ShopWork.start(shop, ShopWork.Instances.ONE)",
                "shop.sender().sendNext()", "2026-11-21T10:00:00Z");

        userStarts(5, WorkSignals.UNSENT_TOLD_EVERY);
        userStarts(6, Duration.ZERO);
        assertThat(errors).as("again an hour later, while it lasts").hasSize(2);
    }

    @Test
    void aShopWhoseRepliesItsOwnerSendsSaysNothing() {
        userStarts(1, Duration.ZERO);
        h.deliver(); // the partner's own sending (a test's drain, a loop of sendNext)
        userStarts(2, Duration.ofMinutes(5));
        userStarts(3, Duration.ofMinutes(5));

        assertThat(errors).isEmpty();
    }

    @Test
    void aShopWhoseWorkStartedSaysNothing() {
        try (ShopWork work = ShopWork.start(h.shop, ShopWork.Instances.SEVERAL)) {
            userStarts(1, Duration.ofMinutes(5));
            userStarts(2, Duration.ofMinutes(5));
        }
        userStarts(3, Duration.ofMinutes(5)); // after the stop: replies wait for the next start, as documented

        assertThat(errors).isEmpty();
    }
}
