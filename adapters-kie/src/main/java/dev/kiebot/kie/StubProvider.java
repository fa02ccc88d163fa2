package dev.kiebot.kie;

import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offline {@link GenerationProvider} for dry runs ({@code KIE_STUB=1} / {@code DRY_RUN=1}) and
 * tests: no network, no charges, deterministic. {@code submit} returns {@code stub-<n>}; a task is
 * Running until {@link StubConfig#delay()} has passed since submit, then succeeds with a result URL
 * {@code stub://<taskId>/result.(png|mp4|wav)} whose bytes {@link #fetch(String)} returns (the
 * Telegram side uploads them instead of sending a URL). Failures are injected by rate (seeded) and
 * kind, at submit or at status.
 */
public final class StubProvider implements GenerationProvider {
    private static final Logger log = LoggerFactory.getLogger(StubProvider.class);
    public static final String SCHEME = "stub://";
    public static final BigDecimal CREDITS = new BigDecimal("1000000");
    /** Tasks not ended yet: as many as the jobs running, the cap a backstop against a caller that never ends them. */
    private static final int MAX_TASKS = 10_000;
    /**
     * Ended tasks kept for the reads after their end ({@link #taskEnded}): the delivery's {@link #fetch} of the result,
     * right after the job's end (a job's end is written before its result is sent), and a read of a task already
     * refunded. Before, every task stayed until {@link #MAX_TASKS} newer ones pushed it out: up to 40 MiB with
     * 4,096-character prompts (BENCHMARKS 65's soak); an ended task pushed out of here is fetched as after a restart.
     */
    static final int MAX_ENDED = 1_024;
    /**
     * The most of a prompt a task keeps: all its picture can show (12 lines of 416 px in bold 26 px, about 60
     * characters a line at the narrowest; the bitmap font's 16 lines of 23), not the 4,096 a message may hold.
     */
    static final int PROMPT_KEPT_MAX = 1_024;
    private static final int MAX_UPLOADS = 64;

    private record Task(String id, Category category, String prompt, Instant submittedAt, Optional<ErrorKind> failure) {
    }

    private final StubConfig config;
    private final Random random;
    private final AtomicLong counter;
    private final AtomicLong uploads = new AtomicLong();
    private final Map<String, Task> tasks = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Task> eldest) {
            return size() > MAX_TASKS;
        }
    });
    private final Map<String, Task> ended = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Task> eldest) {
            return size() > MAX_ENDED;
        }
    });
    private final Map<String, StubMedia.File> uploaded = Collections.synchronizedMap(new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StubMedia.File> eldest) {
            return size() > MAX_UPLOADS;
        }
    });

    public StubProvider(StubConfig config) {
        this.config = Objects.requireNonNull(config);
        this.random = new Random(config.seed());
        this.counter = new AtomicLong(config.firstTaskNumber());
    }

    public StubConfig config() {
        return config;
    }

    @Override
    public String submit(SubmitRequest request) throws ProviderException {
        Model model = request.model();
        InputMapper.requireValid(request);
        Optional<ErrorKind> failure = drawFailure();
        if (failure.isPresent() && config.failAt() == StubConfig.FailAt.SUBMIT) {
            ErrorKind k = failure.get();
            // as Kie's answers say (KieErrors.surelyNotProcessed): a refusal of the request made no task
            boolean reached = switch (k) {
                case SERVER, GENERATION_FAILED, TIMEOUT, MALFORMED_RESPONSE, NOT_FOUND -> true;
                case AUTH, OUT_OF_CREDITS, KEY_LIMIT, INVALID_INPUT, CONTENT_POLICY, RATE_LIMITED, MAINTENANCE,
                        FEATURE_DISABLED, CONNECT -> false;
            };
            log.info("{}: stub submit fails with {} (injected)", request.correlationId(), k);
            throw new ProviderException(k, "stub: injected failure", reached);
        }
        String id = "stub-" + counter.getAndIncrement();
        tasks.put(id, new Task(id, model.category(), prompt(request), config.clock().instant(), failure));
        log.info("{}: stub task {} created for model {}", request.correlationId(), id, model.id());
        return id;
    }

    private Optional<ErrorKind> drawFailure() {
        double rate = config.effectiveFailRate();
        if (rate <= 0.0) {
            return Optional.empty();
        }
        boolean fail;
        synchronized (random) {
            fail = random.nextDouble() < rate;
        }
        return fail ? Optional.of(config.forcedError().orElse(ErrorKind.GENERATION_FAILED)) : Optional.empty();
    }

    private static String prompt(SubmitRequest request) {
        String p = request.values().get("prompt");
        if (p != null && !p.isBlank()) {
            return shown(p);
        }
        for (InputField f : request.model().fields()) {
            if (f.type() == FieldType.TEXT) {
                String v = request.values().get(f.name());
                if (v != null && !v.isBlank()) {
                    return shown(v);
                }
            }
        }
        return request.model().title("en");
    }

    /**
     * The part of a prompt its picture can show ({@link #PROMPT_KEPT_MAX}), as a string of its own: substring copies
     * the characters it keeps (since JDK 7u6 it shares no array with the whole prompt), so no new String around it.
     */
    private static String shown(String prompt) {
        return prompt.length() <= PROMPT_KEPT_MAX ? prompt : prompt.substring(0, PROMPT_KEPT_MAX);
    }

    /** The task, running or ended lately; null when unknown (another process's, or pushed out). */
    private Task task(String taskId) {
        Task task = tasks.get(taskId);
        return task != null ? task : ended.get(taskId);
    }

    /**
     * The job of the task ended: it leaves the running tasks for the few {@link #MAX_ENDED} kept for the reads after
     * an end (its result fetched for the chat, a read of a refunded task), read as before.
     */
    @Override
    public void taskEnded(String taskId) {
        Task task = tasks.get(taskId);
        if (task != null) {
            ended.put(taskId, task); // before it leaves the running ones: a fetch meanwhile finds it in either
            tasks.remove(taskId);
        }
    }

    /** Tasks kept in memory, running and ended (for tests). */
    int tasksKept() {
        return tasks.size() + ended.size();
    }

    @Override
    public TaskStatus status(Model model, String taskId) throws ProviderException {
        Task task = task(taskId);
        if (task == null) {
            if (taskId != null && taskId.matches("stub-\\d+")) {
                // a task from before a restart: finish it so the dry-run job completes
                return succeeded(taskId, model.category());
            }
            throw new ProviderException(ErrorKind.NOT_FOUND, "stub: unknown task", false);
        }
        Duration elapsed = Duration.between(task.submittedAt(), config.clock().instant());
        if (elapsed.compareTo(config.delay()) < 0) {
            return new TaskStatus.Running();
        }
        if (task.failure().isPresent()) {
            return new TaskStatus.Failed(task.failure().get(), "stub: injected failure");
        }
        return succeeded(taskId, task.category());
    }

    private static TaskStatus succeeded(String taskId, Category category) {
        String url = SCHEME + taskId + "/" + StubMedia.fileName(category);
        return new TaskStatus.Succeeded(new JobResult(List.of(url), KieStatusParser.mediaKind(category)));
    }

    @Override
    public String upload(byte[] content, String fileName, String mimeType) throws ProviderException {
        if (content == null || content.length == 0) {
            throw new ProviderException(ErrorKind.INVALID_INPUT, "empty file", false);
        }
        String url = SCHEME + "upload/" + uploads.incrementAndGet();
        String type = KieClient.safeMime(mimeType);
        uploaded.put(url, new StubMedia.File("upload." + KieClient.extension(type, fileName), type, content.clone()));
        return url;
    }

    @Override
    public Optional<BigDecimal> credits() {
        return Optional.of(CREDITS);
    }

    /** True for URLs this stub produces ({@code stub://...}): deliver them via {@link #fetch}. */
    public static boolean isStubUrl(String url) {
        return url != null && url.startsWith(SCHEME);
    }

    /**
     * The bytes behind a {@code stub://} URL: a result ({@code stub://<taskId>/<file>}) or an upload
     * ({@code stub://upload/<n>}). Empty for anything else.
     */
    public Optional<StubMedia.File> fetch(String url) {
        if (!isStubUrl(url)) {
            return Optional.empty();
        }
        String rest = url.substring(SCHEME.length());
        if (rest.startsWith("upload/")) {
            return Optional.ofNullable(uploaded.get(url));
        }
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        String taskId = rest.substring(0, slash);
        String file = rest.substring(slash + 1);
        if (!taskId.matches("stub-\\d+")) {
            return Optional.empty();
        }
        Task task = task(taskId);
        Category category = categoryOf(file);
        if (category == null || (task != null && !StubMedia.fileName(task.category()).equals(file))) {
            return Optional.empty();
        }
        String prompt = task == null ? "kiebot dry run" : task.prompt();
        Category c = task == null ? category : task.category();
        return Optional.of(StubMedia.forCategory(c, prompt));
    }

    private static Category categoryOf(String file) {
        return switch (file) {
            case "result.png" -> Category.IMAGE;
            case "result.mp4" -> Category.VIDEO;
            case "result.wav" -> Category.MUSIC;
            default -> null;
        };
    }
}
