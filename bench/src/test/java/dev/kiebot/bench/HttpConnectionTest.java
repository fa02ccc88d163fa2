package dev.kiebot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpConnectionTest {
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fixed", ex -> answer(ex, 200, 2, "ok"));
        server.createContext("/chunked", ex -> answer(ex, 201, 0, "a longer body sent in chunks"));
        server.createContext("/refused", ex -> answer(ex, 401, 12, "unauthorized"));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange ex, int status, long length, String body)
            throws IOException {
        ex.getRequestBody().readAllBytes();
        ex.sendResponseHeaders(status, length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private byte[] post(String path) {
        return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void readsSeveralAnswersOfEitherFramingOnOneConnection() {
        try (HttpConnection c = new HttpConnection(server.getAddress().getPort(), Duration.ofSeconds(10))) {
            assertThat(c.exchange(post("/fixed"))).isEqualTo(200);
            assertThat(c.exchange(post("/chunked"))).isEqualTo(201);
            assertThat(c.exchange(post("/refused"))).isEqualTo(401);
            assertThat(c.exchange(post("/fixed"))).isEqualTo(200);
        }
    }

    @Test
    void noAnswerIsMinusOneAndTheNextExchangeReconnects() {
        int port = server.getAddress().getPort();
        try (HttpConnection c = new HttpConnection(port, Duration.ofSeconds(10))) {
            server.stop(0);
            assertThat(c.exchange(post("/fixed"))).isEqualTo(-1);

            start(port);
            assertThat(c.exchange(post("/fixed"))).isEqualTo(200);
        }
    }

    private void start(int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/fixed", ex -> answer(ex, 200, 2, "ok"));
        server.start();
    }
}
