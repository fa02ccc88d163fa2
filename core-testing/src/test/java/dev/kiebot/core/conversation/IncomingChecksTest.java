package dev.kiebot.core.conversation;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An adapter that leaves a part of an update out is told so where it builds the update, by the part's name: found
 * later, deep in the handling, the missing part became an apology to the user for every message they sent.
 */
class IncomingChecksTest {
    private static final Actor ACTOR = new Actor(7, 7, "Ann", Optional.empty(), Optional.empty());

    @Test
    void anActorWithoutAUsersIdIsRefused() {
        for (long id : new long[] {0, -1001234567890L}) {
            assertThatThrownBy(() -> new Actor(id, 7, "Ann", Optional.empty(), Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("userId must be a user's id");
        }
    }

    @Test
    void anActorWithoutANameOrItsOptionalsIsRefusedByName() {
        assertThatThrownBy(() -> new Actor(7, 7, null, Optional.empty(), Optional.empty()))
                .isInstanceOf(NullPointerException.class).hasMessageStartingWith("firstName");
        assertThatThrownBy(() -> new Actor(7, 7, "Ann", null, Optional.empty()))
                .isInstanceOf(NullPointerException.class).hasMessageStartingWith("username");
        assertThatThrownBy(() -> new Actor(7, 7, "Ann", Optional.empty(), null))
                .isInstanceOf(NullPointerException.class).hasMessageStartingWith("languageCode");
    }

    @Test
    void anUpdateWithoutItsActorEventOrOptionalsIsRefusedByName() {
        Event event = new Event.Text("hi");
        assertThatThrownBy(() -> new Incoming(1, null, event))
                .isInstanceOf(NullPointerException.class).hasMessageStartingWith("actor");
        assertThatThrownBy(() -> new Incoming(1, ACTOR, null))
                .isInstanceOf(NullPointerException.class).hasMessageStartingWith("event");
        assertThatThrownBy(() -> new Incoming(1, ACTOR, event, null, Optional.empty()))
                .isInstanceOf(NullPointerException.class).hasMessageStartingWith("receivedAt");
        assertThatThrownBy(() -> new Incoming(1, ACTOR, event, Optional.empty(), null))
                .isInstanceOf(NullPointerException.class).hasMessageStartingWith("chatKind");
        assertThatThrownBy(() -> new Incoming(1, ACTOR, event, Optional.empty(), Optional.empty(), null))
                .isInstanceOf(NullPointerException.class).hasMessageStartingWith("topic");
    }
}
