package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A pre-checkout handled after Telegram's 10 s (it waited in a backlog, the database was slow): its yes is dropped,
 * not sent to be refused as too old, and Telegram cancels the payment. The user, at the payment sheet, got no word of
 * ours: now the chat tells him, in his language, that it did not go through and nothing was charged, with the
 * package's button to pay again.
 */
class PreCheckoutTooLateTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        h.command(U, "start");
    }

    /** The pre-checkout of {@code payload}, come in {@code ago} before it is handled: what the user was sent. */
    private List<Reply> preCheckoutReceived(String payload, Duration ago) {
        h.messenger.drain();
        h.shop.storefront().serve(new Incoming(9001, ShopHarness.actor(U, "ru"),
                new Event.PreCheckout("q-1", payload, "XTR", 50), Optional.of(h.clock.instant().minus(ago)),
                Optional.empty()));
        h.deliver();
        return h.messenger.drain();
    }

    @Test
    void aYesTooLateForTelegramIsToldInTheChatWithThePackagesButton() {
        String payload = h.invoiceFor50Stars(U);
        h.stores.users().setLanguage(U, "ru");

        List<Reply> sent = preCheckoutReceived(payload, Duration.ofSeconds(11));

        assertThat(sent).noneMatch(Reply.AnswerPreCheckout.class::isInstance);
        assertThat(sent).filteredOn(Reply.SendText.class::isInstance).singleElement()
                .extracting(r -> ((Reply.SendText) r).text()).asString()
                .contains("Оплата не прошла", "Звёзды не списаны", "попробуйте ещё раз");
        List<Reply> again = h.press(U, button(sent, "50\u00A0⭐"));
        assertThat(again).as("the button issues a new invoice of the package")
                .filteredOn(Reply.SendInvoice.class::isInstance).singleElement()
                .satisfies(i -> assertThat(((Reply.SendInvoice) i).stars()).isEqualTo(50));
    }

    @Test
    void aYesInTimeIsTheAnswerAloneAndARefusalTooLateSaysNothingInTheChat() {
        String payload = h.invoiceFor50Stars(U);
        assertThat(preCheckoutReceived(payload, Duration.ofSeconds(2))).singleElement()
                .isInstanceOf(Reply.AnswerPreCheckout.class);
        assertThat(preCheckoutReceived("topup:never-issued", Duration.ofSeconds(11))).as("a refusal: no retry offered")
                .isEmpty();
    }
}
