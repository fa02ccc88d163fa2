package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeTelegramServer.Call;
import dev.kiebot.telegram.fake.FakeTelegramServer.Failure;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A result Telegram could not fetch by URL is downloaded and uploaded. Such a file may be 50 MB; read into memory it
 * took twice its size on the way (the buffer doubling, then the copy), more than the whole heap of a small box
 * (128 MiB): one large video stopped the bot. It now goes through a temporary file, deleted after the upload.
 */
class LargeResultUploadTest {
    private static final long CHAT = 700_100_300L;
    private static final int VIDEO_BYTES = 24 * 1024 * 1024;

    private FakeTelegramServer fake;
    private TelegramMessenger messenger;

    @BeforeEach
    void setUp() {
        fake = FakeTelegramServer.start();
        messenger = TelegramMessenger.builder(fake.bot()).limits(OutboundLimiter.Settings.unlimited())
                .mediaUrlsFrom(URI.create(fake.apiUrl())).build(); // the result lies on the fake, on 127.0.0.1
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    @Test
    void aLargeVideoIsUploadedWholeWithoutHoldingItInTheHeap() throws IOException {
        byte[] video = new byte[VIDEO_BYTES];
        for (int i = 0; i < video.length; i++) {
            video[i] = (byte) (i * 31 + (i >>> 12));
        }
        String url = fake.serveMedia("result.mp4", video, "video/mp4");
        fake.failWhen("sendVideo", c -> !c.isUpload(), Failure.badRequest("failed to get HTTP URL content"));
        List<Path> partsBefore = downloadParts();

        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        Delivery d = messenger.send(new Reply.SendMedia(CHAT, MediaKind.VIDEO, url, "готово", Keyboard.NONE));
        long allocatedBytes = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;

        assertThat(d).isInstanceOf(Delivery.Sent.class);
        List<Call> videos = fake.callsTo("sendVideo");
        assertThat(videos).extracting(Call::isUpload).containsExactly(false, true);
        assertThat(videos.get(1).upload("video")).hasValueSatisfying(u -> {
            assertThat(u.fileName()).isEqualTo("result.mp4");
            assertThat(u.contentType()).isEqualTo("video/mp4");
            assertThat(Arrays.equals(u.bytes(), video)).as("the uploaded bytes are the downloaded ones").isTrue();
        });
        // read into memory, the sending thread allocated about five times the file (127 MB for these 24 MB, large
        // arrays alive at once); streamed, about 10 MB of short-lived buffers
        assertThat(allocatedBytes).as("bytes allocated by the sending thread").isLessThan(VIDEO_BYTES / 2);
        assertThat(downloadParts()).as("the temporary file is deleted").isEqualTo(partsBefore);
    }

    private static List<Path> downloadParts() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("kiebot-download-")).sorted().toList();
        }
    }
}
