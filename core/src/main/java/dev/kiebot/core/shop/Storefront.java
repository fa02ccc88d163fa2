package dev.kiebot.core.shop;

import dev.kiebot.core.audit.AuditEvent;
import dev.kiebot.core.catalog.FreeTier;
import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.ChatSessions;
import dev.kiebot.core.conversation.Conversation;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.Invitation;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.conversation.Step;
import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import dev.kiebot.core.users.Users;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Handles one incoming update end to end: knows the user, checks the inbound limit, runs the conversation,
 * carries out its effects and sends every reply through the {@link Outbox}. A failure is rolled back and becomes a
 * polite reply carrying a correlation id that is also in the log (a pre-checkout's: its refusal), unless the
 * database connection was lost ({@link ConnectionLoss}) or the transaction kept meeting concurrent ones
 * ({@link Contention}): then {@link #serve} throws, as when even that reply cannot be stored (see there). A
 * partner calls {@link #serve}; a runner that claims updates in a transaction of its
 * own calls its two halves, {@link #handle} and {@link #apologize}.
 */
public final class Storefront {
    /** Audited when an update's handling failed and the user was given its code ({@code upd_<id>}) to quote. */
    static final String HANDLING_FAILED = "update.failed";
    private static final System.Logger LOG = System.getLogger(Storefront.class.getName());

    private final Stores stores;
    private final Texts texts;
    private final ShopSettings settings;
    private final Clock clock;
    private final Outbox outbox;
    private final Conversation conversation;
    private final InboundLimit limit;
    private final TopUps topUps;
    private final Referrals referrals;
    private final Effects effects;
    private final PrivateChatsOnly privateChats;
    private final ChatSessions sessions;
    private final BannedUsers banned;
    private final FreeTier freeTier;
    /** Results dropped while the user had blocked the bot: told at his return. */
    private final UnsentResults unsent;

    Storefront(Stores stores, Texts texts, ShopSettings settings, Clock clock, Outbox outbox, Conversation conversation,
               TopUps topUps, Effects effects, BotAddress bot, Referrals referrals, FreeTier freeTier,
               UnsentResults unsent) {
        this.stores = stores;
        this.unsent = unsent;
        this.freeTier = freeTier;
        this.texts = texts;
        this.settings = settings;
        this.clock = clock;
        this.outbox = outbox;
        this.conversation = conversation;
        this.limit = new InboundLimit(stores, settings, texts, clock);
        this.topUps = topUps;
        this.referrals = referrals;
        this.effects = effects;
        this.privateChats = new PrivateChatsOnly(texts, stores.users(), stores.admissions(), clock, bot);
        this.sessions = new ChatSessions(stores.chatStates());
        this.banned = new BannedUsers(texts, sessions, stores.manualTopUps(), settings.adminIds());
    }

    /** Who carries out the conversation's effects: this package's tests hand it one no screen emits. */
    Effects effects() {
        return effects;
    }

    /**
     * Handles one update: the work runs in one transaction; if anything fails it is rolled back and the user gets a
     * polite answer with a correlation id that is also in the log. For a caller that claims updates in its own
     * transaction (the runtime's dispatcher), {@link #handle} and {@link #apologize} are the two halves.
     *
     * <p>It throws when the database connection was lost while handling ({@link ConnectionLoss}: a pool's timeout, a
     * dropped session), or when its transaction was aborted by a deadlock or serialization failure past your
     * {@code Transactions}' own retries ({@link Contention}), with no apology: the update was rolled back whole and is
     * to be handled again, not given up (a Stars payment given up is not credited, and waits for an admin's refund).
     * It throws as well when the apology cannot be stored either. Either way nothing of the update was kept, so do not
     * count it as handled — let the platform deliver it again, or leave it pending in your inbox for a later try (for
     * {@link Contention}, a bounded number of tries, then {@link #apologize}: one that always meets it would hold its
     * chat for good).
     *
     * <p>Call it outside a transaction (inside one that {@link Transactions#active} reports, it throws
     * {@code IllegalStateException}), from any thread: updates of different chats may be served at once, but those of
     * one chat one at a time and in order (the chat's state is read and written whole, so two at once lose one), and
     * each update once: record update ids first ({@code ProcessedUpdates}, which also hands a chat's updates out one at
     * a time). The replies are queued; {@link ShopWork} (or your own sender) delivers them.
     *
     * <p>Core believes the update: who sent it ({@code Actor.userId}: whose wallet, whether an admin) and a payment
     * ({@code Event.SuccessfulPayment}: a balance credited) are taken on your word. Authenticate your door before you
     * serve what came through it: Telegram's webhook sends the {@code secret_token} you registered in the
     * {@code X-Telegram-Bot-Api-Secret-Token} header (compare it in constant time, as kiebot's runner does, and refuse
     * the request without it); long polling reads from Telegram itself. An open door lets anyone act as any user, an
     * admin among them, and credit himself Stars he never paid.
     *
     * @param in the update as your platform adapter made it: its id, who sent it, in what chat, and what happened
     * @throws IllegalStateException inside a transaction
     * @throws RuntimeException      when the database connection was lost ({@link ConnectionLoss#in} is true), the
     *                               transaction kept meeting concurrent ones ({@link Contention#in} is true), or
     *                               even the apology could not be stored: nothing of the update was kept
     */
    public void serve(Incoming in) {
        java.util.Objects.requireNonNull(in, "storefront().serve: the update as an Incoming (new Incoming(updateId, "
                + "actor, event)), never null");
        if (stores.transactions().active()) {
            // joined to the caller's transaction, a failed update's rollback would undo nothing: its writes (a new
            // user's welcome bonus among them) would commit with the caller's, beside the apology
            throw new IllegalStateException("storefront().serve was called inside a transaction, where a failure "
                    + "cannot be rolled back: call serve outside any transaction, or, to handle an update inside "
                    + "your own (with your record of it), call storefront().handle(in) there and, after that "
                    + "transaction rolled back, storefront().apologize(in) in a new one");
        }
        try {
            stores.transactions().inOne(() -> {
                handle(in);
                return null;
            });
        } catch (RuntimeException e) {
            if (ConnectionLoss.in(e)) {
                // rolled back with the session: handled again from the same state once the database answers. An
                // apology would end it for good: a Stars payment's would be kept as not credited, for an admin's refund
                LOG.log(System.Logger.Level.WARNING, "upd_" + in.updateId() + ": the database connection was lost "
                        + "while handling it; rolled back, not answered, to be handled again");
                throw e;
            }
            if (Contention.in(e)) {
                // a deadlock or serialization failure past the transaction's own retries: another transaction's
                // timing, not the update's fault, so it goes through when handled again. Its apology would keep a
                // Stars payment not credited, for an admin's refund
                LOG.log(System.Logger.Level.WARNING, "upd_" + in.updateId() + ": its transaction kept meeting "
                        + "concurrent ones (deadlock or serialization failure); rolled back, not answered, to be "
                        + "handled again");
                throw e;
            }
            LOG.log(System.Logger.Level.ERROR, "upd_" + in.updateId() + ": handling failed for user "
                    + Actor.mask(in.actor().userId()) + "; rolled back", e);
            stores.transactions().inOne(() -> {
                apologize(in);
                return null;
            });
        }
    }

    /**
     * Handles one update: refuses chats other than private ones ({@link PrivateChatsOnly}), knows the user, checks the
     * inbound limit and whether an admin banned him ({@link BannedUsers}), runs the conversation, carries out its
     * effects and queues every reply. Run it inside a transaction: if it throws, roll back and {@link #apologize}.
     * Calls nothing outside the stores (replies are queued), so the transaction may be run again after the database
     * aborted it.
     *
     * @param received the update, to be handled once: the caller's claim of its id commits in the same transaction
     * @throws RuntimeException what failed; the caller's transaction must then roll back
     */
    public void handle(Incoming received) {
        java.util.Objects.requireNonNull(received, "storefront().handle: the update as an Incoming, never null");
        Optional<Incoming> served = privateChats.served(received);
        if (served.isEmpty()) {
            outbox.sendAll(privateChats.answer(received), received.receivedAt());
            return;
        }
        Incoming in = served.get();
        Actor actor = in.actor();
        Users.Seen seen = stores.users().seen(actor.userId(), actor.firstName(), actor.username(),
                actor.languageCode(), clock.instant());
        User user = seen.user();
        Optional<Long> bonus = seen.created() ? topUps.welcome(user) : Optional.empty();
        Invitation invitation = referrals.arrived(user, seen.created(), in.event());
        // any update of his but his leaving says he is back (the conversation records a membership change, unless
        // refused); Telegram's notice of a refund is a service message, sent to a chat that may still block the bot
        boolean back = user.blocked() && !(in.event() instanceof Event.MembershipChanged m && m.blocked())
                && !(in.event() instanceof Event.RefundedPayment);
        if (back) {
            stores.users().setBlocked(user.id(), false);
        }
        Optional<List<Reply>> refused = limit.refuse(user, actor.chatId(), in.event())
                .or(() -> banned.refuse(user, actor.chatId(), in.event()));
        boolean told = back && user.ban().isEmpty();
        List<Reply> replies = new ArrayList<>(refused.isPresent() ? refused.get()
                : converse(in, user, bonus, invitation, told));
        if (told) {
            // after the answer to what he did (the welcome back, his /start's menu): the results that never reached
            // him while he was away. Asked only of a user stored as blocked, the one sign that any were dropped (their
            // notes commit with it): every other update reads nothing more. Whatever brought him back, the unblock
            // event or, with that one lost, his next message
            replies.addAll(unsent.back(user.id(), actor.chatId(), user.language()));
        }
        outbox.sendAll(replies, in.receivedAt(), yesTooLate(in, user));
    }

    /**
     * What the chat is told of a yes to a pre-checkout that the outbox drops, Telegram's 10 s having passed before the
     * commit (the update waited in a backlog, a slow database) or after it (the answer waited for a thread): Telegram
     * cancels the payment, and the user at the payment sheet got no word of ours. He is told that it did not go
     * through and nothing was charged, with the package's button to pay again. Made with the handling, as the
     * answer is: after the commit there is no user nor invoice at hand.
     */
    private Optional<Reply> yesTooLate(Incoming in, User user) {
        if (!(in.event() instanceof Event.PreCheckout asked)) {
            return Optional.empty();
        }
        return Optional.of(topUps.answeredTooLate(user, in.actor().chatId(), asked));
    }

    /**
     * The polite answer to an update whose handling failed (and was rolled back). A payment's is more: nothing was
     * credited and nothing will retry it, so it is kept refundable, the admins are alerted and the user is told where
     * to turn. A pre-checkout's is its answer, at once after the commit: the payment did not go through, nothing was
     * charged, try again in a minute (no chat message: the payment sheet shows it); unanswered, Telegram cancelled
     * the payment after 10 s in words of its own. Run it in a transaction of its own (with the update's done mark):
     * the payment is kept with its audit. A runner with an inbox starts that transaction with
     * {@code ProcessedUpdates.reclaim}, and apologizes only if the update is still not done: another handler may have
     * taken it after the rollback.
     *
     * <p>Not for a failure {@link ConnectionLoss#in} tells is a lost database connection: leave that update pending,
     * to be handled again once the database answers. Nor, at first, for one {@link Contention#in} tells is a deadlock
     * or serialization failure: leave it pending for a later claim, and apologize only after a bounded number of tries.
     *
     * @param received the update whose {@link #handle} threw and was rolled back
     * @throws RuntimeException when the stores failed: roll back, and leave the update to come again
     */
    public void apologize(Incoming received) {
        java.util.Objects.requireNonNull(received, "storefront().apologize: the update that failed, never null");
        Optional<Incoming> served = privateChats.served(received);
        if (served.isEmpty()) {
            return; // a group's update changed nothing and has nothing to apologise for: the group hears nothing
        }
        Incoming in = served.get();
        // a user whose first update failed is not stored (rolled back with it): his Telegram's language then
        String language = stores.users().find(in.actor().userId()).map(User::language)
                .orElseGet(() -> User.languageOf(in.actor().languageCode()));
        if (in.event() instanceof Event.SuccessfulPayment paid) {
            outbox.sendAll(topUps.handlingFailed(in.actor().userId(), language, in.actor().chatId(), in.updateId(),
                    paid));
            return;
        }
        if (in.event() instanceof Event.PreCheckout asked) {
            // the user is at the payment sheet, and Telegram shows him this answer's words there: no chat message
            // besides (the apology's code is for /paysupport, and nothing was charged). Unanswered, the payment was
            // cancelled 10 s later in Telegram's own words, and the chat got «something went wrong» beside it.
            // Not kept for a next start as the handling's answer is (Outbox.refuseUnkept). Past Telegram's window
            // (the retries of the handling took it, or the answer waited for a thread) the same words come in the
            // chat instead, with the way home: dropped unsaid, he had Telegram's cancellation alone
            LOG.log(System.Logger.Level.WARNING, "upd_" + in.updateId() + ": the pre-checkout of user "
                    + Actor.mask(in.actor().userId()) + " could not be handled: answered that the payment did not go "
                    + "through (nothing charged)");
            String failed = texts.get(language, Msg.PRECHECKOUT_FAILED);
            outbox.refuseUnkept(new Reply.AnswerPreCheckout(in.actor().chatId(), asked.queryId(), false,
                    Optional.of(failed)), in.receivedAt(), new Reply.SendText(in.actor().chatId(), failed,
                    HomeButton.keyboard(texts, language)));
            return;
        }
        String correlation = "upd_" + in.updateId();
        // the code the user is given to quote: /find takes it to this record, the user and the time
        stores.audit().record(new AuditEvent(clock.instant(), Actor.mask(in.actor().userId()), HANDLING_FAILED,
                String.valueOf(in.actor().userId()), Optional.of(correlation)));
        outbox.sendAll(List.of(new Reply.SendText(in.actor().chatId(), texts.get(language, Msg.ERROR_INTERNAL,
                correlation), HomeButton.keyboard(texts, language))));
    }

    /**
     * What is kept of an update given up with no answer (its handling failed, and its {@link #apologize} too): a Stars
     * payment's charge is kept as not credited, as the apology would have kept it, so that an admin can have Telegram
     * refund it ({@code /refund_stars}, {@code /find}), and, with {@code alertAdmins}, the admins are alerted, once per
     * charge as for every payment not credited (queued in the outbox with it); the user is told nothing (what would
     * tell him failed). Anything else keeps nothing. Run it in the transaction that marks the update done
     * ({@code Inbox.markGivenUp} does): that one tries it with the alerts first, and when that fails (the outbox, say,
     * the store that failed the apology) without them, so that a failing outbox does not lose the charge too.
     *
     * @param received    the update given up
     * @param alertAdmins whether to queue the admins' alert (and its {@code payment.anomaly} line, which says they
     *                    were told of the charge); without, the charge alone is kept
     * @throws RuntimeException when the stores failed: roll back
     */
    public void givenUp(Incoming received, boolean alertAdmins) {
        java.util.Objects.requireNonNull(received, "storefront().givenUp: the update given up, never null");
        if (received.event() instanceof Event.SuccessfulPayment paid) {
            outbox.sendAll(topUps.givenUp(received.actor().userId(), received.updateId(), paid, alertAdmins));
        }
    }

    /**
     * The conversation's step: the chat's new state is saved, its effects carried out.
     *
     * @param back whether the results dropped while he was away are listed after the answer ({@link UnsentResults})
     * @return the replies
     */
    private List<Reply> converse(Incoming in, User user, Optional<Long> bonus, Invitation invitation, boolean back) {
        long chatId = in.actor().chatId();
        ChatSession session = sessions.load(chatId).orElseGet(ChatSession::initial);
        boolean payment = in.event() instanceof Event.SuccessfulPayment;
        long before = payment ? available(user) : 0;
        // at a return, the results listed after the answer: the welcome back does not name one of them as well
        Step step = conversation.handle(session, in, new StoreContext(user, stores, settings, freeTier, clock, bonus,
                invitation, back ? () -> unsent.listed(user.id()) : java.util.Set::of));
        if (!step.session().equals(session)) {
            sessions.save(chatId, step.session());
        }
        List<Reply> replies = new ArrayList<>(step.replies());
        for (Effect e : step.effects()) {
            replies.addAll(effects.run(e, user, chatId, in.updateId()));
        }
        if (payment && step.session().waitingOrder().isPresent() && available(user) > before) {
            // paid from his order: the order again, under the message that the money is in (TopUps.credit)
            Step resumed = conversation.resumeOrder(step.session(), chatId, new StoreContext(user, stores, settings,
                    freeTier, clock, Optional.empty(), Invitation.NONE));
            sessions.save(chatId, resumed.session());
            replies.addAll(resumed.replies());
        }
        return replies;
    }

    private long available(User user) {
        return stores.ledger().balance(AccountId.wallet(user.id())).available();
    }
}
