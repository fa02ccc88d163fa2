package dev.kiebot.runtime.config;

import java.util.HashMap;
import java.util.Map;

/** The least environment a start needs (a bot token, the Kie stub), plus the tests' own variables. */
final class TestEnvironment {
    static final String TOKEN = "1234567:AAH1234567890abcdefghijklmnopqrstuv";

    private TestEnvironment() {
    }

    /** The token and {@code KIE_STUB=1}, then {@code kv} as name, value, name, value… (later ones win). */
    static Map<String, String> with(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("TELEGRAM_BOT_TOKEN", TOKEN);
        m.put("KIE_STUB", "1");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
