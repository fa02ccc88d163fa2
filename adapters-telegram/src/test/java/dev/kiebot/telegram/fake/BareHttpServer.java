package dev.kiebot.telegram.fake;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server on {@code 127.0.0.1} for the fake Bot API (keep-alive, {@code Content-Length}
 * and chunked request bodies, one thread per connection).
 *
 * <p>Why not the JDK's {@code HttpServer}: it answers {@code Expect: 100-continue} by itself before any
 * handler runs. Here "100 Continue" goes out only when the handler first reads the body, as nginx in
 * front of the Bot API does, so a handler that closes the connection before reading the body leaves a
 * client that waited for "100 Continue" certain that its body never left, just like a real server that
 * went away before it looked at the request.
 */
final class BareHttpServer implements AutoCloseable {
    static final int HEAD_BYTES_MAX = 64 * 1024;
    static final long BODY_BYTES_MAX = 128L * 1024 * 1024;

    /** Handles one request: answer with {@link Exchange#respond} or end with {@link Exchange#drop}. */
    @FunctionalInterface
    interface Handler {
        void handle(Exchange exchange) throws IOException;
    }

    /** One request on a connection. */
    final class Exchange {
        private final String method;
        private final String rawPath;
        private final String rawQuery;
        private final Map<String, String> headers;
        private final InputStream in;
        private final OutputStream out;
        private byte[] body;
        private boolean responded;
        private boolean dropped;
        private boolean closeAfter;

        private Exchange(String method, String target, Map<String, String> headers, InputStream in, OutputStream out) {
            this.method = method;
            int q = target.indexOf('?');
            this.rawPath = q < 0 ? target : target.substring(0, q);
            this.rawQuery = q < 0 ? null : target.substring(q + 1);
            this.headers = headers;
            this.in = in;
            this.out = out;
            this.closeAfter = "close".equalsIgnoreCase(headers.get("Connection"));
        }

        String method() {
            return method;
        }

        /** The path, still percent-encoded. */
        String rawPath() {
            return rawPath;
        }

        /** The query string, still percent-encoded; null when there is none. */
        String rawQuery() {
            return rawQuery;
        }

        /** A request header (case-insensitive name); null when absent. */
        String header(String name) {
            return headers.get(name);
        }

        /** Reads the whole body, first sending "100 Continue" when the client waits for it. */
        byte[] body() throws IOException {
            if (body != null) {
                return body;
            }
            boolean chunked = "chunked".equalsIgnoreCase(headers.getOrDefault("Transfer-Encoding", ""));
            long length = chunked ? -1 : contentLength();
            if ("100-continue".equalsIgnoreCase(headers.get("Expect")) && length != 0 && answersExpectContinue) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            body = chunked ? readChunked(in) : readExactly(in, length);
            return body;
        }

        /** Sends a complete answer; the connection stays open unless the body was never read. */
        void respond(int status, String contentType, byte[] responseBody) throws IOException {
            if (responded || dropped) {
                throw new IllegalStateException("already answered or dropped");
            }
            responded = true;
            if (body == null && hasBody()) {
                closeAfter = true; // an unread body would be taken for the next request
            }
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
            if (!contentType.isEmpty()) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            head.append("Content-Length: ").append(responseBody.length).append("\r\n");
            if (closeAfter) {
                head.append("Connection: close\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(responseBody);
            out.flush();
        }

        /** The answer says "Connection: close" and the connection is closed after it. */
        void closeAfterAnswer() {
            closeAfter = true;
        }

        /** Ends the exchange without an answer: the connection is closed as it is. */
        void drop() {
            dropped = true;
        }

        private boolean hasBody() throws IOException {
            return "chunked".equalsIgnoreCase(headers.getOrDefault("Transfer-Encoding", "")) || contentLength() > 0;
        }

        private long contentLength() throws IOException {
            String v = headers.get("Content-Length");
            if (v == null) {
                return 0;
            }
            try {
                long n = Long.parseLong(v.trim());
                if (n < 0 || n > BODY_BYTES_MAX) {
                    throw new IOException("content length out of range: " + n);
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IOException("bad content length: " + v);
            }
        }
    }

    private final ServerSocket serverSocket;
    private final ExecutorService threads;
    private final Handler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile boolean answersExpectContinue = true;

    private BareHttpServer(Handler handler, String threadName) throws IOException {
        this.handler = handler;
        this.serverSocket = new ServerSocket();
        serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        threads.execute(this::acceptLoop);
    }

    static BareHttpServer start(Handler handler, String threadName) throws IOException {
        return new BareHttpServer(handler, threadName);
    }

    int port() {
        return serverSocket.getLocalPort();
    }

    /** Whether a client waiting for "100 Continue" gets it (default true; false: like a bare Bot API server). */
    void answersExpectContinue(boolean answers) {
        this.answersExpectContinue = answers;
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
        threads.shutdownNow();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = serverSocket.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(s);
            try {
                threads.execute(() -> serve(s));
            } catch (RuntimeException e) {
                open.remove(s);
                closeQuietly(s);
            }
        }
    }

    private void serve(Socket s) {
        try {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = new BufferedOutputStream(s.getOutputStream());
            while (!closed) {
                Exchange ex = readRequest(in, out);
                if (ex == null) {
                    return; // the client closed the connection
                }
                handler.handle(ex);
                if (ex.dropped || !ex.responded || ex.closeAfter) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // a broken or dropped connection: nothing to answer
        } finally {
            open.remove(s);
            closeQuietly(s);
        }
    }

    private Exchange readRequest(InputStream in, OutputStream out) throws IOException {
        String head = readHead(in);
        if (head == null) {
            return null;
        }
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x request line");
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        return new Exchange(requestLine[0].toUpperCase(Locale.ROOT), requestLine[1], headers, in, out);
    }

    /** The request line and headers without the final empty line; null at a clean end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new EOFException("connection closed inside the request head");
            }
            head.write(b);
            if (head.size() > HEAD_BYTES_MAX) {
                throw new IOException("request head over " + HEAD_BYTES_MAX + " bytes");
            }
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        byte[] bytes = head.toByteArray();
        return new String(bytes, 0, bytes.length - 4, StandardCharsets.ISO_8859_1);
    }

    private static byte[] readExactly(InputStream in, long length) throws IOException {
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length != length) {
            throw new EOFException("connection closed inside the request body");
        }
        return bytes;
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + sizeLine);
            }
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers are ignored
                }
                return body.toByteArray();
            }
            if (body.size() + size > BODY_BYTES_MAX) {
                throw new IOException("chunked body over " + BODY_BYTES_MAX + " bytes");
            }
            body.write(readExactly(in, size));
            readLine(in); // the CRLF after the chunk
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed inside a chunked body");
            }
            if (line.size() > HEAD_BYTES_MAX) {
                throw new IOException("line over " + HEAD_BYTES_MAX + " bytes");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String reason(int status) {
        switch (status) {
            case 200:
                return "OK";
            case 400:
                return "Bad Request";
            case 401:
                return "Unauthorized";
            case 403:
                return "Forbidden";
            case 404:
                return "Not Found";
            case 409:
                return "Conflict";
            case 429:
                return "Too Many Requests";
            case 500:
                return "Internal Server Error";
            case 502:
                return "Bad Gateway";
            default:
                return "Status";
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
