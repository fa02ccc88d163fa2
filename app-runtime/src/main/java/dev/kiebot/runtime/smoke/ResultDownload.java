package dev.kiebot.runtime.smoke;

import dev.kiebot.telegram.RedirectGuard;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * Fetches a generated result the way the bot's delivery does (Telegram fetches the same URL), to prove it can be
 * downloaded. Reads at most {@link #BYTES_MAX} and keeps nothing but the count. Its redirects go through the
 * delivery's {@link RedirectGuard}, bounded by Kie's API as the delivery's is: a result on this machine or the private
 * network, or a redirect there, from a Kie on the internet is refused here as there.
 */
final class ResultDownload {
    /** Telegram's limit for a file sent by URL; more is read no further. */
    static final long BYTES_MAX = 50L * 1024 * 1024;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final int BUFFER_BYTES = 64 * 1024;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final RedirectGuard guard;

    /** {@code guard}: where the hops may lead, for URLs from Kie's API (tests stand a host elsewhere). */
    ResultDownload(RedirectGuard guard) {
        this.guard = Objects.requireNonNull(guard);
    }

    /** @return how many bytes came (at most {@link #BYTES_MAX}) */
    long fetch(String url) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("the result's URL is not a valid URL"); // the smoke test reports IOExceptions
        }
        // one that is not http(s) is refused by the guard, as the delivery's is
        HttpResponse<InputStream> response = guard.get(uri, TIMEOUT, request -> {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        });
        try (InputStream body = response.body()) {
            if (response.statusCode() / 100 != 2) {
                throw new IOException("HTTP " + response.statusCode());
            }
            byte[] buffer = new byte[BUFFER_BYTES];
            long total = 0;
            for (int n; total < BYTES_MAX && (n = body.read(buffer)) > 0; ) {
                total += n;
            }
            if (total == 0) {
                throw new IOException("the result is empty");
            }
            return total;
        }
    }
}
