package dev.kiebot.core.jobs;

import java.util.Objects;

/**
 * What the provider keeps of the request that made a task, read back from the provider with the shop's own key
 * ({@link GenerationProvider#origin}), never from a callback's body.
 *
 * @param model       the provider's name of the model the task was made with ({@code Model.kieModel()})
 * @param callbackUrl the address the task reports to; the shop's names the job it was made for ({@link CallbackUrl})
 */
public record TaskOrigin(String model, String callbackUrl) {
    /**
     * Checks that nothing is null.
     *
     * @param model       never null
     * @param callbackUrl never null
     * @throws NullPointerException for a null part
     */
    public TaskOrigin {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(callbackUrl, "callbackUrl");
    }
}
