package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.conversation.ProgressLine;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobDraft;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.TaskStatus;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.ShopHarness;
import dev.kiebot.core.testing.TestCatalog;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The status message of a running job shows elapsed and expected time, at most every 15 s and at each state change. */
class ProgressTest {
    private static final long U = 42;
    private ShopHarness h;
    private User user;

    /** One status message text and when it was shown. */
    private record Shown(Duration at, String text) {
    }

    @BeforeEach
    void setUp() {
        h = new ShopHarness();
        h.command(U, "start");
        user = h.stores.users().find(U).orElseThrow();
        h.topUp(U, 100_000);
        h.messenger.drain();
    }

    private Job startVideo() {
        Generations.Start s = h.shop.generations().start(user, U, new Effect.StartJob("kling/video",
                "duration=5,sound=false", Map.of("prompt", "a cat surfing"), Map.of(), 4290, false));
        return ((Generations.Start.Started) s).job();
    }

    /** Runs the worker every {@code step} for {@code total}; @return the status texts shown, with their time. */
    private List<Shown> run(Duration step, Duration total) {
        Instant t0 = h.clock.instant();
        List<Shown> shown = new ArrayList<>();
        for (Duration t = Duration.ZERO; t.compareTo(total) <= 0; t = t.plus(step)) {
            h.work(10);
            for (Reply r : h.messenger.drain()) {
                String text = r instanceof Reply.EditText e ? e.text() : r instanceof Reply.SendText x ? x.text() : null;
                if (text != null) {
                    shown.add(new Shown(Duration.between(t0, h.clock.instant()), text));
                }
            }
            h.clock.advance(step);
        }
        return shown;
    }

    @Test
    void elapsedAndExpectedTimeAtMostEveryFifteenSecondsAndAtEachStateChange() {
        startVideo();
        List<Shown> shown = run(Duration.ofSeconds(5), Duration.ofMinutes(3));

        // t=0 submitted, t=5 running (a state change, shown at once), then every 15 s while it runs
        assertThat(shown.get(0)).isEqualTo(new Shown(Duration.ZERO,
                "⏳ gen_1 · Kling — queued at the AI service, just now, usually about 3\u00a0min\n"
                        + "You can keep using the bot: the result comes here, and /status shows how it is going."));
        assertThat(shown.get(1).at()).isEqualTo(Duration.ofSeconds(5));
        assertThat(shown.get(1).text()).startsWith("🎬 gen_1 · Kling — in progress, 5\u00a0s so far, usually about 3\u00a0min\n");
        assertThat(shown.get(2).at()).isEqualTo(Duration.ofSeconds(20));
        assertThat(shown.get(2).text()).startsWith("🎬 gen_1 · Kling — in progress, 20\u00a0s so far, usually about 3\u00a0min");
        assertThat(shown).extracting(Shown::text).anyMatch(t -> t.startsWith("🎬 gen_1 · Kling — in progress, 1\u00a0min 50\u00a0s so far, usually about 3\u00a0min"));
        assertThat(shown.get(shown.size() - 1).text()).startsWith("🎬 gen_1 · Kling — in progress, 2\u00a0min 50\u00a0s so far, usually about 3\u00a0min");
        for (int i = 2; i < shown.size(); i++) {
            assertThat(shown.get(i).at().minus(shown.get(i - 1).at())).as("edit %d", i)
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(15));
        }
        // 3 minutes: submitted at 0:00, then running at 0:05 (a state change) and every 15 s up to 2:50
        assertThat(shown).hasSize(1 + 12);
        // past the expected time it says so instead of counting on past it
        h.clock.advance(Duration.ofSeconds(30));
        h.work(10);
        assertThat(h.messenger.texts()).singleElement().asString()
                .startsWith("🎬 gen_1 · Kling — in progress, 3\u00a0min 35\u00a0s so far, usually about 3\u00a0min — almost there");
    }

    /**
     * The status message names the job, then its model, in every state, in both languages: the English progress line
     * said «Kling · gen_1» between «gen_1 · Kling» queued and «gen_1 · Kling» done, as the Russian one once did.
     */
    @Test
    void theStatusMessageNamesTheJobThenItsModelWhileItRunsAsBeforeAndAfter() {
        for (String language : List.of("en", "ru")) {
            h.stores.users().setLanguage(U, language);
            user = h.stores.users().find(U).orElseThrow();
            Job job = startVideo();
            String id = job.id().display();
            List<Shown> shown = new ArrayList<>(run(Duration.ofSeconds(5), Duration.ofSeconds(20)));
            h.provider.succeed(h.stores.jobs().find(job.id()).orElseThrow().taskId().orElseThrow(), "https://r/cat.mp4");
            shown.addAll(run(Duration.ofSeconds(5), Duration.ofSeconds(5)));
            String title = "ru".equals(language) ? "Клинг" : "Kling";
            assertThat(shown).as(language).extracting(Shown::text)
                    .allSatisfy(t -> assertThat(t).contains(id + " · " + title).doesNotContain(title + " · " + id))
                    .anySatisfy(t -> assertThat(t).contains(" — "))
                    .anySatisfy(t -> assertThat(t).startsWith("✅ "));
        }
    }

    /**
     * A job shown under a second after it began says «только что» / "just now", not «прошло 0 с» ("0 s so far"), a timer
     * read as stuck at zero; from a second on it counts, Russian first.
     */
    @Test
    void aJobUnderASecondOldSaysJustNowNotZeroSecondsSoFar() {
        for (String language : List.of("ru", "en")) {
            h.stores.users().setLanguage(U, language);
            user = h.stores.users().find(U).orElseThrow();
            Job job = startVideo();
            String id = job.id().display();
            Model kling = TestCatalog.catalog().model("kling/video").orElseThrow();
            String now = ProgressLine.of(new Texts(), language, kling, job, job.createdAt().plusMillis(999),
                    Duration.ofMinutes(3));
            String second = ProgressLine.of(new Texts(), language, kling, job, job.createdAt().plusSeconds(1),
                    Duration.ofMinutes(3));
            if ("ru".equals(language)) {
                assertThat(now).contains(id, "запущена только что (обычно готово за 3\u00a0мин)").doesNotContain("прошло");
                assertThat(second).contains(id, "прошло 1\u00a0с (обычно готово за 3\u00a0мин)");
            } else {
                assertThat(now).contains(id, "just now, usually about 3\u00a0min").doesNotContain("so far");
                assertThat(second).contains(id, "1\u00a0s so far, usually about 3\u00a0min");
            }
        }
    }

    @Test
    void theExpectedTimeIsTheMedianOfTheModelsLastSuccessfulJobsOnceThereAreFive() {
        Instant t0 = h.clock.instant().minus(Duration.ofHours(1));
        long[] seconds = {100, 500, 110, 130, 90};
        for (int i = 0; i < 4; i++) {
            succeeded("kling/video", t0, seconds[i]);
        }
        Job first = startVideo();
        h.work(10);
        assertThat(h.messenger.texts()).singleElement().asString().contains("just now, usually about 3\u00a0min");
        succeeded("kling/video", t0, seconds[4]);
        h.clock.advance(Duration.ofSeconds(5));
        h.work(10);
        // 90, 100, 110, 130, 500 s: the median is 110 s, the stuck 500 s job does not pull it up
        assertThat(h.messenger.texts()).last().asString().startsWith("🎬 " + first.id().display()
                + " · Kling — in progress, 5\u00a0s so far, usually about 1\u00a0min 50\u00a0s");
    }

    @Test
    void aFinishedJobSaysDoneAndNothingMore() {
        startVideo();
        run(Duration.ofSeconds(5), Duration.ofSeconds(20));
        h.provider.succeed("task-1", "https://r/cat.mp4");
        List<Shown> after = run(Duration.ofSeconds(5), Duration.ofMinutes(1));
        assertThat(after).extracting(Shown::text).filteredOn(t -> t.contains("of ~")).isEmpty();
        // the hold was posted when the result came: the status says what the generation cost
        assertThat(after).extracting(Shown::text).anyMatch(t -> t.endsWith("Done. Charged to your balance: 42.90\u00A0₽."));
    }

    /**
     * What the worker last showed of a job is forgotten where the job ends, whichever way: a result read, a failure
     * read, Kie's callback, an admin's stop, the deadline. Kept before until 10,000 newer jobs pushed it out, one entry
     * of about 160 B per finished job (the 20-minute soak of BENCHMARKS section 65: 1.6 MiB after 10,000 jobs).
     */
    @Test
    void whatWasShownOfAJobIsForgottenWhereverTheJobEnds() {
        ShopHarness a = new ShopHarness().startedByAdminAnd(U);
        a.topUp(U, 100_000);
        Progress progress = a.shop.generations().progress();
        List<String> endings = List.of("result read", "failure read", "callback", "admin's stop", "deadline");
        for (String ending : endings) {
            Job job = a.runningFoxImage(U);
            String task = job.taskId().orElseThrow();
            a.clock.advance(Duration.ofSeconds(5));
            a.work(10);
            assertThat(progress.tracked()).as(ending + ": shown while it runs").isEqualTo(1);
            switch (ending) {
                case "result read" -> {
                    a.provider.succeed(task, "https://r/fox.png");
                    a.clock.advance(Duration.ofSeconds(30));
                    a.work(10);
                }
                case "failure read" -> {
                    a.provider.set(task, new TaskStatus.Failed(ErrorKind.GENERATION_FAILED, "no fox today"));
                    a.clock.advance(Duration.ofSeconds(30));
                    a.work(10);
                }
                case "callback" -> {
                    a.provider.succeed(task, "https://r/fox.png");
                    a.shop.worker().checkTask(task, Optional.of(job.id().display()));
                    a.deliver();
                }
                case "admin's stop" -> a.adminConfirmed("refund", job.id().display());
                default -> {
                    a.clock.advance(Duration.ofHours(1));
                    a.work(10);
                }
            }
            assertThat(a.stored(job).state().awaitsResult()).as(ending + ": ended").isFalse();
            assertThat(progress.tracked()).as(ending + ": forgotten").isZero();
        }
    }

    private void succeeded(String model, Instant created, long seconds) {
        Job j = h.stores.jobs().create(new JobDraft(7, 7, "en", model, "duration=5,sound=false", Map.of(), Map.of(), 0,
                true, created, created.plusSeconds(3600)));
        j = h.stores.jobs().update(j.held()).orElseThrow();
        j = h.stores.jobs().update(j.submitting()).orElseThrow();
        j = h.stores.jobs().update(j.submitted("old-" + j.id().value(), j.createdAt())).orElseThrow();
        j = h.stores.jobs().update(j.succeeded(new JobResult(List.of("https://r/x.mp4"), MediaKind.VIDEO),
                created.plusSeconds(seconds))).orElseThrow();
        h.stores.jobs().update(j.delivered());
    }
}
