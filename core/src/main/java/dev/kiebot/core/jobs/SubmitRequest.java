package dev.kiebot.core.jobs;

import dev.kiebot.core.catalog.Model;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * @param permit      the right to send it the provider gave the shop before the job was marked SUBMITTING
 *                    ({@link GenerationProvider#awaitSubmitPermit()}): a provider that limits its sends spends it
 *                    on the first attempt instead of waiting for one of its own; empty from a caller that took none
 *                    (the provider then takes its own, as before)
 */
public record SubmitRequest(Model model, Map<String, String> values, Map<String, List<String>> fileUrls,
                            Optional<String> callbackUrl, String correlationId, Optional<SubmitPermit> permit) {
    /**
     * Copies the maps.
     *
     * @param model         the model to run
     * @param values        copied
     * @param fileUrls      copied
     * @param callbackUrl   empty when the shop polls only
     * @param correlationId the job's display id
     * @param permit        the provider's permit to send it, or empty
     */
    public SubmitRequest {
        values = Map.copyOf(values);
        fileUrls = Map.copyOf(fileUrls);
        permit = Objects.requireNonNullElse(permit, Optional.empty());
    }

    /**
     * A request without a permit: the provider takes its own (a direct call, a smoke test).
     *
     * @param model         the model to run
     * @param values        copied
     * @param fileUrls      copied
     * @param callbackUrl   empty when the shop polls only
     * @param correlationId the job's display id
     */
    public SubmitRequest(Model model, Map<String, String> values, Map<String, List<String>> fileUrls,
                         Optional<String> callbackUrl, String correlationId) {
        this(model, values, fileUrls, callbackUrl, correlationId, Optional.empty());
    }
}
