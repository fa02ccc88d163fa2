package dev.kiebot.runtime.intake;

import dev.kiebot.runtime.loops.DaemonThreads;
import dev.kiebot.telegram.UpdateTranslator;
import dev.kiebot.telegram.WebhookRegistration;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who the bot is, as Telegram's {@code getMe} says: its username makes the links into its private chat ({@code /invite}'s
 * link and share button, an admin's {@code /link} ad links, a group's button) and recognises {@code /cmd@name} in groups.
 * Asked at start (briefly: the start does not wait for a Telegram that cannot be asked); when that fails, asked again in
 * the background, {@link #FIRST_RETRY} then doubling to {@link #RETRY_MAX} apart, until Telegram answers. Before, a
 * start whose getMe failed kept the username unknown for the whole run: {@code /invite} gave {@code /start r_…} to type
 * and no share button, and {@code /link} no link, until a restart. What reads it ({@link #username}, {@link #translator})
 * reads it at each use.
 */
public final class BotName implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BotName.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration RETRY_MAX = Duration.ofMinutes(5);

    private final WebhookRegistration registration;
    private final AtomicReference<UpdateTranslator> translator;
    private final Duration firstRetry;
    private final Duration retryMax;
    private final ScheduledExecutorService asking = Executors.newSingleThreadScheduledExecutor(
            new DaemonThreads("telegram-get-me"));

    private BotName(WebhookRegistration registration, UpdateTranslator translator, Duration firstRetry,
                    Duration retryMax) {
        this.registration = registration;
        this.translator = new AtomicReference<>(translator);
        this.firstRetry = firstRetry;
        this.retryMax = retryMax;
    }

    /**
     * Who the bot is, or a name still unknown (then {@link #askUntilKnown} learns it).
     *
     * @param known   {@code getMe}'s answer at start, if it gave one
     * @param botId   the bot's id as the token says, for replies to the bot's messages in groups meanwhile
     */
    public static BotName of(WebhookRegistration registration, Optional<WebhookRegistration.BotIdentity> known,
                             long botId) {
        return of(registration, known, botId, FIRST_RETRY, RETRY_MAX);
    }

    static BotName of(WebhookRegistration registration, Optional<WebhookRegistration.BotIdentity> known, long botId,
                      Duration firstRetry, Duration retryMax) {
        return new BotName(registration, known.map(BotName::translatorOf).orElseGet(() -> new UpdateTranslator("",
                botId)), firstRetry, retryMax);
    }

    private static UpdateTranslator translatorOf(WebhookRegistration.BotIdentity identity) {
        return new UpdateTranslator(identity.username(), identity.id());
    }

    /** The bot's username, without '@', once Telegram said it. */
    public Optional<String> username() {
        return translator.get().botUsername();
    }

    /** Reads updates as addressed to this bot: by its name once known, every {@code /cmd@name} as ours before. */
    public UpdateTranslator translator() {
        return translator.get();
    }

    /** While the name is unknown, asks Telegram again in the background until it answers (nothing when known). */
    public void askUntilKnown() {
        if (username().isEmpty()) {
            schedule(firstRetry);
        }
    }

    @SuppressWarnings("FutureReturnValueIgnored") // ask catches what it throws and schedules the next try
    private void schedule(Duration in) {
        try {
            asking.schedule(() -> ask(in), in.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // closed: the name stays unknown for this run's last moments
        }
    }

    private void ask(Duration waited) {
        WebhookRegistration.Me me;
        try {
            me = registration.whoAmI();
        } catch (RuntimeException e) {
            me = new WebhookRegistration.Me.Unknown(e.getClass().getSimpleName());
        }
        if (me instanceof WebhookRegistration.Me.Known known && !known.identity().username().isBlank()) {
            translator.set(translatorOf(known.identity()));
            LOG.info("getMe answered: the bot is @{}; /invite and /link give t.me links from now on",
                    known.identity().username());
            return;
        }
        Duration next = waited.multipliedBy(2).compareTo(retryMax) > 0 ? retryMax : waited.multipliedBy(2);
        LOG.debug("getMe failed again ({}); asking again in {} s", me, next.toSeconds());
        schedule(next);
    }

    @Override
    public void close() {
        asking.shutdownNow();
    }
}
