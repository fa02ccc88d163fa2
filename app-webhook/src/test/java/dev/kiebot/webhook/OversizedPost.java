package dev.kiebot.webhook;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A POST to {@code /telegram} whose head declares a body over the door's limit, and no body: the door refuses it
 * from the head alone. Sent on a socket because a client that writes a refused body anyway meets a closed connection,
 * and whether it still reads the 413 depends on its JDK (17's did, 25's reports the broken pipe).
 */
final class OversizedPost {
    private OversizedPost() {
    }

    /** @return the status line of the answer, read for at most 20 s */
    static String statusLine(int port, String secret, long contentLength) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("POST /telegram HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + WebhookServer.SECRET_HEADER + ": " + secret + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder status = new StringBuilder();
            InputStream in = socket.getInputStream();
            for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
                status.append((char) c);
            }
            return status.toString();
        }
    }
}
