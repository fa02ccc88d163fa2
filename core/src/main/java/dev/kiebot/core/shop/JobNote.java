package dev.kiebot.core.shop;

import dev.kiebot.core.jobs.JobState;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.OneLine;
import dev.kiebot.core.text.Snippet;
import dev.kiebot.core.text.Texts;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What the bot recorded about a generation's failure or a task to reconcile with Kie, in the admin's words. The job
 * worker writes these notes in English for the log and the audit trail («hold expired», «Kie task t-1 reported done
 * without a result 4 times; the job was refunded»), and /find showed them so to a Russian admin. The worker writes
 * them through {@link #with}, and the same forms are read back here, so rows recorded before read the same; any other
 * text is Kie's own message (or what the connection to Kie said), shown as that: it is the only account of what went
 * wrong there.
 */
enum JobNote {
    // why a job failed, after its reason's key
    HOLD_EXPIRED("hold expired"),
    DEADLINE_IN_STATE("deadline passed in %s", 1),
    DEADLINE_KIE("deadline passed; %s", 0, 1),
    SUBMIT_INTERRUPTED("submit interrupted"),
    MODEL_GONE("model no longer in catalog"),
    VARIANT_GONE("variant %s no longer offered by the model"),
    CLIP_MEASURED("a clip measured %d s for a field of %d s"),
    CLIP_UNREADABLE("a clip measured unreadable for a field of %d s"),
    FILE_REFUSED("the platform refused an input file: %s"),
    NOT_A_PICTURE("an input file is no JPEG, PNG or WEBP picture (sent as %s)"),
    FILE_ABOVE_MODEL_LIMIT("an input file of %d bytes for a field of %d bytes at most"),
    KIE_LOST("Kie lost the task: %s", 0, 1),
    DONE_WITHOUT_RESULT_READS("%s (%d reads)", 0, 1),
    STOPPED_BY_ADMIN("refunded by admin"),
    RESULT_AFTER_REFUND("result arrived after refund"),
    // why a task is to be reconciled with Kie
    SUBMITTING_AT_RESTART("found in SUBMITTING after a restart"),
    CREATE_OUTCOME_UNKNOWN("createTask outcome unknown: %s", 0, 1),
    CREATED_TOO_LATE("task %s created while job was %s", 2),
    TASK_OF_MODEL_GONE("task %s of model %s, no longer in the catalog, cannot be read"),
    TASK_LOST("Kie lost task %s: still not found %d min after it was submitted; the job was refunded"),
    TASK_DONE_WITHOUT_RESULT("Kie task %s reported done without a result %d times; the job was refunded"),
    TASK_DONE_WITHOUT_RESULT_AT_DEADLINE(
            "Kie task %s reported done without a result at the deadline; the job was refunded"),
    STOPPED_AT_KIE("Kie task %s stopped by an admin's refund; Kie may still make it"),
    STOPPED_AWAITING_KIE("stopped by an admin's refund while Kie had not confirmed its createTask; Kie may have made "
            + "the task"),
    TASK_OF_ANOTHER_JOB("Kie answered createTask with task %s, which job %s holds already; the job was refunded"),
    TASK_RUNNING_AT_DEADLINE("Kie task %s was not done at the deadline; the job was refunded, and Kie may still make it "
            + "and charge for it"),
    TASK_DONE_AFTER_REFUND("Kie task %s was done after the job was refunded; Kie charged for it, the result was not "
            + "delivered");

    @SuppressWarnings("ImmutableEnumChecker") // RecordedForm has final fields only (a String, a Pattern)
    private final RecordedForm form;
    /** The value that names a {@link JobState}, said in words; 0 for none, else its place from 1. */
    private final int stateValue;
    /** The value that is Kie's own text, quoted and shortened ({@link #kieText}); 0 for none, else its place from 1. */
    private final int kieValue;

    /**
     * The most characters of Kie's own text an admin's line shows: Kie's messages are a line or two («Invalid prompt:
     * prompt contains prohibited content»), but one can quote a whole request or an HTML page, and /find's history
     * line read as Kie's answer, not the bot's account of the failure.
     */
    static final int KIE_TEXT_MAX = 200;

    JobNote(String form) {
        this(form, 0);
    }

    JobNote(String form, int stateValue) {
        this(form, stateValue, 0);
    }

    JobNote(String form, int stateValue, int kieValue) {
        this.form = new RecordedForm(form);
        this.stateValue = stateValue;
        this.kieValue = kieValue;
    }

    /** The note as the worker records it (the log, the job's failure, the audit). */
    String with(Object... values) {
        return form.with(values);
    }

    /** Whether {@code recorded} is this note, as {@link #with} wrote it. */
    boolean wrote(String recorded) {
        return form.read(recorded).isPresent();
    }

    /** Exhaustive, so that a new note cannot reach an admin in English. */
    Msg words() {
        return switch (this) {
            case HOLD_EXPIRED -> Msg.FIND_NOTE_HOLD_EXPIRED;
            case DEADLINE_IN_STATE -> Msg.FIND_NOTE_DEADLINE_IN_STATE;
            case DEADLINE_KIE -> Msg.FIND_NOTE_DEADLINE_KIE;
            case SUBMIT_INTERRUPTED -> Msg.FIND_NOTE_SUBMIT_INTERRUPTED;
            case MODEL_GONE -> Msg.FIND_NOTE_MODEL_GONE;
            case VARIANT_GONE -> Msg.FIND_NOTE_VARIANT_GONE;
            case CLIP_MEASURED -> Msg.FIND_NOTE_CLIP_MEASURED;
            case CLIP_UNREADABLE -> Msg.FIND_NOTE_CLIP_UNREADABLE;
            case FILE_REFUSED -> Msg.FIND_NOTE_FILE_REFUSED;
            case NOT_A_PICTURE -> Msg.FIND_NOTE_NOT_A_PICTURE;
            case FILE_ABOVE_MODEL_LIMIT -> Msg.FIND_NOTE_FILE_ABOVE_MODEL_LIMIT;
            case KIE_LOST -> Msg.FIND_NOTE_KIE_LOST;
            case DONE_WITHOUT_RESULT_READS -> Msg.FIND_NOTE_DONE_WITHOUT_RESULT_READS;
            case STOPPED_BY_ADMIN -> Msg.FIND_NOTE_STOPPED_BY_ADMIN;
            case RESULT_AFTER_REFUND -> Msg.FIND_NOTE_RESULT_AFTER_REFUND;
            case SUBMITTING_AT_RESTART -> Msg.FIND_NOTE_SUBMITTING_AT_RESTART;
            case CREATE_OUTCOME_UNKNOWN -> Msg.FIND_NOTE_CREATE_OUTCOME_UNKNOWN;
            case CREATED_TOO_LATE -> Msg.FIND_NOTE_CREATED_TOO_LATE;
            case TASK_OF_MODEL_GONE -> Msg.FIND_NOTE_TASK_OF_MODEL_GONE;
            case TASK_LOST -> Msg.FIND_NOTE_TASK_LOST;
            case TASK_DONE_WITHOUT_RESULT -> Msg.FIND_NOTE_TASK_DONE_WITHOUT_RESULT;
            case TASK_DONE_WITHOUT_RESULT_AT_DEADLINE -> Msg.FIND_NOTE_TASK_DONE_WITHOUT_RESULT_AT_DEADLINE;
            case STOPPED_AT_KIE -> Msg.FIND_NOTE_STOPPED_AT_KIE;
            case STOPPED_AWAITING_KIE -> Msg.FIND_NOTE_STOPPED_AWAITING_KIE;
            case TASK_OF_ANOTHER_JOB -> Msg.FIND_NOTE_TASK_OF_ANOTHER_JOB;
            case TASK_RUNNING_AT_DEADLINE -> Msg.FIND_NOTE_TASK_RUNNING_AT_DEADLINE;
            case TASK_DONE_AFTER_REFUND -> Msg.FIND_NOTE_TASK_DONE_AFTER_REFUND;
        };
    }

    /** Why a job failed, in the admin's words; a text the bot did not write is Kie's own message, labelled so. */
    static String failure(Texts texts, String lang, String recorded) {
        return words(texts, lang, recorded, Msg.FIND_NOTE_KIE_SAID);
    }

    /** Why a task is to be reconciled, in the admin's words; a text of no known form is labelled the bot's record. */
    static String reconcile(Texts texts, String lang, String recorded) {
        return words(texts, lang, recorded, Msg.FIND_NOTE_RECORDED);
    }

    private static String words(Texts texts, String lang, String recorded, Msg otherwise) {
        for (JobNote note : values()) {
            Optional<List<String>> values = note.form.read(recorded);
            if (values.isPresent()) {
                Object[] args = values.get().toArray();
                if (note.stateValue > 0) {
                    args[note.stateValue - 1] = stateWords(texts, lang, values.get().get(note.stateValue - 1));
                }
                if (note.kieValue > 0) {
                    args[note.kieValue - 1] = kieText(values.get().get(note.kieValue - 1));
                }
                return texts.get(lang, note.words(), args);
            }
        }
        return texts.get(lang, otherwise, otherwise == Msg.FIND_NOTE_KIE_SAID ? kieText(recorded) : recorded);
    }

    /**
     * Kie's own text as a detail under the bot's words, never their headline: in one line, shortened to
     * {@link #KIE_TEXT_MAX}; the texts quote it («подробности от Kie: «internal error»»), so that it reads as Kie's
     * English and not as the bot's sentence.
     */
    static String kieText(String said) {
        return Snippet.of(OneLine.of(said).strip(), KIE_TEXT_MAX);
    }

    private static String stateWords(Texts texts, String lang, String name) {
        Optional<JobState> state = Arrays.stream(JobState.values()).filter(s -> s.name().equals(name)).findFirst();
        return state.map(s -> texts.get(lang, AdminSearch.stateWords(s))).orElse(name);
    }
}
