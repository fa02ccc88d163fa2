package dev.kiebot.runtime.metrics;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.ForwardingGenerationProvider;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskOrigin;
import dev.kiebot.core.jobs.TaskStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Counts what the generation provider (Kie) does, by call and outcome or error kind, for /metrics; each good
 * answer is reported to {@code answered} (for {@code /readyz}'s "last Kie answer"). Labels are fixed enums (never
 * user data or secrets). A call it does not count (the submit permit's wait, and any the port gains) is forwarded by
 * its base.
 */
public final class MeteredProvider extends ForwardingGenerationProvider {
    private final MeterRegistry registry;
    private final Timer submitTimer;
    private final Runnable answered;
    private volatile double lastCredits = Double.NaN;

    public MeteredProvider(GenerationProvider delegate, MeterRegistry registry) {
        this(delegate, registry, () -> { });
    }

    public MeteredProvider(GenerationProvider delegate, MeterRegistry registry, Runnable answered) {
        super(delegate);
        this.registry = registry;
        this.answered = answered;
        this.submitTimer = Timer.builder("kiebot.provider.submit.duration").register(registry);
        Gauge.builder("kiebot.provider.credits", this, m -> m.lastCredits)
                .description("Kie credits left at the last check (NaN before the first answer)").register(registry);
    }

    private Counter count(String call, String outcome) {
        return Counter.builder("kiebot.provider.calls").tag("call", call).tag("outcome", outcome).register(registry);
    }

    @Override
    public String submit(SubmitRequest request) throws ProviderException {
        Timer.Sample sample = Timer.start(registry);
        try {
            String id = real.submit(request);
            count("submit", "ok").increment();
            answered.run();
            return id;
        } catch (ProviderException e) {
            count("submit", e.kind().name()).increment();
            throw e;
        } finally {
            sample.stop(submitTimer);
        }
    }

    @Override
    public TaskStatus status(Model model, String taskId) throws ProviderException {
        return counted(() -> real.status(model, taskId));
    }

    /** The worker's reads: the delegate's own one attempt, counted as every status read is. */
    @Override
    public TaskStatus statusOnce(Model model, String taskId) throws ProviderException {
        return counted(() -> real.statusOnce(model, taskId));
    }

    /** The worker's reads with the job's choices (Kie's Veo fetches a 1080p file by them): forwarded, counted. */
    @Override
    public TaskStatus statusOnce(Model model, String taskId, java.util.Map<String, String> chosen)
            throws ProviderException {
        return counted(() -> real.statusOnce(model, taskId, chosen));
    }

    private interface Read {
        TaskStatus read() throws ProviderException;
    }

    private TaskStatus counted(Read read) throws ProviderException {
        try {
            TaskStatus s = read.read();
            String outcome = s instanceof TaskStatus.Succeeded ? "succeeded"
                    : s instanceof TaskStatus.Failed f ? "failed_" + f.kind().name()
                    : s instanceof TaskStatus.ResultMissing ? "result_missing" : "pending";
            count("status", outcome).increment();
            answered.run();
            return s;
        } catch (ProviderException e) {
            count("status", e.kind().name()).increment();
            throw e;
        }
    }

    /** A callback's task no job has: what Kie keeps of its create request, counted as found or not. */
    @Override
    public Optional<TaskOrigin> origin(Model model, String taskId) throws ProviderException {
        try {
            Optional<TaskOrigin> origin = real.origin(model, taskId);
            count("origin", origin.isPresent() ? "ok" : "none").increment();
            answered.run();
            return origin;
        } catch (ProviderException e) {
            count("origin", e.kind().name()).increment();
            throw e;
        }
    }

    @Override
    public String upload(byte[] content, String fileName, String mimeType) throws ProviderException {
        try {
            String url = real.upload(content, fileName, mimeType);
            count("upload", "ok").increment();
            answered.run();
            return url;
        } catch (ProviderException e) {
            count("upload", e.kind().name()).increment();
            throw e;
        }
    }

    @Override
    public Optional<BigDecimal> credits() throws ProviderException {
        try {
            Optional<BigDecimal> credits = real.credits();
            credits.ifPresent(c -> lastCredits = c.doubleValue());
            count("credits", "ok").increment();
            answered.run();
            return credits;
        } catch (ProviderException e) {
            count("credits", e.kind().name()).increment();
            throw e;
        }
    }
}
