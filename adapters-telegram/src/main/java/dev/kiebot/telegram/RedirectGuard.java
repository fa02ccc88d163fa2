package dev.kiebot.telegram;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a download may lead. A result's URL comes from Kie's status answer, and the host behind it may answer with a
 * redirect to anywhere; followed by the HTTP client, one to this machine or the private network (a cloud's metadata
 * at 169.254.169.254, an admin page on 127.0.0.1) was fetched and its body sent into a user's chat. So the redirects
 * are followed here, by hand, each hop checked before it is asked:
 * <ul>
 *   <li>at most {@value #HOPS_MAX} of them, to http(s) only (the first URL too), never from https to http;</li>
 *   <li>a host with a link-local (169.254.0.0/16, fe80::/10), unspecified (0.0.0.0/8, ::) or multicast address is
 *       refused, also as the first URL: no file a shop delivers lives there;</li>
 *   <li>loopback (127.0.0.0/8, ::1) and private addresses (10/8, 172.16/12, 192.168/16, 100.64/10, 198.18/15,
 *       192.0.0.0/24, 240/4, fc00::/7, fec0::/10, 64:ff9b:1::/48; an IPv6 address carrying an IPv4 one — NAT64's
 *       64:ff9b::/96, 6to4, IPv4-compatible, IPv4-mapped — counts as that IPv4 address: {@link NetworkReach}) are
 *       reached no further inward than the first URL was: a download that started on this machine (tests, a local
 *       Bot API server) may be sent on anywhere but the refused ones, one that started on the private network (an
 *       operator's own mirror) anywhere but this machine, one that started on the internet into neither.</li>
 * </ul>
 * The first URL itself is bounded by where it came from, when the guard is told ({@link #forUrlsFrom}): a result's
 * URL is in Kie's answer, and Kie's API on the internet has no business sending the bot to this machine or the
 * private network (a status answer with {@code http://169.254.169.254/...} or {@code http://127.0.0.1:9000/admin} as
 * its result), while a Kie fake on 127.0.0.1 in tests may. So a guard for URLs from a source reaches no further
 * inward than the source's host, the first URL included; one for URLs from somewhere on the internet
 * ({@link #forUrlsFromTheInternet}: what {@code TelegramMessenger} assumes when not told its media URLs' source) no
 * further than the internet; one told neither trusts its first URL as far as the rules above allow (the caller made
 * the URL: a Telegram file's URL is the Bot API's own host with a path appended).
 *
 * <p>A client that follows redirects itself (a partner's {@code HttpClient} for {@code TelegramMessenger}) has asked
 * the hops before they could be checked; the same rules are applied to the chain it followed, and its body is not
 * handed on when they refuse it.
 *
 * <p>DNS rebinding: a hop's host is looked up once, by its check, and the bot's own download client
 * ({@code PinnedDownloadClient}, what {@code TelegramMessenger} and {@code TelegramFileSource} use unless given a
 * client) connects only to the addresses that check saw; a DNS that answers the check a public
 * address and 127.0.0.1 or 169.254.169.254 a moment later is never asked again. A partner's JDK
 * {@code HttpClient} looks each host up again when it connects (Java 17's client takes no resolver, and asking for
 * the checked address by its literal would break TLS, whose certificate names the host): with one, the check stands
 * on an answer the connection may not get, both lookups going through {@link InetAddress}'s cache (30 s by
 * default), so such a DNS has to hit the moment its entry ends. Through a proxy (a partner's client following the
 * default proxy selector's system properties) the proxy resolves the host, and the check stands on this machine's
 * answer; the bot's own client asks the proxy for a tunnel to the checked address by its IP literal
 * ({@code ProxyTunnel}), which leaves the proxy no name to look up.
 */
public final class RedirectGuard {
    /** Redirects followed for one download: a CDN's chain takes one or two. */
    public static final int HOPS_MAX = 5;

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /**
     * The addresses of a host, as the checks look them up (the bot's own client connects to those, a partner's looks
     * the host up again); injectable so tests can stand a host anywhere.
     */
    @FunctionalInterface
    public interface Resolver {
        /** The host's addresses; throws when it has none. */
        List<InetAddress> addresses(String host) throws UnknownHostException;

        /** The JVM's lookup (and its cache), which a partner's JDK client uses too. */
        Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));
    }

    /** Sends one request of the download with the caller's client, timeouts and cancellation. */
    @FunctionalInterface
    public interface Exchange {
        HttpResponse<InputStream> send(HttpRequest request) throws IOException;
    }

    /** Where the addresses a download's checks saw are told, by host. */
    @FunctionalInterface
    interface Checked {
        /** Told nowhere: the client looks the hosts up again when it connects. */
        Checked FORGOTTEN = (host, addresses) -> { };

        /**
         * {@code host} (in lower case, an IPv6 literal without its brackets, as OkHttp asks its resolver) is at
         * {@code addresses}, all of them within the rules.
         */
        void saw(String host, List<InetAddress> addresses);
    }

    /** A hop the rules refuse; the message names neither the URL nor the host. */
    public static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String why) {
            super("download refused: " + why);
        }
    }

    /** A host without addresses. */
    private static final class NotKnown extends IOException {
        private static final long serialVersionUID = 1L;

        NotKnown() {
            super("download failed: the host is not known");
        }
    }


    private final Resolver resolver;
    /** Where the first URLs come from: they reach no further inward than its host, looked up at each download. */
    private final Optional<URI> source;
    /**
     * How far inward a first URL may lie when no source host is named: this machine (anywhere the rules allow) for
     * the caller's own URLs, the internet for URLs from a place there.
     */
    private final NetworkReach withoutSource;

    /**
     * With the JVM's lookup; the first URL trusted (see {@link #forUrlsFrom} and {@link #forUrlsFromTheInternet} for
     * URLs another party handed over).
     */
    public RedirectGuard() {
        this(Resolver.SYSTEM);
    }

    public RedirectGuard(Resolver resolver) {
        this(resolver, Optional.empty(), NetworkReach.LOOPBACK);
    }

    private RedirectGuard(Resolver resolver, Optional<URI> source, NetworkReach withoutSource) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.source = source;
        this.withoutSource = withoutSource;
    }

    /**
     * This guard for URLs that came in the answers of {@code source} (a result's from the Kie API,
     * {@code KIE_BASE_URL}): the first URL, and so every hop after it, reaches no further inward than {@code source}'s
     * host. A source on the internet cannot send a download to this machine or the private network; one on this
     * machine (a test's fake, a local server) may send it anywhere the rules allow. The source's host is looked up
     * at each download whose first URL is not on the internet (one there is within any source's reach), as the
     * hops' are, so a change of its address is followed; a source that cannot be looked up then fails the
     * download. Lookups run beside the download, within its timeout ({@link HostLookups}).
     *
     * @throws IllegalArgumentException when {@code source} has no host
     */
    public RedirectGuard forUrlsFrom(URI source) {
        Objects.requireNonNull(source, "source");
        if (source.getHost() == null || source.getHost().isEmpty()) {
            throw new IllegalArgumentException("the URLs' source names no host");
        }
        return new RedirectGuard(resolver, Optional.of(source), NetworkReach.LOOPBACK);
    }

    /**
     * This guard for URLs that came from a place on the internet not named here: the first URL, and so every hop
     * after it, must be on the internet, as with {@link #forUrlsFrom} a source there (this machine, the private
     * network and the addresses refused above are not asked), with no source host to look up. For URLs whose
     * origin is not known, e.g. a {@code TelegramMessenger}'s media URLs when it is not told where they come from.
     */
    public RedirectGuard forUrlsFromTheInternet() {
        return new RedirectGuard(resolver, Optional.empty(), NetworkReach.PUBLIC);
    }

    /**
     * GETs {@code start} through {@code exchange}, following its redirects (the client's own should be off,
     * {@code HttpClient.Redirect.NEVER}).
     *
     * @return the first answer that is not a redirect (a 3xx without a {@code Location} included); its body is the
     *         caller's to read and close
     * @throws Refused     when {@code start} is not http(s) (checked before anything is looked up or asked) or a hop
     *                     breaks the rules above
     * @throws IOException when a host cannot be looked up (the call's lookups together within {@code timeout}, so
     *                     within a caller's watchdog of at least that), a {@code Location} is not a URL, or
     *                     {@code exchange} fails
     */
    public HttpResponse<InputStream> get(URI start, Duration timeout, Exchange exchange) throws IOException {
        return get(start, timeout, exchange, Checked.FORGOTTEN);
    }

    /**
     * {@link #get(URI, Duration, Exchange)}, telling {@code checked} each host's addresses as its check saw them,
     * before the request to it is sent: a client that connects only to those ({@link PinnedDownloadClient}) reaches
     * no address the check did not see.
     */
    HttpResponse<InputStream> get(URI start, Duration timeout, Exchange exchange, Checked checked)
            throws IOException {
        if (!httpOrHttps(scheme(start))) {
            throw new Refused("a URL that is not http(s)");
        }
        long lookupsBy = System.nanoTime() + timeout.toNanos();
        List<InetAddress> startsAt = lookUp(start, lookupsBy);
        Optional<NetworkReach> first = reachOf(startsAt);
        if (first.isEmpty()) {
            throw new Refused("a link-local, multicast or unspecified address");
        }
        NetworkReach allowed = first.get();
        // a public first URL is within any source's reach: the source's host is looked up only when it may refuse
        if (allowed != NetworkReach.PUBLIC && allowed.compareTo(sourceReach(lookupsBy)) > 0) {
            throw new Refused("a URL further inward than where it came from");
        }
        checked.saw(host(start), startsAt);
        URI at = start;
        int hops = 0;
        while (true) {
            HttpResponse<InputStream> response = exchange.send(HttpRequest.newBuilder(at).timeout(timeout).GET().build());
            Optional<URI> next;
            try {
                hops += followedByTheClient(response, allowed, lookupsBy);
                next = location(response);
                if (next.isPresent()) {
                    hops++;
                }
                if (hops > HOPS_MAX) {
                    throw new Refused("too many redirects");
                }
                if (next.isPresent()) {
                    checked.saw(host(next.get()), check(response.uri(), next.get(), allowed, lookupsBy));
                }
            } catch (IOException | RuntimeException e) {
                closeQuietly(response.body());
                throw e;
            }
            if (next.isEmpty()) {
                return response;
            }
            closeQuietly(response.body());
            at = next.get();
        }
    }

    /**
     * How far inward the first URL may lie: the source's reach, or {@link #withoutSource} when no source host is named.
     * A source at an address no file is served from (link-local, unspecified) bounds its URLs to the internet.
     */
    private NetworkReach sourceReach(long lookupsBy) throws IOException {
        if (source.isEmpty()) {
            return withoutSource;
        }
        try {
            return reachOf(lookUp(source.get(), lookupsBy)).orElse(NetworkReach.PUBLIC);
        } catch (NotKnown e) {
            throw new IOException("download failed: the host the URL came from is not known");
        }
    }

    /** The hops a client that follows redirects itself took before {@code response}, checked now; how many. */
    private int followedByTheClient(HttpResponse<InputStream> response, NetworkReach allowed, long lookupsBy)
            throws IOException {
        List<URI> chain = new ArrayList<>();
        for (Optional<HttpResponse<InputStream>> r = Optional.of(response); r.isPresent(); r = r.get().previousResponse()) {
            chain.add(0, r.get().uri());
        }
        for (int i = 1; i < chain.size(); i++) {
            check(chain.get(i - 1), chain.get(i), allowed, lookupsBy);
        }
        return chain.size() - 1;
    }

    /** Where a redirect leads, resolved against the URL it answered; empty when the answer is not one. */
    private static Optional<URI> location(HttpResponse<?> response) throws IOException {
        if (!REDIRECTS.contains(response.statusCode())) {
            return Optional.empty();
        }
        Optional<String> location = response.headers().firstValue("Location").filter(l -> !l.isBlank());
        if (location.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(response.uri().resolve(new URI(location.get().trim())));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("download failed: a redirect to something that is not a URL");
        }
    }

    /** Checks the hop from {@code from} to {@code to}; the addresses of {@code to}'s host it saw. */
    private List<InetAddress> check(URI from, URI to, NetworkReach allowed, long lookupsBy) throws IOException {
        String scheme = scheme(to);
        if (!httpOrHttps(scheme)) {
            throw new Refused("redirect to a URL that is not http(s)");
        }
        if (scheme(from).equals("https") && scheme.equals("http")) {
            throw new Refused("redirect from https to http");
        }
        List<InetAddress> addresses = lookUp(to, lookupsBy);
        Optional<NetworkReach> reach = reachOf(addresses);
        if (reach.isEmpty() || reach.get().compareTo(allowed) > 0) {
            throw new Refused("redirect to a private address");
        }
        return addresses;
    }

    private static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    private static boolean httpOrHttps(String scheme) {
        return scheme.equals("http") || scheme.equals("https");
    }

    /** The URL's host as a lookup takes it: an IPv6 literal without its brackets, in lower case. */
    private static String host(URI uri) throws IOException {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IOException("download failed: a URL without a host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    /** The addresses of the URL's host, never none. */
    private List<InetAddress> lookUp(URI uri, long lookupsBy) throws IOException {
        String host = host(uri);
        List<InetAddress> addresses;
        try {
            addresses = HostLookups.addresses(resolver, host, lookupsBy);
        } catch (UnknownHostException e) {
            throw new NotKnown();
        }
        if (addresses == null || addresses.isEmpty()) {
            throw new NotKnown();
        }
        return List.copyOf(addresses);
    }

    /** The most inward of the addresses; empty when any of them is never to be asked. */
    private static Optional<NetworkReach> reachOf(List<InetAddress> addresses) {
        NetworkReach most = NetworkReach.PUBLIC;
        for (InetAddress a : addresses) {
            Optional<NetworkReach> r = NetworkReach.of(a);
            if (r.isEmpty()) {
                return Optional.empty();
            }
            most = r.get().compareTo(most) > 0 ? r.get() : most;
        }
        return Optional.of(most);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the answer is left either way
        }
    }
}
