package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A partner's platform whose message ids are 64-bit (Discord's snowflakes, past {@code int}): the id core got from
 * {@link Delivery.Sent} comes back whole in the {@link Reply.EditText} of that message. Before message ids were
 * {@code long}, such a messenger could not even be written: {@code Delivery.Sent} took an {@code Optional<Integer>}.
 */
class SnowflakeMessageIdsTest {
    /** Where the partner's ids start: a Discord message id of 2025, far past {@link Integer#MAX_VALUE}. */
    private static final long SNOWFLAKE = 1_312_345_678_901_234_567L;

    @Test
    void aJobsStatusMessageWhoseIdIsPastIntIsEditedByThatId() {
        ShopHarness[] harness = new ShopHarness[1];
        // the partner's messenger: sends through the harness's (which records), answers with its platform's ids
        Messenger discordLike = r -> {
            Delivery d = harness[0].messenger.send(r);
            return d instanceof Delivery.Sent s
                    ? new Delivery.Sent(s.messageId().map(id -> r instanceof Reply.EditText e ? e.messageId()
                    : SNOWFLAKE + id), s.fileIds())
                    : d;
        };
        ShopHarness h = new ShopHarness(TestCatalog.catalog(),
                ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off()),
                ShopHarness.MANUAL, b -> b.messenger(discordLike));
        harness[0] = h;
        h.command(42, "start");
        h.topUp(42, 10_000);
        User user = h.stores.users().find(42).orElseThrow();
        Generations.Start s = h.shop.generations().start(user, 42,
                new Effect.StartJob("img/m9", "default", Map.of("prompt", "a cat"), Map.of(), 300, false));
        Job j = ((Generations.Start.Started) s).job();
        h.work(10);
        h.deliver();
        long status = h.stores.jobs().find(j.id()).orElseThrow().statusMessageId().orElseThrow();
        assertThat(status).as("the status message's id, as the partner's platform gave it").isGreaterThan(
                Integer.MAX_VALUE);
        h.messenger.drain();

        h.provider.set("task-1", new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "internal"));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        h.deliver();

        List<Reply> told = h.messenger.drain();
        assertThat(told).first().isInstanceOfSatisfying(Reply.EditText.class, e -> {
            assertThat(e.messageId()).as("the same 64-bit id, not cut to int").isEqualTo(status);
            assertThat(e.text()).startsWith("❌ " + j.id().display());
        });
    }
}
