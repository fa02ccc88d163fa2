package dev.kiebot.kie;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiebot.core.catalog.FieldType;
import dev.kiebot.core.catalog.InputField;
import dev.kiebot.core.catalog.Model;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.GenerationProvider;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.SubmitPermit;
import dev.kiebot.core.jobs.SubmitRequest;
import dev.kiebot.core.jobs.TaskOrigin;
import dev.kiebot.core.jobs.TaskStatus;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GenerationProvider} over Kie.ai, dispatching by {@link Model#family()}: Market jobs
 * ({@code jobs/createTask} + {@code jobs/recordInfo}), Veo 3.1 ({@code veo/generate} +
 * {@code veo/record-info}) and Suno ({@code generate} + {@code generate/record-info}).
 *
 * <p>Retries (resilience4j, exponential backoff with jitter, bounded): status reads, credits and
 * uploads on every retryable {@link ErrorKind}; task creation <em>only</em> when the request surely
 * did not reach Kie ({@link ProviderException#mayHaveReachedProvider()} false: connect failure,
 * 429/455/503) — a read timeout after sending fails the job instead of risking a second paid task — and only for a
 * request that carries no permit of ours. The shop's carries one ({@link #awaitSubmitPermit()}, waited for with the job
 * still HELD): it is one attempt, waiting for nothing but the exchange, and a refusal Kie surely never took goes back to
 * the shop, which puts the job back to HELD and sends it again a moment later with a new permit. Retried in here, the
 * job SUBMITTING meanwhile, a process cut off in a backoff left a job that never reached Kie waiting until its deadline
 * for a callback that could not come. Every createTask attempt passes the key's createTask limiter once; our own
 * limiter's refusal is never retried (its wait was the limiter's). Status reads pass the process-wide limiter of the
 * key; the job worker's ({@link #statusOnce}) are one attempt each, its next scheduled read being the retry.
 */
public final class KieProvider implements GenerationProvider {
    private static final Logger log = LoggerFactory.getLogger(KieProvider.class);

    static final String JOBS_CREATE = "/api/v1/jobs/createTask";
    private static final String KLING_3 = "kling-3.0/video";
    static final String JOBS_STATUS = "/api/v1/jobs/recordInfo";
    static final String VEO_CREATE = "/api/v1/veo/generate";
    static final String VEO_STATUS = "/api/v1/veo/record-info";
    static final String VEO_FULL_HD = "/api/v1/veo/get-1080p-video";
    /** Veo's resolution whose file comes apart, from {@link #VEO_FULL_HD}, after the task's success. */
    static final String FULL_HD = "1080p";
    /** What Veo makes first when the answer does not say (its default resolution). */
    static final String VEO_DEFAULT_RESOLUTION = "720p";
    static final String SUNO_CREATE = "/api/v1/generate";
    static final String SUNO_STATUS = "/api/v1/generate/record-info";
    static final String CREDIT = "/api/v1/chat/credit";

    private final KieClient client;
    private final KieConfig config;
    private final RateLimiter statusLimiter;
    private final RateLimiter submitLimiter;
    private final Retry readRetry;
    private final Retry readOnce;
    private final Retry submitRetry;

    /** Production wiring: the key's shared process-wide rate limiters. */
    public static KieProvider create(KieConfig config) {
        return new KieProvider(new KieClient(config), KieRateLimits.statusReads(config), KieRateLimits.submits(config));
    }

    public KieProvider(KieClient client, RateLimiter statusLimiter, RateLimiter submitLimiter) {
        this.client = Objects.requireNonNull(client);
        this.config = client.config();
        this.statusLimiter = Objects.requireNonNull(statusLimiter);
        this.submitLimiter = Objects.requireNonNull(submitLimiter);
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(
                config.retryInitialBackoff(), 2.0, 0.5, config.retryMaxBackoff());
        this.readRetry = Retry.of("kie-read", RetryConfig.custom()
                .maxAttempts(config.readAttempts())
                .intervalFunction(backoff)
                .retryOnException(KieProvider::retryableRead)
                .build());
        this.readOnce = Retry.of("kie-read-once", RetryConfig.custom().maxAttempts(1).build());
        this.submitRetry = Retry.of("kie-submit", RetryConfig.custom()
                .maxAttempts(config.submitAttempts())
                .intervalFunction(backoff)
                .retryOnException(KieProvider::retryableSubmit)
                .build());
    }

    static boolean retryableRead(Throwable t) {
        return t instanceof ProviderException e && e.kind().retryable();
    }

    /** createTask may be repeated only if Kie surely never saw it. */
    static boolean retryableSubmit(Throwable t) {
        return t instanceof ProviderException e && !e.mayHaveReachedProvider() && e.kind().retryable();
    }

    public KieConfig config() {
        return config;
    }

    @Override
    public String submit(SubmitRequest request) throws ProviderException {
        Model model = request.model();
        InputMapper.requireValid(request);
        for (List<String> urls : request.fileUrls().values()) {
            for (String u : urls) {
                if (Redaction.containsTelegramSecret(u)) {
                    log.error("{}: refusing to send a Telegram file URL to Kie (it embeds the bot token); "
                            + "upload the bytes instead", request.correlationId());
                    throw new ProviderException(ErrorKind.INVALID_INPUT, "a file URL points at Telegram", false);
                }
            }
        }
        ObjectNode body;
        String path;
        try {
            switch (model.family()) {
                case VEO:
                    body = veoBody(request);
                    path = VEO_CREATE;
                    break;
                case SUNO:
                    body = sunoBody(request);
                    path = SUNO_CREATE;
                    break;
                case JOBS:
                default:
                    body = jobsBody(request);
                    path = JOBS_CREATE;
                    break;
            }
        } catch (IllegalArgumentException e) {
            throw new ProviderException(ErrorKind.INVALID_INPUT, e.getMessage(), false);
        }
        Optional<KiePermit> given = request.permit().flatMap(this::own);
        JsonNode root;
        try {
            if (given.isPresent()) {
                // the shop's send, the job SUBMITTING: one attempt, no wait but the exchange (see the class comment)
                if (!permitted(given.get())) {
                    throw new LocalLimit();
                }
                root = client.postJson(path, body);
            } else {
                root = withRetry(submitRetry, () -> {
                    if (!submitLimiter.acquirePermission()) {
                        throw new LocalLimit();
                    }
                    return client.postJson(path, body);
                });
            }
        } catch (LocalLimit e) {
            throw new ProviderException(ErrorKind.RATE_LIMITED, LocalLimit.DETAIL, false);
        }
        String taskId;
        try {
            taskId = KieStatusParser.taskId(root);
        } catch (ProviderException e) {
            // Kie said success: it made the task and charged for it, only its id is not where we read it. Reported as a
            // garbled answer, the job was refunded at once and Kie's callback, naming the job, found it refunded; as a
            // lost answer (the one the GenerationProvider contract names) the job waits for that callback instead
            log.warn("{}: Kie answered createTask with success but no task id we can read; waiting for its callback",
                    request.correlationId());
            throw new ProviderException(ErrorKind.CONNECT, "createTask answered success with no task id", true);
        }
        log.info("{}: Kie task {} created for model {}", request.correlationId(), taskId, model.id());
        return taskId;
    }

    /**
     * Waits for a permit of the key's createTask limiter (its {@link KieConfig#limiterWait()}, 10 s by default), the
     * job still HELD: under load the shop's workers wait here, and a process cut off meanwhile leaves jobs sent again
     * as any, where in {@link #submit} it left them SUBMITTING, held until their deadline for a callback that could
     * not come. The permit is spent by the one attempt of the {@link #submit} whose request carries it.
     */
    @Override
    public Optional<SubmitPermit> awaitSubmitPermit() {
        return submitLimiter.acquirePermission() ? Optional.of(new KiePermit(submitLimiter, System.nanoTime()))
                : Optional.empty();
    }

    /** A permit this provider's limiter gave; others (another key's, {@link SubmitPermit#UNLIMITED}) are not. */
    private Optional<KiePermit> own(SubmitPermit permit) {
        return permit instanceof KiePermit k && k.limiter == submitLimiter ? Optional.of(k) : Optional.empty();
    }

    /**
     * Whether the shop's send may go now, at once: its permit, spent, if still fresh (given within one refresh cycle of
     * the limiter: the shop's write of SUBMITTING between, milliseconds; a stale one would count for a window gone, see
     * {@link KieRateLimits}), else a slot free this very moment. None is the local limit, a refusal Kie never saw: the
     * shop puts the job back to HELD to wait for its next permit there, where a kill strands nothing. A slot found free
     * and then reserved by another thread first is dropped, not waited for: the job is SUBMITTING, and a slot left unused
     * only sends less than the limit.
     */
    private boolean permitted(KiePermit permit) {
        if (permit.spend(submitLimiter.getRateLimiterConfig().getLimitRefreshPeriod())) {
            return true;
        }
        return nanosToWait() <= 0 && submitLimiter.reservePermission() == 0;
    }

    /**
     * Our own createTask limiter's refusal: unchecked, so that no retry takes it for Kie's 429 (its wait was the
     * limiter's own, and a backoff adds nothing but time); the shop sees it as a {@link ProviderException} of kind
     * RATE_LIMITED that never reached Kie.
     */
    private static final class LocalLimit extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final String DETAIL = "local createTask rate limit";

        LocalLimit() {
            super(DETAIL, null, false, false);
        }
    }

    /**
     * How long the next permit of the createTask limiter is away, read without reserving it; a limiter that cannot say
     * (not resilience4j's {@link AtomicRateLimiter}, the one {@link KieRateLimits} builds) is taken as too far, so a
     * stale permit there ends as the local limit rather than reserve blind.
     */
    private long nanosToWait() {
        return submitLimiter instanceof AtomicRateLimiter atomic ? atomic.getDetailedMetrics().getNanosToWait()
                : Long.MAX_VALUE;
    }

    /** A permit of {@code limiter}, given at {@code takenAt} ({@link System#nanoTime()}), good for one attempt. */
    private static final class KiePermit implements SubmitPermit {
        private final RateLimiter limiter;
        private final long takenAt;
        private final AtomicBoolean spent = new AtomicBoolean();

        KiePermit(RateLimiter limiter, long takenAt) {
            this.limiter = limiter;
            this.takenAt = takenAt;
        }

        /** Spends it: false when it was spent already or is older than {@code fresh}. */
        boolean spend(Duration fresh) {
            return System.nanoTime() - takenAt <= fresh.toNanos() && spent.compareAndSet(false, true);
        }

        @Override
        public String toString() {
            return "KiePermit[" + limiter.getName() + "]";
        }
    }

    ObjectNode jobsBody(SubmitRequest request) {
        Model model = request.model();
        ObjectNode body = KieClient.JSON.createObjectNode();
        body.put("model", model.kieModel());
        callbackUrl(request).ifPresent(u -> body.put("callBackUrl", u));
        ObjectNode input = InputMapper.toInput(model, request.values(), request.fileUrls());
        if (KLING_3.equals(model.kieModel())) {
            singleShot(input);
        }
        body.set("input", input);
        return body;
    }

    /**
     * Kling 3.0's schema lists {@code multi_prompt} and {@code kling_elements} as required, also for a single shot
     * (kie-api.md §8: "needs multi_shots, multi_prompt, kling_elements keys present even for single-shot"; Kie's own
     * example body sends them empty). The catalog offers the single shot only and its field types have no array of
     * objects, so they are added here, empty, unless the catalog ever gives them.
     */
    private static void singleShot(ObjectNode input) {
        if (!input.has("multi_prompt")) {
            input.putArray("multi_prompt");
        }
        if (!input.has("kling_elements")) {
            input.putArray("kling_elements");
        }
    }

    /**
     * Veo's flat body: the schema's fields in camelCase ({@code aspect_ratio} → {@code aspectRatio}),
     * every image field merged into {@code imageUrls}, and {@code generationType} derived from the
     * number of images when the catalog does not set it (1–2 images: first/last frames, 3: reference).
     */
    ObjectNode veoBody(SubmitRequest request) {
        Model model = request.model();
        ObjectNode input = InputMapper.toInput(model, request.values(), request.fileUrls());
        ObjectNode body = KieClient.JSON.createObjectNode();
        ArrayNode images = KieClient.JSON.createArrayNode();
        for (Map.Entry<String, JsonNode> e : input.properties()) {
            Optional<InputField> f = model.field(e.getKey());
            FieldType type = f.map(InputField::type).orElse(FieldType.TEXT);
            if (type == FieldType.IMAGE || type == FieldType.IMAGES) {
                if (e.getValue().isArray()) {
                    e.getValue().forEach(images::add);
                } else {
                    images.add(e.getValue());
                }
            } else {
                body.set(camel(e.getKey()), e.getValue());
            }
        }
        body.put("model", model.kieModel());
        if (!images.isEmpty()) {
            body.set("imageUrls", images);
            if (!body.has("generationType")) {
                body.put("generationType", images.size() >= 3 ? "REFERENCE_2_VIDEO" : "FIRST_AND_LAST_FRAMES_2_VIDEO");
            }
        }
        callbackUrl(request).ifPresent(u -> body.put("callBackUrl", u));
        return body;
    }

    /**
     * Suno's body: {@code prompt}, {@code customMode} (false unless the catalog sets it),
     * {@code instrumental} (false unless set), {@code model}, other fields camelCased, and
     * {@code callBackUrl} — mandatory for Suno, so when no callback is configured the
     * {@link KieConfig#sunoPlaceholderCallbackUrl()} is sent (by default Kie's own API host: nothing
     * leaks to a third party, Kie gives up after three failed deliveries, and polling finds the result).
     */
    ObjectNode sunoBody(SubmitRequest request) {
        Model model = request.model();
        ObjectNode input = InputMapper.toInput(model, request.values(), request.fileUrls());
        ObjectNode body = KieClient.JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> e : input.properties()) {
            body.set(camel(e.getKey()), e.getValue());
        }
        if (!body.has("customMode")) {
            body.put("customMode", false);
        }
        if (!body.has("instrumental")) {
            body.put("instrumental", false);
        }
        body.put("model", model.kieModel());
        body.put("callBackUrl", callbackUrl(request).orElse(config.sunoPlaceholderCallbackUrl()));
        return body;
    }

    private Optional<String> callbackUrl(SubmitRequest request) {
        Optional<String> fromRequest = request.callbackUrl() == null ? Optional.empty()
                : request.callbackUrl().filter(s -> !s.isBlank());
        return fromRequest.isPresent() ? fromRequest : config.callbackUrl();
    }

    static String camel(String snake) {
        if (snake.indexOf('_') < 0) {
            return snake;
        }
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (int i = 0; i < snake.length(); i++) {
            char c = snake.charAt(i);
            if (c == '_') {
                up = sb.length() > 0;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }

    @Override
    public TaskStatus status(Model model, String taskId) throws ProviderException {
        return status(model, taskId, readRetry);
    }

    /**
     * One attempt: the job worker's reads, whose next scheduled read is the retry. With {@link #readRetry}'s 3
     * attempts of 10 s to connect and 30 s to answer, one hung read held the worker for about 91 s, and the job's
     * lease ({@code JobWorker.LEASE}, 90 s) ran out under it; one attempt is one exchange, bounded as a whole.
     */
    @Override
    public TaskStatus statusOnce(Model model, String taskId) throws ProviderException {
        return status(model, taskId, readOnce);
    }

    /**
     * {@link #statusOnce(Model, String)}, and for a Veo job that paid for 1080p whose success is not in 1080p (Kie
     * makes the 720p file first; kie-api.md §3: "1080p ready ~1–3 min after success (retry every 20–30 s)"), the
     * 1080p file from {@code get-1080p-video?taskId=&index=0}: delivered when there. Until it is, the task is
     * {@link TaskStatus.PartlyDone} with the 720p result made with {@code resolution=720p}: the shop reads it again
     * on the job's schedule (the job stays RUNNING, so a restart changes nothing) and, 8 minutes after it first read
     * it ({@code JobWorker.LESSER_CHOICE_WAIT}) or at the job's deadline, delivers the 720p video at the 720p price,
     * the difference given back. Delivered at once as before, the user paid the
     * 1080p price for the 720p file. A refused or empty answer of get-1080p-video is "not ready yet" (Kie: "may return
     * a non-200 status code"); it is never retried here, the next scheduled read being the retry. Once a task is read
     * done in 720p, its next reads ask get-1080p-video alone ({@link #partlyDone}), and not at every read: on a
     * schedule whose gaps grow, at most {@link #FULL_HD_ASKS_MAX} times ({@link AwaitedFullHd}).
     */
    @Override
    public TaskStatus statusOnce(Model model, String taskId, Map<String, String> chosen) throws ProviderException {
        if (model.family() != dev.kiebot.core.catalog.Family.VEO
                || !FULL_HD.equalsIgnoreCase(chosen.getOrDefault("resolution", ""))) {
            return statusOnce(model, taskId);
        }
        Optional<AwaitedFullHd> known;
        synchronized (partlyDone) {
            known = Optional.ofNullable(partlyDone.computeIfPresent(taskId, (id, a) -> a.read()));
        }
        if (known.isPresent()) {
            // its record-info said all it will say (a success in 720p): the 1080p ask alone, when its turn has come
            TaskStatus.PartlyDone part = known.get().part();
            if (!known.get().askNow()) {
                return part;
            }
            Optional<TaskStatus.Succeeded> done = withFullHd(model, taskId, part.soFar());
            return done.isPresent() ? done.get() : part;
        }
        JsonNode root = record(model, taskId, readOnce);
        TaskStatus status = parsed(model, taskId, root);
        Optional<String> made = KieStatusParser.veoResolution(root);
        if (!(status instanceof TaskStatus.Succeeded s) || made.filter(FULL_HD::equalsIgnoreCase).isPresent()) {
            return status;
        }
        Optional<TaskStatus.Succeeded> done = withFullHd(model, taskId, s);
        if (done.isPresent()) {
            return done.get();
        }
        String lesser = made.filter(r -> model.field("resolution").map(f -> f.values().contains(r)).orElse(false))
                .orElse(VEO_DEFAULT_RESOLUTION);
        TaskStatus.PartlyDone part = new TaskStatus.PartlyDone(s, Map.of("resolution", lesser));
        synchronized (partlyDone) {
            partlyDone.put(taskId, AwaitedFullHd.firstAsked(part));
        }
        return part;
    }

    /**
     * The most {@code get-1080p-video} asks of one task (by this process): Kie's price list names "Get 1080P $0.025"
     * (kie-models.md §7.4) without saying whether an ask that finds the file not ready is charged too. Asked at every
     * read, a job waiting the 8 minutes of {@code JobWorker.LESSER_CHOICE_WAIT} (and up to 5 minutes of failing reads
     * past its deadline) at reads every 15-30 s asked some 20 to 60 times, up to $1.50 if every ask is billed; with
     * these asks, at most $0.20. The asks come at reads 0, 1, 3, 6, 10, 15, 21 and 28 after the one that found the
     * task done in 720p (each gap one read longer), from the success to about 8 minutes after it at the job's
     * schedule, covering Kie's "1080p ready ~1-3 min after success (retry every 20-30 s)"; past the last, the task
     * stays partly done and the shop delivers the 720p video at the 720p price, as when the 1080p file never comes.
     */
    static final int FULL_HD_ASKS_MAX = 8;

    /**
     * A Veo task read done in 720p, waiting for its 1080p file: the reads since and the get-1080p-video asks made,
     * the next ask due at read {@code nextAskAt}.
     */
    private record AwaitedFullHd(TaskStatus.PartlyDone part, int reads, int asks, int nextAskAt, boolean askNow) {
        /** The read that found it done in 720p, which asked once. */
        static AwaitedFullHd firstAsked(TaskStatus.PartlyDone part) {
            return new AwaitedFullHd(part, 0, 1, 1, true);
        }

        /**
         * One read more, {@link #askNow} when its turn has come and the asks are not spent; the gap to the next ask
         * is then one read longer than the last.
         */
        AwaitedFullHd read() {
            int r = reads + 1;
            if (r >= nextAskAt && asks < FULL_HD_ASKS_MAX) {
                return new AwaitedFullHd(part, r, asks + 1, r + asks + 1, true);
            }
            return new AwaitedFullHd(part, r, asks, nextAskAt, false);
        }
    }

    /**
     * Veo tasks read done in a lesser resolution than the 1080p their job paid for, by task id, dropped when the 1080p
     * file comes or the job ends otherwise ({@link #taskEnded}; at most this many kept; one dropped, or a process
     * started anew, reads its record-info once more). A success does not change, so
     * the next reads ask {@link #VEO_FULL_HD} alone: each read was two requests against the key's status-read limit
     * for minutes, record-info answering the same every time.
     */
    private static final int PARTLY_DONE_KEPT = 1024;
    private final Map<String, AwaitedFullHd> partlyDone = new java.util.LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AwaitedFullHd> eldest) {
            return size() > PARTLY_DONE_KEPT;
        }
    };

    /**
     * The task's job ended: a Veo task awaiting its 1080p file is let go of. It was let go of only when the 1080p file
     * came; a job delivered in 720p at the 720p price (the file never came in the wait), failed, or stopped by an admin
     * left its entry until {@link #PARTLY_DONE_KEPT} newer ones pushed it out, never read again.
     *
     * <p>The asks made are counted in this process's memory alone, not stored with the job: a process started anew,
     * or another instance reading the task, asks again from the start of the schedule, at most
     * {@link #FULL_HD_ASKS_MAX} asks more (8 × "Get 1080P $0.025", $0.20) per restart in a job's wait of 8 minutes at
     * most. A column of the jobs table and a write at every ask would cost more than that, and a job's wait
     * ({@code JobWorker.LESSER_CHOICE_WAIT}) is counted from the job's own {@code succeededAt}, so a restart does not
     * lengthen it.
     */
    @Override
    public void taskEnded(String taskId) {
        synchronized (partlyDone) {
            partlyDone.remove(taskId);
        }
    }

    /** How many Veo tasks awaiting their 1080p file this provider keeps (for tests). */
    int fullHdAwaited() {
        synchronized (partlyDone) {
            return partlyDone.size();
        }
    }

    /** The task's success {@code s} with its 1080p file in place of the 720p one, when Kie has it ready. */
    private Optional<TaskStatus.Succeeded> withFullHd(Model model, String taskId, TaskStatus.Succeeded s) {
        Optional<String> fullHd = fullHd(taskId);
        if (fullHd.isEmpty()) {
            return Optional.empty();
        }
        synchronized (partlyDone) {
            partlyDone.remove(taskId);
        }
        log.info("Kie task {} ({}): its 1080p video is ready", taskId, model.id());
        return Optional.of(new TaskStatus.Succeeded(new dev.kiebot.core.jobs.JobResult(List.of(fullHd.get()),
                s.result().kind()), s.chargedUsd(), s.missing()));
    }

    /** The 1080p file of a Veo task's first video, when Kie has it ready; empty when not (yet). */
    private Optional<String> fullHd(String taskId) {
        try {
            JsonNode root = withRetry(readOnce, () -> {
                if (!statusLimiter.acquirePermission()) {
                    throw new ProviderException(ErrorKind.RATE_LIMITED, "local status-read rate limit", false);
                }
                Map<String, String> query = new java.util.LinkedHashMap<>();
                query.put("taskId", taskId);
                query.put("index", "0");
                return client.get(VEO_FULL_HD, query);
            });
            return KieStatusParser.veoFullHdUrl(root);
        } catch (ProviderException e) {
            log.debug("Kie task {}: its 1080p video is not ready ({})", taskId, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The task's record-info (one attempt, on a callback's thread) read for what Kie keeps of its create request:
     * {@code data.param}, the request as sent (kie-api.md §1.3: "full original create request (model, callBackUrl,
     * input)"; the fake's Veo records name it {@code paramJson}), its {@code model} and {@code callBackUrl}. Empty when
     * the record has no such request, or names another model than {@code data.model}.
     */
    @Override
    public Optional<TaskOrigin> origin(Model model, String taskId) throws ProviderException {
        return KieStatusParser.origin(record(model, taskId, readOnce));
    }

    private TaskStatus status(Model model, String taskId, Retry retry) throws ProviderException {
        return parsed(model, taskId, record(model, taskId, retry));
    }

    /** A record-info answer read in its family's shape. */
    private TaskStatus parsed(Model model, String taskId, JsonNode root) throws ProviderException {
        TaskStatus status;
        switch (model.family()) {
            case VEO:
                status = KieStatusParser.veo(root, model.category(), state -> unknownState(taskId, model, state));
                break;
            case SUNO:
                status = KieStatusParser.suno(root, model.category(), state -> unknownState(taskId, model, state));
                break;
            case JOBS:
            default:
                status = KieStatusParser.jobs(root, model.category(), state -> unknownState(taskId, model, state));
                break;
        }
        log.debug("Kie task {} ({}): {}", taskId, model.id(), status.getClass().getSimpleName());
        return status;
    }

    /** Tasks whose state we did not know, told once each (at most this many kept; an older one may be told again). */
    private static final int UNKNOWN_STATES_KEPT = 1024;
    private final Map<String, Boolean> unknownStatesTold = new java.util.LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > UNKNOWN_STATES_KEPT;
        }
    };

    /**
     * A state Kie's documents do not list, read as running: a WARN once per task, naming it. At DEBUG only, a state
     * that meant the end (Kie's {@code canceled} before it was known) went unseen while the job was read for its whole
     * deadline and refunded; the operator reading the WARN learns the word to teach the parser.
     */
    private void unknownState(String taskId, Model model, String state) {
        boolean first;
        synchronized (unknownStatesTold) {
            first = unknownStatesTold.put(taskId, Boolean.TRUE) == null;
        }
        if (first) {
            log.warn("Kie task {} ({}) is in a state we do not know, \"{}\": read as still running until the job's "
                    + "deadline", taskId, model.id(), Redaction.detail(state));
        }
    }

    /** The task's record from its family's record-info endpoint, as Kie answered it. */
    private JsonNode record(Model model, String taskId, Retry retry) throws ProviderException {
        if (taskId == null || taskId.isBlank() || taskId.length() > 200 || taskId.chars().anyMatch(Character::isISOControl)) {
            throw new ProviderException(ErrorKind.NOT_FOUND, "invalid task id", false);
        }
        String path;
        switch (model.family()) {
            case VEO:
                path = VEO_STATUS;
                break;
            case SUNO:
                path = SUNO_STATUS;
                break;
            case JOBS:
            default:
                path = JOBS_STATUS;
                break;
        }
        JsonNode root;
        try {
            root = withRetry(retry, () -> {
                if (!statusLimiter.acquirePermission()) {
                    throw new ProviderException(ErrorKind.RATE_LIMITED, "local status-read rate limit", false);
                }
                return client.get(path, "taskId", taskId);
            });
        } catch (ProviderException e) {
            throw readRefused(e);
        }
        return root;
    }

    /**
     * A status read refusing a task id we got from Kie's own create answer (a 4xx, which {@link KieErrors} reads as
     * INVALID_INPUT) says Kie keeps no record of that task, or that the task failed Kie's validation, not that the read
     * should be tried again: the id is the only parameter and it came from Kie. kie-api.md: Veo's record-info answers
     * 422 "records are supported within 14 days only", the market's recordInfo 422 "validation error in original
     * request"; Suno's record-info is of the same kind. Read as a bad request, every read was "failed, retrying" and
     * the user waited out the whole deadline (30 minutes for a video) for a refund known to be coming. As NOT_FOUND the
     * shop reads it again only while Kie may still be catching up with a fresh task ({@code JobWorker.NOT_FOUND_GRACE}
     * after the submission, a bounded number of reads), then refunds it with the operator told the task id to look up;
     * a 5xx, a 429 or a timeout stays what it was, transient, read again until the deadline.
     */
    private static ProviderException readRefused(ProviderException e) {
        if (e.kind() != ErrorKind.INVALID_INPUT) {
            return e;
        }
        return new ProviderException(ErrorKind.NOT_FOUND, "Kie has no record of the task or refused it: " + e.getMessage(),
                e.mayHaveReachedProvider());
    }

    @Override
    public String upload(byte[] content, String fileName, String mimeType) throws ProviderException {
        Objects.requireNonNull(content, "content");
        if (content.length == 0) {
            throw new ProviderException(ErrorKind.INVALID_INPUT, "empty file", false);
        }
        return withRetry(readRetry, () -> client.upload(content, fileName, mimeType));
    }

    @Override
    public Optional<BigDecimal> credits() throws ProviderException {
        JsonNode root = withRetry(readRetry, () -> client.get(CREDIT, null, null));
        JsonNode data = root.get("data");
        Optional<BigDecimal> n = Optional.empty();
        if (data != null && data.isNumber()) {
            n = Optional.of(data.decimalValue());
        } else if (data != null && data.isTextual()) {
            n = InputMapper.parseNumber(data.asText(), false);
        }
        if (n.isEmpty()) {
            throw new ProviderException(ErrorKind.MALFORMED_RESPONSE, "credit answer has no numeric data", true);
        }
        return Optional.of(plausibleCredits(n.get()));
    }

    /**
     * Digits before the point of a balance taken: a trillion credits ($5 billion), far above any account's. Core's
     * {@code ProviderCredits} bounds any provider's balance with the same limits (keep them equal).
     */
    static final int CREDITS_DIGITS_MAX = 12;
    /** Digits after the point a balance is kept to (prices are in tenths of a credit). */
    static final int CREDITS_DECIMALS_MAX = 6;
    /** Digits after the point of a balance rounded rather than refused: a float's noise (99.10000000000001) is. */
    private static final int CREDITS_DECIMALS_ROUNDED_MAX = 30;
    /** Bits of the digits of a balance taken: 200 bits hold 60 digits, more than whole digits and decimals allowed. */
    private static final int CREDITS_BITS_MAX = 200;

    /**
     * A balance as the shop may show and compare it, bounded as {@link KieStatusParser#charged} bounds a task's cost:
     * {@code -1e999999999} read as it came was a number of a billion digits, and an admin's {@code /admin} wrote it out
     * for minutes on a handler's thread, in a transaction; {@code 1e20000} made a dashboard of 26,667 characters, past
     * Telegram's 4,096. Within the bounds the figure is kept, rounded to {@link #CREDITS_DECIMALS_MAX} decimals.
     *
     * @throws ProviderException MALFORMED_RESPONSE for more than {@link #CREDITS_DIGITS_MAX} whole digits or a fraction
     *                           finer than any float's noise
     */
    static BigDecimal plausibleCredits(BigDecimal credits) throws ProviderException {
        // the digits' size, precision and scale first: cheap on a number of a billion digits, its plain string is not
        boolean plausible = credits.unscaledValue().bitLength() <= CREDITS_BITS_MAX
                && (long) credits.precision() - credits.scale() <= CREDITS_DIGITS_MAX
                && credits.stripTrailingZeros().scale() <= CREDITS_DECIMALS_ROUNDED_MAX;
        if (!plausible) {
            throw new ProviderException(ErrorKind.MALFORMED_RESPONSE, "credit answer out of bounds (more than "
                    + CREDITS_DIGITS_MAX + " whole digits or " + CREDITS_DECIMALS_ROUNDED_MAX + " decimals)", true);
        }
        return credits.scale() > CREDITS_DECIMALS_MAX
                ? credits.setScale(CREDITS_DECIMALS_MAX, java.math.RoundingMode.HALF_UP) : credits;
    }

    private static <T> T withRetry(Retry retry, CheckedSupplier<T> call) throws ProviderException {
        try {
            return Retry.decorateCheckedSupplier(retry, call).get();
        } catch (ProviderException | RuntimeException e) {
            throw e;
        } catch (Error e) {
            throw e;
        } catch (Throwable t) {
            throw new ProviderException(ErrorKind.MALFORMED_RESPONSE, t.getClass().getSimpleName(), true);
        }
    }
}
