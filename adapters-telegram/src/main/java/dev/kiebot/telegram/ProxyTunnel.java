package dev.kiebot.telegram;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Sockets that reach the address they are asked for through an HTTP proxy's tunnel: each connects to the proxy and
 * asks it {@code CONNECT <address>:<port>}, the address as an IP literal, the one {@link RedirectGuard}'s check of the
 * hop saw ({@link PinnedDownloadClient} asks for no other). Given the host's name, as OkHttp's own proxy support and
 * the JDK's give it, the proxy looks it up itself, and a name this machine's DNS answers publicly may lead it into
 * its own network; given the literal, it has nothing to look up. Whatever goes over the socket afterwards is the
 * client's: OkHttp's TLS names the URL's host (SNI) and checks the certificate against it, as on a direct connection.
 *
 * <p>The proxy's answer is read byte by byte, so not one byte of the server's after it is taken from the stream;
 * it is waited for no longer than the connection's timeout. Credentials are not sent: a proxy that wants them
 * answers 407, and the download fails saying so.
 */
final class ProxyTunnel extends UnconnectedSockets {
    /** The longest answer a proxy gives to CONNECT that is read (its status line and headers). */
    private static final int ANSWER_BYTES_MAX = 8 * 1024;

    /** The proxy did not open the tunnel; the message says what it answered, never the host or the URL. */
    static final class TunnelRefused extends IOException {
        private static final long serialVersionUID = 1L;

        TunnelRefused(String why) {
            super(why);
        }
    }

    private final InetSocketAddress proxy;

    /** Through the proxy at {@code proxy} (an unresolved address is looked up at each connection, as the JDK does). */
    ProxyTunnel(InetSocketAddress proxy) {
        this.proxy = Objects.requireNonNull(proxy, "proxy");
    }

    @Override
    public Socket createSocket() {
        return new Tunneled();
    }

    /** The CONNECT target of an address: its IP literal (IPv6 in brackets) and port. */
    static String target(InetSocketAddress to) {
        InetAddress address = to.getAddress();
        String literal = address.getHostAddress();
        int scope = literal.indexOf('%');
        if (scope >= 0) {
            literal = literal.substring(0, scope); // a zone means nothing to the proxy
        }
        return (address instanceof Inet6Address ? "[" + literal + "]" : literal) + ":" + to.getPort();
    }

    /** A socket connected to the proxy, tunnelled on to the address it was asked for. */
    private final class Tunneled extends Socket {
        @Override
        public void connect(SocketAddress endpoint, int timeoutMillis) throws IOException {
            if (!(endpoint instanceof InetSocketAddress to) || to.isUnresolved()) {
                // never a name: the proxy would look it up, past the check
                throw new IOException("a tunnel through the proxy goes to an address its check saw only");
            }
            InetSocketAddress at = proxy;
            if (at.isUnresolved()) {
                at = new InetSocketAddress(proxy.getHostString(), proxy.getPort());
                if (at.isUnresolved()) {
                    throw new UnknownHostException("the download proxy's host is not known");
                }
            }
            try {
                super.connect(at, timeoutMillis);
            } catch (IOException e) {
                // not a ConnectException, which OkHttp would rename after the address behind the proxy
                throw new IOException("the download proxy " + at.getHostString() + ":" + at.getPort()
                        + " could not be reached (" + e.getClass().getSimpleName() + ")", e);
            }
            int readTimeout = getSoTimeout();
            try {
                setSoTimeout(timeoutMillis); // the tunnel is part of the connection, bounded as it is
                open(to);
                setSoTimeout(readTimeout);
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        private void open(InetSocketAddress to) throws IOException {
            String target = target(to);
            OutputStream out = getOutputStream();
            out.write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = answer(getInputStream());
            int status = status(answer);
            if (status / 100 != 2) {
                throw new TunnelRefused(status == 407
                        ? "the download proxy refused the tunnel: HTTP 407, it asks for credentials, which the bot's "
                                + "downloads do not send (let the proxy pass this machine without them)"
                        : "the download proxy refused the tunnel: HTTP " + status);
            }
        }

        /** The proxy's answer up to its empty line, read byte by byte: what follows is the server's. */
        private String answer(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            while (last4 != 0x0d0a0d0a) {
                int b = in.read();
                if (b < 0) {
                    throw new TunnelRefused("the download proxy closed the connection without answering the tunnel");
                }
                if (head.size() >= ANSWER_BYTES_MAX) {
                    throw new TunnelRefused("the download proxy's answer to the tunnel is over " + ANSWER_BYTES_MAX
                            + " bytes");
                }
                head.write(b);
                last4 = (last4 << 8) | b;
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        /** The status of {@code HTTP/1.x NNN reason}. */
        private int status(String answer) throws TunnelRefused {
            String line = answer.substring(0, answer.indexOf('\r'));
            int space = line.indexOf(' ');
            String code = space < 0 ? "" : line.substring(space + 1, Math.min(line.length(), space + 4));
            if (!line.startsWith("HTTP/") || !code.matches("[1-5][0-9][0-9]")
                    || (line.length() > space + 4 && line.charAt(space + 4) != ' ')) {
                throw new TunnelRefused("the download proxy's answer to the tunnel is not HTTP");
            }
            return Integer.parseInt(code);
        }
    }
}
