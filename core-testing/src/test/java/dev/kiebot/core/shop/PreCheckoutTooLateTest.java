package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.util.ArrayList;
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

    /** An instance of the shop whose answers wait in {@code waiting} for a thread, run by hand. */
    private Shop answersHeldIn(List<Runnable> waiting) {
        return h.anotherInstance(s -> s, b -> b.answers(waiting::add));
    }

    private static Incoming preCheckout(long updateId, String payload, java.time.Instant receivedAt) {
        return new Incoming(updateId, ShopHarness.actor(U, "ru"), new Event.PreCheckout("q-" + updateId, payload,
                "XTR", 50), Optional.of(receivedAt), Optional.empty());
    }

    private static List<String> texts(List<Reply> sent) {
        return sent.stream().filter(Reply.SendText.class::isInstance).map(r -> ((Reply.SendText) r).text()).toList();
    }

    /**
     * Handled in time, its yes then waited for a thread past Telegram's 10 s (the answers' threads held by
     * Telegram's retries): dropped, not sent to be refused, and the chat is told as when it was late at once.
     */
    @Test
    void aYesThatWaitedPastTheWindowForAThreadIsToldInTheChat() {
        String payload = h.invoiceFor50Stars(U);
        h.stores.users().setLanguage(U, "ru");
        List<Runnable> waiting = new ArrayList<>();
        Shop held = answersHeldIn(waiting);
        h.messenger.drain();

        held.storefront().serve(preCheckout(9101, payload, h.clock.instant()));
        h.clock.advance(Duration.ofSeconds(11));
        waiting.forEach(Runnable::run);
        h.deliver();

        List<Reply> sent = h.messenger.drain();
        assertThat(sent).noneMatch(Reply.AnswerPreCheckout.class::isInstance);
        assertThat(texts(sent)).singleElement().asString()
                .contains("Оплата не прошла", "Звёзды не списаны", "попробуйте ещё раз");
    }

    /**
     * A pre-checkout whose handling failed, apologized for past Telegram's 10 s (the handling's tries took them): the
     * refusal is not sent, and its words come in the chat instead of nothing.
     */
    @Test
    void aRefusalApologizedPastTheWindowIsToldInTheChat() {
        String payload = h.invoiceFor50Stars(U);
        h.stores.users().setLanguage(U, "ru");
        h.messenger.drain();

        h.stores.transactions().inOne(() -> {
            h.shop.storefront().apologize(preCheckout(9102, payload, h.clock.instant().minusSeconds(11)));
            return null;
        });
        h.deliver();

        List<Reply> sent = h.messenger.drain();
        assertThat(sent).noneMatch(Reply.AnswerPreCheckout.class::isInstance);
        assertThat(texts(sent)).singleElement().asString().contains("Оплата не прошла", "звёзды не списаны");
    }

    /** The apology's refusal in time, which then waited for a thread past the window: its words in the chat. */
    @Test
    void aRefusalThatWaitedPastTheWindowForAThreadIsToldInTheChat() {
        String payload = h.invoiceFor50Stars(U);
        h.stores.users().setLanguage(U, "ru");
        List<Runnable> waiting = new ArrayList<>();
        Shop held = answersHeldIn(waiting);
        h.messenger.drain();

        h.stores.transactions().inOne(() -> {
            held.storefront().apologize(preCheckout(9103, payload, h.clock.instant()));
            return null;
        });
        h.clock.advance(Duration.ofSeconds(11));
        waiting.forEach(Runnable::run);
        h.deliver();

        List<Reply> sent = h.messenger.drain();
        assertThat(sent).noneMatch(Reply.AnswerPreCheckout.class::isInstance);
        assertThat(texts(sent)).singleElement().asString().contains("Оплата не прошла", "звёзды не списаны");
    }
}
