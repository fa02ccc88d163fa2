package dev.kiebot.core.jobs;

import dev.kiebot.core.catalog.Model;
import java.math.BigDecimal;

/** The AI generation service (port): Kie.ai in production, a stub in dry runs and tests. */
public interface GenerationProvider {
    /**
     * Creates a task. Implementations retry only when the request surely did not reach the
     * provider; otherwise they throw and the job fails with a refund.
     *
     * @return the provider's task id
     */
    String submit(SubmitRequest request) throws ProviderException;

    /** Reads a task's status; safe to retry. */
    TaskStatus status(Model model, String taskId) throws ProviderException;

    /**
     * Uploads a user's file so the provider can read it.
     *
     * @return a URL the provider accepts as input
     */
    String upload(byte[] content, String fileName, String mimeType) throws ProviderException;

    /** The provider account's remaining credits. */
    BigDecimal credits() throws ProviderException;
}
