package dev.kiebot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.PgJobs;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A store that NOTIFYs on a channel the instance does not LISTEN on is heard by no other instance: the paused models
 * kept in memory (PgStores) were read again by another instance only at their minute's re-read, had the channel been
 * left out of Kiebot's list. Every {@code public static final String CHANNEL} of adapters-postgres is listened to.
 */
class KiebotChannelsTest {
    private static final String PACKAGE = "dev/kiebot/postgres/";

    @Test
    void everyChannelAStoreNotifiesOnIsListenedTo() throws Exception {
        List<String> notified = new ArrayList<>();
        for (String name : postgresClassNames()) {
            Class<?> type = Class.forName(name, false, KiebotChannelsTest.class.getClassLoader());
            for (Field field : type.getDeclaredFields()) {
                int m = field.getModifiers();
                if (field.getName().equals("CHANNEL") && field.getType() == String.class && Modifier.isStatic(m)
                        && Modifier.isPublic(m) && Modifier.isFinal(m)) {
                    notified.add((String) field.get(null));
                }
            }
        }
        assertThat(notified).as("the stores' channels (at least the jobs', the inbox's, the outbox's)")
                .contains(PgJobs.CHANNEL).hasSizeGreaterThanOrEqualTo(5);
        assertThat(Kiebot.LISTENED_CHANNELS).containsExactlyInAnyOrderElementsOf(notified);
    }

    /** The classes of adapters-postgres, from its classes directory (a module's build) or its jar (the reactor's). */
    private static List<String> postgresClassNames() throws IOException, URISyntaxException {
        Path where = Path.of(PgJobs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(where)) {
            try (Stream<Path> files = Files.walk(where.resolve(PACKAGE))) {
                files.map(f -> where.relativize(f).toString().replace('\\', '/')).forEach(names::add);
            }
        } else {
            try (JarFile jar = new JarFile(where.toFile())) {
                jar.stream().map(JarEntry::getName).forEach(names::add);
            }
        }
        return names.stream().filter(n -> n.startsWith(PACKAGE) && n.endsWith(".class") && !n.contains("$"))
                .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')).toList();
    }
}
