package dev.kiebot.kie;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiebot.core.catalog.Category;
import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.jobs.JobResult;
import dev.kiebot.core.jobs.MediaKind;
import dev.kiebot.core.jobs.ProviderException;
import dev.kiebot.core.jobs.TaskOrigin;
import dev.kiebot.core.jobs.TaskStatus;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads the status answers of the three families into {@link TaskStatus}, defensively: Kie's own
 * documents disagree on field names and shapes (see kie-api.md [CONFLICT] notes).
 */
final class KieStatusParser {
    /** Kie's price of a credit (kie-models.md: 1 credit = $0.005). */
    static final BigDecimal USD_PER_CREDIT = new BigDecimal("0.005");
    /** Digits before the point of a credits figure taken: far above any task's price, far below a number's that stalls. */
    private static final int CREDIT_DIGITS_MAX = 9;
    /** Digits after the point of a credits figure taken (prices are in tenths of a credit). */
    private static final int CREDIT_DECIMALS_MAX = 6;

    private KieStatusParser() {
    }

    static MediaKind mediaKind(Category category) {
        return switch (category) {
            case IMAGE -> MediaKind.PHOTO;
            case VIDEO -> MediaKind.VIDEO;
            case AUDIO, MUSIC -> MediaKind.AUDIO;
            default -> MediaKind.DOCUMENT;
        };
    }

    /** The task id of a create answer: {@code data.taskId}, else {@code data.task_id}. */
    static String taskId(JsonNode root) throws ProviderException {
        JsonNode data = root.get("data");
        String id = null;
        if (data != null && data.isObject()) {
            id = KieClient.text(data, "taskId");
            if (id == null) {
                id = KieClient.text(data, "task_id");
            }
        } else if (data != null && data.isTextual() && !data.asText().isBlank()) {
            id = data.asText().trim();
        }
        if (id == null) {
            throw new ProviderException(ErrorKind.MALFORMED_RESPONSE, "create answer has no taskId", true);
        }
        return id;
    }

    /**
     * What a record-info answer keeps of the task's create request: {@code data.param} (a JSON string, or an object),
     * else {@code data.paramJson}, with its {@code model} and {@code callBackUrl}. Empty when either is missing, the
     * request is not JSON, or {@code data.model} names another model than the request.
     */
    static Optional<TaskOrigin> origin(JsonNode root) throws ProviderException {
        JsonNode data = data(root);
        JsonNode param = data.has("param") ? data.get("param") : data.get("paramJson");
        if (param != null && param.isTextual()) {
            try {
                param = KieClient.JSON.readTree(param.asText());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        if (param == null || !param.isObject()) {
            return Optional.empty();
        }
        String model = KieClient.text(param, "model");
        String callback = KieClient.text(param, "callBackUrl");
        String recorded = KieClient.text(data, "model");
        if (model == null || callback == null || (recorded != null && !recorded.equals(model))) {
            return Optional.empty();
        }
        return Optional.of(new TaskOrigin(model, callback));
    }

    private static JsonNode data(JsonNode root) throws ProviderException {
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            throw new ProviderException(ErrorKind.MALFORMED_RESPONSE, "status answer has no data object", true);
        }
        return data;
    }

    /** {@link #jobs(JsonNode, Category, Consumer)} with a state we do not know left unsaid. */
    static TaskStatus jobs(JsonNode root, Category category) throws ProviderException {
        return jobs(root, category, state -> { });
    }

    /**
     * Market jobs: {@code data.state} waiting/queuing/generating/success/fail (kie-api.md §1.3, the documented states).
     * A task cancelled, expired or timed out at Kie is over: read as running, it was read until the job's deadline
     * (10-30 minutes) with the user waiting for a result that could not come. Any other state we do not know is read
     * as running, the deadline bounding it, and told to {@code unknownState} by its name.
     */
    static TaskStatus jobs(JsonNode root, Category category, Consumer<String> unknownState) throws ProviderException {
        // A code-200 answer with no data object says nothing of the task, not that it is done: a garbled answer, read
        // again until the deadline. Read as a result missing, a task Kie had not yet recorded, or a blip of its store,
        // was refunded 3 reads (~20 s) after its submission while Kie went on to make it and charge for it
        JsonNode data = data(root);
        String state = KieClient.text(data, "state");
        if (state == null) {
            state = KieClient.text(data, "status");
        }
        if (state == null) {
            throw new ProviderException(ErrorKind.MALFORMED_RESPONSE, "status answer has no state", true);
        }
        return switch (state.toLowerCase(Locale.ROOT)) {
            case "waiting", "wait", "queuing", "queueing", "pending" -> new TaskStatus.Queued();
            case "success", "succeeded" -> {
                List<String> urls = new ArrayList<>();
                JsonNode result = data.get("resultJson");
                if (result != null && result.isTextual() && !result.asText().isBlank()) {
                    try {
                        result = KieClient.JSON.readTree(result.asText());
                    } catch (IOException e) {
                        // done and charged, its result unreadable: as a garbled answer it was read until the deadline
                        // and refunded with no word to the operator; as a result missing, 3 reads, then a RECONCILE
                        yield new TaskStatus.ResultMissing("Kie reported success with a resultJson that is not JSON");
                    }
                }
                if (result != null && result.isObject()) {
                    addUrls(urls, result.get("resultUrls"));
                    addUrls(urls, result.get("result_urls"));
                }
                addUrls(urls, data.get("resultUrls"));
                JsonNode text = result != null && result.isObject() ? result.get("resultObject") : null;
                if (urls.isEmpty() && text != null && !text.isNull()) {
                    // a text model's answer is complete as it is: reading it again brings no file to send
                    yield new TaskStatus.Failed(ErrorKind.GENERATION_FAILED,
                            "Kie returned a text result (resultObject), which the shop does not deliver");
                }
                yield succeeded(urls, category, charged(data));
            }
            case "fail", "failed", "error" -> failed(KieClient.text(data, "failCode"), KieClient.text(data, "failMsg"),
                    ErrorKind.GENERATION_FAILED);
            case "canceled", "cancelled" ->
                    failed(KieClient.text(data, "failCode"), endedAs(data, state), ErrorKind.GENERATION_FAILED);
            case "expired", "timeout", "timed_out", "timedout" ->
                    failed(KieClient.text(data, "failCode"), endedAs(data, state), ErrorKind.TIMEOUT);
            case "generating" -> new TaskStatus.Running();
            default -> {
                // anything new: still in progress, the job's deadline bounding it; said, as it may be an end we miss
                unknownState.accept(state);
                yield new TaskStatus.Running();
            }
        };
    }

    /** Kie's {@code failMsg}, else the state it ended the task in. */
    private static String endedAs(JsonNode data, String state) {
        String msg = KieClient.text(data, "failMsg");
        return msg != null ? msg : "Kie ended the task as " + state;
    }

    /** {@link #veo(JsonNode, Category, Consumer)} with a flag we do not know left unsaid. */
    static TaskStatus veo(JsonNode root, Category category) throws ProviderException {
        return veo(root, category, state -> { });
    }

    /**
     * Veo 3.1: {@code data.successFlag} 0 generating, 1 success, 2 failed, 3 generation failed (kie-api.md §5, the
     * documented flags). Any other flag is read as running, the job's deadline bounding it, and told to
     * {@code unknownState} as {@code successFlag N}: read so in silence, a flag that meant the end (a cancel, an
     * expiry added to Veo) kept the user waiting the whole deadline (30 minutes for a video) with nothing in the log.
     */
    static TaskStatus veo(JsonNode root, Category category, Consumer<String> unknownState) throws ProviderException {
        JsonNode found = root.get("data");
        if (found == null || found.isNull()) {
            // code 200 with data null: Veo answers so for a task id it has no record of (an unknown id, or one past
            // its 14 days). Not a garbled answer, read again until the deadline: NOT_FOUND, read again only for the
            // grace after the submission (a fresh task Kie's store has not caught up with), then refunded
            throw new ProviderException(ErrorKind.NOT_FOUND, "Veo answered without a record of the task (data null)",
                    true);
        }
        JsonNode data = data(root);
        int flag = KieErrors.parseCode(KieClient.text(data, "successFlag"));
        if (flag < 0) {
            throw new ProviderException(ErrorKind.MALFORMED_RESPONSE, "Veo answer has no successFlag", true);
        }
        return switch (flag) {
            case 1 -> {
                List<String> urls = new ArrayList<>();
                JsonNode response = data.get("response");
                if (response != null && response.isObject()) {
                    addUrls(urls, response.get("resultUrls"));
                    if (urls.isEmpty()) {
                        addUrls(urls, response.get("fullResultUrls"));
                    }
                    if (urls.isEmpty()) {
                        addUrls(urls, response.get("originUrls"));
                    }
                }
                JsonNode info = data.get("info");
                if (urls.isEmpty() && info != null && info.isObject()) {
                    addUrls(urls, info.get("resultUrls"));
                }
                if (urls.isEmpty()) {
                    addUrls(urls, data.get("resultUrls"));
                }
                yield succeeded(urls, category, charged(data));
            }
            case 2, 3 -> failed(KieClient.text(data, "errorCode"), KieClient.text(data, "errorMessage"),
                    ErrorKind.GENERATION_FAILED);
            case 0 -> new TaskStatus.Running();
            default -> {
                // anything new: still in progress, the job's deadline bounding it; said, as it may be an end we miss
                unknownState.accept("successFlag " + flag);
                yield new TaskStatus.Running();
            }
        };
    }

    /**
     * The resolution a Veo success says its {@code resultUrls} are in: {@code data.response.resolution}, else
     * {@code data.info.resolution} (the callback's shape); {@code 1080p} for a task Kie made on its fallback path
     * ({@code fallbackFlag} true: "1080P may already be the default output", Kie's get-1080p-video page). Empty when
     * the answer says nothing.
     */
    static Optional<String> veoResolution(JsonNode root) {
        JsonNode data = root.path("data");
        if (data.path("fallbackFlag").asBoolean(false)) {
            return Optional.of("1080p");
        }
        for (String holder : List.of("response", "info")) {
            String r = KieClient.text(data.path(holder), "resolution");
            if (r != null && !r.isBlank()) {
                return Optional.of(r.trim());
            }
        }
        return Optional.empty();
    }

    /**
     * The file of a Veo get-1080p-video answer: {@code data.resultUrl} (Kie's documented example,
     * {@code {"code":200,"msg":"success","data":{"resultUrl":"https://…mp4"}}}), else {@code data.resultUrls[0]}, else
     * {@code data} itself as a URL. Empty when the answer holds none (not ready yet).
     */
    static Optional<String> veoFullHdUrl(JsonNode root) {
        JsonNode data = root.path("data");
        List<String> urls = new ArrayList<>();
        if (data.isTextual()) {
            addUrls(urls, data);
        } else {
            addUrls(urls, data.get("resultUrl"));
            addUrls(urls, data.get("resultUrls"));
        }
        return urls.stream().filter(u -> u.startsWith("https://") || u.startsWith("http://")).findFirst();
    }

    /** {@link #suno(JsonNode, Category, Consumer)} with a status we do not know left unsaid. */
    static TaskStatus suno(JsonNode root, Category category) throws ProviderException {
        return suno(root, category, state -> { });
    }

    /**
     * Suno: {@code data.status} PENDING, TEXT_SUCCESS, FIRST_SUCCESS, SUCCESS, CREATE_TASK_FAILED,
     * GENERATE_AUDIO_FAILED, CALLBACK_EXCEPTION, SENSITIVE_WORD_ERROR (kie-api.md §5, the documented statuses); tracks
     * in {@code data.response.sunoData[].audioUrl}. A status ending in {@code _FAILED} or {@code _ERROR} fails (the
     * documented failures, and any other so named); so do CANCELED/CANCELLED and EXPIRED, not documented for Suno but
     * ends all the same, as for a Market task ({@link #jobs(JsonNode, Category, Consumer)}): read as running, the user
     * waited the whole deadline for a song that could not come. A failure with a take finished delivers it
     * ({@link #takesDespiteFailure}). Any other status is read as running, the job's deadline bounding it, and told to
     * {@code unknownState} by its name: read so in silence, a status that meant the end kept the user waiting the
     * whole deadline with nothing in the log.
     */
    static TaskStatus suno(JsonNode root, Category category, Consumer<String> unknownState) throws ProviderException {
        JsonNode data = data(root);
        String status = KieClient.text(data, "status");
        if (status == null) {
            throw new ProviderException(ErrorKind.MALFORMED_RESPONSE, "Suno answer has no status", true);
        }
        String s = status.toUpperCase(Locale.ROOT);
        return switch (s) {
            case "PENDING" -> new TaskStatus.Queued();
            case "TEXT_SUCCESS" -> new TaskStatus.Running();
            case "FIRST_SUCCESS" -> soFar(data, category);
            case "SUCCESS" -> succeeded(sunoTracks(data), category, charged(data), takesWithoutUrl(data));
            case "CALLBACK_EXCEPTION" -> afterUndeliveredCallback(data, category);
            case "SENSITIVE_WORD_ERROR" -> takesDespiteFailure(data, category)
                    .orElseGet(() -> new TaskStatus.Failed(ErrorKind.CONTENT_POLICY, message(data, s)));
            case "CANCELED", "CANCELLED" -> takesDespiteFailure(data, category).orElseGet(() ->
                    failed(KieClient.text(data, "errorCode"), message(data, "Kie ended the task as " + status),
                            ErrorKind.GENERATION_FAILED));
            case "EXPIRED" -> takesDespiteFailure(data, category).orElseGet(() ->
                    failed(KieClient.text(data, "errorCode"), message(data, "Kie ended the task as " + status),
                            ErrorKind.TIMEOUT));
            default -> {
                if (s.endsWith("_FAILED") || s.endsWith("_ERROR")) {
                    yield takesDespiteFailure(data, category).orElseGet(() ->
                            failed(KieClient.text(data, "errorCode"), message(data, s), ErrorKind.GENERATION_FAILED));
                }
                // anything new: still in progress, the job's deadline bounding it; said, as it may be an end we miss
                unknownState.accept(status);
                yield new TaskStatus.Running();
            }
        };
    }

    /**
     * A Suno task one of whose takes finished (its {@code audioUrl}) while the other is still being made: read again as
     * running, but should the other never finish, what is done is delivered at the deadline
     * ({@link TaskStatus.PartlyDone}) rather than refunded whole. Kie has charged the shop for the request and one song
     * exists: the user paid for a generation and Kie made it; refunded, the user lost the song and the shop the price.
     */
    private static TaskStatus soFar(JsonNode data, Category category) {
        List<String> done = finishedTakes(data);
        if (done.isEmpty()) {
            return new TaskStatus.Running();
        }
        return new TaskStatus.PartlyDone(new TaskStatus.Succeeded(new JobResult(done, mediaKind(category)),
                charged(data), Math.max(0, takeCount(data) - done.size())));
    }

    /**
     * A Suno task Kie calls failed while a take of it has its file (one take gone, the other finished): delivered and
     * charged, the user told the other did not come out, for the reason of {@link #soFar}. Refunded only when no take
     * is finished.
     */
    private static Optional<TaskStatus> takesDespiteFailure(JsonNode data, Category category) {
        List<String> done = finishedTakes(data);
        if (done.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new TaskStatus.Succeeded(new JobResult(done, mediaKind(category)), charged(data),
                Math.max(0, takeCount(data) - done.size())));
    }

    /** The takes that have their file ({@code audioUrl}, never a stream): those finished, whatever the others are. */
    private static List<String> finishedTakes(JsonNode data) {
        JsonNode tracks = trackNodes(data);
        List<String> urls = new ArrayList<>();
        if (tracks != null) {
            for (JsonNode t : tracks) {
                String u = firstText(t, "audioUrl", "audio_url", "sourceAudioUrl", "source_audio_url");
                if (u != null && (u.startsWith("https://") || u.startsWith("http://"))) {
                    urls.add(u);
                }
            }
        }
        return urls;
    }

    private static int takeCount(JsonNode data) {
        JsonNode tracks = trackNodes(data);
        return tracks == null ? 0 : tracks.size();
    }

    /** Takes with neither a file nor a stream: at SUCCESS, one Kie lost. */
    private static int takesWithoutUrl(JsonNode data) {
        JsonNode tracks = trackNodes(data);
        int n = 0;
        if (tracks != null) {
            for (JsonNode t : tracks) {
                if (firstText(t, "audioUrl", "audio_url", "sourceAudioUrl", "source_audio_url", "streamAudioUrl",
                        "stream_audio_url") == null) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * {@code CALLBACK_EXCEPTION}: Kie could not deliver a callback, which says nothing of the music. It is so for every
     * task whose callback is the placeholder (Kie's own host, no callback configured), and a callback is sent at each
     * stage (text, first, complete): the word may come while the takes are still being made, the first done and the
     * second only streaming, or none begun. Delivered once every take has its file; a failure only with Kie's
     * {@code errorCode} (a failure whose callback failed too), unless a take has its file (delivered,
     * {@link #takesDespiteFailure}); else still in progress, the job's deadline bounding it, and a take already done
     * is delivered at the deadline ({@link #soFar}).
     * Read as a failure, a song Kie went on to make and charge for was refunded; read by its stream URLs, a take not
     * yet finished was delivered and charged.
     */
    private static TaskStatus afterUndeliveredCallback(JsonNode data, Category category) {
        List<String> files = finishedTracks(data);
        if (!files.isEmpty()) {
            return succeeded(files, category, charged(data));
        }
        String code = KieClient.text(data, "errorCode");
        if (KieErrors.parseCode(code) > 0) {
            return takesDespiteFailure(data, category).orElseGet(() ->
                    failed(code, message(data, "CALLBACK_EXCEPTION"), ErrorKind.GENERATION_FAILED));
        }
        return soFar(data, category);
    }

    /** Every take's file ({@code audioUrl}, never a stream), or nothing when a take has none yet. */
    private static List<String> finishedTracks(JsonNode data) {
        JsonNode tracks = trackNodes(data);
        if (tracks == null || tracks.isEmpty()) {
            return List.of();
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode t : tracks) {
            String u = firstText(t, "audioUrl", "audio_url", "sourceAudioUrl", "source_audio_url");
            if (u == null) {
                return List.of();
            }
            urls.add(u);
        }
        return urls;
    }

    private static String message(JsonNode data, String status) {
        String m = KieClient.text(data, "errorMessage");
        return m == null ? status : m;
    }

    /** {@code data.response.sunoData[]}, else the callback-like {@code data.data[]}; null when neither is an array. */
    private static JsonNode trackNodes(JsonNode data) {
        JsonNode response = data.get("response");
        JsonNode tracks = response == null ? null : response.get("sunoData");
        if (tracks == null || !tracks.isArray()) {
            tracks = data.get("data"); // callback-like shape: data.data[] with audio_url
        }
        return tracks != null && tracks.isArray() ? tracks : null;
    }

    private static List<String> sunoTracks(JsonNode data) {
        List<String> urls = new ArrayList<>();
        JsonNode tracks = trackNodes(data);
        if (tracks != null) {
            for (JsonNode t : tracks) {
                String u = firstText(t, "audioUrl", "audio_url", "sourceAudioUrl", "source_audio_url",
                        "streamAudioUrl", "stream_audio_url");
                if (u != null) {
                    urls.add(u);
                }
            }
        }
        return urls;
    }

    private static String firstText(JsonNode n, String... fields) {
        for (String f : fields) {
            String v = KieClient.text(n, f);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /**
     * What Kie says the task cost: {@code creditsConsumed} (documented in the callback's schema, also on recordInfo),
     * in dollars at {@link #USD_PER_CREDIT}. Empty when absent or not a number of 0 or more: a missing figure only
     * means no check, never a failed delivery.
     */
    static Optional<BigDecimal> charged(JsonNode data) {
        JsonNode credits = data.get("creditsConsumed");
        if (credits == null || !(credits.isNumber() || credits.isTextual())) {
            return Optional.empty();
        }
        try {
            BigDecimal c = new BigDecimal(credits.asText().strip()).stripTrailingZeros();
            // bounded both ways: 1e-300000000 would be written out as 300 million digits in an admin's alert
            boolean plausible = c.signum() >= 0 && c.scale() <= CREDIT_DECIMALS_MAX
                    && c.precision() - c.scale() <= CREDIT_DIGITS_MAX;
            return plausible ? Optional.of(c.multiply(USD_PER_CREDIT)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static TaskStatus succeeded(List<String> urls, Category category, Optional<BigDecimal> chargedUsd) {
        return succeeded(urls, category, chargedUsd, 0);
    }

    private static TaskStatus succeeded(List<String> urls, Category category, Optional<BigDecimal> chargedUsd,
            int missing) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String u : urls) {
            if (u.startsWith("https://") || u.startsWith("http://")) {
                distinct.add(u);
            }
        }
        if (distinct.isEmpty()) {
            // Kie has charged for the task and may write its result after its state: core reads it again, bounded
            return new TaskStatus.ResultMissing("Kie reported success without result URLs");
        }
        return new TaskStatus.Succeeded(new JobResult(List.copyOf(distinct), mediaKind(category)), chargedUsd, missing);
    }

    private static TaskStatus failed(String code, String msg, ErrorKind fallback) {
        int c = KieErrors.parseCode(code);
        ErrorKind kind = KieErrors.kindFor(c, msg, fallback);
        String detail = Redaction.detail(msg == null ? "task failed" : msg);
        return new TaskStatus.Failed(kind, c > 0 ? detail + " (Kie " + c + ")" : detail);
    }

    /** Adds URL strings from an array, a JSON-array string ({@code "[\"https://…\"]"}) or one URL string. */
    private static void addUrls(List<String> out, JsonNode n) {
        if (n == null || n.isNull()) {
            return;
        }
        if (n.isArray()) {
            for (JsonNode e : n) {
                if (e.isTextual() && !e.asText().isBlank()) {
                    out.add(e.asText().trim());
                } else if (e.isObject()) {
                    String u = firstText(e, "url", "resultUrl", "result_url");
                    if (u != null) {
                        out.add(u);
                    }
                }
            }
        } else if (n.isTextual()) {
            String s = n.asText().trim();
            if (s.startsWith("[")) {
                try {
                    addUrls(out, KieClient.JSON.readTree(s));
                } catch (IOException e) {
                    // not a JSON array after all: ignore
                }
            } else if (!s.isEmpty()) {
                out.add(s);
            }
        }
    }
}
