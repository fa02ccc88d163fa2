package dev.kiebot.examples.console;

import dev.kiebot.core.conversation.Event;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The console: each line you type is an update. {@code /start} (or any {@code /command}) is a command,
 * {@code [Images]} presses the newest button whose label contains "Images", anything else is text. End with an
 * empty input (Ctrl-D) or Ctrl-C: both stop the shop in order.
 *
 * <p>{@code java ... Main [dataDir]}: with {@code DATABASE_URL} set, the shop's data is there; otherwise in an
 * embedded PostgreSQL under {@code dataDir} (or {@code DATA_DIR}, or {@code ./data}).
 */
public final class Main {
    /** How long a [label] waits for its button: the answer before it may still be on its way. */
    private static final Duration BUTTON_PATIENCE = Duration.ofSeconds(5);

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        Optional<Path> dataDir = Arrays.stream(args).findFirst().map(Path::of);
        ConsoleShop shop = ConsoleShop.start(DatabaseChoice.from(System.getenv(), dataDir), System.out);
        // Ctrl-C, or a SIGTERM from a service manager: the same orderly stop as the end of the input
        Runtime.getRuntime().addShutdownHook(new Thread(shop::close, "console-shop-stop"));
        System.out.println("Type /start. [label] presses a button, other lines are text; Ctrl-D ends.");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                handle(shop, line.strip());
            }
        } finally {
            System.out.println("balance: " + shop.formatMoney(shop.balance()));
            shop.close();
        }
    }

    private static void handle(ConsoleShop shop, String line) {
        try {
            if (line.startsWith("[") && line.endsWith("]") && line.length() > 2) {
                shop.tap(line.substring(1, line.length() - 1), BUTTON_PATIENCE);
            } else if (line.startsWith("/") && line.length() > 1) {
                String[] parts = line.substring(1).split("\\s+", 2);
                shop.user(new Event.Command(parts[0], parts.length > 1 ? parts[1] : ""));
            } else if (!line.isEmpty()) {
                shop.user(new Event.Text(line));
            }
        } catch (IllegalStateException e) {
            System.out.println("(" + e.getMessage() + ")"); // no such button on screen, or stopping
        }
    }
}
