package dev.kiebot.telegram;

import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * A socket factory for OkHttp, which only ever asks for an unconnected socket ({@link #createSocket()}) and connects
 * it itself: the four connecting overloads {@link SocketFactory} forces on a subclass refuse, so a socket that one of
 * them would have opened past the subclass's {@code connect} (its check, its tunnel) is never made.
 */
abstract class UnconnectedSockets extends SocketFactory {
    private static final String WHY = "OkHttp asks for an unconnected socket";

    @Override
    public abstract Socket createSocket();

    @Override
    public final Socket createSocket(String host, int port) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public final Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public final Socket createSocket(InetAddress host, int port) {
        throw new UnsupportedOperationException(WHY);
    }

    @Override
    public final Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
        throw new UnsupportedOperationException(WHY);
    }
}
