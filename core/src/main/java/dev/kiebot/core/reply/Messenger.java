package dev.kiebot.core.reply;

import java.time.Duration;
import java.util.Optional;

/**
 * Sends replies to your chat platform (port): Telegram in kiebot ({@code TelegramMessenger}), any other in a
 * partner's bot. Core paces what it sends before calling {@link #send} (each chat by the {@code ChatPacing}, the whole
 * bot by the {@code BotPacing} given to {@code Shop.Builder}), so an implementation need not pace those again: a second
 * pace makes every reply wait twice, the second time holding a sender thread. Implementations honour the platform's
 * own "slow down" answers (Telegram: a 429's {@code retry_after}; the platform may still ask, e.g. with several
 * processes), treat an edit that changes nothing (Telegram: "message is not modified") as success and never throw for
 * delivery problems.
 *
 * <p>Core does not send a reply again once {@link #send} has answered {@link Delivery.Failed}: it is logged and
 * dropped (a job's result then goes once more as a text with its link). So retry a short transient failure (a timeout
 * before the request went out, a 5xx) inside {@code send}, answer {@code Failed} for what the platform refused, and
 * {@link Delivery.Deferred} when the platform could not be reached for longer than your retries, or asked you to wait
 * longer than you would wait on a sender thread: the shop then keeps the reply first in its chat's queue and calls
 * {@code send} with it again later. Mark the platform's own wait as such ({@code Delivery.Deferred.pacedByPlatform}:
 * {@link Delivery.Deferred.Cause#PACE}): a busy chat's pace is routine, logged at debug, where a platform that cannot
 * be reached gets a warning per reply deferred.
 *
 * <p>Core does not cut its texts to a platform's limits: some are longer than a Telegram message holds (a broadcast's
 * preview, a user's ticket, an admin's {@code /find}). An implementation fits each reply to its platform, as kiebot's
 * {@code TextLimits} does for Telegram (in adapters-telegram, package-private: a few lines to copy with your figures):
 * a text over 4096 characters split into several messages, a caption cut to 1024, a button press's answer to 200, an
 * invoice title to 32. Sent as it is, such a reply comes back from the platform as an error, and a {@code Failed} is
 * dropped. The texts are plain (no markup to keep whole): cut at a line break or a space, never between the halves of
 * a surrogate pair; and when a message after the first cannot go, answer {@link Delivery.Deferred} with the text from
 * that message on as its {@code rest}, or the user gets the first part twice. README's "Long texts are yours to split"
 * says how kiebot splits, and why core keeps no public splitter.
 *
 * <p>Keyboards: every screen core builds has at most 3 buttons in a row. A user's screens have at most 9 rows and 11
 * buttons, the largest being a page of a category's models (8 of them, {@code ShopSettings.PAGE_SIZE}, one to a row,
 * under them «‹», the menu and «›»), but for a question of a model's option, whose values are your catalog's: 2 or 3
 * to a row, as many rows as its values take. An admin's list of a user's Stars payments has one to a row, at most 10.
 * {@code TourTest} holds every screen of its tour to these figures. A platform with smaller limits (a WhatsApp message
 * takes 3 reply buttons, or a list of 10 rows) fits the keyboard itself, as it fits the texts.
 *
 * <p>Answers to button presses ({@link Reply.AnswerCallback}) are sent at once after the press's update commits, not
 * queued, and only within 14 s of its arrival (Telegram takes one for about 15 s): a later one is dropped before it
 * reaches you. A platform that wants a press acknowledged sooner (a Discord interaction, within 3 s) acknowledges it
 * in your door as the update arrives, before recording it (Discord's deferred update), and takes core's answer as the
 * rest of it: its text, if any, shown as the platform can (an ephemeral follow-up), else {@link Delivery.Sent}. A
 * platform with no answer to a press (WhatsApp's reply buttons) sends the answer's text, if any, to the chat as a
 * message, and answers {@code Sent} for one without a text.
 */
public interface Messenger {
    /**
     * Makes one call to the platform for {@code reply} (Telegram: one Bot API call). Called outside any transaction,
     * on the shop's sender threads ({@code ShopWork}'s, or a runner's own), on the {@code Shop.Builder.answers}
     * executor for answers to button presses, and by the broadcaster; so it must be safe to call from several threads
     * at once. A {@link Reply.SendText} with a {@link Reply.SendText#topic() topic} is posted in that forum topic
     * (Telegram's {@code message_thread_id}). A kind of reply your platform has no use for (a {@link Reply.ChatAction},
     * say) is answered {@link Delivery.Sent} with no message id, not {@code Failed}.
     *
     * @param reply one reply, its chat named in it; fit it to the platform's limits (see the class)
     * @return what happened, never {@code null}. A {@link Delivery.Sent} carries the platform's id of the message
     *         sent (or edited): the shop keeps it to edit a job's status message in place and to send
     *         {@link Reply.EditText}s to it; without an id, each status comes as a new message. A delivery problem is
     *         a {@link Delivery.Failed} (it surely did not arrive; the shop does not send it again, see above), a
     *         {@link Delivery.Deferred} (it surely did not arrive, and may later: sent again after its wait), a
     *         {@link Delivery.Gone} (media whose URL answered 404 or 410: a result's price goes back), a
     *         {@link Delivery.Uncertain} (it may have arrived: not sent again in any form, unless {@link #heldFor} holds
     *         right after it) or a
     *         {@link Delivery.Blocked} (the user blocked the bot, Telegram's 403: the user is marked inactive), never
     *         an exception. What the method throws from a queued reply's send is taken as a {@code Deferred} (logged
     *         with this class's name, the reply's kind and the chat, saying to answer a {@code Delivery} instead):
     *         the reply stays first in its chat's queue while other chats' replies go, is tried again after
     *         {@code ReplySender.THREW_RETRY}, doubled at each throw up to two minutes, and is dropped after
     *         {@code ReplySender.DEFERRED_MAX}. A throw says nothing of whether the platform took the reply, so a
     *         job's result one of whose tries threw is then settled as an {@code Uncertain} one (the user told it
     *         may not have come, its price not given back), and a result's link that throws after its media was
     *         refused sends the whole result again later rather than settling it as failed; a chat action or a
     *         button's answer that throws is dropped at once.
     */
    Delivery send(Reply reply);

    /**
     * Whether the platform itself is in trouble, so that no reply should be tried now: the outbox's senders ask before
     * each claim, and after a {@link Delivery.Uncertain}. While it answers a wait, the senders claim nothing (the
     * replies due stay queued, in order, with no try spent and no sender thread asleep) and ask again after it; an
     * implementation meanwhile makes sure, once, whether the platform answers again (kiebot's Telegram messenger: a
     * {@code getMe} with waits doubling from 1 s to 30 s, or after a bot-wide flood wait's {@code retry_after}), and
     * answers empty once it does. A reply that was {@link Delivery.Uncertain} when the platform went down is sent once
     * more after it is back (ARCHITECTURE.md, "The outbox while Telegram itself is down": a duplicate beats no answer; a job's result goes once more at
     * most, never refunded as not sent).
     *
     * <p>Called on sender threads (and the broadcaster's), several at once, so it must be thread-safe and quick while
     * nothing is due to be checked; the one call that makes sure runs on the caller's thread (kiebot's Telegram
     * messenger: a {@code getMe}, up to its connect and read timeouts, about 20 s against a hanging Telegram — one
     * sender at a time, the others held meanwhile). The default, for a platform with no such knowledge, never holds;
     * sound, as {@link #send}'s own answers still defer or report each reply: a platform that is down costs tries.
     *
     * @return empty: send as usual; else how long to wait before asking again (more than zero)
     */
    default Optional<Duration> heldFor() {
        return Optional.empty();
    }
}
