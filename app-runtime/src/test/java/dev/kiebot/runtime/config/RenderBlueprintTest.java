package dev.kiebot.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Render blueprint must deploy: every value it sets, generates or takes from the database passes
 * {@link Settings} validation, so a first deploy never crash-loops on its own configuration.
 */
class RenderBlueprintTest {
    private static final Path BLUEPRINT = Path.of("..", "render.yaml");

    /** What Render's {@code generateValue: true} produces: a base64-encoded 256-bit value. */
    private static String renderGeneratedValue() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Operator-supplied ({@code sync: false}) values, as a careful operator would enter them. */
    private static final Map<String, String> OPERATOR = Map.of(
            "TELEGRAM_BOT_TOKEN", "1234567:AAH1234567890abcdefghijklmnopqrstuv",
            "KIE_API_KEY", "kie-operator-key-123",
            "ADMIN_IDS", "42",
            "SUPPORT_TELEGRAM", "@helpdesk");

    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new HashMap<>();
        env.put("RENDER_EXTERNAL_URL", "https://kiebot.onrender.com");
        env.put("PORT", "10000");
        for (JsonNode v : service.get("envVars")) {
            String key = v.get("key").asText();
            if (v.has("value")) {
                env.put(key, v.get("value").asText());
            } else if (v.path("generateValue").asBoolean(false)) {
                env.put(key, renderGeneratedValue());
            } else if (v.has("fromDatabase")) {
                env.put(key, "postgresql://kiebot:dbpass@dpg-abc123-a/kiebot");
            } else if (OPERATOR.containsKey(key)) {
                env.put(key, OPERATOR.get(key));
            }
            // other sync:false values are optional and left unset, as an operator may
        }
        return env;
    }

    @Test
    void everyValueTheBlueprintSetsOrGeneratesPassesValidation() throws IOException {
        JsonNode blueprint = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(BLUEPRINT));
        JsonNode service = blueprint.get("services").get(0);
        assertThat(service.get("type").asText()).isEqualTo("web");
        for (int attempt = 0; attempt < 5; attempt++) {
            Map<String, String> env = environment(service);
            assertThatCode(() -> Settings.fromEnv(env)).as("render.yaml env %s", env.keySet())
                    .doesNotThrowAnyException();
            Settings s = Settings.fromEnv(env);
            assertThat(s.mode()).isEqualTo(Settings.Mode.WEBHOOK);
            assertThat(s.telegram().webhookUrl()).contains("https://kiebot.onrender.com/telegram");
        }
    }

    /** Render asks for every {@code sync: false} value when the blueprint is applied: README says what each is. */
    @Test
    void everyValueRenderAsksForIsNamedInTheReadmesRenderSteps() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String steps = readme.substring(readme.indexOf("## Deploy on Render"));
        steps = steps.substring(0, steps.indexOf("\n## ", 1));
        JsonNode service = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(BLUEPRINT)).get("services")
                .get(0);
        java.util.List<String> unnamed = new java.util.ArrayList<>();
        for (JsonNode v : service.get("envVars")) {
            String key = v.get("key").asText();
            if (v.has("sync") && !v.get("sync").asBoolean() && !steps.contains("`" + key + "`")) {
                unnamed.add(key);
            }
        }
        assertThat(unnamed).as("sync: false variables README's Render steps do not name").isEmpty();
    }

    @Test
    void renderWaitsForTheOrderlyStopBeforeItKills() throws IOException {
        JsonNode service = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(BLUEPRINT)).get("services")
                .get(0);
        // Render's default is 30 s between SIGTERM and SIGKILL, its most 300; the bot's own bounded waits at a stop
        // are 25 s (Kiebot.close: five of 5 s), and the web server and the database stop after them
        assertThat(service.path("maxShutdownDelaySeconds").asInt(30)).as("maxShutdownDelaySeconds")
                .isBetween(60, 300);
    }

    /**
     * Render deploys every push by default: a fork synced with upstream deployed untested and migrated production at
     * once, forward only (an older build refuses the migrated schema, Render's Rollback included). Deploys are the
     * operator's, by hand, after a dump: README says how.
     */
    @Test
    void aPushDeploysNothingAndReadmeSaysHowToUpgradeAndRollBack() throws IOException {
        JsonNode service = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(BLUEPRINT)).get("services")
                .get(0);
        // Render's blueprint spec: autoDeployTrigger replaces the deprecated autoDeploy (off is autoDeploy: false).
        // A string: unquoted, YAML 1.1 reads off as the boolean false, which is no value the field takes
        assertThat(service.path("autoDeployTrigger").isTextual()).as("autoDeployTrigger set, as a string").isTrue();
        assertThat(service.path("autoDeployTrigger").asText()).as("autoDeployTrigger").isEqualTo("off");
        assertThat(service.has("autoDeploy")).as("the deprecated autoDeploy beside it").isFalse();
        String readme = Files.readString(Path.of("..", "README.md"));
        String render = readme.substring(readme.indexOf("## Deploy on Render"));
        render = render.substring(0, render.indexOf("\n## ", 1));
        assertThat(render).contains("### Upgrading on Render", "autoDeployTrigger: \"off\"", "pg_dump -Fc", "Manual Deploy",
                "both instances serve", "pg_restore");
    }

    @Test
    void aRenderGeneratedValueIsNotAValidTelegramSecretToken() {
        // why the blueprint derives the secret instead of generating it
        Map<String, String> env = new HashMap<>(OPERATOR);
        env.put("KIE_STUB", "1");
        env.put("TELEGRAM_WEBHOOK_SECRET_TOKEN", renderGeneratedValue());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Settings.fromEnv(env))
                .hasMessageContaining("TELEGRAM_WEBHOOK_SECRET_TOKEN");
    }
}
