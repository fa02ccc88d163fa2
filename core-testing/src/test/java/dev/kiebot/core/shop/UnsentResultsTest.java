package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A result made while its user had blocked the bot is charged and its replies dropped with his queue; when he comes
 * back, he is told of it with a button that sends it. He got only «Welcome back» and the menu before, with no word of
 * a result he had paid for and never saw.
 */
class UnsentResultsTest {
    private static final long U = 42;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 10_000);
    }

    /** The job runs; then the user blocks the bot, and its result finishes and is dropped. */
    private Job finishedWhileBlocked(String url) {
        Job running = h.runningFoxImage(U);
        h.messenger.drain();
        h.messenger.thenAnswer(new Delivery.Blocked());
        h.provider.set(running.taskId().orElseThrow(),
                new TaskStatus.Succeeded(new JobResult(List.of(url), MediaKind.PHOTO)));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        Job done = h.stores.jobs().find(running.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.DELIVERED);
        assertThat(h.stores.users().find(U).orElseThrow().blocked()).isTrue();
        assertThat(h.messenger.of(Reply.SendMedia.class)).as("dropped with his queue").isEmpty();
        return done;
    }

    @Test
    void aResultMadeWhileTheUserHadBlockedTheBotIsOfferedWhenHeComesBack() {
        Job done = finishedWhileBlocked("https://r/fox.png");
        long paid = h.balance(U);

        List<Reply> back = h.send(U, new Event.MembershipChanged(false));

        assertThat(ShopHarness.lastText(back)).startsWith("📬 While you were away, " + done.id().display())
                .contains("the bot was blocked");
        String resend = ShopHarness.button(back, "📤 Send " + done.id().display() + " again");
        assertThat(back.get(0)).as("the welcome first, then the result").isInstanceOfSatisfying(Reply.SendText.class,
                t -> assertThat(t.text()).startsWith("Welcome back"));
        assertThat(h.press(U, resend)).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).containsExactly("https://r/fox.png");
        assertThat(h.balance(U)).as("nothing charged again").isEqualTo(paid);

        // told once: blocked and back again, nothing new dropped, no list
        h.send(U, new Event.MembershipChanged(true));
        assertThat(ShopHarness.lastText(h.send(U, new Event.MembershipChanged(false)))).doesNotContain("📬");
    }

    /** A result that reached him before he blocked the bot is not offered again. */
    @Test
    void aResultHeGotBeforeBlockingTheBotIsNotListed() {
        Job got = h.finishedFoxImage(U, new TaskStatus.Succeeded(new JobResult(List.of("https://r/a.png"),
                MediaKind.PHOTO)));
        assertThat(h.stores.jobs().deliveredFileIds(got.id())).isNotEmpty();
        Job dropped = finishedWhileBlocked("https://r/b.png");

        String told = ShopHarness.lastText(h.send(U, new Event.MembershipChanged(false)));

        assertThat(told).contains(dropped.id().display()).doesNotContain(got.id().display());
    }

    /**
     * A result that went as its link (too large for Telegram, or an upload Telegram refused) reached him: it keeps no
     * Telegram file id, and was listed again as unsent when a later send found him blocked.
     */
    @Test
    void aResultHeGotAsItsLinkBeforeBlockingTheBotIsNotListed() {
        Job tooLarge = linkedFoxImage("https://r/large.png", new Delivery.Sent(Optional.of(7), List.of()));
        Job refused = linkedFoxImage("https://r/refused.png", new Delivery.Failed("refused"),
                new Delivery.Sent(Optional.of(8), List.of()));
        Job dropped = finishedWhileBlocked("https://r/b.png");

        String told = ShopHarness.lastText(h.send(U, new Event.MembershipChanged(false)));

        assertThat(told).contains(dropped.id().display()).doesNotContain(tooLarge.id().display())
                .doesNotContain(refused.id().display());
        assertThat(h.press(U, "*|r|" + refused.id().display())).as("sent again by its URL, as before")
                .filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).containsExactly("https://r/refused.png");
    }

    /** A fox image whose result the messenger answers with {@code media} (after the chat action). */
    private Job linkedFoxImage(String url, Delivery... media) {
        Job running = h.runningFoxImage(U);
        h.messenger.drain();
        Delivery[] answers = new Delivery[media.length + 1];
        answers[0] = new Delivery.Sent(Optional.empty(), List.of()); // «uploading a photo…»
        System.arraycopy(media, 0, answers, 1, media.length);
        h.messenger.thenAnswer(answers);
        h.provider.set(running.taskId().orElseThrow(),
                new TaskStatus.Succeeded(new JobResult(List.of(url), MediaKind.PHOTO)));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.messenger.drain();
        return h.stores.jobs().find(running.id()).orElseThrow();
    }
}
