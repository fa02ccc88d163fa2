package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.lastTextTo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A model Kie removed refuses every createTask in words («model not supported»): each user was told to change his
 * description, which no description fixes, and the admins heard nothing (drill R2). Now the user reads that the model
 * is unavailable, his money back as before, and the admins are told once per model with Kie's words and the pause.
 */
class WithdrawnModelTest {
    private static final long U = 42;
    private static final long V = 43;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(U, V);
        h.topUp(U, 100_000);
        h.topUp(V, 100_000);
        h.messenger.drain();
    }

    /** {@code user} orders the fox image, the worker sends it and Kie refuses it. @return the replies then */
    private List<Reply> refusedOrder(long user) {
        h.orderAFoxImage(user);
        h.work(10);
        h.deliver();
        assertThat(h.lastJob(user).state()).isEqualTo(JobState.FAILED);
        return h.messenger.drain();
    }

    @Test
    void theUserIsToldTheModelIsUnavailableAndTheAdminsOnceWithKiesWordsAndThePause() {
        long before = h.balance(U);
        h.provider.failSubmits(new ProviderException(ErrorKind.INVALID_INPUT,
                "The model google/imagen-9 is not supported (Kie 422)", false));

        List<Reply> first = refusedOrder(U);
        assertThat(lastTextTo(first, U)).contains("this model is unavailable at the AI service")
                .doesNotContain("Change the description");
        assertThat(h.balance(U)).as("refunded as before").isEqualTo(before);
        assertThat(first).filteredOn(r -> r.chatId() == ShopHarness.ADMIN).singleElement()
                .satisfies(r -> assertThat(((Reply.SendText) r).text()).contains("Image img/m9",
                        "Kie said: “The model google/imagen-9 is not supported (Kie 422)”", "/pause img/m9",
                        "/resume img/m9", h.lastJob(U).id().display()).doesNotContain("INVALID_INPUT"));

        List<Reply> second = refusedOrder(V);
        assertThat(lastTextTo(second, V)).contains("this model is unavailable at the AI service");
        assertThat(second).as("told once per model").noneMatch(r -> r.chatId() == ShopHarness.ADMIN);
    }

    /** A refusal of the user's own prompt still asks him to change it, and tells nobody. */
    @Test
    void aRefusedPromptIsStillTheUsersToChange() {
        // as Kie's adapter decides a refusal by Kie's content rules
        h.provider.failSubmits(new ProviderException(ErrorKind.CONTENT_POLICY,
                "Invalid prompt: prompt contains prohibited content (Kie 422)", false));
        List<Reply> replies = refusedOrder(U);
        assertThat(lastTextTo(replies, U)).contains("Change the description");
        assertThat(replies).noneMatch(r -> r.chatId() == ShopHarness.ADMIN);

        h.provider.failSubmits(new ProviderException(ErrorKind.INVALID_INPUT,
                "model kling-9: duration 20 not supported (Kie 422)", false));
        assertThat(refusedOrder(U)).as("a value of the model refused, not the model")
                .noneMatch(r -> r.chatId() == ShopHarness.ADMIN);
    }

    /**
     * Kie's refusal quoting the user's own prompt, whose words say a model is gone: his to change, not the model
     * withdrawn, and no alert quoting him to the admins (review).
     */
    @Test
    void aPromptSayingAModelIsGoneEchoedInKiesRefusalIsStillTheUsersToChange() {
        String prompt = "a fox with a sign: this model is not supported";
        h.provider.failSubmits(new ProviderException(ErrorKind.INVALID_INPUT,
                "Invalid prompt \"" + prompt + "\" (Kie 422)", false));
        h.press(U, "*|g|img/m9");
        h.press(U, ShopHarness.button(h.press(U, ShopHarness.button(h.text(U, prompt), "1:1")), "Generate"));
        h.work(10);
        h.deliver();
        assertThat(h.lastJob(U).state()).isEqualTo(JobState.FAILED);
        List<Reply> replies = h.messenger.drain();
        assertThat(lastTextTo(replies, U)).contains("Check the file and the options")
                .doesNotContain("this model is unavailable at the AI service");
        assertThat(replies).noneMatch(r -> r.chatId() == ShopHarness.ADMIN);
    }

    /** A model the admins paused meanwhile is not told about again. */
    @Test
    void aPausedModelIsNotToldAbout() {
        h.provider.failSubmits(new ProviderException(ErrorKind.NOT_FOUND, "model does not exist (Kie 404)", true));
        h.orderAFoxImage(U);
        h.admin("pause", "img/m9");
        h.messenger.drain();
        h.work(10);
        h.deliver();
        List<Reply> replies = h.messenger.drain();
        assertThat(lastTextTo(replies, U)).contains("this model is unavailable at the AI service");
        assertThat(replies).noneMatch(r -> r.chatId() == ShopHarness.ADMIN);
    }
}
