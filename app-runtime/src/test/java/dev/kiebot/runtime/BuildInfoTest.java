package dev.kiebot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

    /** Maven filled in the file this module's build put on the class path: the version, and the commit or "unknown". */
    @Test
    void theBuildNamesItsVersionAndItsCommit() {
        BuildInfo build = BuildInfo.current();
        assertThat(build.version()).matches("\\d+\\.\\d+\\.\\d+\\S*");
        assertThat(build.commit()).matches("[0-9a-f]{9}|unknown");
        assertThat(build.describe()).isEqualTo("kiebot " + build.version() + " (commit " + build.commit() + ")");
    }

    /** A build without git leaves the commit's placeholder as written; an empty value is no better. */
    @Test
    void aValueMavenDidNotFillInIsUnknown() {
        Properties p = new Properties();
        p.setProperty("version", "1.2.3");
        p.setProperty("commit", "${git.commit.id.abbrev}");
        assertThat(BuildInfo.of(p)).isEqualTo(new BuildInfo("1.2.3", "unknown"));
        p.setProperty("version", " ");
        p.setProperty("commit", "0123abcde");
        assertThat(BuildInfo.of(p)).isEqualTo(new BuildInfo("unknown", "0123abcde"));
        assertThat(BuildInfo.of(new Properties())).isEqualTo(new BuildInfo("unknown", "unknown"));
    }

    /**
     * Found by an operator review: on Render the image is built without .git and the commit read "unknown"; Render's
     * own RENDER_GIT_COMMIT names it then, abbreviated as the build's own would be.
     */
    @Test
    void aBuildThatDoesNotKnowItsCommitTakesTheOneRenderDeployed() {
        BuildInfo withoutGit = new BuildInfo("1.2.3", "unknown");
        assertThat(withoutGit.orDeployedFrom(Optional.of("0123ABCDEF456789aaaabbbbccccddddeeeeffff")))
                .isEqualTo(new BuildInfo("1.2.3", "0123abcde"));
        assertThat(withoutGit.orDeployedFrom(Optional.of("not a commit"))).isEqualTo(withoutGit);
        assertThat(withoutGit.orDeployedFrom(Optional.empty())).isEqualTo(withoutGit);
        assertThat(new BuildInfo("1.2.3", "fedcba987").orDeployedFrom(Optional.of("0123abcdef")))
                .as("the jar's own commit wins").isEqualTo(new BuildInfo("1.2.3", "fedcba987"));
        BuildInfo read = BuildInfo.read(Map.of("RENDER_GIT_COMMIT", "0123abcdef456789")::get);
        assertThat(read.commit()).isEqualTo(BuildInfo.current().commit().equals("unknown") ? "0123abcde"
                : BuildInfo.current().commit());
    }

    /**
     * The variable is read outside the configuration (whose reads {@code ConfigurationTableTest} holds to README's
     * table): README's configuration table has a row for it all the same, an operator's one list of what the bot
     * reads (it had none).
     */
    @Test
    void readmesConfigurationTableListsTheVariableRead() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String section = readme.substring(readme.indexOf("## Configuration"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        assertThat(section.lines()).as("README's configuration table")
                .anyMatch(l -> l.startsWith("| `" + BuildInfo.RENDER_COMMIT + "` |"));
    }
}
