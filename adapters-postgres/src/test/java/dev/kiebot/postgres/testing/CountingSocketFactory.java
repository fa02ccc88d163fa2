package dev.kiebot.postgres.testing;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;

/**
 * pgjdbc's {@code socketFactory}: plain sockets whose outgoing bytes are read as PostgreSQL's frontend messages, to
 * count round trips rather than time them. A round trip is the client reading after it wrote: whatever pgjdbc sends
 * before it waits for the answer goes in one (BEGIN rides with the first statement of a transaction; a pipelined
 * batch is one). One whose request was the empty Query pgjdbc's {@code isValid} sends (HikariCP's check of a
 * connection idle for more than 500 ms) is counted apart, as it depends on timing. Only what the thread {@link #count} names sends is counted (pgjdbc writes on the
 * thread that runs the statement), so a background thread's statements on the same pool are left out.
 * Use it with {@code sslmode=disable}: an encrypted stream cannot be read.
 */
public final class CountingSocketFactory extends SocketFactory {
    /** Waits for the server's answer after a request, but the pool's liveness checks. */
    public static final AtomicLong ROUND_TRIPS = new AtomicLong();
    /** Executes sent (the extended protocol's statements, BEGIN and COMMIT among them). */
    public static final AtomicLong EXECUTES = new AtomicLong();
    /** Round trips of the pool's liveness checks (an empty simple Query). */
    public static final AtomicLong PINGS = new AtomicLong();
    /** The statements' text as sent (Parse and simple Query messages), for a reader to see what a round trip was. */
    public static final java.util.List<String> SENT = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private static volatile Thread counted;

    /** Counts what {@code thread} sends from now on (and nothing any other thread sends). */
    public static void count(Thread thread) {
        counted = thread;
    }

    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;

    @Override
    public Socket createSocket() {
        return new Socket() {
            private Counting counted;
            private java.io.InputStream answers;

            @Override
            public synchronized OutputStream getOutputStream() throws IOException {
                if (counted == null) {
                    counted = new Counting(super.getOutputStream());
                }
                return counted;
            }

            @Override
            public synchronized java.io.InputStream getInputStream() throws IOException {
                if (answers == null) {
                    Counting requests = (Counting) getOutputStream();
                    answers = new java.io.FilterInputStream(super.getInputStream()) {
                        @Override
                        public int read() throws IOException {
                            requests.answered();
                            return super.read();
                        }

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            requests.answered();
                            return super.read(b, off, len);
                        }
                    };
                }
                return answers;
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) {
        throw new UnsupportedOperationException("pgjdbc makes its socket unconnected");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException("pgjdbc makes its socket unconnected");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
        throw new UnsupportedOperationException("pgjdbc makes its socket unconnected");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw new UnsupportedOperationException("pgjdbc makes its socket unconnected");
    }

    /** Reads the frontend's messages as they pass: untyped ones until the startup message, typed after. */
    private static final class Counting extends FilterOutputStream {
        private boolean typed;
        private boolean inBody;
        private int type = -1;
        private int lengthBytes;
        private int length;
        private long remaining;
        private int codeBytes;
        private int code;
        private final java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        /** Whether anything was written since the last read, and whether all of it was a liveness check. */
        private boolean asked;
        private boolean onlyPing = true;

        Counting(OutputStream out) {
            super(out);
        }

        /** The client reads: the end of a round trip if it wrote since it last read. */
        void answered() {
            if (asked && Thread.currentThread() == counted) {
                (onlyPing ? PINGS : ROUND_TRIPS).incrementAndGet();
            }
            asked = false;
            onlyPing = true;
        }

        @Override
        public void write(int b) throws IOException {
            read(b & 0xff);
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                read(b[i] & 0xff);
            }
            out.write(b, off, len);
        }

        private void read(int b) {
            if (!inBody) {
                if (typed && type < 0) {
                    type = b;
                    return;
                }
                length = (length << 8) | b;
                if (++lengthBytes < 4) {
                    return;
                }
                remaining = length - 4L;
                if (typed && Thread.currentThread() == counted) {
                    counted(type, length);
                }
                inBody = true;
                if (remaining == 0) {
                    ended();
                }
                return;
            }
            if (typed && (type == 'P' || type == 'Q') && Thread.currentThread() == counted) {
                text.write(b);
            }
            if (!typed && codeBytes < 4) {
                code = (code << 8) | b;
                codeBytes++;
            }
            if (--remaining == 0) {
                ended();
            }
        }

        private void counted(int type, int length) {
            asked = true;
            onlyPing &= type == 'Q' && length == 5;
            if (type == 'E') {
                EXECUTES.incrementAndGet();
            }
        }

        private void ended() {
            if (text.size() > 0) {
                String sent = text.toString(java.nio.charset.StandardCharsets.UTF_8);
                // Parse: the statement's name, then its text; Query: the text alone
                int nul = type == 'P' ? sent.indexOf('\0') : -1;
                int end = sent.indexOf('\0', nul + 1);
                SENT.add((type == 'P' ? "parse: " : "query: ") + sent.substring(nul + 1, end < 0 ? sent.length() : end));
                text.reset();
            }
            if (!typed && code != SSL_REQUEST && code != GSS_REQUEST && code != CANCEL_REQUEST) {
                typed = true;
            }
            inBody = false;
            type = -1;
            lengthBytes = 0;
            length = 0;
            codeBytes = 0;
            code = 0;
        }
    }
}
