package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What leaves, when: answers at once (or not at all when too late), messages through the queue, one welcome. */
class OutboxTest {
    private static final long U = 42;

    private static Incoming press(ShopHarness h, long updateId, String data, long secondsAgo) {
        return new Incoming(updateId, ShopHarness.actor(U, "en"), new Event.Callback("q" + updateId, data,
                Optional.of(1L))).receivedAt(h.clock.instant().minusSeconds(secondsAgo));
    }

    @Test
    void aPressOlderThanTelegramsAnswerWindowIsNotAnsweredButStillHandled() {
        ShopHarness h = new ShopHarness();
        h.command(U, "start");
        h.shop.storefront().serve(press(h, 900, "*|b", 20));
        h.deliver();
        List<Reply> late = h.messenger.drain();
        assertThat(late).noneMatch(r -> r instanceof Reply.AnswerCallback);
        assertThat(ShopHarness.lastText(late)).contains("Balance");
        h.shop.storefront().serve(press(h, 901, "*|b", 3));
        h.deliver();
        assertThat(h.messenger.drain()).anyMatch(r -> r instanceof Reply.AnswerCallback);
    }

    @Test
    void answersLeaveAtOnceWhileChatMessagesWaitInTheQueue() {
        ShopHarness h = new ShopHarness();
        h.command(U, "start");
        h.shop.storefront().serve(press(h, 900, "*|b", 0));
        assertThat(h.messenger.all()).as("before the sender ran").singleElement()
                .isInstanceOf(Reply.AnswerCallback.class);
        h.deliver();
        assertThat(h.messenger.all()).hasSize(2);
    }

    @Test
    void aNewUsersStartIsOneMessageThatAlsoMentionsTheWelcomeBonus() {
        ShopSettings withBonus = ShopSettings.defaults().withWelcomeBonus(10_000).withAdmission(AdmissionPolicy.off());
        ShopHarness h = new ShopHarness(TestCatalog.catalog(), withBonus);
        List<Reply> start = h.command(U, "start");
        assertThat(start).singleElement().isInstanceOfSatisfying(Reply.SendText.class, t ->
                // the bonus beside the balance it is part of, before the call to choose (not a P.S. under it)
                assertThat(t.text()).containsSubsequence("Hi, User42", "Balance: 100\u00A0₽",
                        "\n🎁 Welcome bonus: 100\u00A0₽ added to your balance.\n", "Pick a category below."));
        assertThat(h.command(U, "start")).singleElement().isInstanceOfSatisfying(Reply.SendText.class, t ->
                assertThat(t.text()).doesNotContain("Welcome bonus"));
    }
}
