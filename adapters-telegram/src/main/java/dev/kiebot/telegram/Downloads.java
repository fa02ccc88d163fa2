package dev.kiebot.telegram;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Size-capped HTTP downloads, their redirects followed by {@link RedirectGuard}; error messages never contain the URL.
 * The bot's own client ({@link PinnedDownloadClient}) connects only to the addresses the guard checked; a partner's
 * JDK client ({@link DownloadClient.Jdk}) looks each host up again. Public for the runtime's smoke test, which fetches
 * a result by the same path ({@link #count}), and for the start's word on the JVM's proxy properties
 * ({@link #proxyFollowed}), which the bot's own client follows through a tunnel to the checked address.
 */
public final class Downloads {

    /** A downloaded body and the server's content type, if it sent one. */
    @SuppressWarnings("ArrayRecordComponent") // a download handed on once, never compared: no copy of up to 20 MB
    record Body(byte[] bytes, Optional<String> contentType) {
    }

    /** A body saved to a temporary file, deleted on {@link #close()}. */
    record Saved(Path file, long sizeBytes, Optional<String> contentType) implements AutoCloseable {
        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit(); // tried again at exit; the name holds nothing of the user's
            }
        }
    }

    /** The URL's host answered that the file is not there (404 Not Found, 410 Gone): no later try will find it. */
    static final class Gone extends IOException {
        private static final long serialVersionUID = 1L;

        Gone(int status) {
            super("download failed: HTTP " + status);
        }
    }

    /** The body is (or announced to be) larger than allowed. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        final long sizeBytes;

        TooLarge(long sizeBytes, long bytesMax) {
            super("body of " + (sizeBytes < 0 ? "more than " + bytesMax : Long.toString(sizeBytes)) + " bytes is over the "
                    + bytesMax + " byte limit");
            this.sizeBytes = sizeBytes;
        }
    }

    private static final Map<String, String> MIME_BY_EXT = Map.ofEntries(
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("png", "image/png"),
            Map.entry("webp", "image/webp"), Map.entry("gif", "image/gif"), Map.entry("heic", "image/heic"),
            Map.entry("mp4", "video/mp4"), Map.entry("mov", "video/quicktime"), Map.entry("webm", "video/webm"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"), Map.entry("ogg", "audio/ogg"),
            Map.entry("oga", "audio/ogg"), Map.entry("opus", "audio/ogg"), Map.entry("wav", "audio/wav"),
            Map.entry("flac", "audio/flac"), Map.entry("pdf", "application/pdf"), Map.entry("zip", "application/zip"),
            Map.entry("tgs", "application/x-tgsticker"), Map.entry("txt", "text/plain"));

    /** With the JVM's lookup. */
    private static final RedirectGuard GUARD = new RedirectGuard();

    private Downloads() {
    }

    /**
     * GETs {@code url} (http or https only) and reads at most {@code bytesMax} bytes into memory: for files that are
     * needed as bytes anyway (a user's photo on its way to Kie).
     *
     * @param redactToken a secret that must not appear in error messages (may be null)
     * @throws TooLarge    when Content-Length or the stream exceeds {@code bytesMax}
     * @throws RedirectGuard.Refused when the URL or a redirect leads where {@link RedirectGuard} refuses to go
     * @throws IOException on any other failure, also when the whole download (headers and body) takes longer than the
     *                     client's connect timeout and {@code timeout} together; the message never contains the URL
     */
    static Body get(HttpClient http, String url, long bytesMax, Duration timeout, String redactToken) throws IOException {
        return get(new DownloadClient.Jdk(http), GUARD, url, bytesMax, timeout, redactToken);
    }

    /** {@link #get(HttpClient, String, long, Duration, String)} with the hops checked by {@code guard}. */
    static Body get(HttpClient http, RedirectGuard guard, String url, long bytesMax, Duration timeout,
                    String redactToken) throws IOException {
        return get(new DownloadClient.Jdk(http), guard, url, bytesMax, timeout, redactToken);
    }

    /** {@link #get(HttpClient, String, long, Duration, String)} with {@code client}'s requests. */
    static Body get(DownloadClient client, String url, long bytesMax, Duration timeout, String redactToken)
            throws IOException {
        return get(client, GUARD, url, bytesMax, timeout, redactToken);
    }

    /** {@link #get(HttpClient, RedirectGuard, String, long, Duration, String)} with {@code client}'s requests. */
    static Body get(DownloadClient client, RedirectGuard guard, String url, long bytesMax, Duration timeout,
                    String redactToken) throws IOException {
        Fetched<byte[]> f = fetch(client, guard, url, bytesMax, timeout, redactToken,
                (in, declaredBytes) -> declaredBytes >= 0 ? readDeclared(in, declaredBytes) : readCapped(in, bytesMax));
        return new Body(f.body(), f.contentType());
    }

    /**
     * Like {@link #get} but into a temporary file, which the caller deletes ({@link Saved#close()}). A result Telegram
     * could not fetch by URL may be 50 MB; read into memory it took five times that in allocations on the way (the
     * buffer doubling, the copies), more than the whole heap of a small box (128 MiB), and stopped the bot.
     */
    static Saved save(HttpClient http, String url, long bytesMax, Duration timeout, String redactToken) throws IOException {
        return save(new DownloadClient.Jdk(http), GUARD, url, bytesMax, timeout, redactToken);
    }

    /** {@link #save(HttpClient, String, long, Duration, String)} with the hops checked by {@code guard}. */
    static Saved save(HttpClient http, RedirectGuard guard, String url, long bytesMax, Duration timeout,
                      String redactToken) throws IOException {
        return save(new DownloadClient.Jdk(http), guard, url, bytesMax, timeout, redactToken);
    }

    /** {@link #save(HttpClient, RedirectGuard, String, long, Duration, String)} with {@code client}'s requests. */
    static Saved save(DownloadClient client, RedirectGuard guard, String url, long bytesMax, Duration timeout,
                      String redactToken) throws IOException {
        Path file = Files.createTempFile("kiebot-download-", ".part");
        try {
            Fetched<Long> f;
            try (OutputStream out = Files.newOutputStream(file)) {
                f = fetch(client, guard, url, bytesMax, timeout, redactToken,
                        (in, declaredBytes) -> copyCapped(in, out, bytesMax));
            }
            return new Saved(file, f.body(), f.contentType());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * GETs {@code url} as the bot's deliveries do, with its own client (each hop checked by {@code guard}, each
     * connection to the addresses that check saw) and the same watchdog, and keeps nothing but how many bytes came:
     * for a check that a file can be fetched (the smoke test's result). Reads no further than {@code bytesMax}, which
     * is no failure: the count is then {@code bytesMax}.
     *
     * @throws RedirectGuard.Refused when the URL or a redirect leads where {@link RedirectGuard} refuses to go
     * @throws IOException on any other failure (an answer that is not 2xx, {@link Gone} for 404 and 410, the whole
     *                     download longer than the connect timeout and {@code timeout} together); the message never
     *                     contains the URL
     */
    public static long count(RedirectGuard guard, String url, long bytesMax, Duration timeout) throws IOException {
        return count(new PinnedDownloadClient(), guard, url, bytesMax, timeout);
    }

    /** {@link #count(RedirectGuard, String, long, Duration)} with {@code client}'s requests. */
    static long count(DownloadClient client, RedirectGuard guard, String url, long bytesMax, Duration timeout)
            throws IOException {
        // no size is too large here: whatever Content-Length says, the count stops at bytesMax
        return fetch(client, guard, url, Long.MAX_VALUE, timeout, null,
                (in, declaredBytes) -> countCapped(in, bytesMax)).body();
    }

    /** Reads a body whose length the server declared (-1 when it did not), already within the limit. */
    private interface BodyReader<T> {
        T read(InputStream in, long declaredBytes) throws IOException;
    }

    private record Fetched<T>(T body, Optional<String> contentType) {
    }

    private static <T> Fetched<T> fetch(DownloadClient client, RedirectGuard guard, String url, long bytesMax,
                                        Duration timeout, String redactToken, BodyReader<T> reader) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a valid URL");
        }
        // The request timeout ends once the headers are in and the client has no read timeout, so a body that stalled
        // held its caller for ever (a reply sender, or the one job thread). The whole download, its redirects
        // included, gets the connect and request timeouts together, as KieClient's answers do; past them the call in
        // flight is cancelled and its body closed, which fails a read blocked on it.
        Duration limit = client.connectTimeout().plus(timeout);
        AtomicBoolean abandoned = new AtomicBoolean();
        AtomicReference<CompletableFuture<HttpResponse<InputStream>>> current = new AtomicReference<>();
        CompletableFuture<Void> watchdog = new CompletableFuture<Void>().orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS);
        watchdog.exceptionally(late -> {
            abandoned.set(true);
            Optional.ofNullable(current.get()).ifPresent(Downloads::abandon);
            return null;
        });
        DownloadClient.Requests requests = client.forOneDownload(timeout);
        RedirectGuard.Exchange exchange = request -> {
            CompletableFuture<HttpResponse<InputStream>> call;
            try {
                call = requests.send(request);
            } catch (RuntimeException e) {
                throw new IOException("download failed: " + redacted(e, redactToken, url, request.uri()));
            }
            current.set(call);
            if (abandoned.get()) {
                abandon(call); // the watchdog went off between two hops, before it could see this call
            }
            return await(call, url, request.uri(), redactToken);
        };
        try {
            return read(guard.get(uri, timeout, exchange, requests), bytesMax, reader);
        } catch (TooLarge | RedirectGuard.Refused e) {
            throw e;
        } catch (IOException e) {
            if (abandoned.get()) {
                throw new HttpTimeoutException(
                        "download failed: timed out (not complete within " + limit.toMillis() + " ms)");
            }
            throw e;
        } finally {
            watchdog.complete(null);
            // still waiting for the headers only when interrupted: the call is aborted
            Optional.ofNullable(current.get()).ifPresent(call -> call.cancel(true));
            requests.close();
        }
    }

    @SuppressWarnings("FutureReturnValueIgnored") // closing an abandoned answer's body, best effort: nothing waits for it
    private static void abandon(CompletableFuture<HttpResponse<InputStream>> call) {
        call.cancel(true);
        call.thenAccept(r -> closeQuietly(r.body()));
    }

    /** The failure's description without the token or the URLs of the download. */
    private static String redacted(Throwable e, String redactToken, String url, URI hop) {
        return Redaction.describe(e, redactToken).replace(url, "<url>").replace(hop.toString(), "<url>");
    }

    /** The answer to one request of the download (a redirect or the file's). */
    private static HttpResponse<InputStream> await(CompletableFuture<HttpResponse<InputStream>> call, String url,
                                                   URI hop, String redactToken) throws IOException {
        try {
            return call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (CancellationException e) {
            throw new IOException("download failed: cancelled"); // by the watchdog only, which says so
        } catch (ExecutionException e) {
            throw new IOException("download failed: " + redacted(e.getCause(), redactToken, url, hop));
        }
    }

    @SuppressWarnings("StringSplitter") // a media type's own parameters, after ";": only the type before them is read
    private static <T> Fetched<T> read(HttpResponse<InputStream> response, long bytesMax, BodyReader<T> reader)
            throws IOException {
        try (InputStream in = response.body()) {
            if (response.statusCode() == 404 || response.statusCode() == 410) {
                throw new Gone(response.statusCode());
            }
            if (response.statusCode() / 100 != 2) {
                throw new IOException("download failed: HTTP " + response.statusCode());
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > bytesMax) {
                throw new TooLarge(declared, bytesMax);
            }
            T body = reader.read(in, declared);
            return new Fetched<>(body, response.headers().firstValue("Content-Type")
                    .map(t -> t.split(";")[0].trim().toLowerCase(Locale.ROOT))
                    .filter(t -> !t.isEmpty()));
        } catch (TooLarge e) {
            throw e;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("download failed")) {
                throw e;
            }
            throw new IOException("download failed: " + e.getClass().getSimpleName());
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the download is abandoned either way
        }
    }

    /** One array of the declared size: read through a growing buffer, a 20 MB photo took three times its size. */
    private static byte[] readDeclared(InputStream in, long declaredBytes) throws IOException {
        byte[] body = new byte[Math.toIntExact(declaredBytes)];
        int read = in.readNBytes(body, 0, body.length);
        if (read < body.length || in.read() != -1) {
            throw new IOException("download failed: the body does not match its declared length");
        }
        return body;
    }

    private static byte[] readCapped(InputStream in, long bytesMax) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        copyCapped(in, out, bytesMax);
        return out.toByteArray();
    }

    /** Copies the stream, failing as soon as it grows past {@code bytesMax}; returns the bytes copied. */
    private static long copyCapped(InputStream in, OutputStream out, long bytesMax) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            total += n;
            if (total > bytesMax) {
                throw new TooLarge(-1, bytesMax);
            }
            out.write(buf, 0, n);
        }
        return total;
    }

    /**
     * What the start says of the JVM's proxy properties ({@code https.proxyHost} and {@code https.proxyPort},
     * {@code http.proxyHost} and {@code http.proxyPort}, {@code java.net.useSystemProxies=true}), which the Bot API's
     * and Kie's calls follow and so do the bot's downloads: through the proxy's tunnel (CONNECT) to the address each
     * hop's check saw, by its IP literal ({@link ProxyTunnel}). Given the host's name, the proxy would look it up
     * itself, past the check, and a name this machine's DNS answers publicly might lead it into its own network; so
     * the downloads used to connect directly, and on a box that reaches the internet only through the proxy each of
     * them failed. Names the proxies by host and port only.
     *
     * @param properties the JVM's system properties ({@link System#getProperties()})
     * @return one line naming the proxies the downloads go through; empty when none is named
     * @throws IllegalArgumentException when a property the JDK would misread is set: a port that is not one
     *                                  (1-65535), a host with a scheme, a port, a path or credentials in it; the
     *                                  message names the property, never the credentials
     */
    public static Optional<String> proxyFollowed(Properties properties) {
        List<String> through = new ArrayList<>();
        for (String scheme : List.of("https", "http")) {
            String host = properties.getProperty(scheme + ".proxyHost", "").strip();
            if (host.isEmpty()) {
                continue;
            }
            int port = proxyPort(properties, scheme);
            checkProxyHost(scheme + ".proxyHost", host);
            boolean bare6 = host.indexOf(':') >= 0 && !host.startsWith("["); // an IPv6 address, bracketed to add its port
            through.add(scheme + " URLs through " + (bare6 ? "[" + host + "]" : host) + ":" + port);
        }
        boolean system = Boolean.parseBoolean(properties.getProperty("java.net.useSystemProxies", "").strip());
        if (through.isEmpty() && !system) {
            return Optional.empty();
        }
        String proxies = through.isEmpty()
                ? "the system's proxy settings (java.net.useSystemProxies=true), where they name an HTTP proxy"
                : String.join(", ", through) + (system
                        ? ", other URLs by the system's proxy settings (java.net.useSystemProxies=true)" : "");
        return Optional.of("the bot's downloads follow the JVM's proxy properties as the Bot API's and Kie's calls do: "
                + proxies + "; each connection is tunnelled (CONNECT) to the address its host's check saw, by that "
                + "address, so the proxy looks no name up (hosts of http.nonProxyHosts, by default localhost and "
                + "127.*, are reached directly)");
    }

    /** The port of the scheme's proxy: its property, or the JDK's default (443 for https, 80 for http). */
    private static int proxyPort(Properties properties, String scheme) {
        String name = scheme + ".proxyPort";
        String text = properties.getProperty(name, "").strip();
        if (text.isEmpty()) {
            return scheme.equals("https") ? 443 : 80;
        }
        int port;
        try {
            port = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            port = 0;
        }
        if (port < 1 || port > 65_535) {
            // the JDK would take its default port instead, without a word
            throw new IllegalArgumentException(name + " is not a port (1-65535): "
                    + (text.length() > 12 ? text.substring(0, 12) + "…" : text));
        }
        return port;
    }

    /** A host name or IP address alone, as the JDK reads the property; refused with what to write instead. */
    private static void checkProxyHost(String name, String host) {
        if (host.indexOf('@') >= 0) {
            // never the credentials: what follows the last @ is the host
            throw new IllegalArgumentException(name + " holds credentials (…@" + host.substring(host.lastIndexOf('@') + 1)
                    + "): the JVM's proxy properties take none; name the host alone and let the proxy pass this "
                    + "machine without them");
        }
        boolean ipv6 = host.chars().filter(c -> c == ':').count() > 1;
        if (host.contains("://") || host.indexOf('/') >= 0 || (host.indexOf(':') >= 0 && !ipv6)
                || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(name + "=" + host + " is not a host name or address alone: write "
                    + "e.g. -D" + name + "=proxy.example -D" + name.replace("Host", "Port") + "=3128");
        }
    }

    /** Reads and drops the stream's bytes until it ends or {@code bytesMax} came; how many came. */
    private static long countCapped(InputStream in, long bytesMax) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; total < bytesMax && (n = in.read(buf, 0, (int) Math.min(buf.length, bytesMax - total))) != -1; ) {
            total += n;
        }
        return total;
    }

    /** The last path segment of a URL or path, without query; empty when there is none. */
    static String fileName(String urlOrPath) {
        String s = urlOrPath;
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q);
        }
        int h = s.indexOf('#');
        if (h >= 0) {
            s = s.substring(0, h);
        }
        int slash = s.lastIndexOf('/');
        String name = slash >= 0 ? s.substring(slash + 1) : s;
        if (name.contains(":")) {
            return "";
        }
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** A MIME type guessed from a file extension. */
    static Optional<String> mimeFromName(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot == name.length() - 1) {
            return Optional.empty();
        }
        return Optional.ofNullable(MIME_BY_EXT.get(name.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }
}
