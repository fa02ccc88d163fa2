package dev.kiebot.telegram;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot-wide breaker: whether Telegram itself is in trouble, so that no message should be tried
 * ({@code Messenger.heldFor}). Opened by a call that shows it (one that ended in doubt — a read timeout or a reset after
 * the request left —, a connection refused or a 5xx for the whole retry budget, a 429 longer than the per-chat cap, or
 * 429s for several chats within a second: Telegram's flood wait is the bot's, not a chat's); closed when a single
 * probe ({@code getMe}) is answered, tried 1 s after the opening (or after the flood wait's {@code retry_after}), then
 * with waits doubling up to 30 s. One WARN when it opens (a flood wait's says it is the bot's own pace, and what to
 * lower), one INFO when it closes, DEBUG between.
 *
 * <p>Before it, the senders went on claiming the outbox's replies into an outage: each call to a Telegram that hangs
 * took a sender for the read timeout and ended "may have arrived", settled so and never sent again, so one outage ate
 * every reply due in it; and a bot-wide flood wait was met once per chat.
 */
final class TelegramOutage {
    private static final Logger log = LoggerFactory.getLogger(TelegramOutage.class);

    static final Duration FIRST_PROBE = Duration.ofSeconds(1);
    static final Duration PROBE_MAX = Duration.ofSeconds(30);
    /** 429s for this many chats within {@link #FLOOD_WINDOW} are taken for the bot's flood wait. */
    static final int FLOOD_CHATS = 5;
    static final Duration FLOOD_WINDOW = Duration.ofSeconds(1);
    /**
     * A flood wait that begins within this of the last one told is a DEBUG line, and so is its end: a burst the bot
     * keeps sending too fast met one every retry_after, a WARN and an INFO each (review L68: three of each in 14 s),
     * all saying what the first said. The next one told after it counts those.
     */
    static final Duration FLOOD_RETOLD_AFTER = Duration.ofMinutes(10);

    private final OutboundLimiter.Ticker ticker;
    private final Duration perChatCap;
    private final BooleanSupplier probe;
    /** Recent 429s, oldest first: {chat, nanos}. */
    private final Deque<long[]> rateLimited = new ArrayDeque<>();
    private boolean open;
    private boolean probing;
    private long openedAt;
    private long probeAt;
    private Duration backoff = FIRST_PROBE;
    /** {@link OutboundLimiter.Ticker#nanos} when a flood wait was last told at WARN; none before the first. */
    private long floodToldAt;
    private boolean floodTold;
    /** Flood waits met since the last one told, each a DEBUG line. */
    private int floodsUntold;
    /** Whether this outage's beginning was told at WARN, so that its end is told too. */
    private boolean openTold;

    /**
     * @param perChatCap the longest {@code retry_after} a chat's 429 is waited out for: a longer one is the bot's
     * @param probe      asks Telegram once whether it answers (true: it does)
     */
    TelegramOutage(OutboundLimiter.Ticker ticker, Duration perChatCap, BooleanSupplier probe) {
        this.ticker = ticker;
        this.perChatCap = perChatCap;
        this.probe = probe;
    }

    /** Whether no message should be tried now. */
    synchronized boolean isOpen() {
        return open;
    }

    /**
     * A call ended in a way that shows Telegram in trouble: opens the breaker, the probe in {@code atLeast} (or
     * {@link #FIRST_PROBE}); already open, the probe is put back to as late (never earlier). A call in flight as
     * Telegram went down may end after the probe is due: its reply, in doubt, is sent once more only if the senders are
     * still held when the outbox asks right after it, and that ask, running the probe, saw Telegram answer and let
     * the reply be settled as maybe sent while the outage's first was sent again.
     */
    synchronized void trouble(String why, Duration atLeast) {
        open(why, atLeast, false);
    }

    /**
     * @param floodWait whether it is Telegram's flood wait for the whole bot: the bot's own burst (a broadcast, many
     *                  replies at once) over Telegram's limits, not Telegram in trouble, and told so (an incident drill
     *                  read "Telegram is in trouble" of a 429 storm the bot's own pace made)
     */
    private void open(String why, Duration atLeast, boolean floodWait) {
        long now = ticker.nanos();
        Duration first = atLeast.compareTo(FIRST_PROBE) > 0 ? atLeast : FIRST_PROBE;
        if (!open) {
            open = true;
            openedAt = now;
            backoff = FIRST_PROBE;
            probeAt = now + first.toNanos();
            openTold = !floodWait || !floodTold || now - floodToldAt >= FLOOD_RETOLD_AFTER.toNanos();
            if (floodWait && !openTold) {
                floodsUntold++;
                log.debug("Telegram makes the whole bot wait again ({})", why);
            } else if (floodWait) {
                log.warn("Telegram makes the whole bot wait ({}): its flood wait for the bot's own burst of messages, "
                        + "not Telegram in trouble; no message is sent until it answers again (asked in {} s, then up "
                        + "to every {} s), replies wait in the outbox, in order. Seen again, lower TELEGRAM_GLOBAL_RATE "
                        + "(with several instances, each paces its own share){}", why, first.toSeconds(),
                        PROBE_MAX.toSeconds(), floodsUntold == 0 ? "" : "; " + floodsUntold + " more flood wait(s) "
                        + "since the last such line, told only at DEBUG (one line per " + FLOOD_RETOLD_AFTER.toMinutes()
                        + " min)");
                floodTold = true;
                floodToldAt = now;
                floodsUntold = 0;
            } else {
                log.warn("Telegram is in trouble ({}): no message is sent until it answers again (asked in {} s, then "
                        + "up to every {} s); replies wait in the outbox, in order", why, first.toSeconds(),
                        PROBE_MAX.toSeconds());
            }
            return;
        }
        probeAt = Math.max(probeAt, now + first.toNanos());
        log.debug("Telegram still in trouble: {}", why);
    }

    /** A 429 for {@code chat}: the bot's when longer than the per-chat cap, or when several chats got one at once. */
    synchronized void rateLimited(long chat, Duration retryAfter) {
        long now = ticker.nanos();
        if (retryAfter.compareTo(perChatCap) > 0) {
            open("a flood wait of " + retryAfter.toSeconds() + " s", retryAfter, true);
            return;
        }
        rateLimited.addLast(new long[] {chat, now});
        while (!rateLimited.isEmpty() && now - rateLimited.peekFirst()[1] > FLOOD_WINDOW.toNanos()) {
            rateLimited.removeFirst();
        }
        long chats = rateLimited.stream().mapToLong(r -> r[0]).distinct().count();
        if (chats >= FLOOD_CHATS) {
            rateLimited.clear();
            open("429 for " + chats + " chats within " + FLOOD_WINDOW.toSeconds() + " s", retryAfter, true);
        }
    }

    /**
     * How long the senders should wait before asking again; empty when Telegram may be called. Open and due, the
     * first caller probes (one call, on its thread) while the others are told to wait.
     */
    Optional<Duration> heldFor() {
        synchronized (this) {
            if (!open) {
                return Optional.empty();
            }
            long now = ticker.nanos();
            if (probing || now < probeAt) {
                return Optional.of(probing ? FIRST_PROBE : Duration.ofNanos(probeAt - now));
            }
            probing = true;
        }
        boolean answered = false;
        try {
            answered = probe.getAsBoolean();
        } catch (RuntimeException e) {
            log.debug("the probe of Telegram failed: {}", e.getClass().getSimpleName());
        } catch (Error e) {
            // an OutOfMemoryError, a class not found: the next sender to ask probes again; left probing, no sender
            // would ever have been let go
            synchronized (this) {
                probing = false;
            }
            throw e;
        }
        synchronized (this) {
            probing = false;
            long now = ticker.nanos();
            if (answered && now >= probeAt) {
                open = false;
                rateLimited.clear();
                log.atLevel(openTold ? org.slf4j.event.Level.INFO : org.slf4j.event.Level.DEBUG).log(
                        "Telegram answers again after {} s: messages go out again",
                        Duration.ofNanos(now - openedAt).toSeconds());
                return Optional.empty();
            }
            if (!answered) {
                backoff = backoff.multipliedBy(2).compareTo(PROBE_MAX) > 0 ? PROBE_MAX : backoff.multipliedBy(2);
                probeAt = Math.max(probeAt, now + backoff.toNanos());
                log.debug("Telegram still does not answer; asked again in {} s", backoff.toSeconds());
            }
            // answered, but a call meanwhile asked for a longer wait (a flood wait): held until then
            return Optional.of(Duration.ofNanos(Math.max(probeAt - now, FIRST_PROBE.toNanos())));
        }
    }
}
