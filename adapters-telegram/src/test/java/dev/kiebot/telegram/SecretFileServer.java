package dev.kiebot.telegram;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The page a download must never fetch from this machine, on 127.0.0.1 for the redirect and DNS-rebinding tests
 * ({@link RedirectGuardTest}, {@link PinnedDownloadClientTest}, {@link ProxiedDownloadTest}; over HTTPS too):
 * {@code /to?<url>} redirects there, {@code /hop/<n>}
 * to hop n+1 up to 6, anything else is the secret file; it counts what it is asked by path, so that a test can say
 * this machine was not reached.
 */
final class SecretFileServer implements AutoCloseable {
    /** The body of every path that is not a redirect. */
    static final String SECRET = "the metadata of this machine's cloud account";

    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    private final HttpServer server;

    private SecretFileServer(HttpServer server) {
        this.server = server;
        server.createContext("/", this::answer);
    }

    /** A server started on a free port of 127.0.0.1. */
    static SecretFileServer start() throws IOException {
        return started(new SecretFileServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0)));
    }

    /** An HTTPS server, with {@code tls}'s certificate, started on a free port of 127.0.0.1. */
    static SecretFileServer start(SSLContext tls) throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        return started(new SecretFileServer(https));
    }

    private static SecretFileServer started(SecretFileServer server) {
        server.server.start();
        return server;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** How many times {@code path} was asked, its query aside. */
    int asked(String path) {
        return asked.getOrDefault(path, new AtomicInteger()).get();
    }

    /** Forgets what was asked so far, for a test's second download. */
    void forgetAsked() {
        asked.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        asked.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        if (path.equals("/to")) {
            redirect(ex, ex.getRequestURI().getRawQuery());
        } else if (path.startsWith("/hop/") && Integer.parseInt(path.substring(5)) < 6) {
            redirect(ex, "/hop/" + (Integer.parseInt(path.substring(5)) + 1));
        } else {
            byte[] body = SECRET.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        }
    }

    /** Answers {@code ex} with a redirect (302) to {@code location}. */
    static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().add("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }
}
