package dev.kiebot.core.intake;

import dev.kiebot.core.conversation.Actor;
import dev.kiebot.core.conversation.Incoming;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The chat an update was recorded under ({@link Inbox#record}'s {@code chatId}) against the chat its translation
 * answers in (its actor's): the inbox holds the first while the update is handled, in order with that chat's updates,
 * and the shop answers in the second. A partner whose door and translation disagree (a per-user key at the door, the
 * conversation in the translation) had updates handled in one chat's turn and answered in another, beside that other
 * chat's own updates handled at once by another thread, without a word.
 *
 * <p>Warned of, not refused: a refusal gives the update up with no answer (nobody to address an apology to), and a
 * door that records every update so (a chat-less update, a pre-checkout, under its user's id) would have every such
 * update dropped where it was answered before. The warning names the update and both chats, masked.
 *
 * <p>Once per pair of chats, and for {@link #WARNED_PAIRS_MAX} pairs at most: the translation runs several times for
 * one update (its claim, each retry, its apology, its give-up), and a door that records every update so would have
 * written a line per update, without end. The first lines say what to fix; the last one says no more follow.
 */
final class TranslatedChat {
    /** Inbox's logger: its lines are the inbox's. */
    private static final System.Logger LOG = System.getLogger(Inbox.class.getName());
    /** Pairs of chats (recorded under, answered in) warned of by one inbox, after which it warns no more. */
    static final int WARNED_PAIRS_MAX = 32;

    private TranslatedChat() {
    }

    /**
     * {@code translate}, warning of a translation whose actor's chat is not the one the update was recorded under.
     *
     * @param translate the partner's translation, as given to {@link Inbox}
     * @return the same translation, checked
     */
    static Function<PendingUpdate, Optional<Incoming>> checked(Function<PendingUpdate, Optional<Incoming>> translate) {
        Set<List<Long>> warned = new HashSet<>(); // guarded by itself: the inbox's handler threads share it
        return pending -> {
            Optional<Incoming> in = translate.apply(pending);
            in.ifPresent(i -> warnOfAnotherChat(pending, i, warned));
            return in;
        };
    }

    private static void warnOfAnotherChat(PendingUpdate pending, Incoming in, Set<List<Long>> warned) {
        long answeredIn = in.actor().chatId();
        if (answeredIn == pending.chatId()) {
            return;
        }
        boolean last;
        synchronized (warned) {
            if (warned.size() >= WARNED_PAIRS_MAX || !warned.add(List.of(pending.chatId(), answeredIn))) {
                return;
            }
            last = warned.size() == WARNED_PAIRS_MAX;
        }
        String recorded = Actor.mask(pending.chatId());
        String translated = Actor.mask(answeredIn);
        LOG.log(System.Logger.Level.WARNING, "upd_" + pending.updateId() + " was recorded under chat " + recorded
                + " (Inbox.record's chatId) but its translation's actor is in chat " + translated + ": it is handled "
                + "in chat " + recorded + "'s turn and answered in chat " + translated + ", out of order with that "
                + "chat's updates; record each update under the chat its translation answers in (Actor.chatId)"
                + (last ? "; " + WARNED_PAIRS_MAX + " pairs of chats warned of, no more will be" : ""));
    }
}
