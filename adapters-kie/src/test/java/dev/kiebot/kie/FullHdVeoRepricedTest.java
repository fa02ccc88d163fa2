package dev.kiebot.kie;

import static dev.kiebot.core.testing.ShopHarness.button;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.Reconciliation;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.kie.catalog.KieCatalog;
import dev.kiebot.kie.fake.FakeKieServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Veo 3.1 Fast video ordered in 1080p at 50,70 ₽ (markup 2, 78 ₽ per dollar), and the bot restarted with other
 * prices before the 1080p file comes (review R2): its 720p video is charged on the job's terms, 46,80 ₽ as on the day
 * of the order, and the difference given back as the user is told. Charged at today's pricing, a markup raised to 2.2
 * priced the 720p at 51,48 ₽, the whole 50,70 ₽ kept while the user read «разницу вернул»; a markup lowered to 1.8
 * gave away 4,68 ₽ of it.
 */
class FullHdVeoRepricedTest {
    private static final long U = 42;
    private static final long START = 100_000;
    private static final long PRICE_1080P = 5_070;
    private static final long PRICE_720P = 4_680;

    private FakeKieServer kie;
    private ShopHarness h;

    @BeforeEach
    void start() {
        kie = FakeKieServer.start();
        h = new ShopHarness(KieCatalog.fromClasspath(), ShopSettings.defaults()
                .withAdmins(java.util.Set.of(ShopHarness.ADMIN))).speaking("ru");
        h.command(U, "start");
        h.topUp(U, START);
    }

    @AfterEach
    void close() {
        kie.close();
    }

    @Test
    void aMarkupRaisedWhileTheJobIsAtKieChargesThe720pAtTheOrdersPrice() {
        deliveredAfterARestartWith(b -> b.pricing(new Pricing(new BigDecimal("78.0"), new BigDecimal("2.2"), "RUB")));
    }

    @Test
    void aMarkupLoweredWhileTheJobIsAtKieChargesThe720pAtTheOrdersPrice() {
        deliveredAfterARestartWith(b -> b.pricing(new Pricing(new BigDecimal("78.0"), new BigDecimal("1.8"), "RUB")));
    }

    @Test
    void anExchangeRateChangedWhileTheJobIsAtKieChargesThe720pAtTheOrdersPrice() {
        deliveredAfterARestartWith(b -> b.pricing(new Pricing(new BigDecimal("95.0"), new BigDecimal("2.0"), "RUB")));
    }

    /** Kie's new list, a tenth dearer for every Veo variant: the order's terms stay what they were. */
    @Test
    void aCatalogRepricingBothVariantsChargesThe720pAtTheOrdersPrice() {
        Catalog shipped = KieCatalog.fromClasspath();
        Catalog dearer = Catalog.of(shipped.models().stream().map(m -> !m.id().equals("veo3.1-fast") ? m
                : new Model(m.id(), m.kieModel(), m.family(), m.category(), m.title(), m.description(), m.fields(),
                m.skus().stream().map(s -> new Sku(s.options(), s.kieUsd().multiply(new BigDecimal("1.1")),
                        s.source())).toList(), m.popularity())).toList());
        deliveredAfterARestartWith(b -> b.catalog(dearer));
    }

    private void deliveredAfterARestartWith(UnaryOperator<Shop.Builder> restart) {
        Shop shop = h.anotherInstance(s -> s, b -> b.provider(KieTestSupport.provider(kie)));
        h.press(U, "*|g|veo3.1-fast");
        List<Reply> r = h.text(U, "a cat on a roof");
        r = h.press(U, button(r, "Пропустить"));
        r = h.press(U, button(r, "16:9"));
        r = h.press(U, button(r, "1080p"));
        h.press(U, button(r, "Сгенерировать"));
        Job j = h.lastJob(U);
        assertThat(j.price()).isEqualTo(PRICE_1080P);
        shop.worker().runOnce(10);
        h.deliver();
        kie.fullHdReadyAfter(Integer.MAX_VALUE);
        kie.succeed(h.stored(j).taskId().orElseThrow());

        Shop restarted = h.anotherInstance(s -> s, b -> restart.apply(b.provider(KieTestSupport.provider(kie))));
        for (int minute = 1; minute <= 90 && !h.stored(j).state().isTerminal(); minute++) {
            h.clock.advance(Duration.ofMinutes(1));
            restarted.worker().runOnce(10);
            h.deliver();
        }

        assertThat(h.stored(j).state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.balance(U)).as("the 720p price of the day of the order").isEqualTo(START - PRICE_720P);
        assertThat(h.messenger.texts()).anySatisfy(t -> assertThat(t).contains("«720p»",
                "Разницу в цене, 3,90\u00a0₽, вернул на баланс"));
        assertThat(Reconciliation.check(h.stores.ledger())).isEmpty();
    }
}
