package dev.kiebot.core.shop;

import static dev.kiebot.core.testing.ShopHarness.button;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kie down for every model (5xx, no answer): one alert «Kie не отвечает» for the outage and one all-clear, where each
 * model that reached its five failures told the admins on its own before (drill R2).
 */
class ProviderDownTest {
    private static final long U = 42;
    private static final long V = 43;
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(U, V);
        h.topUp(U, 1_000_000);
        h.topUp(V, 1_000_000);
        h.messenger.drain();
    }

    /** {@code user} orders {@code model} (prompt «fox», 1:1) and the worker's pass sends it. @return the job then */
    private Job ordered(long user, String model) {
        h.press(user, "*|g|" + model);
        List<Reply> confirm = h.press(user, button(h.text(user, "fox"), "1:1"));
        h.press(user, button(confirm, "Generate"));
        h.work(10);
        return h.stored(h.lastJob(user));
    }

    private List<String> toAdmin() {
        h.deliver();
        return h.messenger.drain().stream().filter(r -> r.chatId() == ShopHarness.ADMIN)
                .map(r -> ((Reply.SendText) r).text()).toList();
    }

    private void readsFail(Job... jobs) {
        for (Job job : jobs) {
            h.provider.failStatus(job.taskId().orElseThrow(),
                    new ProviderException(ErrorKind.SERVER, "HTTP 502 Bad Gateway", true));
        }
    }

    @Test
    void kieDownForEveryModelIsOneAlertForTheOutageAndOneAllClear() {
        Job a = ordered(U, "img/m9");
        Job b = ordered(V, "img/m8");
        assertThat(a.taskId()).isPresent();
        assertThat(b.taskId()).isPresent();
        h.messenger.drain();

        // Kie goes down: the running jobs' reads fail, every createTask answers 500
        readsFail(a, b);
        h.provider.failSubmits(new ProviderException(ErrorKind.SERVER, "Internal Server Error (Kie 500)", true));
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(toAdmin()).as("two jobs: a bad moment").isEmpty();

        Job c = ordered(U, "img/m7");
        assertThat(c.state()).isEqualTo(JobState.FAILED);
        assertThat(toAdmin()).singleElement().asString().startsWith("⚠️ Kie is not answering: since ")
                .contains("calls for 3\u00A0models (“Image img/m7”, “Image img/m8”, “Image img/m9”)",
                        "Generations waiting for an answer: 2; failed: 1", "not single models’");

        // the outage goes on: img/m9 fails five times and more, of both users, and nobody is told of it on its own
        List<String> meanwhile = new ArrayList<>();
        for (int i = 0; i < 2 * ModelFailures.IN_A_ROW; i++) {
            assertThat(ordered(i % 2 == 0 ? U : V, i % 3 == 0 ? "img/m6" : "img/m9").state())
                    .isEqualTo(JobState.FAILED);
            meanwhile.addAll(toAdmin()); // before the next order, which drops what was sent
            h.clock.advance(Duration.ofSeconds(5));
            h.work(10);
            meanwhile.addAll(toAdmin());
        }
        assertThat(meanwhile).as("one alert for the outage, not one per model").isEmpty();

        // Kie answers again: one all-clear with the jobs failed meanwhile
        h.provider.failSubmits(null);
        h.provider.succeed(a.taskId().orElseThrow(), "https://files/a.png");
        h.provider.succeed(b.taskId().orElseThrow(), "https://files/b.png");
        h.clock.advance(Duration.ofMinutes(3));
        h.work(10);
        assertThat(toAdmin()).singleElement().asString().startsWith("✅ Kie answers again (the outage lasted 4\u00A0minutes)")
                .contains("Failed during the outage: 11");
        assertThat(h.stored(a).state()).isEqualTo(JobState.DELIVERED);

        ordered(U, "img/m9");
        List<String> after = new ArrayList<>(toAdmin());
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        after.addAll(toAdmin());
        assertThat(after).as("said once").isEmpty();
    }

    /**
     * Kie back, and its first answer is a status read saying the task failed (or is not found): an answer all the same,
     * which ends the outage. Counted as no answer, a bot whose only traffic after an outage was such a read kept the
     * alert standing, the gauge at 1 and every model's own alerts muted.
     */
    @Test
    void aStatusReadAnsweringThatTheTaskFailedEndsTheOutage() {
        Job a = ordered(U, "img/m9");
        h.messenger.drain();
        readsFail(a);
        h.provider.failSubmits(new ProviderException(ErrorKind.SERVER, "Internal Server Error (Kie 500)", true));
        ordered(V, "img/m8");
        ordered(U, "img/m7");
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        assertThat(toAdmin()).singleElement().asString().startsWith("⚠️ Kie is not answering");
        assertThat(h.shop.providerDown()).isTrue();

        h.provider.failSubmits(null);
        h.provider.failStatus(a.taskId().orElseThrow(),
                new ProviderException(ErrorKind.GENERATION_FAILED, "generation failed", false));
        h.clock.advance(Duration.ofMinutes(1));
        h.work(10);
        assertThat(h.stored(a).state()).isEqualTo(JobState.FAILED);
        assertThat(toAdmin()).anySatisfy(t -> assertThat(t).startsWith("✅ Kie answers again"));
        assertThat(h.shop.providerDown()).isFalse();
    }

    /**
     * Kie answering now and then (flapping): one alert and one all-clear, not a pair for every flap; an outage that
     * lasts after them is told again.
     */
    @Test
    void aFlappingKieIsOnePairOfAlertsNotOnePerFlap() {
        ProviderException down = new ProviderException(ErrorKind.SERVER, "Internal Server Error (Kie 500)", true);
        List<String> told = new ArrayList<>();
        for (int flap = 0; flap < 4; flap++) {
            h.provider.failSubmits(down);
            ordered(U, "img/m9");
            told.addAll(toAdmin());
            ordered(V, "img/m8");
            told.addAll(toAdmin());
            ordered(U, "img/m7");
            told.addAll(toAdmin());
            h.clock.advance(Duration.ofMinutes(1));
            h.provider.failSubmits(null);
            ordered(V, "img/m9");
            told.addAll(toAdmin());
            h.clock.advance(Duration.ofMinutes(1));
        }
        assertThat(told).as("one alert and one all-clear for the flapping").hasSize(2);
        assertThat(told.get(0)).startsWith("⚠️ Kie is not answering");
        assertThat(told.get(1)).startsWith("✅ Kie answers again");

        // down for good this time: told once the spell has lasted
        h.provider.failSubmits(down);
        ordered(U, "img/m9");
        ordered(V, "img/m8");
        ordered(U, "img/m7");
        assertThat(toAdmin()).isEmpty();
        h.clock.advance(ProviderDown.AFTER_FLAPPING_AT_LEAST);
        ordered(V, "img/m6");
        assertThat(toAdmin()).singleElement().asString().startsWith("⚠️ Kie is not answering");
    }

    /**
     * Failures hours apart with no call between (a quiet bot) are no outage: one user's input Kie refuses with a 500
     * in the morning and another user's failure in the evening were «Kie не отвечает» since the morning (review).
     */
    @Test
    void failuresHoursApartAreNotKieDown() {
        h.provider.failSubmits(new ProviderException(ErrorKind.SERVER, "Internal Server Error (Kie 500)", true));
        List<String> told = new ArrayList<>();
        ordered(U, "img/m9");
        told.addAll(toAdmin());
        ordered(U, "img/m8");
        told.addAll(toAdmin());
        h.clock.advance(Duration.ofHours(5));
        ordered(V, "img/m7");
        told.addAll(toAdmin());
        assertThat(told).isEmpty();

        // a real outage then: told as before
        ordered(U, "img/m6");
        told.addAll(toAdmin());
        ordered(V, "img/m5");
        told.addAll(toAdmin());
        assertThat(told).singleElement().asString().startsWith("⚠️ Kie is not answering");
    }

    /** One model's calls failing, however many users' jobs, is that model's ({@link ModelFailures}), not Kie down. */
    @Test
    void oneModelsFailingReadsAreNotKieDown() {
        Job a = ordered(U, "img/m9");
        Job b = ordered(V, "img/m9");
        Job c = ordered(U, "img/m9");
        Job d = ordered(V, "img/m9");
        h.messenger.drain();
        readsFail(a, b, c, d);
        List<String> told = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            h.clock.advance(Duration.ofSeconds(5));
            h.work(10);
            told.addAll(toAdmin());
        }
        assertThat(told).isEmpty();
    }

    /**
     * Two instances on one database (their stores shared), each hearing Kie fail for the jobs it sends: «Kie не
     * отвечает» and its all-clear are told once, by the first instance to tell each (the audit's first record of the
     * occasion), not once per instance; the other finds it told.
     */
    @Test
    void twoInstancesOnOneDatabaseTellTheOutageOnceAndItsEndOnce() {
        Shop other = h.anotherInstance(s -> s);
        h.provider.failSubmits(new ProviderException(ErrorKind.SERVER, "Internal Server Error (Kie 500)", true));
        List<String> told = new ArrayList<>();
        String[][] orders = {{"img/m9", "img/m7"}, {"img/m8", "img/m6"}, {"img/m9", "img/m7"}};
        for (int i = 0; i < orders.length; i++) {
            long user = i % 2 == 0 ? U : V;
            assertThat(sentBy(h.shop, user, orders[i][0]).state()).isEqualTo(JobState.FAILED);
            told.addAll(toAdmin());
            assertThat(sentBy(other, user, orders[i][1]).state()).isEqualTo(JobState.FAILED);
            told.addAll(toAdmin());
        }
        assertThat(h.shop.providerDown()).isTrue();
        assertThat(other.providerDown()).as("the other heard the outage too").isTrue();
        assertThat(told).singleElement().asString().startsWith("⚠️ Kie is not answering: since ");

        h.provider.failSubmits(null);
        h.clock.advance(Duration.ofMinutes(3));
        List<String> back = new ArrayList<>();
        assertThat(sentBy(other, U, "img/m9").state()).isNotEqualTo(JobState.FAILED);
        back.addAll(toAdmin());
        assertThat(sentBy(h.shop, V, "img/m8").state()).isNotEqualTo(JobState.FAILED);
        back.addAll(toAdmin());
        assertThat(back).singleElement().asString().startsWith("✅ Kie answers again");
        assertThat(h.shop.providerDown()).isFalse();
        assertThat(other.providerDown()).isFalse();
    }

    /** {@code user} orders {@code model} and {@code instance}'s worker sends it. @return the job then */
    private Job sentBy(Shop instance, long user, String model) {
        h.press(user, "*|g|" + model);
        List<Reply> confirm = h.press(user, button(h.text(user, "fox"), "1:1"));
        h.press(user, button(confirm, "Generate"));
        instance.worker().runOnce(10);
        return h.stored(h.lastJob(user));
    }
}
