package dev.kiebot.polling;

import dev.kiebot.postgres.EmbeddedDatabase;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For test classes whose scenarios each start on a fresh DATA_DIR: the migrated template is made first (once; later
 * classes find it), as {@code ./kiebot} makes it after a build, so that each start copies it rather than running
 * {@code initdb} and every migration. That path stays tested where it is the subject: {@code EmbeddedDatabaseTest},
 * {@code ClusterTemplateTest}.
 */
final class MigratedTemplate implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        EmbeddedDatabase.unpack();
    }
}
