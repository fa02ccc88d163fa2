package dev.kiebot.core.shop;

import dev.kiebot.core.catalog.Pricing;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Button;
import dev.kiebot.core.conversation.CallbackData;
import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.Conversation;
import dev.kiebot.core.conversation.Delivery;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.Keyboard;
import dev.kiebot.core.conversation.Messenger;
import dev.kiebot.core.conversation.Reply;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.conversation.Step;
import dev.kiebot.core.intake.Admission;
import dev.kiebot.core.jobs.Job;
import dev.kiebot.core.jobs.JobId;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import dev.kiebot.core.users.Users;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Handles one incoming update end to end: knows the user, runs the conversation, carries out
 * its effects and sends every reply. Never throws: a failure becomes a polite reply carrying a
 * correlation id that is also in the log.
 */
public final class Storefront {
    private static final System.Logger LOG = System.getLogger(Storefront.class.getName());

    private final Stores stores;
    private final Pricing pricing;
    private final Texts texts;
    private final ShopSettings settings;
    private final Clock clock;
    private final Messenger messenger;
    private final Conversation conversation;
    private final Generations generations;
    private final TopUps topUps;
    private final AdminConsole admin;

    public Storefront(Stores stores, Pricing pricing, Texts texts, ShopSettings settings, Clock clock,
                      Messenger messenger, Conversation conversation, Generations generations, TopUps topUps,
                      AdminConsole admin) {
        this.stores = stores;
        this.pricing = pricing;
        this.texts = texts;
        this.settings = settings;
        this.clock = clock;
        this.messenger = messenger;
        this.conversation = conversation;
        this.generations = generations;
        this.topUps = topUps;
        this.admin = admin;
    }

    public void handle(Incoming in) {
        Actor actor = in.actor();
        String correlation = "upd_" + in.updateId();
        List<Reply> replies = new ArrayList<>();
        String language = "ru";
        try {
            Users.Seen seen = stores.users().seen(actor.userId(), actor.firstName(), actor.username(),
                    actor.languageCode(), clock.instant());
            User user = seen.user();
            language = user.language();
            if (seen.created()) {
                replies.addAll(topUps.welcome(user, actor.chatId()));
            }
            if (user.blocked() && !(in.event() instanceof Event.MembershipChanged)) {
                stores.users().setBlocked(user.id(), false);
            }
            Optional<List<Reply>> refused = refusal(user, actor.chatId(), in.event());
            if (refused.isPresent()) {
                replies.addAll(refused.get());
                send(replies);
                return;
            }
            ChatSession session = stores.chatStates().load(actor.chatId()).orElseGet(ChatSession::initial);
            Step step = conversation.handle(session, in, new StoreContext(user, stores, settings, clock));
            if (!step.session().equals(session)) {
                stores.chatStates().save(actor.chatId(), step.session());
            }
            replies.addAll(step.replies());
            for (Effect e : step.effects()) {
                replies.addAll(execute(user, actor.chatId(), in.updateId(), e));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, correlation + ": handling failed for user " + Actor.mask(actor.userId()),
                    e);
            replies.add(new Reply.SendText(actor.chatId(), texts.get(language, Msg.ERROR_INTERNAL, correlation),
                    Keyboard.of(List.of(Button.callback(texts.get(language, Msg.MENU_HOME),
                            CallbackData.evergreen("m", ""))))));
        }
        send(replies);
    }

    /**
     * The per-user inbound limit and repeated-press rule, checked once per action a user takes (payments,
     * refunds and membership changes are Telegram's, never refused). @return the only replies, if refused
     */
    private Optional<List<Reply>> refusal(User user, long chatId, Event event) {
        if (event instanceof Event.PreCheckout || event instanceof Event.SuccessfulPayment
                || event instanceof Event.RefundedPayment || event instanceof Event.MembershipChanged) {
            return Optional.empty();
        }
        Optional<Event.Callback> press = event instanceof Event.Callback cb ? Optional.of(cb) : Optional.empty();
        Admission a = stores.admissions().admit(user.id(), press.map(Event.Callback::data)
                        .filter(d -> d.length() <= Button.MAX_DATA_BYTES), clock.instant(),
                settings.admissionFor(user.id()));
        if (a instanceof Admission.Admitted) {
            return Optional.empty();
        }
        Optional<String> say = a instanceof Admission.TooFast f && f.tell()
                ? Optional.of(texts.get(user.language(), Msg.RATE_LIMITED, Math.max(1, f.retryAfter().toSeconds())))
                : Optional.empty();
        if (press.isPresent()) {
            return Optional.of(List.of(new Reply.AnswerCallback(chatId, press.get().queryId(), say, false)));
        }
        return Optional.of(say.<List<Reply>>map(t -> List.of(new Reply.SendText(chatId, t, Keyboard.NONE)))
                .orElse(List.of()));
    }

    /** Sends in order; a chat that turns out blocked gets nothing more (private chat id = user id). */
    private void send(List<Reply> replies) {
        java.util.Set<Long> blocked = new java.util.HashSet<>();
        for (Reply r : replies) {
            if (blocked.contains(r.chatId())) {
                continue;
            }
            if (messenger.send(r) instanceof Delivery.Blocked) {
                blocked.add(r.chatId());
                stores.users().setBlocked(r.chatId(), true);
            }
        }
    }

    private List<Reply> execute(User user, long chatId, long updateId, Effect e) {
        String lang = user.language();
        if (e instanceof Effect.StartJob s) {
            return start(user, chatId, s);
        } else if (e instanceof Effect.IssueInvoice i) {
            return List.of(topUps.invoice(user, chatId, i));
        } else if (e instanceof Effect.AcceptTerms) {
            stores.users().acceptTerms(user.id());
        } else if (e instanceof Effect.SetLanguage l) {
            stores.users().setLanguage(user.id(), l.language());
        } else if (e instanceof Effect.CancelJob c) {
            if (!generations.cancel(c.job())) {
                return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.JOB_NOT_CANCELLABLE, c.job().display()),
                        Keyboard.NONE));
            }
        } else if (e instanceof Effect.ResendJob r) {
            return resend(lang, chatId, r.job());
        } else if (e instanceof Effect.AnswerPreCheckout p) {
            return List.of(topUps.preCheckout(user, chatId, p));
        } else if (e instanceof Effect.CreditStars c) {
            return topUps.credit(user, chatId, updateId, c);
        } else if (e instanceof Effect.RecordStarsRefund r) {
            return List.of(topUps.refunded(user, chatId, r));
        } else if (e instanceof Effect.SetBlocked b) {
            stores.users().setBlocked(user.id(), b.blocked());
        } else if (e instanceof Effect.Admin a) {
            return admin.handle(user, chatId, updateId, a.command(), a.args());
        } else if (e instanceof Effect.QueueBroadcast q) {
            return admin.queueBroadcast(user, chatId, q);
        } else if (e instanceof Effect.CancelBroadcast c) {
            return admin.cancelBroadcast(user, chatId, c);
        }
        return List.of();
    }

    private List<Reply> start(User user, long chatId, Effect.StartJob s) {
        String lang = user.language();
        Generations.Start result = generations.start(user, chatId, s);
        Keyboard home = Keyboard.of(List.of(Button.callback(texts.get(lang, Msg.MENU_HOME),
                CallbackData.evergreen("m", ""))));
        if (result instanceof Generations.Start.Insufficient i) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.INSUFFICIENT_FUNDS, pricing.format(i.price()),
                    pricing.format(i.balance())), Keyboard.of(List.of(
                    Button.callback(texts.get(lang, Msg.MENU_TOPUP), CallbackData.evergreen("T", "")),
                    Button.callback(texts.get(lang, Msg.MENU_HOME), CallbackData.evergreen("m", ""))))));
        }
        if (result instanceof Generations.Start.FreeLimitReached) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.FREE_LIMIT_REACHED), home));
        }
        if (!(result instanceof Generations.Start.Started started)) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.MODEL_UNKNOWN), home));
        }
        Job job = started.job();
        String paid = job.free() ? "🆓" : texts.get(lang, Msg.CONFIRM_PRICE, pricing.format(job.price()));
        String text = texts.get(lang, Msg.JOB_QUEUED, job.id().display(), generations.title(job), paid);
        Keyboard cancel = Keyboard.of(List.of(Button.callback(texts.get(lang, Msg.BUTTON_CANCEL_JOB),
                CallbackData.evergreen("q", job.id().display()))));
        // sent now (not queued with the other replies) so its message id can be kept for edits
        Delivery d = messenger.send(new Reply.SendText(chatId, text, cancel));
        d.messageId().ifPresent(id -> rememberStatusMessage(job.id(), id));
        return List.of();
    }

    private void rememberStatusMessage(JobId id, int messageId) {
        for (int i = 0; i < 8; i++) {
            Optional<Job> current = stores.jobs().find(id);
            if (current.isEmpty() || current.get().statusMessageId().isPresent()
                    || stores.jobs().update(current.get().withStatusMessage(messageId)).isPresent()) {
                return;
            }
        }
    }

    private List<Reply> resend(String lang, long chatId, JobId id) {
        Optional<Job> job = stores.jobs().find(id);
        if (job.isEmpty() || job.get().result().isEmpty()) {
            return List.of(new Reply.SendText(chatId, texts.get(lang, Msg.JOB_NOT_FOUND, id.display()), Keyboard.NONE));
        }
        Job j = job.get();
        String caption = texts.get(lang, Msg.JOB_RESULT_CAPTION, j.id().display(), generations.title(j));
        List<String> sources = stores.jobs().deliveredFileIds(id);
        if (sources.isEmpty()) {
            sources = j.result().get().urls();
        }
        List<Reply> out = new ArrayList<>();
        for (String source : sources) {
            out.add(new Reply.SendMedia(chatId, j.result().get().kind(), source, caption, Keyboard.NONE));
        }
        return out;
    }
}
