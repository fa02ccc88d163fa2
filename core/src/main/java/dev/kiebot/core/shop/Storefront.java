package dev.kiebot.core.shop;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ChatSession;
import dev.kiebot.core.conversation.Conversation;
import dev.kiebot.core.conversation.Effect;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.conversation.ShopSettings;
import dev.kiebot.core.conversation.Step;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.CallbackAction;
import dev.kiebot.core.reply.CallbackData;
import dev.kiebot.core.reply.Keyboard;
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
 * carries out its effects and sends every reply through the {@link Outbox}. Never throws: a failure becomes a
 * polite reply carrying a correlation id that is also in the log.
 */
public final class Storefront {
    private static final System.Logger LOG = System.getLogger(Storefront.class.getName());

    private final Stores stores;
    private final Texts texts;
    private final ShopSettings settings;
    private final Clock clock;
    private final Outbox outbox;
    private final Conversation conversation;
    private final InboundLimit limit;
    private final TopUps topUps;
    private final Effects effects;

    Storefront(Stores stores, Texts texts, ShopSettings settings, Clock clock, Outbox outbox, Conversation conversation,
               TopUps topUps, Effects effects) {
        this.stores = stores;
        this.texts = texts;
        this.settings = settings;
        this.clock = clock;
        this.outbox = outbox;
        this.conversation = conversation;
        this.limit = new InboundLimit(stores, settings, texts, clock);
        this.topUps = topUps;
        this.effects = effects;
    }

    public void handle(Incoming in) {
        Actor actor = in.actor();
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
            Optional<List<Reply>> refused = limit.refuse(user, actor.chatId(), in.event());
            replies.addAll(refused.isPresent() ? refused.get() : converse(in, user));
        } catch (RuntimeException e) {
            String correlation = "upd_" + in.updateId();
            LOG.log(System.Logger.Level.ERROR, correlation + ": handling failed for user " + Actor.mask(actor.userId()),
                    e);
            replies.add(new Reply.SendText(actor.chatId(), texts.get(language, Msg.ERROR_INTERNAL, correlation),
                    Keyboard.of(List.of(Button.callback(texts.get(language, Msg.MENU_HOME),
                            CallbackData.evergreen(CallbackAction.MENU))))));
        }
        outbox.sendAll(replies);
    }

    /** The conversation's step: the chat's new state is saved, its effects carried out. @return the replies */
    private List<Reply> converse(Incoming in, User user) {
        long chatId = in.actor().chatId();
        ChatSession session = stores.chatStates().load(chatId).orElseGet(ChatSession::initial);
        Step step = conversation.handle(session, in, new StoreContext(user, stores, settings, clock));
        if (!step.session().equals(session)) {
            stores.chatStates().save(chatId, step.session());
        }
        List<Reply> replies = new ArrayList<>(step.replies());
        for (Effect e : step.effects()) {
            replies.addAll(effects.run(e, user, chatId, in.updateId()));
        }
        return replies;
    }
}
