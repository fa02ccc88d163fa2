package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.OneLine;
import dev.kiebot.core.text.Snippet;
import dev.kiebot.core.text.Texts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renders what the user's jobs are doing: the history, one job's status and the jobs running now, with the
 * same progress line as their status messages. Render only, like {@link Screens}.
 */
final class JobScreens {
    /** The start of a job's description in /history: a line on a phone. */
    static final int HISTORY_PROMPT_CHARS_MAX = 40;

    private final Catalog catalog;
    private final Texts texts;
    private final Screens screens;

    JobScreens(Catalog catalog, Texts texts, Screens screens) {
        this.catalog = catalog;
        this.texts = texts;
        this.screens = screens;
    }

    private String t(String lang, Msg msg, Object... args) {
        return screens.t(lang, msg, args);
    }

    /** Jobs the user is still waiting for. */
    static boolean running(Job j) {
        return !j.state().isTerminal();
    }

    /**
     * @param refundedAfterCharge the finished jobs whose price came back after it was charged
     * @param charged what the charge of the charged jobs took (a lesser result's, less than its price); a job not in
     *                it shows its price
     * @param inStars   of the refunded ones (and the failed paid ones, given back by their void), what of each the user
     *                  had back in Stars already (minor units)
     * @param page from 0
     * @param more whether an older page follows
     */
    Screen history(String lang, List<Job> jobs, Set<JobId> refundedAfterCharge, Map<JobId, Long> charged,
                   Map<JobId, Long> inStars, int page,
                   boolean more) {
        if (jobs.isEmpty() && page == 0) {
            return new Screen(t(lang, Msg.HISTORY_EMPTY), screens.homeOnly(lang));
        }
        StringBuilder text = new StringBuilder(t(lang, Msg.HISTORY_TITLE));
        List<Button> resend = new ArrayList<>();
        for (Job j : jobs) {
            text.append("\n").append(t(lang, Msg.HISTORY_LINE, j.id().display(), title(lang, j),
                    historyState(lang, j), historyPrice(lang, j, refundedAfterCharge.contains(j.id()),
                            charged.getOrDefault(j.id(), j.price()), inStars.getOrDefault(j.id(), 0L))));
            // what it was of, as the result's caption says it: ten lines of one model read apart
            String prompt = OneLine.of(JobTitle.words(j)).strip();
            if (!prompt.isEmpty()) {
                text.append("\n   ").append(t(lang, Msg.JOB_QUOTED, Snippet.of(prompt, HISTORY_PROMPT_CHARS_MAX)));
            }
            if (j.state() == JobState.DELIVERED) { // a page is a few jobs: each delivered one has its button
                resend.add(Button.callback(t(lang, Msg.BUTTON_RESEND, j.id().display()),
                        CallbackData.evergreen(CallbackAction.RESEND, j.id().display())));
            }
        }
        List<Button> last = new ArrayList<>();
        if (page > 0) {
            last.add(screens.pageButton(lang, Msg.MENU_PREV, CallbackAction.HISTORY, Integer.toString(page - 1), page));
        }
        last.add(screens.home(lang));
        if (more) {
            last.add(screens.pageButton(lang, Msg.MENU_NEXT, CallbackAction.HISTORY, Integer.toString(page + 1), page + 2));
        }
        // two a row: three «📤 Получить gen_12» were cut on a phone
        return new Screen(text.toString(), Keyboard.grid(resend, 2).plus(last));
    }

    /**
     * «Последняя генерация: gen_3 · Картинка img/m1 · «маяк на закате»»: a returning user's last result, as /history
     * names it, for his welcome.
     */
    String last(String lang, Job j) {
        String prompt = OneLine.of(JobTitle.words(j)).strip();
        return t(lang, Msg.WELCOME_LAST, j.id().display(), title(lang, j), prompt.isEmpty() ? ""
                : " · " + t(lang, Msg.JOB_QUOTED, Snippet.of(prompt, HISTORY_PROMPT_CHARS_MAX)));
    }

    /** «🔁 Ещё раз» and «📤 Получить gen_3» of a delivered job: what a returning user most likely came for. */
    List<Button> againAndResend(String lang, Job j) {
        String id = j.id().display();
        return List.of(Button.callback(t(lang, Msg.BUTTON_AGAIN), CallbackData.evergreen(CallbackAction.AGAIN, id)),
                Button.callback(t(lang, Msg.BUTTON_RESEND, id), CallbackData.evergreen(CallbackAction.RESEND, id)));
    }

    private String title(String lang, Job j) {
        return JobTitle.of(catalog, texts, lang, j);
    }

    /**
     * A failed free job gave its free use back, not money; a job the balance could not pay for was never charged, so
     * no money came back either.
     */
    String stateText(String lang, Job j) {
        if (j.awaitsTask()) {
            return t(lang, Msg.STATE_AWAITING_PROVIDER); // as its status message says: not being sent, not yet refunded
        }
        if (j.state() != JobState.FAILED) {
            return t(lang, ProgressLine.words(j.state()));
        }
        return j.free() ? t(lang, Msg.STATE_FAILED_FREE) : neverCharged(j) ? t(lang, Msg.STATE_NOT_STARTED)
                : t(lang, Msg.STATE_FAILED);
    }

    /**
     * In /history the price column says the money (or a free job's free use) came back, so a failed job's state says
     * only why it failed, short and in the words the user was told then («не получилось: нейросеть отклонила описание
     * или файл»): a bare «не получилось» left him to guess whether to change his description, and a free job's «ошибка,
     * бесплатная генерация не потрачена» gave no reason at all, though he retries it as readily. A reason with no short
     * words says just that.
     */
    private String historyState(String lang, Job j) {
        if (cancelled(j)) {
            return t(lang, Msg.HISTORY_CANCELLED); // the user's own «✖», which «ошибка» blamed on the bot
        }
        if (!refunded(j) && !(j.free() && j.state() == JobState.FAILED)) {
            return stateText(lang, j);
        }
        return j.failure().flatMap(JobScreens::why).map(why -> t(lang, Msg.HISTORY_FAILED_WHY, t(lang, why)))
                .orElseGet(() -> t(lang, Msg.HISTORY_FAILED));
    }

    /** The short words in /history of a failure's reason key, if it has some. */
    static Optional<Msg> why(String reasonKey) {
        return Optional.ofNullable(WHY.get(reasonKey));
    }

    /**
     * A failure's reason key (what the user was told, {@code Job.failure()}) → its words in /history. By the key, not by
     * the provider's kind of error ({@code Job.failureKind()}): the kinds that share a message (four read «нейросеть
     * недоступна») read alike to the user, the key also says the shop's own reasons (a file, a clip), and a job failed
     * before the kind was kept has its key.
     */
    private static final Map<String, Msg> WHY = Map.ofEntries(
            Map.entry(Msg.ERROR_PROVIDER_UNAVAILABLE.key(), Msg.HISTORY_WHY_UNAVAILABLE),
            Map.entry(Msg.ERROR_PROVIDER_FAILED.key(), Msg.HISTORY_WHY_FAILED),
            Map.entry(Msg.ERROR_PROVIDER_SERVER.key(), Msg.HISTORY_WHY_SERVER),
            Map.entry(Msg.ERROR_PROVIDER_INVALID_INPUT.key(), Msg.HISTORY_WHY_INVALID_INPUT),
            Map.entry(Msg.ERROR_PROVIDER_CONTENT_POLICY.key(), Msg.HISTORY_WHY_CONTENT_POLICY),
            Map.entry(Msg.ERROR_MODEL_WITHDRAWN.key(), Msg.HISTORY_WHY_MODEL_WITHDRAWN),
            Map.entry(Msg.ERROR_PROVIDER_BUSY.key(), Msg.HISTORY_WHY_BUSY),
            Map.entry(Msg.ERROR_PROVIDER_TIMEOUT.key(), Msg.HISTORY_WHY_TIMEOUT),
            Map.entry(Msg.ERROR_PROVIDER_UNCERTAIN.key(), Msg.HISTORY_WHY_UNCERTAIN),
            Map.entry(Msg.ERROR_STOPPED_BY_SUPPORT.key(), Msg.HISTORY_WHY_STOPPED_BY_SUPPORT),
            Map.entry(Msg.ERROR_CLIP_TOO_LONG.key(), Msg.HISTORY_WHY_CLIP_TOO_LONG),
            Map.entry(Msg.ERROR_CLIP_UNREADABLE.key(), Msg.HISTORY_WHY_CLIP_UNREADABLE),
            Map.entry(Msg.ERROR_FILE_TOO_LARGE.key(), Msg.HISTORY_WHY_FILE_TOO_LARGE),
            Map.entry(Msg.ERROR_FILE_TOO_LARGE_FOR_MODEL.key(), Msg.HISTORY_WHY_FILE_TOO_LARGE),
            Map.entry(Msg.ERROR_FILE_UNAVAILABLE.key(), Msg.HISTORY_WHY_FILE_UNAVAILABLE),
            Map.entry(Msg.ERROR_FILE_UNFETCHED.key(), Msg.HISTORY_WHY_FILE_UNAVAILABLE),
            Map.entry(Msg.ERROR_FILE_NOT_IMAGE.key(), Msg.HISTORY_WHY_FILE_NOT_IMAGE),
            Map.entry(Msg.ERROR_VARIANT_GONE.key(), Msg.HISTORY_WHY_VARIANT_GONE),
            Map.entry(Msg.ERROR_MODEL_GONE.key(), Msg.HISTORY_WHY_MODEL_GONE));

    /** Cancelled by its user before it was sent ({@code Generations.cancel}). */
    private static boolean cancelled(Job j) {
        return j.state() == JobState.FAILED && j.failure().filter(Msg.JOB_CANCELLED.key()::equals).isPresent();
    }

    /**
     * A refunded job's price was not charged: its line says it came back, not the price as if paid; so does a
     * delivered one whose price came back later (its state still says it was made); a job the balance could not cover
     * says nothing was charged.
     */
    private String historyPrice(String lang, Job j, boolean refundedAfterCharge, long charged, long inStars) {
        if (j.free()) {
            // a failed one's free use came back, as he was told then: its state no longer says so
            return t(lang, j.state() == JobState.FAILED ? Msg.HISTORY_FREE_GIVEN_BACK : Msg.MODEL_PRICE_FREE);
        }
        if (neverCharged(j)) {
            return t(lang, Msg.HISTORY_NOT_CHARGED); // its price beside it read as money taken
        }
        String price = screens.money(lang, charged);
        if ((refundedAfterCharge || refunded(j)) && inStars > 0) {
            // the part he had back with his Stars payment's refund: «возвращено» alone read as all to his balance
            long toBalance = Math.max(0, charged - inStars);
            return toBalance > 0 ? t(lang, Msg.HISTORY_REFUNDED_PARTS, screens.money(lang, toBalance),
                    screens.money(lang, inStars)) : t(lang, Msg.HISTORY_REFUNDED_IN_STARS, screens.money(lang, inStars));
        }
        return refunded(j) || refundedAfterCharge ? t(lang, Msg.HISTORY_REFUNDED, price) : price;
    }

    private static boolean refunded(Job j) {
        return j.state() == JobState.FAILED && !j.free() && !neverCharged(j);
    }

    /** The ledger refused the hold ({@code Generations.hold}): nothing was reserved, nothing came back. */
    private static boolean neverCharged(Job j) {
        return j.failure().filter(Msg.INSUFFICIENT_FUNDS.key()::equals).isPresent();
    }

    /** The job's progress while it runs (what it waits for, when its send was not confirmed), else its state. */
    private String line(String lang, Job j, Instant now, Map<String, Duration> expected) {
        if (j.awaitsTask()) {
            return ProgressLine.awaitingTask(texts, lang, title(lang, j), j, screens.money(lang, j.price()));
        }
        if (running(j) && catalog.model(j.modelId()).isPresent() && expected.containsKey(j.modelId())) {
            return ProgressLine.of(texts, lang, catalog.model(j.modelId()).get(), j, now, expected.get(j.modelId()));
        }
        return t(lang, Msg.JOB_STATUS, j.id().display(), title(lang, j), stateText(lang, j));
    }

    /**
     * One job's status, and the user's other running jobs under it. «Обновить» (it opens /status) only while something
     * here runs: under a finished job it led to «Сейчас ничего не генерируется». An admin looking at another user's job
     * gets no job buttons: «Ещё раз» and «Получить» act on the presser's own jobs only, and «Обновить» opened the
     * admin's own /status.
     *
     * @param own      whether the job is the viewer's own
     * @param others   the user's other running jobs
     * @param expected model id → how long its jobs usually take, for every running job's model
     */
    Screen jobStatus(String lang, Job j, boolean own, List<Job> others, Instant now, Map<String, Duration> expected) {
        if (!own) {
            return new Screen(line(lang, j, now, expected), Keyboard.of(List.of(screens.home(lang))));
        }
        List<List<Button>> rows = new ArrayList<>();
        String id = j.id().display();
        if (j.state() == JobState.DELIVERED) {
            // its own row: beside «🔁 Ещё раз» and «🏠 Меню» it was cut on a phone
            rows.add(List.of(Button.callback(t(lang, Msg.BUTTON_RESEND, id),
                    CallbackData.evergreen(CallbackAction.RESEND, id))));
        }
        rows.add(List.of(Button.callback(t(lang, Msg.BUTTON_AGAIN), CallbackData.evergreen(CallbackAction.AGAIN, id)),
                screens.home(lang)));
        StringBuilder text = new StringBuilder(line(lang, j, now, expected));
        if (!others.isEmpty()) {
            text.append("\n\n").append(t(lang, Msg.STATUS_ALSO_RUNNING));
            others.forEach(o -> text.append("\n").append(line(lang, o, now, expected)));
        }
        Keyboard kb = new Keyboard(rows);
        return new Screen(text.toString(), running(j) || !others.isEmpty() ? kb.plus(List.of(refresh(lang))) : kb);
    }

    /** /status: every job the user is waiting for, with its progress. */
    Screen running(String lang, List<Job> running, Instant now, Map<String, Duration> expected) {
        if (running.isEmpty()) {
            return new Screen(t(lang, Msg.STATUS_NONE), Keyboard.of(List.of(screens.home(lang))));
        }
        StringBuilder text = new StringBuilder(t(lang, Msg.STATUS_TITLE));
        running.forEach(j -> text.append("\n").append(line(lang, j, now, expected)));
        return new Screen(text.toString(), Keyboard.of(List.of(refresh(lang), screens.home(lang))));
    }

    private Button refresh(String lang) {
        return Button.callback(t(lang, Msg.BUTTON_REFRESH), CallbackData.evergreen(CallbackAction.RUNNING_JOBS));
    }
}
