package dev.kiebot.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An operator moving from an earlier Kie bot keeps their environment: its names are read as aliases, and every
 * variable that has no effect here is named in one start-up line, without its value.
 */
class EarlierBotsVariablesTest {

    private static Map<String, String> env(String... kv) {
        // unset, each has a notice of its own; an admin only where the test names none (the aliases' tests do)
        Map<String, String> m = TestEnvironment.with("SUPPORT_TELEGRAM", "@shop_help");
        Map<String, String> given = TestEnvironment.with(kv);
        if (given.keySet().stream().noneMatch(n -> n.startsWith("ADMIN"))) {
            m.put("ADMIN_IDS", "1");
        }
        m.putAll(given);
        return m;
    }

    @Test
    void adminIdAndAdminUserIdAreReadAsAdminIdsAlsoAsCsv() {
        Settings one = Settings.fromEnv(env("ADMIN_ID", "111"));
        assertThat(one.shop().adminIds()).containsExactly(111L);
        assertThat(one.notices()).containsExactly("ADMIN_ID (an earlier bot's name) is read as ADMIN_IDS");

        Settings sora = Settings.fromEnv(env("ADMIN_USER_ID", "111, 222,333"));
        assertThat(sora.shop().adminIds()).containsExactlyInAnyOrder(111L, 222L, 333L);
        assertThat(sora.notices()).containsExactly("ADMIN_USER_ID (an earlier bot's name) is read as ADMIN_IDS");

        Settings both = Settings.fromEnv(env("ADMIN_IDS", "5", "ADMIN_ID", "111"));
        assertThat(both.shop().adminIds()).containsExactly(5L);
        assertThat(both.notices()).containsExactly("ADMIN_ID is ignored: ADMIN_IDS is set as well and wins");

        assertThatThrownBy(() -> Settings.fromEnv(env("ADMIN_ID", "bob"))).hasMessageContaining("ADMIN_ID must be");
    }

    @Test
    void testModeIsReadAsKieStub() {
        Map<String, String> live = env("TEST_MODE", "1");
        live.remove("KIE_STUB");
        Settings s = Settings.fromEnv(live);
        assertThat(s.kie().stubbed()).isTrue();
        assertThat(s.notices()).anyMatch(n -> n.startsWith("TEST_MODE (an earlier bot's name) is read as KIE_STUB"));

        // live Kie with free generations capped for the whole bot: no notice of its own either
        Map<String, String> off = env("TEST_MODE", "0", "KIE_API_KEY", "kie-key-123456", "FREE_DAILY_TOTAL", "100");
        off.remove("KIE_STUB");
        assertThat(Settings.fromEnv(off).kie().stubbed()).isFalse();
        assertThat(Settings.fromEnv(off).notices()).isEmpty();
    }

    @Test
    void webhookUrlIsReadAsTheBaseUrlWithoutItsPathWhichIsNeverQuoted() {
        Settings s = Settings.fromEnv(env("WEBHOOK_URL", "https://mybot.onrender.com:8443/webhook/PATHSECRET77"));
        assertThat(s.http().publicUrl()).hasValueSatisfying(u -> assertThat(u)
                .hasToString("https://mybot.onrender.com:8443"));
        assertThat(s.mode()).isEqualTo(Settings.Mode.WEBHOOK);
        assertThat(s.telegram().webhookUrl()).contains("https://mybot.onrender.com:8443/telegram");
        // the other notice: a public URL without METRICS_TOKEN
        assertThat(s.notices()).filteredOn(n -> n.contains("WEBHOOK_URL")).singleElement().asString()
                .contains("WEBHOOK_URL", "WEBHOOK_BASE_URL")
                .doesNotContain("PATHSECRET77").doesNotContain("/webhook");

        Settings both = Settings.fromEnv(env("WEBHOOK_URL", "https://old.example.com/webhook",
                "WEBHOOK_BASE_URL", "https://new.example.com"));
        assertThat(both.telegram().webhookUrl()).contains("https://new.example.com/telegram");
        assertThat(both.notices()).filteredOn(n -> n.contains("WEBHOOK_URL"))
                .containsExactly("WEBHOOK_URL is ignored: WEBHOOK_BASE_URL is set as well and wins");
    }

    @Test
    void pythonLevelNamesAreReadAsLogbacks() {
        assertThat(Settings.fromEnv(env("LOG_LEVEL", "WARNING")).logLevel()).isEqualTo("WARN");
        assertThat(Settings.fromEnv(env("LOG_LEVEL", "critical")).logLevel()).isEqualTo("ERROR");
        assertThat(Settings.fromEnv(env("LOG_LEVEL", "debug")).logLevel()).isEqualTo("DEBUG");
        assertThat(Settings.fromEnv(env("LOG_LEVEL", "debug")).notices()).isEmpty();
        assertThatThrownBy(() -> Settings.fromEnv(env("LOG_LEVEL", "VERBOSE"))).hasMessageContaining("WARNING");
    }

    @Test
    void everyEarlierVariableWithoutEffectGetsOneLineSayingWhatReplacesItAndNeverItsValue() {
        for (String name : EarlierVariables.WITHOUT_EFFECT.keySet()) {
            String value = "value-of-" + name.toLowerCase() + "-s3cr3t";
            Settings s = Settings.fromEnv(env(name, value));
            assertThat(s.notices()).as(name).singleElement().asString()
                    .startsWith(name + " is set but has no effect here: ")
                    .endsWith(EarlierVariables.WITHOUT_EFFECT.get(name))
                    .doesNotContain(value);
        }
        assertThat(Settings.fromEnv(env()).notices()).isEmpty();
        assertThat(Settings.fromEnv(env("REDIS_URL", " ")).notices()).as("blank = unset").isEmpty();
    }

    @Test
    void theEarlierVariablesAreNotReadAsConfiguration() {
        Map<String, String> all = env();
        EarlierVariables.WITHOUT_EFFECT.keySet().forEach(n -> all.put(n, "x"));
        Env e = new Env(all);
        Settings.read(e);
        assertThat(e.names()).doesNotContainAnyElementsOf(EarlierVariables.WITHOUT_EFFECT.keySet());
        assertThat(e.notices()).hasSize(EarlierVariables.WITHOUT_EFFECT.size());
    }
}
