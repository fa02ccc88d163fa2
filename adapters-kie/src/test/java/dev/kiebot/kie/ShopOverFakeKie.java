package dev.kiebot.kie;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.shop.Shop;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.kie.fake.FakeKieServer;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The set-up of a test of a shop on the Kie adapter against the fake Kie on 127.0.0.1: a second instance over a
 * {@link ShopHarness}'s stores, so that a user orders in the harness's chat and the shop on Kie sends and reads the
 * task, two instances of one bot. User 42 has sent /start and has 10 000 on his balance.
 */
abstract class ShopOverFakeKie {
    private final Optional<String> callbackUrl;
    FakeKieServer kie;
    ShopHarness h;
    Shop shop;

    /** A shop with no callback URL: it learns of a task only by reading it. */
    ShopOverFakeKie() {
        this.callbackUrl = Optional.empty();
    }

    /** A shop that gives Kie {@code callbackUrl} with each task. */
    ShopOverFakeKie(String callbackUrl) {
        this.callbackUrl = Optional.of(callbackUrl);
    }

    @BeforeEach
    final void startTheShopOverFakeKie() {
        kie = FakeKieServer.start();
        h = new ShopHarness();
        shop = h.anotherInstance(s -> s, b -> b.provider(KieTestSupport.provider(kie)).callbackUrl(callbackUrl));
        h.command(42, "start");
        h.topUp(42, 10_000);
    }

    @AfterEach
    final void closeTheFakeKie() {
        kie.close();
    }

    /** {@code j} as the store has it now. */
    Job job(Job j) {
        return h.stores.jobs().find(j.id()).orElseThrow();
    }

    /** The task Kie made for {@code j}. */
    String taskOf(Job j) {
        return job(j).taskId().orElseThrow();
    }

    /** {@code after} passes, then the shop on Kie works once and the harness delivers what it sent. */
    void pass(Duration after) {
        h.clock.advance(after);
        shop.worker().runOnce(10);
        h.deliver();
    }

    /** {@code user} orders the harness's fox image and the shop on Kie sends it. */
    Job started(long user) {
        h.orderAFoxImage(user);
        Job j = h.lastJob(user);
        pass(Duration.ZERO);
        return j;
    }
}
