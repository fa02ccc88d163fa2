package dev.kiebot.core.conversation;

import static dev.kiebot.core.testing.ShopHarness.lastText;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A model taken out of the catalog (a new catalog deployed) while the user has jobs of it: the history, /status and
 * the job's own messages name it in words, never by its internal id; the admin's /find keeps the id for support.
 */
class WithdrawnModelJobsTest {
    private static final long EN = 42;
    private static final long RU = 43;
    private static final String GONE = "retired/old-model-v1";
    private ShopHarness h;

    @BeforeEach
    void setUp() {
        h = new ShopHarness().startedByAdminAnd(EN);
        h.speaking("ru").command(RU, "start");
        assertThat(TestCatalog.catalog().model(GONE)).isEmpty();
    }

    /** A job of the withdrawn model, free so that failing it moves no money. */
    private Job job(long user, String lang) {
        Instant now = h.clock.instant();
        return h.stores.jobs().create(new JobDraft(user, user, lang, GONE, "default", Map.of(), Map.of(), 0, true, now,
                now.plusSeconds(3600)));
    }

    private Job delivered(long user, String lang) {
        Job j = job(user, lang);
        j = h.stores.jobs().update(j.held()).orElseThrow();
        j = h.stores.jobs().update(j.submitting()).orElseThrow();
        j = h.stores.jobs().update(j.submitted("t-" + j.id().value(), j.createdAt())).orElseThrow();
        j = h.stores.jobs().update(j.succeeded(new JobResult(List.of("https://r/x.png"), MediaKind.PHOTO),
                h.clock.instant())).orElseThrow();
        return h.stores.jobs().update(j.delivered()).orElseThrow();
    }

    /** Waiting to be sent: the worker finds its model gone and fails it. */
    private Job held(long user, String lang) {
        return h.stores.jobs().update(job(user, lang).held()).orElseThrow();
    }

    @Test
    void historyAndStatusNameAWithdrawnModelInWordsNotByItsId() {
        Job done = delivered(EN, "en");
        Job waiting = held(EN, "en");
        h.speaking("en");
        String history = lastText(h.command(EN, "history"));
        assertThat(history).contains(done.id().display() + " · Model no longer available · done",
                waiting.id().display() + " · Model no longer available · queued").doesNotContain(GONE);
        String status = lastText(h.command(EN, "status"));
        assertThat(status).contains(waiting.id().display() + " · Model no longer available: queued")
                .doesNotContain(GONE);
        assertThat(lastText(h.text(EN, done.id().display()))).contains("Model no longer available")
                .doesNotContain(GONE);

        Job ru = delivered(RU, "ru");
        h.speaking("ru");
        assertThat(lastText(h.command(RU, "history"))).contains(ru.id().display() + " · Модель больше недоступна · готово")
                .doesNotContain(GONE);
    }

    @Test
    void theFailureOfAQueuedJobWhoseModelWasWithdrawnNamesItInWords() {
        Job waiting = held(RU, "ru");
        h.work(10);
        assertThat(h.stores.jobs().find(waiting.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
        List<Reply> told = h.messenger.drain();
        assertThat(lastText(told.stream().filter(r -> r.chatId() == RU).toList()))
                .startsWith("❌ " + waiting.id().display() + " · Модель больше недоступна\n").doesNotContain(GONE);
    }

    /**
     * Already at Kie when the model was withdrawn: which of Kie's APIs to ask went with it. The job fails at its next
     * check with a reconcile note naming the task, instead of a step that threw at every pass until the deadline.
     */
    @Test
    void aJobAtKieWhoseModelWasWithdrawnFailsAtItsNextCheckWithATaskToLookUp() {
        Job j = h.stores.jobs().update(job(EN, "en").held()).orElseThrow();
        j = h.stores.jobs().update(j.submitting()).orElseThrow();
        j = h.stores.jobs().update(j.submitted("t-gone", j.createdAt())).orElseThrow();

        h.work(10);

        assertThat(h.stores.jobs().find(j.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
        assertThat(h.stores.audit().byCorrelation(j.id().display())).anySatisfy(e -> {
            assertThat(e.action()).isEqualTo("gen.reconcile");
            assertThat(e.detail()).contains("t-gone", GONE);
        });
    }

    @Test
    void theAdminsFindKeepsTheModelIdForSupport() {
        Job done = delivered(EN, "en");
        assertThat(lastText(h.admin("find", done.id().display())))
                .contains(GONE);
    }

    /** «Again» on a job of a model no longer in the catalog: said in words, the menu, and no order or charge. */
    @Test
    void againOnAJobOfAWithdrawnModelSaysItIsGoneAndOrdersNothing() {
        Job old = job(RU, "ru");
        h.topUp(RU, 10_000);
        List<Reply> again = h.press(RU, "*|a|" + old.id().display());
        assertThat(lastText(again)).startsWith("Эта модель больше недоступна. Вот главное меню.");
        assertThat(h.session(RU).state()).isInstanceOf(ChatState.Menu.class);
        assertThat(h.stores.jobs().recent(RU, 5)).hasSize(1);
        assertThat(h.balance(RU)).isEqualTo(10_000);
    }
}
