package dev.kiebot.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Which build of the bot this is: the project's version and the commit it was built from, written into the jar by
 * Maven ({@code kiebot-build.properties}, app-runtime's pom). An operator reads it in the start's "ready" line, in
 * {@code /readyz} and in the gauge {@code kiebot_build_info}, and so knows which code answers, say, after a deploy
 * that may or may not have gone out. A build without git (a source archive, the Docker build context without .git)
 * says "unknown" for the commit, as does a class path without the file (an IDE's run of the sources).
 *
 * @param version the Maven project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit  the commit's abbreviated hash, or {@code unknown}
 */
public record BuildInfo(String version, String commit) {
    static final String RESOURCE = "kiebot-build.properties";
    static final String UNKNOWN = "unknown";

    private static final BuildInfo CURRENT = read();

    /** This jar's build. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** One line for logs and {@code --version}: {@code kiebot 0.1.0-SNAPSHOT (commit 14628d728)}. */
    public String describe() {
        return "kiebot " + version + " (commit " + commit + ")";
    }

    static BuildInfo read() {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return new BuildInfo(UNKNOWN, UNKNOWN);
            }
            Properties p = new Properties();
            p.load(in);
            return of(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the jar", e);
        }
    }

    /** A value Maven did not fill in (its placeholder left as written) or left empty is unknown. */
    static BuildInfo of(Properties p) {
        return new BuildInfo(filled(p.getProperty("version")), filled(p.getProperty("commit")));
    }

    private static String filled(String value) {
        return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.strip();
    }
}
