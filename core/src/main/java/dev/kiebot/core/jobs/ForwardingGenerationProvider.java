package dev.kiebot.core.jobs;

import dev.kiebot.core.catalog.Model;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link GenerationProvider} that hands every call to another, each to the same method: extend it to count, log or
 * alter the calls you care about and override those alone. A wrapper implementing the port itself kept its defaults
 * for the calls it did not write out, and they read through the wrapper's other methods rather than the wrapped
 * provider's: one overriding only {@link #statusOnce(Model, String)} had the worker's reads
 * ({@link #statusOnce(Model, String, Map)}, the default passing through the two-argument one) lose the job's choices,
 * and Kie's Veo never fetched the 1080p file a job paid for; one overriding only {@link #status} had the worker's
 * reads go through the wrapped provider's retries.
 *
 * <p>Which call the shop makes for what: the job worker reads a task with {@link #statusOnce(Model, String, Map)}
 * (override that one to see its reads); {@link #status} and {@link #statusOnce(Model, String)} are what a caller of
 * your own uses. A call added to the port later is forwarded here too, so a wrapper keeps passing it on.
 */
public abstract class ForwardingGenerationProvider implements GenerationProvider {
    /** The provider every call not overridden goes to; an override calls it for the real answer. */
    protected final GenerationProvider real;

    /**
     * Hands every call to {@code real}.
     *
     * @param real the provider wrapped
     * @throws NullPointerException when {@code real} is null
     */
    protected ForwardingGenerationProvider(GenerationProvider real) {
        this.real = Objects.requireNonNull(real, "real: the provider wrapped, never null");
    }

    @Override
    public Optional<SubmitPermit> awaitSubmitPermit() {
        return real.awaitSubmitPermit();
    }

    @Override
    public String submit(SubmitRequest request) throws ProviderException {
        return real.submit(request);
    }

    @Override
    public TaskStatus status(Model model, String taskId) throws ProviderException {
        return real.status(model, taskId);
    }

    @Override
    public TaskStatus statusOnce(Model model, String taskId) throws ProviderException {
        return real.statusOnce(model, taskId);
    }

    @Override
    public TaskStatus statusOnce(Model model, String taskId, Map<String, String> chosen) throws ProviderException {
        return real.statusOnce(model, taskId, chosen);
    }

    @Override
    public Optional<TaskOrigin> origin(Model model, String taskId) throws ProviderException {
        return real.origin(model, taskId);
    }

    @Override
    public void taskEnded(String taskId) {
        real.taskEnded(taskId);
    }

    @Override
    public String upload(byte[] content, String fileName, String mimeType) throws ProviderException {
        return real.upload(content, fileName, mimeType);
    }

    @Override
    public Optional<BigDecimal> credits() throws ProviderException {
        return real.credits();
    }
}
