package dev.kiebot.core.testing;

import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskOrigin;
import dev.kiebot.core.jobs.TaskStatus;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A provider whose answers tests set: submit count, task statuses, failures. A submit answers {@code task-1},
 * {@code task-2}, ..., each task running until the test sets its status; a task it never made reads as queued. The
 * balance reads 1234.5 credits.
 */
public final class ScriptedProvider implements GenerationProvider {
    /** Every submit's request, in order, the failed ones too: count the shop's createTask calls here. */
    public final List<SubmitRequest> submitted = new ArrayList<>();
    /** The file name of every upload, in order. */
    public final List<String> uploads = new ArrayList<>();
    /** The task id of every {@link #taskEnded} call, in order: the jobs the shop told ended. */
    public final List<String> ended = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, TaskStatus> statuses = new HashMap<>();
    private final Map<String, ProviderException> statusFailures = new HashMap<>();
    /** What the provider keeps of each task's create request (Kie: recordInfo's {@code param}), by task id. */
    private final Map<String, TaskOrigin> origins = new HashMap<>();
    private ProviderException originFailure;
    private ProviderException submitFailure;
    private BigDecimal credits = new BigDecimal("1234.5");
    private ProviderException creditsFailure;
    private int creditReads;
    private int next = 1;
    private volatile Optional<Gate> submitGate = Optional.empty();
    private volatile Optional<Gate> uploadGate = Optional.empty();

    /**
     * Holds a call on its way to Kie: {@code entered} counts down when it arrives, it goes on at {@code release}.
     *
     * @param entered counted down by each call as it arrives: await it to know the call is held
     * @param release the calls go on once it is open; one held 30 s fails with {@code IllegalStateException}
     */
    public record Gate(CountDownLatch entered, CountDownLatch release) { }

    /** Nothing scripted: every submit succeeds, every task runs. */
    public ScriptedProvider() {
    }

    @Override
    public String submit(SubmitRequest request) throws ProviderException {
        // outside the lock: other calls (a status read) go on while a submit is held
        submitGate.ifPresent(ScriptedProvider::pass);
        synchronized (this) {
            submitted.add(request);
            if (submitFailure != null) {
                throw submitFailure;
            }
            String id = "task-" + next++;
            statuses.put(id, new TaskStatus.Running());
            if (request != null) { // tests sharing one provider's task numbers submit null to skip one
                request.callbackUrl().ifPresent(url -> origins.put(id, new TaskOrigin(request.model().kieModel(), url)));
            }
            return id;
        }
    }

    /**
     * The next submits wait at {@code gate} (a slow createTask, its retries).
     *
     * @param gate where every submit from now on waits; once its release is open, they pass at once
     */
    public void holdSubmits(Gate gate) {
        submitGate = Optional.of(gate);
    }

    private static void pass(Gate gate) {
        gate.entered().countDown();
        try {
            if (!gate.release().await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a held submit was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while held", e);
        }
    }

    @Override
    public synchronized TaskStatus status(Model model, String taskId) throws ProviderException {
        ProviderException failure = statusFailures.get(taskId);
        if (failure != null) {
            throw failure;
        }
        return statuses.getOrDefault(taskId, new TaskStatus.Queued());
    }

    @Override
    public synchronized Optional<TaskOrigin> origin(Model model, String taskId) throws ProviderException {
        if (originFailure != null) {
            throw originFailure;
        }
        return Optional.ofNullable(origins.get(taskId));
    }

    /**
     * The provider made a task whose id the shop never got (the process cut off before the answer): it keeps the task
     * as made for {@code origin}, running.
     *
     * @param taskId the task's id at the provider
     * @param origin what it was made for: the model and the callback URL naming the shop's job
     */
    public synchronized void made(String taskId, TaskOrigin origin) {
        statuses.put(taskId, new TaskStatus.Running());
        origins.put(taskId, origin);
    }

    /**
     * Reads of tasks' origins fail so from now on; {@code null} makes them answer again.
     *
     * @param e what each read throws, or {@code null}
     */
    public synchronized void failOrigins(ProviderException e) {
        originFailure = e;
    }

    /**
     * Reads of the task's status fail so (Kie's answer to the read itself), until {@link #set} or {@link #succeed}.
     *
     * @param taskId the task
     * @param e      what each read of it throws
     */
    public synchronized void failStatus(String taskId, ProviderException e) {
        statusFailures.put(taskId, e);
    }

    @Override
    public String upload(byte[] content, String fileName, String mimeType) {
        uploadGate.ifPresent(ScriptedProvider::pass);
        synchronized (this) {
            uploads.add(fileName);
            return "https://kie.example/upload/" + uploads.size();
        }
    }

    /**
     * The next uploads wait at {@code gate} (a large photo on its way).
     *
     * @param gate where every upload from now on waits; once its release is open, they pass at once
     */
    public void holdUploads(Gate gate) {
        uploadGate = Optional.of(gate);
    }

    @Override
    public synchronized Optional<BigDecimal> credits() throws ProviderException {
        creditReads++;
        if (creditsFailure != null) {
            throw creditsFailure;
        }
        return Optional.of(credits);
    }

    /**
     * The balance the next credit reads answer (1234.5 until this is called).
     *
     * @param balance in Kie's credits
     */
    public synchronized void setCredits(BigDecimal balance) {
        credits = balance;
    }

    /**
     * Every credit read from now on throws {@code e}; {@code null} makes them answer again.
     *
     * @param e what each read throws, or {@code null}
     */
    public synchronized void failCredits(ProviderException e) {
        creditsFailure = e;
    }

    /**
     * How many times the balance was read, answered or not.
     *
     * @return the reads since the provider was made
     */
    public synchronized int creditReads() {
        return creditReads;
    }

    /**
     * The task's next status reads answer done, with {@code url} as its one photo.
     *
     * @param taskId the task
     * @param url    where its result is
     */
    public synchronized void succeed(String taskId, String url) {
        statusFailures.remove(taskId);
        statuses.put(taskId, new TaskStatus.Succeeded(new JobResult(List.of(url), MediaKind.PHOTO)));
    }

    /**
     * The task's next status reads answer {@code s} (and no longer fail).
     *
     * @param taskId the task
     * @param s      its status from now on
     */
    public synchronized void set(String taskId, TaskStatus s) {
        statusFailures.remove(taskId);
        statuses.put(taskId, s);
    }

    /**
     * Every {@code submit} from now on throws {@code e}; {@code null} makes them succeed again.
     *
     * @param e what each submit throws (still kept in {@link #submitted}), or {@code null}
     */
    public synchronized void failSubmits(ProviderException e) {
        submitFailure = e;
    }

    @Override
    public void taskEnded(String taskId) {
        ended.add(taskId);
    }
}
