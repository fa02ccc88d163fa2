package dev.kiebot.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.telegram.fake.FakeTelegramServer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every line an end-to-end suite logged — errors included, with their stack traces — is free of what must never
 * be in a log: a bot token or the Kie key, the Telegram webhook secret or the Kie callback token (whoever learns
 * one can forge updates or results), a user's full id, a name, an update's body. Register it on a test class
 * ({@code @ExtendWith(CleanLogs.class)}); it checks after the class's last test.
 */
public final class CleanLogs implements BeforeAllCallback, AfterAllCallback {
    /**
     * Shapes that would mean a leak: a token, the test users' full ids, names and usernames, what the scenarios' users
     * write (prompts, lyrics, a support request), a phone number (+7 / 8 with or without separators, a bare
     * 7XXXXXXXXXX), raw update JSON.
     */
    static final List<Pattern> FORBIDDEN = List.of(
            Pattern.compile("\\d{6,}:[A-Za-z0-9_-]{20,}"),
            Pattern.compile(Pattern.quote(E2eWorld.KIE_KEY)),
            Pattern.compile("(?<![\\w*@])(555\\d{4}|6\\d{6}|7\\d{6})(?!\\w)"),
            Pattern.compile("(?i)user\\d{4,}"),
            Pattern.compile("(?i)a red fox|a fox|fox in the snow|through the snow|make the sky pink|indie folk"
                    + "|a lighthouse|hello from the fox|paid 50 stars twice|make my face younger"),
            Pattern.compile("(?<![\\w+])(\\+7|8)[\\s(-]*\\d{3}[\\s)-]*\\d{3}[\\s-]?\\d{2}[\\s-]?\\d{2}(?!\\d)"),
            // a bare 7XXXXXXXXXX, the way a form or a contact card writes a Russian number: eleven digits on their own,
            // not a part of a name or a number (upd_…, gen_…, e2e-…, a longer id, a time, a decimal amount)
            Pattern.compile("(?<![\\w+./-])7\\d{10}(?!\\d|[.,]\\d|\\w)"),
            Pattern.compile("\"(update_id|first_name|text)\"\\s*:"));

    /**
     * The secret values the runners of these suites hold. {@link E2eWorld#env} adds those of every environment it
     * hands out; the default world's are here from the start, for lines logged before any runner.
     */
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    static {
        forbid(E2eWorld.secretsOf(Map.of("TELEGRAM_BOT_TOKEN", FakeTelegramServer.DEFAULT_TOKEN,
                "KIE_API_KEY", E2eWorld.KIE_KEY)));
    }

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(CleanLogs.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("capture", LogCapture.attach());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LogCapture capture = context.getStore(NS).remove("capture", LogCapture.class);
        try {
            assertClean(capture.lines());
        } finally {
            capture.detach();
        }
    }

    /** Secret values no log line may contain (a runner's, see {@link E2eWorld#secretsOf}). */
    public static void forbid(Collection<String> secrets) {
        SECRETS.addAll(secrets);
    }

    /** The same check over lines logged elsewhere, e.g. by a runner in a child process. */
    public static void assertClean(List<String> lines) {
        for (String line : lines) {
            Optional<String> leak = leakIn(line);
            assertThat(leak).as("a log line shows %s:%n%s", leak.orElse(""), line).isEmpty();
        }
    }

    /** What {@code line} leaks, if anything: the forbidden shape it has, or that it holds a secret. */
    static Optional<String> leakIn(String line) {
        for (Pattern p : FORBIDDEN) {
            if (p.matcher(line).find()) {
                return Optional.of(p.toString());
            }
        }
        return SECRETS.stream().filter(line::contains).findFirst()
                .map(secret -> "a runner's secret (" + secret.length() + " characters)");
    }
}
