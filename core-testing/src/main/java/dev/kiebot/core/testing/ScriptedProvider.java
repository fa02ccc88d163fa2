package dev.kiebot.core.testing;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskStatus;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A provider whose answers tests set: submit count, task statuses, failures. */
public final class ScriptedProvider implements GenerationProvider {
    public final List<SubmitRequest> submitted = new ArrayList<>();
    public final List<String> uploads = new ArrayList<>();
    private final Map<String, TaskStatus> statuses = new HashMap<>();
    private ProviderException submitFailure;
    private int next = 1;

    @Override
    public synchronized String submit(SubmitRequest request) throws ProviderException {
        submitted.add(request);
        if (submitFailure != null) {
            throw submitFailure;
        }
        String id = "task-" + next++;
        statuses.put(id, new TaskStatus.Running());
        return id;
    }

    @Override
    public synchronized TaskStatus status(Model model, String taskId) {
        return statuses.getOrDefault(taskId, new TaskStatus.Queued());
    }

    @Override
    public synchronized String upload(byte[] content, String fileName, String mimeType) {
        uploads.add(fileName);
        return "https://kie.example/upload/" + uploads.size();
    }

    @Override
    public BigDecimal credits() {
        return new BigDecimal("1234.5");
    }

    public synchronized void succeed(String taskId, String url) {
        statuses.put(taskId, new TaskStatus.Succeeded(new JobResult(List.of(url), MediaKind.PHOTO)));
    }

    public synchronized void set(String taskId, TaskStatus s) {
        statuses.put(taskId, s);
    }

    public synchronized void failSubmits(ProviderException e) {
        submitFailure = e;
    }
}
