package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A uid without a name (OpenShift's random uid, a {@code runAsUser} the image does not know) cannot run
 * {@code initdb}, which stopped the start with PostgreSQL's own line alone: the failure now says what to do.
 */
class ProcessUserTest {
    @Test
    void aPostgresProgramStoppedForWantOfAUserNameSaysWhatToDo() {
        String initdb = "  initdb: could not look up effective user ID 1000650000: user does not exist";

        assertThat(ProcessUser.explainNoEntry(initdb)).startsWith(initdb)
                .contains("has no name (no entry in /etc/passwd)").contains("or set DATABASE_URL");
        assertThat(ProcessUser.explainNoEntry("  initdb: disk full")).isEqualTo("  initdb: disk full");
    }
}
