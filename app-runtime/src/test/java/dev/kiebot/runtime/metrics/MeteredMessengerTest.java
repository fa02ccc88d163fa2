package dev.kiebot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The replies' counters, kept once made: each reply counts under its own kind and outcome. */
class MeteredMessengerTest {
    @Test
    void everyReplyCountsUnderItsKindAndOutcome() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeteredMessenger messenger = new MeteredMessenger(reply -> reply instanceof Reply.SendText s
                && s.text().equals("blocked") ? new Delivery.Blocked() : new Delivery.Sent(Optional.of(1L), List.of()),
                registry);
        messenger.send(new Reply.SendText(1, "hi", Keyboard.NONE, Optional.empty()));
        messenger.send(new Reply.SendText(2, "hi", Keyboard.NONE, Optional.empty()));
        messenger.send(new Reply.SendText(3, "blocked", Keyboard.NONE, Optional.empty()));
        messenger.send(new Reply.EditText(1, 5, "hi", Keyboard.NONE));

        assertThat(count(registry, "SendText", "sent")).isEqualTo(2);
        assertThat(count(registry, "SendText", "blocked")).isEqualTo(1);
        assertThat(count(registry, "EditText", "sent")).isEqualTo(1);
    }

    @Test
    void aClearedRegistryGetsItsCountersAgain() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MeteredMessenger messenger = new MeteredMessenger(reply -> new Delivery.Sent(Optional.of(1L), List.of()),
                registry);
        messenger.send(new Reply.SendText(1, "hi", Keyboard.NONE, Optional.empty()));
        registry.clear();
        messenger.send(new Reply.SendText(2, "hi", Keyboard.NONE, Optional.empty()));

        assertThat(count(registry, "SendText", "sent")).isEqualTo(1);
    }

    private static double count(SimpleMeterRegistry registry, String kind, String outcome) {
        return registry.get("kiebot.replies").tag("kind", kind).tag("outcome", outcome).counter().count();
    }
}
