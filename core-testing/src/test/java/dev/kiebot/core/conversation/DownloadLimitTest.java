package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.payments.ManualPayments;
import dev.kiebot.core.reply.FileSource;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.FakeFiles;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The largest file a user may send is the platform's ({@link FileSource#downloadBytesMax()}): Telegram's 20 MB by
 * default, a Discord bot's 25 MB when its file source says so, and the refusal names the figure.
 */
class DownloadLimitTest {
    private static final long U = 42;
    private static final long MB = 1024 * 1024;

    /** Discord's attachments, downloaded as {@link FakeFiles} does, up to 25 MB. */
    private static final class Discord25 implements FileSource {
        private final FakeFiles files = new FakeFiles();

        @Override
        public DownloadedFile download(String fileId) throws IOException {
            return files.download(fileId);
        }

        @Override
        public long downloadBytesMax() {
            return 25 * MB;
        }
    }

    /** The photo field of an edit model waits for a file: a picture sent as a document of {@code bytes}. */
    private static List<Reply> pictureOf(ShopHarness h, long bytes) {
        h.command(U, "start");
        h.press(U, "*|g|edit/pro");
        h.text(U, "make it blue");
        return h.send(U, new Event.Media(MediaType.DOCUMENT, "f2", bytes, Optional.of("image/png"),
                Optional.of("x.png")));
    }

    @Test
    void twentyTwoMbAreRefusedAtTelegramsLimitAndTheTextSaysIt() {
        ShopHarness telegram = new ShopHarness();
        assertThat(lastText(pictureOf(telegram, 22 * MB)))
                .startsWith("The file is too large (over 20\u00A0MB). Please send a smaller one.\n");
        assertThat(((ChatState.Collecting) telegram.session(U).state()).files()).doesNotContainKey("image_urls");
    }

    @Test
    void twentyTwoMbAreTakenWhereThePlatformTakesTwentyFive() {
        ShopHarness discord = new ShopHarness(TestCatalog.catalog(), ShopSettings.defaults(), ManualPayments.off(),
                b -> b.files(new Discord25()));
        assertThat(lastText(pictureOf(discord, 22 * MB))).startsWith("Got 1\u00A0photo");
        assertThat(((ChatState.Collecting) discord.session(U).state()).files()).containsKey("image_urls");
        discord.speaking("ru");
        assertThat(lastText(discord.send(U, new Event.Media(MediaType.DOCUMENT, "f3", 26 * MB,
                Optional.of("image/png"), Optional.of("y.png")))))
                .startsWith("Файл слишком большой (больше 25\u00A0МБ). Отправьте файл поменьше.\n");
    }

    @Test
    void aLimitOfNoWholeMegabytesIsWrittenToATenth() {
        assertThat(InputCollection.megabytes(20 * MB, "ru")).isEqualTo("20");
        assertThat(InputCollection.megabytes(25_000_000, "ru")).isEqualTo("23,8");
        assertThat(InputCollection.megabytes(25_000_000, "en")).isEqualTo("23.8");
        assertThat(InputCollection.megabytes(100_000, "ru")).as("never «0»").isEqualTo("0,1");
    }

    /** A partner's limit of nothing (0, negative) would refuse every file a user sends: the builder says so. */
    @Test
    void aLimitOfNothingIsRefusedAtTheBuild() {
        FileSource none = new FileSource() {
            @Override
            public DownloadedFile download(String fileId) {
                throw new AssertionError("not downloaded");
            }

            @Override
            public long downloadBytesMax() {
                return 0;
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ShopHarness(TestCatalog.catalog(),
                ShopSettings.defaults(), ManualPayments.off(), b -> b.files(none)))
                .hasMessageContaining("downloadBytesMax() is 0").hasMessageContaining("refuses every file");
    }

    /**
     * A file whose size the update did not give, found too large at its download: the job fails with a failure's
     * words, never a placeholder the conversation's text would leave unfilled.
     */
    @Test
    void aFileFoundTooLargeAtItsDownloadFailsTheJobInAFailuresWords() {
        ShopHarness h = new ShopHarness();
        h.topUp(U, 10_000);
        h.command(U, "start");
        h.press(U, "*|g|edit/pro");
        List<Reply> photo = h.send(U, new Event.Media(MediaType.PHOTO, "big-1", 0, Optional.empty(),
                Optional.empty()));
        h.press(U, ShopHarness.button(photo, "Done"));
        List<Reply> resolution = h.text(U, "x");
        h.press(U, ShopHarness.button(h.press(U, ShopHarness.button(resolution, "1K")), "Generate"));
        h.work(10);
        assertThat(h.lastJob(U).state()).isEqualTo(JobState.FAILED);
        assertThat(h.messenger.texts()).anyMatch(t -> t.contains(
                "Generation failed: the file turned out too large for the bot to download. Send a smaller one."))
                .noneMatch(t -> t.contains("{0}"));
    }
}
