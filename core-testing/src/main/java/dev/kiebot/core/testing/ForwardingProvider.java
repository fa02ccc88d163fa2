package dev.kiebot.core.testing;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitPermit;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskOrigin;
import dev.kiebot.core.jobs.TaskStatus;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * A generation provider that hands every call to another: extend it and override the one call a test counts, slows
 * down or makes fail, the rest staying the real (usually scripted) provider's.
 */
public class ForwardingProvider implements GenerationProvider {
    /** The provider every call not overridden goes to; an override calls it for the real answer. */
    protected final GenerationProvider real;

    /**
     * Hands every call to {@code real}.
     *
     * @param real the provider behind it (a {@link ScriptedProvider}, say)
     * @throws NullPointerException when {@code real} is null
     */
    public ForwardingProvider(GenerationProvider real) {
        this.real = Objects.requireNonNull(real, "real");
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
    public Optional<TaskOrigin> origin(Model model, String taskId) throws ProviderException {
        return real.origin(model, taskId);
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
