package dev.kiebot.core.shop;

import java.util.Optional;
import dev.kiebot.core.reply.Delivery;
import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.buttonTexts;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.JobResult;
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
 * Telegram recompresses a photo (a 4K picture arrives about 2560 pixels wide): under an image result,
 * «📎 Файлом, без сжатия» sends it as a document, from the provider's file while it keeps it.
 */
class OriginalAsAFileTest {
    private static final long U = 42;
    private static final String FILE = "📎 As a file, uncompressed";
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(U, "start");
        h.topUp(U, 10_000);
    }

    /** img/m9 delivered. @return the replies that delivered it */
    private List<Reply> deliveredFox() {
        h.finishedFoxImage(U, new TaskStatus.Succeeded(new JobResult(List.of("https://files/fox-4k.png"),
                MediaKind.PHOTO)));
        return h.messenger.drain(); // each press drained its own replies: what is left is the delivery's
    }

    private static Reply.SendMedia result(List<Reply> replies) {
        return replies.stream().filter(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .findFirst().orElseThrow();
    }

    /** A batch of twelve images asked for as files: all twelve come, in order (the ten first only, before). */
    @Test
    void everyImageOfABatchOverTenComesAsAFile() {
        List<String> urls = java.util.stream.IntStream.rangeClosed(1, 12).mapToObj(i -> "https://files/fox-" + i + ".png")
                .toList();
        h.finishedFoxImage(U, new TaskStatus.Succeeded(new JobResult(urls, MediaKind.PHOTO)));
        List<Reply> delivered = h.messenger.drain();
        List<Reply> files = h.press(U, button(List.of(result(delivered)), FILE));
        assertThat(files).filteredOn(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .extracting(Reply.SendMedia::source).containsExactlyElementsOf(urls);
    }

    @Test
    void anImageResultIsSentAgainAsADocumentFromTheProvidersFile() {
        Reply.SendMedia photo = result(deliveredFox());
        assertThat(photo.kind()).isEqualTo(MediaKind.PHOTO);
        assertThat(buttonTexts(List.of(photo))).contains(FILE);

        List<Reply> file = h.press(U, button(List.of(photo), FILE));
        Reply.SendMedia document = result(file);
        assertThat(document.kind()).isEqualTo(MediaKind.DOCUMENT);
        assertThat(document.source()).isEqualTo("https://files/fox-4k.png");
        assertThat(document.caption()).contains(h.lastJob(U).id().display());
    }

    /** The button is an image's, as Telegram recompresses photos: under a video there is none. */
    @Test
    void aVideoResultHasNoAsAFileButton() {
        h.finishedFoxImage(U, new TaskStatus.Succeeded(new JobResult(List.of("https://files/fox.mp4"),
                MediaKind.VIDEO)));
        Reply.SendMedia video = result(h.messenger.drain());
        assertThat(video.kind()).isEqualTo(MediaKind.VIDEO);
        assertThat(buttonTexts(List.of(video))).isNotEmpty().doesNotContain(FILE);
    }

    @Test
    void afterADayTheUserIsToldTheOriginalIsGoneNotSentADeadLink() {
        Reply.SendMedia photo = result(deliveredFox());
        h.clock.advance(Duration.ofHours(25));
        List<Reply> late = h.press(U, button(List.of(photo), FILE));
        assertThat(late).noneMatch(Reply.SendMedia.class::isInstance);
        assertThat(lastText(late)).contains("for a day only", h.lastJob(U).id().display());
    }

    /**
     * Within the day the provider may still have lost the file (its URL answers 404): the user is told, not left
     * without an answer, and nothing moves. Before, he got its link, which led nowhere.
     */
    @Test
    void anOriginalGoneAtTheProviderWithinTheDayIsToldNotSilent() {
        Reply.SendMedia photo = result(deliveredFox());
        long balance = h.balance(U);
        h.messenger.thenAnswer(new Delivery.Sent(Optional.empty(), List.of()),
                new Delivery.Gone("download failed: HTTP 404"));
        List<Reply> file = h.press(U, button(List.of(photo), FILE));
        assertThat(file).filteredOn(Reply.SendMedia.class::isInstance).hasSize(1);
        assertThat(lastText(file)).contains("The AI service no longer has this file");
        assertThat(h.balance(U)).isEqualTo(balance);
    }

    /** The button names a job: another user's, or one that does not exist, is a stale button. */
    @Test
    void nobodyElseGetsTheFile() {
        Reply.SendMedia photo = result(deliveredFox());
        String data = button(List.of(photo), FILE);
        h.command(7, "start");
        List<Reply> other = h.press(7, data);
        assertThat(other).noneMatch(Reply.SendMedia.class::isInstance);
        assertThat(lastText(other)).contains("outdated");
    }
}
