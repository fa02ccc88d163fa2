package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The broadcasts task keeps looking while Telegram holds a broadcast back, instead of falling to its idle look. */
class BroadcastLooksTest {
    @Test
    void aBroadcastHeldBackByTelegramGoesOnAtTheFirstTickItMay() {
        ShopHarness h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        h.command(100, "start");
        List<Reply> draft = h.admin("broadcast", "News");
        h.press(ShopHarness.ADMIN, button(draft, "Send"));
        h.messenger.drain();
        BroadcastLooks looks = new BroadcastLooks(h.shop.broadcaster(), 10, Duration.ofMinutes(1), h.clock);

        h.messenger.thenAnswer(new Delivery.Deferred(Duration.ofSeconds(20), "unreachable"));
        looks.run();
        assertThat(h.messenger.all()).isEmpty();

        h.clock.advance(Duration.ofSeconds(20)); // a minute's idle look would come 40 s later
        looks.run();
        assertThat(h.messenger.all()).extracting(Reply::chatId).contains(ShopHarness.ADMIN, 100L);
    }
}
