package dev.kiebot.core.conversation;

import dev.kiebot.core.reply.Reply;
import java.util.List;

/**
 * The result of one event: the chat's next session, what to say, and what to do.
 *
 * @param session the chat's session after the event, saved when it changed
 * @param replies what to say, in order, before the effects' own replies
 * @param effects what the storefront does, in order, in the same transaction
 */
public record Step(ChatSession session, List<Reply> replies, List<Effect> effects) {
    /**
     * Copies the lists.
     *
     * @param session the chat's next session
     * @param replies copied
     * @param effects copied
     */
    public Step {
        replies = List.copyOf(replies);
        effects = List.copyOf(effects);
    }
}
