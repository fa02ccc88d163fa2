package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Family;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.catalog.Sku;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A held job goes out as the variant paid for: a clip's length the user is never asked takes the catalog's default,
 * and a deploy that changes that default between the hold and the send must not change what Kie is asked for (found
 * by review G: 6 s held, 10 s asked of Kie). A job whose variant the model no longer has is refunded, never sent.
 */
class PaidVariantTest {
    private static final long U = 42;

    private static ShopSettings settings() {
        return ShopSettings.defaults().withAdmins(Set.of(ShopHarness.ADMIN)).withAdmission(AdmissionPolicy.off());
    }

    /** A clip model whose length is priced but never asked: it is the catalog's {@code defaultSeconds}. */
    private static Model clip(String defaultSeconds, List<String> offered) {
        InputField duration = new InputField("duration", FieldType.ENUM, false, offered, Optional.of(defaultSeconds),
                Optional.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), false);
        return new Model("clip/x", "clip/x", Family.JOBS, Category.VIDEO, Map.of("ru", "Клип", "en", "Clip"),
                Map.of("ru", "видео", "en", "video"),
                List.of(TestCatalog.labelled(InputField.prompt(500)), TestCatalog.labelled(duration)),
                offered.stream().map(s -> new Sku(Map.of("duration", s), new BigDecimal(s).divide(BigDecimal.TEN),
                        "test")).toList(), 1);
    }

    private static ShopHarness shop(Model model) {
        return new ShopHarness(Catalog.of(List.of(model)), settings(), ShopHarness.MANUAL, b -> b.freeDailyLimit(0));
    }

    /** The same stores, restarted with another catalog: a deploy between the hold and the send. */
    private static ShopHarness deployed(ShopHarness before, Model model) {
        return new ShopHarness(Catalog.of(List.of(model)), settings(), ShopHarness.MANUAL, b -> b.freeDailyLimit(0),
                c -> before.stores);
    }

    private static Job held(ShopHarness h) {
        h.command(U, "start");
        h.topUp(U, 10_000);
        h.press(U, "*|g|clip/x");
        List<Reply> confirm = h.text(U, "a cat");
        h.press(U, button(confirm, "Generate for"));
        return h.lastJob(U);
    }

    /** The «Again» button under the result of a job held at 6 s, the model then offering 6 s and 10 s. */
    private static String againOfAFinishedJob(ShopHarness h) {
        held(h);
        h.work(10);
        h.provider.succeed("task-1", "https://r/clip.mp4");
        h.clock.advance(Duration.ofMinutes(5));
        h.work(10);
        h.clock.advance(Duration.ofMinutes(5));
        h.work(10);
        return button(h.messenger.drain(), "Again");
    }

    /** «Again» pressed, then «Generate» on its confirmation: the job it placed. */
    private static Job placedAgain(ShopHarness after, String again) {
        after.topUp(U, 100_000); // two clips more, whichever their length
        List<Reply> confirm = after.press(U, again);
        assertThat(ShopHarness.lastText(confirm)).doesNotContain("options have changed");
        after.press(U, button(confirm, "Generate for"));
        return after.lastJob(U);
    }

    /** A new order of the same description on the same shop: the variant and price «again» must match. */
    private static Job placedAnew(ShopHarness after) {
        after.press(U, "*|g|clip/x");
        List<Reply> confirm = after.text(U, "a cat");
        after.press(U, button(confirm, "Generate for"));
        return after.lastJob(U);
    }

    private static String sentSku(SubmitRequest sent) {
        return sent.model().skuFor(sent.values()).orElseThrow().id();
    }

    @Test
    void aJobHeldBeforeADeployThatChangedAnUnaskedDefaultGoesOutAsPaid() {
        ShopHarness h = shop(clip("6", List.of("6", "10")));
        Job job = held(h);
        assertThat(job.skuId()).isEqualTo("duration=6");
        assertThat(job.values()).containsEntry("duration", "6"); // recorded with the job, though never asked

        ShopHarness after = deployed(h, clip("10", List.of("6", "10")));
        after.work(10);

        assertThat(after.provider.submitted).hasSize(1);
        assertThat(after.provider.submitted.get(0).values()).containsEntry("duration", "6");
        assertThat(sentSku(after.provider.submitted.get(0))).isEqualTo(job.skuId());
    }

    /** A row held before its options were recorded with it goes out, and as the variant it was paid for. */
    @Test
    void aJobHeldWithoutItsOptionsRecordedGoesOutAsPaid() {
        ShopHarness h = shop(clip("6", List.of("6", "10")));
        h.command(U, "start");
        h.topUp(U, 10_000);
        var user = h.stores.users().find(U).orElseThrow();
        Generations.Start s = h.shop.generations().start(user, U, new Effect.StartJob("clip/x", "duration=6",
                Map.of("prompt", "a cat"), Map.of(), 3_000, false));
        assertThat(s).isInstanceOf(Generations.Start.Started.class);

        ShopHarness after = deployed(h, clip("10", List.of("6", "10")));
        after.work(10);

        assertThat(after.provider.submitted).hasSize(1);
        assertThat(after.provider.submitted.get(0).values()).containsEntry("duration", "6")
                .containsEntry("prompt", "a cat");
    }

    /** The model's pricing changed under a held job: nothing goes to Kie, the money comes back, the user is told why. */
    @Test
    void aJobWhoseVariantTheModelNoLongerHasIsRefundedNotSent() {
        ShopHarness h = shop(clip("6", List.of("6", "10")));
        long topped = 10_000;
        Job job = held(h);
        assertThat(h.balance(U)).isLessThan(topped);

        ShopHarness after = deployed(h, clip("10", List.of("10")));
        after.work(10);

        assertThat(after.provider.submitted).isEmpty();
        Job failed = after.stores.jobs().find(job.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.failure()).contains("error.variant_gone");
        assertThat(after.balance(U)).isEqualTo(topped);
        assertThat(ShopHarness.lastText(after.messenger.drain())).contains("Generation failed: this model changed "
                + "while the generation waited its turn, and the option paid for is gone. Open the model again to see "
                + "what it costs now.");
    }

    /**
     * «Again» after a deploy dropped the unasked length the job was paid for: the job's recorded value left no price,
     * and the user was told the options changed and asked his description again for an option he is never asked
     * (review M). It is a new order: the current default, priced now.
     */
    @Test
    void againAfterADeployDroppedTheUnaskedValuePaidForIsANewOrderAtTheCurrentDefault() {
        ShopHarness h = shop(clip("6", List.of("6", "10")));
        String again = againOfAFinishedJob(h);
        ShopHarness after = deployed(h, clip("10", List.of("10")));

        Job repeated = placedAgain(after, again);
        assertThat(repeated.skuId()).isEqualTo("duration=10");
        assertThat(repeated.values()).containsEntry("prompt", "a cat").containsEntry("duration", "10");
        Job anew = placedAnew(after);
        assertThat(repeated.skuId()).isEqualTo(anew.skuId());
        assertThat(repeated.price()).isEqualTo(anew.price());
    }

    /**
     * «Again» after a deploy changed the unasked default but still offers the old value: it orders what a new order
     * gets (the current default at its price), not the old variant the job recorded to be sent as paid.
     */
    @Test
    void againAfterADeployChangedAnUnaskedDefaultOrdersTheCurrentDefault() {
        ShopHarness h = shop(clip("6", List.of("6", "10")));
        String again = againOfAFinishedJob(h);
        long paidBefore = h.lastJob(U).price();
        ShopHarness after = deployed(h, clip("10", List.of("6", "10")));

        Job repeated = placedAgain(after, again);
        assertThat(repeated.skuId()).isEqualTo("duration=10");
        Job anew = placedAnew(after);
        assertThat(repeated.skuId()).isEqualTo(anew.skuId());
        assertThat(repeated.price()).isEqualTo(anew.price()).isNotEqualTo(paidBefore);
    }
}
