package dev.kiebot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.kiebot.postgres.PgJobs;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A store that NOTIFYs on a channel the instance does not LISTEN on is heard by no other instance: the paused models
 * kept in memory (PgStores) were read again by another instance only at their minute's re-read, had the channel been
 * left out of Kiebot's list. Every {@code public static final String CHANNEL} of adapters-postgres is listened to.
 */
class KiebotChannelsTest {
    @Test
    void everyChannelAStoreNotifiesOnIsListenedTo() throws IllegalAccessException {
        List<String> notified = new ArrayList<>();
        for (var type : new ClassFileImporter().importPackages("dev.kiebot.postgres")) {
            for (JavaField field : type.getFields()) {
                if (field.getName().equals("CHANNEL") && field.getRawType().isEquivalentTo(String.class)
                        && field.getModifiers().containsAll(
                                Set.of(JavaModifier.PUBLIC, JavaModifier.STATIC, JavaModifier.FINAL))) {
                    notified.add((String) field.reflect().get(null));
                }
            }
        }
        assertThat(notified).as("the stores' channels (at least the jobs', the inbox's, the outbox's)")
                .contains(PgJobs.CHANNEL).hasSizeGreaterThanOrEqualTo(5);
        assertThat(Kiebot.LISTENED_CHANNELS).containsExactlyInAnyOrderElementsOf(notified);
    }
}
