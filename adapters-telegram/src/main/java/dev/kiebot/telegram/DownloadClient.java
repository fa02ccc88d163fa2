package dev.kiebot.telegram;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What sends a download's requests ({@link Downloads}): the bot's own client, which connects only to the addresses
 * {@link RedirectGuard} checked ({@link PinnedDownloadClient}), or a partner's JDK {@link HttpClient}, which looks each
 * host up again when it connects ({@link Jdk}).
 */
sealed interface DownloadClient permits DownloadClient.Jdk, PinnedDownloadClient {

    /** How long a connection may take to open: the whole download gets it on top of its own timeout. */
    Duration connectTimeout();

    /** The requests of one download, whose hops {@code timeout} bounds each; closed once the download is over. */
    Requests forOneDownload(Duration timeout);

    /** One download's requests, told by its guard where each host was checked to be. */
    interface Requests extends RedirectGuard.Checked, AutoCloseable {
        /**
         * Sends {@code request}; the answer's body is the caller's to close. Cancelling the future before the answer
         * came aborts the request; closing the answer's body ends it, also from another thread.
         */
        CompletableFuture<HttpResponse<InputStream>> send(HttpRequest request);

        @Override
        void close();
    }

    /**
     * A partner's client, as it is: it resolves each host again when it connects, so a DNS answering its check and its
     * connection differently leads it where the check did not look (DNS rebinding), and it follows redirects itself
     * when told to (the guard then only keeps their body from the chat).
     */
    record Jdk(HttpClient http) implements DownloadClient {
        public Jdk {
            Objects.requireNonNull(http, "http");
        }

        @Override
        public Duration connectTimeout() {
            return http.connectTimeout().orElse(Duration.ZERO);
        }

        @Override
        public Requests forOneDownload(Duration timeout) {
            return new Requests() {
                @Override
                public void saw(String host, List<InetAddress> addresses) {
                    // the client looks the host up itself
                }

                @Override
                public CompletableFuture<HttpResponse<InputStream>> send(HttpRequest request) {
                    return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
                }

                @Override
                public void close() {
                    // the client's connections are its own
                }
            };
        }
    }
}
