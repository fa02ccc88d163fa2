package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.FieldLabels;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A result's caption and its /history line quote the words that tell it apart: a song's title (not its lyrics, which
 * made a song's two versions two identical messages, each captioned with every verse), the text a voiceover reads
 * (two voiceovers quoted nothing and could not be told apart). A result of several files says which one each is.
 */
class ResultWordsTest {
    private static final long U = 42;
    private static final String LYRICS = "[Verse] Snow is falling\n[Chorus] Winter came";
    private ShopHarness h;

    /** A song on the user's words: its title, then its lyrics (the description field), two versions per song. */
    private static Model song() {
        InputField title = new InputField("title", FieldType.TEXT, true, List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), OptionalInt.of(80), OptionalInt.empty(), true)
                .withLabels(FieldLabels.of("Название", "Title", "как назвать песню", "the song's name"));
        InputField lyrics = TestCatalog.labelled(InputField.prompt(5000));
        return new Model("song/custom", "song/custom", Family.JOBS, Category.MUSIC, Map.of("ru", "Песня", "en", "Song"),
                Map.of("ru", "песня", "en", "song"), List.of(title, lyrics),
                List.of(new Sku(Map.of(), new BigDecimal("0.06"), TestCatalog.SRC)), 40);
    }

    @BeforeEach
    void setUp() {
        List<Model> models = new ArrayList<>(TestCatalog.catalog().models());
        models.add(song());
        h = new ShopHarness(Catalog.of(models), ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN)));
        h.command(U, "start");
        h.topUp(U, 10_000);
    }

    /** The job just confirmed, made by the provider with {@code urls}. @return the result's messages */
    private List<Reply.SendMedia> made(List<Reply> confirm, MediaKind kind, String... urls) {
        h.press(U, button(confirm, "Generate"));
        Job job = h.lastJob(U);
        h.work(10);
        h.provider.set(h.stores.jobs().find(job.id()).orElseThrow().taskId().orElseThrow(),
                new TaskStatus.Succeeded(new JobResult(List.of(urls), kind)));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        return h.messenger.drain().stream().filter(Reply.SendMedia.class::isInstance).map(Reply.SendMedia.class::cast)
                .toList();
    }

    @Test
    void aSongsVersionsAreCaptionedWithItsTitleAndWhichVersionEachIs() {
        h.press(U, "*|g|song/custom");
        h.text(U, "Winter");
        List<Reply.SendMedia> versions = made(h.text(U, LYRICS), MediaKind.AUDIO, "https://r/a.mp3",
                "https://r/b.mp3");
        assertThat(versions).extracting(Reply.SendMedia::caption).containsExactly(
                "gen_1 · Song · version 1 of 2\n“Winter”", "gen_1 · Song · version 2 of 2\n“Winter”");
        assertThat(lastText(h.command(U, "history"))).contains("“Winter”").doesNotContain("Verse", "Snow");
    }

    /** Two versions of one URL (a provider may repeat one): numbered by place, not both «version 1 of 2». */
    @Test
    void twoEqualUrlsAreNumberedByTheirPlace() {
        h.press(U, "*|g|song/custom");
        h.text(U, "Winter");
        List<Reply.SendMedia> versions = made(h.text(U, LYRICS), MediaKind.AUDIO, "https://r/a.mp3",
                "https://r/a.mp3");
        assertThat(versions).extracting(Reply.SendMedia::caption).containsExactly(
                "gen_1 · Song · version 1 of 2\n“Winter”", "gen_1 · Song · version 2 of 2\n“Winter”");
    }

    /** «📤 Send again» on a song: each version says which it is, as when it came (before: both the plain caption). */
    @Test
    void aSongSentAgainSaysWhichVersionEachIs() {
        h.press(U, "*|g|song/custom");
        h.text(U, "Winter");
        made(h.text(U, LYRICS), MediaKind.AUDIO, "https://r/a.mp3", "https://r/b.mp3");
        Job job = h.lastJob(U);

        List<Reply> pressed = new ArrayList<>(h.press(U, dev.kiebot.core.reply.CallbackData.evergreen(
                dev.kiebot.core.reply.CallbackAction.RESEND, job.id().display())));
        h.work(10);
        pressed.addAll(h.messenger.drain());

        assertThat(pressed).filteredOn(Reply.SendMedia.class::isInstance).extracting(r -> ((Reply.SendMedia) r)
                .caption()).containsExactly("gen_1 · Song · version 1 of 2\n“Winter”",
                "gen_1 · Song · version 2 of 2\n“Winter”");
    }

    @Test
    void aVoiceoverIsCaptionedWithTheStartOfItsText() {
        h.press(U, "*|g|tts/turbo");
        String text = "Good evening, this is the first voiceover of the two, and it goes on for a while longer";
        List<Reply.SendMedia> voice = made(h.text(U, text), MediaKind.AUDIO, "https://r/v.mp3");
        assertThat(voice).singleElement().extracting(Reply.SendMedia::caption)
                .isEqualTo("gen_1 · Voice\n“" + text + "”");
        assertThat(lastText(h.command(U, "history"))).contains("“Good evening, this is the first")
                .doesNotContain("a while longer");
    }
}
