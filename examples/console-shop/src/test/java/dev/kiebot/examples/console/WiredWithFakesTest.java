package dev.kiebot.examples.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.pacing.ChatPacing;
import dev.kiebot.core.payments.ExternalCredit;
import dev.kiebot.core.payments.ExternalPayment;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.reports.ChartRenderer;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.Stores;
import dev.kiebot.core.testing.FakeFiles;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.RecordingMessenger;
import dev.kiebot.core.testing.ScriptedProvider;
import dev.kiebot.core.testing.ScriptedStarsRefunds;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.memory.InMemoryStores;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The README's embedding ("Embedding core in your own bot") wired by hand in a test, with core-testing's fakes where
 * your ports go: a shop in dollars, a user paid through your own payment provider, a conversation to a paid
 * generation, the provider's result delivered and charged. Copy it to test your own wiring without a database or a
 * chat platform; the shop that takes money gets durable stores ({@code ConsoleShop}: PostgreSQL).
 */
class WiredWithFakesTest {
    private static final long ANN = 42;
    private static final long ADMIN = 1;

    private final MutableClock clock = MutableClock.at("2026-12-01T10:00:00Z");
    private final Stores stores = InMemoryStores.create(clock); // test scope only: nothing survives the process
    private final RecordingMessenger messenger = new RecordingMessenger();
    private final ScriptedProvider provider = new ScriptedProvider();
    private final Shop shop = Shop.builder().inMemoryForTests()
            .catalog(ExampleCatalog.create())
            .pricing(new Pricing(BigDecimal.ONE, new BigDecimal("2"), "USD")) // dollars, twice the provider's price
            .stores(stores).messenger(messenger).provider(provider).files(new FakeFiles())
            .starsRefunds(new ScriptedStarsRefunds()).charts(ChartRenderer.none())
            .clock(clock)
            .settings(ShopSettings.defaults().withAdmins(Set.of(ADMIN)).withZone(ZoneId.of("Europe/Berlin"))
                    .withStars(List.of(100L, 500L), 1)) // a Star credits one cent
            .freeDailyLimit(0)
            // pacing runs on real time (pacingClock), not the test's clock: with Telegram's one message a second per
            // chat, a reply queued right after another is not due yet when the test drains the outbox
            .chatPacing(new ChatPacing(Duration.ZERO, 1))
            .build();
    private long updateId = 1;

    @Test
    void aConversationToAPaidGenerationOnTheFakes() {
        assertThat(say(new Event.Command("start", ""))).extracting(Reply::chatId).containsOnly(ANN);

        // your payment provider's verified webhook: $5.00 in cents
        assertThat(shop.externalTopUps().credit(new ExternalPayment("stripe", "pi_1", ANN, 500)))
                .isInstanceOf(ExternalCredit.Credited.class);

        // the buttons' data are the shop's own: press what the replies offer, as a user's client does
        say(new Event.Callback("q1", "*|g|example/painter", Optional.of(1L)));
        List<Reply> confirm = say(new Event.Text("a fox"));
        assertThat(ShopHarness.lastText(confirm)).contains("Price: $0.04"); // English writes the dollar first
        say(new Event.Callback("q2", ShopHarness.button(confirm, "Generate"), Optional.of(2L)));

        // ShopWork runs the job worker and the outbox on its threads; a test takes their steps itself
        assertThat(shop.worker().runOnce(10)).isEqualTo(1); // submitted to the provider
        String taskId = stores.jobs().recent(ANN, 1).get(0).taskId().orElseThrow();
        provider.succeed(taskId, "https://example.invalid/fox.png");
        clock.advance(Duration.ofSeconds(5)); // the next status read is due
        shop.worker().runOnce(10);
        shop.sender().drain(100);

        assertThat(messenger.of(Reply.SendMedia.class)).singleElement()
                .satisfies(m -> assertThat(m.source()).isEqualTo("https://example.invalid/fox.png"));
        assertThat(stores.jobs().recent(ANN, 1).get(0).state()).isEqualTo(JobState.DELIVERED);
        assertThat(stores.ledger().balance(AccountId.wallet(ANN)).available()).isEqualTo(500 - 4);
    }

    /** One update served, and what it queued delivered (the outbox's step ShopWork takes in a running bot). */
    private List<Reply> say(Event event) {
        messenger.drain();
        shop.storefront().serve(new Incoming(updateId++, new Actor(ANN, ANN, "Ann", Optional.empty(),
                Optional.of("en")), event));
        shop.sender().drain(100);
        return messenger.drain();
    }
}
