package dev.kiebot.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiebot.postgres.DatabaseSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The database variables (moved here from the PostgreSQL adapter, which no longer reads the environment). */
class DatabaseVariablesTest {
    private static final String TOKEN = "1234567:AAH1234567890abcdefghijklmnopqrstuv";

    private static Settings settings(Map<String, String> db) {
        Map<String, String> m = new HashMap<>(db);
        m.put("TELEGRAM_BOT_TOKEN", TOKEN);
        m.put("KIE_STUB", "1");
        return Settings.fromEnv(m);
    }

    @Test
    void withoutDatabaseUrlTheEmbeddedDatabaseLivesInDataDir() {
        DatabaseSettings s = settings(Map.of()).database();
        assertThat(s.isEmbedded()).isTrue();
        assertThat(s.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(s.embeddedDataDirectory()).isEqualTo(Path.of("./data/pg"));
        assertThat(settings(Map.of("DATA_DIR", "/var/kiebot", "DATABASE_URL", " ")).database().embeddedDataDirectory())
                .isEqualTo(Path.of("/var/kiebot/pg"));
        assertThat(settings(Map.of("DATABASE_POOL_SIZE", "7")).database().poolSize()).isEqualTo(7);
    }

    @Test
    void onRenderTheEmbeddedDatabaseIsRefusedUnlessItsDirectoryIsSaidToSurviveARestart() {
        assertThatThrownBy(() -> settings(Map.of("RENDER", "true")))
                .as("Render wipes a service's files at every deploy and restart: the balances would go with them")
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DATABASE_URL").hasMessageContaining("DATA_DIR_PERSISTENT=1");
        assertThatThrownBy(() -> settings(Map.of("RENDER", "true", "DATA_DIR", "/var/data")))
                .as("the Docker image sets DATA_DIR itself: a directory alone says nothing of a disk")
                .isInstanceOf(ConfigException.class);
        assertThat(settings(Map.of("RENDER", "true", "DATABASE_URL", "postgresql://u:p@db/app")).database()
                .isEmbedded()).isFalse();
        assertThat(settings(Map.of("RENDER", "true", "DATA_DIR", "/var/data", "DATA_DIR_PERSISTENT", "1"))
                .database().embeddedDataDirectory()).isEqualTo(Path.of("/var/data/pg"));
        assertThat(settings(Map.of("RENDER", "elsewhere")).database().isEmbedded())
                .as("only Render's own RENDER=true").isTrue();
        assertThatThrownBy(() -> settings(Map.of("DATA_DIR_PERSISTENT", "maybe")))
                .hasMessageContaining("DATA_DIR_PERSISTENT");
    }

    @Test
    void userAndPasswordVariablesOverrideTheUrl() {
        DatabaseSettings plain = settings(Map.of("DATABASE_URL", "jdbc:postgresql://host/db",
                "DATABASE_USER", "app", "DATABASE_PASSWORD", "x:y@z")).database();
        assertThat(plain.jdbcUrl()).contains("jdbc:postgresql://host/db");
        assertThat(plain.user()).isEqualTo("app");
        assertThat(plain.password()).isEqualTo("x:y@z");
        DatabaseSettings fromUrl = settings(Map.of("DATABASE_URL", "postgresql://kiebot:s3cret@db.internal/app"))
                .database();
        assertThat(fromUrl.user()).isEqualTo("kiebot");
        assertThat(fromUrl.password()).isEqualTo("s3cret");
    }

    @Test
    void errorsNameTheVariableAndNeverShowThePassword() {
        assertThatThrownBy(() -> settings(Map.of("DATABASE_POOL_SIZE", "lots")))
                .hasMessageContaining("DATABASE_POOL_SIZE");
        assertThatThrownBy(() -> settings(Map.of("DATABASE_URL", "mysql://user:Sup3r-S3cret@host/db")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("DATABASE_URL")
                .hasMessageNotContaining("Sup3r-S3cret");
    }

    @Test
    void theUrlAndTheDecodedPasswordAreMaskedInLogs() {
        String url = "postgresql://kiebot:p%40ss-w0rd@db.internal/app";
        Settings s = settings(Map.of("DATABASE_URL", url));
        assertThat(s.secrets()).contains(url, "p@ss-w0rd");
        assertThat(s.toString()).doesNotContain("p%40ss-w0rd").doesNotContain("p@ss-w0rd");
    }

    @Test
    void aSchemaOfItsOwnAndTheBaselineOptionReachTheAdapter() {
        DatabaseSettings plain = settings(Map.of("DATABASE_URL", "postgresql://u:p@db/app")).database();
        assertThat(plain.schema()).isEmpty();
        assertThat(plain.baseline()).isFalse();
        DatabaseSettings shared = settings(Map.of("DATABASE_URL", "postgresql://u:p@db/app",
                "DATABASE_SCHEMA", "kiebot", "DATABASE_BASELINE", "1")).database();
        assertThat(shared.schema()).contains("kiebot");
        assertThat(shared.baseline()).isTrue();
        assertThat(shared.jdbcUrl()).contains("jdbc:postgresql://db:5432/app");
        assertThatThrownBy(() -> settings(Map.of("DATABASE_SCHEMA", "Kie Bot")))
                .hasMessageContaining("DATABASE_SCHEMA");
        assertThatThrownBy(() -> settings(Map.of("DATABASE_BASELINE", "maybe")))
                .hasMessageContaining("DATABASE_BASELINE");
    }

    @Test
    void importCommandsReadOnlyTheDatabaseVariables() {
        DatabaseSettings s = Settings.databaseFromEnv(Map.of("DATABASE_URL", "postgresql://u:p@db/app"));
        assertThat(s.jdbcUrl()).contains("jdbc:postgresql://db:5432/app");
        assertThat(Settings.databaseFromEnv(Map.of()).isEmbedded()).isTrue();
        assertThatThrownBy(() -> Settings.databaseFromEnv(Map.of("DATABASE_POOL_SIZE", "0")))
                .isInstanceOf(ConfigException.class);
    }
}
