package dev.kiebot.telegram;

import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.model.Message;
import com.pengrad.telegrambot.model.PhotoSize;
import com.pengrad.telegrambot.model.request.InlineKeyboardButton;
import com.pengrad.telegrambot.model.request.InlineKeyboardMarkup;
import com.pengrad.telegrambot.model.request.LabeledPrice;
import com.pengrad.telegrambot.request.AbstractMultipartRequest;
import com.pengrad.telegrambot.request.AnswerCallbackQuery;
import com.pengrad.telegrambot.request.AnswerPreCheckoutQuery;
import com.pengrad.telegrambot.request.BaseRequest;
import com.pengrad.telegrambot.request.EditMessageText;
import com.pengrad.telegrambot.request.GetMe;
import com.pengrad.telegrambot.request.SendAudio;
import com.pengrad.telegrambot.request.SendChatAction;
import com.pengrad.telegrambot.request.SendDocument;
import com.pengrad.telegrambot.request.SendInvoice;
import com.pengrad.telegrambot.request.SendMessage;
import com.pengrad.telegrambot.request.SendPhoto;
import com.pengrad.telegrambot.request.SendVideo;
import com.pengrad.telegrambot.response.BaseResponse;
import com.pengrad.telegrambot.response.SendResponse;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.reply.Activity;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Delivery;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Messenger;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.jobs.MediaKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's {@link Messenger} on the Telegram Bot API. Thread-safe; {@link #send} blocks the caller
 * while the reply waits for its turn (see {@link OutboundLimiter}) and never throws.
 *
 * <ul>
 *   <li>Texts go without parse mode: user text is never interpreted as markup. Over 4096 characters
 *       they are split (keyboard on the last part); edits and captions are truncated.</li>
 *   <li>Media by URL, falling back to downloading the bytes (≤ 50 MB; a URL on the internet only, unless the
 *       builder is told where the URLs come from: {@link Builder#mediaUrlsFrom}) and uploading them (a photo Telegram
 *       will not take as one, over 10 MB or of sides it refuses, as a document), falling back
 *       to a text message with the link; when the download is answered 404 or 410, {@link Delivery.Gone} (the
 *       link would lead nowhere: core refunds the result's job). Sources without {@code ://} are Telegram file ids; {@code stub://}
 *       sources are served by the injected byte supplier.</li>
 *   <li>429: waits a {@code retry_after} of a second and retries, pausing only that chat; a longer one defers the
 *       reply at once ({@link Delivery.Deferred}, no sender asleep; a chat action is dropped); over the cap, or for several chats at once, it
 *       is the bot's flood wait and holds every sender ({@link #heldFor}); 403: {@link Delivery.Blocked};
 *       "message is not modified": success.</li>
 *   <li>The bot token refused (401, or 404 for a token Telegram does not know the shape of: revoked in @BotFather
 *       while the bot runs): {@link Delivery.Deferred}, like an outage, with no other form tried (a result's upload
 *       or link would be refused the same way). Before, it was a final failure: between revoking a token and
 *       restarting with the new one every reply (a result, "payment received", a refund's notice) was lost. Logged as
 *       an ERROR once per spell of refusals, and a line when Telegram takes the token again.</li>
 * </ul>
 *
 * <h2>Faults: every reply once, never twice</h2>
 * Every call first goes through {@link ApiCaller}'s retries: failures that surely did nothing (the
 * request never reached Telegram complete, a 5xx, an HTML 502 page, a 429) are retried with backoff for
 * up to {@value ApiCaller#TRANSIENT_RETRY_BUDGET_SECONDS} s, for sends too; failures after which
 * Telegram may have acted (the connection dropped or timed out after the whole request was written) are
 * retried only for idempotent calls. What makes a send safe to retry is {@link WireEvidence}: a send
 * asks {@code Expect: 100-continue} and keeps its body until Telegram's front answers, so a connection
 * that drops before that provably carried nothing. Then:
 * <ul>
 *   <li>A send whose outcome stays ambiguous is reported as {@link Delivery.Uncertain} ("may have been
 *       delivered") and not repeated, and a media send then does not fall back to another form either:
 *       the photo may already be in the chat.</li>
 *   <li>A media send falls back to the next form (URL → upload → link) only when the previous form surely
 *       did not arrive: Telegram refused it (e.g. "wrong file identifier/HTTP URL specified", "failed to
 *       get HTTP URL content", bad media), or it never got through for the whole retry budget.</li>
 *   <li>An edit that keeps failing, or that Telegram cannot apply ("message to edit not found", "message
 *       can't be edited", ...), is sent as a new message, so a status such as a refund notice is never lost; one
 *       refused as the sender stops is deferred, and the new message goes at the next start.
 *       Edits are idempotent: a repeated edit that already happened answers "message is not modified".</li>
 * </ul>
 * <p>Something of ours thrown while a reply is delivered (a bug, an answer we cannot read) is {@link Delivery.Failed}
 * only until a call of it may have been carried out; after that it is {@link Delivery.Uncertain}, as a call's own
 * failures are: a result so failed went again as its link, or was refunded as not delivered, though it was in the
 * chat.
 *
 * <p>Residual risks: a connection that drops after a send's body left, while Telegram had <em>not</em> acted
 * (its front died before passing the request on), loses that send (reported as failed, not retried); a
 * 500/502/503 answered after Telegram had acted is retried into a duplicate (nginx answers the same 502 page
 * when the Bot API behind it went away before and after sending; rare, the Bot API would have to die
 * mid-request); a Bot API server that ignores {@code Expect} turns the protection off (see
 * {@link WireEvidence}); a media send can take up to three budgets (URL, upload, link) when Telegram is
 * unreachable.
 *
 * <p>Build with {@link #builder(TelegramBot)}.
 */
public final class TelegramMessenger implements Messenger {
    private static final Logger log = LoggerFactory.getLogger(TelegramMessenger.class);

    /** Telegram accepts uploads of photos up to 10 MB; bigger images go as documents. */
    static final long PHOTO_UPLOAD_BYTES_MAX = 10L * 1024 * 1024;
    static final String STUB_SCHEME = "stub://";
    /**
     * The deep link a forwarded copy of a Stars invoice shows instead of its Pay button (Telegram's
     * {@code start_parameter}). Without it anybody the invoice was forwarded to saw a Pay button, pressed it and got
     * the pre-checkout's refusal (the invoice is its payer's), taking the shop for broken; with it he opens the bot.
     * No link of the shop's (a model's {@code m_}, an invitation's {@code r_}): {@code /start invoice} is the plain
     * welcome, where a stranger sees what the bot does and tops up his own balance.
     */
    static final String INVOICE_START = "invoice";
    /**
     * How long a reply waits for its next try after Telegram could not be reached for the whole retry budget: the
     * budget already spent half a minute, and four senders each trying one chat meanwhile make little load.
     */
    static final Duration OUTAGE_RETRY = Duration.ofSeconds(15);

    /**
     * Telegram takes a button's answer for about 15 s (a pre-checkout's for 10): their calls stop retrying within
     * that, as a later try only meets "query is too old" and holds an answers thread meanwhile. The answers behind it
     * then waited past their own window too, and one outage of a minute cost every press in it its answer.
     */
    static final Duration ANSWER_RETRY_BUDGET = Duration.ofSeconds(8);
    /** The longest 429 an answer waits out, once: longer, and its window is gone. */
    static final Duration ANSWER_RETRY_AFTER_CAP = Duration.ofSeconds(5);

    private final ApiCaller api;
    /** {@link #api} for answers, which are worth nothing once their window passed. */
    private final ApiCaller answers;
    private final OutboundLimiter limiter;
    private final DownloadClient http;
    private final RedirectGuard downloads;
    private final Function<String, Optional<byte[]>> stubBytes;
    private final long downloadBytesMax;
    private final Duration downloadTimeout;
    private final String token;
    /** Whether Telegram's last word on the token was a refusal: its ERROR is logged once per spell, not per reply. */
    private final AtomicBoolean tokenRefused = new AtomicBoolean();
    /**
     * Whether the reply being delivered on this thread made a call Telegram may have carried out (answered ok, or
     * may have: {@link ApiCaller.Kind#AMBIGUOUS}), so that an exception of ours after it is not read as "surely not
     * delivered" ({@link #deliver}). A reply's delivery runs whole on its caller's thread, its chat's lane included,
     * so the thread's flag is the reply's; {@link #deliver} clears it.
     */
    private final ThreadLocal<Boolean> mayHaveGone = new ThreadLocal<>();
    /** The bot-wide breaker ({@link #heldFor}): no message is tried while Telegram itself is in trouble. */
    private final TelegramOutage outage;
    /** Attempts made so far for the reply being delivered on this thread: each after its first takes a bot's turn. */
    private final ThreadLocal<int[]> attempts = ThreadLocal.withInitial(() -> new int[1]);
    /** The new id Telegram named for the reply's chat (a group upgraded to a supergroup: 400 migrate_to_chat_id). */
    private final ThreadLocal<Long> migratedTo = new ThreadLocal<>();

    private TelegramMessenger(Builder b) {
        // the probe: one getMe, no retries; any answer of Telegram's but a 429 says it is back. Its caller knows the
        // breaker, so a failed probe is a DEBUG line, not a WARN every probe of an outage
        ApiCaller[] probe = new ApiCaller[1];
        this.outage = new TelegramOutage(b.ticker, b.retryAfterCap, () -> {
            ApiCaller.Outcome<?> o = probe[0].call(new GetMe(), true, null);
            return o.ok() || (o.kind() == ApiCaller.Kind.API_ERROR && o.errorCode() != 429);
        });
        probe[0] = new ApiCaller(b.bot, new ApiCaller.Policy(Duration.ZERO, 0, Duration.ZERO, b.firstBackoff),
                b.ticker, outage, ApiCaller.Turns.NONE);
        BooleanSupplier botTurn = b.retriesPacedBy;
        // the outbox paced the reply's first call; a retry, another form of it (an upload, its link) or a long text's
        // next part is a message more: sent at once, the calls after an outage went out above the bot's rate
        ApiCaller.Turns turns = () -> {
            if (attempts.get()[0]++ > 0 && !botTurn.getAsBoolean()) {
                throw new InterruptedException();
            }
        };
        this.api = new ApiCaller(b.bot, new ApiCaller.Policy(b.retryAfterCap, b.max429Retries, b.transientBudget,
                b.firstBackoff), b.ticker, outage, turns);
        this.answers = new ApiCaller(b.bot, new ApiCaller.Policy(min(b.retryAfterCap, ANSWER_RETRY_AFTER_CAP),
                Math.min(b.max429Retries, 1), min(b.transientBudget, ANSWER_RETRY_BUDGET), b.firstBackoff), b.ticker,
                outage, ApiCaller.Turns.NONE);
        this.limiter = new OutboundLimiter(b.limits, b.ticker);
        this.http = b.http != null ? new DownloadClient.Jdk(b.http) : new PinnedDownloadClient();
        this.downloads = b.downloads;
        this.stubBytes = b.stubBytes;
        this.downloadBytesMax = b.downloadBytesMax;
        this.downloadTimeout = b.downloadTimeout;
        this.token = b.bot.getToken();
    }

    public static Builder builder(TelegramBot bot) {
        return new Builder(bot);
    }

    /** The limiter in use (for metrics and tests). */
    public OutboundLimiter limiter() {
        return limiter;
    }

    /**
     * Held while Telegram itself is in trouble ({@link TelegramOutage}): a call that ended in doubt, Telegram
     * unreachable or answering 5xx for a call's whole retry budget, a 429 longer than {@link Builder#retryAfterCap} or
     * 429s for several chats within a second. The first sender to ask once the probe is due asks {@code getMe}, once.
     */
    @Override
    public Optional<Duration> heldFor() {
        return outage.heldFor();
    }

    /** Whether the bot-wide breaker is open: no message is tried until Telegram answers again (for metrics). */
    public boolean telegramInTrouble() {
        return outage.isOpen();
    }

    @Override
    public Delivery send(Reply reply) {
        Delivery d = deliver(reply);
        if (d instanceof Delivery.Sent && tokenRefused.compareAndSet(true, false)) {
            log.info("Telegram takes the bot token again: replies go out again");
        }
        return d;
    }

    private Delivery deliver(Reply reply) {
        try {
            if (reply instanceof Reply.AnswerCallback a) {
                return answerCallback(a);
            }
            if (reply instanceof Reply.AnswerPreCheckout p) {
                return answerPreCheckout(p);
            }
            if (reply instanceof Reply.ChatAction c) {
                return chatAction(c);
            }
            Delivery d = limiter.inLane(reply.chatId(), lane -> dispatch(reply, lane));
            Long moved = migratedTo.get();
            Optional<Reply> there = moved == null || moved == reply.chatId() ? Optional.empty() : inChat(reply, moved);
            if (d instanceof Delivery.Failed && there.isPresent()) {
                // Telegram says where the group went: sent there once (refused, dropped as before)
                migratedTo.remove();
                log.info("chat {} became a supergroup ({}): the reply goes there", Actor.mask(reply.chatId()),
                        Actor.mask(moved));
                return limiter.inLane(moved, lane -> dispatch(there.get(), lane));
            }
            return d;
        } catch (OutboundLimiter.Rejected e) {
            // Delivery.Failed refuses a null reason: an exception without a message is named by its class
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.warn("reply to chat {} not sent: {}", Actor.mask(reply.chatId()), why);
            return new Delivery.Failed(why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Delivery.Deferred(Duration.ZERO, "interrupted"); // stopping: it goes at the next start
        } catch (RuntimeException e) {
            String why = Redaction.describe(e, token);
            long chat = reply == null ? 0 : reply.chatId();
            if (Boolean.TRUE.equals(mayHaveGone.get())) {
                // as ApiCaller judges a call by all its tries and the Stars refund an exception after its request
                // went: a Failed result would go again as its link, or be refunded should the link fail, while the
                // user may have it; Uncertain sends nothing more and refunds nothing (a text is not sent again either
                // way)
                log.error("reply to chat {} failed unexpectedly after Telegram may have taken it; not sent again: {}",
                        Actor.mask(chat), why);
                return new Delivery.Uncertain("unexpected error after a request went, it may have been delivered: "
                        + why);
            }
            log.error("reply to chat {} failed unexpectedly: {}", Actor.mask(chat), why);
            return new Delivery.Failed("unexpected error: " + why);
        } finally {
            mayHaveGone.remove();
            attempts.remove();
            migratedTo.remove();
        }
    }

    /** {@code reply} sent to {@code chatId} instead: a new message only (an edit's message stayed in the old chat). */
    private static Optional<Reply> inChat(Reply reply, long chatId) {
        if (reply instanceof Reply.SendText t) {
            return Optional.of(new Reply.SendText(chatId, t.text(), t.keyboard(), t.topic()));
        }
        if (reply instanceof Reply.SendMedia m) {
            return Optional.of(new Reply.SendMedia(chatId, m.kind(), m.source(), m.caption(), m.keyboard(),
                    m.tooLarge()));
        }
        if (reply instanceof Reply.SendInvoice i) {
            return Optional.of(new Reply.SendInvoice(chatId, i.title(), i.description(), i.payload(), i.stars()));
        }
        if (reply instanceof Reply.UploadMedia u) {
            return Optional.of(new Reply.UploadMedia(chatId, u.kind(), u.content(), u.fileName(), u.caption(),
                    u.keyboard()));
        }
        return Optional.empty();
    }

    /** {@link ApiCaller#call} for a reply's message, noting one Telegram may have carried out ({@link #mayHaveGone}). */
    private <T extends BaseRequest<T, R>, R extends BaseResponse> ApiCaller.Outcome<R> call(BaseRequest<T, R> request,
                                                                                            boolean idempotent,
                                                                                            OutboundLimiter.Lane lane) {
        ApiCaller.Outcome<R> o = api.call(request, idempotent, lane);
        if (o.ok() || o.kind() == ApiCaller.Kind.AMBIGUOUS) {
            mayHaveGone.set(Boolean.TRUE);
        }
        return o;
    }

    private Delivery dispatch(Reply reply, OutboundLimiter.Lane lane) {
        if (reply instanceof Reply.SendText t) {
            return sendText(t, lane);
        }
        if (reply instanceof Reply.EditText e) {
            return editText(e, lane);
        }
        if (reply instanceof Reply.SendMedia m) {
            return sendMedia(m, lane);
        }
        if (reply instanceof Reply.SendInvoice i) {
            return sendInvoice(i, lane);
        }
        if (reply instanceof Reply.UploadMedia u) {
            return uploadMedia(u, lane);
        }
        return new Delivery.Failed("unsupported reply " + reply.getClass().getSimpleName());
    }

    // ---- text ----------------------------------------------------------------------------------

    /**
     * A text over 4096 characters goes as several messages. When one after the first cannot go yet (deferred: a long
     * 429, Telegram unreachable), the deferral carries the rest of the text, from the first message not sent: sent
     * again whole, the messages that had gone out reached the user twice.
     */
    private Delivery sendText(Reply.SendText t, OutboundLimiter.Lane lane) {
        long chatId = t.chatId();
        Keyboard keyboard = t.keyboard();
        String text = t.text() == null ? "" : t.text();
        List<TextLimits.Chunk> parts = TextLimits.chunks(text, TextLimits.MESSAGE);
        if (parts.isEmpty()) {
            parts = List.of(new TextLimits.Chunk(0, TextLimits.ELLIPSIS)); // Telegram refuses empty texts
        }
        Delivery last = null;
        for (int i = 0; i < parts.size(); i++) {
            SendMessage req = new SendMessage(chatId, parts.get(i).text());
            t.topic().ifPresent(req::messageThreadId);
            if (i == parts.size() - 1) {
                ReplyMarkup.attach(req, keyboard);
            }
            ApiCaller.Outcome<SendResponse> o = call(req, false, lane);
            last = sent(o, "sendMessage", chatId);
            if (i > 0 && last instanceof Delivery.Deferred deferred) {
                Reply rest = new Reply.SendText(chatId, text.substring(parts.get(i).start()), keyboard, t.topic());
                return new Delivery.Deferred(deferred.retryIn(), deferred.reason(), Optional.of(rest),
                        deferred.cause());
            }
            if (!(last instanceof Delivery.Sent)) {
                return last;
            }
        }
        return last;
    }

    private Delivery editText(Reply.EditText e, OutboundLimiter.Lane lane) {
        String text = TextLimits.truncate(e.text() == null || e.text().isEmpty() ? TextLimits.ELLIPSIS : e.text(),
                TextLimits.MESSAGE);
        // core's ids are long (a Discord snowflake is one); every id this messenger handed out is Telegram's int
        EditMessageText req = new EditMessageText(e.chatId(), Math.toIntExact(e.messageId()), text);
        ReplyMarkup.attach(req, e.keyboard());
        ApiCaller.Outcome<BaseResponse> o = call(req, true, lane);
        boolean notModified = o.kind() == ApiCaller.Kind.API_ERROR && o.errorCode() == 400
                && o.description().toLowerCase(Locale.ROOT).contains("message is not modified");
        if (o.ok() || notModified) {
            return new Delivery.Sent(Optional.of(e.messageId()), List.of());
        }
        boolean stopping = o.kind() == ApiCaller.Kind.INTERRUPTED || Thread.currentThread().isInterrupted();
        if (stopping && o.kind() == ApiCaller.Kind.API_ERROR && !noOtherFormFaresBetter(o)) {
            // not found, can't be edited: it surely did nothing, and the new message in its place waits for the next
            // start, where the edit goes again (a final failure lost a job's status, a refund's notice, at a stop)
            String reason = Redaction.redact(o.reason("editMessageText"), token) + "; stopping";
            log.info("edit in chat {} refused as the sender stops, it goes again at the next start: {}",
                    Actor.mask(e.chatId()), reason);
            return new Delivery.Deferred(Duration.ZERO, reason);
        }
        if (stopping || noOtherFormFaresBetter(o)) {
            // stopping: no new message now (an edit that may have gone before the stop is Uncertain, not sent again)
            return failure(o, "editMessageText", e.chatId());
        }
        // not found, can't be edited, or still failing after the retries: the status must not be lost (a Telegram
        // that cannot be reached at all defers the new message too, and the edit goes again later)
        log.info("edit in chat {} failed ({}), sending the text as a new message", Actor.mask(e.chatId()),
                Redaction.redact(o.reason("editMessageText"), token));
        return sendText(new Reply.SendText(e.chatId(), e.text(), e.keyboard()), lane);
    }

    // ---- callbacks, payments, actions (not paced: they are answers, not messages) ---------------

    private Delivery answerCallback(Reply.AnswerCallback a) {
        AnswerCallbackQuery req = new AnswerCallbackQuery(a.queryId());
        a.text().filter(t -> !t.isEmpty()).ifPresent(t -> req.text(TextLimits.truncate(t, TextLimits.CALLBACK_ANSWER)));
        if (a.alert()) {
            req.showAlert(true);
        }
        return answered(answers.call(req, true, null), "answerCallbackQuery", a.chatId());
    }

    private Delivery answerPreCheckout(Reply.AnswerPreCheckout p) {
        AnswerPreCheckoutQuery req = p.ok() ? new AnswerPreCheckoutQuery(p.queryId())
                : new AnswerPreCheckoutQuery(p.queryId(), p.error().filter(s -> !s.isBlank()).orElse("The payment cannot be accepted."));
        // a proxy's 5xx may follow a yes the Bot API behind it took (ApiCaller.ServerErrors): read as may have gone
        return answered(answers.call(req, true, ApiCaller.ServerErrors.MAY_FOLLOW_WORK, null),
                "answerPreCheckoutQuery", p.chatId());
    }

    /**
     * An answer's outcome: one that could not go within its window (Telegram unreachable, a long 429) is dropped,
     * logged at debug level (counted by the runner's {@code kiebot_replies_total{outcome="failed"}}), not a warning a
     * press during an outage; a refusal of Telegram's is logged as any, the bot token's once a spell.
     *
     * <p>{@link Delivery.Failed} only for an answer surely not taken (refused, never got through, a stop before any
     * try that may have gone); one whose call may have been carried out (the connection dropped after the request
     * went, a 504; for a pre-checkout's, any 5xx, which a proxy may answer after the Bot API behind it acted) is
     * {@link Delivery.Uncertain}: a pre-checkout's yes answered {@code Failed} had the chat told «no Stars were
     * charged, try again» with the package's button, though Telegram may have taken it and the user paid. A button's
     * 5xx stays {@code Failed}: the Bot API's own reading, and nothing hangs on it.
     */
    private Delivery answered(ApiCaller.Outcome<BaseResponse> o, String method, long chatId) {
        if (o.ok()) {
            return new Delivery.Sent(Optional.empty(), List.of());
        }
        if (o.tokenRefused() || (o.kind() == ApiCaller.Kind.API_ERROR && o.errorCode() != 429)) {
            return now(failure(o, method, chatId));
        }
        String reason = Redaction.redact(o.reason(method), token);
        if (o.kind() == ApiCaller.Kind.AMBIGUOUS
                || (o.kind() == ApiCaller.Kind.SERVER_ERROR && "answerPreCheckoutQuery".equals(method))) {
            log.debug("telegram {} for chat {} may have been taken, and is not sent again: {}", method,
                    Actor.mask(chatId), reason);
            return new Delivery.Uncertain(reason);
        }
        log.debug("telegram {} for chat {} did not go within its window and is dropped: {}", method,
                Actor.mask(chatId), reason);
        return new Delivery.Failed(reason);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * A chat action goes on the outbox's sender thread, outside the chat's lane: a 429 of its chat longer than a
     * second ends the call at once ({@link ApiCaller#callForChat}, the breaker told of the chat) and the action is
     * dropped, worth nothing later: answered {@code Sent} with no message id, as {@code Messenger.send} asks for a
     * reply the platform has no use for, so the outbox settles it with nothing to say (a {@code Failed} is a WARN of
     * the outbox's, one per result under its chat's 429: a chat action goes before each), and a DEBUG line here.
     * Before, the wait was slept out on the sender, up to a minute three times per action, while every other chat's
     * reply waited.
     */
    private Delivery chatAction(Reply.ChatAction c) {
        ApiCaller.Outcome<BaseResponse> o = api.callForChat(new SendChatAction(c.chatId(), action(c.activity())), true,
                c.chatId());
        if (o.ok()) {
            return new Delivery.Sent(Optional.empty(), List.of());
        }
        if (o.kind() == ApiCaller.Kind.API_ERROR && o.errorCode() == 429) {
            String reason = Redaction.redact(o.reason("sendChatAction"), token);
            log.debug("telegram sendChatAction for chat {} rate limited, dropped: {}", Actor.mask(c.chatId()), reason);
            return new Delivery.Sent(Optional.empty(), List.of());
        }
        return now(failure(o, "sendChatAction", c.chatId()));
    }

    /** Telegram's {@code sendChatAction} word for it; Telegram has no {@code upload_audio}, a voice message's stands in. */
    static String action(Activity activity) {
        return switch (activity) {
            case UPLOADING_PHOTO -> "upload_photo";
            case UPLOADING_VIDEO -> "upload_video";
            case UPLOADING_AUDIO -> "upload_voice";
            case UPLOADING_DOCUMENT -> "upload_document";
        };
    }

    /**
     * An answer (a button's, a pre-checkout's) or a chat action is worth nothing later: it is not deferred. A chat
     * action deferred would even hold the chat's queue for a "typing…" nobody needs any more.
     */
    private static Delivery now(Delivery d) {
        return d instanceof Delivery.Deferred deferred ? new Delivery.Failed(deferred.reason()) : d;
    }

    private Delivery sendInvoice(Reply.SendInvoice i, OutboundLimiter.Lane lane) {
        if (i.stars() <= 0 || i.stars() > Integer.MAX_VALUE) {
            return new Delivery.Failed("invoice amount out of range: " + i.stars());
        }
        String title = TextLimits.truncate(nonEmpty(i.title(), "Stars"), TextLimits.INVOICE_TITLE);
        String description = TextLimits.truncate(nonEmpty(i.description(), title), TextLimits.INVOICE_DESCRIPTION);
        SendInvoice req = new SendInvoice(i.chatId(), title, description, i.payload(), "XTR",
                List.of(new LabeledPrice(title, (int) i.stars()))).providerToken("").startParameter(INVOICE_START);
        return sent(call(req, false, lane), "sendInvoice", i.chatId());
    }

    // ---- media -----------------------------------------------------------------------------------

    private Delivery sendMedia(Reply.SendMedia m, OutboundLimiter.Lane lane) {
        String source = m.source() == null ? "" : m.source().trim();
        String caption = TextLimits.truncate(m.caption() == null ? "" : m.caption(), TextLimits.CAPTION);
        if (source.isEmpty()) {
            return new Delivery.Failed("media without a source");
        }
        if (source.startsWith(STUB_SCHEME)) {
            Optional<byte[]> bytes = safeStub(source);
            if (bytes.isPresent()) {
                String name = Downloads.fileName(source);
                Optional<Delivery> up = upload(m, caption, new UploadBody.InMemory(bytes.get()), name,
                        Downloads.mimeFromName(name), lane);
                if (up.isPresent()) {
                    return up.get();
                }
            } else {
                log.warn("stub media for chat {} not available", Actor.mask(m.chatId()));
            }
            return linkFallback(m, lane);
        }
        if (!source.contains("://")) {
            // a Telegram file id: no size limits, nothing to fall back to
            ApiCaller.Outcome<SendResponse> o = call(mediaRequest(m.kind(), m.chatId(), source, caption, m.keyboard()), false, lane);
            return sent(o, method(m.kind()), m.chatId());
        }
        ApiCaller.Outcome<SendResponse> byUrl = call(mediaRequest(m.kind(), m.chatId(), source, caption, m.keyboard()), false, lane);
        if (!byUrl.surelyNotDone() || noOtherFormFaresBetter(byUrl)) {
            // sent, may have arrived (never doubled), blocked, rate limited beyond patience, the token refused, or
            // interrupted
            return sent(byUrl, method(m.kind()), m.chatId());
        }
        if (byUrl.kind() != ApiCaller.Kind.API_ERROR) {
            // a Telegram that cannot be reached at all defers the link too, and the media goes again later
            log.warn("telegram kept failing to take the {} for chat {} ({}), sending the link", m.kind(),
                    Actor.mask(m.chatId()), byUrl.problem());
            return linkFallback(m, lane);
        }
        log.info("telegram could not fetch the {} for chat {} by URL ({}), uploading it", m.kind(),
                Actor.mask(m.chatId()), byUrl.description());
        Downloads.Saved saved;
        try {
            saved = Downloads.save(http, downloads, source, downloadBytesMax, downloadTimeout, token);
        } catch (Downloads.Gone e) {
            // neither Telegram nor we could fetch it, and its host says it is not there: its link would lead nowhere
            log.warn("the {} for chat {} is gone at its source: {}", m.kind(), Actor.mask(m.chatId()), e.getMessage());
            return new Delivery.Gone(e.getMessage());
        } catch (Downloads.TooLarge e) {
            // over what a bot may upload: the link is all Telegram can carry, with the shop's word on why
            log.info("the {} for chat {} is too large to upload ({}), sending the link", m.kind(),
                    Actor.mask(m.chatId()), e.getMessage());
            return linkFallback(m, lane, m.tooLarge());
        } catch (IOException e) {
            log.warn("download of a {} for chat {} failed: {}", m.kind(), Actor.mask(m.chatId()), e.getMessage());
            return linkFallback(m, lane);
        }
        try (saved) {
            String name = Downloads.fileName(source);
            Optional<String> type = saved.contentType().filter(t -> !t.equals("application/octet-stream"))
                    .or(() -> Downloads.mimeFromName(name));
            UploadBody body = new UploadBody.OnDisk(saved.file().toFile(), saved.sizeBytes());
            return upload(m, caption, body, name, type, lane).orElseGet(() -> linkFallback(m, lane));
        }
    }

    /** A file the bot made (the admins' chart): uploaded, with nothing to fall back to. */
    private Delivery uploadMedia(Reply.UploadMedia u, OutboundLimiter.Lane lane) {
        Reply.SendMedia as = new Reply.SendMedia(u.chatId(), u.kind(), u.fileName(), u.caption(), u.keyboard());
        String caption = TextLimits.truncate(u.caption(), TextLimits.CAPTION);
        return upload(as, caption, new UploadBody.InMemory(u.content()), u.fileName(), Downloads.mimeFromName(u.fileName()), lane)
                .orElseGet(() -> new Delivery.Failed("the upload of " + u.fileName() + " did not arrive"));
    }

    /** Uploads bytes; empty when they surely did not arrive (refused, or never got through): the caller sends the link. */
    private Optional<Delivery> upload(Reply.SendMedia m, String caption, UploadBody body, String name,
                                      Optional<String> type, OutboundLimiter.Lane lane) {
        MediaKind kind = m.kind();
        if (kind == MediaKind.PHOTO && body.sizeBytes() > PHOTO_UPLOAD_BYTES_MAX) {
            kind = MediaKind.DOCUMENT;
        }
        ApiCaller.Outcome<SendResponse> o = uploadAs(kind, m, caption, body, name, type, lane);
        if (kind == MediaKind.PHOTO && photoDimensionsRefused(o)) {
            // sides over 10000 px together or 20:1 (an upscaled result, a panorama): Telegram shows it only as a file
            log.info("telegram takes the image for chat {} as a file only ({}), uploading it as a document",
                    Actor.mask(m.chatId()), o.description());
            kind = MediaKind.DOCUMENT;
            o = uploadAs(kind, m, caption, body, name, type, lane);
        }
        if (o.surelyNotDone() && !noOtherFormFaresBetter(o)) {
            log.warn("the uploaded {} for chat {} did not arrive: {}", kind, Actor.mask(m.chatId()),
                    Redaction.redact(o.reason(method(kind)), token));
            return Optional.empty();
        }
        return Optional.of(sent(o, method(kind), m.chatId()));
    }

    private ApiCaller.Outcome<SendResponse> uploadAs(MediaKind kind, Reply.SendMedia m, String caption, UploadBody body,
                                                     String name, Optional<String> type, OutboundLimiter.Lane lane) {
        AbstractMultipartRequest<?> req = uploadRequest(kind, m.chatId(), body, caption, m.keyboard());
        req.fileName(name.isEmpty() || !name.contains(".") ? defaultName(kind) : name);
        type.ifPresent(req::contentType);
        return call(req, false, lane);
    }

    /** Telegram's refusal of a photo whose sides it will not show (telegram.md 1.6: width + height ≤ 10000, ≤ 20:1). */
    private static boolean photoDimensionsRefused(ApiCaller.Outcome<?> o) {
        return o.kind() == ApiCaller.Kind.API_ERROR && o.errorCode() == 400
                && o.description().toUpperCase(Locale.ROOT).contains("PHOTO_INVALID_DIMENSIONS");
    }

    /** 403, 429 beyond patience, the token refused: no other form of the reply would fare better. */
    private static boolean noOtherFormFaresBetter(ApiCaller.Outcome<?> o) {
        return (o.kind() == ApiCaller.Kind.API_ERROR && (o.errorCode() == 403 || o.errorCode() == 429))
                || o.tokenRefused();
    }

    private Delivery linkFallback(Reply.SendMedia m, OutboundLimiter.Lane lane) {
        return linkFallback(m, lane, Optional.empty());
    }

    /** The caption and the link, with {@code why} (the shop's words, in the user's language) just above the link. */
    private Delivery linkFallback(Reply.SendMedia m, OutboundLimiter.Lane lane, Optional<String> why) {
        String caption = m.caption() == null ? "" : m.caption().trim();
        String link = m.source().startsWith(STUB_SCHEME) ? "" : m.source();
        if (!link.isEmpty()) {
            link = why.map(String::strip).filter(w -> !w.isEmpty()).map(w -> w + "\n" + m.source()).orElse(link);
        }
        String text = caption.isEmpty() ? link : link.isEmpty() ? caption : caption + "\n\n" + link;
        return sendText(new Reply.SendText(m.chatId(), text, m.keyboard()), lane);
    }

    private Optional<byte[]> safeStub(String source) {
        try {
            Optional<byte[]> b = stubBytes.apply(source);
            return b == null ? Optional.empty() : b.filter(x -> x.length > 0 && x.length <= downloadBytesMax);
        } catch (RuntimeException e) {
            log.warn("stub media supplier failed: {}", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    private static AbstractMultipartRequest<?> mediaRequest(MediaKind kind, long chatId, String urlOrId, String caption,
                                                           Keyboard keyboard) {
        AbstractMultipartRequest<?> r = switch (kind) {
            case PHOTO -> new SendPhoto(chatId, urlOrId).caption(caption);
            case VIDEO -> new SendVideo(chatId, urlOrId).caption(caption).supportsStreaming(true);
            case AUDIO -> new SendAudio(chatId, urlOrId).caption(caption);
            default -> new SendDocument(chatId, urlOrId).caption(caption);
        };
        ReplyMarkup.attach(r, keyboard);
        return r;
    }

    private static AbstractMultipartRequest<?> uploadRequest(MediaKind kind, long chatId, UploadBody body, String caption,
                                                            Keyboard keyboard) {
        // pengrad takes a file or bytes through separate constructors; a file is streamed from disk
        AbstractMultipartRequest<?> r = switch (kind) {
            case PHOTO -> (body instanceof UploadBody.OnDisk d ? new SendPhoto(chatId, d.file())
                    : new SendPhoto(chatId, ((UploadBody.InMemory) body).bytes())).caption(caption);
            case VIDEO -> (body instanceof UploadBody.OnDisk d ? new SendVideo(chatId, d.file())
                    : new SendVideo(chatId, ((UploadBody.InMemory) body).bytes())).caption(caption).supportsStreaming(true);
            case AUDIO -> (body instanceof UploadBody.OnDisk d ? new SendAudio(chatId, d.file())
                    : new SendAudio(chatId, ((UploadBody.InMemory) body).bytes())).caption(caption);
            default -> (body instanceof UploadBody.OnDisk d ? new SendDocument(chatId, d.file())
                    : new SendDocument(chatId, ((UploadBody.InMemory) body).bytes())).caption(caption);
        };
        ReplyMarkup.attach(r, keyboard);
        return r;
    }

    private static String method(MediaKind kind) {
        return switch (kind) {
            case PHOTO -> "sendPhoto";
            case VIDEO -> "sendVideo";
            case AUDIO -> "sendAudio";
            default -> "sendDocument";
        };
    }

    private static String defaultName(MediaKind kind) {
        return switch (kind) {
            case PHOTO -> "image.jpg";
            case VIDEO -> "video.mp4";
            case AUDIO -> "audio.mp3";
            default -> "file.bin";
        };
    }

    // ---- helpers ---------------------------------------------------------------------------------

    /**
     * Core keyboard to pengrad's inline keyboard: callback or URL buttons, rows kept. Requests take the keyboard as
     * {@link ReplyMarkup}'s text, which is what pengrad's Gson writes of this (ReplyMarkupTest).
     */
    static InlineKeyboardMarkup markup(Keyboard keyboard) {
        InlineKeyboardMarkup mk = new InlineKeyboardMarkup();
        for (List<Button> row : keyboard.rows()) {
            if (row.isEmpty()) {
                continue;
            }
            List<InlineKeyboardButton> buttons = new ArrayList<>();
            for (Button b : row) {
                InlineKeyboardButton ib = new InlineKeyboardButton(b.text());
                if (b.url().isPresent()) {
                    ib.url(b.url().get());
                } else {
                    ib.callbackData(b.data().orElse(""));
                }
                buttons.add(ib);
            }
            mk.addRow(buttons.toArray(new InlineKeyboardButton[0]));
        }
        return mk;
    }

    private Delivery sent(ApiCaller.Outcome<SendResponse> o, String method, long chatId) {
        if (!o.ok()) {
            return failure(o, method, chatId);
        }
        Message msg = o.response().message();
        return new Delivery.Sent(Optional.ofNullable(msg == null ? null : msg.messageId()).map(Integer::longValue),
                fileIds(msg));
    }

    /**
     * What a call that did not succeed means for its reply. Telegram unreachable for the whole retry budget, a 429
     * beyond our patience, the bot token refused, or a stop mid-wait: it surely did not arrive and may later, so it is
     * deferred (the shop sends it again then; before, it was dropped as failed, and a result made during an outage of
     * a minute was lost with its link and its "done" status).
     */
    private Delivery failure(ApiCaller.Outcome<?> o, String method, long chatId) {
        if (o.kind() == ApiCaller.Kind.API_ERROR && o.errorCode() == 403) {
            // DEBUG: the reply sender's line says it once for the chat's dropped queue, a broadcast's final line
            // counts its recipients so (one INFO per blocked recipient filled a broadcast's log)
            log.debug("chat {} is unreachable ({}): {}", Actor.mask(chatId), method, o.description());
            return new Delivery.Blocked();
        }
        String reason = Redaction.redact(o.reason(method), token);
        if (o.kind() == ApiCaller.Kind.API_ERROR && o.errorCode() == 400 && o.response().parameters() != null
                && o.response().parameters().migrateToChatId() != null) {
            migratedTo.set(o.response().parameters().migrateToChatId());
        }
        if (o.tokenRefused()) {
            // no final failure: the token comes back (the bot restarted with the new one, or this one put right), and
            // the reply waits for it in the outbox with the outage's growing pauses, as long as the outbox keeps any
            if (tokenRefused.compareAndSet(false, true)) {
                log.error("Telegram refused the bot token ({}) on {}: every reply waits and is sent again later, once "
                        + "Telegram takes the bot's token; a token revoked in @BotFather: restart the bot with the new "
                        + "one", o.errorCode(), method);
            } else {
                log.debug("telegram {} to chat {} refused the token again: {}", method, Actor.mask(chatId), reason);
            }
            return new Delivery.Deferred(OUTAGE_RETRY, reason);
        }
        boolean rateLimited = o.kind() == ApiCaller.Kind.API_ERROR && o.errorCode() == 429;
        if (rateLimited || (outage.isOpen() && o.kind() != ApiCaller.Kind.API_ERROR)) {
            // said once, opening; a 429 by the call, at INFO (a chat's pause, deferred: the chat's pace, no fault) or
            // WARN (given up after its retries): a WARN more per reply buried the ones that need an operator
            log.debug("telegram {} to chat {} failed: {}", method, Actor.mask(chatId), reason);
        } else {
            log.warn("telegram {} to chat {} failed: {}", method, Actor.mask(chatId), reason);
        }
        return switch (o.kind()) {
            case AMBIGUOUS -> new Delivery.Uncertain(reason);
            case NOT_SENT, SERVER_ERROR -> new Delivery.Deferred(OUTAGE_RETRY, reason);
            case INTERRUPTED -> new Delivery.Deferred(Duration.ZERO, reason);
            // a 429 is Telegram's pace, not its trouble: core says it at debug, not a warning per reply
            case API_ERROR -> o.errorCode() == 429 ? Delivery.Deferred.pacedByPlatform(o.retryAfter(), reason)
                    : new Delivery.Failed(reason);
            case OK -> throw new IllegalStateException("a call that succeeded is not a failure");
        };
    }

    /** File ids of the media in a sent message (the largest photo size only). */
    static List<String> fileIds(Message m) {
        List<String> ids = new ArrayList<>();
        if (m == null) {
            return ids;
        }
        PhotoSize[] photo = m.photo();
        if (photo != null && photo.length > 0) {
            PhotoSize best = photo[photo.length - 1];
            for (PhotoSize p : photo) {
                long a = (long) Objects.requireNonNullElse(p.width(), 0) * Objects.requireNonNullElse(p.height(), 0);
                long b = (long) Objects.requireNonNullElse(best.width(), 0) * Objects.requireNonNullElse(best.height(), 0);
                if (a > b) {
                    best = p;
                }
            }
            ids.add(best.fileId());
        }
        if (m.video() != null) {
            ids.add(m.video().fileId());
        }
        if (m.animation() != null) {
            ids.add(m.animation().fileId());
        }
        if (m.audio() != null) {
            ids.add(m.audio().fileId());
        }
        if (m.voice() != null) {
            ids.add(m.voice().fileId());
        }
        if (m.document() != null && m.animation() == null) {
            ids.add(m.document().fileId());
        }
        ids.removeIf(Objects::isNull);
        return ids;
    }

    private static String nonEmpty(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }

    /** Configuration; every value has a production default. */
    public static final class Builder {
        private final TelegramBot bot;
        private OutboundLimiter.Settings limits = OutboundLimiter.Settings.pacedByTheOutbox();
        private Duration retryAfterCap = Duration.ofSeconds(60);
        private int max429Retries = 3;
        private Duration transientBudget = Duration.ofSeconds(ApiCaller.TRANSIENT_RETRY_BUDGET_SECONDS);
        private Duration firstBackoff = Duration.ofMillis(ApiCaller.FIRST_BACKOFF_MILLIS);
        private HttpClient http;
        private RedirectGuard downloads = new RedirectGuard().forUrlsFromTheInternet();
        private Function<String, Optional<byte[]>> stubBytes = s -> Optional.empty();
        private long downloadBytesMax = 50L * 1024 * 1024;
        private Duration downloadTimeout = Duration.ofMinutes(2);
        private OutboundLimiter.Ticker ticker = OutboundLimiter.Ticker.SYSTEM;
        private BooleanSupplier retriesPacedBy = () -> true;

        private Builder(TelegramBot bot) {
            this.bot = Objects.requireNonNull(bot, "bot");
        }

        /**
         * Rates and queue bounds. Default: {@link OutboundLimiter.Settings#pacedByTheOutbox()}, for the messenger of a
         * core {@code Shop}, whose outbox paces every chat and the whole bot; a messenger used without that outbox
         * takes {@link OutboundLimiter.Settings#telegramDefaults()}.
         */
        public Builder limits(OutboundLimiter.Settings s) {
            this.limits = Objects.requireNonNull(s);
            return this;
        }

        /** Longest {@code retry_after} we wait for; a longer demand fails the reply (default 60 s). */
        public Builder retryAfterCap(Duration cap) {
            this.retryAfterCap = Objects.requireNonNull(cap);
            return this;
        }

        /** How many 429 answers one call may get before it fails (default 3). */
        public Builder max429Retries(int n) {
            this.max429Retries = n;
            return this;
        }

        /**
         * How long transient failures of one call are retried, counted from its first failure, and the first
         * pause (doubling; default {@value ApiCaller#TRANSIENT_RETRY_BUDGET_SECONDS} s and
         * {@value ApiCaller#FIRST_BACKOFF_MILLIS} ms).
         */
        public Builder transientRetries(Duration budget, Duration firstBackoff) {
            this.transientBudget = Objects.requireNonNull(budget);
            this.firstBackoff = Objects.requireNonNull(firstBackoff);
            return this;
        }

        /**
         * The HTTP client used to download media when Telegram cannot fetch a URL itself (a URL on the internet only,
         * unless told where they come from: {@link #mediaUrlsFrom}). Its redirects are followed
         * by {@link RedirectGuard}, each hop checked, when it follows none itself ({@code HttpClient}'s default); one
         * that does has asked them before the check, which then only keeps their body from the chat. It looks each
         * host up again when it connects, so a DNS answering the check and the connection differently (DNS rebinding)
         * leads it where the check did not look. Default, when not called: the bot's own client, which connects only
         * to the addresses each hop's check saw, with no proxy.
         */
        public Builder downloadClient(HttpClient client) {
            this.http = client;
            return this;
        }

        /**
         * Where the media URLs come from (the generation provider's API: {@code KIE_BASE_URL} for Kie's results). A
         * media URL the bot downloads then reaches no further inward than that host
         * ({@link RedirectGuard#forUrlsFrom}): with the provider on the internet, a result's URL on this machine, the
         * private network or a cloud's metadata address is not fetched, and its link is sent as for any download that
         * failed; with the provider on this machine (a test's fake on 127.0.0.1, a local server), its URLs may be
         * there or anywhere else the redirect rules allow.
         *
         * <p>Default, when not called: the URLs are taken as coming from a host on the internet
         * ({@link RedirectGuard#forUrlsFromTheInternet}), so a media URL on this machine, the private network, a
         * link-local (metadata) or any other address that is not the internet's is never downloaded: its link is sent.
         * A messenger cannot know where its replies' URLs were found, and a provider's answer naming
         * {@code http://127.0.0.1:9000/admin} had that page's body sent into a user's chat. There is no opt-out beyond
         * this method: a provider (or a mirror) on this machine or the private network is named here, and
         * {@code mediaUrlsFrom(URI.create("http://127.0.0.1"))} trusts every first URL as far as the redirect rules
         * allow.
         */
        public Builder mediaUrlsFrom(URI source) {
            this.downloads = new RedirectGuard().forUrlsFrom(source);
            return this;
        }

        /** Largest media download for the upload fallback (default 50 MB, Telegram's upload limit). */
        public Builder downloadLimits(long bytesMax, Duration timeout) {
            this.downloadBytesMax = bytesMax;
            this.downloadTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** Serves the bytes of {@code stub://} sources (the offline stub provider's results). */
        public Builder stubBytes(Function<String, Optional<byte[]>> supplier) {
            this.stubBytes = Objects.requireNonNull(supplier);
            return this;
        }

        /**
         * The bot's pace (core's {@code BotPacing::awaitTurn}: false when interrupted), taken before each call of a
         * reply after its first (a retry, another form of it, a long text's next part). Core paced the first; without
         * this, the in-call retries after an outage went out at once, above the bot's rate. Default: none.
         */
        public Builder retriesPacedBy(BooleanSupplier awaitTurn) {
            this.retriesPacedBy = Objects.requireNonNull(awaitTurn);
            return this;
        }

        Builder ticker(OutboundLimiter.Ticker t) {
            this.ticker = Objects.requireNonNull(t);
            return this;
        }

        public TelegramMessenger build() {
            return new TelegramMessenger(this);
        }
    }
}
