package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.core.reply.FileSource;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.telegram.fake.FakeTelegramServer.Failure;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TelegramFileSourceTest {
    private FakeTelegramServer fake;
    private String secret;

    @BeforeEach
    void setUp() {
        fake = FakeTelegramServer.start();
        secret = fake.token().substring(fake.token().indexOf(':') + 1);
    }

    @AfterEach
    void tearDown() {
        fake.close();
    }

    private TelegramFileSource source(long bytesMax) {
        return new TelegramFileSource(fake.bot(), HttpClient.newHttpClient(), Duration.ofSeconds(5), bytesMax, new FakeTicker());
    }

    /** The limit it downloads by is the one the conversation tells a user whose file is larger. */
    @Test
    void itsDownloadLimitIsTheOneTheConversationSays() {
        assertThat(new TelegramFileSource(fake.bot()).downloadBytesMax()).isEqualTo(FileSource.DOWNLOAD_BYTES_MAX);
        assertThat(source(1024).downloadBytesMax()).isEqualTo(1024);
    }

    @Test
    void downloadsThroughGetFileAndTheFileUrl() throws IOException {
        byte[] jpeg = "jpeg bytes".getBytes(StandardCharsets.UTF_8);
        fake.registerFile("AgACAgIAAxkBAAIB", "photos/file_12.jpg", jpeg, (long) jpeg.length);

        FileSource.DownloadedFile f = new TelegramFileSource(fake.bot()).download("AgACAgIAAxkBAAIB");

        assertThat(f.content()).isEqualTo(jpeg);
        assertThat(f.fileName()).isEqualTo("file_12.jpg");
        assertThat(f.mimeType()).isEqualTo("image/jpeg");
        assertThat(fake.callsTo("getFile").get(0).param("file_id")).isEqualTo("AgACAgIAAxkBAAIB");
        assertThat(fake.fileDownloads()).isEqualTo(1);
    }

    /**
     * A bot token Telegram refuses (401; 404 for one not of a token's shape) is not the file's fault: a plain
     * IOException, which the job worker tries again (no final refusal, as a file too large is), naming the token.
     */
    @Test
    void aRefusedBotTokenIsADownloadTriedAgainThatSaysWhy() {
        byte[] jpeg = "jpeg bytes".getBytes(StandardCharsets.UTF_8);
        fake.registerFile("AgACAgIAAxkBAAIC", "photos/file_13.jpg", jpeg, (long) jpeg.length);
        for (int code : new int[] {401, 404}) {
            fake.failNext("getFile", 1, Failure.apiError(code, code == 401 ? "Unauthorized" : "Not Found"));
            assertThatThrownBy(() -> source(FileSource.DOWNLOAD_BYTES_MAX).download("AgACAgIAAxkBAAIC"))
                    .isExactlyInstanceOf(IOException.class)
                    .hasMessageContaining("Telegram refused the bot token (" + code + ")")
                    .hasMessageNotContaining(secret);
        }
        assertThat(fake.fileDownloads()).isZero();
    }

    @Test
    void aLargePhotoIsReadIntoOneArrayOfItsSize() throws IOException {
        byte[] photo = new byte[16 * 1024 * 1024];
        for (int i = 0; i < photo.length; i++) {
            photo[i] = (byte) (i * 17);
        }
        fake.registerFile("large", "documents/large.jpg", photo, (long) photo.length);
        TelegramFileSource source = new TelegramFileSource(fake.bot());

        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        FileSource.DownloadedFile f = source.download("large");
        long allocatedBytes = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(java.util.Arrays.equals(f.content(), photo)).isTrue();
        // through a growing buffer and its copy it took three times the photo, on a 128 MiB heap
        assertThat(allocatedBytes).as("bytes allocated by the downloading thread").isLessThan(photo.length * 3L / 2);
    }

    @Test
    void unknownExtensionsAreOctetStream() throws IOException {
        fake.registerFile("doc", new byte[]{1, 2, 3});
        assertThat(source(100).download("doc").mimeType()).isEqualTo("application/octet-stream");
    }

    @Test
    void announcedSizeOverTheLimitIsRefusedBeforeDownloading() {
        fake.registerFile("big", "videos/big.mp4", new byte[10], 2_000L);

        assertThatThrownBy(() -> source(1_000).download("big")).isInstanceOf(FileSource.FileTooLargeException.class)
                .hasMessageContaining("2000");
        assertThat(fake.fileDownloads()).isZero();
    }

    @Test
    void telegramsOwnFileIsTooBigIsAFileTooLargeException() {
        fake.registerFile("huge", "videos/huge.mp4", new byte[1], 25L * 1024 * 1024);

        assertThatThrownBy(() -> new TelegramFileSource(fake.bot()).download("huge"))
                .isInstanceOf(FileSource.FileTooLargeException.class);
        assertThat(fake.fileDownloads()).isZero();
    }

    /** A file id Telegram refuses is no download to try again: the job fails at once, the user asked to resend. */
    @Test
    void aFileIdTelegramRefusesIsUnavailableForGood() {
        assertThatThrownBy(() -> source(1_000).download("never-sent"))
                .isInstanceOf(FileSource.FileUnavailableException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("invalid file_id").doesNotContain(secret));

        fake.registerFile("flaky", "documents/flaky.bin", new byte[3], 3L);
        fake.failWhen("getFile", c -> "flaky".equals(c.param("file_id")), Failure.serverError());
        assertThatThrownBy(() -> source(1_000).download("flaky")).isInstanceOf(IOException.class)
                .isNotInstanceOf(FileSource.FileUnavailableException.class);
    }

    /**
     * getFile gave the file's path and the path answers 404: Telegram no longer has it, no later try will find it. A
     * refusal for good, as getFile's 400 («не удалось получить из Telegram…», the user asked to resend); before, a
     * plain IOException tried for the job's ten minutes and told as a download too slow.
     */
    @Test
    void aFileWhoseUrlAnswers404AfterGetFileIsUnavailableForGood() {
        fake.registerFile("lost", "photos/lost.jpg", new byte[3], 3L);
        fake.loseFileAtItsPath("lost");

        assertThatThrownBy(() -> source(1_000).download("lost"))
                .isInstanceOf(FileSource.FileUnavailableException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("404").doesNotContain(secret)
                        .doesNotContain("photos/lost.jpg"));
        assertThat(fake.callsTo("getFile")).hasSize(1);
        assertThat(fake.fileDownloads()).as("one try: nothing to retry").isEqualTo(1);
    }

    /**
     * Telegram's «wrong file_id or the file is temporarily unavailable» says the file may come at a later try: an
     * {@code IOException} the job tries again until its deadline, not a refusal for good that failed the order at the
     * first answer; the next try downloads it.
     */
    @Test
    void aFileTemporarilyUnavailableIsTriedAgain() throws IOException {
        fake.registerFile("dc-blip", "photos/dc.jpg", new byte[3], 3L);
        fake.failNext("getFile", 1,
                Failure.badRequest("Bad Request: wrong file_id or the file is temporarily unavailable"));

        assertThatThrownBy(() -> source(1_000).download("dc-blip")).isInstanceOf(IOException.class)
                .isNotInstanceOf(FileSource.FileUnavailableException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("temporarily unavailable").doesNotContain(secret));
        assertThat(source(1_000).download("dc-blip").content()).hasSize(3);
    }

    @Test
    void aStreamThatGrowsPastTheLimitIsCutOff() {
        fake.registerFile("liar", "documents/liar.bin", new byte[5_000], 10L); // claims 10 bytes
        assertThatThrownBy(() -> source(1_000).download("liar")).isInstanceOf(FileSource.FileTooLargeException.class);

        fake.registerFile("silent", "documents/silent.bin", new byte[5_000], null); // no file_size at all
        assertThatThrownBy(() -> source(1_000).download("silent")).isInstanceOf(FileSource.FileTooLargeException.class);
    }

    @Test
    void failuresNeverRevealTheTokenOrFileUrl() throws IOException {
        try (LogCapture logs = new LogCapture()) {
            assertThatThrownBy(() -> source(1_000).download("nope")).isInstanceOf(IOException.class)
                    .satisfies(e -> assertThat(e.getMessage()).contains("invalid file_id").doesNotContain(secret));

            fake.registerFile("gone", "documents/gone.bin", new byte[3], 3L);
            fake.failNext("getFile", 1, Failure.serverError());
            fake.failNext("getFile", 1, Failure.raw(502, "text/html", "<html>bad gateway</html>"));
            // retried (getFile is idempotent) and then downloaded
            assertThat(catchDownload("gone")).isNull();

            fake.registerFile("missing", "documents/missing.bin", new byte[3], 3L);
            fake.registerFile("other", "documents/other.bin", new byte[3], 3L);
            fake.failWhen("getFile", c -> c.param("file_id").equals("missing"), Failure.serverError());
            IOException e = catchDownload("missing");
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).doesNotContain(secret).doesNotContain("/file/bot");

            String token = fake.token();
            // unreachable: a port held bound and never listening, not the fake closed (its port, given back, may be
            // taken by another fake of the -T1C build, which answers the same token)
            IOException down;
            try (java.net.Socket refusing = FakeTelegramServer.refusingPort()) {
                down = catchDownload(new TelegramFileSource(TelegramBots.create(token, "http://127.0.0.1:"
                        + refusing.getLocalPort()), HttpClient.newHttpClient(), Duration.ofSeconds(5), 1_000,
                        new FakeTicker()), "other");
            }
            assertThat(down).isNotNull();
            assertThat(describe(down)).doesNotContain(secret).doesNotContain(token);
            assertThat(logs.all()).doesNotContain(secret);
        }
    }

    @Test
    void fileDownloadErrorsHideTheUrl() {
        // getFile answers a path that the file endpoint does not serve: the download gets 404
        fake.registerFile("x", "documents/x.bin", new byte[3], 3L);
        fake.failWhen("getFile", c -> true, Failure.raw(200, "application/json",
                "{\"ok\":true,\"result\":{\"file_id\":\"x\",\"file_unique_id\":\"u\",\"file_size\":3,\"file_path\":\"documents/elsewhere.bin\"}}"));
        IOException e = catchDownload("x");
        assertThat(e).isNotNull();
        assertThat(describe(e)).contains("404").doesNotContain(secret).doesNotContain("elsewhere");
    }

    @Test
    void blankFileIdIsAnIoException() {
        assertThatThrownBy(() -> source(10).download(" ")).isInstanceOf(IOException.class);
    }

    private IOException catchDownload(String id) {
        return catchDownload(source(1_000), id);
    }

    private static IOException catchDownload(TelegramFileSource source, String id) {
        try {
            source.download(id);
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
            for (StackTraceElement el : t.getStackTrace()) {
                sb.append(el).append('\n');
            }
        }
        return sb.toString();
    }
}
