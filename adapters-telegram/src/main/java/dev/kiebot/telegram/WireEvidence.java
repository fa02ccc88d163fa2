package dev.kiebot.telegram;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells, for a Bot API request that failed, whether Telegram can have carried it out: the fact needed to
 * retry a send without ever sending it twice. Installed by {@link TelegramBots} as the OkHttp client's
 * first interceptor and its event listener.
 *
 * <p>A Bot API server acts on a request only once it has all of its body (every parameter is in the POST
 * body). So a request surely did nothing when
 * <ul>
 *   <li>it failed before its first byte was written (DNS, connect, TLS, a dead pooled connection found
 *       before use);</li>
 *   <li>writing it failed (the server holds an incomplete request);</li>
 *   <li>it was a one-shot send that asked {@code Expect: 100-continue} and the connection failed before
 *       "100 Continue" came back, so its body never left. One-shot sends ({@code send*} except
 *       {@code sendChatAction}, {@code forwardMessage*}, {@code copyMessage*}) always ask. api.telegram.org
 *       sits behind nginx (its 502s are nginx's HTML page, e.g. ro31337/libretaxi#675), and nginx answers
 *       "100 Continue" itself as soon as it starts reading the body, whatever the server behind it does
 *       (checked with nginx 1.22 in front of this project's fake set not to answer it); the cost is one
 *       round trip per send.</li>
 * </ul>
 * Such a failure is rethrown as {@link Unsent}; any other failure (after the body left) may or may not have
 * been carried out and passes through unchanged. The decision uses what OkHttp reports it did
 * (request and body events), never a guess from the exception type.
 *
 * <p>An answer that is not Bot API JSON (a proxy's HTML error page, an empty body) becomes an
 * {@link UnreadableAnswer} carrying the HTTP status, which pengrad would otherwise lose (it throws a JSON
 * error or returns null).
 *
 * <p>A server that ignores {@code Expect} (a bare telegram-bot-api, whose HTTP reader has no 100-continue
 * handling, waits for the body instead; e.g. {@code TELEGRAM_API_URL} pointing at a local Bot API server) would stall
 * every send: the wait for "100 Continue" is cut after {@code continueWait} (the request then surely did
 * nothing), and after {@value #CONTINUE_TIMEOUTS_IN_A_ROW_MAX} cuts in a row this client stops asking, with
 * one warning; from then on a send whose connection drops after it was written is ambiguous. Only a server that never
 * answered "100 Continue" to this client is taken so: one that did (nginx in front of api.telegram.org) supports it,
 * and its cuts are a stalled line (a pooled connection gone dead, packets lost), each send cut surely unsent and sent
 * again. Before, two such cuts in a row at any time of a process's life stopped the asking until its restart.
 *
 * <p>Stopped, it is not stopped for good: a send asks once more {@link #ASK_AGAIN_AFTER} later, and if "100 Continue"
 * comes back, every send asks again (the server answers it: the cuts were a stall, Telegram's or the line's, at the
 * start, before it had ever answered). Cut again, the next try waits twice as long, up to {@link #ASK_AGAIN_AFTER_MAX}:
 * a server that never answers (a bare telegram-bot-api) costs one cut wait ({@code continueWait}) per try, a few a day
 * at most, never one per send. Before, the first two sends after a start that stalled (a Telegram hiccup at boot)
 * turned the asking off for the process's life.
 */
final class WireEvidence implements Interceptor {
    private static final Logger log = LoggerFactory.getLogger(WireEvidence.class);

    /** How long a one-shot send waits for "100 Continue" before it is cut (nginx answers within a round trip). */
    static final long CONTINUE_WAIT_MILLIS = 3_000;
    /** Cuts in a row after which the server is taken not to support {@code Expect: 100-continue}. */
    static final int CONTINUE_TIMEOUTS_IN_A_ROW_MAX = 2;
    /** How long after it stopped asking a send asks for "100 Continue" once more. */
    static final Duration ASK_AGAIN_AFTER = Duration.ofMinutes(10);
    /** The longest wait between two such tries: each cut try doubles the wait, up to this. */
    static final Duration ASK_AGAIN_AFTER_MAX = Duration.ofHours(6);
    /** Bytes looked at to tell Bot API JSON from anything else. */
    private static final long PEEK_BYTES = 64;

    /** Cuts waits for "100 Continue"; one daemon thread for the process, cancelled cuts leave its queue at once. */
    private static final ScheduledExecutorService WATCHDOG = watchdog();

    /** The request surely never reached the Bot API complete: nothing was done. */
    static final class Unsent extends IOException {
        private static final long serialVersionUID = 1L;

        Unsent(String why, IOException cause) {
            super(why + " (" + cause.getClass().getSimpleName() + ")", cause);
        }
    }

    /** An HTTP answer that is not Bot API JSON; {@code status} is its HTTP status. */
    static final class UnreadableAnswer extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        UnreadableAnswer(int status, String what) {
            super("HTTP " + status + " with " + what + " instead of a Bot API answer");
            this.status = status;
        }
    }

    private final long continueWaitMillis;
    private final AtomicBoolean askForContinue = new AtomicBoolean(true);
    private final AtomicInteger continueTimeoutsInARow = new AtomicInteger();
    /** Whether the server ever answered "100 Continue" to this client: then it supports it, whatever cuts come. */
    private final AtomicBoolean continueAnswered = new AtomicBoolean();
    /** Monotonic nanoseconds ({@link System#nanoTime}); a test's own to step. */
    private final LongSupplier nanoTime;
    /** While the asking is off: one send at a time tries it again ({@link #ASK_AGAIN_AFTER}). */
    private final AtomicBoolean trying = new AtomicBoolean();
    private final Object askingAgain = new Object();
    private long askAgainAtNanos; // guarded by askingAgain
    private Duration askAgainAfter = ASK_AGAIN_AFTER; // guarded by askingAgain

    WireEvidence(Duration continueWait) {
        this(continueWait, System::nanoTime);
    }

    WireEvidence(Duration continueWait, LongSupplier nanoTime) {
        this.continueWaitMillis = Math.max(1, continueWait.toMillis());
        this.nanoTime = nanoTime;
    }

    private static ScheduledExecutorService watchdog() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "telegram-continue-watchdog");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    /** Whether repeating {@code method} could show the user something twice. */
    static boolean isOneShot(String method) {
        String m = method.toLowerCase(Locale.ROOT);
        return (m.startsWith("send") && !m.equals("sendchataction"))
                || m.startsWith("forwardmessage") || m.startsWith("copymessage");
    }

    /** Whether one-shot sends still ask for "100 Continue". */
    boolean asksForContinue() {
        return askForContinue.get();
    }

    EventListener.Factory listeners() {
        return call -> new Listener();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        RequestBody body = request.body();
        boolean apiCall = request.method().equals("POST") && body != null;
        boolean oneShot = apiCall && isOneShot(methodOf(request)) && body.contentLength() != 0;
        boolean trial = oneShot && !askForContinue.get() && tryAskingAgain();
        if (oneShot && (askForContinue.get() || trial)) {
            request = request.newBuilder().header("Expect", "100-continue").build();
        }
        Phases phases = phasesOf(chain.call());
        Response response;
        try {
            response = chain.proceed(request);
        } catch (IOException e) {
            noteContinueTimeout(phases);
            Optional<String> unsent = phases.unsentBecause();
            if (unsent.isPresent()) {
                throw new Unsent(unsent.get(), e);
            }
            throw e;
        } finally {
            if (trial) {
                triedAskingAgain(phases);
            }
        }
        if (phases.expectContinue && phases.bodyStarted) {
            continueTimeoutsInARow.set(0);
        }
        return apiCall ? requireBotApiJson(response) : response;
    }

    /** Whether this send, with the asking off, is the one that asks again: its time has come, and none other does. */
    private boolean tryAskingAgain() {
        synchronized (askingAgain) {
            if (nanoTime.getAsLong() - askAgainAtNanos < 0) {
                return false;
            }
        }
        return trying.compareAndSet(false, true);
    }

    /**
     * The send that asked again is over: "100 Continue" came back, and every send asks again; or its wait was cut, and
     * the next try waits twice as long. One that failed before the question was put (no connection) or was answered
     * without its body leaves the next send to ask: it cost no wait.
     */
    private void triedAskingAgain(Phases phases) {
        try {
            if (phases.expectContinue && phases.bodyStarted) {
                continueTimeoutsInARow.set(0);
                if (askForContinue.compareAndSet(false, true)) {
                    log.info("the Bot API server answered 'Expect: 100-continue' again: sends ask for it again");
                }
                return;
            }
            if (!phases.continueTimedOut) {
                return;
            }
            synchronized (askingAgain) {
                askAgainAfter = min(askAgainAfter.multipliedBy(2), ASK_AGAIN_AFTER_MAX);
                askAgainAtNanos = nanoTime.getAsLong() + askAgainAfter.toNanos();
            }
        } finally {
            trying.set(false);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void noteContinueTimeout(Phases phases) {
        if (!phases.continueTimedOut || phases.bodyStarted || continueAnswered.get()) {
            return;
        }
        if (continueTimeoutsInARow.incrementAndGet() < CONTINUE_TIMEOUTS_IN_A_ROW_MAX) {
            return;
        }
        synchronized (askingAgain) { // its time set before a send can read the asking off
            if (!askForContinue.compareAndSet(true, false)) {
                return;
            }
            askAgainAfter = ASK_AGAIN_AFTER;
            askAgainAtNanos = nanoTime.getAsLong() + askAgainAfter.toNanos();
        }
        log.warn("the Bot API server did not answer 'Expect: 100-continue' within {} ms {} times in a row; "
                + "sends no longer ask for it, so a send whose connection drops after it was written "
                + "cannot be retried safely; one send asks again in {} min", continueWaitMillis,
                CONTINUE_TIMEOUTS_IN_A_ROW_MAX, ASK_AGAIN_AFTER.toMinutes());
    }

    private static Response requireBotApiJson(Response response) throws IOException {
        String start = response.peekBody(PEEK_BYTES).string().stripLeading();
        if (start.startsWith("{")) {
            return response;
        }
        int status = response.code();
        response.close();
        throw new UnreadableAnswer(status, start.isEmpty() ? "an empty body" : "a body that is not JSON");
    }

    private static String methodOf(Request request) {
        String path = request.url().encodedPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static Phases phasesOf(Call call) {
        return call.tag(Phases.class, Phases::new);
    }

    /** How far one call got, as OkHttp reported it. */
    static final class Phases {
        private volatile boolean requestStarted;
        private volatile boolean writeFailed;
        private volatile boolean expectContinue;
        private volatile boolean bodyStarted;
        private volatile boolean continueTimedOut;
        private boolean watchOver; // guarded by this
        private ScheduledFuture<?> watchdog; // guarded by this

        /** Why the request surely did nothing, or empty when it may have been carried out. */
        Optional<String> unsentBecause() {
            if (!requestStarted) {
                return Optional.of("the request never left");
            }
            if (writeFailed) {
                return Optional.of("the request could not be written completely");
            }
            if (expectContinue && !bodyStarted) {
                return Optional.of(continueTimedOut ? "no '100 Continue' came back, the body was never sent"
                        : "the connection failed before the body was sent");
            }
            return Optional.empty();
        }

        synchronized void watch(Call call, long millis) {
            if (!watchOver) {
                watchdog = WATCHDOG.schedule(() -> cut(call), millis, TimeUnit.MILLISECONDS);
            }
        }

        private void cut(Call call) {
            synchronized (this) {
                if (watchOver || bodyStarted) {
                    return;
                }
                continueTimedOut = true;
            }
            call.cancel();
        }

        synchronized void stopWatching() {
            watchOver = true;
            if (watchdog != null) {
                watchdog.cancel(false);
                watchdog = null;
            }
        }
    }

    private final class Listener extends EventListener {
        @Override
        public void requestHeadersStart(Call call) {
            phasesOf(call).requestStarted = true;
        }

        @Override
        public void requestHeadersEnd(Call call, Request request) {
            if ("100-continue".equalsIgnoreCase(request.header("Expect"))) {
                Phases p = phasesOf(call);
                p.expectContinue = true;
                p.watch(call, continueWaitMillis);
            }
        }

        @Override
        public void requestBodyStart(Call call) {
            Phases p = phasesOf(call);
            p.bodyStarted = true;
            p.stopWatching();
            if (p.expectContinue) {
                continueAnswered.set(true); // the body waits for "100 Continue" (OkHttp sends none without it)
            }
        }

        @Override
        public void requestFailed(Call call, IOException e) {
            Phases p = phasesOf(call);
            p.writeFailed = true;
            p.stopWatching();
        }

        @Override
        public void responseHeadersStart(Call call) {
            phasesOf(call).stopWatching();
        }

        @Override
        public void responseFailed(Call call, IOException e) {
            phasesOf(call).stopWatching();
        }

        @Override
        public void callEnd(Call call) {
            phasesOf(call).stopWatching();
        }

        @Override
        public void callFailed(Call call, IOException e) {
            phasesOf(call).stopWatching();
        }
    }
}
