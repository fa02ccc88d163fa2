package dev.kiebot.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every line an end-to-end suite logged — errors included, with their stack traces — is free of what must never
 * be in a log: a bot token or the Kie key, a user's full id, a name, an update's body. Register it on a test class
 * ({@code @ExtendWith(CleanLogs.class)}); it checks after the class's last test.
 */
public final class CleanLogs implements BeforeAllCallback, AfterAllCallback {
    /** Shapes that would mean a leak: a token, the test users' full ids and names, raw update JSON. */
    static final List<Pattern> FORBIDDEN = List.of(
            Pattern.compile("\\d{6,}:[A-Za-z0-9_-]{20,}"),
            Pattern.compile(Pattern.quote(E2eWorld.KIE_KEY)),
            Pattern.compile("(?<![\\w*@])(555\\d{4}|6\\d{6}|7\\d{6})(?!\\w)"),
            Pattern.compile("User\\d{4,}"),
            Pattern.compile("\"(update_id|first_name|text)\"\\s*:"));

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

    /** The same check over lines logged elsewhere, e.g. by a runner in a child process. */
    public static void assertClean(List<String> lines) {
        for (String line : lines) {
            for (Pattern p : FORBIDDEN) {
                assertThat(p.matcher(line).find()).as("a log line shows %s:%n%s", p, line).isFalse();
            }
        }
    }
}
