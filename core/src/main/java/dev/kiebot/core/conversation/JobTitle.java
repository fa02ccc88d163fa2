package dev.kiebot.core.conversation;

import dev.kiebot.core.catalog.Catalog;
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
}
