package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.broadcast.BroadcastState;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A broadcast sent by mistake can be taken back: its draft's «Отправить» is good for an hour only, and one being sent
 * stops at «⏹ Остановить» under its progress (or at the draft's «Отмена»), nobody not yet messaged getting it.
 */
class BroadcastStopTest {
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(ShopHarness.ADMIN, "start");
        for (long u = 100; u < 105; u++) {
            h.command(u, "start");
        }
        h.messenger.drain();
    }

    /** How many users got the broadcast «News» in the broadcaster's next round of at most {@code limit}. */
    private long sentInARound(int limit) {
        h.shop.broadcaster().runOnce(limit);
        h.deliver();
        return h.messenger.drain().stream().filter(r -> r instanceof Reply.SendText t && t.text().equals("News"))
                .count();
    }

    @Test
    void aDraftsSendButtonPressedAfterAnHourSendsNothing() {
        List<Reply> draft = h.admin("broadcast", "News");
        h.clock.advance(Duration.ofMinutes(61));
        List<Reply> late = h.press(ShopHarness.ADMIN, button(draft, "Send"));
        assertThat(lastText(late)).isEqualTo("⌛ Broadcast draft #1 is out of date: more than an hour has passed; "
                + "nothing was sent. To send it, send /broadcast and its text again.");
        assertThat(buttonTexts(late)).isEmpty();
        assertThat(h.stores.broadcasts().find(1).orElseThrow().state()).isEqualTo(BroadcastState.CANCELLED);
        assertThat(sentInARound(100)).isZero();
        assertThat(lastText(h.press(ShopHarness.ADMIN, button(draft, "Send")))).contains("already");
    }

    @Test
    void aDraftsSendButtonWithinTheHourSends() {
        List<Reply> draft = h.admin("broadcast", "News");
        h.clock.advance(Duration.ofMinutes(59));
        h.press(ShopHarness.ADMIN, button(draft, "Send"));
        assertThat(sentInARound(100)).isEqualTo(6);
    }

    @Test
    void stopUnderTheProgressStopsTheRest() {
        List<Reply> draft = h.admin("broadcast", "News");
        List<Reply> progress = h.press(ShopHarness.ADMIN, button(draft, "Send"));
        assertThat(buttonTexts(progress)).containsExactly("⏹ Stop");
        assertThat(sentInARound(2)).isEqualTo(2);
        h.clock.advance(BroadcastWorker.PROGRESS_EVERY);
        h.shop.broadcaster().runOnce(0);
        h.deliver();
        List<Reply> edited = h.messenger.drain();
        assertThat(edited).as("the progress, edited, keeps its button")
                .anySatisfy(r -> assertThat(buttonTexts(List.of(r))).containsExactly("⏹ Stop"));
        List<Reply> stopped = h.press(ShopHarness.ADMIN, button(progress, "Stop"));
        assertThat(lastText(stopped)).isEqualTo("⏹ Broadcast #1 stopped: sent 2 of 6; nobody else will get it.");
        assertThat(buttonTexts(stopped)).isEmpty();
        assertThat(sentInARound(100)).isZero();
        assertThat(h.stores.broadcasts().find(1).orElseThrow().state()).isEqualTo(BroadcastState.CANCELLED);
        assertThat(lastText(h.press(ShopHarness.ADMIN, button(progress, "Stop"))))
                .isEqualTo("Broadcast #1 has already ended or was stopped: nothing to stop.");
    }

    @Test
    void theDraftsCancelOnceItIsBeingSentStopsIt() {
        List<Reply> draft = h.admin("broadcast", "News");
        h.press(ShopHarness.ADMIN, button(draft, "Send"));
        assertThat(sentInARound(1)).isEqualTo(1);
        assertThat(lastText(h.press(ShopHarness.ADMIN, button(draft, "Cancel"))))
                .isEqualTo("⏹ Broadcast #1 stopped: sent 1 of 6; nobody else will get it.");
        assertThat(sentInARound(100)).isZero();
    }

    @Test
    void inRussian() {
        h.stores.users().setLanguage(ShopHarness.ADMIN, "ru");
        List<Reply> draft = h.admin("broadcast", "News");
        List<Reply> progress = h.press(ShopHarness.ADMIN, button(draft, "Отправить"));
        assertThat(sentInARound(3)).isEqualTo(3);
        assertThat(lastText(h.press(ShopHarness.ADMIN, button(progress, "Остановить"))))
                .isEqualTo("⏹ Рассылка №\u00A01 остановлена: отправлено 3 из 6, больше никому не уйдёт.");
        List<Reply> other = h.admin("broadcast", "News");
        h.clock.advance(Duration.ofHours(2));
        assertThat(lastText(h.press(ShopHarness.ADMIN, button(other, "Отправить")))).isEqualTo("⌛ Черновик рассылки "
                + "№\u00A02 устарел: прошло больше часа, ничего не отправлено. Чтобы разослать, отправьте /broadcast и "
                + "текст снова.");
    }
}
