package dev.kiebot.core.testing;

import dev.kiebot.core.jobs.ForwardingGenerationProvider;
import dev.kiebot.core.jobs.GenerationProvider;

/**
 * A generation provider that hands every call to another: extend it and override the one call a test counts, slows
 * down or makes fail, the rest staying the real (usually scripted) provider's. Each call goes to the same method of
 * {@link #real} ({@link ForwardingGenerationProvider}): the job worker's reads are
 * {@code statusOnce(Model, String, Map)}, so a test that watches them overrides that one.
 */
public class ForwardingProvider extends ForwardingGenerationProvider {
    /**
     * Hands every call to {@code real}.
     *
     * @param real the provider behind it (a {@link ScriptedProvider}, say)
     * @throws NullPointerException when {@code real} is null
     */
    public ForwardingProvider(GenerationProvider real) {
        super(real);
    }
}
