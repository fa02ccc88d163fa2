package dev.kiebot.runtime.smoke;

import dev.kiebot.telegram.Downloads;
import dev.kiebot.telegram.RedirectGuard;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;

/**
 * Fetches a generated result the way the bot's delivery does, to prove it can be downloaded: by the delivery's own
 * path ({@link Downloads#count}), so through its {@link RedirectGuard}, bounded by Kie's API as the delivery's is (a
 * result on this machine or the private network, or a redirect there, from a Kie on the internet is refused here as
 * there), with its client, which connects only to the addresses the guard's checks saw, and its watchdog. Reads at
 * most {@link #BYTES_MAX} and keeps nothing but the count. Its own JDK client, with its own redirect handling, looked
 * each host up again when it connected and followed the JVM's proxy properties, unlike the delivery it stood for.
 */
final class ResultDownload {
    /** Telegram's limit for a file sent by URL, and the delivery's for one it downloads; more is read no further. */
    static final long BYTES_MAX = 50L * 1024 * 1024;
    /** The delivery's: the whole download gets it and the connect timeout together. */
    static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final RedirectGuard guard;

    /** {@code guard}: where the hops may lead, for URLs from Kie's API (tests stand a host elsewhere). */
    ResultDownload(RedirectGuard guard) {
        this.guard = Objects.requireNonNull(guard);
    }

    /** @return how many bytes came (at most {@link #BYTES_MAX}) */
    long fetch(String url) throws IOException {
        // one that is not http(s) is refused by the guard, as the delivery's is; the smoke test reports IOExceptions
        long bytes = Downloads.count(guard, url, BYTES_MAX, TIMEOUT);
        if (bytes == 0) {
            throw new IOException("the result is empty");
        }
        return bytes;
    }
}
