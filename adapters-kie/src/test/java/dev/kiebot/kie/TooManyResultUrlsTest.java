package dev.kiebot.kie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.reply.Reply;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A shop on the Kie adapter, against the fake Kie on 127.0.0.1, when Kie answers a task of one image with 500 result
 * URLs: 500 messages went to the user's chat. Now the first 20 (more than any model makes) are delivered.
 */
class TooManyResultUrlsTest extends ShopOverFakeKie {
    @Test
    void theFirstTwentyOfFiveHundredUrlsAreDelivered() {
        Job j = started(42);
        String task = taskOf(j);
        String[] urls = IntStream.range(0, 500).mapToObj(i -> "https://tempfile.example/fox" + i + ".png")
                .toArray(String[]::new);
        kie.succeed(task, urls);
        pass(Duration.ofSeconds(5));

        Job done = h.stores.jobs().find(j.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.DELIVERED);
        assertThat(done.result().orElseThrow().urls()).hasSize(20).startsWith(urls[0]);
        assertThat(h.messenger.of(Reply.SendMedia.class)).extracting(Reply.SendMedia::source)
                .containsExactly(java.util.Arrays.copyOf(urls, 20));
        assertThat(h.balance(42)).as("charged once, as for one result").isEqualTo(10_000 - 297);
    }
}
