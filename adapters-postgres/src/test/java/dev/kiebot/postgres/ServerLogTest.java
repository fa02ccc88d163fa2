package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ServerLogTest {
    /**
     * A stopped server's last lines are in the log once {@link ServerLog#awaitEnd} returns: the server's exit is seen
     * before the copying thread reads them, so the bot's next line (a failed start's ERROR, meant to be the last)
     * came before "database system is shut down" now and then.
     */
    @Test
    void awaitEndReturnsOnceTheLastLineOfTheOutputIsLogged() throws Exception {
        PipedOutputStream out = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(out);
        try (LoggedLines lines = LoggedLines.named("dev.kiebot.postgres.server")) {
            ServerLog log = ServerLog.follow(in, "postgres-test", false);
            Thread server = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    out.write("[1] LOG:  database system is shut down\n".getBytes(StandardCharsets.UTF_8));
                    out.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
            log.awaitEnd();
            assertThat(lines.messages()).containsExactly("[1] LOG:  database system is shut down");
        }
    }
}
