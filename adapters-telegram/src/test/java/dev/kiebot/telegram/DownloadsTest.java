package dev.kiebot.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client's request timeout ends once the headers are in, and it has no read timeout: a server that sent its headers
 * and then stalled mid-body held the downloading thread for ever (a reply sender, or the one job thread). The whole
 * download is now bounded by the connect timeout and the download timeout together, with a partner's JDK client and
 * with the bot's own.
 */
class DownloadsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Far above the timeout and the connect timeout together: the assertion is on not hanging, not on speed. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private HttpServer server;
    private String stalledUrl;

    @BeforeEach
    void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // a CDN or a proxy that hangs mid-body: the headers and 1 KB, then nothing; announced as 1 MB, or chunked
        server.createContext("/stalled.mp4", ex -> stall(ex, 1024 * 1024));
        server.createContext("/stalled-chunked.mp4", ex -> stall(ex, 0));
        // one byte every 200 ms, for ever: no read waits long, but the download never ends
        server.createContext("/dripping.mp4", this::drip);
        server.setExecutor(serverThreads);
        server.start();
        stalledUrl = "http://127.0.0.1:" + server.getAddress().getPort() + "/stalled.mp4";
    }

    private void stall(HttpExchange ex, long declaredBytes) throws IOException {
        ex.sendResponseHeaders(200, declaredBytes);
        OutputStream out = ex.getResponseBody();
        out.write(new byte[1024]);
        out.flush();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ex.close();
    }

    private void drip(HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, 1024 * 1024);
        OutputStream out = ex.getResponseBody();
        try {
            while (!release.await(200, TimeUnit.MILLISECONDS)) {
                out.write(0);
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the download gave up and closed the connection
        }
        ex.close();
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    /** A partner's JDK client, and the bot's own (which connects only where the redirect checks looked). */
    private static Stream<DownloadClient> clients() {
        return Stream.of(new DownloadClient.Jdk(HTTP), new PinnedDownloadClient(Duration.ofSeconds(1),
                SocketFactory.getDefault()));
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aBodyThatStallsFailsTheDownloadIntoMemoryOnceTheTimeoutRunsOut(DownloadClient client) {
        assertTimeoutPreemptively(BOUND, () ->
                assertThatThrownBy(() -> Downloads.get(client, stalledUrl, 50L << 20, TIMEOUT, null))
                        .isInstanceOf(IOException.class)
                        .isNotInstanceOf(Downloads.TooLarge.class)
                        .hasMessageStartingWith("download failed")
                        .hasMessageNotContaining(stalledUrl));
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aBodyThatStallsFailsTheDownloadToAFileOnceTheTimeoutRunsOutAndLeavesNoPartialFile(DownloadClient client)
            throws IOException {
        List<Path> partsBefore = downloadParts();

        assertTimeoutPreemptively(BOUND, () ->
                assertThatThrownBy(() -> Downloads.save(client, new RedirectGuard(), stalledUrl, 50L << 20, TIMEOUT, null))
                        .isInstanceOf(IOException.class)
                        .isNotInstanceOf(Downloads.TooLarge.class)
                        .hasMessageStartingWith("download failed")
                        .hasMessageNotContaining(stalledUrl));

        assertThat(downloadParts()).as("the partial file is deleted").isSubsetOf(partsBefore);
    }

    @ParameterizedTest
    @MethodSource("clients")
    void aBodyThatDripsFasterThanAnyReadTimeoutFailsOnceTheWholeDownloadTookTooLong(DownloadClient client) {
        String drippingUrl = stalledUrl.replace("/stalled.mp4", "/dripping.mp4");

        assertTimeoutPreemptively(BOUND, () ->
                assertThatThrownBy(() -> Downloads.get(client, drippingUrl, 50L << 20, TIMEOUT, null))
                        .isInstanceOf(HttpTimeoutException.class)
                        .hasMessageStartingWith("download failed: timed out"));
    }

    @ParameterizedTest
    @MethodSource("clients")
    void theByteCapStillCutsAnUndeclaredBodyAsSoonAsItGrowsPastIt(DownloadClient client) {
        String chunkedUrl = stalledUrl.replace("/stalled.mp4", "/stalled-chunked.mp4");

        assertTimeoutPreemptively(BOUND, () -> {
            assertThatThrownBy(() -> Downloads.get(client, chunkedUrl, 1000, Duration.ofSeconds(30), null))
                    .isInstanceOf(Downloads.TooLarge.class);
            assertThatThrownBy(() -> Downloads.save(client, new RedirectGuard(), chunkedUrl, 1000, Duration.ofSeconds(30), null))
                    .isInstanceOf(Downloads.TooLarge.class);
        });
    }

    /**
     * The smoke test's count reads no further than its cap, whatever the body announced, and that is no failure: it
     * read the whole of a result before (a 1 MB body announced here stalls after its first 1 KB).
     */
    @ParameterizedTest
    @MethodSource("clients")
    void aCountStopsAtItsCapWithoutWaitingForTheRestOrCallingTheBodyTooLarge(DownloadClient client) {
        String chunkedUrl = stalledUrl.replace("/stalled.mp4", "/stalled-chunked.mp4");

        assertTimeoutPreemptively(BOUND, () -> {
            assertThat(Downloads.count(client, new RedirectGuard(), stalledUrl, 1000, Duration.ofSeconds(30)))
                    .isEqualTo(1000);
            assertThat(Downloads.count(client, new RedirectGuard(), chunkedUrl, 1000, Duration.ofSeconds(30)))
                    .isEqualTo(1000);
        });
    }

    private static List<Path> downloadParts() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("kiebot-download-")).sorted().toList();
        }
    }
}
