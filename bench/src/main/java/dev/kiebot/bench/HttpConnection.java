package dev.kiebot.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * One HTTP/1.1 keep-alive connection to 127.0.0.1 that sends ready-made requests and reads the answers'
 * status (bodies are read and dropped). Much cheaper in CPU than {@code java.net.http.HttpClient}, which
 * matters because the load generator shares the machine's cores with the bot it measures. Reconnects after an
 * error or a {@code Connection: close}.
 */
final class HttpConnection implements AutoCloseable {
    private static final int HEADER_LINE_MAX = 8192;
    private static final int HEADERS_MAX = 100;

    private final int port;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConnection(int port, Duration timeout) {
        this.port = port;
        this.timeoutMillis = (int) timeout.toMillis();
    }

    /** Sends one complete request; returns the answer's status, or -1 when there was none (then reconnects). */
    int exchange(byte[] request) {
        try {
            if (socket == null) {
                connect();
            }
            out.write(request);
            out.flush();
            return readResponse();
        } catch (IOException | RuntimeException e) {
            close();
            return -1;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(timeoutMillis);
        s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
    }

    private int readResponse() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        long length = -1;
        boolean chunked = false;
        boolean closes = false;
        for (int i = 0; i < HEADERS_MAX; i++) {
            String header = line().toLowerCase(Locale.ROOT);
            if (header.isEmpty()) {
                if (chunked) {
                    skipChunks();
                } else if (length >= 0) {
                    skip(length);
                } else {
                    closes = true;
                }
                if (closes) {
                    close();
                }
                return status;
            }
            if (header.startsWith("content-length:")) {
                length = Long.parseLong(header.substring(15).strip());
            } else if (header.startsWith("transfer-encoding:") && header.contains("chunked")) {
                chunked = true;
            } else if (header.startsWith("connection:") && header.contains("close")) {
                closes = true;
            }
        }
        throw new IOException("more than " + HEADERS_MAX + " headers");
    }

    private void skipChunks() throws IOException {
        while (true) {
            String size = line();
            int semicolon = size.indexOf(';');
            long n = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
            if (n == 0) {
                while (!line().isEmpty()) {
                    // trailers
                }
                return;
            }
            skip(n);
            line();
        }
    }

    private void skip(long n) throws IOException {
        for (long left = n; left > 0; ) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException();
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** One CRLF-terminated line without the CRLF. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException();
            }
            if (sb.length() == HEADER_LINE_MAX) {
                throw new IOException("header line too long");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
