package dev.kiebot.runtime;

import static org.assertj.core.api.Assertions.assertThat;

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
}
