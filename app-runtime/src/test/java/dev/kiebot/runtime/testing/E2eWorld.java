package dev.kiebot.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.kie.fake.FakeKieServer;
import dev.kiebot.postgres.DatabaseSettings;
import dev.kiebot.postgres.testing.TestDatabase;
import dev.kiebot.runtime.KieReads;
import dev.kiebot.runtime.StartFailure;
import dev.kiebot.runtime.config.ConfigException;
import dev.kiebot.runtime.config.Settings;
import dev.kiebot.telegram.fake.FakeTelegramServer;
import dev.kiebot.testing.JvmStalls;
import dev.kiebot.testing.Patience;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Fake Telegram and Kie servers on 127.0.0.1 plus the real test PostgreSQL: everything a runner
 * needs, and the moves of a user (send, press a button, wait for a message).
 */
public final class E2eWorld implements AutoCloseable {
    public static final String KIE_KEY = "kie-test-key-7f3a9c1e5b";
    /**
     * How long a wait of {@link #await}, {@link #awaitMessage} and {@link #button} lasts, not counting the time the
     * JVM was kept from running meanwhile ({@link JvmStalls}): a box whose two cores other builds held made a bot that
     * answers in milliseconds miss twenty seconds of the clock. By the clock, a wait still ends at three times this
     * ({@link Patience}): a JVM stalled most of the time fails it. Given to the fake Telegram's own waits, it counts the
     * same way.
     */
    public static final Duration WAIT = Duration.ofSeconds(20);
    /**
     * How often a runner under test reads a running generation: the fake Kie finishes a task when told, so the
     * scenarios need not wait Kie's documented 2-3 s before each read ({@link KieReads#DOCUMENTED}).
     */
    public static final KieReads KIE_READS = KieReads.every(Duration.ofMillis(200));
    /** The variables that hold a runner's secrets, or that it derives its door secrets from. */
    private static final List<String> SECRET_VARIABLES = List.of("TELEGRAM_BOT_TOKEN",
            "TELEGRAM_WEBHOOK_SECRET_TOKEN", "KIE_API_KEY", "KIE_CALLBACK_SECRET", "KIE_WEBHOOK_HMAC_KEY");

    public final FakeTelegramServer telegram = FakeTelegramServer.start();
    public final FakeKieServer kie = FakeKieServer.start().requireApiKey(KIE_KEY);

    public E2eWorld() {
        TestDatabase.truncateAll();
    }

    /** The environment of a runner wired to the fakes; {@code extra} overrides. */
    public Map<String, String> env(Map<String, String> extra) {
        DatabaseSettings db = TestDatabase.settings();
        Map<String, String> env = new HashMap<>();
        env.put("TELEGRAM_BOT_TOKEN", telegram.token());
        env.put("TELEGRAM_API_URL", telegram.apiUrl());
        env.put("KIE_API_KEY", KIE_KEY);
        env.put("KIE_BASE_URL", kie.baseUrl());
        env.put("KIE_UPLOAD_URL", kie.uploadUrl());
        env.put("DATABASE_URL", db.jdbcUrl().orElseThrow());
        env.put("DATABASE_USER", db.user());
        env.put("DATABASE_PASSWORD", db.password());
        env.put("DATABASE_POOL_SIZE", "6");
        env.put("WELCOME_BALANCE_RUB", "1");
        env.put("FREE_DAILY_LIMIT", "1");
        env.put("ADMIN_IDS", "900");
        env.put("INSTANCE_NAME", "e2e-" + System.nanoTime());
        // one message per chat per 50 ms instead of Telegram's 1 s keeps the suite fast
        env.put("TELEGRAM_CHAT_INTERVAL_MS", "50");
        env.putAll(extra);
        // whatever a test overrides (a rotated webhook secret, another token), the runner's secrets stay out of logs
        CleanLogs.forbid(secretsOf(env));
        return env;
    }

    /**
     * Every secret a runner started on {@code env} holds: the bot token (and its secret half), the Kie key and
     * HMAC key, the Telegram webhook secret and the Kie callback token — the two doors' secrets as given, or
     * derived from the token as in production when unset. Empty for the doors when the runner would refuse the
     * secrets given (it then starts, and logs, nothing).
     */
    public static Set<String> secretsOf(Map<String, String> env) {
        Map<String, String> only = new HashMap<>();
        SECRET_VARIABLES.stream().filter(env::containsKey).forEach(v -> only.put(v, env.get(v)));
        // the stub needs no Kie key: only the secret variables decide the secrets
        only.put("KIE_STUB", "1");
        Set<String> secrets = new LinkedHashSet<>();
        String token = env.getOrDefault("TELEGRAM_BOT_TOKEN", "");
        if (token.indexOf(':') > 0) {
            secrets.add(token.substring(token.indexOf(':') + 1));
        }
        try {
            Settings s = Settings.fromEnv(only);
            secrets.addAll(s.secrets());
            secrets.add(s.telegram().webhookSecret());
            secrets.add(s.kie().callbackSecret());
        } catch (ConfigException e) {
            // such secrets stop the runner before it starts
        }
        return secrets;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The offset where it is noon now, to the minute: a bot's day there ({@code FREE_DAY_ZONE}) ends half a day from
     * now, so a scenario that counts "today" stays in one day whenever it runs.
     */
    public static ZoneOffset whereItIsNoonNow() {
        int minutes = LocalTime.now(ZoneOffset.UTC).toSecondOfDay() / 60;
        return ZoneOffset.ofTotalSeconds(Math.floorMod(24 * 60 - minutes, 24 * 60) * 60 - 12 * 3600);
    }

    /**
     * What {@code start} starts listening on a {@link #freePort()}: the port is free when asked, and the start binds it
     * only seconds later (after the database and the catalog), time for another process of the build to take it; a
     * start refused for that port is made again on another.
     */
    public static <T> T onAFreePort(IntFunction<T> start) {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            try {
                return start.apply(port);
            } catch (StartFailure e) {
                if (attempt == 5 || !String.valueOf(e.getMessage()).startsWith("cannot listen on port " + port + " ")) {
                    throw e;
                }
            }
        }
    }

    /** The newest message (sent or edited) to the chat whose text passes {@code test}. */
    public FakeTelegramServer.FakeMessage awaitMessage(long chat, Predicate<String> test) {
        Patience patience = new Patience(WAIT);
        while (patience.lasts()) {
            List<FakeTelegramServer.FakeMessage> ms = telegram.messages(chat);
            for (int i = ms.size() - 1; i >= 0; i--) {
                if (ms.get(i).text() != null && test.test(ms.get(i).text())) {
                    return ms.get(i);
                }
            }
            sleep(50);
        }
        throw new AssertionError("no message matching in chat " + chat + ":\n" + telegram.transcript(chat));
    }

    public FakeTelegramServer.FakeMessage awaitText(long chat, String contains) {
        return awaitMessage(chat, t -> t.contains(contains));
    }

    /** Callback data of the newest message's button containing {@code label}. */
    public Pressable button(long chat, String label) {
        Patience patience = new Patience(WAIT);
        while (patience.lasts()) {
            List<FakeTelegramServer.FakeMessage> ms = telegram.messages(chat);
            for (int i = ms.size() - 1; i >= 0; i--) {
                FakeTelegramServer.FakeMessage m = ms.get(i);
                Optional<String> data = m.buttons().stream().flatMap(List::stream)
                        .filter(b -> b.text().contains(label) && b.callbackData().isPresent())
                        .map(b -> b.callbackData().get()).findFirst();
                if (data.isPresent()) {
                    return new Pressable(m.messageId(), data.get());
                }
            }
            sleep(50);
        }
        throw new AssertionError("no button '" + label + "' in chat " + chat + ":\n" + telegram.transcript(chat));
    }

    public record Pressable(int messageId, String data) {
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code condition} holds, for {@link #WAIT}. */
    public static void await(String what, java.util.function.BooleanSupplier condition) {
        await(what, WAIT, condition);
    }

    /**
     * Waits until {@code condition} holds, for {@code bound} less the JVM's stalls meanwhile (and at most
     * {@value Patience#CLOCK_TIMES} times {@code bound} of the clock): a bound that is part of the behaviour ("the
     * standby takes over within 30 s") is the wait's own, so that the wait fails when it is exceeded.
     */
    public static void await(String what, Duration bound, java.util.function.BooleanSupplier condition) {
        Patience.await(what, bound, condition);
    }

    /**
     * Waits until the bot whose database is {@code db} has handled every update it recorded and sent every reply it
     * queued (a reply and the handling or job step that queued it commit together). What a test waits for before it
     * says nothing was answered twice: a fixed sleep ("a repeat would have arrived by now") guessed how long that took,
     * too long on a quick box, maybe too short on a busy one.
     */
    public static void awaitSettled(String what, org.jdbi.v3.core.Jdbi db) {
        await(what + ": every update handled, every reply sent", () -> db.withHandle(h -> h.createQuery(
                "SELECT (SELECT count(*) FROM outbox) + (SELECT count(*) FROM processed_updates WHERE done_at IS NULL)")
                .mapTo(Long.class).one()) == 0);
    }

    public static AccountId wallet(long user) {
        return AccountId.wallet(user);
    }

    /** No secret in any captured log line. */
    public void assertNoSecrets(List<String> lines) {
        for (String line : lines) {
            assertThat(line).doesNotContain(telegram.token()).doesNotContain(KIE_KEY)
                    .doesNotContain(telegram.token().substring(telegram.token().indexOf(':') + 1));
        }
    }

    @Override
    public void close() {
        telegram.close();
        kie.close();
    }

    public static Map<String, String> with(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
