package dev.kiebot.core.shop;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.ChatKind;
import dev.kiebot.core.conversation.Event;
import dev.kiebot.core.conversation.Incoming;
import dev.kiebot.core.intake.Admission;
import dev.kiebot.core.intake.AdmissionPolicy;
import dev.kiebot.core.intake.Admissions;
import dev.kiebot.core.reply.Button;
import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.text.Msg;
import dev.kiebot.core.text.Texts;
import dev.kiebot.core.users.User;
import dev.kiebot.core.users.Users;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The shop serves private chats only. Its state is kept per chat, so in a group every member would share one
 * conversation: B could confirm (and pay for) A's prompt, fill in A's half-finished input and read A's balance,
 * and the bot would answer everybody in the group. So an update from a group, supergroup or channel changes no
 * state, moves no money and starts no job: it is not even recorded as a user's visit (which may credit a welcome
 * bonus). A command, a message said to the bot (a reply to its message: an adapter passes a group's others on to
 * nobody) or the bot being added gets one short answer with a link to the private chat, a button press a short
 * alert, anything else (an edit, the bot removed) silence. The answers to one group are limited
 * ({@link #GROUP_ANSWERS}): a group flooding the bot with commands would otherwise take a slice of the bot's 30
 * messages a second, and past Telegram's 20 a minute per group each of its answers makes a sender wait out a 429.
 *
 * <p>Payments are Telegram's and already made: they are served whatever the chat, as if in the payer's private
 * chat (a private chat's id is its user's id), so that nothing is lost and no balance is shown in a group.
 * Invoices themselves are only ever issued in private chats, since nothing else reaches the conversation.
 */
final class PrivateChatsOnly {
    /** Albums a group's answers remember as answered ({@link #GROUP_ANSWERS}): more than a group sends at once. */
    static final int ALBUMS_KEPT = 4;

    /**
     * Answers to one group: three at once, then one a minute, shared across instances. Kept in the per-user limit's
     * store under a negative key ({@link #limitKey}), so no user's bucket is ever the group's. An album's files after
     * the first answered are repeats (for 10 s), costing no answer: each took one, and four photos left the group's
     * next command unanswered. The group's last {@value #ALBUMS_KEPT} albums answered are remembered, not its last
     * one: two albums sent at once arrive with their parts interleaved, and each part after the other album's took an
     * answer again.
     */
    static final AdmissionPolicy GROUP_ANSWERS = new AdmissionPolicy(1, 3, Duration.ofSeconds(10), ALBUMS_KEPT);


    private final Texts texts;
    private final Users users;
    private final Admissions admissions;
    private final Clock clock;
    private final BotAddress bot;

    /** @param bot for the link to its private chat */
    PrivateChatsOnly(Texts texts, Users users, Admissions admissions, Clock clock, BotAddress bot) {
        this.texts = texts;
        this.users = users;
        this.admissions = admissions;
        this.clock = clock;
        this.bot = bot;
    }

    /**
     * The update to handle as usual: one from a private chat, or a payment moved to the payer's private chat; empty
     * when the shop handles nothing of it (then {@link #answer} is all the chat gets). Reads nothing, writes nothing.
     */
    Optional<Incoming> served(Incoming in) {
        return switch (in.chat()) {
            case PRIVATE -> Optional.of(in);
            case GROUP, SUPERGROUP, CHANNEL -> payment(in);
        };
    }

    /** What a chat the shop does not serve hears of an update {@link #served} refused (maybe nothing). */
    List<Reply> answer(Incoming in) {
        return switch (in.chat()) {
            case PRIVATE -> List.of();
            case GROUP, SUPERGROUP -> groupAnswer(in);
            // a channel's readers cannot use the bot from there and did not ask: nothing is posted to them
            case CHANNEL -> List.of();
        };
    }

    /** A payment outside a private chat, served as if in the payer's private chat; empty for anything else. */
    private static Optional<Incoming> payment(Incoming in) {
        Event e = in.event();
        if (!(e instanceof Event.PreCheckout || e instanceof Event.SuccessfulPayment
                || e instanceof Event.RefundedPayment)) {
            return Optional.empty();
        }
        Actor a = in.actor();
        return Optional.of(new Incoming(in.updateId(),
                new Actor(a.userId(), a.userId(), a.firstName(), a.username(), a.languageCode()), e, in.receivedAt(),
                Optional.of(ChatKind.PRIVATE)));
    }

    private List<Reply> groupAnswer(Incoming in) {
        long chat = in.actor().chatId();
        Event e = in.event();
        if (e instanceof Event.Command || (e instanceof Event.MembershipChanged m && !m.blocked())
                || addressed(e)) {
            // limited by the chat's kind, whatever its id's sign: a Discord guild channel's id is positive
            Optional<String> album = e instanceof Event.Media m ? m.album().map(a -> "album:" + a) : Optional.empty();
            if (!(admissions.admit(limitKey(chat), album, clock.instant(), GROUP_ANSWERS)
                    instanceof Admission.Admitted)) {
                // answered a moment ago (in a forum perhaps in another topic: the limit is Telegram's, per group)
                return List.of();
            }
            String language = language(in.actor());
            Keyboard link = bot.chat().map(url -> Keyboard.of(List.of(Button.link(
                    texts.get(language, Msg.PRIVATE_ONLY_OPEN), url)))).orElse(Keyboard.NONE);
            // in a forum, where it was asked: the General topic may be one nobody in the asker's topic reads
            return List.of(new Reply.SendText(chat, texts.get(language, Msg.PRIVATE_ONLY), link, in.topic()));
        }
        if (e instanceof Event.Callback press) {
            // acts on no state, not even one a group kept from before: the alert stops the spinner and says where to go
            return List.of(new Reply.AnswerCallback(chat, press.queryId(),
                    Optional.of(texts.get(language(in.actor()), Msg.PRIVATE_ONLY_ALERT)), true));
        }
        // edits, the bot removed, anything else: nothing asked of the bot now
        return List.of();
    }

    /**
     * The group's key in the per-user limit's store: negative, so that no user's bucket is ever the group's. A
     * Telegram group's id is negative already; a platform whose groups have positive ids (Discord's channels, whose
     * ids are snowflakes like its users') has them negated, which no group of the same platform has.
     */
    static long limitKey(long chat) {
        return chat < 0 ? chat : -chat;
    }

    /**
     * A text or a file (a sticker, a location) said to the bot in a group: an adapter passes a group's message only
     * when it is addressed to the bot (Telegram's: a reply to the bot's message), so it is a member asking the bot
     * something, who used to get no answer at all. An edit is no new question.
     */
    private static boolean addressed(Event e) {
        return e instanceof Event.Text || e instanceof Event.Media || (e instanceof Event.Unknown u
                && !u.kind().startsWith("edited_"));
    }

    /** The language the user chose in the private chat, else their client's: read, never recorded from a group. */
    private String language(Actor actor) {
        return users.find(actor.userId()).map(User::language).orElseGet(() -> User.languageOf(actor.languageCode()));
    }
}
