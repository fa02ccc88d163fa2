package dev.kiebot.runtime.config;

import dev.kiebot.runtime.http.HttpEndpoints;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/**
 * Where this instance is reached over HTTP.
 *
 * @param publicUrl the public base URL ({@code WEBHOOK_BASE_URL}, else Render's {@code RENDER_EXTERNAL_URL});
 *                  the webhook URL and the Kie callback URL are built on it
 * @param port      {@code PORT}: the webhook runner listens here ({@value #DEFAULT_WEBHOOK_PORT} when unset); the
 *                  polling runner serves health and metrics here only when it is set
 * @param metricsToken {@code METRICS_TOKEN}: what a scrape of /metrics from elsewhere than this machine must bring
 *                     (secret)
 * @param bindAddress  {@code BIND_ADDRESS}: the address listened on (an IP literal); empty: every interface
 * @param connectionsPerAddress {@code HTTP_CONNECTIONS_PER_ADDRESS}: connections one client address may hold open
 * @param headerDeadline {@code HTTP_HEADER_DEADLINE_MS}: how long a request's headers may take from their first byte
 */
public record HttpSettings(Optional<URI> publicUrl, Optional<Integer> port, Optional<String> metricsToken,
                           Optional<String> bindAddress, int connectionsPerAddress, Duration headerDeadline) {
    /** The same alphabet and lengths as the doors' secrets: it goes in a header. */
    private static final String TOKEN_ALPHABET = "[A-Za-z0-9_-]{16,256}";
    public static final int DEFAULT_WEBHOOK_PORT = 8080;
    private static final int PORT_MAX = 65_535;
    /** Telegram alone may open 100 to a webhook; the server takes 1,000 in all. */
    private static final int CONNECTIONS_PER_ADDRESS_MIN = 10;
    private static final int CONNECTIONS_PER_ADDRESS_MAX = 1_000;
    /** Below a second a client on a poor mobile line may miss it; past two minutes slowloris holds on again. */
    private static final int HEADER_DEADLINE_MS_MIN = 1_000;
    private static final int HEADER_DEADLINE_MS_MAX = 120_000;
    /** An IPv4 or IPv6 literal's characters: checked before parsing, so that no name is ever looked up. */
    private static final String ADDRESS_LITERAL =
            "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
            + "|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*";

    static HttpSettings read(Env env) {
        Optional<URI> base = env.url("WEBHOOK_BASE_URL");
        Optional<URI> earlier = env.url("WEBHOOK_URL").map(HttpSettings::origin);
        if (earlier.isPresent() && base.isPresent()) {
            env.notice("WEBHOOK_URL is ignored: WEBHOOK_BASE_URL is set as well and wins");
        } else if (earlier.isPresent()) {
            // the earlier bots registered a path, some with a secret in it: never quote it
            env.notice("WEBHOOK_URL (an earlier bot's name) is read as WEBHOOK_BASE_URL without its path: Telegram "
                    + "is told to post to <that host>/telegram");
        }
        Optional<URI> publicUrl = base.or(() -> earlier).or(() -> env.url("RENDER_EXTERNAL_URL"));
        Optional<Integer> port = env.optional("PORT").map(v -> env.integer("PORT", DEFAULT_WEBHOOK_PORT, 1, PORT_MAX));
        Optional<String> metricsToken = env.secret("METRICS_TOKEN");
        metricsToken.ifPresent(env::secretValue);
        if (metricsToken.isPresent() && !metricsToken.get().matches(TOKEN_ALPHABET)) {
            env.problem("METRICS_TOKEN must be 16-256 characters of A-Z a-z 0-9 _ - (or unset: /metrics then answers "
                    + "this machine only)");
        }
        Optional<String> bindAddress = env.optional("BIND_ADDRESS");
        if (bindAddress.isPresent() && !addressLiteral(bindAddress.get())) {
            env.problem("BIND_ADDRESS must be an IP address of this machine, such as 127.0.0.1 (behind a proxy on "
                    + "this machine) or :: (unset: every interface), not " + bindAddress.get());
        }
        int perAddress = env.integer("HTTP_CONNECTIONS_PER_ADDRESS", HttpEndpoints.CONNECTIONS_PER_ADDRESS,
                CONNECTIONS_PER_ADDRESS_MIN, CONNECTIONS_PER_ADDRESS_MAX);
        Duration headerDeadline = Duration.ofMillis(env.integer("HTTP_HEADER_DEADLINE_MS",
                (int) HttpEndpoints.HEADER_DEADLINE.toMillis(), HEADER_DEADLINE_MS_MIN, HEADER_DEADLINE_MS_MAX));
        return new HttpSettings(publicUrl, port, metricsToken, bindAddress, perAddress, headerDeadline);
    }

    private static boolean addressLiteral(String value) {
        if (!value.matches(ADDRESS_LITERAL)) {
            return false;
        }
        try {
            InetAddress.getByName(value); // a literal (an IPv6 one with a colon): parsed, never looked up
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** {@code https://host:port/any/path?q} → {@code https://host:port}: the earlier bots' full webhook URL. */
    static URI origin(URI url) {
        return URI.create(url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()));
    }

    /** The port the webhook runner listens on. */
    public int webhookPort() {
        return port.orElse(DEFAULT_WEBHOOK_PORT);
    }

    /** {@code publicUrl + path}, without a doubled slash. */
    Optional<String> publicUrl(String path) {
        return publicUrl.map(u -> withPath(u, path));
    }

    static String withPath(URI base, String path) {
        String s = base.toString();
        return (s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + path;
    }
}
