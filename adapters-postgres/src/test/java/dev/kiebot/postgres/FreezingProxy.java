package dev.kiebot.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay to the test database whose open connections can be frozen: from then on their bytes go nowhere,
 * in either direction, and neither end hears of it — a connection a NAT or proxy forgot. New connections are
 * relayed as before.
 */
final class FreezingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Pair> pairs = new CopyOnWriteArrayList<>();

    private FreezingProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::accept, "freezing-proxy-accept");
        accepting.setDaemon(true);
        accepting.start();
    }

    static FreezingProxy to(String host, int port) throws IOException {
        return new FreezingProxy(new InetSocketAddress(host, port));
    }

    int port() {
        return server.getLocalPort();
    }

    /** The connections open now go silent for good; later ones work. */
    void freezeOpenConnections() {
        pairs.forEach(p -> p.frozen = true);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                Pair p = new Pair(client, upstream);
                pairs.add(p);
                pump(p, client, upstream);
                pump(p, upstream, client);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Pair p, Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (!p.frozen) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side closed: the pair is over
            }
        }, "freezing-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Pair p : pairs) {
            p.client.close();
            p.upstream.close();
        }
    }

    private static final class Pair {
        final Socket client;
        final Socket upstream;
        volatile boolean frozen;

        Pair(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }
    }
}
