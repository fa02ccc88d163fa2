package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One line that says how a running job is doing, the same in its status message and in /status:
 * {@code 🎬 gen_42 · Kling 2.6 — in progress, 1 min 40 s so far, usually about 3 min}; past the expected time it says
 * so instead of counting past it. Both times are written as the model's card writes the usual one ({@link #about}):
 * «прошло 0:10, обычно около 0:30» under a card that said «Обычно готово за 30 с» was one time in two forms. The job's number comes first and its model second, as in the status message's other states
 * (queued, done, failed): a line that swapped them while the job ran read as another job's. Under a second
 * ({@link #JUST_STARTED}) it says «запущена только что» / "just now" in place of the time so far.
 */
public final class ProgressLine {
    /** Under this since the job's creation, the line says «запущена только что» / "just now", not «прошло 0 с». */
    static final Duration JUST_STARTED = Duration.ofSeconds(1);

    private ProgressLine() {
    }

    /**
     * The line of a running job.
     *
     * @param texts    the shop's texts
     * @param lang     the reader's language: the job's own (the language it was ordered in) for its status message,
     *                 the viewer's for /status, so a user who switched language, or an admin, reads one language
     * @param model    the job's model
     * @param job      the job
     * @param now      the shop's clock's instant: the time elapsed is counted from the job's creation to it
     * @param expected how long jobs of this model usually take ({@code ExpectedTime})
     * @return one line of text
     */
    public static String of(Texts texts, String lang, Model model, Job job, Instant now, Duration expected) {
        Duration elapsed = Duration.between(job.createdAt(), now);
        elapsed = elapsed.isNegative() ? Duration.ZERO : elapsed;
        String state = texts.get(lang, words(job.state()));
        // «прошло 0 с» read as a timer stuck at zero on the message sent as the job starts
        Msg line = elapsed.compareTo(JUST_STARTED) < 0 ? Msg.JOB_PROGRESS_JUST_STARTED
                : elapsed.compareTo(expected) > 0 ? Msg.JOB_PROGRESS_LATE : Msg.JOB_PROGRESS;
        return texts.get(lang, line, sign(model.category(), job.state()), job.id().display(), model.title(lang), state,
                about(texts, lang, elapsed), about(texts, lang, expected));
    }

    /**
     * A job that {@link Job#awaitsTask()}: the provider did not confirm taking it, its result comes if it did, and the
     * money (or the free use) comes back at the deadline if not. Its status message and /status say the same. The
     * deadline is said as minutes after the order, not minutes from now: the status message is written once as the
     * wait begins and not edited while it lasts, so «in 6 minutes» read 20 minutes later was still on a video's screen;
     * counted from the order, which the message's own time shows, it stays true for as long as it is read.
     *
     * @param texts the shop's texts
     * @param lang  the reader's language
     * @param title the job's title ({@code JobTitle})
     * @param job   the job
     * @param price its price in the reader's words
     * @return the text
     */
    public static String awaitingTask(Texts texts, String lang, String title, Job job, String price) {
        long minutes = Math.max(1, (Duration.between(job.createdAt(), job.deadline()).toSeconds() + 59) / 60);
        return job.free() ? texts.get(lang, Msg.JOB_AWAITING_PROVIDER_FREE, job.id().display(), title, minutes)
                : texts.get(lang, Msg.JOB_AWAITING_PROVIDER, job.id().display(), title, minutes, price);
    }

    /** How a job's state reads to its user; exhaustive, so a new state cannot be shown without words. */
    static Msg words(JobState state) {
        return switch (state) {
            case CREATED -> Msg.STATE_CREATED;
            case HELD -> Msg.STATE_HELD;
            case SUBMITTING -> Msg.STATE_SUBMITTING;
            case SUBMITTED -> Msg.STATE_SUBMITTED;
            case RUNNING -> Msg.STATE_RUNNING;
            case SUCCEEDED -> Msg.STATE_SUCCEEDED;
            case DELIVERED -> Msg.STATE_DELIVERED;
            case FAILED -> Msg.STATE_FAILED;
        };
    }

    /**
     * The line's sign: ⏳ while the job waits its turn (as «⏳ gen_1 · … В очереди.» said it a moment before: an image's
     * 🖼 there, the images section's sign, read as another thing), its section's sign once it runs.
     */
    static String sign(Category category, JobState state) {
        return switch (state) {
            case CREATED, HELD, SUBMITTING, SUBMITTED -> "⏳";
            case RUNNING, SUCCEEDED, DELIVERED, FAILED -> icon(category);
        };
    }

    static String icon(Category category) {
        return switch (category) {
            case IMAGE -> "🖼";
            case VIDEO -> "🎬";
            case AUDIO -> "🎙";
            case MUSIC -> "🎵";
        };
    }

    /**
     * A duration in words, as a model's card and the progress line write it: «10 с», «1 мин 20 с», «1 ч 5 мин»; "10 s",
     * "1 min 20 s". A part that is zero is left out, but for «0 с». A clock's «3:00» on a card, away from a running
     * timer, read as a time of day, and beside the card's words on the progress line as another kind of time.
     *
     * @param texts the shop's texts
     * @param lang  the reader's language
     * @param d     a duration; a negative one reads as none
     * @return hours, minutes and seconds, each only when there are any
     */
    static String about(Texts texts, String lang, Duration d) {
        long seconds = Math.max(0, d.toSeconds());
        List<String> parts = new ArrayList<>();
        if (seconds >= 3600) {
            parts.add(texts.get(lang, Msg.TIME_HOURS, seconds / 3600));
        }
        if (seconds % 3600 >= 60) {
            parts.add(texts.get(lang, Msg.TIME_MINUTES, seconds % 3600 / 60));
        }
        if (seconds % 60 > 0 || parts.isEmpty()) {
            parts.add(texts.get(lang, Msg.TIME_SECONDS, seconds % 60));
        }
        return String.join(" ", parts);
    }
}
