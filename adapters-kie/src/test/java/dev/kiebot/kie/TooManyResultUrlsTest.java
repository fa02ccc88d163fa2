package dev.kiebot.kie;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.kie.fake.FakeKieServer;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A shop on the Kie adapter, against the fake Kie on 127.0.0.1, when Kie answers a task of one image with 500 result
 * URLs: 500 messages went to the user's chat. Now the first 20 (more than any model makes) are delivered.
 */
class TooManyResultUrlsTest {
    private FakeKieServer kie;
    private ShopHarness h;
    private Shop shop;

    @BeforeEach
    void setUp() {
        kie = FakeKieServer.start();
        h = new ShopHarness();
        shop = h.anotherInstance(s -> s, b -> b.provider(KieTestSupport.provider(kie)));
        h.command(42, "start");
        h.topUp(42, 10_000);
    }

    @AfterEach
    void tearDown() {
        kie.close();
    }

    private void pass(Duration after) {
        h.clock.advance(after);
        shop.worker().runOnce(10);
        h.deliver();
    }

    @Test
    void theFirstTwentyOfFiveHundredUrlsAreDelivered() {
        h.orderAFoxImage(42);
        Job j = h.lastJob(42);
        pass(Duration.ZERO);
        String task = h.stores.jobs().find(j.id()).orElseThrow().taskId().orElseThrow();
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
