package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Catalog;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;

/**
 * The name of a job's model as the user reads it, in the history, /status and the job's own messages. A model can
 * leave the catalog while its jobs stay in the history (or are still queued): such a job is named by a phrase that
 * says so, never by the model's internal id, which means nothing to the user. Admin views ({@code /find}) show the
 * model's name too, but its id once it has left the catalog: support needs something to look for.
 */
public final class JobTitle {
    private JobTitle() {
    }

    /**
     * The job's model's title, or the phrase for a model that left the catalog.
     *
     * @param catalog  the models on sale
     * @param texts    the shop's texts
     * @param language the reader's language
     * @param job      the job
     * @return the title as the user reads it
     */
    public static String of(Catalog catalog, Texts texts, String language, Job job) {
        return catalog.model(job.modelId()).map(m -> m.title(language))
                .orElseGet(() -> texts.get(language, Msg.JOB_MODEL_GONE));
    }

    /**
     * The user's own words that tell this job from another of its model, as a result's caption and /history quote
     * them: a song's title (its lyrics, quoted whole, made two identical captions of a song's two versions and a
     * history line of verses), else the description, else the text read aloud (a voiceover quoted nothing, and two of
     * them could not be told apart); blank when the job has none of these.
     *
     * @param job the job
     * @return the words, stripped, as given (cut to length by the caller)
     */
    public static String words(Job job) {
        for (String field : WORDS) {
            String value = job.values().getOrDefault(field, "").strip();
            if (!value.isEmpty()) {
                return value;
            }
        }
        return "";
    }

    /** A song's title, a description, a text to read aloud: the first one given names the job. */
    private static final java.util.List<String> WORDS = java.util.List.of("title", InputField.PROMPT, "text");
}
