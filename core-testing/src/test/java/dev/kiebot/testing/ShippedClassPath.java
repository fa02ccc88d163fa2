package dev.kiebot.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The class path for a child JVM that runs the bot's own code in a test: this JVM's, without the folders that hold a
 * {@code logback-test.xml}. Under {@code mvn test -pl …} the adapters' test classes are folders on the class path
 * (under {@code verify}, CI's command, their test jars, which leave that file out), and the bot's logging steps aside
 * for such a file: the child would log by an adapter's test settings (unmasked, with Logback's own warnings about the
 * duplicate), not by the configuration the bot ships with. The adapters now keep that file out of their test classes
 * ({@code src/test/logging}, on their own tests' class path only), so this filters nothing today: a guard should a
 * module's test resources bring one again.
 */
public final class ShippedClassPath {
    private ShippedClassPath() {
    }

    /** This JVM's class path as the bot would have it, for {@code java -cp}. */
    public static String of() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Files.isRegularFile(Path.of(entry, "logback-test.xml")))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
