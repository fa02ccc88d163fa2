package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.shop.ShopWork;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeTelegramServer.Failure;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pre-checkout's yes Telegram never took leaves the user at the payment sheet with Telegram's cancellation: he is
 * told in the chat, through the real messenger and the fake Telegram. Refused as too old inside the shop's own window
 * (the update reached the shop late), he hears it did not go through, with the package's button, as a yes late at its
 * handling is told; a kept yes the next start finds past its window, he hears it may not have gone through.
 */
class PreCheckoutAnswerNotTakenTest {
    private static final long CHAT = 700_300_402L;
    private static final String TOO_OLD = "query is too old and response timeout expired or query ID is invalid";

    private FakeTelegramServer fake;
    private TelegramMessenger messenger;
    private final MutableClock pacing = MutableClock.at("2026-12-05T12:00:00Z");

    @BeforeEach
    void setUp() {
        fake = FakeTelegramServer.start();
        messenger = TelegramMessenger.builder(fake.bot()).limits(OutboundLimiter.Settings.unlimited())
                .ticker(new FakeTicker()).mediaUrlsFrom(URI.create(fake.apiUrl())).build();
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    private ShopHarness harness(java.util.function.UnaryOperator<Shop.Builder> more) {
        return new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN))
                .withAdmission(AdmissionPolicy.off()), ShopHarness.MANUAL,
                b -> more.apply(b.messenger(messenger).pacingClock(pacing)));
    }

    /** {@code ShopHarness.invoiceFor50Stars} read from the fake: the harness's own messenger sees nothing here. */
    private String invoiceFor50Stars(ShopHarness h) {
        h.command(CHAT, "topup");
        h.press(CHAT, "*|y");
        h.press(CHAT, "*|t|50");
        List<FakeTelegramServer.Call> invoices = fake.callsTo("sendInvoice");
        assertThat(invoices).as(fake.transcript(CHAT)).isNotEmpty();
        return invoices.get(invoices.size() - 1).param("payload");
    }

    private String lastText() {
        return fake.messages(CHAT).get(fake.messages(CHAT).size() - 1).text();
    }

    @Test
    void aYesTelegramRefusesAsTooOldInsideOurWindowIsToldInTheChat() {
        ShopHarness h = harness(b -> b);
        String payload = invoiceFor50Stars(h);
        fake.failNext("answerPreCheckoutQuery", 1, Failure.badRequest(TOO_OLD));

        h.send(CHAT, new Event.PreCheckout("pcq-too-old", payload, "XTR", 50));

        assertThat(fake.callsTo("answerPreCheckoutQuery")).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(400));
        assertThat(lastText()).as(fake.transcript(CHAT)).contains("The payment did not go through",
                "No Stars were charged");
        assertThat(keptAnswersOnceForgotten(h)).as("forgotten: it went, and was refused").isEmpty();
    }

    /**
     * The kept answers once the shop's forgetting thread has had its turn: a sent answer is forgotten on a thread of
     * its own ({@code AnswerForgets}), after the call the fake has seen; read at once, a loaded machine still showed it.
     * Waits at most 10 s for the list to empty, then returns it as it is (for the assertion to show).
     */
    private static List<?> keptAnswersOnceForgotten(ShopHarness h) {
        long deadlineNanos = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!h.stores.pendingReplies().keptAnswers().isEmpty() && System.nanoTime() < deadlineNanos) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return h.stores.pendingReplies().keptAnswers();
    }

    @Test
    void aYesTelegramTakesTellsNothingMore() {
        ShopHarness h = harness(b -> b);
        String payload = invoiceFor50Stars(h);
        int before = fake.messages(CHAT).size();

        h.send(CHAT, new Event.PreCheckout("pcq-taken", payload, "XTR", 50));

        assertThat(fake.messages(CHAT)).hasSize(before);
    }

    @Test
    void aKeptYesTheNextStartFindsPastItsWindowIsToldInTheChat() {
        List<Runnable> neverRun = new ArrayList<>();
        ShopHarness h = harness(b -> b.answers(neverRun::add)); // the run dies before the answer's call
        String payload = invoiceFor50Stars(h);
        h.send(CHAT, new Event.PreCheckout("pcq-killed", payload, "XTR", 50));
        assertThat(h.stores.pendingReplies().keptAnswers()).hasSize(1);
        h.clock.advance(Duration.ofMinutes(3)); // the restart took longer than Telegram waits

        for (int start = 0; start < 2; start++) { // a second start finds nothing to tell
            Shop next = h.anotherInstance(s -> s, b -> b.answers(Runnable::run).messenger(messenger)
                    .pacingClock(pacing));
            ShopWork.start(next, ShopWork.Instances.ONE).close();
        }
        h.deliver();

        assertThat(fake.callsTo("answerPreCheckoutQuery")).as("not sent past its window").isEmpty();
        assertThat(fake.messages(CHAT)).filteredOn(m -> m.text() != null && m.text().contains(
                "The bot may not have confirmed your payment in time")).as(fake.transcript(CHAT)).hasSize(1);
        assertThat(lastText()).contains("If Stars were taken, your balance is topped up by itself");
    }

    @Test
    void aYesWhoseConnectionDroppedAfterItWentIsToldHedgedWithoutThePayButton() {
        ShopHarness h = harness(b -> b);
        String payload = invoiceFor50Stars(h);
        int before = fake.messages(CHAT).size();
        fake.failNext("answerPreCheckoutQuery", 10, Failure.dropAfter()); // Telegram may have taken every try

        h.send(CHAT, new Event.PreCheckout("pcq-ambiguous", payload, "XTR", 50));
        h.deliver();

        assertThat(fake.callsTo("answerPreCheckoutQuery")).isNotEmpty();
        // the breaker holds the chat's messages after the calls that may have gone: what waits in its queue
        List<Reply.SendText> told = h.stores.pendingReplies().dropQueue(CHAT).stream().map(Outgoing::reply)
                .filter(Reply.SendText.class::isInstance).map(Reply.SendText.class::cast).toList();
        assertThat(told).as(fake.transcript(CHAT)).singleElement().satisfies(m -> {
            assertThat(m.text()).contains("The bot may not have confirmed your payment in time",
                    "If Stars were taken, your balance is topped up by itself").doesNotContain("No Stars were charged");
            assertThat(m.keyboard().toString()).as("no pay button: he may have paid").doesNotContain("50");
        });
    }
}
