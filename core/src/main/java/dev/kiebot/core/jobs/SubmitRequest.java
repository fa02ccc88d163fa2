package dev.kiebot.core.jobs;

import dev.kiebot.core.catalog.Model;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the provider needs to create a task.
 *
 * @param model       the model to run, as the catalog has it (its provider model name and input schema)
 * @param values      text and choice inputs as the user chose them (strings; the adapter converts
 *                    to the schema's wire types)
 * @param fileUrls    media inputs already uploaded to the provider, by field name
 * @param callbackUrl where the provider should report completion, if the runner has one: the shop's callback URL
 *                    with the job named in it ({@link CallbackUrl}); send it unchanged, and keep it readable by
 *                    {@link GenerationProvider#origin}
 * @param correlationId the job's display id, for the provider's logs and ours
 */
public record SubmitRequest(Model model, Map<String, String> values, Map<String, List<String>> fileUrls,
                            Optional<String> callbackUrl, String correlationId) {
    /**
     * Copies the maps.
     *
     * @param model         the model to run
     * @param values        copied
     * @param fileUrls      copied
     * @param callbackUrl   empty when the shop polls only
     * @param correlationId the job's display id
     */
    public SubmitRequest {
        values = Map.copyOf(values);
        fileUrls = Map.copyOf(fileUrls);
    }
}
