package dev.kiebot.core.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A shop that gives nothing free (FREE_DAILY_LIMIT=0) speaks of no free generations: the welcome said «бесплатных
 * генераций сегодня: 0 из 0», the balance the same, and the menu offered «🆓 Бесплатные модели».
 */
class NoFreeTierTest {
    private static final long USER = 4242;
    private final ShopHarness h = new ShopHarness();
    private long updateId = 1_000;

    private List<Reply> serve(Shop shop, Event event) {
        h.messenger.drain();
        shop.storefront().serve(new Incoming(++updateId, ShopHarness.actor(USER, "ru"), event));
        shop.sender().drain(100);
        return h.messenger.drain();
    }

    private static String texts(List<Reply> replies) {
        StringBuilder all = new StringBuilder();
        for (Reply r : replies) {
            if (r instanceof Reply.SendText t) {
                all.append(t.text()).append('\n');
                t.keyboard().buttons().stream().map(Button::text).forEach(b -> all.append('[').append(b).append("]\n"));
            } else if (r instanceof Reply.EditText e) {
                all.append(e.text()).append('\n');
                e.keyboard().buttons().stream().map(Button::text).forEach(b -> all.append('[').append(b).append("]\n"));
            }
        }
        return all.toString();
    }

    @Test
    void aShopGivingNothingFreeSaysNothingOfFreeGenerations() {
        Shop noFree = h.anotherInstance(UnaryOperator.identity(), b -> b.freeDailyLimit(0));

        String welcome = texts(serve(noFree, new Event.Command("start", "")));
        assertThat(welcome).contains("Привет", "Баланс:").doesNotContain("Бесплатн", "🆓");
        assertThat(texts(serve(noFree, new Event.Command("balance", "")))).contains("Баланс")
                .doesNotContain("Бесплатн");
        assertThat(texts(serve(noFree, new Event.Command("help", "")))).doesNotContain("Бесплатно:");
    }

    @Test
    void aShopGivingFreeGenerationsStillSaysHowManyAreLeft() {
        String welcome = texts(serve(h.shop, new Event.Command("start", "")));
        // the welcome's free door is its free picture; the menu's, the free list
        assertThat(welcome).contains("Осталось бесплатных генераций на сегодня: 5 из 5", "[🆓 Картинка бесплатно]");
        assertThat(texts(serve(h.shop, new Event.Command("menu", "")))).contains("[🆓 Бесплатные модели]");
        // «осталось», as on the free models' screen and the card: a bare «4 из 5» read as four used
        assertThat(texts(serve(h.shop, new Event.Command("balance", "")))).contains("Осталось бесплатных генераций на сегодня");
    }
}
