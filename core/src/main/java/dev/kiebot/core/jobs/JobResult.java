package dev.kiebot.core.jobs;

import java.util.List;

/**
 * What the provider produced (Kie, or your AI service).
 *
 * @param urls result URLs (may expire within 24 h: deliver at once)
 * @param kind how to send them
 */
public record JobResult(List<String> urls, MediaKind kind) {
    /**
     * Copies the URLs.
     *
     * @param urls copied; a {@link TaskStatus.Succeeded} needs at least one
     * @param kind how to send them
     */
    public JobResult {
        urls = List.copyOf(urls);
    }
}
