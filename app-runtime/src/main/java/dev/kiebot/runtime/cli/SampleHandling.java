package dev.kiebot.runtime.cli;

import com.sun.net.httpserver.HttpServer;
import dev.kiebot.postgres.DirectoryTree;
import dev.kiebot.runtime.Kiebot;
import dev.kiebot.runtime.config.Settings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of {@code warm-up} that needs a database: the whole bot assembled on a throwaway embedded PostgreSQL (a
 * copy of the migrated template when {@code EmbeddedDatabase unpack} has made one), three sample updates recorded
 * and handled as a crowd's first ones are ({@code /start} with its welcome bonus, the menu button, the image
 * category), then everything closed and deleted. The classes this loads (the pool, the driver, Jdbi's statements,
 * the stores, the screens) go into the class-data archive as well, so a start spends less of its time loading
 * them. Nothing leaves the machine: Telegram is a local stand-in answering the two methods called before any reply
 * is sent, Kie is the stub, and the replies stay queued in the throwaway outbox.
 */
final class SampleHandling {
    private static final long CHAT = 100_000_001L;
    private static final String USER = "{\"id\":" + CHAT + ",\"is_bot\":false,\"first_name\":\"Warm\","
            + "\"language_code\":\"ru\"}";
    private static final String BOT_USER = "{\"id\":123456789,\"is_bot\":true,\"first_name\":\"kiebot\","
            + "\"username\":\"kiebot_warm_up_bot\"}";
    private static final String CHAT_JSON = "{\"id\":" + CHAT + ",\"type\":\"private\",\"first_name\":\"Warm\"}";

    private SampleHandling() {
    }

    /** @return why the database part was skipped (no PostgreSQL can run here, say), or empty when it ran */
    static Optional<String> run() {
        Path dir;
        try {
            dir = Files.createTempDirectory("kiebot-warm-up");
        } catch (IOException e) {
            return Optional.of("no temporary directory: " + e.getMessage());
        }
        try {
            HttpServer telegram = localBotApi();
            Settings settings = Settings.fromEnv(Map.of("TELEGRAM_BOT_TOKEN", WarmUp.TOKEN, "KIE_STUB", "1",
                    "TELEGRAM_API_URL", "http://127.0.0.1:" + telegram.getAddress().getPort(),
                    "DATA_DIR", dir.toString(), "BOT_MODE", "polling"));
            try (Kiebot bot = Kiebot.assemble(settings, Clock.systemUTC(), "lock")) {
                long now = Instant.now().getEpochSecond();
                List<String> updates = List.of(start(1, now), button(2, now, "*|m"), button(3, now, "*|c|IMAGE"));
                updates.forEach(bot.inbox()::record);
                int handled = bot.dispatcher().drain();
                return handled == updates.size() ? Optional.empty()
                        : Optional.of(handled + " of " + updates.size() + " sample updates handled");
            } finally {
                telegram.stop(0);
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of(e.toString());
        } finally {
            delete(dir);
        }
    }

    /**
     * Answers the two Bot API methods a start and the sample updates call before any reply is sent: {@code getMe}
     * (who the bot is) and {@code answerCallbackQuery} (a button press acknowledged at once). Local, so that the
     * warm-up neither reaches Telegram nor waits out retries against a closed port.
     */
    private static HttpServer localBotApi() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String result = exchange.getRequestURI().getPath().endsWith("/getMe") ? BOT_USER : "true";
            byte[] body = ("{\"ok\":true,\"result\":" + result + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private static String start(long updateId, long now) {
        return "{\"update_id\":" + updateId + ",\"message\":{\"message_id\":" + updateId + ",\"from\":" + USER
                + ",\"chat\":" + CHAT_JSON + ",\"date\":" + now
                + ",\"text\":\"/start\",\"entities\":[{\"offset\":0,\"length\":6,\"type\":\"bot_command\"}]}}";
    }

    private static String button(long updateId, long now, String data) {
        return "{\"update_id\":" + updateId + ",\"callback_query\":{\"id\":\"warm-up-" + updateId + "\",\"from\":"
                + USER + ",\"message\":{\"message_id\":1,\"from\":" + BOT_USER + ",\"chat\":" + CHAT_JSON
                + ",\"date\":" + now + ",\"text\":\"menu\"},\"chat_instance\":\"-1\",\"data\":\"" + data + "\"}}";
    }

    private static void delete(Path dir) {
        try {
            DirectoryTree.delete(dir);
        } catch (IOException e) {
            // a temporary directory left behind is the OS's to clean; the warm-up's result does not depend on it
        }
    }
}
