package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

    private static DatabaseSettings parse(String url) {
        return DatabaseSettings.fromUrl(url);
    }

    @Test
    void renderStyleUrlBecomesJdbcWithSeparateCredentials() {
        DatabaseSettings s = parse("postgresql://kiebot_user:s3cret@dpg-abc123-a.frankfurt-postgres.render.com:6543/"
                + "kiebot_db?sslmode=require");
        assertThat(s.jdbcUrl()).contains(
                "jdbc:postgresql://dpg-abc123-a.frankfurt-postgres.render.com:6543/kiebot_db?sslmode=require");
        assertThat(s.user()).isEqualTo("kiebot_user");
        assertThat(s.password()).isEqualTo("s3cret");
        assertThat(s.isEmbedded()).isFalse();
    }

    /** What a log line may show of where the database is: host and port, never the user, password or parameters. */
    @Test
    void theAddressIsHostAndPortOnly() {
        DatabaseSettings render = parse("postgresql://kiebot_user:s3cret@dpg-abc123-a.frankfurt-postgres.render.com"
                + "/kiebot_db?sslmode=require&sslpassword=keypass");
        assertThat(render.address()).isEqualTo("dpg-abc123-a.frankfurt-postgres.render.com:5432");
        assertThat(parse("jdbc:postgresql://u:pw@10.0.0.7:6543/db?password=pw").address()).isEqualTo("10.0.0.7:6543");
        assertThat(parse("jdbc:postgresql://[::1]:6000,[::2]/db").address()).isEqualTo("[::1]:6000,[::2]:5432");
        assertThat(parse("jdbc:postgresql://a:5433,b?targetServerType=primary").address()).isEqualTo("a:5433,b:5432");
        assertThat(DatabaseSettings.embedded(Path.of("data")).address()).isEqualTo("embedded");
    }

    @Test
    void postgresSchemeAndMissingPortDefaultTo5432() {
        DatabaseSettings s = parse("postgres://u:p@db.internal/app");
        assertThat(s.jdbcUrl()).contains("jdbc:postgresql://db.internal:5432/app");
        assertThat(parse("postgresql://u:p@db.internal").jdbcUrl()).contains("jdbc:postgresql://db.internal:5432/postgres");
    }

    @Test
    void percentEncodedSpecialCharactersInThePasswordAreDecoded() {
        DatabaseSettings s = parse("postgresql://us%40er:p%40ss%3Aw%2Frd%25x%23y%3Fz%2B1@host:5432/db");
        assertThat(s.user()).isEqualTo("us@er");
        assertThat(s.password()).isEqualTo("p@ss:w/rd%x#y?z+1");
        assertThat(s.jdbcUrl()).contains("jdbc:postgresql://host:5432/db");
    }

    @Test
    void rawSpecialCharactersInThePasswordStillWork() {
        DatabaseSettings s = parse("postgresql://user:p@ss:w/rd#x?y@host:5433/db?sslmode=verify-full");
        assertThat(s.user()).isEqualTo("user");
        assertThat(s.password()).isEqualTo("p@ss:w/rd#x?y");
        assertThat(s.jdbcUrl()).contains("jdbc:postgresql://host:5433/db?sslmode=verify-full");
        // a '+' is a plus in URLs' user info, not a space
        assertThat(parse("postgres://u:a+b@h/d").password()).isEqualTo("a+b");
    }

    @Test
    void jdbcFormIsAcceptedAndCredentialsMoveOutOfTheUrl() {
        DatabaseSettings s = parse("jdbc:postgresql://host:5432/db?user=app&password=p%40ss&sslmode=require");
        assertThat(s.jdbcUrl()).contains("jdbc:postgresql://host:5432/db?sslmode=require");
        assertThat(s.user()).isEqualTo("app");
        assertThat(s.password()).isEqualTo("p@ss");
        DatabaseSettings plain = DatabaseSettings.fromUrl("jdbc:postgresql://host/db", Optional.of("app"),
                Optional.of("x:y@z"), Path.of("./data"), DatabaseSettings.DEFAULT_POOL_SIZE);
        assertThat(plain.jdbcUrl()).contains("jdbc:postgresql://host/db");
        assertThat(plain.user()).isEqualTo("app");
        assertThat(plain.password()).isEqualTo("x:y@z");
    }

    @Test
    void theEmbeddedDatabaseLivesInDataDir() {
        DatabaseSettings s = DatabaseSettings.embedded(Path.of("./data"));
        assertThat(s.isEmbedded()).isTrue();
        assertThat(s.embeddedDataDirectory()).isEqualTo(Path.of("./data/pg"));
        assertThatThrownBy(() -> s.withPoolSize(DatabaseSettings.POOL_SIZE_MAX + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringAndErrorsNeverShowThePassword() {
        DatabaseSettings s = parse("postgresql://user:Sup3r-S3cret@host/db");
        assertThat(s.toString()).doesNotContain("Sup3r-S3cret").contains("****").contains("host");
        assertThat(parse("postgresql://user:Sup3r-S3cret@host/db?sslmode=verify-full&sslpassword=Key-Pa55word"))
                .hasToString("DatabaseSettings[url=jdbc:postgresql://host:5432/db, user=user, password=****, "
                        + "dataDir=data, poolSize=" + DatabaseSettings.DEFAULT_POOL_SIZE + "]");
        assertThatThrownBy(() -> parse("mysql://user:Sup3r-S3cret@host/db"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DATABASE_URL")
                .hasMessageNotContaining("Sup3r-S3cret");
        assertThatThrownBy(() -> parse("postgresql://user:Sup3r-S3cret@/db"))
                .hasMessageContaining("DATABASE_URL")
                .hasMessageNotContaining("Sup3r-S3cret");
    }
}
