package dev.kiebot.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.testing.TestDatabase;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chats given an admin's command menu outlive the process, so a former admin's can be cleared at a start. */
class PgAdminMenusTest {
    private PgAdminMenus menus;

    @BeforeEach
    void empty() {
        TestDatabase.truncateAll();
        menus = new PgAdminMenus(TestDatabase.jdbi());
    }

    @Test
    void aChatGivenTheMenuIsKeptOnceUntilCleared() {
        Instant at = Instant.parse("2026-12-05T10:00:00Z");
        menus.given(1002L, at);
        menus.given(1001L, at);
        menus.given(1002L, at.plusSeconds(60)); // every start sets it again
        assertThat(new PgAdminMenus(TestDatabase.jdbi()).all()).containsExactly(1001L, 1002L);
        menus.cleared(1002L);
        menus.cleared(1002L);
        assertThat(menus.all()).containsExactly(1001L);
    }
}
