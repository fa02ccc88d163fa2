package dev.kiebot.telegram;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP proxy on 127.0.0.1 that does CONNECT only, for {@link ProxiedDownloadTest}: it records each CONNECT's target
 * as asked, tunnels the bytes to it when it is an IP literal of this machine (or one {@link #carry carried} here, a
 * public address whose server stands on this machine), and looks no name up: a name is answered 502. Told to
 * {@link #refuse}, it answers every CONNECT with that status and opens nothing.
 */
final class ConnectProxy implements AutoCloseable {
    private final ServerSocket listening;
    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "connect-proxy");
        t.setDaemon(true);
        return t;
    });
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final Map<String, InetSocketAddress> carried = new ConcurrentHashMap<>();
    private volatile String refusal;

    private ConnectProxy() throws IOException {
        listening = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    }

    /** A proxy listening on a free port of 127.0.0.1. */
    static ConnectProxy start() throws IOException {
        ConnectProxy proxy = new ConnectProxy();
        proxy.threads.execute(proxy::accept);
        return proxy;
    }

    int port() {
        return listening.getLocalPort();
    }

    /** The CONNECT targets asked, in order, as written ({@code 127.0.0.1:8443}). */
    List<String> targets() {
        return List.copyOf(targets);
    }

    /** Tunnels a CONNECT to {@code target} to this machine's {@code port} instead. */
    void carry(String target, int port) {
        carried.put(target, new InetSocketAddress("127.0.0.1", port));
    }

    /** Answers every CONNECT with {@code statusLine} ({@code 407 Proxy Authentication Required}). */
    void refuse(String statusLine) {
        refusal = statusLine;
    }

    @Override
    public void close() {
        try {
            listening.close();
        } catch (IOException e) {
            // closed either way
        }
        threads.shutdownNow();
    }

    private void accept() {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            String head = head(client.getInputStream());
            String[] line = head.substring(0, head.indexOf('\r')).split(" ");
            if (line.length != 3 || !line[0].equals("CONNECT")) {
                answer(client, "405 Method Not Allowed");
                return;
            }
            targets.add(line[1]);
            if (refusal != null) {
                answer(client, refusal);
                return;
            }
            InetSocketAddress to = carried.getOrDefault(line[1], literal(line[1]));
            if (to == null || !to.getAddress().isLoopbackAddress()) {
                answer(client, "502 Bad Gateway"); // a name, or an address off this machine: never looked up or asked
                return;
            }
            try (Socket server = new Socket(to.getAddress(), to.getPort())) {
                OutputStream out = client.getOutputStream();
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                threads.execute(() -> pump(server, client));
                pump(client, server);
            }
        } catch (IOException e) {
            // the tunnel ends
        }
    }

    /** An IP literal's address and port; null for a name. */
    private static InetSocketAddress literal(String target) throws IOException {
        int colon = target.lastIndexOf(':');
        String host = target.substring(0, colon);
        int port = Integer.parseInt(target.substring(colon + 1));
        if (host.startsWith("[") && host.endsWith("]")) {
            return new InetSocketAddress(InetAddress.getByName(host.substring(1, host.length() - 1)), port);
        }
        if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return new InetSocketAddress(InetAddress.getByName(host), port); // a literal: nothing is looked up
        }
        return null;
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client went before its request's end");
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void answer(Socket client, String statusLine) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 " + statusLine + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Copies what {@code from} sends to {@code to} until it ends, then ends {@code to}'s output. */
    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // one side went: the other follows when its socket closes
        }
    }
}
