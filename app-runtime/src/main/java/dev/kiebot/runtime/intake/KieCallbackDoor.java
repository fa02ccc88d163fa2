package dev.kiebot.runtime.intake;

import dev.kiebot.core.jobs.CallbackUrl;
import dev.kiebot.core.shop.ConnectionLoss;
import dev.kiebot.kie.KieCallbacks;
import dev.kiebot.runtime.http.HttpAnswer;
import dev.kiebot.runtime.http.RequestBody;
import dev.kiebot.runtime.loops.DaemonThreads;
import dev.kiebot.runtime.loops.Outage;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * {@code POST /kie/callback/<token>}: the Kie callback token (and, when configured, Kie's HMAC signature) only
 * lets Kie say "look at task X again". Nothing of the body is read before the token matched, and no more than
 * {@link KieCallbacks#BODY_BYTES_MAX} after (413): the door is public. The body is never trusted: the task id is
 * queued for a re-check, which re-reads the task from Kie. The answer comes at once; the re-checks run on a few threads with a bounded queue.
 * When the queue is full Kie gets 503 (it may retry): a callback is only a hint, polling finds the result anyway.
 * The URL's {@code job} parameter (each task's callback URL names its job, {@code CallbackUrl}) goes with the task
 * id, as a hint too: it lets a task whose id the bot never stored reach its job, after the task is read from Kie.
 */
public final class KieCallbackDoor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KieCallbackDoor.class);
    /** The correlation id of a callback's re-check whose address names no job. */
    static final String CALLBACK_CID = "kie_callback";
    /** {@code kiebot_webhook_refused_total}, shared with {@link TelegramWebhookDoor}. */
    static final String REFUSED = "kiebot.webhook.refused";
    /** Every reason this door refuses a callback for. */
    static final List<String> REFUSAL_REASONS = List.of("kie_unauthorized", "kie_unsigned", "kie_rejected",
            "kie_too_large", "kie_busy");
    static final int RECHECK_THREADS = 2;
    static final int RECHECKS_QUEUED_MAX = 256;
    /** The query parameter naming the job, as core writes it into each task's callback URL. */
    public static final String JOB_PARAMETER = CallbackUrl.PARAMETER;
    /** A job's name is {@code gen_<n>}; anything longer or of other characters is not passed on. */
    private static final java.util.regex.Pattern JOB_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_]{1,32}");

    private final String token;
    /** {@code KIE_CALLBACK_SECRET_PREVIOUS}: the token before a rotation, let in while tasks sent with it call back. */
    private final Optional<String> previousToken;
    /** Whether a callback came with the previous token: said once, with when to remove it. */
    private final AtomicBoolean previousSaid = new AtomicBoolean();
    private final KieCallbacks callbacks;
    private final BiConsumer<String, Optional<String>> recheck;
    private final MeterRegistry metrics;
    private final ThreadPoolExecutor rechecks;
    /** Re-checks cut off by the database: said once an outage, and once at its end. */
    private final Outage databaseAway = new Outage(LOG, "re-checks after Kie callbacks");
    /** Callbacks answered 503 (busy): said at most once a minute, with a count (review R3). */
    private final dev.kiebot.core.jobs.RepeatedLine busy =
            new dev.kiebot.core.jobs.RepeatedLine(java.time.Clock.systemUTC(), dev.kiebot.core.jobs.RepeatedLine.MINUTE);

    /**
     * @param token   the secret path segment Kie calls back with
     * @param recheck re-reads a task from Kie and moves its job on (the job worker's check), given the task id and
     *                the job the callback's URL names, if it names one
     */
    public KieCallbackDoor(String token, KieCallbacks callbacks, BiConsumer<String, Optional<String>> recheck,
                           MeterRegistry metrics) {
        this(token, Optional.empty(), callbacks, recheck, metrics);
    }

    /**
     * @param previousToken the token before a rotation, let in as well: a task sent before the rotation calls back
     *                      with it, and one whose send a restart cut off (its id never stored) is found by that
     *                      callback alone
     */
    public KieCallbackDoor(String token, Optional<String> previousToken, KieCallbacks callbacks,
                           BiConsumer<String, Optional<String>> recheck, MeterRegistry metrics) {
        this(token, previousToken, callbacks, recheck, metrics, RECHECKS_QUEUED_MAX);
    }

    KieCallbackDoor(String token, KieCallbacks callbacks, BiConsumer<String, Optional<String>> recheck,
                    MeterRegistry metrics, int queuedMax) {
        this(token, Optional.empty(), callbacks, recheck, metrics, queuedMax);
    }

    KieCallbackDoor(String token, Optional<String> previousToken, KieCallbacks callbacks,
                    BiConsumer<String, Optional<String>> recheck, MeterRegistry metrics, int queuedMax) {
        this.token = token;
        this.previousToken = previousToken;
        if (previousToken.isPresent()) {
            // once a start, for as long as it is set: a token forgotten there opens the door for ever
            LOG.warn("KIE_CALLBACK_SECRET_PREVIOUS is set: Kie callbacks with the token before the rotation are let "
                    + "in too; remove it once Kie's callbacks use the new token (a day after the rotation, no job "
                    + "from before left running)");
        }
        this.callbacks = callbacks;
        this.recheck = recheck;
        this.metrics = metrics;
        // registered at start, so /metrics shows 0 before the first callback: a counter flat at 0 is the operator's
        // sign that KIE_CALLBACK_URL reaches nobody, and a missing series reads as "not built"
        metrics.counter("kiebot.kie.callbacks");
        // and the refusals, each at 0: a series that appears only at its first refusal shows no increase() for it
        // (Prometheus has no sample before it), so an alert on a forged or mis-signed callback missed the first spell
        REFUSAL_REASONS.forEach(reason -> metrics.counter(REFUSED, "reason", reason));
        this.rechecks = new ThreadPoolExecutor(RECHECK_THREADS, RECHECK_THREADS, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queuedMax), new DaemonThreads("kie-callbacks"),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /** {@link #knock(String, Optional, RequestBody, Map)} of a callback whose URL names no job. */
    public HttpAnswer knock(String token, RequestBody body, Map<String, String> headers) {
        return knock(token, Optional.empty(), body, headers);
    }

    /**
     * Checks a callback and queues its task for a re-check; the body is read only after the token matched.
     *
     * @param job the URL's {@link #JOB_PARAMETER}, if it has one
     */
    public HttpAnswer knock(String token, Optional<String> job, RequestBody body, Map<String, String> headers) {
        boolean previous = !TelegramWebhookDoor.matches(token, this.token)
                && previousToken.filter(p -> TelegramWebhookDoor.matches(token, p)).isPresent();
        if (!TelegramWebhookDoor.matches(token, this.token) && !previous) {
            metrics.counter(REFUSED, "reason", "kie_unauthorized").increment();
            return new HttpAnswer(401, "unauthorized");
        }
        if (previous && previousSaid.compareAndSet(false, true)) {
            LOG.info("a Kie callback came with KIE_CALLBACK_SECRET_PREVIOUS (a task sent before the token changed): "
                    + "taken; unset the variable a day after the rotation, when no job from before is left");
        }
        Optional<byte[]> bytes;
        try {
            bytes = body.upTo(KieCallbacks.BODY_BYTES_MAX);
        } catch (IOException e) {
            return new HttpAnswer(400, "unreadable body");
        }
        if (bytes.isEmpty()) {
            metrics.counter(REFUSED, "reason", "kie_too_large").increment();
            return new HttpAnswer(413, "body too large");
        }
        Map<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers);
        KieCallbacks.Check check = callbacks.check(bytes.get(), caseless);
        Optional<String> taskId = check.taskId();
        if (taskId.isEmpty()) {
            String reason = check.rejection().orElse("rejected");
            // KieCallbacks.check has logged the reason; counted here like the door's other refusals
            int status = reason.contains("signature") || reason.contains("timestamp") ? 401 : 400;
            metrics.counter(REFUSED, "reason", status == 401 ? "kie_unsigned" : "kie_rejected")
                    .increment();
            return new HttpAnswer(status, reason);
        }
        try {
            Optional<String> named = job.filter(j -> JOB_NAME.matcher(j).matches());
            rechecks.execute(() -> recheckQuietly(taskId.get(), named));
        } catch (RejectedExecutionException e) {
            metrics.counter(REFUSED, "reason", "kie_busy").increment();
            // at most once a minute with a count: a leaked callback token let anyone write a WARNING a request
            busy.came().ifPresent(n -> LOG.warn("Kie callback not queued: {} re-checks already waiting; polling will "
                    + "find the result ({} refused so since this line was last said, at most once a minute)",
                    rechecks.getQueue().size(), n));
            return new HttpAnswer(503, "busy");
        }
        // callbacks that arrive at all: flat while jobs still finish (by status reads), KIE_CALLBACK_URL reaches
        // nobody (drill R2: nothing showed it)
        metrics.counter("kiebot.kie.callbacks").increment();
        return new HttpAnswer(200, "success");
    }

    private void recheckQuietly(String taskId, Optional<String> job) {
        // the lines of a re-check carry the job its address names (review L68: "gen_1: provider task …, whose id was
        // never stored, found by its callback and taken" had no correlation id at all), else what made them
        MDC.put("cid", job.orElse(CALLBACK_CID));
        job.ifPresent(j -> MDC.put("job", j));
        try {
            recheck.accept(taskId, job);
            databaseAway.over();
        } catch (RuntimeException e) {
            if (ConnectionLoss.in(e)) {
                // the database away: one line for the outage, not a trace per callback (review M)
                databaseAway.failed(e, "polling will retry once the database answers");
            } else {
                LOG.warn("re-check after a Kie callback failed; polling will retry", e);
            }
        } finally {
            MDC.remove("cid");
            MDC.remove("job");
        }
    }

    /** Stops taking callbacks; queued re-checks still run. */
    @Override
    public void close() {
        rechecks.shutdown();
    }
}
