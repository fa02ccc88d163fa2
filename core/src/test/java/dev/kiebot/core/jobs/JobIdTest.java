package dev.kiebot.core.jobs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * A partner's jobs store builds job ids from its rows: a wrong one is refused naming what it was given. Before, the
 * message was only the rule.
 */
class JobIdTest {
    @Test
    void anIdBelowOneIsRefusedNamingIt() {
        assertThatThrownBy(() -> new JobId(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("; was 0");
        assertThatThrownBy(() -> new JobId(-7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("; was -7");
    }
}
