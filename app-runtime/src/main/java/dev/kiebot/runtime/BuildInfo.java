package dev.kiebot.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Which build of the bot this is: the project's version and the commit it was built from, written into the jar by
 * Maven ({@code kiebot-build.properties}, app-runtime's pom). An operator reads it in the start's "ready" line, in
 * {@code /readyz} and in the gauge {@code kiebot_build_info}, and so knows which code answers, say, after a deploy
 * that may or may not have gone out. A build without git (a source archive, the Docker build context without .git)
 * says "unknown" for the commit, as does a class path without the file (an IDE's run of the sources). Render builds the
 * image without .git (.dockerignore leaves it out) and passes no build argument, so there the commit the platform
 * deployed, {@value #RENDER_COMMIT} (Render sets it for a service built from a repository), names it instead: it is
 * read here rather than with the settings because {@code --version} and the gauge need it before and beside them, and
 * it configures nothing.
 *
 * @param version the Maven project version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit  the commit's abbreviated hash, or {@code unknown}
 */
public record BuildInfo(String version, String commit) {
    static final String RESOURCE = "kiebot-build.properties";
    static final String UNKNOWN = "unknown";
    /** The commit a Render service was deployed from (the full hash), set by Render. */
    static final String RENDER_COMMIT = "RENDER_GIT_COMMIT";
    /** As many hex digits as the build's own abbreviation (git-commit-id's {@code abbrevLength}, app-runtime's pom). */
    static final int ABBREVIATED = 9;
    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{7,64}");

    private static final BuildInfo CURRENT = read(System::getenv);

    /** This jar's build. */
    public static BuildInfo current() {
        return CURRENT;
    }

    /** One line for logs and {@code --version}: {@code kiebot 0.1.0-SNAPSHOT (commit 14628d728)}. */
    public String describe() {
        return "kiebot " + version + " (commit " + commit + ")";
    }

    /** @param environment a variable's value by name, or null ({@code System::getenv}) */
    static BuildInfo read(Function<String, String> environment) {
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return of(p).orDeployedFrom(Optional.ofNullable(environment.apply(RENDER_COMMIT)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the jar", e);
        }
    }

    /** A value Maven did not fill in (its placeholder left as written) or left empty is unknown. */
    static BuildInfo of(Properties p) {
        return new BuildInfo(filled(p.getProperty("version")), filled(p.getProperty("commit")));
    }

    /**
     * With the commit a platform says it deployed when the build's own is unknown; a value that is no commit hash is
     * left out.
     */
    BuildInfo orDeployedFrom(Optional<String> platformCommit) {
        if (!commit.equals(UNKNOWN)) {
            return this; // the jar's own word: the platform's may be of another build than this jar
        }
        return platformCommit.map(String::strip).filter(c -> HASH.matcher(c).matches())
                .map(c -> new BuildInfo(version, c.substring(0, Math.min(ABBREVIATED, c.length()))
                        .toLowerCase(Locale.ROOT)))
                .orElse(this);
    }

    private static String filled(String value) {
        return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.strip();
    }
}
