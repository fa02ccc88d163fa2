package dev.kiebot.telegram;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The bot's own download client: it connects to a host only at the addresses {@link RedirectGuard}'s check of that
 * hop saw, never looking the host up again. With the JDK client the host was resolved by the check and again when
 * connecting, so a DNS that answered a public address to the check and 127.0.0.1 or 169.254.169.254 a moment later
 * (DNS rebinding) had the bot fetch from this machine or the cloud's metadata and send the body into a user's chat.
 * OkHttp (already the Bot API's client, through pengrad) connects to exactly the addresses its {@link Dns} gives; each
 * download's is the guard's answers, and a host the guard did not check has none. TLS still verifies the certificate
 * against the URL's host name, not the address.
 *
 * <p>Each download has its own connections (OkHttp reuses a connection only for the same {@code Dns}), closed when it
 * ends: one made for another download, checked against another bound, is never reused. An HTTP proxy the JVM's
 * proxy selection names for a hop's URL ({@code https.proxyHost}, {@code http.proxyHost}, {@code http.nonProxyHosts},
 * as the Bot API's and Kie's calls follow them) is reached through {@link ProxyTunnel}: a CONNECT to the checked
 * address's IP literal, never to the host's name, which the proxy would look up itself, past the check (OkHttp's
 * own proxy support sends the name); TLS over the tunnel names and checks the URL's host as on a direct connection.
 * The start says which proxy: {@link Downloads#proxyFollowed}. It follows no redirect itself, asks for the body as it
 * is stored ({@code Accept-Encoding: identity}, as the JDK client did: the size cap counts the bytes that come); each
 * read waits no longer than the download's timeout, and the download's watchdog bounds the whole.
 */
final class PinnedDownloadClient implements DownloadClient {
    /** As the JDK client's was. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Requests in flight at once (every download of the process); more wait, within their download's watchdog. */
    private static final int REQUESTS_MAX = 64;

    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Shared by every download: OkHttp's own dispatcher threads would keep the JVM up for a minute after the rest. */
    private static final OkHttpClient BASE = base();

    /** Every URL direct. */
    private static final ProxySelector NO_PROXY = new ProxySelector() {
        @Override
        public List<Proxy> select(URI uri) {
            return List.of(Proxy.NO_PROXY);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress at, IOException e) {
            // nothing to choose instead
        }
    };

    /** The TLS of a test's own certificates, in place of the JVM's. */
    record Tls(SSLSocketFactory sockets, X509TrustManager trust) {
    }

    private final Duration connectTimeout;
    private final SocketFactory sockets;
    private final ProxySelector proxies;
    private final Optional<Tls> tls;

    /**
     * The bot's default: connecting within {@link #CONNECT_TIMEOUT}, through the HTTP proxy the JVM's proxy selection
     * names for each URL, if any.
     */
    PinnedDownloadClient() {
        this(CONNECT_TIMEOUT, SocketFactory.getDefault(),
                Optional.ofNullable(ProxySelector.getDefault()).orElse(NO_PROXY), Optional.empty());
    }

    /** {@code sockets}: where the connections are opened (tests see which addresses are asked); no proxy. */
    PinnedDownloadClient(Duration connectTimeout, SocketFactory sockets) {
        this(connectTimeout, sockets, NO_PROXY, Optional.empty());
    }

    /**
     * {@code proxies}: which HTTP proxy a URL goes through (the first it names; a direct or SOCKS one means the
     * connection is opened by {@code sockets}, as without a proxy); {@code tls}: certificates of the tests' own.
     */
    PinnedDownloadClient(Duration connectTimeout, SocketFactory sockets, ProxySelector proxies, Optional<Tls> tls) {
        this.connectTimeout = connectTimeout;
        this.sockets = sockets;
        this.proxies = proxies;
        this.tls = tls;
    }

    private static OkHttpClient base() {
        // as many threads as calls the dispatcher runs (it holds the rest back): a bound here would refuse a call
        Dispatcher dispatcher = new Dispatcher(new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), task -> {
                    Thread t = new Thread(task, "download-" + THREADS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }));
        dispatcher.setMaxRequests(REQUESTS_MAX);
        dispatcher.setMaxRequestsPerHost(REQUESTS_MAX);
        return new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .dns(host -> {
                    throw new UnknownHostException("a host no download checked");
                })
                .proxy(Proxy.NO_PROXY)
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .build();
    }

    @Override
    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public Requests forOneDownload(Duration timeout) {
        return new Pinned(timeout);
    }

    /**
     * Where a URL's connections go through: the HTTP proxy the selection names first, or none (direct, or SOCKS,
     * which the JVM's own sockets reach by the checked address as before).
     */
    private Optional<InetSocketAddress> proxyFor(URI uri) throws IOException {
        List<Proxy> chosen;
        try {
            chosen = proxies.select(uri);
        } catch (RuntimeException e) {
            throw new IOException("the download's proxy could not be chosen: " + e.getClass().getSimpleName());
        }
        if (chosen == null || chosen.isEmpty()) {
            return Optional.empty();
        }
        Proxy first = chosen.get(0);
        if (first.type() == Proxy.Type.HTTP && first.address() instanceof InetSocketAddress at) {
            return Optional.of(at);
        }
        return Optional.empty();
    }

    /** One download's requests: its own connections, to the addresses its checks saw. */
    private final class Pinned implements Requests, Dns {
        private final Map<String, List<InetAddress>> checked = new ConcurrentHashMap<>();
        /**
         * A client a proxy (none: direct), each with its connections: OkHttp's pool tells connections apart by host,
         * not by socket factory, so one pool would hand a direct connection to a request meant for the tunnel.
         */
        private final Map<Optional<InetSocketAddress>, OkHttpClient> clients = new ConcurrentHashMap<>();
        private final Duration timeout;

        Pinned(Duration timeout) {
            this.timeout = timeout;
        }

        private OkHttpClient client(Optional<InetSocketAddress> proxy) {
            return clients.computeIfAbsent(proxy, p -> {
                OkHttpClient.Builder b = BASE.newBuilder()
                        .dns(this)
                        .connectionPool(new ConnectionPool(1, 1, TimeUnit.MINUTES))
                        .socketFactory(p.<SocketFactory>map(ProxyTunnel::new).orElse(sockets))
                        .connectTimeout(connectTimeout)
                        .readTimeout(timeout)
                        .writeTimeout(timeout);
                tls.ifPresent(t -> b.sslSocketFactory(t.sockets(), t.trust()));
                return b.build();
            });
        }

        @Override
        public void saw(String host, List<InetAddress> addresses) {
            checked.put(host, List.copyOf(addresses));
        }

        @Override
        public List<InetAddress> lookup(String host) throws UnknownHostException {
            List<InetAddress> addresses = checked.get(host);
            if (addresses == null) {
                // never looked up here: a host the guard did not check is not connected to
                throw new UnknownHostException("a host the download's checks did not see");
            }
            return addresses;
        }

        @Override
        public CompletableFuture<HttpResponse<InputStream>> send(HttpRequest request) {
            HttpUrl url = HttpUrl.get(request.uri()); // null for a URI OkHttp cannot take
            if (url == null) {
                return CompletableFuture.failedFuture(new IOException("a URL the client cannot request"));
            }
            OkHttpClient client;
            try {
                client = client(proxyFor(request.uri()));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
            Call call = client.newCall(new Request.Builder().url(url).header("Accept-Encoding", "identity").get()
                    .build());
            CompletableFuture<HttpResponse<InputStream>> answer = new CompletableFuture<>() {
                @Override
                public boolean cancel(boolean mayInterruptIfRunning) {
                    boolean cancelled = super.cancel(mayInterruptIfRunning);
                    if (cancelled) {
                        call.cancel(); // the answer had not come: the request is aborted
                    }
                    return cancelled;
                }
            };
            call.enqueue(new Callback() {
                @Override
                public void onFailure(Call c, IOException e) {
                    answer.completeExceptionally(e);
                }

                @Override
                public void onResponse(Call c, Response response) {
                    if (!answer.complete(new Answer(request, response, call))) {
                        response.close(); // cancelled meanwhile
                    }
                }
            });
            return answer;
        }

        @Override
        public void close() {
            clients.values().forEach(c -> c.connectionPool().evictAll());
        }
    }

    /** OkHttp's answer as the JDK's, for {@link RedirectGuard}; closing its body ends the call. */
    private static final class Answer implements HttpResponse<InputStream> {
        private final HttpRequest request;
        private final Response response;
        private final InputStream body;

        Answer(HttpRequest request, Response response, Call call) {
            this.request = request;
            this.response = response;
            this.body = new FilterInputStream(response.body().byteStream()) {
                @Override
                public void close() throws IOException {
                    // a read blocked on the socket fails at once, whichever thread closes (the download's watchdog)
                    call.cancel();
                    super.close();
                }
            };
        }

        @Override
        public int statusCode() {
            return response.code();
        }

        @Override
        public HttpRequest request() {
            return request;
        }

        @Override
        public Optional<HttpResponse<InputStream>> previousResponse() {
            return Optional.empty(); // it follows no redirect itself
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(response.headers().toMultimap(), (name, value) -> true);
        }

        @Override
        public InputStream body() {
            return body;
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return response.protocol() == Protocol.HTTP_2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
        }
    }
}
