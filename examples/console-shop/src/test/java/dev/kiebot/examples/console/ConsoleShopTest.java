package dev.kiebot.examples.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleShopTest {
    @Test
    void startToModelToConfirmToResult() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long balance;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            balance = new ConsoleShop(out).run();
        }
        String transcript = bytes.toString(StandardCharsets.UTF_8);
        assertThat(transcript).contains("Welcome bonus", "Painter", "Price: 3.12\u00A0₽", "gen_1",
                "bot sends PHOTO: https://example.invalid/task-1.png", "Done.");
        assertThat(balance).isEqualTo(1_000 - 312);
    }
}
